import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningGlasswatch } from '../../bot/glasswatch.js';
import type { MonitorCondition } from '../../bot/intake/alert.js';
import { MAX_ALERT_BODY_BYTES } from '../../bot/intake/handle-alert-request.js';
import { parseAlert } from '../../bot/intake/parse-alert.js';
import { fixtureText } from '../support/alerts.js';
import { startInProcessBot } from '../support/in-process-bot.js';

/**
 * Throws random and mutated bodies at the real HTTP intake (in-process bot, real SQLite) and checks
 * the contract: only the statuses of the table, never a 500, a JSON body of the right shape, and
 * no partial write: what was answered 202 is in the store, what was refused is not.
 */

const NUM_RUNS = 250;

const COMMON_FIXTURES = [
  'log-v2-signin-user.json',
  'log-v2-signin-failed.json',
  'log-v2-resolved.json',
  'log-v2-no-dimensions.json',
  'log-v2-service-principal.json',
  'log-v1-signin.json',
  'log-v1-two-accounts.json',
  'log-v1-variant-casing.json',
  'activity-log-diagnostic-settings-delete.json',
  'metric-platform.json',
];
const LEGACY_FIXTURES = ['legacy-appinsights-log-alert.json', 'legacy-classic-metric.json', 'legacy-log-search-webhook.json', 'legacy-metric-alert-v2.json'];
const ALL_FIXTURES = [...COMMON_FIXTURES, ...LEGACY_FIXTURES];

/** Content types and whether Glasswatch must take them as JSON. */
const CONTENT_TYPES: [string, boolean][] = [
  ['application/json', true],
  ['application/json; charset=utf-8', true],
  ['application/vnd.example+json', true],
  ['text/plain', false],
  ['application/x-www-form-urlencoded', false],
  ['application/xml', false],
  ['', false],
];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Path = (string | number)[];

function toJson(value: unknown): Json {
  if (value === null || typeof value === 'boolean' || typeof value === 'number' || typeof value === 'string') return value;
  if (Array.isArray(value)) return value.map(toJson);
  if (typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, toJson(inner)]));
  throw new Error(`not JSON: ${typeof value}`);
}

function isObject(value: Json): value is { [key: string]: Json } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const FIXTURE_JSON = new Map<string, Json>(ALL_FIXTURES.map((name) => [name, toJson(JSON.parse(fixtureText(name)))]));

function fixtureJson(name: string): Json {
  const json = FIXTURE_JSON.get(name);
  if (json === undefined) throw new Error(`no fixture ${name}`);
  return json;
}

function pathsOf(value: Json, prefix: Path = []): Path[] {
  const children: [string | number, Json][] = Array.isArray(value)
    ? value.map((inner, index): [number, Json] => [index, inner])
    : isObject(value)
      ? Object.entries(value)
      : [];
  return children.flatMap(([key, inner]) => [[...prefix, key], ...pathsOf(inner, [...prefix, key])]);
}

/** A copy of `root` with the value at `path` replaced by `change(value)`, or removed when it answers undefined. */
function updateAt(root: Json, path: Path, change: (value: Json) => Json | undefined): Json {
  const [head, ...rest] = path;
  if (head === undefined) return change(root) ?? null;
  const apply = (inner: Json): Json | undefined => (rest.length === 0 ? change(inner) : updateAt(inner, rest, change));
  if (Array.isArray(root) && typeof head === 'number' && head < root.length) {
    return root.flatMap((inner, index) => {
      if (index !== head) return [inner];
      const next = apply(inner);
      return next === undefined ? [] : [next];
    });
  }
  if (isObject(root) && typeof head === 'string' && Object.hasOwn(root, head)) {
    // fromEntries, not assignment: a "__proto__" key stays a plain key.
    return Object.fromEntries(
      Object.entries(root).flatMap(([key, inner]): [string, Json][] => {
        if (key !== head) return [[key, inner]];
        const next = apply(inner);
        return next === undefined ? [] : [[key, next]];
      }),
    );
  }
  return root;
}

/** The same content in another JSON type: what a sloppy sender or a schema change would do. */
function swapType(value: Json): Json {
  if (typeof value === 'string') return Number.isNaN(Number(value)) ? [value] : Number(value);
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (value === null) return {};
  if (Array.isArray(value)) return Object.fromEntries(value.map((inner, index) => [String(index), inner]));
  return Object.values(value);
}

type Mutation =
  | { kind: 'delete'; at: number }
  | { kind: 'replace'; at: number; value: Json }
  | { kind: 'swap'; at: number }
  | { kind: 'huge'; at: number; length: number };

