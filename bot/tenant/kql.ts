/**
 * Values from outside (configured UPNs, object ids, alert dimensions) reach a KQL query only through
 * these functions. A KQL string literal ends at its quote and a `|` after it starts a new operator,
 * so an unescaped `x' or 1==1 | union SigninLogs //` would rewrite the query. Control characters are
 * stripped first: KQL has no escape for most of them and a newline could end a `//` comment early.
 */

/** Longest value accepted: UPNs are at most 113 characters, ids 36; anything longer is not an account. */
export const MAX_KQL_VALUE_LENGTH = 256;

// C0/C1 controls, line/paragraph separators, bidi overrides and lone surrogates (not valid UTF-16 text).
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** The value with unsafe characters removed and trimmed; undefined when nothing usable is left or it is too long. */
export function cleanKqlValue(value: string): string | undefined {
  const cleaned = value.replace(UNSAFE, '').trim();
  if (cleaned === '' || cleaned.length > MAX_KQL_VALUE_LENGTH) return undefined;
  return cleaned;
}

/** A single-quoted KQL string literal: `\` and `'` escaped with a backslash. Throws on a value cleanKqlValue rejects. */
export function kqlString(value: string): string {
  const cleaned = requireClean(value);
  return `'${cleaned.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/**
 * `dynamic(["a", "b"])` from validated strings: after cleaning, JSON.stringify can only emit `\"` and
 * `\\` escapes, which KQL reads the same way, so each value stays one string literal. Duplicates
 * (case-insensitive) are dropped; values cleanKqlValue rejects are left out.
 */
export function kqlDynamicStrings(values: readonly string[]): string {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const value of values) {
    const cleaned = cleanKqlValue(value);
    if (cleaned === undefined || seen.has(cleaned.toLowerCase())) continue;
    seen.add(cleaned.toLowerCase());
    kept.push(cleaned);
  }
  return `dynamic([${kept.map((value) => JSON.stringify(value)).join(', ')}])`;
}

/** A KQL datetime literal from a valid Date (ISO 8601 UTC, made by us, never from input text). */
export function kqlDatetime(value: Date): string {
  if (Number.isNaN(value.getTime())) throw new RangeError('kqlDatetime: invalid date');
  return `datetime(${value.toISOString()})`;
}

function requireClean(value: string): string {
  const cleaned = cleanKqlValue(value);
  if (cleaned === undefined) throw new RangeError(`not a usable KQL value (empty, control characters only, or over ${MAX_KQL_VALUE_LENGTH} characters)`);
  return cleaned;
}
