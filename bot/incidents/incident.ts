import type { SignInDetails, Subject } from '../intake/alert.js';

/** The most sign-ins an incident keeps for its card; the occurrence count keeps counting past it. */
export const RECENT_SIGNINS_KEPT = 10;
/** The most timeline entries an incident keeps (the audit trail keeps everything). */
export const TIMELINE_KEPT = 30;

export interface Actor {
  /** Entra object id (from.aadObjectId), or 'glasswatch' for the system itself. */
  id: string;
  name: string;
}

export const SYSTEM_ACTOR: Actor = { id: 'glasswatch', name: 'Glasswatch' };

export type Resolution = 'drill' | 'authorized-emergency' | 'unauthorized' | 'false-positive';

/** One line of the incident's story, shown on the card (newest last). */
export interface TimelineEntry {
  at: string;
  actor: Actor;
  kind:
    | 'opened'
    | 'grouped'
    | 'monitor-resolved'
    | 'acknowledged'
    | 'unacknowledged'
    | 'escalated'
    | 'reminded'
    | 'resolved'
    | 'note'
    | 'rotation-confirmed';
  text: string;
}

/** Where the incident stands on its escalation ladder. */
export interface EscalationState {
  /** Levels already notified (0 = none yet). */
  level: number;
  /** Repeats of the last level already sent. */
  repeats: number;
  /** Reminders sent while acknowledged but unresolved. */
  reminders: number;
  /** ISO time of the next escalation or reminder; absent when nothing is scheduled (resolved). */
  nextAt?: string;
  /** ISO time the current ladder step started counting from. */
  since: string;
}

interface IncidentBase {
  id: string;
  /** Optimistic-concurrency version: every stored change increments it. */
  version: number;
  subject: Subject;
  headline: string;
  severity: string;
  ruleName: string;
  /** ISO UTC times. */
  openedAt: string;
  firstSeen: string;
  lastSeen: string;
  /** Every fired alert grouped into this incident, including the first. */
  occurrences: number;
  latest?: SignInDetails;
  /** Newest first, at most RECENT_SIGNINS_KEPT. */
  recentSignIns: SignInDetails[];
  /** The alert ids grouped here (first and latest kept; the count is `occurrences`). */
  firstAlertId: string;
  lastAlertId: string;
  links: { searchResults?: string; portal?: string };
  /** Set when Azure Monitor sent a Resolved notification for one of this incident's alerts. */
  monitorResolvedAt?: string;
  /** Oldest first, at most TIMELINE_KEPT (older entries dropped from the card, not from the audit). */
  timeline: TimelineEntry[];
  escalation: EscalationState;
  /** Set when the first alert arrived inside a running drill's window: expected, recorded, never escalated. */
  drillId?: string;
  /** The last Log Analytics lookup for this incident's sign-ins: how many rows it found, or why it failed. */
  enrichment?: { at: string; note: string; ok: boolean };
}

export interface TriggeredIncident extends IncidentBase {
  status: 'triggered';
}

export interface AcknowledgedIncident extends IncidentBase {
  status: 'acknowledged';
  acknowledgedBy: Actor;
  acknowledgedAt: string;
}

export interface ResolvedIncident extends IncidentBase {
  status: 'resolved';
  resolvedBy: Actor;
  resolvedAt: string;
  resolution: Resolution;
  resolutionNote?: string;
  /** Set when a responder confirms the break-glass password was rotated after this use. */
  passwordRotation?: { confirmedBy: Actor; confirmedAt: string };
}

export type Incident = TriggeredIncident | AcknowledgedIncident | ResolvedIncident;
export type IncidentStatus = Incident['status'];

export function isOpen(incident: Incident): boolean {
  return incident.status !== 'resolved';
}
