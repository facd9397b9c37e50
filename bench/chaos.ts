import { describePhase, phasePassed, type PhaseReport } from './lib/chaos-report.js';
import { ChaosRun, type ChaosSizes } from './lib/chaos-scenario.js';
import { heading, line, verdict, type BenchOptions, type BenchOutcome } from './lib/report.js';
import { canMakeWritesFail } from './lib/store-faults.js';

const FULL: ChaosSizes = {
  alerts: 2_000,
  subjects: 40,
  kills: 4,
  ratePerSec: 100,
  outageMs: 60_000,
  outageAlerts: 300,
  storeFaultMs: 4_000,
  storeAlerts: 60,
  settleMs: 120_000,
};

const QUICK: ChaosSizes = {
  ...FULL,
  alerts: 600,
  subjects: 20,
  kills: 3,
  outageMs: 5_000,
  outageAlerts: 80,
  storeFaultMs: 3_000,
  storeAlerts: 30,
  settleMs: 60_000,
};

const LOCK_MS = 3_000;

/** Chaos: kill -9 and restart, Teams failing with 503, the store refusing writes (unwritable, then locked). */
export async function runChaos(options: BenchOptions): Promise<BenchOutcome> {
  const sizes = options.quick ? QUICK : FULL;
  heading(`5. Chaos: ${sizes.alerts} alerts with ${sizes.kills} kill -9, Teams 503 for ${sizes.outageMs / 1000} s, store unwritable, store locked`);
  line(`bot: child process (tsx), restarted after each kill; senders retry network errors and 408/429/503/504 like Azure Monitor; seed ${options.seed}`);
  const run = new ChaosRun(sizes, options.seed, options.keep);
  const reports: PhaseReport[] = [];
  try {
    await run.setup();
    reports.push(await run.killPhase());
    reports.push(await run.outagePhase());
    if (canMakeWritesFail()) reports.push(await run.unwritableStorePhase());
    else line('store unwritable: skipped, prlimit is not available on this machine');
    reports.push(await run.lockedStorePhase(LOCK_MS));
  } finally {
    for (const report of reports) for (const text of describePhase(report)) line(text);
    await run.teardown();
  }
  const failed = reports.filter((r) => !phasePassed(r)).map((r) => r.name);
  const crashWindows = reports.at(-1)?.cards.duplicated.filter((d) => d.explainedBy !== undefined).length ?? 0;
  const lost = Math.max(0, ...reports.map((r) => r.lost));
  const serverErrors = reports.reduce((sum, r) => sum + r.serverErrors, 0);
  return verdict(
    'chaos',
    failed.length === 0,
    `lost ${lost}, 500s ${serverErrors}, cards in a crash window ${crashWindows}, failed phases: ${failed.length === 0 ? 'none' : failed.join('; ')}`,
  );
}
