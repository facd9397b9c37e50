import { createServer, type Server } from 'node:http';
import {
  createLocalJWKSet,
  exportJWK,
  exportSPKI,
  generateKeyPair,
  SignJWT,
  type CryptoKey,
  type JSONWebKeySet,
  type JWTPayload,
  type JWTVerifyGetKey,
} from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AuthResult } from '../../../bot/intake/auth-result.js';
import {
  ACTION_GROUPS_APP_ID,
  entraSigningKeys,
  verifySecureWebhook,
  type SecureWebhookPolicy,
} from '../../../bot/intake/verify-secure-webhook.js';

const tenantId = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const clientId = '0b8c5f5e-6a3e-4f0e-9a43-1f6d2c8e7a11';
const authority = 'https://login.microsoftonline.com';
const now = new Date('2026-03-01T12:00:00Z');
const epoch = Math.floor(now.getTime() / 1000);
const policy: SecureWebhookPolicy = { audience: `api://${clientId}`, tenantId, authorityHost: authority };

let signingKey: CryptoKey;
let publicPem: string;
let jwks: JSONWebKeySet;
let keys: JWTVerifyGetKey;
let strangerKey: CryptoKey;

beforeAll(async () => {
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  publicPem = await exportSPKI(pair.publicKey);
  jwks = { keys: [{ ...(await exportJWK(pair.publicKey)), kid: 'entra-1', use: 'sig', alg: 'RS256' }] };
  keys = createLocalJWKSet(jwks);
  strangerKey = (await generateKeyPair('RS256')).privateKey;
});

function v1Claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: `https://sts.windows.net/${tenantId}/`,
    aud: `api://${clientId}`,
    tid: tenantId,
    appid: ACTION_GROUPS_APP_ID,
    roles: ['ActionGroupsSecureWebhook'],
    iat: epoch - 60,
    nbf: epoch - 60,
    exp: epoch + 3600,
    ver: '1.0',
    ...overrides,
  };
}

function v2Claims(overrides: JWTPayload = {}): JWTPayload {
  return {
    iss: `${authority}/${tenantId}/v2.0`,
    aud: clientId,
    tid: tenantId,
    azp: ACTION_GROUPS_APP_ID,
    roles: ['ActionGroupsSecureWebhook'],
    iat: epoch - 60,
    nbf: epoch - 60,
    exp: epoch + 3600,
    ver: '2.0',
    ...overrides,
  };
}

function withoutClaim(claims: JWTPayload, name: string): JWTPayload {
  return Object.fromEntries(Object.entries(claims).filter(([key]) => key !== name));
}

async function sign(claims: JWTPayload, key: CryptoKey = signingKey, kid = 'entra-1'): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);
}

async function verify(token: string, over: Partial<SecureWebhookPolicy> = {}, getKey = keys): Promise<AuthResult> {
  return verifySecureWebhook(`Bearer ${token}`, { ...policy, ...over }, getKey, now);
}

function expectFailure(result: AuthResult, code: string, phrase: string): void {
  expect(result).toMatchObject({ ok: false, code });
  if (result.ok) return;
  expect(result.message).toContain(phrase);
}

