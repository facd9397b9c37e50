import { describe, expect, it } from 'vitest';
import {
  describeDuration,
  describeResult,
  describeSubject,
  escapeMarkdown,
  formatUtc,
  parseUtcMillis,
  plural,
  safeText,
  safeUrl,
  truncate,
} from '../../../cards/format.js';

describe('formatUtc', () => {
  it('formats an ISO UTC time to the minute', () => {
    expect(formatUtc('2026-11-22T14:03:27Z')).toBe('2026-11-22 14:03 UTC');
  });

  it("reads Azure's seven fractional digits", () => {
    expect(formatUtc('2026-11-22T14:03:27.1234567Z')).toBe('2026-11-22 14:03 UTC');
  });

  it('converts an offset to UTC, across midnight', () => {
    expect(formatUtc('2026-11-23T01:30:00+02:00')).toBe('2026-11-22 23:30 UTC');
    expect(formatUtc('2026-11-22T23:30:00-0130')).toBe('2026-11-23 01:00 UTC');
  });

  it('takes a time without an offset as UTC', () => {
    expect(formatUtc('2026-11-22 09:05:00')).toBe('2026-11-22 09:05 UTC');
  });

  it('returns what it cannot read unchanged', () => {
    expect(formatUtc('yesterday')).toBe('yesterday');
    expect(formatUtc('2026-13-22T14:03:27Z')).toBe('2026-13-22T14:03:27Z');
  });
});

describe('parseUtcMillis', () => {
  it('reads what formatUtc reads, offsets included', () => {
    expect(parseUtcMillis('2026-11-22T14:03:27.1234567Z')).toBe(Date.UTC(2026, 10, 22, 14, 3, 27));
    expect(parseUtcMillis('2026-11-23T01:30:00+02:00')).toBe(Date.UTC(2026, 10, 22, 23, 30, 0));
  });

  it('gives up on anything else', () => {
    expect(parseUtcMillis('60 minutes ago')).toBeUndefined();
    expect(parseUtcMillis('2026-02-30T25:00:00Z')).toBeUndefined();
  });
});

describe('describeDuration and plural', () => {
  it('counts minutes up to two hours, then hours, then days', () => {
    expect(describeDuration(-5_000)).toBe('under a minute');
    expect(describeDuration(59_999)).toBe('under a minute');
    expect(describeDuration(60_000)).toBe('1 minute');
    expect(describeDuration(60 * 60_000)).toBe('60 minutes');
    expect(describeDuration(119 * 60_000)).toBe('119 minutes');
    expect(describeDuration(120 * 60_000)).toBe('2 hours');
    expect(describeDuration(47 * 3_600_000)).toBe('47 hours');
    expect(describeDuration(50 * 3_600_000)).toBe('2 days');
  });

  it('pluralises by count', () => {
    expect(plural(1, 'occurrence')).toBe('1 occurrence');
    expect(plural(0, 'occurrence')).toBe('0 occurrences');
    expect(plural(3, 'open incident')).toBe('3 open incidents');
  });
});

describe('safeUrl', () => {
  it('keeps https links and drops every other scheme, junk and overlong links', () => {
    expect(safeUrl('https://learn.microsoft.com/a?b=c')).toBe('https://learn.microsoft.com/a?b=c');
    for (const bad of ['http://example.com', 'javascript:alert(1)', 'not a url', `https://x.example/${'a'.repeat(2100)}`, undefined]) {
      expect(safeUrl(bad)).toBeUndefined();
    }
  });
});

describe('escapeMarkdown', () => {
  it('turns a markdown link into literal text', () => {
    expect(escapeMarkdown('[click](http://evil)')).toBe('\\[click\\]\\(http://evil\\)');
  });

  it('escapes emphasis, code, strike, headings, quotes and backslashes', () => {
    expect(escapeMarkdown('**a** _b_ `c` ~d~ #e >f \\g')).toBe('\\*\\*a\\*\\* \\_b\\_ \\`c\\` \\~d\\~ \\#e \\>f \\\\g');
  });

  it('keeps a leading dash, plus or number from starting a list', () => {
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('+ item')).toBe('\\+ item');
    expect(escapeMarkdown('12. item')).toBe('12\\. item');
    expect(escapeMarkdown('a - b 1. c')).toBe('a - b 1. c');
    expect(escapeMarkdown('203.0.113.45')).toBe('203.0.113.45');
    expect(escapeMarkdown('7.')).toBe('7\\.');
  });

  it('flattens newlines and strips bidi overrides so no new block can start', () => {
    expect(escapeMarkdown('ok\n# Approved\r\n- x')).toBe('ok \\# Approved - x');
    expect(escapeMarkdown('admin\u202Emoc.live')).toBe('admin moc.live');
  });

  it('escapes < so outside text cannot smuggle in a Teams <at> mention', () => {
    expect(escapeMarkdown('<at>Ada</at>')).toBe('\\<at\\>Ada\\</at\\>');
  });

  it('leaves an ordinary UPN alone', () => {
    expect(escapeMarkdown('bg1@contoso.onmicrosoft.com')).toBe('bg1@contoso.onmicrosoft.com');
  });
});

describe('truncate and safeText', () => {
  it('caps long text with an ellipsis, counting code points', () => {
    expect(truncate('abcdef', 4)).toBe('abc…');
    expect(truncate('abc', 4)).toBe('abc');
    expect(truncate('😀😀😀', 2)).toBe('😀…');
  });

  it('caps before escaping so an escape is never cut in half', () => {
    expect(safeText('[[[[[[', 4)).toBe('\\[\\[\\[…');
  });
});

describe('describeResult', () => {
  it('says Success for ResultType "0"', () => {
    expect(describeResult('0', 'ignored')).toBe('Success');
  });

  it('names the failure code and description', () => {
    expect(describeResult('50126', 'Invalid username or password.')).toBe('Failure 50126: Invalid username or password.');
    expect(describeResult('53003')).toBe('Failure 53003');
  });

  it('says when the alert did not report a result', () => {
    expect(describeResult(undefined)).toBe('Not reported');
    expect(describeResult(' ')).toBe('Not reported');
  });
});

describe('describeSubject', () => {
  it('names a user by UPN and object id', () => {
    expect(describeSubject({ kind: 'user', key: 'user:a', upn: 'bg1@contoso.onmicrosoft.com', objectId: '3f0c' })).toBe(
      'bg1@contoso.onmicrosoft.com (object id 3f0c)',
    );
    expect(describeSubject({ kind: 'user', key: 'user:a', upn: 'bg1@contoso.onmicrosoft.com' })).toBe('bg1@contoso.onmicrosoft.com');
    expect(describeSubject({ kind: 'user', key: 'user:3f0c', objectId: '3f0c' })).toBe('Object id 3f0c');
    expect(describeSubject({ kind: 'user', key: 'user:3f0c' })).toBe('user:3f0c');
  });

  it('names a service principal by display name and app id', () => {
    expect(describeSubject({ kind: 'service-principal', key: 'sp:1', appId: '1', displayName: 'BG App' })).toBe('App BG App (app id 1)');
    expect(describeSubject({ kind: 'service-principal', key: 'sp:1', appId: '1' })).toBe('App id 1');
  });

  it('says when the alert names no account', () => {
    expect(describeSubject({ kind: 'monitoring', key: 'rule:r', ruleName: 'Diag deleted' })).toBe(
      'No account named (alert rule Diag deleted)',
    );
  });
});
