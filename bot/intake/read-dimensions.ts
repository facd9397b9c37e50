import { asArray, field, fieldsOf, type Fields } from './case-insensitive.js';

// Azure allows six dimensions per rule; the caps only bound the work a forged payload can cause.
const MAX_LISTS = 64;
const MAX_DIMENSIONS = 64;

/**
 * Merges `[{name, value}]` dimension lists (one per V2 condition, or V1's `Dimensions`) into one
 * set of fields keyed by lower-cased name. The first value for a name wins; entries without a
 * string name are skipped.
 */
export function readDimensions(lists: readonly unknown[]): Fields {
  const fields = new Map<string, unknown>();
  for (const list of lists.slice(0, MAX_LISTS)) {
    for (const entry of asArray(list).slice(0, MAX_DIMENSIONS)) {
      const dimension = fieldsOf(entry);
      const name = field(dimension, 'name');
      if (typeof name !== 'string') continue;
      const key = name.trim().toLowerCase();
      if (key !== '' && !fields.has(key)) fields.set(key, field(dimension, 'value'));
    }
  }
  return fields;
}
