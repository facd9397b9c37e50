/**
 * A Graph date-time, or null for "never": Graph writes an unknown time as "" or as
 * 0001-01-01T00:00:00Z (signInActivity does both).
 */
export function graphTime(value: unknown): string | null {
  if (typeof value !== 'string' || value.trim() === '' || value.startsWith('0001-01-01')) return null;
  return Number.isNaN(Date.parse(value)) ? null : value;
}
