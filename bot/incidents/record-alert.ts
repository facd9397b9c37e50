import type { EscalationPolicy } from '../escalation/escalation-policy.js';
import type { ParsedAlert } from '../intake/alert.js';
import { ConflictError } from '../store/store-errors.js';
import type { DrillChange, Store } from '../store/store.js';
import type { Drill } from '../drills/drill.js';
import { decideDrill, isInWindow } from '../drills/decide-drill.js';
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
    const drill = duplicateOf ? undefined : await drillFor(store, alert, now);
    const decision = decideAlert(alert, { duplicateOf, firedIncident, openForSubject, drillId: drill?.id }, now, deps.newId(), deps.policy);
    if (decision.outcome === 'duplicate') return { outcome: 'duplicate', incident: decision.incident };
    const drillChange = drill && decision.incident.drillId === drill.id ? recordInDrill(drill, alert, decision.incident.id, now) : undefined;
    try {
      await store.commitAlert({
        alert,
        rawBody,
        outcome: decision.outcome,
        incident: decision.incident,
        previousVersion: decision.previousVersion,
        receivedAt: now,
        drill: drillChange,
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

/** The running drill this alert belongs to: a Fired alert for the drilled account inside the window. */
async function drillFor(store: Store, alert: ParsedAlert, now: Date): Promise<Drill | undefined> {
  if (alert.monitorCondition !== 'Fired' || alert.subject.kind !== 'user') return undefined;
  for (const account of [alert.subject.upn, alert.subject.objectId]) {
    if (!account) continue;
    const drill = await store.runningDrill(account.toLowerCase());
    if (drill && isInWindow(drill, account.toLowerCase(), now)) return drill;
  }
  return undefined;
}

function recordInDrill(drill: Drill, alert: ParsedAlert, incidentId: string, now: Date): DrillChange | undefined {
  const decision = decideDrill(
    drill,
    { type: 'record-alert', alert: { incidentId, alertId: alert.alertId, signInAt: alert.signIns[0]?.time, firedAt: alert.firedAt, receivedAt: now.toISOString() } },
    now,
  );
  return decision.ok ? { drill: decision.drill, previousVersion: drill.version } : undefined;
}
