/**
 * The outcome of checking who called `POST /api/alerts`. A value, not an exception, so the HTTP
 * edge maps it to a status in one place: `missing-credentials` and `bad-credentials` → 401,
 * `keys-unavailable` → 503 with `Retry-After` (Azure Monitor retries 503, never 401).
 *
 * Messages are written for the admin who must fix the setup. They may name claim values (issuer,
 * audience, app id) but never a presented secret or a whole token.
 */
export type AuthResult =
  | {
      ok: true;
      /** `none`: no webhook authentication is configured, which the config layer allows only in local mode. */
      method: 'token' | 'secure-webhook' | 'none';
      /** Who called, when known: the caller's Entra app id for a secure webhook. */
      caller?: string;
    }
  | { ok: false; code: AuthFailureCode; message: string };

export type AuthFailureCode = 'missing-credentials' | 'bad-credentials' | 'keys-unavailable';

export type AuthFailure = Extract<AuthResult, { ok: false }>;

export function authFailure(code: AuthFailureCode, message: string): AuthFailure {
  return { ok: false, code, message };
}
