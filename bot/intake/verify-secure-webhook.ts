import {
  createLocalJWKSet,
  createRemoteJWKSet,
  decodeProtectedHeader,
  errors,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { authFailure, type AuthFailure, type AuthResult } from './auth-result.js';

/**
 * Azure Monitor's "secure webhook": the action group obtains a Microsoft Entra token for the
 * receiving app registration and sends it as `Authorization: Bearer <jwt>`. The caller is the
 * "AzNS AAD Webhook" service principal, which the admin assigns the app role below.
 */
export const ACTION_GROUPS_APP_ID = '461e8683-5575-4561-ac7f-899cc907d62a';
export const ACTION_GROUPS_ROLE = 'ActionGroupsSecureWebhook';

export interface SecureWebhookPolicy {
  /** ALERT_WEBHOOK_AUDIENCE: Application ID URI or application (client) id of the receiving app. */
  audience: string;
  /** ALERT_WEBHOOK_TENANT_ID: the directory (tenant) id that issues the tokens. */
  tenantId: string;
  /** AZURE_AUTHORITY_HOST, e.g. https://login.microsoftonline.com */
  authorityHost: string;
}

/** Entra tokens live about an hour; five minutes absorbs clock drift between Azure and this host. */
const CLOCK_TOLERANCE_SECONDS = 300;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const BEARER = /^Bearer +(\S+)$/i;

/** Thrown from inside the key resolver so a fetch failure is told apart from a bad token. */
class SigningKeysUnavailable extends Error {}

export async function verifySecureWebhook(
  authorizationHeader: string | undefined,
  policy: SecureWebhookPolicy,
  keys: JWTVerifyGetKey,
  now: Date,
): Promise<AuthResult> {
  if (authorizationHeader === undefined || authorizationHeader.trim() === '') {
    return authFailure(
      'missing-credentials',
      `no Authorization header: make the action group's action a Secure Webhook for the app registration (role ${ACTION_GROUPS_ROLE})`,
    );
  }
  const bearer = BEARER.exec(authorizationHeader.trim());
  if (bearer === null || bearer[1] === undefined) {
    const scheme = authorizationHeader.trim().split(/\s+/, 1)[0] ?? '';
    return authFailure(
      'bad-credentials',
      `Authorization header is not "Bearer <token>" (scheme ${clean(scheme, 16)}): only Azure Monitor's secure webhook token is accepted here`,
    );
  }
  const token = bearer[1];
  let claims: JWTPayload;
  try {
    const verified = await jwtVerify(token, guardKeys(keys), {
      algorithms: ['RS256'],
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['exp'],
    });
    claims = verified.payload;
  } catch (error) {
    return explainVerifyError(error, token, policy, now);
  }
  return checkClaims(claims, policy);
}

/**
 * Microsoft Entra ID's signing keys for the tenant. Keys are cached for hours (Entra announces
 * rotations well ahead) and re-fetched at most once a minute when a token names an unknown key id.
 * If a refresh fails while older keys are at hand, those keep verifying: an Entra outage must not
 * turn every alert away.
 */
export function entraSigningKeys(authorityHost: string, tenantId: string): JWTVerifyGetKey {
  const url = new URL(`${trimSlashes(authorityHost)}/${encodeURIComponent(tenantId)}/discovery/v2.0/keys`);
  const remote = createRemoteJWKSet(url, {
    cacheMaxAge: 6 * 60 * 60 * 1000,
    cooldownDuration: 60 * 1000,
    timeoutDuration: 5000,
  });
  return async (header, token) => {
    try {
      return await remote(header, token);
    } catch (error) {
      const stale = remote.jwks();
      if (isKeySelectionError(error) || stale === undefined) throw error;
      try {
        return await createLocalJWKSet(stale)(header, token);
      } catch (staleError) {
        // An unknown key id while Entra is unreachable may be a rotation we could not see: report
        // the outage (retryable), not a forgery.
        throw staleError instanceof errors.JWKSNoMatchingKey ? error : staleError;
      }
    }
  };
}

function guardKeys(keys: JWTVerifyGetKey): JWTVerifyGetKey {
  return async (header, token) => {
    try {
      return await keys(header, token);
    } catch (error) {
      if (isKeySelectionError(error)) throw error;
      throw new SigningKeysUnavailable(describeFetchFailure(error), { cause: error });
    }
  };
}

/** Errors that mean "this token names no usable key", as opposed to "the key set could not be had". */
function isKeySelectionError(error: unknown): boolean {
  return (
    error instanceof errors.JWKSNoMatchingKey ||
    error instanceof errors.JWKSMultipleMatchingKeys ||
    error instanceof errors.JOSENotSupported
  );
}

function explainVerifyError(error: unknown, token: string, policy: SecureWebhookPolicy, now: Date): AuthFailure {
  if (error instanceof SigningKeysUnavailable) {
    return authFailure(
      'keys-unavailable',
      `could not fetch the Microsoft Entra ID signing keys for tenant ${clean(policy.tenantId)} (${error.message}): check that this host reaches AZURE_AUTHORITY_HOST (${clean(policy.authorityHost)}) over HTTPS`,
    );
  }
  if (error instanceof errors.JOSEAlgNotAllowed) {
    return authFailure(
      'bad-credentials',
      `token is signed with alg ${clean(headerValue(token, 'alg'), 16)}: only RS256 tokens issued by Microsoft Entra ID are accepted`,
    );
  }
  if (error instanceof errors.JWKSNoMatchingKey || error instanceof errors.JWKSMultipleMatchingKeys) {
    return authFailure(
      'bad-credentials',
      `token is signed by key ${clean(headerValue(token, 'kid'), 64)}, which is not among Microsoft Entra ID's signing keys at ${clean(policy.authorityHost)}: it was not issued by Entra ID for this cloud (check AZURE_AUTHORITY_HOST)`,
    );
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return authFailure('bad-credentials', "token signature does not verify against Microsoft Entra ID's signing keys");
  }
  if (error instanceof errors.JWTExpired) {
    return authFailure(
      'bad-credentials',
      `token expired at ${claimTime(error.payload.exp)} (this host's clock says ${now.toISOString()}, tolerance ${CLOCK_TOLERANCE_SECONDS} s)`,
    );
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') {
      return authFailure(
        'bad-credentials',
        `token is not valid before ${claimTime(error.payload.nbf)} (this host's clock says ${now.toISOString()}): check this host's clock`,
      );
    }
    return authFailure('bad-credentials', `token claim ${clean(error.claim, 16)} is invalid: ${clean(error.reason, 32)}`);
  }
  if (error instanceof errors.JOSEError) {
    return authFailure('bad-credentials', 'Authorization header does not carry a well-formed signed JWT');
  }
  const reason = error instanceof Error ? error.message : String(error);
  return authFailure('bad-credentials', `token could not be verified: ${clean(reason)}`);
}

