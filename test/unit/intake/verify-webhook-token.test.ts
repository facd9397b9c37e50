import { describe, expect, it } from 'vitest';
import { verifyWebhookToken } from '../../../bot/intake/verify-webhook-token.js';

const expected = 'k7Qf-2mVZ9pL0xYc4R1s';

describe('verifyWebhookToken', () => {
  it('accepts the configured token', () => {
    expect(verifyWebhookToken(expected, expected)).toEqual({ ok: true, method: 'token' });
  });

  it('rejects a different token of the same length without echoing it', () => {
    const presented = 'k7Qf-2mVZ9pL0xYc4R1t';
    const result = verifyWebhookToken(presented, expected);
    expect(result).toMatchObject({ ok: false, code: 'bad-credentials' });
    if (result.ok) return;
    expect(result.message).toContain('does not match ALERT_WEBHOOK_TOKEN');
    expect(result.message).not.toContain(presented);
    expect(result.message).not.toContain(expected);
  });

  it('rejects a prefix and an extension of the token (lengths differ)', () => {
    expect(verifyWebhookToken(expected.slice(0, 5), expected)).toMatchObject({ ok: false, code: 'bad-credentials' });
    expect(verifyWebhookToken(`${expected}x`, expected)).toMatchObject({ ok: false, code: 'bad-credentials' });
  });

  it('compares non-ASCII tokens by their bytes', () => {
    expect(verifyWebhookToken('tökén', 'tökén')).toMatchObject({ ok: true });
    expect(verifyWebhookToken('token', 'tökén')).toMatchObject({ ok: false, code: 'bad-credentials' });
  });

  it('reports a missing or empty token as missing credentials', () => {
    for (const presented of [undefined, '']) {
      const result = verifyWebhookToken(presented, expected);
      expect(result).toMatchObject({ ok: false, code: 'missing-credentials' });
      if (result.ok) return;
      expect(result.message).toContain('?token=');
    }
  });
});
