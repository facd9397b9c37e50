import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import { actOnIncident, type ActDeps } from '../incidents/act-on-incident.js';
import { SYSTEM_ACTOR, type Incident } from '../incidents/incident.js';
import { Pump } from '../scheduling/pump.js';
import { Pumped } from '../scheduling/pumped.js';
import { ConflictError } from '../store/store-errors.js';
import { nextTimerAt } from './schedule.js';

export interface EscalationClockDeps extends ActDeps {
  metrics: Metrics;
  logger: Logger;
  /** Something was committed that workers must send (card edits, notifications). */
  onChange: () => void;
}

const BATCH = 25;

/**
 * Fires the timers stored on incidents. Firing is a version-checked decision like any click, so a
 * timer fires once even if two instances (or a restart mid-round) look at it: the loser's decision
 * is made again on the winner's state and refused as not due.
 */
export class EscalationClock extends Pumped {
  protected readonly pump: Pump;

  constructor(private readonly deps: EscalationClockDeps) {
    super();
    this.pump = new Pump({
      name: 'escalation',
      round: () => this.round(),
      nextAt: () => deps.store.nextTimerAt(),
      now: () => deps.now().getTime(),
      logger: deps.logger,
    });
  }

  private async round(): Promise<boolean> {
    const due = await this.deps.store.dueTimers(this.deps.now().getTime(), BATCH);
    let fired = 0;
    for (const incident of due) {
      const result = await actOnIncident(this.deps, incident.id, { type: 'timer-due' });
      if (!result.ok) {
        if ('refusal' in result && result.refusal.code === 'not-due') await this.realign(result.incident);
        continue;
      }
      fired++;
      for (const event of result.events) {
        this.deps.metrics.inc('glasswatch_escalations_total', { kind: event.type });
        this.deps.logger.info({ incidentId: incident.id, event }, event.type === 'reminded' ? 'reminder due' : 'escalated');
      }
    }
    if (fired > 0) this.deps.onChange();
    return due.length === BATCH;
  }

  /**
   * A stored timer the current policy no longer honours (the policy changed since it was set):
   * store the time the policy gives now, or none, so the clock does not pick it up forever.
   */
  private async realign(incident: Incident): Promise<void> {
    const now = this.deps.now();
    if (incident.escalation.nextAt === undefined || Date.parse(incident.escalation.nextAt) > now.getTime()) return;
    const recomputed = nextTimerAt(incident.status, incident.escalation, this.deps.policy);
    const nextAt = recomputed !== undefined && Date.parse(recomputed) > now.getTime() ? recomputed : undefined;
    this.deps.logger.warn({ incidentId: incident.id, stored: incident.escalation.nextAt, nextAt: nextAt ?? 'none' }, 'timer no longer matches the escalation policy; realigned');
    try {
      await this.deps.store.commitIncidentChange({
        incident: { ...incident, version: incident.version + 1, escalation: { ...incident.escalation, nextAt } } as Incident,
        previousVersion: incident.version,
        audit: [{ kind: 'incident.timer-realigned', at: now.toISOString(), actor: SYSTEM_ACTOR, incidentId: incident.id, data: { stored: incident.escalation.nextAt, nextAt: nextAt ?? null } }],
        notifications: [],
        now: now.getTime(),
      });
    } catch (error) {
      if (!(error instanceof ConflictError)) throw error;
    }
  }
}
