import type { EscalationPolicy } from '../escalation/escalation-policy.js';
import { nextTimerAt } from '../escalation/schedule.js';
import { cleanText } from '../intake/clean-text.js';
import { appendTimeline } from './append-timeline.js';
import {
  SYSTEM_ACTOR,
  type AcknowledgedIncident,
  type Actor,
  type EscalationState,
  type Incident,
  type Resolution,
  type ResolvedIncident,
  type TimelineEntry,
  type TriggeredIncident,
} from './incident.js';
import type { Decision, IncidentCommand, IncidentEvent, Refusal } from './incident-command.js';

/** The longest note (or resolution note) kept; longer text is cut and ends with "…". */
export const NOTE_MAX_LENGTH = 1_000;

type OpenIncident = TriggeredIncident | AcknowledgedIncident;

/**
 * The pure lifecycle decider: what one command does to one incident at `now` under `policy`.
 * An accepted command yields the next incident (version + 1, one timeline line, the escalation
 * timer recomputed) and its events; anything else is a refusal the person is simply told.
 */
export function decideAction(incident: Incident, command: IncidentCommand, now: Date, policy: EscalationPolicy): Decision {
  switch (command.type) {
    case 'acknowledge':
      return acknowledge(incident, command.actor, now, policy);
    case 'unacknowledge':
      return unacknowledge(incident, command.actor, now, policy);
    case 'escalate':
      return escalate(incident, command.actor, now, policy);
    case 'resolve':
      return resolve(incident, command.actor, command.resolution, command.note, now, policy);
    case 'note':
      return addNote(incident, command.actor, command.note, now, policy);
    case 'confirm-rotation':
      return confirmRotation(incident, command.actor, now, policy);
    case 'timer-due':
      return timerDue(incident, now, policy);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

function acknowledge(incident: Incident, actor: Actor, now: Date, policy: EscalationPolicy): Decision {
  switch (incident.status) {
    case 'triggered': {
      const at = now.toISOString();
      // The ladder stays where it is; from here on the clock counts towards a reminder.
      const next: AcknowledgedIncident = {
        ...incident,
        status: 'acknowledged',
        acknowledgedBy: actor,
        acknowledgedAt: at,
        escalation: { ...incident.escalation, since: at, reminders: 0 },
      };
      return accept(incident, next, { actor, kind: 'acknowledged', text: `Acknowledged by ${nameOf(actor)}` }, [{ type: 'acknowledged', actor }], now, policy);
    }
    case 'acknowledged':
      return refuse('already-acknowledged', `Already acknowledged by ${nameOf(incident.acknowledgedBy)} ${atTime(incident.acknowledgedAt, now)}.`);
    case 'resolved':
      return alreadyResolved(incident, now);
    default:
      return unknownStatus(incident);
  }
}

function unacknowledge(incident: Incident, actor: Actor, now: Date, policy: EscalationPolicy): Decision {
  switch (incident.status) {
    case 'acknowledged': {
      const at = now.toISOString();
      // Handed back: the next level fires after its own wait, counted from now. Repeats start
      // over so a ladder that had run out still reaches someone again.
      const next: TriggeredIncident = {
        ...openBase(incident),
        status: 'triggered',
        escalation: { level: incident.escalation.level, repeats: 0, reminders: 0, since: at },
      };
      return accept(incident, next, { actor, kind: 'unacknowledged', text: `Unacknowledged by ${nameOf(actor)}` }, [{ type: 'unacknowledged', actor }], now, policy);
    }
    case 'triggered':
      return refuse('not-acknowledged', 'Not acknowledged: there is nothing to hand back.');
    case 'resolved':
      return alreadyResolved(incident, now);
    default:
      return unknownStatus(incident);
  }
}

function escalate(incident: Incident, actor: Actor, now: Date, policy: EscalationPolicy): Decision {
  switch (incident.status) {
    case 'triggered':
    case 'acknowledged': {
      // A person asked for help: never refused, even at the top of the ladder or with no ladder.
      const step = manualStep(incident.escalation, policy);
      const escalation: EscalationState = { ...incident.escalation, level: step.level, repeats: step.repeats, since: now.toISOString() };
      const next: Incident = { ...incident, escalation };
      const who = nameOf(actor);
      const text =
        policy.levels.length === 0
          ? `Escalated by ${who} (no escalation levels configured)`
          : step.repeat > 0
            ? `Escalated to level ${step.level} again by ${who} (repeat ${step.repeat})`
            : `Escalated to level ${step.level} by ${who}`;
      const event: IncidentEvent = { type: 'escalated', actor, level: step.level, repeat: step.repeat, manual: true };
      return accept(incident, next, { actor, kind: 'escalated', text }, [event], now, policy);
    }
    case 'resolved':
      return alreadyResolved(incident, now);
    default:
      return unknownStatus(incident);
  }
}

function resolve(incident: Incident, actor: Actor, resolution: Resolution, rawNote: string | undefined, now: Date, policy: EscalationPolicy): Decision {
  switch (incident.status) {
    case 'triggered':
    case 'acknowledged': {
      const note = cleanNote(rawNote);
      const next: ResolvedIncident = {
        ...openBase(incident),
        status: 'resolved',
        resolvedBy: actor,
        resolvedAt: now.toISOString(),
        resolution,
        ...(note === undefined ? {} : { resolutionNote: note }),
      };
      const text = `Resolved as ${resolutionLabel(resolution)} by ${nameOf(actor)}${note === undefined ? '' : `: ${note}`}`;
      const event: IncidentEvent = note === undefined ? { type: 'resolved', actor, resolution } : { type: 'resolved', actor, resolution, note };
      return accept(incident, next, { actor, kind: 'resolved', text }, [event], now, policy);
    }
    case 'resolved':
      return alreadyResolved(incident, now);
    default:
      return unknownStatus(incident);
  }
}

// Allowed in every status: the post-incident review writes on resolved incidents too.
function addNote(incident: Incident, actor: Actor, rawNote: string, now: Date, policy: EscalationPolicy): Decision {
  const note = cleanNote(rawNote);
  if (note === undefined) return refuse('empty-note', 'The note is empty: write something to add it to the incident.');
  return accept(incident, incident, { actor, kind: 'note', text: `Note by ${nameOf(actor)}: ${note}` }, [{ type: 'note-added', actor, note }], now, policy);
}

function confirmRotation(incident: Incident, actor: Actor, now: Date, policy: EscalationPolicy): Decision {
  switch (incident.status) {
    case 'triggered':
    case 'acknowledged':
      return refuse('not-resolved', 'Resolve the incident first; the password is rotated after the use has ended.');
    case 'resolved': {
      const done = incident.passwordRotation;
      if (done) {
        return refuse('already-confirmed', `Password rotation already confirmed by ${nameOf(done.confirmedBy)} ${atTime(done.confirmedAt, now)}.`);
      }
      const next: ResolvedIncident = { ...incident, passwordRotation: { confirmedBy: actor, confirmedAt: now.toISOString() } };
      return accept(
        incident,
        next,
        { actor, kind: 'rotation-confirmed', text: `Password rotation confirmed by ${nameOf(actor)}` },
        [{ type: 'rotation-confirmed', actor }],
        now,
        policy,
      );
    }
    default:
      return unknownStatus(incident);
  }
}

/**
 * The scheduler calls with whatever state it loaded, possibly stale: only a timer that is stored
 * and due is honoured, and the accepted decision moves `nextAt` past `now`, so a step fires once.
 */
function timerDue(incident: Incident, now: Date, policy: EscalationPolicy): Decision {
  const nextAt = incident.escalation.nextAt;
  switch (incident.status) {
    case 'resolved':
      return refuse('not-due', 'The incident is resolved: nothing is scheduled.');
    case 'triggered':
    case 'acknowledged': {
      if (nextAt === undefined) return refuse('not-due', 'Nothing is scheduled for this incident.');
      if (!(Date.parse(nextAt) <= now.getTime())) return refuse('not-due', `The next step is not due yet (due ${atTime(nextAt, now)}).`);
      return incident.status === 'triggered' ? escalateOnTimer(incident, now, policy) : remindOnTimer(incident, now, policy);
    }
    default:
      return unknownStatus(incident);
  }
}

function escalateOnTimer(incident: TriggeredIncident, now: Date, policy: EscalationPolicy): Decision {
  const step = automaticStep(incident.escalation, policy);
  // A timer stored under an older policy may have nothing left under the current one.
  if (step === undefined) return refuse('not-due', 'Nothing is left on the escalation ladder under the current policy.');
  const next: TriggeredIncident = {
    ...incident,
    escalation: { ...incident.escalation, level: step.level, repeats: step.repeats, since: now.toISOString() },
  };
  const waited = `no acknowledgement after ${formatDuration(step.waitedMs)}`;
  const text =
    step.repeat > 0
      ? `Escalated to level ${step.level} again, repeat ${step.repeat} of ${policy.repeat} (${waited})`
      : `Escalated to level ${step.level} (${waited})`;
  const event: IncidentEvent = { type: 'escalated', actor: SYSTEM_ACTOR, level: step.level, repeat: step.repeat, manual: false };
  return accept(incident, next, { actor: SYSTEM_ACTOR, kind: 'escalated', text }, [event], now, policy);
}

function remindOnTimer(incident: AcknowledgedIncident, now: Date, policy: EscalationPolicy): Decision {
  // A timer stored before reminders were switched off.
  if (policy.reminderAfterMs <= 0) return refuse('not-due', 'Reminders are switched off.');
  const reminder = incident.escalation.reminders + 1;
  const next: AcknowledgedIncident = {
    ...incident,
    escalation: { ...incident.escalation, reminders: reminder, since: now.toISOString() },
  };
  const elapsed = now.getTime() - Date.parse(incident.acknowledgedAt);
  const age = Number.isFinite(elapsed) && elapsed >= 0 ? ` ${formatDuration(elapsed)} ago` : '';
  const text = `Reminder ${reminder} to ${nameOf(incident.acknowledgedBy)}: acknowledged${age}, still unresolved`;
  const event: IncidentEvent = { type: 'reminded', level: incident.escalation.level, reminder };
  return accept(incident, next, { actor: SYSTEM_ACTOR, kind: 'reminded', text }, [event], now, policy);
}

interface Step {
  /** The level notified by this step (1-based; 0 only when the policy has no levels). */
  level: number;
  repeats: number;
  /** The event's `repeat`: > 0 when the last level is sent again. */
  repeat: number;
}

function manualStep(escalation: EscalationState, policy: EscalationPolicy): Step {
  const count = policy.levels.length;
  if (count === 0) return { level: 0, repeats: escalation.repeats, repeat: 0 };
  if (escalation.level < count) return { level: escalation.level + 1, repeats: 0, repeat: 0 };
  return { level: count, repeats: escalation.repeats + 1, repeat: escalation.repeats + 1 };
}

function automaticStep(escalation: EscalationState, policy: EscalationPolicy): (Step & { waitedMs: number }) | undefined {
  const pending = policy.levels[escalation.level];
  if (pending) return { level: escalation.level + 1, repeats: 0, repeat: 0, waitedMs: pending.afterMs };
  const count = policy.levels.length;
  if (count > 0 && escalation.repeats < policy.repeat) {
    return { level: count, repeats: escalation.repeats + 1, repeat: escalation.repeats + 1, waitedMs: policy.repeatEveryMs };
  }
  return undefined;
}

/** The one place an accepted decision is assembled, so every rule about versions, timeline and timer holds for all. */
function accept(
  before: Incident,
  after: Incident,
  entry: Omit<TimelineEntry, 'at'>,
  events: IncidentEvent[],
  now: Date,
  policy: EscalationPolicy,
): Decision {
  const incident: Incident = {
    ...after,
    version: before.version + 1,
    timeline: appendTimeline(before.timeline, { at: now.toISOString(), ...entry }),
    escalation: scheduled(after.status, after.escalation, policy),
  };
  return { ok: true, incident, events };
}

function scheduled(status: Incident['status'], escalation: EscalationState, policy: EscalationPolicy): EscalationState {
  const { nextAt: _previous, ...rest } = escalation;
  const nextAt = nextTimerAt(status, rest, policy);
  return nextAt === undefined ? rest : { ...rest, nextAt };
}

/** An open incident without its status and acknowledgement, ready to become another status. */
function openBase(incident: OpenIncident): Omit<TriggeredIncident, 'status'> {
  if (incident.status === 'triggered') {
    const { status: _status, ...base } = incident;
    return base;
  }
  const { status: _status, acknowledgedBy: _by, acknowledgedAt: _at, ...base } = incident;
  return base;
}

function refuse(code: Refusal['code'], message: string): Decision {
  return { ok: false, refusal: { code, message } };
}

function alreadyResolved(incident: ResolvedIncident, now: Date): Decision {
  return refuse(
    'already-resolved',
    `Already resolved (${resolutionLabel(incident.resolution)}) by ${nameOf(incident.resolvedBy)} ${atTime(incident.resolvedAt, now)}.`,
  );
}

function unknownStatus(incident: never): Decision {
  return incident;
}

function cleanNote(note: string | undefined): string | undefined {
  return cleanText(note, NOTE_MAX_LENGTH);
}

// Names come from Teams (from.name): cleaned and capped before they reach a card or a log line.
function nameOf(actor: Actor): string {
  return cleanText(actor.name, 100) ?? cleanText(actor.id, 100) ?? 'someone';
}

const RESOLUTION_LABELS: Record<Resolution, string> = {
  drill: 'drill',
  'authorized-emergency': 'authorized emergency',
  unauthorized: 'unauthorized',
  'false-positive': 'false positive',
};

function resolutionLabel(resolution: Resolution): string {
  return RESOLUTION_LABELS[resolution];
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** "at 14:03 UTC", with the date when it is not today (UTC) — readable in a chat reply. */
function atTime(iso: string, now: Date): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return `at ${iso}`;
  const clock = `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())} UTC`;
  const day = time.toISOString().slice(0, 10);
  return day === now.toISOString().slice(0, 10) ? `at ${clock}` : `at ${clock} on ${day}`;
}

/** "45 s", "5 min", "2 h", "1 h 30 min". */
export function formatDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 60) return `${Math.max(seconds, 0)} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  const rest = minutes % 60;
  return rest === 0 ? `${hours} h` : `${hours} h ${rest} min`;
}
