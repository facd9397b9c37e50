import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { DEFAULT_ESCALATION_POLICY } from '../../../bot/escalation/escalation-policy.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ParsedAlert, Subject } from '../../../bot/intake/alert.js';
import { decideAlert } from '../../../bot/incidents/decide-alert.js';
import type { Incident } from '../../../bot/incidents/incident.js';
import { recordAlert } from '../../../bot/incidents/record-alert.js';
import { openSqliteStore, type SqliteStore } from '../../../bot/store/sqlite-store.js';
import { ConflictError, StoreUnavailableError } from '../../../bot/store/store-errors.js';
import type { AlertCommit, ChannelBinding, PostedMessage } from '../../../bot/store/store.js';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');

function subject(name: string): Subject {
  return { kind: 'user', key: `user:${name}@contoso.onmicrosoft.com`, upn: `${name}@contoso.onmicrosoft.com` };
}

function alert(alertId: string, overrides: Partial<ParsedAlert> = {}): ParsedAlert {
  const firedAt = overrides.firedAt ?? '2025-03-01T11:58:00.000Z';
  return {
    alertId,
    monitorCondition: 'Fired',
    firedAt,
    source: 'log-v2',
    monitoringService: 'Log Alerts V2',
    alertRule: 'Break-glass sign-in',
    severity: 'Sev1',
    subject: subject('bg1'),
    signIns: [{ time: firedAt, upn: 'bg1@contoso.onmicrosoft.com', resultType: '0' }],
    links: {},
    ...overrides,
  };
}

function auditFor(alertId: string, at: number) {
  return { kind: 'alert.test', at: new Date(at).toISOString(), actor: { id: 'azure-monitor', name: 'Azure Monitor' }, alertId, data: {} };
}

/** A commit as recordAlert would build it, from what the store holds now. */
async function commitFor(store: SqliteStore, input: ParsedAlert, id: string, at: number): Promise<AlertCommit> {
  const openForSubject = await store.openIncidentFor(input.subject.key);
  const decision = decideAlert(input, { openForSubject }, new Date(at), id, DEFAULT_ESCALATION_POLICY);
  if (decision.outcome === 'duplicate') throw new Error('unexpected duplicate');
  return {
    alert: input,
    rawBody: JSON.stringify({ alertId: input.alertId }),
    outcome: decision.outcome,
    incident: decision.incident,
    previousVersion: decision.previousVersion,
    receivedAt: new Date(at),
    audit: auditFor(input.alertId, at),
  };
}

const MESSAGE: PostedMessage = { serviceUrl: 'https://smba.example/teams/', conversationId: '19:abc@thread.tacv2;messageid=1', activityId: '1' };

