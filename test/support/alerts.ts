import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/alerts/', import.meta.url));

export function fixtureText(name: string): string {
  return readFileSync(`${FIXTURES}${name}`, 'utf8');
}

/** A Log Alerts V2 sign-in alert from the fixture, with the fields a scenario varies. */
export function signInAlert(options: { alertId: string; upn?: string; firedAt?: string; condition?: 'Fired' | 'Resolved'; resultType?: string }): string {
  const body: unknown = JSON.parse(fixtureText('log-v2-signin-user.json'));
  const text = JSON.stringify(body)
    .replace(/"alertId":"[^"]*"/, `"alertId":${JSON.stringify(options.alertId)}`)
    .replace(/"firedDateTime":"[^"]*"/, `"firedDateTime":${JSON.stringify(options.firedAt ?? '2026-11-22T09:11:02Z')}`)
    .replace(/"monitorCondition":"[^"]*"/, `"monitorCondition":${JSON.stringify(options.condition ?? 'Fired')}`)
    .replace(/"name":"ResultType","value":"[^"]*"/, `"name":"ResultType","value":${JSON.stringify(options.resultType ?? '0')}`);
  return options.upn ? text.replace(/"value":"bg-admin-01@contoso\.onmicrosoft\.com"/, `"value":${JSON.stringify(options.upn)}`) : text;
}

export interface PostResult {
  status: number;
  body: unknown;
  headers: Headers;
}

export async function postAlert(botUrl: string, body: string, options: { token?: string; contentType?: string; headers?: Record<string, string> } = {}): Promise<PostResult> {
  const url = new URL('/api/alerts', botUrl);
  if (options.token !== undefined) url.searchParams.set('token', options.token);
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': options.contentType ?? 'application/json', ...options.headers },
    body,
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not every answer is JSON (a proxy error page would not be); the test sees the text.
  }
  return { status: response.status, body: parsed, headers: response.headers };
}
