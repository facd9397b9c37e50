/**
 * Log Analytics serialises `dynamic` columns (LocationDetails, Status, DeviceDetail) to JSON strings
 * in alert search results and dimensions. This reads such a string back to an object. Any other
 * value, plain text included, is given back as it is.
 */

// Bounded so a hostile string stays cheap; real LocationDetails/Status objects are a few hundred bytes.
const MAX_JSON_LENGTH = 4_096;

export function parseJsonObject(value: unknown): unknown {
  if (typeof value !== 'string' || !value.trimStart().startsWith('{')) return value;
  if (value.length > MAX_JSON_LENGTH) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    // Malformed enrichment is ignored, never fatal: the sign-in keeps its other fields.
    return undefined;
  }
}
