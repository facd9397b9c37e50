import type { Logger } from 'pino';
import type { Metrics } from '../http/metrics.js';
import { actOnIncident, type ActDeps } from '../incidents/act-on-incident.js';
import { Pump } from '../scheduling/pump.js';

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
export class EscalationClock {
  private readonly pump: Pump;

  constructor(private readonly deps: EscalationClockDeps) {
    this.pump = new Pump({
      name: 'escalation',
      round: () => this.round(),
      nextAt: () => deps.store.nextTimerAt(),
      now: () => deps.now().getTime(),
      logger: deps.logger,
    });
  }

  start(): void {
    this.pump.start();
  }

  kick(): void {
    this.pump.kick();
  }

  stop(): Promise<void> {
    return this.pump.stop();
  }

  private async round(): Promise<boolean> {
    const due = await this.deps.store.dueTimers(this.deps.now().getTime(), BATCH);
    let fired = 0;
    for (const incident of due) {
      const result = await actOnIncident(this.deps, incident.id, { type: 'timer-due' });
      if (!result.ok) continue;
      fired++;
      for (const event of result.events) {
        this.deps.metrics.inc('glasswatch_escalations_total', { kind: event.type });
        this.deps.logger.info({ incidentId: incident.id, event }, event.type === 'reminded' ? 'reminder due' : 'escalated');
      }
    }
    if (fired > 0) this.deps.onChange();
    return due.length === BATCH;
  }
}
