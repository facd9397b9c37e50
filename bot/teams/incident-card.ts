import { renderAlertCard, type AlertCardModel } from '../../cards/alert-card.js';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import { formatUtc } from '../../cards/format.js';
import type { Incident } from '../incidents/incident.js';

export interface IncidentCardOptions {
  demo: boolean;
  responderIds: string[];
}

/** Incident → the card's view model → the card. */
export function incidentCard(incident: Incident, options: IncidentCardOptions): AdaptiveCard {
  return renderAlertCard(toAlertCardModel(incident, options));
}

export function toAlertCardModel(incident: Incident, options: IncidentCardOptions): AlertCardModel {
  return {
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
    demo: options.demo,
    actionsAvailable: true,
    refreshUserIds: options.responderIds.slice(0, 60),
  };
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
