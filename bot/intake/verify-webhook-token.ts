import { createHash, timingSafeEqual } from 'node:crypto';
import { authFailure, type AuthResult } from './auth-result.js';

/**
 * Checks the shared secret an action group passes as `?token=` against ALERT_WEBHOOK_TOKEN.
 * Both sides are hashed first so the comparison is constant-time and equal-length whatever was
 * presented: neither the secret's content nor its length leaks through timing.
 */
export function verifyWebhookToken(presented: string | undefined, expected: string): AuthResult {
  if (presented === undefined || presented === '') {
    return authFailure(
      'missing-credentials',
      'no ?token= on the request: add ?token=<ALERT_WEBHOOK_TOKEN> to the webhook URI of the action group',
    );
  }
  const matches = timingSafeEqual(sha256(presented), sha256(expected));
  if (!matches) {
    return authFailure(
      'bad-credentials',
      'the ?token= value does not match ALERT_WEBHOOK_TOKEN: put the current token in the webhook URI of the action group',
    );
  }
  return { ok: true, method: 'token' };
}

function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
