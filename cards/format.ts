import type { Subject } from '../bot/intake/alert.js';

/**
 * Text helpers for cards. Everything here is pure: times are formatted from the ISO string
 * itself (never from the clock or the machine's time zone), so a card renders the same anywhere.
 */

const ISO_UTC = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$/i;

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * "2026-11-22T14:03:27.1234567Z" → "2026-11-22 14:03 UTC". Parsed by hand rather than with
 * `Date.parse` because Azure writes seven fractional digits and offset-less times that engines
 * disagree on. A time without an offset is UTC (Azure Monitor's convention). Anything
 * unreadable comes back unchanged so nothing the alert said is lost.
 */
export function formatUtc(iso: string): string {
  const millis = parseUtcMillis(iso);
  if (millis === undefined) return iso;
  const at = new Date(millis);
  return `${at.getUTCFullYear()}-${pad(at.getUTCMonth() + 1)}-${pad(at.getUTCDate())} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())} UTC`;
}

/** Milliseconds since the epoch for an ISO time read the way `formatUtc` reads it; undefined when unreadable. */
export function parseUtcMillis(iso: string): number | undefined {
  const m = ISO_UTC.exec(iso.trim());
  if (!m) return undefined;
  const [year, month, day, hour, minute] = [m[1], m[2], m[3], m[4], m[5]].map(Number);
  const second = Number(m[6] ?? '0');
  if (
    year === undefined || month === undefined || day === undefined || hour === undefined || minute === undefined ||
    !(month >= 1 && month <= 12 && day >= 1 && day <= 31 && hour <= 23 && minute <= 59 && second <= 60)
  ) {
    return undefined;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second) - parseOffset(m[7]) * 60_000;
}

/**
 * A duration as a responder says it: "under a minute", "1 minute", "60 minutes", "3 hours",
 * "2 days". Minutes up to two hours, because "90 minutes" is what an escalation policy counts in.
 */
export function describeDuration(ms: number): string {
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return 'under a minute';
  if (minutes < 120) return plural(minutes, 'minute');
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return plural(hours, 'hour');
  return plural(Math.floor(hours / 24), 'day');
}

/** "1 occurrence", "3 occurrences". */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function parseOffset(zone: string | undefined): number {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
}

// Control characters (a newline would let "- " or "# " start a list or heading) and bidi
// overrides (which can make "moc.live@admin" read as something else) are replaced by spaces.
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]+/g;
// `<` too: Teams turns a literal "<at>Name</at>" into a mention when the card names that person.
const MARKDOWN_PUNCTUATION = /[\\`*_~[\]()#<>]/g;

/**
 * Makes text from outside (UPNs, app names, locations, responder names) render literally in
 * a TextBlock or FactSet, both of which Teams renders as markdown: `[click](http://evil)` must
 * not become a link, `**` must not shout, a leading "1." or "-" must not become a list.
 */
export function escapeMarkdown(s: string): string {
  return s
    .replace(UNSAFE_CHARACTERS, ' ')
    .replace(MARKDOWN_PUNCTUATION, (c) => `\\${c}`)
    .replace(/^(\s*)([-+])/, '$1\\$2')
    // "1. x" starts a list, "203.0.113.45" does not: only a number followed by a space is a marker.
    .replace(/^(\s*\d+)\.(?=\s|$)/, '$1\\.');
}

/** Shortens to at most `max` characters (counted in code points, so no emoji is cut in half). */
export function truncate(s: string, max: number): string {
  const chars = Array.from(s);
  if (chars.length <= max) return s;
  return `${chars.slice(0, Math.max(0, max - 1)).join('')}…`;
}

/** Untrusted text ready for a card: capped first, then escaped, so no escape is cut in half. */
export function safeText(s: string, max: number): string {
  return escapeMarkdown(truncate(s.trim(), max));
}

/** SigninLogs ResultType "0" is success; anything else is an error code. */
export function describeResult(resultType?: string, description?: string): string {
  const code = resultType?.trim();
  if (code === undefined || code === '') return 'Not reported';
  if (code === '0') return 'Success';
  const why = description?.trim();
  return why ? `Failure ${code}: ${why}` : `Failure ${code}`;
}

/** Names who or what an incident is about, in the words a responder would use. */
export function describeSubject(subject: Subject): string {
  switch (subject.kind) {
    case 'user': {
      if (subject.upn && subject.objectId) return `${subject.upn} (object id ${subject.objectId})`;
      if (subject.upn) return subject.upn;
      if (subject.objectId) return `Object id ${subject.objectId}`;
      return subject.key;
    }
    case 'service-principal':
      return subject.displayName ? `App ${subject.displayName} (app id ${subject.appId})` : `App id ${subject.appId}`;
    case 'monitoring':
      return `No account named (alert rule ${subject.ruleName})`;
    default: {
      const unreachable: never = subject;
      return unreachable;
    }
  }
}

// An over-long link is more likely junk than a query link; dropping it keeps the card small.
const MAX_URL = 2048;

/** Only https links of sane length: an alert field must not become a javascript: or phishing-length URL. */
export function safeUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length > MAX_URL) return undefined;
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return url.protocol === 'https:' ? url.toString() : undefined;
}
