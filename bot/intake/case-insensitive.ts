/**
 * Case-insensitive reading of untrusted JSON objects.
 *
 * Azure Monitor spells the same field differently across alert kinds and samples (`SearchResults`
 * and `searchResults`, `alertTargetIDs` and `alertTargetIds`, `IPAddress` and `IpAddress`), so every
 * field is looked up by its lower-cased name. Only own enumerable keys are read and values land in a
 * `Map`, never in an object, so keys such as `__proto__` or `constructor` are plain data here.
 */

/** An object's own fields, keyed by lower-cased name. */
export type Fields = ReadonlyMap<string, unknown>;

const EMPTY: Fields = new Map();

/** A plain JSON-like object (not null, not an array), or undefined. */
export function asRecord(value: unknown): object | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

/** Indexes an object's own fields by lower-cased name; the first spelling met wins. */
export function fieldsOf(value: unknown): Fields {
  const record = asRecord(value);
  if (record === undefined) return EMPTY;
  const fields = new Map<string, unknown>();
  for (const [key, entry] of Object.entries(record)) {
    const lower = key.toLowerCase();
    if (!fields.has(lower)) fields.set(lower, entry);
  }
  return fields;
}

/** The first of `names` (in order of preference) that holds something other than null/undefined. */
export function field(fields: Fields, ...names: readonly string[]): unknown {
  for (const name of names) {
    const value = fields.get(name.toLowerCase());
    if (value !== undefined && value !== null) return value;
  }
  return undefined;
}

/** Follows a path of field names, case-insensitively, through nested objects. */
export function fieldAt(value: unknown, ...path: readonly string[]): unknown {
  let current: unknown = value;
  for (const name of path) {
    current = field(fieldsOf(current), name);
    if (current === undefined) return undefined;
  }
  return current;
}

/** The value if it is an array, else an empty array (wrong-typed enrichment is ignored). */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