function mutate(root: Json, mutation: Mutation): Json {
  const paths = pathsOf(root);
  const path = paths[mutation.at % Math.max(paths.length, 1)];
  if (path === undefined) return root;
  switch (mutation.kind) {
    case 'delete':
      return updateAt(root, path, () => undefined);
    case 'replace':
      return updateAt(root, path, () => mutation.value);
    case 'swap':
      return updateAt(root, path, swapType);
    case 'huge':
      return updateAt(root, path, () => 'h'.repeat(mutation.length));
    default: {
      const unhandled: never = mutation;
      return unhandled;
    }
  }
}

const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 2 }).map((value) => toJson(value));

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('replace' as const), at: fc.nat(), value: jsonValue }),
  fc.record({ kind: fc.constant('swap' as const), at: fc.nat() }),
  {
    arbitrary: fc.record({ kind: fc.constant('huge' as const), at: fc.nat(), length: fc.constantFrom(5_000, 300_000, MAX_ALERT_BODY_BYTES + 1) }),
    weight: 1,
  },
);

/** Each case gets its own alertId, or one of a few shared ones so retries and duplicates happen too. */
const alertIdArb = fc.oneof(
  { arbitrary: fc.uuid().map((id) => `fuzz-${id}`), weight: 3 },
  { arbitrary: fc.constantFrom('fuzz-shared-1', 'fuzz-shared-2', 'fuzz-shared-3'), weight: 1 },
);

function withEssentials(root: Json, alertId: string, condition: string): Json {
  const set = (key: string, value: string) => (path: Path) => (json: Json) => {
    const essentials = path.reduce<Json>((node, step) => (isObject(node) && typeof step === 'string' ? (node[step] ?? null) : null), json);
    return isObject(essentials) && Object.hasOwn(essentials, key) ? updateAt(json, [...path, key], () => value) : json;
  };
  const at = ['data', 'essentials'];
  return set('monitorCondition', condition)(at)(set('alertId', alertId)(at)(root));
}

const mutatedFixtureArb: fc.Arbitrary<string> = fc
  .record({
    fixture: fc.constantFrom(...ALL_FIXTURES),
    alertId: alertIdArb,
    condition: fc.constantFrom('Fired', 'Resolved', 'fired'),
    mutations: fc.array(mutationArb, { maxLength: 4 }),
  })
  .map(({ fixture, alertId, condition, mutations }) =>
    JSON.stringify(mutations.reduce(mutate, withEssentials(fixtureJson(fixture), alertId, condition))),
  );

const truncatedFixtureArb: fc.Arbitrary<string> = fc
  .record({ fixture: fc.constantFrom(...ALL_FIXTURES), cut: fc.double({ min: 0, max: 1, noNaN: true }) })
  .map(({ fixture, cut }) => {
    const text = fixtureText(fixture);
    return text.slice(0, Math.floor(text.length * cut));
  });

const bodyArb: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string(), weight: 1 },
  { arbitrary: fc.json(), weight: 1 },
  { arbitrary: mutatedFixtureArb, weight: 5 },
  { arbitrary: truncatedFixtureArb, weight: 1 },
);

const contentTypeArb = fc.oneof(
  { arbitrary: fc.constant(CONTENT_TYPES[0] ?? ['application/json', true]), weight: 4 },
  { arbitrary: fc.constantFrom(...CONTENT_TYPES), weight: 1 },
);

interface Sent {
  /** The alert Glasswatch should read from the body, when the body is one. */
  alert?: { alertId: string; condition: MonitorCondition };
  status: number;
  incidentId?: string;
  outcome?: string;
}

/** What the status table says this request must get; the alert is what the body carries, if anything. */
function expectedFor(body: string, isJson: boolean): { status: number; alert?: Sent['alert'] } {
  // The server reads bytes as UTF-8: compare against what it will actually see.
  const bytes = Buffer.from(body, 'utf8');
  const alert = alertIn(bytes.toString('utf8'));
  if (bytes.length > MAX_ALERT_BODY_BYTES) return { status: 413, alert };
  if (!isJson) return { status: 415, alert };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { status: 400 };
  }
  return alert === undefined || !parseAlert(json).ok ? { status: 422 } : { status: 202, alert };
}

function alertIn(text: string): Sent['alert'] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  const parsed = parseAlert(json);
  return parsed.ok ? { alertId: parsed.alert.alertId, condition: parsed.alert.monitorCondition } : undefined;
}

const ERROR_CODES: Record<number, string[]> = {
  400: ['invalid-json'],
  413: ['body-too-large'],
  415: ['unsupported-media-type'],
  422: ['not-common-schema', 'invalid-alert'],
};

