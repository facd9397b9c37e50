import type { HttpResult } from './http-client.js';

export interface LoadResult {
  /** Milliseconds per answered request (closed loop: send → answer; open loop: scheduled time → answer). */
  latencies: number[];
  statuses: Map<number, number>;
  /** Network errors (reset, refused, timeout). */
  errors: number;
  /** The first few network error messages. */
  errorSamples: string[];
  elapsedMs: number;
  /** Answered requests per second over the run. */
  throughput: number;
  /** Open loop only: sends that started late because `maxInFlight` requests were outstanding. */
  lateStarts: number;
}

export type Send = (index: number) => Promise<HttpResult>;

function emptyResult(): LoadResult {
  return { latencies: [], statuses: new Map(), errors: 0, errorSamples: [], elapsedMs: 0, throughput: 0, lateStarts: 0 };
}

function count(result: LoadResult, status: number): void {
  result.statuses.set(status, (result.statuses.get(status) ?? 0) + 1);
}

function countError(result: LoadResult, error: unknown): void {
  result.errors += 1;
  if (result.errorSamples.length < 3) result.errorSamples.push(error instanceof Error ? error.message : String(error));
}

function finish(result: LoadResult, startedAt: number): LoadResult {
  result.elapsedMs = performance.now() - startedAt;
  result.throughput = (result.latencies.length / result.elapsedMs) * 1000;
  return result;
}

/**
 * Closed loop: `concurrency` workers each send the next request when their last one is answered,
 * until `durationMs` passes or `maxRequests` were sent. Measures the server's capacity.
 */
export async function closedLoop(options: { concurrency: number; durationMs: number; maxRequests: number; send: Send }): Promise<LoadResult> {
  const result = emptyResult();
  const startedAt = performance.now();
  const deadline = startedAt + options.durationMs;
  let next = 0;
  const worker = async () => {
    while (performance.now() < deadline && next < options.maxRequests) {
      const index = next++;
      try {
        const answer = await options.send(index);
        result.latencies.push(answer.endedAt - answer.startedAt);
        count(result, answer.status);
      } catch (error) {
        countError(result, error);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  return finish(result, startedAt);
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Open loop: request i is due at start + i / rate, whether or not earlier ones were answered, so a
 * slow server shows as latency instead of slowing the sender (no coordinated omission). Latency is
 * counted from the scheduled time. At most `maxInFlight` are outstanding; beyond that sends wait
 * and are counted in `lateStarts`.
 */
export async function openLoop(options: { ratePerSec: number; count: number; maxInFlight: number; send: Send }): Promise<LoadResult> {
  const result = emptyResult();
  const startedAt = performance.now();
  const intervalMs = 1000 / options.ratePerSec;
  // The schedule plus a generous margin for the last answers; every wait below is bounded by it.
  const deadline = startedAt + options.count * intervalMs + 30_000;
  const pending = new Set<Promise<void>>();
  for (let index = 0; index < options.count && performance.now() < deadline; index++) {
    const scheduledAt = startedAt + index * intervalMs;
    const wait = scheduledAt - performance.now();
    if (wait > 1) await sleep(wait);
    if (pending.size >= options.maxInFlight) {
      result.lateStarts += 1;
      await Promise.race(pending);
    }
    const flight: Promise<void> = options
      .send(index)
      .then((answer) => {
        result.latencies.push(answer.endedAt - scheduledAt);
        count(result, answer.status);
      })
      .catch((error: unknown) => {
        countError(result, error);
      })
      .finally(() => pending.delete(flight));
    pending.add(flight);
  }
  await Promise.all(pending);
  return finish(result, startedAt);
}

/** "202×1000, 503×2, errors 0" */
export function formatStatuses(result: Pick<LoadResult, 'statuses' | 'errors' | 'errorSamples'>): string {
  const parts = [...result.statuses.entries()].sort(([a], [b]) => a - b).map(([status, n]) => `${status}×${n}`);
  const samples = result.errorSamples.length > 0 ? ` (${result.errorSamples.join('; ')})` : '';
  return `${parts.join(', ') || 'none'}, network errors ${result.errors}${samples}`;
}

export function countStatus(result: Pick<LoadResult, 'statuses'>, predicate: (status: number) => boolean): number {
  let total = 0;
  for (const [status, n] of result.statuses) if (predicate(status)) total += n;
  return total;
}
