import { createLocalJWKSet, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTVerifyGetKey } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { authenticateAlertRequest, type AlertAuthSettings } from '../../../bot/intake/authenticate-alert-request.js';
import type { AuthResult } from '../../../bot/intake/auth-result.js';
import { ACTION_GROUPS_APP_ID } from '../../../bot/intake/verify-secure-webhook.js';

const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '0b8c5f5e-6a3e-4f0e-9a43-1f6d2c8e7a11';
const now = new Date('2026-03-01T12:00:00Z');
const epoch = Math.floor(now.getTime() / 1000);
const secret = 'k7Qf-2mVZ9pL0xYc4R1s';

let signingKey: CryptoKey;
let keys: JWTVerifyGetKey;
let bearer: string;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256');
  signingKey = pair.privateKey;
  keys = createLocalJWKSet({ keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'entra-1' }] });
  bearer = `Bearer ${await signToken(clientId)}`;
});

function signToken(audience: string): Promise<string> {
  return new SignJWT({
    iss: `https://sts.windows.net/${tenantId}/`,
    aud: audience,
    tid: tenantId,
    appid: ACTION_GROUPS_APP_ID,
    roles: ['ActionGroupsSecureWebhook'],
    nbf: epoch - 60,
    exp: epoch + 3600,
  })
    .setProtectedHeader({ alg: 'RS256', kid: 'entra-1' })
    .sign(signingKey);
}

function secureWebhook(getKey: JWTVerifyGetKey = keys): NonNullable<AlertAuthSettings['secureWebhook']> {
  return { audience: clientId, tenantId, authorityHost: 'https://login.microsoftonline.com', keys: getKey };
}

function request(query: string, headers: Record<string, string | string[] | undefined> = {}) {
  return { query: new URLSearchParams(query), headers };
}

function expectFailure(result: AuthResult, code: string, phrase: string): void {
  expect(result).toMatchObject({ ok: false, code });
  if (result.ok) return;
  expect(result.message).toContain(phrase);
}

describe('authenticateAlertRequest', () => {
  it('lets every caller in when no webhook authentication is configured (local mode)', async () => {
    expect(await authenticateAlertRequest(request(''), {}, now)).toEqual({ ok: true, method: 'none' });
  });

  describe('token only', () => {
    const settings: AlertAuthSettings = { token: secret };

    it('accepts the right ?token=', async () => {
      expect(await authenticateAlertRequest(request(`token=${secret}`), settings, now)).toEqual({ ok: true, method: 'token' });
    });

    it('rejects a wrong ?token=', async () => {
      expectFailure(await authenticateAlertRequest(request('token=nope'), settings, now), 'bad-credentials', 'ALERT_WEBHOOK_TOKEN');
    });

    it('reports no ?token= as missing, naming what is accepted', async () => {
      const result = await authenticateAlertRequest(request('', { authorization: bearer }), settings, now);
      expectFailure(result, 'missing-credentials', 'accepts ?token=<ALERT_WEBHOOK_TOKEN>');
      if (!result.ok) expect(result.message).not.toContain('Bearer token');
    });
  });

  describe('secure webhook only', () => {
    it('accepts a valid bearer token', async () => {
      const result = await authenticateAlertRequest(request('', { authorization: bearer }), { secureWebhook: secureWebhook() }, now);
      expect(result).toMatchObject({ ok: true, method: 'secure-webhook', caller: ACTION_GROUPS_APP_ID });
    });

    it('finds the header whatever its case', async () => {
      const result = await authenticateAlertRequest(request('', { Authorization: bearer }), { secureWebhook: secureWebhook() }, now);
      expect(result).toMatchObject({ ok: true, method: 'secure-webhook' });
    });

    it('ignores ?token= when no token is configured', async () => {
      const result = await authenticateAlertRequest(request(`token=${secret}`), { secureWebhook: secureWebhook() }, now);
      expectFailure(result, 'missing-credentials', "Bearer token from the action group's Secure Webhook");
    });

    it('refuses repeated Authorization headers rather than picking one', async () => {
      const result = await authenticateAlertRequest(
        request('', { authorization: [bearer, bearer] }),
        { secureWebhook: secureWebhook() },
        now,
      );
      expect(result).toMatchObject({ ok: false, code: 'bad-credentials' });
    });
  });

  describe('both configured (migration)', () => {
    it('accepts a valid bearer token next to a wrong ?token=', async () => {
      const settings = { token: secret, secureWebhook: secureWebhook() };
      const result = await authenticateAlertRequest(request('token=nope', { authorization: bearer }), settings, now);
      expect(result).toMatchObject({ ok: true, method: 'secure-webhook' });
    });

    it('accepts the right ?token= next to an invalid bearer token', async () => {
      const settings = { token: secret, secureWebhook: secureWebhook() };
      const result = await authenticateAlertRequest(request(`token=${secret}`, { authorization: 'Bearer junk' }), settings, now);
      expect(result).toEqual({ ok: true, method: 'token' });
    });

    it('reports both reasons when both fail', async () => {
      const settings = { token: secret, secureWebhook: secureWebhook() };
      const wrongAudience = `Bearer ${await signToken('api://someone-else')}`;
      const result = await authenticateAlertRequest(request('token=nope', { authorization: wrongAudience }), settings, now);
      expectFailure(result, 'bad-credentials', 'does not match ALERT_WEBHOOK_TOKEN');
      expectFailure(result, 'bad-credentials', 'token audience is api://someone-else');
    });

    it('reports a key-set outage over a wrong ?token=, so Azure Monitor retries', async () => {
      const down: JWTVerifyGetKey = async () => {
        throw new TypeError('fetch failed');
      };
      const settings = { token: secret, secureWebhook: secureWebhook(down) };
      const result = await authenticateAlertRequest(request('token=nope', { authorization: bearer }), settings, now);
      expectFailure(result, 'keys-unavailable', 'fetch failed');
    });

    it('reports no credentials as missing, naming both ways in', async () => {
      const settings = { token: secret, secureWebhook: secureWebhook() };
      const result = await authenticateAlertRequest(request(''), settings, now);
      expectFailure(result, 'missing-credentials', "?token=<ALERT_WEBHOOK_TOKEN> on the webhook URI or an Authorization: Bearer");
    });
  });
});
