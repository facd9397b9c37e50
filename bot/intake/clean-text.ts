/**
 * Every string taken from an alert passes through here before it can reach a card, a log line or
 * the store: control and bidirectional-override characters become spaces (no forged log lines, no
 * text that renders reversed), whitespace is trimmed, and the length is capped so a hostile or
 * broken payload cannot blow up a card (Teams caps a bot message at about 80 KB).
 */

export const MAX_TEXT_LENGTH = 1_024;

// C0/C1 controls, line/paragraph separators and the Unicode bidi embedding/override/isolate marks.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** A cleaned, non-empty string, or undefined when the value is not a string or is blank. */
export function cleanText(value: unknown, maxLength: number = MAX_TEXT_LENGTH): string | undefined {
  if (typeof value !== 'string') return undefined;
  const cleaned = value.slice(0, maxLength * 2).replace(UNSAFE, ' ').trim();
  if (cleaned === '') return undefined;
  if (cleaned.length <= maxLength) return cleaned;
  // Cut before a split surrogate pair, so the text stays valid UTF-16 for JSON and logs.
  const cut = cleaned.slice(0, maxLength - 1).replace(/[\ud800-\udbff]$/, '');
  return `${cut}…`;
}

/** Like `cleanText`, but also accepts a finite number (Log Analytics may type codes as numbers). */
export function cleanTextOrNumber(value: unknown): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return cleanText(value);
}

/** A short, safe rendering of a value for an error message: never the whole value. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') {
    const shown = cleanText(value, 60);
    return shown === undefined ? 'an empty string' : JSON.stringify(shown);
  }
  if (typeof value === 'number' || typeof value === 'boolean') return `${typeof value} ${String(value)}`;
  return typeof value === 'object' ? 'an object' : typeof value;
}
