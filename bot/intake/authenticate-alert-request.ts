import type { JWTVerifyGetKey } from 'jose';
import { authFailure, type AuthFailure, type AuthResult } from './auth-result.js';
import { verifySecureWebhook, type SecureWebhookPolicy } from './verify-secure-webhook.js';
import { verifyWebhookToken } from './verify-webhook-token.js';

export interface AlertRequestCredentials {
  query: URLSearchParams;
  headers: Record<string, string | string[] | undefined>;
}

export interface AlertAuthSettings {
  /** ALERT_WEBHOOK_TOKEN */
  token?: string;
  /** ALERT_WEBHOOK_AUDIENCE / ALERT_WEBHOOK_TENANT_ID / AZURE_AUTHORITY_HOST, with the signing keys to use. */
  secureWebhook?: SecureWebhookPolicy & { keys: JWTVerifyGetKey };
}

/**
 * Decides whether a `POST /api/alerts` caller may deliver an alert. With both methods configured,
 * either one passing is enough, so an admin can move an action group from `?token=` to a secure
 * webhook without a window where alerts are refused. With neither configured every caller passes:
 * the config layer allows that only in local mode.
 */
export async function authenticateAlertRequest(
  req: AlertRequestCredentials,
  settings: AlertAuthSettings,
  now: Date,
): Promise<AuthResult> {
  const { token, secureWebhook } = settings;
  if (token === undefined && secureWebhook === undefined) return { ok: true, method: 'none' };

  const failures: AuthFailure[] = [];
  const presentedToken = req.query.get('token') ?? undefined;
  if (token !== undefined && presentedToken !== undefined) {
    const result = verifyWebhookToken(presentedToken, token);
    if (result.ok) return result;
    failures.push(result);
  }
  const authorization = headerValue(req.headers, 'authorization');
  if (secureWebhook !== undefined && authorization !== undefined) {
    const result = await verifySecureWebhook(authorization, secureWebhook, secureWebhook.keys, now);
    if (result.ok) return result;
    failures.push(result);
  }
  if (failures.length === 0) return authFailure('missing-credentials', missingMessage(settings));
  // A key-set outage is retryable (503): the bearer token may well be valid, so say so over a 401.
  const outage = failures.find((failure) => failure.code === 'keys-unavailable');
  if (outage !== undefined) return outage;
  const code = failures.some((failure) => failure.code === 'bad-credentials') ? 'bad-credentials' : 'missing-credentials';
  return authFailure(code, failures.map((failure) => failure.message).join('; '));
}

function missingMessage(settings: AlertAuthSettings): string {
  const accepted = [
    settings.token !== undefined ? '?token=<ALERT_WEBHOOK_TOKEN> on the webhook URI' : undefined,
    settings.secureWebhook !== undefined ? "an Authorization: Bearer token from the action group's Secure Webhook action" : undefined,
  ].filter((text): text is string => text !== undefined);
  return `no webhook credentials on the request: this deployment accepts ${accepted.join(' or ')}`;
}

/**
 * Node lower-cases header names, but fakes and other adapters may not. Repeated Authorization
 * headers are ambiguous: keep them as one value so verification fails rather than picks one.
 */
function headerValue(headers: AlertRequestCredentials['headers'], name: string): string | undefined {
  const key = Object.keys(headers).find((candidate) => candidate.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value.join(', ') : value;
}
