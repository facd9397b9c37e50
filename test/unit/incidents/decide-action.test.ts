import fc from 'fast-check';
import { parsedAlert as baseAlert } from '../../support/parsed-alert.js';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_POLICY as POLICY, type EscalationPolicy, type EscalationTarget } from '../../../bot/escalation/escalation-policy.js';
import { nextTimerAt } from '../../../bot/escalation/schedule.js';
import { decideAction, formatDuration, NOTE_MAX_LENGTH } from '../../../bot/incidents/decide-action.js';
import { decideAlert } from '../../../bot/incidents/decide-alert.js';
import type { Decision, IncidentCommand, IncidentEvent, Refusal } from '../../../bot/incidents/incident-command.js';
import { SYSTEM_ACTOR, TIMELINE_KEPT, type Actor, type Incident, type Resolution } from '../../../bot/incidents/incident.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';

const OPEN = new Date('2025-03-01T12:00:00.000Z');
const ADA: Actor = { id: 'aad-ada', name: 'Ada Lovelace' };
const BOB: Actor = { id: 'aad-bob', name: 'Bob Hopper' };
const MENTION_ALL: EscalationTarget[] = [{ kind: 'mention', responderIds: [] }];
const NO_LEVELS: EscalationPolicy = { ...POLICY, levels: [] };
const NO_REMINDERS: EscalationPolicy = { ...POLICY, reminderAfterMs: 0 };

function parsedAlert(overrides: Partial<ParsedAlert> = {}): ParsedAlert {
  return baseAlert({ alertId: '/subscriptions/s/providers/Microsoft.AlertsManagement/alerts/a-1', ...overrides });
}

/** A real new incident, opened by the intake decider at OPEN. */
function opened(policy: EscalationPolicy = POLICY): Incident {
  const decision = decideAlert(parsedAlert(), {}, OPEN, 'inc-1', policy);
  expect(decision.outcome).toBe('created');
  return decision.incident;
}

function minutes(n: number): Date {
  return new Date(OPEN.getTime() + n * 60_000);
}

function iso(n: number): string {
  return minutes(n).toISOString();
}

function accepted(decision: Decision): { incident: Incident; events: IncidentEvent[] } {
  if (!decision.ok) throw new Error(`expected acceptance, got ${decision.refusal.code}: ${decision.refusal.message}`);
  return decision;
}

function refused(decision: Decision): Refusal {
  if (decision.ok) throw new Error(`expected a refusal, got ${decision.incident.status} v${decision.incident.version}`);
  return decision.refusal;
}

/** Applies accepted commands in order; each is [command, minutes after OPEN]. */
function after(start: Incident, steps: [IncidentCommand, number][], policy: EscalationPolicy = POLICY): Incident {
  return steps.reduce((incident, [command, at]) => accepted(decideAction(incident, command, minutes(at), policy)).incident, start);
}

function inStatus<S extends Incident['status']>(incident: Incident, status: S): Extract<Incident, { status: S }> {
  if (incident.status !== status) throw new Error(`expected ${status}, got ${incident.status}`);
  return incident as Extract<Incident, { status: S }>;
}

