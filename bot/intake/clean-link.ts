/**
 * Links from an alert end up as buttons on a card, so only absolute https URLs pass: a
 * `javascript:` or `file:` link from a forged payload must never become clickable. Search-result
 * links carry the whole encoded query and can be long, so they get a larger cap than text, and an
 * overlong link is dropped rather than cut (a cut URL is a broken one).
 */

const MAX_LINK_LENGTH = 8_192;

export function cleanLink(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text === '' || text.length > MAX_LINK_LENGTH) return undefined;
  if (!URL.canParse(text)) return undefined;
  const url = new URL(text);
  // href, not the raw text: the URL parser has already dropped or escaped any control character.
  return url.protocol === 'https:' ? url.href : undefined;
}
