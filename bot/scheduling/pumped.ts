import type { Pump } from './pump.js';

/** A store-backed worker driven by a Pump: start, look now, stop — the same for every one of them. */
export abstract class Pumped {
  protected abstract readonly pump: Pump;

  start(): void {
    this.pump.start();
  }

  /** Something changed: look now. */
  kick(): void {
    this.pump.kick();
  }

  /** Stops scheduling and waits for the round in flight; pending work stays in the store. */
  stop(): Promise<void> {
    return this.pump.stop();
  }
}
