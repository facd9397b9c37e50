import type { EscalationPolicy } from '../escalation/escalation-policy.js';
import type { ParsedAlert } from '../intake/alert.js';
import { ConflictError } from '../store/store-errors.js';
import type { Store } from '../store/store.js';
import { decideAlert, type AlertOutcome } from './decide-alert.js';
import type { Incident } from './incident.js';

export interface RecordedAlert {
  outcome: AlertOutcome;
  incident: Incident;
}

export interface RecordAlertDeps {
  store: Store;
  now: () => Date;
  newId: () => string;
  policy: EscalationPolicy;
}

const MAX_ATTEMPTS = 5;
const AZURE_MONITOR = { id: 'azure-monitor', name: 'Azure Monitor' };

/**
 * Loads what the decision needs, decides, and commits atomically. A conflict means another request
 * committed in between (the same alert retried, or another alert for the same subject): load again.
 */
export async function recordAlert(deps: RecordAlertDeps, alert: ParsedAlert, rawBody: string): Promise<RecordedAlert> {
  for (let attempt = 1; ; attempt++) {
    const { store } = deps;
    const duplicateOf = await store.incidentForAlert(alert.alertId, alert.monitorCondition);
    const firedIncident =
      alert.monitorCondition === 'Resolved' && !duplicateOf ? await store.incidentForAlert(alert.alertId, 'Fired') : undefined;
    const openForSubject = duplicateOf ? undefined : await store.openIncidentFor(alert.subject.key);
    const now = deps.now();
    const decision = decideAlert(alert, { duplicateOf, firedIncident, openForSubject }, now, deps.newId(), deps.policy);
    if (decision.outcome === 'duplicate') return { outcome: 'duplicate', incident: decision.incident };
    try {
      await store.commitAlert({
        alert,
        rawBody,
        outcome: decision.outcome,
        incident: decision.incident,
        previousVersion: decision.previousVersion,
        receivedAt: now,
        // A duplicate is the same alert delivered again: it changes nothing and is not audited again.
        audit: {
          kind: `alert.${decision.outcome}`,
          at: now.toISOString(),
          actor: AZURE_MONITOR,
          incidentId: decision.incident.id,
          alertId: alert.alertId,
          data: {
            monitorCondition: alert.monitorCondition,
            rule: alert.alertRule,
            severity: alert.severity,
            subject: alert.subject.key,
            firedAt: alert.firedAt,
            occurrences: decision.incident.occurrences,
          },
        },
      });
      return { outcome: decision.outcome, incident: decision.incident };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}