function lastEntry(incident: Incident): Incident['timeline'][number] | undefined {
  return incident.timeline[incident.timeline.length - 1];
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

const ack = (actor: Actor = ADA): IncidentCommand => ({ type: 'acknowledge', actor });
const unack = (actor: Actor = ADA): IncidentCommand => ({ type: 'unacknowledge', actor });
const escalate = (actor: Actor = ADA): IncidentCommand => ({ type: 'escalate', actor });
const resolveAs = (resolution: Resolution, note?: string, actor: Actor = ADA): IncidentCommand => ({ type: 'resolve', actor, resolution, note });
const note = (text: string, actor: Actor = ADA): IncidentCommand => ({ type: 'note', actor, note: text });
const rotation = (actor: Actor = ADA): IncidentCommand => ({ type: 'confirm-rotation', actor });
const TIMER: IncidentCommand = { type: 'timer-due' };

describe('decideAction: the opened incident it starts from', () => {
  it('is triggered at version 1 with level 1 due after its wait', () => {
    const incident = opened();
    expect(incident.status).toBe('triggered');
    expect(incident.version).toBe(1);
    expect(incident.escalation).toEqual({ level: 0, repeats: 0, reminders: 0, since: iso(0), nextAt: iso(5) });
  });
});

describe('decideAction: acknowledge', () => {
  it('moves a triggered incident to acknowledged and starts the reminder clock', () => {
    const { incident, events } = accepted(decideAction(opened(), ack(), minutes(3), POLICY));
    const acknowledged = inStatus(incident, 'acknowledged');
    expect(acknowledged.version).toBe(2);
    expect(acknowledged.acknowledgedBy).toEqual(ADA);
    expect(acknowledged.acknowledgedAt).toBe(iso(3));
    expect(acknowledged.escalation).toEqual({ level: 0, repeats: 0, reminders: 0, since: iso(3), nextAt: iso(63) });
    expect(events).toEqual([{ type: 'acknowledged', actor: ADA }]);
    expect(lastEntry(acknowledged)).toEqual({ at: iso(3), actor: ADA, kind: 'acknowledged', text: 'Acknowledged by Ada Lovelace' });
    expect(acknowledged.timeline).toHaveLength(2);
  });

  it('keeps the level already reached and resets the reminder count', () => {
    const escalated = after(opened(), [[TIMER, 5]]);
    expect(escalated.escalation.level).toBe(1);
    const { incident } = accepted(decideAction(escalated, ack(), minutes(7), POLICY));
    expect(incident.escalation).toEqual({ level: 1, repeats: 0, reminders: 0, since: iso(7), nextAt: iso(67) });
  });

  it('schedules nothing when reminders are switched off', () => {
    const { incident } = accepted(decideAction(opened(NO_REMINDERS), ack(), minutes(3), NO_REMINDERS));
    expect(incident.escalation.nextAt).toBeUndefined();
    expect('nextAt' in incident.escalation).toBe(false);
  });

  it('refuses an acknowledged incident, naming who and when', () => {
    const acknowledged = after(opened(), [[ack(), 3]]);
    const refusal = refused(decideAction(acknowledged, ack(BOB), minutes(4), POLICY));
    expect(refusal).toEqual({ code: 'already-acknowledged', message: 'Already acknowledged by Ada Lovelace at 12:03 UTC.' });
  });

  it('adds the date when the acknowledgement was on another day', () => {
    const acknowledged = after(opened(), [[ack(), 3]]);
    const refusal = refused(decideAction(acknowledged, ack(BOB), minutes(24 * 60), POLICY));
    expect(refusal.message).toBe('Already acknowledged by Ada Lovelace at 12:03 UTC on 2025-03-01.');
  });

  it('refuses a resolved incident, naming the resolution, who and when', () => {
    const resolved = after(opened(), [[resolveAs('unauthorized'), 10]]);
    const refusal = refused(decideAction(resolved, ack(BOB), minutes(11), POLICY));
    expect(refusal).toEqual({ code: 'already-resolved', message: 'Already resolved (unauthorized) by Ada Lovelace at 12:10 UTC.' });
  });
});

describe('decideAction: unacknowledge', () => {
  it('hands an acknowledged incident back, dropping the acknowledgement', () => {
    const acknowledged = after(opened(), [[ack(), 3]]);
    const { incident, events } = accepted(decideAction(acknowledged, unack(BOB), minutes(20), POLICY));
    expect(incident.status).toBe('triggered');
    expect('acknowledgedBy' in incident).toBe(false);
    expect('acknowledgedAt' in incident).toBe(false);
    expect(incident.version).toBe(3);
    expect(events).toEqual([{ type: 'unacknowledged', actor: BOB }]);
    expect(lastEntry(incident)).toEqual({ at: iso(20), actor: BOB, kind: 'unacknowledged', text: 'Unacknowledged by Bob Hopper' });
  });

  it('restarts the ladder from now at the current level: the next level after its own wait', () => {
    const acknowledged = after(opened(), [[TIMER, 5], [ack(), 6]]);
    const { incident } = accepted(decideAction(acknowledged, unack(), minutes(30), POLICY));
    // Level 1 was notified; level 2 waits 10 min, counted from the hand-back.
    expect(incident.escalation).toEqual({ level: 1, repeats: 0, reminders: 0, since: iso(30), nextAt: iso(40) });
  });

  it('before any escalation, level 1 fires after its wait from the hand-back', () => {
    const acknowledged = after(opened(), [[ack(), 1]]);
    const { incident } = accepted(decideAction(acknowledged, unack(), minutes(2), POLICY));
    expect(incident.escalation).toEqual({ level: 0, repeats: 0, reminders: 0, since: iso(2), nextAt: iso(7) });
  });

  it('gives an exhausted ladder its repeats again and forgets the reminders', () => {
    const exhausted = after(opened(), [[TIMER, 5], [TIMER, 15], [TIMER, 30], [TIMER, 45], [ack(), 50], [TIMER, 110]]);
    expect(exhausted.escalation).toMatchObject({ level: 2, repeats: 2, reminders: 1 });
    const { incident } = accepted(decideAction(exhausted, unack(), minutes(120), POLICY));
    expect(incident.escalation).toEqual({ level: 2, repeats: 0, reminders: 0, since: iso(120), nextAt: iso(135) });
  });

  it('refuses a triggered incident', () => {
    expect(refused(decideAction(opened(), unack(), minutes(1), POLICY))).toEqual({
      code: 'not-acknowledged',
      message: 'Not acknowledged: there is nothing to hand back.',
    });
  });

  it('refuses a resolved incident', () => {
    const resolved = after(opened(), [[ack(), 1], [resolveAs('drill'), 2]]);
    expect(refused(decideAction(resolved, unack(), minutes(3), POLICY)).code).toBe('already-resolved');
  });
});

describe('decideAction: escalate (the button)', () => {
  it('notifies level 1 now and counts the next wait from now', () => {
    const { incident, events } = accepted(decideAction(opened(), escalate(), minutes(1), POLICY));
    expect(incident.status).toBe('triggered');
    expect(incident.version).toBe(2);
    expect(events).toEqual([{ type: 'escalated', actor: ADA, level: 1, repeat: 0, manual: true }]);
    expect(incident.escalation).toEqual({ level: 1, repeats: 0, reminders: 0, since: iso(1), nextAt: iso(11) });
    expect(lastEntry(incident)).toEqual({ at: iso(1), actor: ADA, kind: 'escalated', text: 'Escalated to level 1 by Ada Lovelace' });
  });

  it('goes from level 1 to level 2', () => {
    const atOne = after(opened(), [[TIMER, 5]]);
    const { incident, events } = accepted(decideAction(atOne, escalate(BOB), minutes(6), POLICY));
    expect(events).toEqual([{ type: 'escalated', actor: BOB, level: 2, repeat: 0, manual: true }]);
    expect(incident.escalation).toEqual({ level: 2, repeats: 0, reminders: 0, since: iso(6), nextAt: iso(21) });
    expect(lastEntry(incident)?.text).toBe('Escalated to level 2 by Bob Hopper');
  });

  it('at the last level counts a repeat and is never refused, even past the policy repeats', () => {
    let incident = after(opened(), [[escalate(), 1], [escalate(), 2]]);
    for (let repeat = 1; repeat <= POLICY.repeat + 2; repeat += 1) {
      const decision = accepted(decideAction(incident, escalate(), minutes(2 + repeat), POLICY));
      expect(decision.events).toEqual([{ type: 'escalated', actor: ADA, level: 2, repeat, manual: true }]);
      expect(lastEntry(decision.incident)?.text).toBe(`Escalated to level 2 again by Ada Lovelace (repeat ${repeat})`);
      incident = decision.incident;
    }
    expect(incident.escalation.repeats).toBe(POLICY.repeat + 2);
    expect(incident.escalation.nextAt).toBeUndefined();
  });

  it('leaves an acknowledged incident acknowledged and restarts its reminder clock', () => {
    const acknowledged = after(opened(), [[ack(), 2]]);
    const { incident, events } = accepted(decideAction(acknowledged, escalate(), minutes(30), POLICY));
    const still = inStatus(incident, 'acknowledged');
    expect(still.acknowledgedBy).toEqual(ADA);
    expect(still.acknowledgedAt).toBe(iso(2));
    expect(events).toEqual([{ type: 'escalated', actor: ADA, level: 1, repeat: 0, manual: true }]);
    expect(still.escalation).toEqual({ level: 1, repeats: 0, reminders: 0, since: iso(30), nextAt: iso(90) });
  });

  it('with no levels configured still records the request, at level 0, with nothing scheduled', () => {
    const { incident, events } = accepted(decideAction(opened(NO_LEVELS), escalate(), minutes(1), NO_LEVELS));
    expect(events).toEqual([{ type: 'escalated', actor: ADA, level: 0, repeat: 0, manual: true }]);
    expect(incident.escalation).toEqual({ level: 0, repeats: 0, reminders: 0, since: iso(1) });
    expect(lastEntry(incident)?.text).toBe('Escalated by Ada Lovelace (no escalation levels configured)');
  });

  it('refuses a resolved incident', () => {
    const resolved = after(opened(), [[resolveAs('false-positive'), 4]]);
    expect(refused(decideAction(resolved, escalate(), minutes(5), POLICY))).toEqual({
      code: 'already-resolved',
      message: 'Already resolved (false positive) by Ada Lovelace at 12:04 UTC.',
    });
  });
});

describe('decideAction: resolve', () => {
  it('resolves a triggered incident with a trimmed note and stops the clock', () => {
    const { incident, events } = accepted(decideAction(opened(), resolveAs('unauthorized', '  used by the attacker \n'), minutes(9), POLICY));
    const resolved = inStatus(incident, 'resolved');
    expect(resolved).toMatchObject({ version: 2, resolvedBy: ADA, resolvedAt: iso(9), resolution: 'unauthorized', resolutionNote: 'used by the attacker' });
    expect(resolved.escalation.nextAt).toBeUndefined();
    expect(resolved.passwordRotation).toBeUndefined();
    expect(events).toEqual([{ type: 'resolved', actor: ADA, resolution: 'unauthorized', note: 'used by the attacker' }]);
    expect(lastEntry(resolved)).toEqual({ at: iso(9), actor: ADA, kind: 'resolved', text: 'Resolved as unauthorized by Ada Lovelace: used by the attacker' });
  });

  it('resolves an acknowledged incident and drops the acknowledgement fields', () => {
    const acknowledged = after(opened(), [[ack(BOB), 2]]);
    const { incident } = accepted(decideAction(acknowledged, resolveAs('drill'), minutes(20), POLICY));
    expect(incident.status).toBe('resolved');
    expect('acknowledgedBy' in incident).toBe(false);
    expect(incident.escalation.nextAt).toBeUndefined();
    expect(incident.timeline.map((e) => e.kind)).toEqual(['opened', 'acknowledged', 'resolved']);
  });

  it('treats a blank note as no note', () => {
    const { incident, events } = accepted(decideAction(opened(), resolveAs('authorized-emergency', '   '), minutes(9), POLICY));
    expect('resolutionNote' in incident).toBe(false);
    expect(events).toEqual([{ type: 'resolved', actor: ADA, resolution: 'authorized-emergency' }]);
    expect(lastEntry(incident)?.text).toBe('Resolved as authorized emergency by Ada Lovelace');
  });

  it('caps a long resolution note', () => {
    const { incident } = accepted(decideAction(opened(), resolveAs('drill', 'x'.repeat(5_000)), minutes(9), POLICY));
    const resolved = inStatus(incident, 'resolved');
    expect(resolved.resolutionNote).toHaveLength(NOTE_MAX_LENGTH);
    expect(resolved.resolutionNote?.endsWith('…')).toBe(true);
  });

  it('refuses an already resolved incident', () => {
    const resolved = after(opened(), [[resolveAs('drill'), 9]]);
    expect(refused(decideAction(resolved, resolveAs('unauthorized', 'second thoughts', BOB), minutes(10), POLICY))).toEqual({
      code: 'already-resolved',
      message: 'Already resolved (drill) by Ada Lovelace at 12:09 UTC.',
    });
  });
});

describe('decideAction: note', () => {
  it('adds a note to a triggered incident without touching its status or timer', () => {
    const start = opened();
    const { incident, events } = accepted(decideAction(start, note('  called Bob, it was not him  '), minutes(2), POLICY));
    expect(incident.status).toBe('triggered');
    expect(incident.version).toBe(2);
    expect(incident.escalation).toEqual(start.escalation);
    expect(events).toEqual([{ type: 'note-added', actor: ADA, note: 'called Bob, it was not him' }]);
    expect(lastEntry(incident)).toEqual({ at: iso(2), actor: ADA, kind: 'note', text: 'Note by Ada Lovelace: called Bob, it was not him' });
  });

  it('is allowed on a resolved incident (the post-incident review) and schedules nothing', () => {
    const resolved = after(opened(), [[resolveAs('unauthorized'), 9]]);
    const { incident } = accepted(decideAction(resolved, note('review: CA gap closed', BOB), minutes(600), POLICY));
    expect(incident.status).toBe('resolved');
    expect(incident.version).toBe(3);
    expect(incident.escalation.nextAt).toBeUndefined();
  });

  it('refuses an empty or blank note', () => {
    for (const text of ['', '   ', '\n\t']) {
      expect(refused(decideAction(opened(), note(text), minutes(2), POLICY)).code).toBe('empty-note');
    }
  });

  it('caps a long note at NOTE_MAX_LENGTH', () => {
    const { events } = accepted(decideAction(opened(), note('y'.repeat(NOTE_MAX_LENGTH + 1)), minutes(2), POLICY));
    const [event] = events;
    expect(event?.type === 'note-added' ? event.note.length : 0).toBe(NOTE_MAX_LENGTH);
  });

  it('keeps a note of exactly NOTE_MAX_LENGTH whole', () => {
    const text = 'z'.repeat(NOTE_MAX_LENGTH);
    const { events } = accepted(decideAction(opened(), note(text), minutes(2), POLICY));
    expect(events).toEqual([{ type: 'note-added', actor: ADA, note: text }]);
  });

  it('turns control and bidi characters into spaces, in the note and the actor name', () => {
    const sly: Actor = { id: 'aad-eve', name: 'Eve\u202e\nAdmin' };
    const { incident } = accepted(decideAction(opened(), note('line one\nline two\u2028'), minutes(2), POLICY));
    expect(lastEntry(incident)?.text).toBe('Note by Ada Lovelace: line one line two');
    const { incident: second } = accepted(decideAction(incident, note('hi', sly), minutes(3), POLICY));
    expect(lastEntry(second)?.text).toBe('Note by Eve  Admin: hi');
  });
});

describe('decideAction: confirm-rotation', () => {
  const message = 'Resolve the incident first; the password is rotated after the use has ended.';

  it('refuses an open incident', () => {
    expect(refused(decideAction(opened(), rotation(), minutes(1), POLICY))).toEqual({ code: 'not-resolved', message });
    const acknowledged = after(opened(), [[ack(), 1]]);
    expect(refused(decideAction(acknowledged, rotation(), minutes(2), POLICY))).toEqual({ code: 'not-resolved', message });
  });

  it('records who confirmed the rotation of a resolved incident', () => {
    const resolved = after(opened(), [[resolveAs('authorized-emergency'), 30]]);
    const { incident, events } = accepted(decideAction(resolved, rotation(BOB), minutes(60), POLICY));
    expect(inStatus(incident, 'resolved').passwordRotation).toEqual({ confirmedBy: BOB, confirmedAt: iso(60) });
    expect(events).toEqual([{ type: 'rotation-confirmed', actor: BOB }]);
    expect(lastEntry(incident)).toEqual({ at: iso(60), actor: BOB, kind: 'rotation-confirmed', text: 'Password rotation confirmed by Bob Hopper' });
    expect(incident.escalation.nextAt).toBeUndefined();
  });

  it('confirms once, then names who confirmed and when', () => {
    const confirmed = after(opened(), [[resolveAs('drill'), 30], [rotation(BOB), 60]]);
    expect(refused(decideAction(confirmed, rotation(), minutes(61), POLICY))).toEqual({
      code: 'already-confirmed',
      message: 'Password rotation already confirmed by Bob Hopper at 13:00 UTC.',
    });
  });
});

describe('decideAction: timer-due while triggered', () => {
  it('is not due a millisecond early, and due exactly at nextAt', () => {
    const start = opened();
    const early = refused(decideAction(start, TIMER, new Date(minutes(5).getTime() - 1), POLICY));
    expect(early).toEqual({ code: 'not-due', message: 'The next step is not due yet (due at 12:05 UTC).' });
    expect(decideAction(start, TIMER, minutes(5), POLICY).ok).toBe(true);
  });

  it('notifies level 1 automatically and schedules level 2 after its wait', () => {
    const { incident, events } = accepted(decideAction(opened(), TIMER, minutes(5), POLICY));
    expect(events).toEqual([{ type: 'escalated', actor: SYSTEM_ACTOR, level: 1, repeat: 0, manual: false }]);
    expect(incident.escalation).toEqual({ level: 1, repeats: 0, reminders: 0, since: iso(5), nextAt: iso(15) });
    expect(lastEntry(incident)).toEqual({
      at: iso(5),
      actor: SYSTEM_ACTOR,
      kind: 'escalated',
      text: 'Escalated to level 1 (no acknowledgement after 5 min)',
    });
  });

  it('walks the ladder: level 2, then the repeats of the last level, then stops', () => {
    const atOne = after(opened(), [[TIMER, 5]]);
    const two = accepted(decideAction(atOne, TIMER, minutes(15), POLICY));
    expect(two.events).toEqual([{ type: 'escalated', actor: SYSTEM_ACTOR, level: 2, repeat: 0, manual: false }]);
    expect(lastEntry(two.incident)?.text).toBe('Escalated to level 2 (no acknowledgement after 10 min)');
    expect(two.incident.escalation.nextAt).toBe(iso(30));

    const repeat1 = accepted(decideAction(two.incident, TIMER, minutes(30), POLICY));
    expect(repeat1.events).toEqual([{ type: 'escalated', actor: SYSTEM_ACTOR, level: 2, repeat: 1, manual: false }]);
    expect(lastEntry(repeat1.incident)?.text).toBe('Escalated to level 2 again, repeat 1 of 2 (no acknowledgement after 15 min)');
    expect(repeat1.incident.escalation).toEqual({ level: 2, repeats: 1, reminders: 0, since: iso(30), nextAt: iso(45) });

    const repeat2 = accepted(decideAction(repeat1.incident, TIMER, minutes(45), POLICY));
    expect(repeat2.events).toEqual([{ type: 'escalated', actor: SYSTEM_ACTOR, level: 2, repeat: 2, manual: false }]);
    expect(repeat2.incident.escalation.nextAt).toBeUndefined();
    expect(refused(decideAction(repeat2.incident, TIMER, minutes(600), POLICY))).toEqual({
      code: 'not-due',
      message: 'Nothing is scheduled for this incident.',
    });
  });

  it('fires once: the new state is not due again at the same instant', () => {
    const { incident } = accepted(decideAction(opened(), TIMER, minutes(5), POLICY));
    expect(refused(decideAction(incident, TIMER, minutes(5), POLICY)).code).toBe('not-due');
  });

  it('counts the next wait from when it actually fired, so a late scheduler causes no burst', () => {
    const { incident } = accepted(decideAction(opened(), TIMER, minutes(40), POLICY));
    expect(incident.escalation).toMatchObject({ level: 1, since: iso(40), nextAt: iso(50) });
    expect(refused(decideAction(incident, TIMER, minutes(40), POLICY)).code).toBe('not-due');
  });

  it('refuses when the policy has no levels (nothing is ever scheduled)', () => {
    const start = opened(NO_LEVELS);
    expect(start.escalation.nextAt).toBeUndefined();
    expect(refused(decideAction(start, TIMER, minutes(600), NO_LEVELS)).code).toBe('not-due');
  });

  it('refuses a timer stored under an older policy that has nothing left under the current one', () => {
    const refusal = refused(decideAction(opened(POLICY), TIMER, minutes(5), NO_LEVELS));
    expect(refusal).toEqual({ code: 'not-due', message: 'Nothing is left on the escalation ladder under the current policy.' });
  });
});

describe('decideAction: timer-due while acknowledged', () => {
  it('reminds the acknowledger and schedules the next reminder', () => {
    const acknowledged = after(opened(), [[TIMER, 5], [ack(), 10]]);
    const first = accepted(decideAction(acknowledged, TIMER, minutes(70), POLICY));
    expect(first.incident.status).toBe('acknowledged');
    expect(first.events).toEqual([{ type: 'reminded', level: 1, reminder: 1 }]);
    expect(first.incident.escalation).toEqual({ level: 1, repeats: 0, reminders: 1, since: iso(70), nextAt: iso(130) });
    expect(lastEntry(first.incident)).toEqual({
      at: iso(70),
      actor: SYSTEM_ACTOR,
      kind: 'reminded',
      text: 'Reminder 1 to Ada Lovelace: acknowledged 60 min ago, still unresolved',
    });

    const second = accepted(decideAction(first.incident, TIMER, minutes(130), POLICY));
    expect(second.events).toEqual([{ type: 'reminded', level: 1, reminder: 2 }]);
    expect(lastEntry(second.incident)?.text).toBe('Reminder 2 to Ada Lovelace: acknowledged 2 h ago, still unresolved');
  });

  it('is not due before the reminder time', () => {
    const acknowledged = after(opened(), [[ack(), 10]]);
    expect(refused(decideAction(acknowledged, TIMER, minutes(69), POLICY)).code).toBe('not-due');
  });

  it('refuses a reminder timer stored before reminders were switched off', () => {
    const acknowledged = after(opened(), [[ack(), 10]]);
    expect(refused(decideAction(acknowledged, TIMER, minutes(70), NO_REMINDERS))).toEqual({ code: 'not-due', message: 'Reminders are switched off.' });
  });
});

describe('decideAction: timer-due while resolved', () => {
  it('is never due', () => {
    const resolved = after(opened(), [[resolveAs('drill'), 1]]);
    expect(refused(decideAction(resolved, TIMER, minutes(10_000), POLICY)).code).toBe('not-due');
  });
});

describe('decideAction: housekeeping', () => {
  it('never mutates the incident it is given', () => {
    const start = deepFreeze(after(opened(), [[ack(), 1]]));
    const copy = structuredClone(start);
    for (const command of [ack(), unack(), escalate(), resolveAs('drill', 'n'), note('n'), rotation(), TIMER]) {
      decideAction(start, command, minutes(500), POLICY);
    }
    expect(start).toEqual(copy);
  });

  it('keeps at most TIMELINE_KEPT timeline entries, dropping the oldest', () => {
    let incident = opened();
    for (let i = 1; i <= TIMELINE_KEPT + 5; i += 1) incident = accepted(decideAction(incident, note(`note ${i}`), minutes(i), POLICY)).incident;
    expect(incident.timeline).toHaveLength(TIMELINE_KEPT);
    expect(incident.timeline[0]?.text).toBe('Note by Ada Lovelace: note 6');
    expect(lastEntry(incident)?.text).toBe(`Note by Ada Lovelace: note ${TIMELINE_KEPT + 5}`);
    expect(incident.version).toBe(TIMELINE_KEPT + 6);
  });

  it('caps a long responder name in the timeline text but keeps the actor as given', () => {
    const long: Actor = { id: 'aad-long', name: 'N'.repeat(500) };
    const { incident } = accepted(decideAction(opened(), ack(long), minutes(1), POLICY));
    expect(lastEntry(incident)?.text.length).toBeLessThan(130);
    expect(lastEntry(incident)?.actor).toEqual(long);
  });

  it('formats durations for the timeline', () => {
    expect(formatDuration(45_000)).toBe('45 s');
    expect(formatDuration(5 * 60_000)).toBe('5 min');
    expect(formatDuration(119 * 60_000)).toBe('119 min');
    expect(formatDuration(120 * 60_000)).toBe('2 h');
    expect(formatDuration(150 * 60_000)).toBe('2 h 30 min');
  });
});

// ---------------------------------------------------------------------------------------------
// Properties: random command sequences from a new incident.

const actorArb = fc.constantFrom(ADA, BOB);
const resolutionArb = fc.constantFrom<Resolution>('drill', 'authorized-emergency', 'unauthorized', 'false-positive');
const noteArb = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', '   ', 'x'.repeat(1_500)));

const commandArb: fc.Arbitrary<IncidentCommand> = fc.oneof(
  actorArb.map((actor): IncidentCommand => ({ type: 'acknowledge', actor })),
  actorArb.map((actor): IncidentCommand => ({ type: 'unacknowledge', actor })),
  actorArb.map((actor): IncidentCommand => ({ type: 'escalate', actor })),
  fc.record({ actor: actorArb, resolution: resolutionArb, note: fc.option(noteArb, { nil: undefined }) }).map((r): IncidentCommand => ({ type: 'resolve', ...r })),
  fc.record({ actor: actorArb, note: noteArb }).map((r): IncidentCommand => ({ type: 'note', ...r })),
  actorArb.map((actor): IncidentCommand => ({ type: 'confirm-rotation', actor })),
  fc.constant<IncidentCommand>({ type: 'timer-due' }),
  fc.constant<IncidentCommand>({ type: 'timer-due' }),
);

const minutesArb = fc.integer({ min: 1, max: 90 }).map((m) => m * 60_000);
const policyArb: fc.Arbitrary<EscalationPolicy> = fc.record({
  levels: fc.array(fc.record({ afterMs: minutesArb, notify: fc.constant(MENTION_ALL) }), { maxLength: 3 }),
  repeat: fc.integer({ min: 0, max: 3 }),
  repeatEveryMs: minutesArb,
  reminderAfterMs: fc.oneof(fc.constant(0), minutesArb),
});

/** How far the clock moves before a step: a random amount, or straight to the stored timer. */
const advanceArb = fc.oneof(fc.integer({ min: 0, max: 120 * 60_000 }), fc.constant('to-timer' as const));
const stepsArb = fc.array(fc.record({ command: commandArb, advance: advanceArb }), { maxLength: 40 });
/** Long enough, with notes weighted in, for the timeline to overflow TIMELINE_KEPT. */
const longStepsArb = fc.array(
  fc.record({ command: fc.oneof(commandArb, fc.record({ actor: actorArb, note: fc.constant('long run') }).map((r): IncidentCommand => ({ type: 'note', ...r }))), advance: advanceArb }),
  { minLength: 40, maxLength: 80 },
);

interface Observation {
  before: Incident;
  command: IncidentCommand;
  decision: Decision;
  policy: EscalationPolicy;
}

/** Runs the steps, checking the input is never mutated, and hands each observation to `check`. */
function runSteps(policy: EscalationPolicy, steps: { command: IncidentCommand; advance: number | 'to-timer' }[], check: (o: Observation) => void): void {
  let incident = opened(policy);
  let now = OPEN.getTime();
  for (const { command, advance } of steps) {
    const timer = incident.escalation.nextAt;
    now = advance === 'to-timer' ? Math.max(now, timer === undefined ? now : Date.parse(timer)) : now + advance;
    const before = deepFreeze(incident);
    const snapshot = structuredClone(before);
    const decision = decideAction(before, command, new Date(now), policy);
    expect(before).toEqual(snapshot);
    check({ before, command, decision, policy });
    if (decision.ok) incident = decision.incident;
  }
}

describe('decideAction: properties over random command sequences', () => {
  it('(a) version rises by exactly 1 per accepted command; a refusal changes nothing', () => {
    fc.assert(
      fc.property(policyArb, stepsArb, (policy, steps) => {
        runSteps(policy, steps, ({ before, decision }) => {
          if (decision.ok) {
            expect(decision.incident.version).toBe(before.version + 1);
            expect(decision.events.length).toBeGreaterThan(0);
          } else {
            expect(decision.refusal.message.length).toBeGreaterThan(0);
          }
        });
      }),
      { numRuns: 300 },
    );
  });

  it('(b) the stored timer is always nextTimerAt of the state', () => {
    fc.assert(
      fc.property(policyArb, stepsArb, (policy, steps) => {
        runSteps(policy, steps, ({ decision }) => {
          if (!decision.ok) return;
          const { status, escalation } = decision.incident;
          expect(escalation.nextAt).toBe(nextTimerAt(status, escalation, policy));
          if (escalation.nextAt !== undefined) expect(Date.parse(escalation.nextAt)).toBeGreaterThan(Date.parse(escalation.since) - 1);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('(c) a resolved incident has no timer and refuses all but a note and one rotation confirmation', () => {
    fc.assert(
      fc.property(policyArb, stepsArb, (policy, steps) => {
        runSteps(policy, steps, ({ before, command, decision }) => {
          if (decision.ok && decision.incident.status === 'resolved') expect(decision.incident.escalation.nextAt).toBeUndefined();
          if (before.status !== 'resolved') return;
          expect(before.escalation.nextAt).toBeUndefined();
          switch (command.type) {
            case 'note':
              expect(decision.ok).toBe(command.note.trim() !== '');
              break;
            case 'confirm-rotation':
              expect(decision.ok).toBe(before.passwordRotation === undefined);
              break;
            default:
              expect(decision.ok).toBe(false);
          }
          if (decision.ok) expect(decision.incident.status).toBe('resolved');
        });
      }),
      { numRuns: 300 },
    );
  });

  it('(d) the timeline never holds more than TIMELINE_KEPT entries and grows by one per accepted command', () => {
    fc.assert(
      fc.property(policyArb, longStepsArb, (policy, steps) => {
        runSteps(policy, steps, ({ before, decision }) => {
          if (!decision.ok) return;
          expect(decision.incident.timeline.length).toBeLessThanOrEqual(TIMELINE_KEPT);
          expect(decision.incident.timeline.length).toBe(Math.min(before.timeline.length + 1, TIMELINE_KEPT));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('(e) timer-due is accepted only when the stored timer is due, and then not again at the same instant', () => {
    fc.assert(
      fc.property(policyArb, stepsArb, (policy, steps) => {
        runSteps(policy, steps, ({ before, command, decision }) => {
          if (command.type !== 'timer-due' || !decision.ok) return;
          const due = before.escalation.nextAt;
          expect(due).toBeDefined();
          const firedAt = decision.incident.timeline[decision.incident.timeline.length - 1]?.at ?? '';
          expect(Date.parse(due ?? '')).toBeLessThanOrEqual(Date.parse(firedAt));
          expect(decideAction(decision.incident, command, new Date(firedAt), policy).ok).toBe(false);
        });
      }),
      { numRuns: 300 },
    );
  });
});
