import { pino } from 'pino';
import { parsedAlert as baseAlert } from '../../support/parsed-alert.js';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EscalationClock } from '../../../bot/escalation/escalation-clock.js';
import type { EscalationPolicy } from '../../../bot/escalation/escalation-policy.js';
import { Metrics } from '../../../bot/http/metrics.js';
import { actOnIncident } from '../../../bot/incidents/act-on-incident.js';
import type { Incident } from '../../../bot/incidents/incident.js';
import { recordAlert } from '../../../bot/incidents/record-alert.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';
import { openSqliteStore, type SqliteStore } from '../../../bot/store/sqlite-store.js';
import { tempDir } from '../../support/temp-dir.js';

const MINUTE = 60_000;
const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const ADA = { id: 'aad-ada', name: 'Ada Lovelace' };

const TWO_LEVELS: EscalationPolicy = {
  levels: [
    {
      afterMs: 5 * MINUTE,
      notify: [
        { kind: 'mention', responderIds: [] },
        { kind: 'webhook', name: 'soc', url: 'https://hooks.example/soc', format: 'generic' },
      ],
    },
    { afterMs: 10 * MINUTE, notify: [{ kind: 'mention', responderIds: [] }] },
  ],
  repeat: 2,
  repeatEveryMs: 15 * MINUTE,
  reminderAfterMs: 60 * MINUTE,
};
const NO_LEVELS: EscalationPolicy = { ...TWO_LEVELS, levels: [] };
const NO_REMINDERS: EscalationPolicy = { ...TWO_LEVELS, reminderAfterMs: 0 };

let dir: { path: string; remove: () => void };
let store: SqliteStore;
let now: number;
let metrics: Metrics;
let changes: number;
const clocks: EscalationClock[] = [];

beforeEach(() => {
  dir = tempDir('glasswatch-clock-');
  store = openSqliteStore(dir.path);
  now = T0;
  metrics = new Metrics();
  changes = 0;
});

afterEach(async () => {
  await Promise.all(clocks.splice(0).map((clock) => clock.stop()));
  await store.close();
  dir.remove();
});

function clockWith(policy: EscalationPolicy): EscalationClock {
  const clock = new EscalationClock({
    store,
    now: () => new Date(now),
    policy,
    metrics,
    logger: pino({ level: 'silent' }),
    onChange: () => {
      changes++;
    },
  });
  clocks.push(clock);
  return clock;
}

/** Exactly one round of the clock's work: start() runs it, stop() waits for it and schedules nothing. */
async function oneRound(clock: EscalationClock): Promise<void> {
  clock.start();
  await clock.stop();
}

function alert(): ParsedAlert {
  const firedAt = new Date(T0 - MINUTE).toISOString();
  return baseAlert({ firedAt, signIns: [{ time: firedAt, upn: 'bg1@contoso.onmicrosoft.com', resultType: '0' }], links: {} });
}

/** A real incident opened at T0 under `policy`, through the intake path. */
async function openIncident(policy: EscalationPolicy): Promise<Incident> {
  const recorded = await recordAlert({ store, now: () => new Date(now), policy, newId: () => 'inc-1' }, alert(), '{}');
  return recorded.incident;
}

async function stored(): Promise<Incident> {
  const incident = await store.getIncident('inc-1');
  if (!incident) throw new Error('incident inc-1 is not stored');
  return incident;
}

async function auditKinds(): Promise<string[]> {
  return (await store.readAudit('inc-1')).map((entry) => entry.kind);
}

