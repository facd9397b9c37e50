import { renderAlertCard, type AlertCardModel } from '../../cards/alert-card.js';
import { RESOLUTION_LABELS } from '../../cards/card-actions.js';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import { formatUtc } from '../../cards/format.js';
import type { Incident } from '../incidents/incident.js';

export interface IncidentCardOptions {
  demo: boolean;
  responderIds: string[];
  /** Levels in the escalation policy, for "level 1 of 2". */
  escalationLevels: number;
}

/** Incident → the card's view model → the card. `notice` is for the clicker's copy only. */
export function incidentCard(incident: Incident, options: IncidentCardOptions, notice?: AlertCardModel['viewerNotice']): AdaptiveCard {
  return renderAlertCard({ ...toAlertCardModel(incident, options), viewerNotice: notice });
}

export function toAlertCardModel(incident: Incident, options: IncidentCardOptions): AlertCardModel {
  return {
    timeline: incident.timeline.map((entry) => ({ at: entry.at, text: entry.text })),
    escalationLine: escalationLine(incident, options.escalationLevels),
    resolution:
      incident.status === 'resolved' ? { label: RESOLUTION_LABELS[incident.resolution], note: incident.resolutionNote } : undefined,
    passwordRotation:
      incident.status === 'resolved' && incident.passwordRotation
        ? { confirmedBy: incident.passwordRotation.confirmedBy.name, confirmedAt: incident.passwordRotation.confirmedAt }
        : undefined,
    incidentId: incident.id,
    version: incident.version,
    state: incident.status,
    stateLine: stateLine(incident),
    subject: incident.subject,
    headline: incident.headline,
    severity: incident.severity,
    ruleName: incident.ruleName,
    firedAt: incident.firstSeen,
    occurrences: incident.occurrences,
    firstSeen: incident.firstSeen,
    lastSeen: incident.lastSeen,
    latest: incident.latest,
    recentSignIns: incident.recentSignIns,
    resolvedNotice: incident.monitorResolvedAt
      ? `Azure Monitor reported the condition resolved at ${formatUtc(incident.monitorResolvedAt)}. A responder must still resolve this incident.`
      : undefined,
    links: incident.links,
    enrichmentNote: incident.enrichment?.note,
    demo: options.demo,
    actionsAvailable: true,
    refreshUserIds: options.responderIds.slice(0, 60),
  };
}

function escalationLine(incident: Incident, levels: number): string | undefined {
  if (incident.status === 'resolved') return undefined;
  const { level, nextAt } = incident.escalation;
  const where = level === 0 ? 'Not escalated yet' : `Escalation level ${Math.min(level, levels)} of ${levels}`;
  if (!nextAt) return level === 0 ? undefined : where;
  const next = incident.status === 'acknowledged' ? 'reminder' : 'next escalation';
  return `${where} · ${next} at ${formatUtc(nextAt)}`;
}

function stateLine(incident: Incident): string {
  switch (incident.status) {
    case 'triggered':
      return `Needs a responder · opened ${formatUtc(incident.openedAt)}`;
    case 'acknowledged':
      return `Acknowledged by ${incident.acknowledgedBy.name} · ${formatUtc(incident.acknowledgedAt)}`;
    case 'resolved':
      return `Resolved (${incident.resolution}) by ${incident.resolvedBy.name} · ${formatUtc(incident.resolvedAt)}`;
    default: {
      const unreachable: never = incident;
      return unreachable;
    }
  }
}
