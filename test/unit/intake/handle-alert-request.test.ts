import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_POLICY } from '../../../bot/escalation/escalation-policy.js';
import { decideAlert } from '../../../bot/incidents/decide-alert.js';
import type { RecordedAlert } from '../../../bot/incidents/record-alert.js';
import type { Incident } from '../../../bot/incidents/incident.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';
import {
  handleAlertRequest,
  MAX_ALERT_BODY_BYTES,
  type AlertRequest,
  type AlertResponse,
  type HandleAlertDeps,
} from '../../../bot/intake/handle-alert-request.js';
import { StoreUnavailableError } from '../../../bot/store/store-errors.js';
import { fixtureText, signInAlert } from '../../support/alerts.js';

const TOKEN = 't'.repeat(32);
const NOW = new Date('2026-11-22T09:12:00Z');

interface RecordCall {
  alert: ParsedAlert;
  rawBody: string;
}

/** The injected commit: records what it was given and answers like recordAlert would. */
function fakeRecord(behaviour: (call: RecordCall) => Promise<RecordedAlert> = created) {
  const calls: RecordCall[] = [];
  const record = (alert: ParsedAlert, rawBody: string): Promise<RecordedAlert> => {
    calls.push({ alert, rawBody });
    return behaviour({ alert, rawBody });
  };
  return { calls, record };
}

async function created(call: RecordCall): Promise<RecordedAlert> {
  return { outcome: 'created', incident: incidentFor(call.alert) };
}

/** A real-shaped incident from the real decider, so the fake stays in step with the Incident type. */
function incidentFor(alert: ParsedAlert): Incident {
  return decideAlert(alert, {}, NOW, 'inc-1', DEFAULT_ESCALATION_POLICY).incident;
}

function deps(overrides: Partial<HandleAlertDeps> = {}): HandleAlertDeps {
  return {
    auth: {},
    record: fakeRecord().record,
    accepting: () => true,
    now: () => NOW,
    logger: pino({ level: 'silent' }),
    onRecorded: () => undefined,
    ...overrides,
  };
}

function request(body: AlertRequest['body'], options: { contentType?: string | null; query?: string } = {}): AlertRequest {
  const contentType = options.contentType === undefined ? 'application/json' : options.contentType;
  return {
    headers: contentType === null ? {} : { 'content-type': contentType },
    query: new URLSearchParams(options.query ?? ''),
    body,
  };
}

function errorOf(response: AlertResponse): { code: string; message: string } {
  const body: unknown = response.body;
  if (typeof body !== 'object' || body === null || !('error' in body)) throw new Error(`not an error body: ${JSON.stringify(body)}`);
  const error: unknown = body.error;
  if (typeof error !== 'object' || error === null || !('code' in error) || !('message' in error)) {
    throw new Error(`error body without code and message: ${JSON.stringify(body)}`);
  }
  const { code, message } = error;
  if (typeof code !== 'string' || typeof message !== 'string') throw new Error(`code and message must be strings: ${JSON.stringify(body)}`);
  return { code, message };
}

function expectError(response: AlertResponse, status: number, code: string, phrase: string): void {
  expect(response.status).toBe(status);
  const error = errorOf(response);
  expect(error.code).toBe(code);
  expect(error.message).toContain(phrase);
  if (status === 503) expect(response.headers).toEqual({ 'Retry-After': '30' });
  else expect(response.headers).toBeUndefined();
}

const VALID = signInAlert({ alertId: 'unit-1' });

describe('handleAlertRequest: the happy path', () => {
  it('commits a common-schema alert once and answers 202 with the incident and outcome', async () => {
    const fake = fakeRecord();
    const seen: RecordedAlert[] = [];
    const response = await handleAlertRequest(request(VALID), deps({ record: fake.record, onRecorded: (r) => seen.push(r) }));
    expect(response).toEqual({ status: 202, body: { incidentId: 'inc-1', outcome: 'created' } });
    expect(fake.calls).toHaveLength(1);
    expect(fake.calls[0]?.alert.alertId).toBe('unit-1');
    expect(fake.calls[0]?.rawBody).toBe(VALID);
    expect(seen.map((r) => r.outcome)).toEqual(['created']);
  });

  it('accepts application/json with parameters and +json media types', async () => {
    for (const contentType of ['application/json; charset=utf-8', 'Application/JSON', 'application/vnd.azure+json']) {
      const response = await handleAlertRequest(request(VALID, { contentType }), deps());
      expect(response.status, contentType).toBe(202);
    }
  });
});

