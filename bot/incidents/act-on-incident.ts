import type { AuditRecord } from '../audit/audit-entry.js';
import type { EscalationPolicy } from '../escalation/escalation-policy.js';
import { sideEffectsOf } from '../escalation/side-effects.js';
import { ConflictError } from '../store/store-errors.js';
import type { Store } from '../store/store.js';
import { decideAction } from './decide-action.js';
import type { Incident } from './incident.js';
import type { IncidentCommand, IncidentEvent, Refusal } from './incident-command.js';
import { SYSTEM_ACTOR } from './incident.js';

export type ActResult =
  | { ok: true; incident: Incident; events: IncidentEvent[] }
  | { ok: false; refusal: Refusal; incident: Incident }
  | { ok: false; notFound: true };

export interface ActDeps {
  store: Store;
  now: () => Date;
  policy: EscalationPolicy;
}

const MAX_ATTEMPTS = 5;

/**
 * Load, decide, commit with the version the decision saw. When someone else committed first, the
 * decision is made again on their result — so of two simultaneous Acknowledge clicks one wins and
 * the other is told "already acknowledged by …", never a silent overwrite.
 */
export async function actOnIncident(deps: ActDeps, incidentId: string, command: IncidentCommand): Promise<ActResult> {
  for (let attempt = 1; ; attempt++) {
    const incident = await deps.store.getIncident(incidentId);
    if (!incident) return { ok: false, notFound: true };
    const now = deps.now();
    const decision = decideAction(incident, command, now, deps.policy);
    if (!decision.ok) return { ok: false, refusal: decision.refusal, incident };
    try {
      await deps.store.commitIncidentChange({
        incident: decision.incident,
        previousVersion: incident.version,
        audit: decision.events.map((event) => auditOf(decision.incident, event, now)),
        notifications: sideEffectsOf(decision.incident, decision.events, deps.policy, now),
        now: now.getTime(),
      });
      return { ok: true, incident: decision.incident, events: decision.events };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

function auditOf(incident: Incident, event: IncidentEvent, now: Date): AuditRecord {
  const { type, ...details } = event;
  const actor = 'actor' in event ? event.actor : SYSTEM_ACTOR;
  const data: Record<string, unknown> = { ...details, status: incident.status, version: incident.version };
  delete data.actor;
  return { kind: `incident.${type}`, at: now.toISOString(), actor, incidentId: incident.id, data };
}