let dir: string;
let store: SqliteStore;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'glasswatch-store-'));
  store = openSqliteStore(dir);
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('SqliteStore.commitAlert', () => {
  it('stores the incident, the alert and a due delivery together', async () => {
    const commit = await commitFor(store, alert('a-1'), 'inc-1', T0);
    await store.commitAlert(commit);

    expect(await store.getIncident('inc-1')).toEqual(commit.incident);
    expect(await store.incidentForAlert('a-1', 'Fired')).toEqual(commit.incident);
    expect(await store.incidentForAlert('a-1', 'Resolved')).toBeUndefined();
    expect(await store.openIncidentFor(subject('bg1').key)).toEqual(commit.incident);
    expect(await store.countIncidentsByStatus()).toEqual({ triggered: 1, acknowledged: 0, resolved: 0 });
    expect(await store.dueDeliveries(T0, 10)).toEqual([
      { incidentId: 'inc-1', targetVersion: 1, deliveredVersion: 0, message: undefined, attempts: 0, nextAttemptAt: T0, lastError: undefined },
    ]);
    expect(await store.deliveryStats()).toEqual({ pending: 1, failing: 0, oldestPendingSince: T0, lastError: undefined });
  });

  it('refuses the same alert id and condition twice and writes nothing of the second commit', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    // The same alert again, but deciding a new incident about another subject: the incident insert
    // would succeed on its own, so only an all-or-nothing commit leaves no trace of it.
    const again = await commitFor(store, alert('a-1', { subject: subject('bg2') }), 'inc-2', T0 + 1_000);

    await expect(store.commitAlert(again)).rejects.toBeInstanceOf(ConflictError);

    expect(await store.getIncident('inc-2')).toBeUndefined();
    expect(await store.openIncidentFor(subject('bg2').key)).toBeUndefined();
    expect(await store.incidentForAlert('a-1', 'Fired')).toMatchObject({ id: 'inc-1' });
    expect(await store.countIncidentsByStatus()).toEqual({ triggered: 1, acknowledged: 0, resolved: 0 });
    expect(await store.deliveryStats()).toMatchObject({ pending: 1 });
    expect((await store.dueDeliveries(T0 + 10_000, 10)).map((d) => d.incidentId)).toEqual(['inc-1']);
  });

  it('refuses a change based on a stale version and keeps the stored incident', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    const staleBase = await store.openIncidentFor(subject('bg1').key);
    await store.commitAlert(await commitFor(store, alert('a-2', { firedAt: '2025-03-01T11:59:00.000Z' }), 'unused', T0 + 1_000));
    const stored = await store.getIncident('inc-1');
    expect(stored?.version).toBe(2);

    if (!staleBase) throw new Error('no open incident');
    const late = alert('a-3', { firedAt: '2025-03-01T11:59:30.000Z' });
    const stale = decideAlert(late, { openForSubject: staleBase }, new Date(T0 + 2_000), 'unused', DEFAULT_ESCALATION_POLICY);
    if (stale.outcome === 'duplicate') throw new Error('unexpected duplicate');
    expect(stale.previousVersion).toBe(1);

    await expect(
      store.commitAlert({ alert: late, rawBody: '{}', outcome: stale.outcome, incident: stale.incident, previousVersion: 1, receivedAt: new Date(T0 + 2_000), audit: auditFor('test', T0 + 2_000) }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await store.getIncident('inc-1')).toEqual(stored);
    expect(await store.incidentForAlert('a-3', 'Fired')).toBeUndefined();
  });

  it('holds at most one open incident per subject', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    const rival = decideAlert(alert('a-2'), {}, new Date(T0), 'inc-2', DEFAULT_ESCALATION_POLICY);
    if (rival.outcome === 'duplicate') throw new Error('unexpected duplicate');

    await expect(
      store.commitAlert({ alert: alert('a-2'), rawBody: '{}', outcome: rival.outcome, incident: rival.incident, previousVersion: undefined, receivedAt: new Date(T0), audit: auditFor('test', T0) }),
    ).rejects.toBeInstanceOf(ConflictError);
    expect(await store.getIncident('inc-2')).toBeUndefined();
    expect(await store.incidentForAlert('a-2', 'Fired')).toBeUndefined();
  });

  it('lets a new incident open for a subject whose incident is resolved', async () => {
    const first = await commitFor(store, alert('a-1'), 'inc-1', T0);
    await store.commitAlert(first);
    const resolved: Incident = {
      ...first.incident,
      version: 2,
      status: 'resolved',
      resolvedBy: { id: 'u1', name: 'Ada' },
      resolvedAt: new Date(T0 + 1_000).toISOString(),
      resolution: 'drill',
    };
    const notice = alert('a-1', { monitorCondition: 'Resolved' });
    await store.commitAlert({ alert: notice, rawBody: '{}', outcome: 'resolved-notice', incident: resolved, previousVersion: 1, receivedAt: new Date(T0 + 1_000), audit: auditFor('test', T0 + 1_000) });
    expect(await store.openIncidentFor(subject('bg1').key)).toBeUndefined();

    await store.commitAlert(await commitFor(store, alert('a-2'), 'inc-2', T0 + 2_000));
    expect(await store.openIncidentFor(subject('bg1').key)).toMatchObject({ id: 'inc-2', version: 1 });
    expect(await store.countIncidentsByStatus()).toEqual({ triggered: 1, acknowledged: 0, resolved: 1 });
  });
});

