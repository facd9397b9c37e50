import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describePhase, phasePassed, type PhaseReport } from '../../bench/lib/chaos-report.js';
import { ChaosRun } from '../../bench/lib/chaos-scenario.js';
import { unexplainedDuplicates } from '../../bench/lib/chaos-checks.js';
import { canMakeWritesFail } from '../../bench/lib/store-faults.js';

/**
 * The short chaos run (`npm run bench` has the long one): the real bot as a child process, killed
 * with SIGKILL and restarted under load, Teams failing with 503, the store refusing every write.
 * After each: nothing answered 202 is lost, one card per incident, duplicates still recognised,
 * and never a 500 (Azure Monitor would not retry it).
 */
describe('chaos', () => {
  const run = new ChaosRun(
    { alerts: 300, subjects: 8, kills: 2, ratePerSec: 100, outageMs: 3_000, outageAlerts: 40, storeFaultMs: 2_000, storeAlerts: 20, settleMs: 30_000 },
    Number(process.env.CHAOS_SEED ?? 7),
  );

  beforeAll(() => run.setup(), 30_000);
  afterAll(() => run.teardown(), 30_000);

  function expectIntact(report: PhaseReport): void {
    const summary = describePhase(report).join('\n');
    expect(report.lost, summary).toBe(0);
    expect(report.gaveUp, summary).toBe(0);
    expect(report.serverErrors, summary).toBe(0);
    expect(report.crashes, summary).toBe(0);
    expect(report.outboxEmpty, summary).toBe(true);
    expect(report.cards.withoutCard, summary).toEqual([]);
    expect(unexplainedDuplicates(report.cards), summary).toBe(0);
    expect(report.duplicatesWrong, summary).toEqual([]);
    expect(phasePassed(report), summary).toBe(true);
  }

  it('loses nothing when killed -9 twice while 300 alerts arrive', async () => {
    const report = await run.killPhase();
    expectIntact(report);
    expect(report.answered).toBe(300);
  }, 60_000);

  it('keeps answering 202 while Teams answers 503, and posts every card after', async () => {
    const report = await run.outagePhase();
    expectIntact(report);
    expect(report.unavailable).toBe(0);
  }, 60_000);

  it.skipIf(!canMakeWritesFail())('answers 503 with Retry-After, never 500, while the store refuses writes', async () => {
    const report = await run.unwritableStorePhase();
    expectIntact(report);
    expect(report.unavailable).toBeGreaterThan(0);
    expect(report.unavailableWithRetryAfter).toBe(report.unavailable);
    expect(report.answered).toBe(20);
  }, 60_000);
});
