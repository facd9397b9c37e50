import { request as httpRequest } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningGlasswatch } from '../../bot/glasswatch.js';
import { MAX_ALERT_BODY_BYTES } from '../../bot/intake/handle-alert-request.js';
import { fixtureText, postAlert, signInAlert, type PostResult } from '../support/alerts.js';
import { startInProcessBot } from '../support/in-process-bot.js';

/**
 * The `POST /api/alerts` status table of DESIGN.md, row by row, over real HTTP on loopback
 * against the in-process bot with its real SQLite store.
 */

const TOKEN = 'x'.repeat(32);
const LEGACY_FIXTURES = [
  'legacy-appinsights-log-alert.json',
  'legacy-classic-metric.json',
  'legacy-log-search-webhook.json',
  'legacy-metric-alert-v2.json',
];
const OVER_LIMIT = MAX_ALERT_BODY_BYTES + 1;

const running: RunningGlasswatch[] = [];

async function startBot(token?: string): Promise<RunningGlasswatch> {
  const bot = await startInProcessBot(token === undefined ? {} : { webhook: { token } });
  running.push(bot);
  return bot;
}

afterEach(async () => {
  const bots = running.splice(0);
  // Every bot is shut down even when one fails (a test may have closed the store under it).
  const results = await Promise.allSettled(bots.map((bot) => bot.shutdown(200)));
  const failures = results.filter((result) => result.status === 'rejected');
  expect(failures, 'shutdown failed').toEqual([]);
});

interface RawResult {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
}

/** A request through node:http, for what fetch does not let a test control (no content type, chunked). */
function rawPost(botUrl: string, options: { headers: Record<string, string>; chunks: Buffer[]; path?: string }): Promise<RawResult> {
  const url = new URL(options.path ?? '/api/alerts', botUrl);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers: options.headers }, (res) => {
      const parts: Buffer[] = [];
      res.on('data', (chunk: Buffer) => parts.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(parts).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    for (const chunk of options.chunks) req.write(chunk);
    req.end();
  });
}

function errorOf(body: unknown): { code: string; message: string } {
  if (typeof body !== 'object' || body === null || !('error' in body)) throw new Error(`not an error body: ${JSON.stringify(body)}`);
  const { error } = body;
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) {
    throw new Error(`error body without code and message: ${JSON.stringify(body)}`);
  }
  const { code, message } = error;
  if (typeof code !== 'string' || typeof message !== 'string') throw new Error(`code and message must be strings: ${JSON.stringify(body)}`);
  // The contract is exactly {"error":{"code","message"}}: nothing else leaks (stack traces, internals).
  expect(Object.keys(body)).toEqual(['error']);
  expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  return { code, message };
}

function expectError(answer: { status: number; body: unknown }, status: number, code: string, phrases: string[]): void {
  expect(answer.status, JSON.stringify(answer.body)).toBe(status);
  const error = errorOf(answer.body);
  expect(error.code).toBe(code);
  for (const phrase of phrases) expect(error.message).toContain(phrase);
}

