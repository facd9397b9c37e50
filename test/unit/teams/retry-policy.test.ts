import { describe, expect, it } from 'vitest';
import { toSendError } from '../../../bot/teams/bot-framework-gateway.js';
import { parseRetryAfter } from '../../../bot/teams/retry-after.js';
import { retryDelay } from '../../../bot/teams/retry-policy.js';
import { SendError } from '../../../bot/teams/teams-gateway.js';

const FIVE_MINUTES = 5 * 60_000;

describe('retryDelay', () => {
  it('waits at least Retry-After on a 429', () => {
    expect(retryDelay({ status: 429, retryAfterMs: 5_000, message: 'throttled' }, 0, 0.999)).toEqual({ delayMs: 5_000, transient: true });
    // Retry-After is a floor even beyond the exponential cap.
    expect(retryDelay({ status: 429, retryAfterMs: 120_000, message: 'throttled' }, 0, 0)).toEqual({ delayMs: 120_000, transient: true });
    // A later attempt may wait longer than Retry-After, never shorter.
    expect(retryDelay({ status: 429, retryAfterMs: 1_000, message: 'throttled' }, 5, 0).delayMs).toBeGreaterThanOrEqual(16_000);
  });

  it('backs off a 429 without Retry-After like any transient failure', () => {
    expect(retryDelay({ status: 429, message: 'throttled' }, 0, 0)).toEqual({ delayMs: 500, transient: true });
  });

  it.each([412, 502, 503, 504, undefined])('treats status %s as transient with exponential, jittered, capped growth', (status) => {
    const failure = { status, message: 'transient' };
    // Attempt n waits between half and all of 1 s · 2^n.
    for (const attempts of [0, 1, 2, 3, 4, 5]) {
      const ceiling = 1_000 * 2 ** attempts;
      const low = retryDelay(failure, attempts, 0);
      const high = retryDelay(failure, attempts, 0.999);
      expect(low).toEqual({ delayMs: ceiling / 2, transient: true });
      expect(high.transient).toBe(true);
      expect(high.delayMs).toBeGreaterThan(ceiling * 0.99);
      expect(high.delayMs).toBeLessThanOrEqual(ceiling);
    }
    for (const attempts of [6, 10, 50]) {
      expect(retryDelay(failure, attempts, 0).delayMs).toBe(30_000);
      expect(retryDelay(failure, attempts, 0.999).delayMs).toBeLessThanOrEqual(60_000);
      expect(retryDelay(failure, attempts, 0.999).delayMs).toBeGreaterThan(59_000);
    }
  });

  it('spreads retries with the random value', () => {
    const failure = { status: 503, message: 'busy' };
    expect(retryDelay(failure, 3, 0.25).delayMs).toBe(5_000);
    expect(retryDelay(failure, 3, 0.75).delayMs).toBe(7_000);
  });

  it.each([400, 403, 404])('treats status %s as permanent: retried slowly, not dropped', (status) => {
    for (const attempts of [0, 3, 20]) {
      expect(retryDelay({ status, message: 'refused' }, attempts, 0.5)).toEqual({ delayMs: FIVE_MINUTES, transient: false });
    }
  });

  it('keeps the slow delay for a permanent failure even when Retry-After is shorter', () => {
    expect(retryDelay({ status: 403, retryAfterMs: 1_000, message: 'forbidden' }, 0, 0)).toEqual({ delayMs: FIVE_MINUTES, transient: false });
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-03-01T12:00:00.000Z');

  it('reads delta seconds', () => {
    expect(parseRetryAfter('5', now)).toBe(5_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('1.5', now)).toBe(1_500);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 12:00:30 GMT', now)).toBe(30_000);
  });

  it('never answers a negative wait for a date in the past', () => {
    expect(parseRetryAfter('Sat, 01 Mar 2025 11:59:00 GMT', now)).toBe(0);
  });

  it('answers undefined for garbage', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('tomorrow-ish', now)).toBeUndefined();
  });
});

describe('toSendError', () => {
  function restError(statusCode: number, headers: Record<string, string>): Error {
    const error = new Error(`Request failed with ${statusCode}`);
    return Object.assign(error, {
      name: 'RestError',
      statusCode,
      response: { status: statusCode, headers: { get: (name: string): string | undefined => headers[name.toLowerCase()] } },
    });
  }

  it('reads the status and Retry-After of a RestError', () => {
    const result = toSendError(restError(429, { 'retry-after': '7' }));
    expect(result).toBeInstanceOf(SendError);
    expect(result.status).toBe(429);
    expect(result.retryAfterMs).toBe(7_000);
    expect(result.message).toBe('Request failed with 429');
  });

  it('has no Retry-After when the response has none', () => {
    const result = toSendError(restError(403, {}));
    expect(result.status).toBe(403);
    expect(result.retryAfterMs).toBeUndefined();
  });

  it('treats an error without a status as a network failure', () => {
    const result = toSendError(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:443'), { code: 'ECONNREFUSED' }));
    expect(result.status).toBeUndefined();
    expect(result.retryAfterMs).toBeUndefined();
    expect(result.message).toContain('ECONNREFUSED');
  });

  it('ignores a statusCode that is not a number and headers without get()', () => {
    const result = toSendError(Object.assign(new Error('odd'), { statusCode: '429', response: { headers: { 'retry-after': '5' } } }));
    expect(result.status).toBeUndefined();
    expect(result.retryAfterMs).toBeUndefined();
  });

  it('passes a SendError through and wraps a thrown string', () => {
    const original = new SendError('already typed', 502, 1_000);
    expect(toSendError(original)).toBe(original);
    const wrapped = toSendError('plain failure');
    expect(wrapped.message).toBe('plain failure');
    expect(wrapped.status).toBeUndefined();
  });

  it('keeps long messages short', () => {
    expect(toSendError(new Error('x'.repeat(1_000))).message).toHaveLength(300);
  });
});
