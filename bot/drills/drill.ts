import type { Actor } from '../incidents/incident.js';

/** The validation steps from Microsoft's emergency-access guidance, as checklist items. */
export type ChecklistItemId =
  | 'staff-informed'
  | 'process-documented'
  | 'people-trained'
  | 'credentials-validated'
  | 'no-personal-methods'
  | 'device-reachable';

export type ChecklistItem =
  | { state: 'open' }
  | { state: 'ticked'; by: Actor; at: string }
  | { state: 'waived'; by: Actor; at: string; reason: string };

/** One alert that arrived for the account inside the drill window, with its latency. */
export interface DrillAlert {
  incidentId: string;
  alertId: string;
  /** The sign-in's own time when the alert (or Log Analytics) said; else undefined. */
  signInAt?: string;
  firedAt: string;
  receivedAt: string;
  /** When the card reached Teams; undefined until it did. */
  cardPostedAt?: string;
}

interface DrillBase {
  id: string;
  version: number;
  /** The break-glass account exercised (lower-cased UPN or object id). */
  account: string;
  startedBy: Actor;
  startedAt: string;
  /** Alerts for the account before this time are classified as this drill's. */
  windowEndsAt: string;
  checklist: Record<ChecklistItemId, ChecklistItem>;
  alerts: DrillAlert[];
}

export interface RunningDrill extends DrillBase {
  status: 'running';
}

export interface EndedDrill extends DrillBase {
  status: 'passed' | 'failed';
  endedBy: Actor;
  endedAt: string;
  /** Empty when passed; each a sentence for the report. */
  failures: string[];
  /** Set when a responder confirmed the password was rotated after the drill's sign-in. */
  passwordRotation?: { confirmedBy: Actor; confirmedAt: string };
  /** The incident opened about the alert path when the drill's sign-in produced no alert. */
  alertPathIncidentId?: string;
}

export type Drill = RunningDrill | EndedDrill;

/** When drills are due, per account. */
export interface DrillSchedule {
  account: string;
  /** Cadence in days (default 90: Microsoft's guidance). */
  everyDays: number;
  /** The next due date, as a calendar date in the schedule's time zone (YYYY-MM-DD). */
  nextDue: string;
  /** IANA time zone the dates are read in (config file; default UTC). */
  timeZone: string;
  /** Reminders already sent for this due date, so each fires once. */
  remindersSent: ('upcoming' | 'due' | 'overdue')[];
}

export type DrillCommand =
  | { type: 'tick'; item: ChecklistItemId; actor: Actor }
  | { type: 'waive'; item: ChecklistItemId; actor: Actor; reason: string }
  | { type: 'record-alert'; alert: DrillAlert }
  | { type: 'card-posted'; incidentId: string; at: string }
  | { type: 'end'; actor: Actor }
  | { type: 'confirm-rotation'; actor: Actor };

export interface DrillRefusal {
  code: 'drill-ended' | 'already-ticked' | 'empty-reason' | 'not-ended' | 'already-confirmed' | 'unknown-item';
  message: string;
}

export type DrillDecision = { ok: true; drill: Drill } | { ok: false; refusal: DrillRefusal };