describe('handleAlertRequest: order of checks', () => {
  const tokenAuth = { auth: { token: TOKEN } };

  it('answers 413 for an oversized body before looking at credentials', async () => {
    const fake = fakeRecord();
    const response = await handleAlertRequest(request('too-large', { contentType: 'text/plain' }), deps({ ...tokenAuth, record: fake.record }));
    expectError(response, 413, 'body-too-large', '256 KB');
    expect(errorOf(response).message).toContain(String(MAX_ALERT_BODY_BYTES));
    expect(fake.calls).toHaveLength(0);
  });

  it('answers 401 to an unauthenticated caller whatever the body, so it learns nothing about parsing', async () => {
    const bodies: [string, AlertRequest][] = [
      ['wrong content type', request(VALID, { contentType: 'text/plain' })],
      ['missing content type', request(VALID, { contentType: null })],
      ['invalid JSON', request('{"schemaId":')],
      ['legacy schema', request(fixtureText('legacy-log-search-webhook.json'))],
      ['alert without alertId', request(JSON.stringify({ schemaId: 'azureMonitorCommonAlertSchema', data: { essentials: {} } }))],
      ['valid alert', request(VALID)],
    ];
    for (const [name, unauthenticated] of bodies) {
      const fake = fakeRecord();
      const response = await handleAlertRequest(unauthenticated, deps({ ...tokenAuth, record: fake.record }));
      expectError(response, 401, 'unauthorized', '?token=');
      expect(fake.calls, name).toHaveLength(0);
    }
  });

  it('answers 401 for a wrong token and names the setting to fix, without echoing the token', async () => {
    const presented = 'wrong-token-value-0123456789abcdef';
    const response = await handleAlertRequest(request('{', { query: `token=${presented}` }), deps(tokenAuth));
    expectError(response, 401, 'unauthorized', 'ALERT_WEBHOOK_TOKEN');
    expect(JSON.stringify(response)).not.toContain(presented);
  });

  it('checks the content type (415) before the JSON (400), and the JSON before the schema (422)', async () => {
    const authenticated = { query: `token=${TOKEN}` };
    expectError(await handleAlertRequest(request('{', { ...authenticated, contentType: 'text/plain' }), deps(tokenAuth)), 415, 'unsupported-media-type', 'application/json');
    expectError(await handleAlertRequest(request('{', { ...authenticated, contentType: null }), deps(tokenAuth)), 415, 'unsupported-media-type', 'missing');
    expectError(await handleAlertRequest(request('{', authenticated), deps(tokenAuth)), 400, 'invalid-json', 'not valid JSON');
    expectError(await handleAlertRequest(request('[]', authenticated), deps(tokenAuth)), 422, 'not-common-schema', 'common alert schema');
    expect((await handleAlertRequest(request(VALID, authenticated), deps(tokenAuth))).status).toBe(202);
  });

  it('answers 422 invalid-alert naming the missing essential', async () => {
    const body = JSON.stringify({
      schemaId: 'azureMonitorCommonAlertSchema',
      data: { essentials: { monitorCondition: 'Fired', firedDateTime: '2026-11-22T09:11:02Z' } },
    });
    const fake = fakeRecord();
    expectError(await handleAlertRequest(request(body), deps({ record: fake.record })), 422, 'invalid-alert', 'data.essentials.alertId');
    expect(fake.calls).toHaveLength(0);
  });

  it('does not echo control characters from the content type into the message', async () => {
    const response = await handleAlertRequest(request(VALID, { contentType: 'text/plain\u0000\u001b[31m' }), deps());
    expectError(response, 415, 'unsupported-media-type', 'text/plain');
    expect(errorOf(response).message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('handleAlertRequest: transient faults are 503 with Retry-After, never 500', () => {
  it('answers 503 shutting-down before anything else, and commits nothing', async () => {
    const fake = fakeRecord();
    for (const body of [VALID, 'too-large', '{'] as const) {
      const response = await handleAlertRequest(request(body), deps({ accepting: () => false, record: fake.record, auth: { token: TOKEN } }));
      expectError(response, 503, 'shutting-down', 'Azure Monitor will retry');
    }
    expect(fake.calls).toHaveLength(0);
  });

  it('answers 503 store-unavailable when the store is unavailable', async () => {
    const fake = fakeRecord(async () => {
      throw new StoreUnavailableError('disk I/O error');
    });
    const response = await handleAlertRequest(request(VALID), deps({ record: fake.record }));
    expectError(response, 503, 'store-unavailable', 'store is unavailable');
    expect(fake.calls).toHaveLength(1);
  });

  it('answers 503, not 500, when the commit fails with any other error', async () => {
    const failures: unknown[] = [new Error('boom'), new TypeError('x is undefined'), new RangeError('too deep'), 'a string', undefined];
    for (const failure of failures) {
      const fake = fakeRecord(async () => {
        throw failure;
      });
      let notified = 0;
      const response = await handleAlertRequest(request(VALID), deps({ record: fake.record, onRecorded: () => notified++ }));
      expectError(response, 503, 'store-unavailable', 'Azure Monitor will retry');
      expect(notified).toBe(0);
    }
  });

  it('answers 503 when record throws before returning a promise', async () => {
    const record = (): Promise<RecordedAlert> => {
      throw new Error('thrown before any await');
    };
    const response = await handleAlertRequest(request(VALID), deps({ record }));
    expectError(response, 503, 'store-unavailable', 'Azure Monitor will retry');
  });
});
