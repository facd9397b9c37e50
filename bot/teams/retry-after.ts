/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(raw: string, now = Date.now()): number | undefined {
  const seconds = Number(raw);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(raw);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
