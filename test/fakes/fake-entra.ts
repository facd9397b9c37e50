import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { testTls } from './tls.js';

export interface EntraRequest {
  method: string;
  /** Path without the query string. */
  path: string;
  /** Token requests: the form fields, with any secret or assertion replaced by "<present>". */
  form?: Record<string, string>;
  at: number;
}

/**
 * A Microsoft Entra authority on https://127.0.0.1 for the real @azure/identity credentials
 * (AZURE_AUTHORITY_HOST points here). It answers what MSAL asks for a custom authority with
 * instance discovery off: the tenant's OpenID configuration, then the client-credentials token
 * request. Tokens are opaque fakes ("fake-token-<n>"), accepted by the fake Graph and Log Analytics.
 */
export interface FakeEntra {
  url: string;
  requests: EntraRequest[];
  tokensIssued(): number;
  close(): Promise<void>;
}

const SECRET_FIELDS = new Set(['client_secret', 'client_assertion']);

export async function startFakeEntra(): Promise<FakeEntra> {
  const tls = testTls();
  const requests: EntraRequest[] = [];
  let issued = 0;
  let base = '';

  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', base);
      const record: EntraRequest = { method: req.method ?? 'GET', path: url.pathname, at: Date.now() };
      requests.push(record);
      const send = (status: number, body: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      const segments = url.pathname.split('/').filter((s) => s !== '');
      const tenant = segments[0] ?? 'common';

      if (req.method === 'GET' && url.pathname.endsWith('/v2.0/.well-known/openid-configuration')) {
        send(200, {
          issuer: `${base}/${tenant}/v2.0`,
          authorization_endpoint: `${base}/${tenant}/oauth2/v2.0/authorize`,
          token_endpoint: `${base}/${tenant}/oauth2/v2.0/token`,
          end_session_endpoint: `${base}/${tenant}/oauth2/v2.0/logout`,
          jwks_uri: `${base}/${tenant}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          tenant_region_scope: 'WW',
          cloud_instance_name: 'microsoftonline.com',
        });
        return;
      }
      if (req.method === 'GET' && url.pathname.endsWith('/discovery/instance')) {
        // Only asked if instance discovery were on and pointed here; answered for completeness.
        send(200, {
          tenant_discovery_endpoint: `${base}/${tenant}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: url.host, preferred_cache: url.host, aliases: [url.host] }],
        });
        return;
      }
      if (req.method === 'POST' && url.pathname.endsWith('/oauth2/v2.0/token')) {
        const form = Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')));
        record.form = Object.fromEntries(Object.entries(form).map(([k, v]) => [k, SECRET_FIELDS.has(k) ? '<present>' : v]));
        if (form.grant_type !== 'client_credentials' || !form.client_id || !(form.client_secret || form.client_assertion)) {
          send(400, { error: 'invalid_request', error_description: 'AADSTS900144: fake authority expects client credentials' });
          return;
        }
        issued++;
        send(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: `fake-token-${issued}` });
        return;
      }
      send(404, { error: 'not_found', error_description: `fake authority does not serve ${req.method} ${url.pathname}` });
    });
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: base,
    requests,
    tokensIssued: () => issued,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