function readAnswer(status: number, text: string): { incidentId?: string; outcome?: string } {
  const body: unknown = JSON.parse(text);
  if (typeof body !== 'object' || body === null) throw new Error(`answer is not a JSON object: ${text.slice(0, 200)}`);
  if (status === 202) {
    expect(Object.keys(body).sort()).toEqual(['incidentId', 'outcome']);
    const incidentId = 'incidentId' in body ? body.incidentId : undefined;
    const outcome = 'outcome' in body ? body.outcome : undefined;
    if (typeof incidentId !== 'string' || typeof outcome !== 'string') throw new Error(`bad 202 body: ${text}`);
    expect(['created', 'grouped', 'duplicate', 'resolved-notice']).toContain(outcome);
    return { incidentId, outcome };
  }
  expect(Object.keys(body)).toEqual(['error']);
  const error: unknown = 'error' in body ? body.error : undefined;
  if (typeof error !== 'object' || error === null) throw new Error(`bad error body: ${text}`);
  expect(Object.keys(error).sort()).toEqual(['code', 'message']);
  const code = 'code' in error ? error.code : undefined;
  const message = 'message' in error ? error.message : undefined;
  expect(typeof message === 'string' && message.length > 0).toBe(true);
  expect(ERROR_CODES[status] ?? []).toContain(code);
  return {};
}

describe('POST /api/alerts under fuzzed bodies (real HTTP, real SQLite)', () => {
  let bot: RunningGlasswatch;
  const sent: Sent[] = [];

  beforeAll(async () => {
    bot = await startInProcessBot();
  });

  afterAll(async () => {
    await bot.shutdown(200);
  });

  it('answers only statuses of the table, with the contract body, and never a 500', async () => {
    await fc.assert(
      fc.asyncProperty(bodyArb, contentTypeArb, async (body, [contentType, isJson]) => {
        const expected = expectedFor(body, isJson);
        const response = await fetch(new URL('/api/alerts', bot.url), { method: 'POST', headers: { 'content-type': contentType }, body });
        const text = await response.text();
        const answer = readAnswer(response.status, text);
        sent.push({ alert: expected.alert, status: response.status, ...answer });
        expect([202, 400, 413, 415, 422]).toContain(response.status);
        expect(response.status, text.slice(0, 300)).toBe(expected.status);
      }),
      { numRuns: NUM_RUNS },
    );
    expect(sent.length).toBeGreaterThanOrEqual(NUM_RUNS);
    // The generators must reach every row, or the property proves less than it says.
    const statuses = new Set(sent.map((s) => s.status));
    for (const status of [202, 400, 413, 415, 422]) expect(statuses, `no case answered ${status}`).toContain(status);
  });

  it('leaves no partial write: accepted alerts are stored on their incident, refused ones are not stored', async () => {
    expect(sent.length).toBeGreaterThan(0);
    const acceptedKeys = new Set<string>();
    const acceptedIds = new Set<string>();
    for (const s of sent) {
      if (s.status !== 202 || s.alert === undefined || s.incidentId === undefined) continue;
      acceptedKeys.add(`${s.alert.condition}\n${s.alert.alertId}`);
      acceptedIds.add(s.alert.alertId);
      expect(await bot.store.getIncident(s.incidentId), `incident ${s.incidentId}`).toBeDefined();
      const holder = await bot.store.incidentForAlert(s.alert.alertId, s.alert.condition);
      expect(holder?.id, `alert ${s.alert.alertId} ${s.alert.condition}`).toBe(s.incidentId);
    }
    for (const s of sent) {
      if (s.status === 202 || s.alert === undefined) continue;
      for (const condition of ['Fired', 'Resolved'] as const) {
        if (acceptedKeys.has(`${condition}\n${s.alert.alertId}`)) continue;
        expect(await bot.store.incidentForAlert(s.alert.alertId, condition), `refused ${s.status} alert ${s.alert.alertId} stored`).toBeUndefined();
      }
    }
    expect(acceptedIds.size).toBeGreaterThan(0);
  });

  it('counts each accepted Fired alert exactly once across incidents', async () => {
    const firedAlertIds = new Set<string>();
    const incidentIds = new Set<string>();
    // A Resolved notice for an alert never seen firing opens an incident that counts one occurrence.
    const openedByNotice = new Set<string>();
    for (const s of sent) {
      if (s.status !== 202 || s.incidentId === undefined) continue;
      if (!incidentIds.has(s.incidentId) && s.outcome === 'resolved-notice') openedByNotice.add(s.incidentId);
      incidentIds.add(s.incidentId);
      if (s.alert?.condition === 'Fired') firedAlertIds.add(s.alert.alertId);
    }
    let occurrences = 0;
    for (const id of incidentIds) {
      const incident = await bot.store.getIncident(id);
      if (incident === undefined) throw new Error(`incident ${id} answered 202 but not stored`);
      occurrences += incident.occurrences;
    }
    expect(firedAlertIds.size).toBeGreaterThan(0);
    expect(occurrences).toBe(firedAlertIds.size + openedByNotice.size);
    const counts = await bot.store.countIncidentsByStatus();
    expect(counts.triggered + counts.acknowledged + counts.resolved).toBe(incidentIds.size);
  });
});