function checkClaims(claims: JWTPayload, policy: SecureWebhookPolicy): AuthResult {
  const tenant = policy.tenantId.toLowerCase();
  const authority = trimSlashes(policy.authorityHost);
  const v1Issuer = `https://sts.windows.net/${tenant}/`;
  const v2Issuer = `${authority}/${tenant}/v2.0`;
  const issuer = typeof claims.iss === 'string' ? claims.iss : '';
  const version = sameText(issuer, v1Issuer) ? 1 : sameText(issuer, v2Issuer) ? 2 : undefined;
  if (version === undefined) {
    return authFailure(
      'bad-credentials',
      `token issuer is ${clean(issuer || '(none)')}, expected ${v1Issuer} or ${v2Issuer}: set ALERT_WEBHOOK_TENANT_ID to the directory (tenant) id GUID of the tenant that holds the app registration`,
    );
  }
  if (claims.tid !== undefined && !sameText(String(claims.tid), tenant)) {
    return authFailure(
      'bad-credentials',
      `token tenant (tid) is ${clean(claims.tid)}, expected ${clean(tenant)}: set ALERT_WEBHOOK_TENANT_ID to the tenant that holds the app registration`,
    );
  }
  const audiences = typeof claims.aud === 'string' ? [claims.aud] : (claims.aud ?? []);
  const accepted = acceptedAudiences(policy.audience);
  if (!audiences.some((aud) => accepted.some((ok) => sameText(aud, ok)))) {
    return authFailure(
      'bad-credentials',
      `token audience is ${clean(audiences.join(', ') || '(none)')}, expected ${clean(policy.audience)}: set ALERT_WEBHOOK_AUDIENCE to the Application ID URI (or application id) of the app registration the action group's secure webhook uses`,
    );
  }
  const callerClaim = version === 1 ? 'appid' : 'azp';
  const caller = claims[callerClaim];
  if (typeof caller !== 'string' || !sameText(caller, ACTION_GROUPS_APP_ID)) {
    return authFailure(
      'bad-credentials',
      `token was issued to app ${clean(caller ?? '(none)')} (${callerClaim}), not to Azure Monitor action groups (AzNS AAD Webhook, ${ACTION_GROUPS_APP_ID}): only an action group's secure webhook may call this endpoint`,
    );
  }
  const roles = Array.isArray(claims.roles) ? claims.roles : [];
  if (!roles.includes(ACTION_GROUPS_ROLE)) {
    return authFailure(
      'bad-credentials',
      `token lacks the ${ACTION_GROUPS_ROLE} role: define that app role on the app registration and assign it to the AzNS AAD Webhook service principal (${ACTION_GROUPS_APP_ID})`,
    );
  }
  return { ok: true, method: 'secure-webhook', caller: caller.toLowerCase() };
}

/** A client id and its default `api://<client id>` URI name the same app: accept either form. */
function acceptedAudiences(configured: string): string[] {
  const bare = configured.replace(/^api:\/\//i, '');
  return GUID.test(bare) ? [bare, `api://${bare}`] : [configured];
}

function headerValue(token: string, name: 'alg' | 'kid'): string {
  try {
    const value = decodeProtectedHeader(token)[name];
    return typeof value === 'string' ? value : '(none)';
  } catch (error) {
    // Only for the message: an unreadable header is worth naming, not worth throwing over.
    return `(unreadable: ${error instanceof Error ? error.name : 'unknown error'})`;
  }
}

function describeFetchFailure(error: unknown): string {
  if (error instanceof errors.JWKSTimeout) return 'the request timed out';
  if (!(error instanceof Error)) return clean(String(error));
  const cause: unknown = error.cause;
  const code =
    typeof cause === 'object' && cause !== null && 'code' in cause && typeof cause.code === 'string'
      ? ` ${cause.code}`
      : '';
  return clean(`${error.message}${code}`);
}

function claimTime(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? new Date(value * 1000).toISOString() : '(unknown)';
}

/** Claim values come from outside: keep them printable and short before they reach a message or log. */
function clean(value: unknown, max = 120): string {
  const text = String(value).replace(/[^\x20-\x7e]/g, '?');
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function sameText(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function trimSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}
