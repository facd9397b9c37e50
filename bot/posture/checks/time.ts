const DAY_MS = 24 * 3_600_000;
// Graph answers "" or "0001-01-01T00:00:00Z" for "never"; nothing in Entra predates this.
const EARLIEST_REAL_TIME = Date.UTC(2000, 0, 1);

/** Milliseconds since the epoch, or undefined for missing, unparsable or placeholder times. */
export function parseTime(value: string | null | undefined): number | undefined {
  if (value === null || value === undefined || value.trim() === '') return undefined;
  const time = Date.parse(value);
  return Number.isNaN(time) || time < EARLIEST_REAL_TIME ? undefined : time;
}

/** "2026-11-03 14:02 UTC": precise enough for evidence, short enough for a card. */
export function formatTime(time: number): string {
  return `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function daysToMs(days: number): number {
  return days * DAY_MS;
}

/** Whole days from `earlier` to `later` (0 when later is not after earlier). */
export function wholeDaysBetween(earlier: number, later: number): number {
  return Math.max(0, Math.floor((later - earlier) / DAY_MS));
}