describe('EscalationClock firing a due timer', () => {
  it('escalates to level 1 once, audits it and stores the notifications in the same commit', async () => {
    const opened = await openIncident(TWO_LEVELS);
    expect(opened.escalation.nextAt).toBe(new Date(T0 + 5 * MINUTE).toISOString());

    now = T0 + 5 * MINUTE;
    await oneRound(clockWith(TWO_LEVELS));

    const incident = await stored();
    expect(incident.escalation).toMatchObject({ level: 1, repeats: 0, since: new Date(now).toISOString(), nextAt: new Date(now + 10 * MINUTE).toISOString() });
    expect(incident.version).toBe(opened.version + 1);
    expect(await auditKinds()).toEqual(['alert.created', 'incident.escalated']);
    const [escalated] = (await store.readAudit('inc-1')).filter((entry) => entry.kind === 'incident.escalated');
    expect(escalated?.data).toMatchObject({ level: 1, repeat: 0, manual: false });

    const due = await store.dueNotifications(now, 10);
    expect(due.map((n) => [n.incidentId, n.intent.kind, n.attempts])).toEqual([
      ['inc-1', 'mention', 0],
      ['inc-1', 'webhook', 0],
    ]);
    expect(due[0]?.intent).toMatchObject({ kind: 'mention', level: 1, reason: 'Nobody acknowledged within 5 min' });
    expect(await store.nextTimerAt()).toBe(now + 10 * MINUTE);
    expect(metrics.get('glasswatch_escalations_total', { kind: 'escalated' })).toBe(1);
    expect(changes).toBe(1);
  });

  it('does nothing before the timer is due', async () => {
    await openIncident(TWO_LEVELS);

    now = T0 + 5 * MINUTE - 1;
    await oneRound(clockWith(TWO_LEVELS));

    expect((await stored()).escalation.level).toBe(0);
    expect(await auditKinds()).toEqual(['alert.created']);
    expect(await store.dueNotifications(now, 10)).toEqual([]);
    expect(changes).toBe(0);
  });

  it('does not escalate again when its work runs twice at the same time', async () => {
    await openIncident(TWO_LEVELS);
    now = T0 + 5 * MINUTE;
    const clock = clockWith(TWO_LEVELS);

    await oneRound(clock);
    const after = await stored();
    await oneRound(clock);

    expect(await stored()).toEqual(after);
    expect(await auditKinds()).toEqual(['alert.created', 'incident.escalated']);
    expect(await store.dueNotifications(now, 10)).toHaveLength(2);
    expect(metrics.get('glasswatch_escalations_total', { kind: 'escalated' })).toBe(1);
  });

  it('fires once when two clocks on the same store both see the timer due', async () => {
    await openIncident(TWO_LEVELS);
    now = T0 + 5 * MINUTE;
    const dueTimers = vi.spyOn(store, 'dueTimers');
    const first = clockWith(TWO_LEVELS);
    const second = clockWith(TWO_LEVELS);

    first.start();
    second.start();
    await Promise.all([first.stop(), second.stop()]);

    // Both loaded the incident as due before either committed: only the version check keeps one out.
    const seen = await Promise.all(dueTimers.mock.results.map((result) => (result.type === 'return' ? result.value : Promise.resolve([]))));
    expect(seen.map((incidents) => incidents.map((i) => `${i.id}@v${i.version}`))).toEqual([['inc-1@v1'], ['inc-1@v1']]);

    expect((await stored()).escalation).toMatchObject({ level: 1, repeats: 0 });
    expect(await auditKinds()).toEqual(['alert.created', 'incident.escalated']);
    expect(await store.dueNotifications(now, 10)).toHaveLength(2);
    expect(metrics.get('glasswatch_escalations_total', { kind: 'escalated' })).toBe(1);
  });
});

describe('EscalationClock realigning a stale timer', () => {
  it('clears a timer the current policy has nothing left for, audits it and does not spin', async () => {
    const staleAt = T0 + 5 * MINUTE;
    await openIncident(TWO_LEVELS);
    expect(await store.nextTimerAt()).toBe(staleAt);

    now = T0 + 6 * MINUTE;
    const dueTimers = vi.spyOn(store, 'dueTimers');
    const clock = clockWith(NO_LEVELS);
    clock.start();
    // Long enough for a clock that keeps picking the timer up to go round many times.
    await new Promise((resolve) => setTimeout(resolve, 150));
    await clock.stop();

    expect(dueTimers).toHaveBeenCalledTimes(1);
    const incident = await stored();
    expect(incident.escalation.nextAt).toBeUndefined();
    expect(incident.escalation.level).toBe(0);
    expect(await store.nextTimerAt()).toBeUndefined();
    expect(await store.dueTimers(now, 10)).toEqual([]);

    const audit = await store.readAudit('inc-1');
    expect(audit.map((entry) => entry.kind)).toEqual(['alert.created', 'incident.timer-realigned']);
    expect(audit[1]?.data).toEqual({ stored: new Date(staleAt).toISOString(), nextAt: null });
    expect(await store.dueNotifications(now, 10)).toEqual([]);
    expect(metrics.get('glasswatch_escalations_total', { kind: 'escalated' })).toBe(0);
  });

  it('clears a reminder timer stored before reminders were switched off', async () => {
    await openIncident(TWO_LEVELS);
    now = T0 + MINUTE;
    const acknowledged = await actOnIncident({ store, now: () => new Date(now), policy: TWO_LEVELS }, 'inc-1', { type: 'acknowledge', actor: ADA });
    expect(acknowledged.ok).toBe(true);
    expect(await store.nextTimerAt()).toBe(now + 60 * MINUTE);

    now = T0 + 2 * 60 * MINUTE;
    await oneRound(clockWith(NO_REMINDERS));

    expect((await stored()).escalation.nextAt).toBeUndefined();
    expect(await store.nextTimerAt()).toBeUndefined();
    expect(await auditKinds()).toEqual(['alert.created', 'incident.acknowledged', 'incident.timer-realigned']);
    expect(await store.dueNotifications(now, 10)).toEqual([]);
  });

  it('leaves a timer alone that is merely not due yet', async () => {
    await openIncident(TWO_LEVELS);
    now = T0 + MINUTE;

    await oneRound(clockWith(NO_LEVELS));

    expect(await store.nextTimerAt()).toBe(T0 + 5 * MINUTE);
    expect(await auditKinds()).toEqual(['alert.created']);
  });
});