describe('SqliteStore deliveries', () => {
  it('lists due deliveries oldest first, up to the limit, and none that are not yet due', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1', { subject: subject('bg1') }), 'inc-1', T0 + 2_000));
    await store.commitAlert(await commitFor(store, alert('a-2', { subject: subject('bg2') }), 'inc-2', T0));
    await store.commitAlert(await commitFor(store, alert('a-3', { subject: subject('bg3') }), 'inc-3', T0 + 5_000));

    expect((await store.dueDeliveries(T0 + 2_000, 10)).map((d) => d.incidentId)).toEqual(['inc-2', 'inc-1']);
    expect((await store.dueDeliveries(T0 + 9_000, 1)).map((d) => d.incidentId)).toEqual(['inc-2']);
    expect(await store.dueDeliveries(T0 - 1, 10)).toEqual([]);
    expect(await store.nextDeliveryAt()).toBe(T0);
  });

  it('has no next delivery when nothing is pending', async () => {
    expect(await store.nextDeliveryAt()).toBeUndefined();
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    await store.recordDelivered('inc-1', 1, MESSAGE);
    expect(await store.nextDeliveryAt()).toBeUndefined();
    expect(await store.dueDeliveries(T0 + 60_000, 10)).toEqual([]);
    expect(await store.deliveryStats()).toEqual({ pending: 0, failing: 0, oldestPendingSince: undefined, lastError: undefined });
  });

  it('counts failures, keeps the last error and schedules the retry', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    await store.recordDeliveryFailure('inc-1', 'Teams post failed with 503: busy', T0 + 4_000);
    await store.recordDeliveryFailure('inc-1', 'Teams post failed with 502: bad gateway', T0 + 8_000);

    expect(await store.dueDeliveries(T0 + 7_999, 10)).toEqual([]);
    expect(await store.dueDeliveries(T0 + 8_000, 10)).toMatchObject([{ incidentId: 'inc-1', attempts: 2, lastError: 'Teams post failed with 502: bad gateway' }]);
    expect(await store.nextDeliveryAt()).toBe(T0 + 8_000);
    expect(await store.deliveryStats()).toEqual({ pending: 1, failing: 1, oldestPendingSince: T0, lastError: 'Teams post failed with 502: bad gateway' });
  });

  it('records a delivery: keeps where the card is, clears the failure, and stops listing it', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    await store.recordDeliveryFailure('inc-1', 'Teams post failed with 503: busy', T0 + 1_000);
    await store.recordDelivered('inc-1', 1, MESSAGE);

    expect(await store.deliveryStats()).toEqual({ pending: 0, failing: 0, oldestPendingSince: undefined, lastError: undefined });

    // The next grouped alert makes the card due again, now, as an edit of the same message.
    await store.commitAlert(await commitFor(store, alert('a-2', { firedAt: '2025-03-01T11:59:00.000Z' }), 'unused', T0 + 30_000));
    expect(await store.dueDeliveries(T0 + 30_000, 10)).toEqual([
      { incidentId: 'inc-1', targetVersion: 2, deliveredVersion: 1, message: MESSAGE, attempts: 0, nextAttemptAt: T0 + 30_000, lastError: undefined },
    ]);
    expect(await store.deliveryStats()).toMatchObject({ pending: 1, oldestPendingSince: T0 + 30_000 });
  });

  it('does not go back to an older delivered version', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    await store.commitAlert(await commitFor(store, alert('a-2', { firedAt: '2025-03-01T11:59:00.000Z' }), 'unused', T0));
    await store.recordDelivered('inc-1', 2, MESSAGE);
    await store.recordDelivered('inc-1', 1, MESSAGE);
    expect(await store.deliveryStats()).toMatchObject({ pending: 0 });
  });

  it('keeps a delivery pending when an older version was delivered meanwhile', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    await store.commitAlert(await commitFor(store, alert('a-2', { firedAt: '2025-03-01T11:59:00.000Z' }), 'unused', T0 + 500));
    await store.recordDelivered('inc-1', 1, MESSAGE);
    expect(await store.deliveryStats()).toMatchObject({ pending: 1, oldestPendingSince: T0 });
    expect(await store.dueDeliveries(T0 + 1_000, 10)).toMatchObject([{ targetVersion: 2, deliveredVersion: 1, message: MESSAGE }]);
  });

  it('does not pull a running backoff earlier when another alert is grouped', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    await store.recordDeliveryFailure('inc-1', 'Teams post failed with 429: slow down', T0 + 60_000);
    await store.commitAlert(await commitFor(store, alert('a-2', { firedAt: '2025-03-01T11:59:00.000Z' }), 'unused', T0 + 1_000));

    expect(await store.dueDeliveries(T0 + 1_000, 10)).toEqual([]);
    expect(await store.nextDeliveryAt()).toBe(T0 + 60_000);
    expect(await store.dueDeliveries(T0 + 60_000, 10)).toMatchObject([{ incidentId: 'inc-1', targetVersion: 2, attempts: 1 }]);
  });

  it('postpones without counting a failure, keeping the earlier reason unless given a new one', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    await store.postponeDelivery('inc-1', T0 + 30_000, 'no alert channel: bind one');
    await store.postponeDelivery('inc-1', T0 + 31_000);

    expect(await store.dueDeliveries(T0 + 30_999, 10)).toEqual([]);
    expect(await store.dueDeliveries(T0 + 31_000, 10)).toMatchObject([{ attempts: 0, lastError: 'no alert channel: bind one' }]);
    expect(await store.deliveryStats()).toEqual({ pending: 1, failing: 0, oldestPendingSince: T0, lastError: 'no alert channel: bind one' });
  });
});

