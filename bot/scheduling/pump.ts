import type { Logger } from 'pino';

export interface PumpOptions {
  name: string;
  /** Does what is due now; answers true when more is due at once (a full batch). */
  round: () => Promise<boolean>;
  /** Epoch ms of the next due item in the store, if any. */
  nextAt: () => Promise<number | undefined>;
  now: () => number;
  logger: Logger;
  /** Even with nothing due, look again this often. */
  idlePollMs?: number;
}

const DEFAULT_IDLE_POLL_MS = 30_000;

/**
 * Runs a store-backed work queue: one round at a time, again when kicked, otherwise asleep until
 * the next item is due. The work lives in the store, so stopping loses nothing.
 */
export class Pump {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  /** True from the moment a loop starts until it has decided to stop, checked and cleared synchronously. */
  private active = false;
  /** Work may be due: set by every kick, consumed by the loop. */
  private pending = false;
  private stopped = true;

  constructor(private readonly options: PumpOptions) {}

  start(): void {
    this.stopped = false;
    this.kick();
  }

  /** Something changed: look now (or right after the round in flight). */
  kick(): void {
    if (this.stopped) return;
    this.pending = true;
    if (this.active) return;
    this.active = true;
    this.running = this.loop();
  }

  /** Stops scheduling and waits for the round in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  // Every kick sets `pending`; the loop only exits when it has seen no kick since its last round
  // and its wake-up is scheduled. `active` is cleared in the same synchronous step as that decision,
  // so a kick can never land in a gap where the loop is finishing but still counted as running.
  private async loop(): Promise<void> {
    try {
      while (this.pending && !this.stopped) {
        this.pending = false;
        try {
          if (await this.options.round()) this.pending = true;
        } catch (error) {
          this.options.logger.error({ err: error, pump: this.options.name }, 'round failed; will retry');
        }
        if (!this.pending) await this.scheduleNext();
      }
    } finally {
      this.active = false;
    }
  }

  private async scheduleNext(): Promise<void> {
    if (this.stopped) return;
    const idle = this.options.idlePollMs ?? DEFAULT_IDLE_POLL_MS;
    let wait = idle;
    try {
      const next = await this.options.nextAt();
      if (next !== undefined) wait = Math.min(idle, Math.max(0, next - this.options.now()));
    } catch (error) {
      this.options.logger.warn({ err: error, pump: this.options.name }, 'store unavailable while scheduling');
    }
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => this.kick(), wait);
    this.timer.unref();
  }
}
