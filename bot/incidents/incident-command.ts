import type { Actor, Incident, Resolution } from './incident.js';

/** What a person (or the escalation clock) asks of an incident. */
export type IncidentCommand =
  | { type: 'acknowledge'; actor: Actor }
  | { type: 'unacknowledge'; actor: Actor }
  /** A responder pressed Escalate: jump to the next level now. */
  | { type: 'escalate'; actor: Actor }
  | { type: 'resolve'; actor: Actor; resolution: Resolution; note?: string }
  | { type: 'note'; actor: Actor; note: string }
  | { type: 'confirm-rotation'; actor: Actor }
  /** The stored timer came due (escalation while triggered, reminder while acknowledged). */
  | { type: 'timer-due' };

/** What happened, for the audit trail and the side effects; the new Incident carries the state. */
export type IncidentEvent =
  | { type: 'acknowledged'; actor: Actor }
  | { type: 'unacknowledged'; actor: Actor }
  /** `level` is 1-based; `repeat` > 0 when the last level is sent again. */
  | { type: 'escalated'; actor: Actor; level: number; repeat: number; manual: boolean }
  | { type: 'reminded'; level: number; reminder: number }
  | { type: 'resolved'; actor: Actor; resolution: Resolution; note?: string }
  | { type: 'note-added'; actor: Actor; note: string }
  | { type: 'rotation-confirmed'; actor: Actor };

/** A refusal is an answer, not an error: the person is told, nothing changes. */
export interface Refusal {
  code: 'already-acknowledged' | 'not-acknowledged' | 'already-resolved' | 'not-resolved' | 'already-confirmed' | 'not-due' | 'empty-note';
  message: string;
}

export type Decision = { ok: true; incident: Incident; events: IncidentEvent[] } | { ok: false; refusal: Refusal };
