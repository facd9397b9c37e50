import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAlert, type ParseResult } from '../../../bot/intake/parse-alert.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';

type Path = readonly (string | number)[];

const FIXTURES = new URL('../../fixtures/alerts/', import.meta.url);
const fixtures = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.json'))
  .map((name): [string, unknown] => [name, JSON.parse(readFileSync(new URL(name, FIXTURES), 'utf8'))]);
const commonSchemaFixtures = fixtures.filter(([name]) => !name.startsWith('legacy-'));

// Characters the parser must never let through to a card or a log line.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

function expectWellFormedAlert(alert: ParsedAlert): void {
  expect(alert.alertId.trim()).not.toBe('');
  expect(['Fired', 'Resolved']).toContain(alert.monitorCondition);
  expect(new Date(alert.firedAt).toISOString()).toBe(alert.firedAt);
  expect(['log-v2', 'log-v1', 'activity-log', 'other']).toContain(alert.source);
  const { subject } = alert;
  expect(subject.key).toBe(subject.key.toLowerCase());
  if (subject.kind === 'user') expect(subject.key).toMatch(/^user:\S/);
  if (subject.kind === 'service-principal') expect(subject.key).toBe(`sp:${subject.appId}`);
  if (subject.kind === 'monitoring') {
    expect(subject.key).toMatch(/^rule:./);
    expect(subject.ruleName.trim()).not.toBe('');
  }
  expect(Array.isArray(alert.signIns)).toBe(true);
  for (const signIn of alert.signIns) {
    for (const value of Object.values(signIn)) {
      expect(typeof value).toBe('string');
      expect(String(value).length).toBeLessThanOrEqual(1_024);
      expect(String(value)).not.toMatch(UNSAFE);
    }
  }
  for (const link of Object.values(alert.links)) expect(link).toMatch(/^https:\/\//);
  // Plain data all the way down: what the store writes is what it reads back.
  expect(JSON.parse(JSON.stringify(alert))).toEqual(alert);
}

function expectWellFormed(result: ParseResult): void {
  if (result.ok) {
    expectWellFormedAlert(result.alert);
    return;
  }
  expect(['not-common-schema', 'invalid-alert']).toContain(result.code);
  expect(result.message.trim()).not.toBe('');
  expect(result.message).not.toMatch(UNSAFE);
  // The last-resort guard is for values JSON cannot produce; reaching it here would be a bug.
  expect(result.message).not.toContain('could not be read');
}

/** Every path in a JSON value, the root excluded. */
function pathsOf(value: unknown, prefix: Path = []): Path[] {
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, index): [number, unknown] => [index, item])
    : typeof value === 'object' && value !== null
      ? Object.entries(value)
      : [];
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

const REMOVE = Symbol('remove');

/** A copy of `node` with the value at `path` replaced (or removed); the input is left alone. */
function setAt(node: unknown, path: Path, value: unknown): unknown {
  const [head, ...rest] = path;
  if (head === undefined) return value;
  if (Array.isArray(node) && typeof head === 'number') {
    const copy: unknown[] = [...node];
    if (rest.length === 0 && value === REMOVE) copy.splice(head, 1);
    else copy[head] = setAt(copy[head], rest, value);
    return copy;
  }
  const copy = new Map<string, unknown>(typeof node === 'object' && node !== null ? Object.entries(node) : []);
  if (rest.length === 0 && value === REMOVE) copy.delete(String(head));
  else copy.set(String(head), setAt(copy.get(String(head)), rest, value));
  return Object.fromEntries(copy);
}

const REQUIRED: Path[] = [
  ['schemaId'],
  ['data', 'essentials', 'alertId'],
  ['data', 'essentials', 'monitorCondition'],
  ['data', 'essentials', 'firedDateTime'],
];
const startsWith = (path: Path, prefix: Path): boolean => prefix.every((key, index) => path[index] === key);
const touchesEssentials = (path: Path): boolean =>
  REQUIRED.some((required) => startsWith(path, required) || startsWith(required, path));

const mutation = (paths: Path[]) =>
  fc.record({
    path: fc.constantFrom(...paths),
    value: fc.oneof(fc.constant<unknown>(REMOVE), fc.jsonValue(), fc.constant({}), fc.constant([]), fc.constant(null)),
  });

const anything = fc.anything({
  key: fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'prototype', 'schemaId', 'data', 'essentials', 'alertContext')),
  withBoxedValues: true,
  withMap: true,
  withSet: true,
  withObjectString: true,
  withNullPrototype: true,
  withBigInt: true,
  withDate: true,
  withTypedArray: true,
  withSparseArray: true,
});

const commonSchemaLike = fc.record({
  schemaId: fc.constantFrom('azureMonitorCommonAlertSchema', 'AZUREMONITORCOMMONALERTSCHEMA'),
  data: fc.record(
    {
      essentials: fc.record(
        {
          alertId: fc.oneof(fc.string(), fc.jsonValue(), anything),
          monitorCondition: fc.oneof(fc.constantFrom('Fired', 'resolved', 'Bogus', ''), fc.jsonValue(), anything),
          firedDateTime: fc.oneof(fc.date({ noInvalidDate: true }).map((date) => date.toISOString()), fc.string(), anything),
          monitoringService: fc.oneof(
            fc.constantFrom('Log Alerts V2', 'Log Analytics', 'Activity Log - Administrative', 'Platform'),
            anything,
          ),
          alertRule: fc.oneof(fc.string(), anything),
          severity: anything,
        },
        { requiredKeys: [] },
      ),
      alertContext: fc.oneof(fc.jsonValue(), anything),
    },
    { requiredKeys: [] },
  ),
});

describe('parseAlert never throws and always answers a well-formed result', () => {
  it('for anything at all', () => {
    fc.assert(fc.property(anything, (body) => expectWellFormed(parseAlert(body))), { numRuns: 500 });
  });

  it('for any JSON value', () => {
    fc.assert(fc.property(fc.jsonValue(), (body) => expectWellFormed(parseAlert(body))), { numRuns: 500 });
  });

  it('for common-schema-like bodies with random fields', () => {
    fc.assert(fc.property(commonSchemaLike, (body) => expectWellFormed(parseAlert(body))), { numRuns: 500 });
  });

  it.each(fixtures)('for mutations of %s', (_name, body) => {
    const paths = pathsOf(body);
    fc.assert(
      fc.property(fc.array(mutation(paths), { minLength: 1, maxLength: 4 }), (mutations) => {
        const mutated = mutations.reduce<unknown>((node, { path, value }) => setAt(node, path, value), body);
        expectWellFormed(parseAlert(mutated));
      }),
      { numRuns: 150 },
    );
  });

  it.each(commonSchemaFixtures)('keeps %s an alert whatever happens to its enrichment fields', (_name, body) => {
    const paths = pathsOf(body).filter((path) => !touchesEssentials(path));
    fc.assert(
      fc.property(fc.array(mutation(paths), { minLength: 1, maxLength: 4 }), (mutations) => {
        const mutated = mutations.reduce<unknown>((node, { path, value }) => setAt(node, path, value), body);
        const result = parseAlert(mutated);
        expect(result.ok).toBe(true);
        expectWellFormed(result);
      }),
      { numRuns: 150 },
    );
  });
});
