import type { ParsedAlert } from '../intake/alert.js';
import type { EscalationPolicy } from '../escalation/escalation-policy.js';
import { startLadder } from '../escalation/schedule.js';
import { appendTimeline } from './append-timeline.js';
import { RECENT_SIGNINS_KEPT, SYSTEM_ACTOR, type Incident } from './incident.js';
import { newestFirst } from '../intake/newest-first.js';
import { headlineFor } from './headline.js';

export type AlertOutcome = 'created' | 'grouped' | 'duplicate' | 'resolved-notice';

/** What the store knows that the decision depends on; loaded before deciding. */
export interface AlertContext {
  /** The incident that already holds this very alertId + monitorCondition, if any. */
  duplicateOf?: Incident;
  /** For a Resolved notice: the incident that holds the Fired alert of the same alertId. */
  firedIncident?: Incident;
  /** The open incident about the same subject, if any. */
  openForSubject?: Incident;
  /** The running drill whose window this alert falls in: the incident it opens is the drill's. */
  drillId?: string;
}

export type AlertDecision =
  | { outcome: 'duplicate'; incident: Incident }
  | { outcome: 'created' | 'grouped' | 'resolved-notice'; incident: Incident; previousVersion: number | undefined };

/**
 * The pure intake decision: what one alert does to the incidents. `now` is the commit time and
 * `newId` the id a new incident would get; both are parameters so the decision is repeatable.
 */
export function decideAlert(alert: ParsedAlert, context: AlertContext, now: Date, newId: string, policy: EscalationPolicy): AlertDecision {
  if (context.duplicateOf) return { outcome: 'duplicate', incident: context.duplicateOf };

  if (alert.monitorCondition === 'Resolved') {
    // A Resolved notice never closes an incident (a person must), it is recorded where it belongs.
    const target = context.firedIncident ?? context.openForSubject;
    if (target) {
      const at = alert.resolvedAt ?? now.toISOString();
      const noticed = {
        ...target,
        version: target.version + 1,
        monitorResolvedAt: at,
        timeline: appendTimeline(target.timeline, { at, actor: SYSTEM_ACTOR, kind: 'monitor-resolved', text: 'Azure Monitor reported the condition resolved' }),
      };
      return { outcome: 'resolved-notice', incident: noticed, previousVersion: target.version };
    }
    // Resolved for an alert we never saw fire: keep it visible rather than lose it.
    const opened = openIncident(alert, now, newId, policy);
    return {
      outcome: 'resolved-notice',
      incident: { ...opened, monitorResolvedAt: alert.resolvedAt ?? now.toISOString() },
      previousVersion: undefined,
    };
  }

  const open = context.openForSubject;
  if (open) return { outcome: 'grouped', incident: groupInto(open, alert), previousVersion: open.version };
  const opened = openIncident(alert, now, newId, policy);
  if (!context.drillId) return { outcome: 'created', incident: opened, previousVersion: undefined };
  return { outcome: 'created', incident: asDrillIncident(opened, context.drillId), previousVersion: undefined };
}

function openIncident(alert: ParsedAlert, now: Date, id: string, policy: EscalationPolicy): Incident {
  const openedAt = now.toISOString();
  return {
    status: 'triggered',
    id,
    version: 1,
    subject: alert.subject,
    headline: headlineFor(alert),
    severity: alert.severity,
    ruleName: alert.alertRule,
    openedAt,
    firstSeen: alert.firedAt,
    lastSeen: alert.firedAt,
    occurrences: 1,
    latest: alert.signIns[0],
    recentSignIns: alert.signIns.slice(0, RECENT_SIGNINS_KEPT),
    firstAlertId: alert.alertId,
    lastAlertId: alert.alertId,
    links: { searchResults: alert.links.searchResults, portal: alert.links.portal },
    timeline: [{ at: openedAt, actor: SYSTEM_ACTOR, kind: 'opened', text: `Alert "${alert.alertRule}" fired` }],
    escalation: startLadder('triggered', openedAt, policy),
  };
}

/** An expected sign-in: still posted and recorded, but it does not escalate. */
function asDrillIncident(incident: Incident, drillId: string): Incident {
  return {
    ...incident,
    drillId,
    headline: `Drill: ${incident.headline}`,
    escalation: { ...incident.escalation, nextAt: undefined },
    timeline: [...incident.timeline, { at: incident.openedAt, actor: SYSTEM_ACTOR, kind: 'opened', text: `Classified as drill ${drillId}: no escalation` }],
  };
}

// Grouped alerts add no timeline line: a storm would push every human action off the card; the
// occurrence count tells it, and the audit trail keeps each alert.
function groupInto(open: Incident, alert: ParsedAlert): Incident {
  const newer = alert.firedAt >= open.lastSeen;
  return {
    ...open,
    version: open.version + 1,
    occurrences: open.occurrences + 1,
    firstSeen: alert.firedAt < open.firstSeen ? alert.firedAt : open.firstSeen,
    lastSeen: newer ? alert.firedAt : open.lastSeen,
    latest: newer ? (alert.signIns[0] ?? open.latest) : open.latest,
    // Sorted, not prepended: a late (older) alert must not push newer sign-ins out of the list.
    recentSignIns: newestFirst([...alert.signIns, ...open.recentSignIns]).slice(0, RECENT_SIGNINS_KEPT),
    lastAlertId: alert.alertId,
    // A more severe alert raises the incident (Sev0 sorts before Sev1).
    severity: alert.severity < open.severity ? alert.severity : open.severity,
    links: newer ? { searchResults: alert.links.searchResults, portal: alert.links.portal } : open.links,
  };
}
