/**
 * Azure Monitor writes times as ISO 8601 in UTC (`firedDateTime`, `eventTimestamp`, Log Analytics
 * `datetime` columns), sometimes with seven fractional digits or a `+00:00` offset. `new Date()`
 * alone is too lenient for an edge ("1" is the year 2001, "2021-02-30" rolls into March), so the
 * shape is checked first and the calendar date must exist.
 */

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|z|[+-]\d{2}:?\d{2})?$/;

/** The value as `YYYY-MM-DDTHH:mm:ss.sssZ`, or undefined when it is not an ISO 8601 date-time. */
export function toIsoTime(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length > 64) return undefined;
  const text = value.trim();
  const match = ISO_DATE_TIME.exec(text);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, zone] = match;
  if (!dayExists(Number(year), Number(month), Number(day))) return undefined;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? '0') > 59) return undefined;
  // No zone given: the schema says these times are UTC, not the host's local time.
  const parsed = new Date(zone === undefined ? `${text}Z` : text);
  return Number.isNaN(parsed.getTime()) ? undefined : parsed.toISOString();
}

function dayExists(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const probe = new Date(Date.UTC(year, month - 1, day));
  return probe.getUTCDate() === day;
}