describe('SqliteStore settings and persistence', () => {
  const binding: ChannelBinding = {
    serviceUrl: 'https://smba.trafficmanager.net/emea/',
    channelId: '19:abc@thread.tacv2',
    teamId: '19:team@thread.tacv2',
    tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
    boundBy: { id: 'u1', name: 'Ada' },
    boundAt: '2025-03-01T12:00:00.000Z',
  };

  it('round-trips the alert channel and replaces it on a second bind', async () => {
    expect(await store.getAlertChannel()).toBeUndefined();
    await store.setAlertChannel(binding, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    expect(await store.getAlertChannel()).toEqual(binding);
    const rebound = { ...binding, channelId: '19:other@thread.tacv2', boundBy: { id: 'u2', name: 'Grace' } };
    await store.setAlertChannel(rebound, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    expect(await store.getAlertChannel()).toEqual(rebound);
  });

  it('keeps incidents, deliveries and settings across a reopen of the same directory', async () => {
    const commit = await commitFor(store, alert('a-1'), 'inc-1', T0);
    await store.commitAlert(commit);
    await store.recordDeliveryFailure('inc-1', 'Teams post failed with 503: busy', T0 + 2_000);
    await store.setAlertChannel(binding, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    await store.close();

    store = openSqliteStore(dir);
    expect(await store.getIncident('inc-1')).toEqual(commit.incident);
    expect(await store.incidentForAlert('a-1', 'Fired')).toEqual(commit.incident);
    expect(await store.getAlertChannel()).toEqual(binding);
    expect(await store.nextDeliveryAt()).toBe(T0 + 2_000);
    expect(await store.deliveryStats()).toMatchObject({ pending: 1, failing: 1 });
  });
});

describe('SqliteStore when the database cannot be used', () => {
  it('reports a data directory that is a file as unavailable', () => {
    const file = join(dir, 'not-a-dir');
    writeFileSync(file, 'x');
    expect(() => openSqliteStore(file)).toThrow(StoreUnavailableError);
  });

  it('reports a file that is not a database as unavailable', () => {
    const other = join(dir, 'garbage');
    mkdirSync(other);
    writeFileSync(join(other, 'glasswatch.db'), 'this is not an SQLite database, just text padded out. '.repeat(100));
    expect(() => openSqliteStore(other)).toThrow(StoreUnavailableError);
  });

  it('refuses a database written by a newer schema, saying so', async () => {
    await store.close();
    const raw = new Database(join(dir, 'glasswatch.db'));
    raw.pragma('user_version = 99');
    raw.close();
    expect(() => openSqliteStore(dir)).toThrow(/newer Glasswatch \(schema 99/);
    expect(() => openSqliteStore(dir)).toThrow(StoreUnavailableError);
  });

  it('answers every operation on a closed store with StoreUnavailableError, never a raw SQLite error', async () => {
    const commit = await commitFor(store, alert('a-1'), 'inc-1', T0);
    await store.close();

    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.commitAlert(commit)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.getIncident('inc-1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.incidentForAlert('a-1', 'Fired')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.openIncidentFor(subject('bg1').key)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.countIncidentsByStatus()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.dueDeliveries(T0, 10)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.nextDeliveryAt()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.recordDelivered('inc-1', 1, MESSAGE)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.recordDeliveryFailure('inc-1', 'x', T0)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.postponeDelivery('inc-1', T0)).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.deliveryStats()).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.getAlertChannel()).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('answers a commit with StoreUnavailableError once the database is closed after earlier commits', async () => {
    await store.commitAlert(await commitFor(store, alert('a-1'), 'inc-1', T0));
    const next = await commitFor(store, alert('a-2', { subject: subject('bg2') }), 'inc-2', T0);
    await store.close();
    await expect(store.commitAlert(next)).rejects.toBeInstanceOf(StoreUnavailableError);
  });
});

describe('recordAlert over the SQLite store', () => {
  function deps(ids: string[]): Parameters<typeof recordAlert>[0] {
    let clock = T0;
    return {
      store,
      now: () => new Date((clock += 1_000)),
      policy: DEFAULT_ESCALATION_POLICY, newId: () => {
        const id = ids.shift();
        if (id === undefined) throw new Error('ran out of ids');
        return id;
      },
    };
  }

  it('creates, groups, ignores a retry and records a Resolved notice', async () => {
    const d = deps(['inc-1', 'inc-x', 'inc-y', 'inc-z']);
    const created = await recordAlert(d, alert('a-1'), '{"n":1}');
    expect(created).toMatchObject({ outcome: 'created', incident: { id: 'inc-1', version: 1, occurrences: 1 } });

    const grouped = await recordAlert(d, alert('a-2', { firedAt: '2025-03-01T11:59:00.000Z' }), '{"n":2}');
    expect(grouped).toMatchObject({ outcome: 'grouped', incident: { id: 'inc-1', version: 2, occurrences: 2 } });

    const duplicate = await recordAlert(d, alert('a-2', { firedAt: '2025-03-01T11:59:00.000Z' }), '{"n":2}');
    expect(duplicate).toEqual({ outcome: 'duplicate', incident: grouped.incident });

    const notice = await recordAlert(d, alert('a-1', { monitorCondition: 'Resolved', resolvedAt: '2025-03-01T12:05:00.000Z' }), '{"n":3}');
    expect(notice).toMatchObject({ outcome: 'resolved-notice', incident: { id: 'inc-1', version: 3, occurrences: 2, status: 'triggered', monitorResolvedAt: '2025-03-01T12:05:00.000Z' } });

    expect(await store.getIncident('inc-1')).toEqual(notice.incident);
    expect(await store.incidentForAlert('a-1', 'Resolved')).toEqual(notice.incident);
    expect(await store.countIncidentsByStatus()).toEqual({ triggered: 1, acknowledged: 0, resolved: 0 });
  });

  it('turns two simultaneous first alerts about one subject into one incident with two occurrences', async () => {
    const ids = ['inc-1', 'inc-2', 'inc-3', 'inc-4', 'inc-5', 'inc-6'];
    const d = deps(ids);
    const [one, two] = await Promise.all([
      recordAlert(d, alert('a-1', { firedAt: '2025-03-01T11:58:00.000Z' }), '{}'),
      recordAlert(d, alert('a-2', { firedAt: '2025-03-01T11:58:30.000Z' }), '{}'),
    ]);
    expect([one.outcome, two.outcome].sort()).toEqual(['created', 'grouped']);
    // Both decided "new incident" before either committed; the loser hit the one-open-per-subject
    // conflict and decided again (a third id drawn), which is the path under test.
    expect(ids).toHaveLength(3);
    expect(one.incident.id).toBe(two.incident.id);

    const open = await store.openIncidentFor(subject('bg1').key);
    expect(open).toMatchObject({ version: 2, occurrences: 2, firstSeen: '2025-03-01T11:58:00.000Z', lastSeen: '2025-03-01T11:58:30.000Z' });
    expect(await store.countIncidentsByStatus()).toEqual({ triggered: 1, acknowledged: 0, resolved: 0 });
    if (!open) throw new Error('no open incident');
    expect((await store.incidentForAlert('a-1', 'Fired'))?.id).toBe(open.id);
    expect((await store.incidentForAlert('a-2', 'Fired'))?.id).toBe(open.id);
    expect(await store.deliveryStats()).toMatchObject({ pending: 1 });
  });
});
