/** Statuses Teams asks us to retry (Bot Framework guidance): throttling and transient gateway faults. */
const RETRYABLE = new Set([408, 412, 429, 500, 502, 503, 504]);

export interface SendFailure {
  status?: number;
  retryAfterMs?: number;
  message: string;
}

export interface RetryDecision {
  delayMs: number;
  transient: boolean;
}

const BASE_MS = 1_000;
const MAX_TRANSIENT_MS = 60_000;
/** A permanent-looking failure (403: bot removed from the team) is retried slowly, never dropped. */
const PERMANENT_MS = 5 * 60_000;

/**
 * When to try again. `random` in [0, 1) gives the jitter (full jitter on the exponential step), so
 * many instances or incidents do not retry in lockstep. Retry-After, when given, is a floor.
 */
export function retryDelay(failure: SendFailure, attempts: number, random: number): RetryDecision {
  const transient = failure.status === undefined || RETRYABLE.has(failure.status);
  if (!transient) return { delayMs: PERMANENT_MS, transient };
  const exponential = Math.min(MAX_TRANSIENT_MS, BASE_MS * 2 ** Math.min(attempts, 10));
  const jittered = Math.round(exponential / 2 + (random * exponential) / 2);
  return { delayMs: Math.max(jittered, failure.retryAfterMs ?? 0), transient };
}
