import type { SignInDetails, Subject } from '../intake/alert.js';

/** The most sign-ins an incident keeps for its card; the occurrence count keeps counting past it. */
export const RECENT_SIGNINS_KEPT = 10;

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
}

export interface TriggeredIncident extends IncidentBase {
  status: 'triggered';
}

export interface AcknowledgedIncident extends IncidentBase {
  status: 'acknowledged';
  acknowledgedBy: { id: string; name: string };
  acknowledgedAt: string;
}

export interface ResolvedIncident extends IncidentBase {
  status: 'resolved';
  resolvedBy: { id: string; name: string };
  resolvedAt: string;
  resolution: 'drill' | 'authorized-emergency' | 'unauthorized' | 'false-positive';
}

export type Incident = TriggeredIncident | AcknowledgedIncident | ResolvedIncident;
export type IncidentStatus = Incident['status'];

export function isOpen(incident: Incident): boolean {
  return incident.status !== 'resolved';
}
