export interface BenchOptions {
  quick: boolean;
  /** Seeds the chaos kill times, so a run can be repeated. */
  seed: number;
  /** Keep temporary data folders for inspection. */
  keep: boolean;
}

export interface BenchOutcome {
  name: string;
  ok: boolean;
  /** One line against the goal, e.g. "ratio 0.62 of bare restify (goal ≥ 0.50)". */
  verdict: string;
}

export function heading(title: string): void {
  process.stdout.write(`\n== ${title} ==\n`);
}

export function line(text: string): void {
  process.stdout.write(`  ${text}\n`);
}

export function verdict(name: string, ok: boolean, text: string): BenchOutcome {
  process.stdout.write(`  verdict: ${ok ? 'PASS' : 'FAIL'} ${text}\n`);
  return { name, ok, verdict: text };
}

export function ratio(value: number): string {
  return Number.isFinite(value) ? value.toFixed(2) : 'n/a';
}
