import { runAlertToCard } from './alert-to-card.js';
import { runChaos } from './chaos.js';
import { runIntake } from './intake.js';
import { runMemory } from './memory.js';
import { runStorm } from './storm.js';
import type { BenchOptions, BenchOutcome } from './lib/report.js';

type Bench = (options: BenchOptions) => Promise<BenchOutcome>;

const BENCHES: Record<string, Bench> = {
  intake: runIntake,
  'alert-to-card': runAlertToCard,
  storm: runStorm,
  memory: runMemory,
  chaos: runChaos,
};

function parseArgs(argv: readonly string[]): { options: BenchOptions; only: string[] } {
  const value = (name: string) => {
    const index = argv.indexOf(name);
    return index === -1 ? undefined : argv[index + 1];
  };
  const seed = Number(value('--seed') ?? Date.now() % 1_000_000);
  const only = (value('--only') ?? Object.keys(BENCHES).join(',')).split(',').filter((name) => name.length > 0);
  for (const name of only) if (!(name in BENCHES)) throw new Error(`unknown benchmark "${name}"; use ${Object.keys(BENCHES).join(', ')}`);
  return { options: { quick: argv.includes('--quick'), seed, keep: argv.includes('--keep') }, only };
}

async function main(): Promise<void> {
  const { options, only } = parseArgs(process.argv.slice(2));
  const started = performance.now();
  process.stdout.write(`Glasswatch benchmarks (${options.quick ? 'quick' : 'full'}, seed ${options.seed}, node ${process.version})\n`);
  const outcomes: BenchOutcome[] = [];
  for (const name of only) {
    const bench = BENCHES[name];
    if (bench === undefined) continue;
    try {
      outcomes.push(await bench(options));
    } catch (error) {
      process.stdout.write(`  ${name} crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      outcomes.push({ name, ok: false, verdict: 'crashed' });
    }
  }
  process.stdout.write(`\n== Summary (${((performance.now() - started) / 1000).toFixed(0)} s) ==\n`);
  for (const outcome of outcomes) process.stdout.write(`  ${outcome.ok ? 'PASS' : 'FAIL'} ${outcome.name}: ${outcome.verdict}\n`);
  process.exitCode = outcomes.every((o) => o.ok) ? 0 : 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`bench: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 2;
});