function base64url(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

describe('verifySecureWebhook: valid tokens', () => {
  it('accepts a v1 token (sts.windows.net issuer, appid, Application ID URI audience)', async () => {
    expect(await verify(await sign(v1Claims()))).toEqual({
      ok: true,
      method: 'secure-webhook',
      caller: ACTION_GROUPS_APP_ID,
    });
  });

  it('accepts a v2 token (authority issuer, azp, client id audience) when api://<client id> is configured', async () => {
    expect(await verify(await sign(v2Claims()))).toMatchObject({ ok: true, method: 'secure-webhook' });
  });

  it('accepts an api://<client id> audience when the bare client id is configured', async () => {
    const result = await verify(await sign(v1Claims()), { audience: clientId });
    expect(result).toMatchObject({ ok: true });
  });

  it('accepts a configured tenant id and authority host written differently (case, trailing slash)', async () => {
    const result = await verify(await sign(v2Claims()), { tenantId: tenantId.toUpperCase(), authorityHost: `${authority}/` });
    expect(result).toMatchObject({ ok: true });
  });

  it('accepts a token without tid when the issuer names the tenant', async () => {
    expect(await verify(await sign(withoutClaim(v1Claims(), 'tid')))).toMatchObject({ ok: true });
  });
});

describe('verifySecureWebhook: claims', () => {
  it('rejects an issuer for another tenant and names both issuers', async () => {
    const other = '11111111-2222-3333-4444-555555555555';
    const result = await verify(await sign(v1Claims({ iss: `https://sts.windows.net/${other}/`, tid: other })));
    expectFailure(result, 'bad-credentials', `token issuer is https://sts.windows.net/${other}/, expected`);
    expectFailure(result, 'bad-credentials', 'ALERT_WEBHOOK_TENANT_ID');
  });

  it('rejects a v2 issuer from another authority host', async () => {
    const result = await verify(await sign(v2Claims({ iss: `https://login.microsoftonline.us/${tenantId}/v2.0` })));
    expectFailure(result, 'bad-credentials', 'token issuer is https://login.microsoftonline.us/');
  });

  it('rejects a tid that differs from the configured tenant', async () => {
    const result = await verify(await sign(v1Claims({ tid: '11111111-2222-3333-4444-555555555555' })));
    expectFailure(result, 'bad-credentials', 'token tenant (tid) is 11111111-2222-3333-4444-555555555555');
  });

  it('rejects another audience and tells the admin which variable to set', async () => {
    const result = await verify(await sign(v1Claims({ aud: 'api://someone-else' })));
    expectFailure(result, 'bad-credentials', `token audience is api://someone-else, expected api://${clientId}`);
    expectFailure(result, 'bad-credentials', 'set ALERT_WEBHOOK_AUDIENCE');
  });

  it('compares a custom Application ID URI exactly, without the client-id equivalence', async () => {
    const result = await verify(await sign(v1Claims({ aud: clientId })), { audience: 'https://contoso.com/glasswatch' });
    expectFailure(result, 'bad-credentials', 'token audience is');
  });

  it('rejects a token issued to another app (v1 appid)', async () => {
    const result = await verify(await sign(v1Claims({ appid: '99999999-9999-9999-9999-999999999999' })));
    expectFailure(result, 'bad-credentials', 'issued to app 99999999-9999-9999-9999-999999999999 (appid)');
  });

  it('rejects a token issued to another app (v2 azp)', async () => {
    const result = await verify(await sign(v2Claims({ azp: '99999999-9999-9999-9999-999999999999' })));
    expectFailure(result, 'bad-credentials', 'not to Azure Monitor action groups');
  });

  it('reads the caller from the claim of the token version (a v1 token with only azp is refused)', async () => {
    const claims = { ...withoutClaim(v1Claims(), 'appid'), azp: ACTION_GROUPS_APP_ID };
    expectFailure(await verify(await sign(claims)), 'bad-credentials', 'issued to app (none) (appid)');
  });

  it('rejects a token without the ActionGroupsSecureWebhook role', async () => {
    const result = await verify(await sign(v1Claims({ roles: ['Something.Else'] })));
    expectFailure(result, 'bad-credentials', 'lacks the ActionGroupsSecureWebhook role');
    expectFailure(await verify(await sign(withoutClaim(v1Claims(), 'roles'))), 'bad-credentials', 'lacks the');
  });
});

describe('verifySecureWebhook: time', () => {
  it('rejects an expired token, beyond the five-minute tolerance', async () => {
    const result = await verify(await sign(v1Claims({ exp: epoch - 301 })));
    expectFailure(result, 'bad-credentials', 'token expired at 2026-03-01T11:54:59.000Z');
  });

  it('accepts a token expired within the tolerance (clock skew)', async () => {
    expect(await verify(await sign(v1Claims({ exp: epoch - 200 })))).toMatchObject({ ok: true });
  });

  it('rejects a token that is not yet valid', async () => {
    const result = await verify(await sign(v1Claims({ nbf: epoch + 600, iat: epoch + 600 })));
    expectFailure(result, 'bad-credentials', 'not valid before 2026-03-01T12:10:00.000Z');
  });

  it('rejects a token without exp', async () => {
    expectFailure(await verify(await sign(withoutClaim(v1Claims(), 'exp')), {}), 'bad-credentials', 'claim exp');
  });
});

describe('verifySecureWebhook: signature and algorithm', () => {
  it('rejects a token signed by a key Entra does not publish', async () => {
    const result = await verify(await sign(v1Claims(), strangerKey, 'forged-kid'));
    expectFailure(result, 'bad-credentials', "key forged-kid, which is not among Microsoft Entra ID's signing keys");
  });

  it('rejects a token signed by another key under a published kid', async () => {
    const result = await verify(await sign(v1Claims(), strangerKey, 'entra-1'));
    expectFailure(result, 'bad-credentials', 'signature does not verify');
  });

  it('rejects alg none without consulting the key set', async () => {
    const getKey = vi.fn<JWTVerifyGetKey>(keys);
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(v1Claims())}.`;
    expectFailure(await verify(token, {}, getKey), 'bad-credentials', 'signed with alg none');
    expect(getKey).not.toHaveBeenCalled();
  });

  it('rejects HS256 signed with the public key as the secret (algorithm confusion)', async () => {
    const token = await new SignJWT(v1Claims())
      .setProtectedHeader({ alg: 'HS256', kid: 'entra-1' })
      .sign(new TextEncoder().encode(publicPem));
    expectFailure(await verify(token), 'bad-credentials', 'signed with alg HS256');
  });
});

describe('verifySecureWebhook: the Authorization header', () => {
  it('reports a missing header as missing credentials', async () => {
    for (const header of [undefined, '', '  ']) {
      expectFailure(await verifySecureWebhook(header, policy, keys, now), 'missing-credentials', 'Secure Webhook');
    }
  });

  it('rejects another scheme, naming the scheme but not the credential', async () => {
    const result = await verifySecureWebhook('Basic dXNlcjpzM2NyZXQ=', policy, keys, now);
    expectFailure(result, 'bad-credentials', 'scheme Basic');
    if (!result.ok) expect(result.message).not.toContain('dXNlcjpzM2NyZXQ=');
  });

  it('rejects a bare "Bearer" and a bearer value with spaces', async () => {
    expectFailure(await verifySecureWebhook('Bearer', policy, keys, now), 'bad-credentials', 'is not "Bearer <token>"');
    expectFailure(await verifySecureWebhook('Bearer a b', policy, keys, now), 'bad-credentials', 'is not "Bearer <token>"');
  });

  it('rejects garbage after Bearer as a malformed JWT', async () => {
    for (const value of ['garbage', 'a.b.c', 'e30.e30']) {
      const result = await verifySecureWebhook(`Bearer ${value}`, policy, keys, now);
      expectFailure(result, 'bad-credentials', 'well-formed signed JWT');
    }
  });

  it('accepts the scheme in any case', async () => {
    const result = await verifySecureWebhook(`bearer ${await sign(v1Claims())}`, policy, keys, now);
    expect(result).toMatchObject({ ok: true });
  });

  it('never echoes the token in a failure message', async () => {
    const token = await sign(v1Claims({ aud: 'api://someone-else' }));
    const result = await verify(token);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).not.toContain(token.split('.')[2]);
  });
});

describe('verifySecureWebhook: key set failures', () => {
  it('tells a failing key source apart from a bad token', async () => {
    const failing: JWTVerifyGetKey = async () => {
      throw new TypeError('fetch failed', { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    };
    const result = await verify(await sign(v1Claims()), {}, failing);
    expectFailure(result, 'keys-unavailable', 'could not fetch the Microsoft Entra ID signing keys');
    expectFailure(result, 'keys-unavailable', 'fetch failed ECONNREFUSED');
  });
});

describe('entraSigningKeys over loopback HTTP', () => {
  const servers: Server[] = [];
  afterEach(async () => {
    vi.useRealTimers();
    await Promise.all(servers.splice(0).map((server) => closeServer(server)));
  });

  async function startJwksServer(status = 200): Promise<{ host: string; server: Server; paths: string[] }> {
    const paths: string[] = [];
    const server = createServer((req, res) => {
      paths.push(req.url ?? '');
      const found = req.url === `/${tenantId}/discovery/v2.0/keys`;
      res.writeHead(found ? status : 404, { 'content-type': 'application/json' });
      res.end(found && status === 200 ? JSON.stringify(jwks) : '{}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    servers.push(server);
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('JWKS server has no TCP address');
    return { host: `http://127.0.0.1:${address.port}`, server, paths };
  }

  function closeServer(server: Server): Promise<void> {
    if (!server.listening) return Promise.resolve();
    server.closeAllConnections();
    return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  }

  it('fetches the tenant key set from {authorityHost}/{tenant}/discovery/v2.0/keys and verifies with it', async () => {
    const { host, paths } = await startJwksServer();
    const remote = entraSigningKeys(host, tenantId);
    const token = await sign(v2Claims({ iss: `${host}/${tenantId}/v2.0` }));
    expect(await verify(token, { authorityHost: host }, remote)).toMatchObject({ ok: true, method: 'secure-webhook' });
    expect(await verify(token, { authorityHost: host }, remote)).toMatchObject({ ok: true });
    expect(paths).toEqual([`/${tenantId}/discovery/v2.0/keys`]);
  });

  it('answers keys-unavailable when the key endpoint cannot be reached', async () => {
    const { host, server } = await startJwksServer();
    await closeServer(server);
    const result = await verify(await sign(v1Claims()), { authorityHost: host }, entraSigningKeys(host, tenantId));
    expectFailure(result, 'keys-unavailable', 'check that this host reaches AZURE_AUTHORITY_HOST');
  });

  it('answers keys-unavailable when the key endpoint answers an error status', async () => {
    const { host } = await startJwksServer(503);
    const result = await verify(await sign(v1Claims()), { authorityHost: host }, entraSigningKeys(host, tenantId));
    expectFailure(result, 'keys-unavailable', 'Expected 200 OK');
  });

  it('keeps verifying with the last keys when a refresh fails, but reports an unknown kid as an outage', async () => {
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() });
    const { host, server } = await startJwksServer();
    const remote = entraSigningKeys(host, tenantId);
    const token = await sign(v1Claims());
    expect(await verify(token, { authorityHost: host }, remote)).toMatchObject({ ok: true });
    await closeServer(server);
    vi.setSystemTime(Date.now() + 7 * 60 * 60 * 1000);
    expect(await verify(token, { authorityHost: host }, remote)).toMatchObject({ ok: true });
    const rotated = await verify(await sign(v1Claims(), strangerKey, 'rotated-kid'), { authorityHost: host }, remote);
    expectFailure(rotated, 'keys-unavailable', 'could not fetch');
  });
});
