import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { Pump } from '../../../bot/scheduling/pump.js';

const logger = pino({ level: 'silent' });

describe('Pump', () => {
  it('runs again at once when kicked while it is computing its next wake-up', async () => {
    let work = 0;
    let rounds = 0;
    let releaseNextAt: (() => void) | undefined;
    const pump = new Pump({
      name: 'test',
      logger,
      now: () => Date.now(),
      round: async () => {
        rounds++;
        if (work > 0) work--;
        return false;
      },
      // The first look-up stalls, the way a busy store would, while new work arrives.
      nextAt: () =>
        releaseNextAt === undefined && rounds === 1
          ? new Promise<undefined>((resolve) => {
              releaseNextAt = () => resolve(undefined);
            })
          : Promise.resolve(undefined),
      idlePollMs: 60_000,
    });
    pump.start();
    await waitUntil(() => releaseNextAt !== undefined);
    work = 1;
    pump.kick();
    releaseNextAt?.();
    await waitUntil(() => rounds >= 2);
    expect(work).toBe(0);
    await pump.stop();
  });

  it('never loses a kick that lands while the loop is finishing (the kick comes from inside its own wake-up look-up)', async () => {
    for (let hops = 0; hops < 8; hops++) {
      let work = 0;
      let armed = true;
      const pump: Pump = new Pump({
        name: 'test',
        logger,
        now: () => Date.now(),
        round: async () => {
          work = 0;
          return false;
        },
        nextAt: async () => {
          if (armed) {
            armed = false;
            // Another pump's round commits work and kicks this one a few microtasks later.
            let chain = Promise.resolve();
            for (let i = 0; i < hops; i++) chain = chain.then(() => undefined);
            void chain.then(() => {
              work = 1;
              pump.kick();
            });
          }
          return undefined;
        },
        idlePollMs: 3_600_000,
      });
      pump.start();
      await waitUntil(() => !armed && work === 0, 1_000);
      await pump.stop();
    }
  });

  it('keeps going while rounds report a full batch, and retries a failing round at its next wake-up', async () => {
    let rounds = 0;
    const pump = new Pump({
      name: 'test',
      logger,
      now: () => Date.now(),
      round: async () => {
        rounds++;
        if (rounds === 2) throw new Error('store hiccup');
        return rounds < 4;
      },
      // After the failure the store says work is due now, so the retry comes at once.
      nextAt: async () => (rounds < 4 ? Date.now() : undefined),
      idlePollMs: 60_000,
    });
    pump.start();
    await waitUntil(() => rounds >= 4);
    await pump.stop();
    expect(rounds).toBe(4);
  });
});

async function waitUntil(condition: () => boolean, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