function accepted(answer: PostResult): { incidentId: string; outcome: string } {
  expect(answer.status, JSON.stringify(answer.body)).toBe(202);
  const body: unknown = answer.body;
  if (typeof body !== 'object' || body === null || !('incidentId' in body) || !('outcome' in body)) {
    throw new Error(`not an acceptance: ${JSON.stringify(body)}`);
  }
  const { incidentId, outcome } = body;
  if (typeof incidentId !== 'string' || typeof outcome !== 'string') throw new Error(`bad acceptance: ${JSON.stringify(body)}`);
  expect(Object.keys(body).sort()).toEqual(['incidentId', 'outcome']);
  return { incidentId, outcome };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function metricsText(bot: RunningGlasswatch): Promise<string> {
  const response = await fetch(new URL('/metrics', bot.url));
  expect(response.status).toBe(200);
  return response.text();
}

function counter(text: string, series: string): number {
  const line = text.split('\n').find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? 0 : Number(line.slice(series.length + 1));
}

describe('202: only after the alert is committed', () => {
  it('created, then duplicate for the same alertId + condition, then grouped for another alert of the same account', async () => {
    const bot = await startBot();
    const first = accepted(await postAlert(bot.url, signInAlert({ alertId: 'sc-1' })));
    expect(first.outcome).toBe('created');
    expect(await bot.store.getIncident(first.incidentId)).toMatchObject({ id: first.incidentId, occurrences: 1 });

    const again = accepted(await postAlert(bot.url, signInAlert({ alertId: 'sc-1' })));
    expect(again).toEqual({ incidentId: first.incidentId, outcome: 'duplicate' });

    const second = accepted(await postAlert(bot.url, signInAlert({ alertId: 'sc-2', firedAt: '2026-11-22T09:15:00Z' })));
    expect(second).toEqual({ incidentId: first.incidentId, outcome: 'grouped' });
    expect(await bot.store.getIncident(first.incidentId)).toMatchObject({ occurrences: 2, lastAlertId: 'sc-2' });
    expect((await bot.store.incidentForAlert('sc-2', 'Fired'))?.id).toBe(first.incidentId);
  });

  it('resolved-notice: log-v2-resolved.json after its fired alert (same alertId) lands on that incident', async () => {
    const bot = await startBot();
    const fired = JSON.parse(fixtureText('log-v2-signin-user.json')) as { data: { essentials: { alertId: string } } };
    const resolved = JSON.parse(fixtureText('log-v2-resolved.json')) as { data: { essentials: { alertId: string; monitorCondition: string } } };
    // The two fixtures are the two notifications of one alert instance.
    expect(resolved.data.essentials.alertId).toBe(fired.data.essentials.alertId);
    expect(resolved.data.essentials.monitorCondition).toBe('Resolved');

    const first = accepted(await postAlert(bot.url, fixtureText('log-v2-signin-user.json')));
    expect(first.outcome).toBe('created');
    const notice = accepted(await postAlert(bot.url, fixtureText('log-v2-resolved.json')));
    expect(notice).toEqual({ incidentId: first.incidentId, outcome: 'resolved-notice' });

    const incident = await bot.store.getIncident(first.incidentId);
    expect(incident?.monitorResolvedAt).toEqual(expect.any(String));
    expect(incident).toMatchObject({ status: 'triggered', occurrences: 1 });
    expect((await bot.store.incidentForAlert(resolved.data.essentials.alertId, 'Resolved'))?.id).toBe(first.incidentId);

    // Azure Monitor retrying the notice changes nothing.
    expect(accepted(await postAlert(bot.url, fixtureText('log-v2-resolved.json')))).toEqual({ incidentId: first.incidentId, outcome: 'duplicate' });
  });

  it('resolved-notice for an alert never seen firing: still 202, kept visible as an incident', async () => {
    const bot = await startBot();
    const notice = accepted(await postAlert(bot.url, fixtureText('log-v2-resolved.json')));
    expect(notice.outcome).toBe('resolved-notice');
    const incident = await bot.store.getIncident(notice.incidentId);
    expect(incident).toMatchObject({ status: 'triggered' });
    expect(incident?.monitorResolvedAt).toEqual(expect.any(String));
  });
});

describe('400: the body is not JSON', () => {
  it('answers 400 invalid-json for garbage and for a truncated fixture, and stores nothing', async () => {
    const bot = await startBot();
    const full = fixtureText('log-v2-signin-user.json').trimEnd();
    for (const body of ['not json at all', '{"schemaId":', full.slice(0, Math.floor(full.length / 2)), full.slice(0, -1), '']) {
      expectError(await postAlert(bot.url, body), 400, 'invalid-json', ['not valid JSON']);
    }
    expect(await bot.store.countIncidentsByStatus()).toEqual({ triggered: 0, acknowledged: 0, resolved: 0 });
  });
});

describe('413: body over 1 MiB', () => {
  const big = `{"schemaId":"azureMonitorCommonAlertSchema","pad":"${'a'.repeat(OVER_LIMIT)}"}`;

  it('answers 413 for a declared Content-Length of 1 MiB + 1', async () => {
    const bot = await startBot();
    const body = Buffer.from('a'.repeat(OVER_LIMIT));
    expect(body.length).toBe(MAX_ALERT_BODY_BYTES + 1);
    const answer = await rawPost(bot.url, {
      // connection: close, so shutdown does not wait on a keep-alive socket still draining the body.
      headers: { 'content-type': 'application/json', 'content-length': String(body.length), connection: 'close' },
      chunks: [body],
    });
    expectError({ status: answer.status, body: parseJson(answer.text) }, 413, 'body-too-large', ['256 KB', 'Check what is posting to this URL']);
  });

  it('accepts exactly 1 MiB as far as size goes (the limit is inclusive)', async () => {
    const bot = await startBot();
    const alert = signInAlert({ alertId: 'sc-exact' });
    // Pad with JSON whitespace so the body is exactly the limit and still a valid alert.
    const body = alert + ' '.repeat(MAX_ALERT_BODY_BYTES - Buffer.byteLength(alert));
    expect(Buffer.byteLength(body)).toBe(MAX_ALERT_BODY_BYTES);
    expect(accepted(await postAlert(bot.url, body)).outcome).toBe('created');
  });

  it('answers 413 for a chunked body (no Content-Length) that grows past 1 MiB', async () => {
    const bot = await startBot();
    const payload = Buffer.from(big);
    const chunks: Buffer[] = [];
    for (let at = 0; at < payload.length; at += 64 * 1024) chunks.push(payload.subarray(at, at + 64 * 1024));
    const answer = await rawPost(bot.url, { headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', connection: 'close' }, chunks });
    expect(chunks.length).toBeGreaterThan(16);
    expectError({ status: answer.status, body: parseJson(answer.text) }, 413, 'body-too-large', ['256 KB']);
    expect(answer.headers['content-length']).toBeDefined();
  });

  it('answers 413 before authentication: an oversized body is refused whoever sends it', async () => {
    const bot = await startBot(TOKEN);
    const body = Buffer.from(big);
    const answer = await rawPost(bot.url, {
      headers: { 'content-type': 'text/plain', 'content-length': String(body.length), connection: 'close' },
      chunks: [body],
    });
    expectError({ status: answer.status, body: parseJson(answer.text) }, 413, 'body-too-large', ['256 KB']);
  });
});

describe('415: the content type is not JSON', () => {
  it('answers 415 for text/plain, naming application/json', async () => {
    const bot = await startBot();
    const answer = await postAlert(bot.url, signInAlert({ alertId: 'sc-415' }), { contentType: 'text/plain' });
    expectError(answer, 415, 'unsupported-media-type', ['text/plain', 'send application/json']);
    expect(await bot.store.incidentForAlert('sc-415', 'Fired')).toBeUndefined();
  });

  it('answers 415 for a request with no content type at all', async () => {
    const bot = await startBot();
    const answer = await rawPost(bot.url, { headers: {}, chunks: [Buffer.from(signInAlert({ alertId: 'sc-415b' }))] });
    expectError({ status: answer.status, body: parseJson(answer.text) }, 415, 'unsupported-media-type', ['missing', 'send application/json']);
    expect(await bot.store.incidentForAlert('sc-415b', 'Fired')).toBeUndefined();
  });
});

describe('422: JSON, but not a common-schema alert', () => {
  it.each(LEGACY_FIXTURES)('answers 422 not-common-schema for %s and says how to turn the common schema on', async (name) => {
    const bot = await startBot();
    const answer = await postAlert(bot.url, fixtureText(name));
    expectError(answer, 422, 'not-common-schema', ['common alert schema', 'Enable the common alert schema', 'useCommonAlertSchema: true']);
    expect(await bot.store.countIncidentsByStatus()).toEqual({ triggered: 0, acknowledged: 0, resolved: 0 });
  });

  it('answers 422 invalid-alert for common-schema essentials without alertId, naming the field', async () => {
    const bot = await startBot();
    const body = JSON.parse(fixtureText('log-v2-signin-user.json')) as { data: { essentials: Record<string, unknown> } };
    const { alertId: _dropped, ...essentials } = body.data.essentials;
    const answer = await postAlert(bot.url, JSON.stringify({ ...body, data: { ...body.data, essentials } }));
    expectError(answer, 422, 'invalid-alert', ['data.essentials.alertId']);
    expect(await bot.store.countIncidentsByStatus()).toEqual({ triggered: 0, acknowledged: 0, resolved: 0 });
  });
});

describe('401: missing or wrong webhook credentials', () => {
  it('answers 401 without a token and with a wrong one, 202 with the right one, and counts the rejections', async () => {
    const bot = await startBot(TOKEN);
    const alert = signInAlert({ alertId: 'sc-401' });

    expectError(await postAlert(bot.url, alert), 401, 'unauthorized', ['?token=', 'ALERT_WEBHOOK_TOKEN']);
    expectError(await postAlert(bot.url, alert, { token: 'y'.repeat(32) }), 401, 'unauthorized', ['ALERT_WEBHOOK_TOKEN']);
    expect(await bot.store.incidentForAlert('sc-401', 'Fired')).toBeUndefined();

    expect(accepted(await postAlert(bot.url, alert, { token: TOKEN })).outcome).toBe('created');

    const text = await metricsText(bot);
    expect(counter(text, 'glasswatch_alerts_rejected_total{status="401"}')).toBe(2);
    expect(counter(text, 'glasswatch_alerts_received_total{outcome="created"}')).toBe(1);
  });

  it('answers 401 before 415, 400 and 422, so an unauthenticated caller learns nothing about parsing', async () => {
    const bot = await startBot(TOKEN);
    const wrong = 'z'.repeat(32);
    expectError(await postAlert(bot.url, signInAlert({ alertId: 'sc-o1' }), { contentType: 'text/plain' }), 401, 'unauthorized', []);
    expectError(await postAlert(bot.url, '{"schemaId":', { token: wrong }), 401, 'unauthorized', []);
    expectError(await postAlert(bot.url, fixtureText('legacy-classic-metric.json')), 401, 'unauthorized', []);
    expect(counter(await metricsText(bot), 'glasswatch_alerts_rejected_total{status="401"}')).toBe(3);
  });

  it('never echoes the presented token (right or wrong) in a body or a header', async () => {
    const bot = await startBot(TOKEN);
    const secret = 'S3cr3t-presented-by-the-caller-9f8e7d6c';
    const answers = [
      await postAlert(bot.url, signInAlert({ alertId: 'sc-echo' }), { token: secret }),
      await postAlert(bot.url, '{', { token: secret }),
      await postAlert(bot.url, '{', { token: TOKEN }),
      await postAlert(bot.url, signInAlert({ alertId: 'sc-echo' }), { token: TOKEN, contentType: 'text/plain' }),
      await postAlert(bot.url, fixtureText('legacy-log-search-webhook.json'), { token: TOKEN }),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([401, 401, 400, 415, 422]);
    for (const answer of answers) {
      expect(answer.headers.get('location')).toBeNull();
      const everything = `${JSON.stringify(answer.body)}\n${[...answer.headers].map(([name, value]) => `${name}: ${value}`).join('\n')}`;
      expect(everything).not.toContain(secret);
      expect(everything).not.toContain(TOKEN);
    }
  });
});

describe('503 + Retry-After: the store is unavailable', () => {
  it('answers 503 store-unavailable once the store is gone; /readyz says so, /healthz stays 200', async () => {
    const bot = await startBot();
    expect(accepted(await postAlert(bot.url, signInAlert({ alertId: 'sc-before' }))).outcome).toBe('created');
    await bot.store.close();

    const answer = await postAlert(bot.url, signInAlert({ alertId: 'sc-after' }));
    expectError(answer, 503, 'store-unavailable', ['Azure Monitor will retry']);
    expect(answer.headers.get('retry-after')).toBe('30');
    // A retry of an alert committed before the outage is not answered from memory either.
    expect((await postAlert(bot.url, signInAlert({ alertId: 'sc-before' }))).status).toBe(503);

    const ready = await fetch(new URL('/readyz', bot.url));
    expect(ready.status).toBe(503);
    expect(await ready.json()).toMatchObject({ status: 'unavailable', store: 'unavailable' });
    expect((await fetch(new URL('/healthz', bot.url))).status).toBe(200);

    const text = await metricsText(bot);
    expect(counter(text, 'glasswatch_alerts_rejected_total{status="503"}')).toBe(2);
    expect(counter(text, 'glasswatch_store_up')).toBe(0);
  });
});

describe('never 500', () => {
  it('answers every 2xx/4xx row on one bot, counts each rejection by status, and shows no 5xx', async () => {
    const bot = await startBot(TOKEN);
    const token = { token: TOKEN };
    const body = fixtureText('log-v2-signin-failed.json');
    const answers: { status: number }[] = [
      await postAlert(bot.url, body, token),
      await postAlert(bot.url, body, token),
      await postAlert(bot.url, signInAlert({ alertId: 'sc-n2' }), token),
      await postAlert(bot.url, fixtureText('log-v2-resolved.json'), token),
      await postAlert(bot.url, body),
      await rawPost(bot.url, {
        path: `/api/alerts?token=${TOKEN}`,
        headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked', connection: 'close' },
        chunks: [Buffer.from('x'.repeat(MAX_ALERT_BODY_BYTES)), Buffer.from('x')],
      }),
      await postAlert(bot.url, body, { ...token, contentType: 'text/plain' }),
      await postAlert(bot.url, '{"data":', token),
      ...(await Promise.all(LEGACY_FIXTURES.map((name) => postAlert(bot.url, fixtureText(name), token)))),
      await postAlert(bot.url, '{"schemaId":"azureMonitorCommonAlertSchema","data":{"essentials":null}}', token),
      await postAlert(bot.url, 'null', token),
      await postAlert(bot.url, '"a string"', token),
      await postAlert(bot.url, '{"schemaId":"azureMonitorCommonAlertSchema","data":[1,2]}', token),
    ];
    expect(answers.map((answer) => answer.status)).toEqual([202, 202, 202, 202, 401, 413, 415, 400, 422, 422, 422, 422, 422, 422, 422, 422]);

    const text = await metricsText(bot);
    expect(text).not.toMatch(/glasswatch_alerts_rejected_total\{status="5\d\d"\}/);
    expect(counter(text, 'glasswatch_alerts_rejected_total{status="422"}')).toBe(8);
    expect(counter(text, 'glasswatch_alerts_rejected_total{status="413"}')).toBe(1);
    expect(counter(text, 'glasswatch_alerts_rejected_total{status="415"}')).toBe(1);
    expect(counter(text, 'glasswatch_alerts_rejected_total{status="400"}')).toBe(1);
    expect(counter(text, 'glasswatch_alerts_rejected_total{status="401"}')).toBe(1);
  });
});
