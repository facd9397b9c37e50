import type { Logger } from 'pino';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import type { Incident } from '../incidents/incident.js';
import type { Metrics } from '../http/metrics.js';
import type { Delivery, Store } from '../store/store.js';
import type { Pacer } from './pacer.js';
import { Pump } from '../scheduling/pump.js';
import { Pumped } from '../scheduling/pumped.js';
import { retryDelay } from './retry-policy.js';
import { SendError, type TeamsGateway } from './teams-gateway.js';

export interface DeliveryWorkerDeps {
  store: Store;
  gateway: TeamsGateway;
  render: (incident: Incident) => AdaptiveCard;
  pacer: Pacer;
  metrics: Metrics;
  logger: Logger;
  now: () => number;
  random: () => number;
  /** Least time between two edits of the same card, so a storm becomes a few edits, not thousands. */
  editIntervalMs?: number;
  /** How long to wait before looking again when there is no alert channel yet. */
  unboundRetryMs?: number;
  /** A card was posted for the first time (drills record the latency). */
  onPosted?: (incident: Incident, at: number) => void;
}

const BATCH = 25;

/**
 * The outbox: sends each incident's latest card to Teams until it is there. Deliveries live in the
 * store, so a crash or restart resumes them; the worker only decides when and how to try.
 */
export class DeliveryWorker extends Pumped {
  protected readonly pump: Pump;
  private readonly lastEditAt = new Map<string, number>();

  constructor(private readonly deps: DeliveryWorkerDeps) {
    super();
    this.pump = new Pump({
      name: 'outbox',
      round: () => this.round(),
      nextAt: () => deps.store.nextDeliveryAt(),
      now: deps.now,
      logger: deps.logger,
    });
  }

  /** Delivers what is due now, repeatedly, until nothing is due or the deadline passes. */
  async drain(deadline: number): Promise<void> {
    while (this.deps.now() < deadline) {
      if (!(await this.round())) return;
    }
  }

  /** Edit times only matter within the edit interval; without this the map grows with every incident ever posted. */
  private forgetOldEdits(now: number): void {
    if (this.lastEditAt.size < 1_000) return;
    const interval = this.deps.editIntervalMs ?? 2_000;
    for (const [id, at] of this.lastEditAt) if (now - at >= interval) this.lastEditAt.delete(id);
  }

  /** One batch; true when the batch was full (more is due at once). */
  private async round(): Promise<boolean> {
    const due = await this.deps.store.dueDeliveries(this.deps.now(), BATCH);
    for (const delivery of due) await this.deliver(delivery);
    return due.length === BATCH;
  }

  private async deliver(delivery: Delivery): Promise<void> {
    const { store, logger, now } = this.deps;
    const incident = await store.getIncident(delivery.incidentId);
    const log = logger.child({ incidentId: delivery.incidentId });
    if (!incident) {
      log.error('delivery for a missing incident; skipping it for an hour');
      await store.postponeDelivery(delivery.incidentId, now() + 3_600_000, 'incident record missing');
      return;
    }
    const channel = await store.getAlertChannel();
    if (!delivery.message && !channel) {
      await store.postponeDelivery(
        delivery.incidentId,
        now() + (this.deps.unboundRetryMs ?? 30_000),
        'no alert channel: type "@Glasswatch bind" in the Teams channel that should receive alerts',
      );
      return;
    }
    const lastEdit = this.lastEditAt.get(incident.id);
    const editInterval = this.deps.editIntervalMs ?? 2_000;
    if (delivery.message && lastEdit !== undefined && now() - lastEdit < editInterval) {
      await store.postponeDelivery(incident.id, lastEdit + editInterval);
      return;
    }
    const conversationKey = (delivery.message?.conversationId ?? channel?.channelId ?? '').split(';')[0] ?? '';
    const wait = this.deps.pacer.reserve(conversationKey, now());
    if (wait > 0) {
      await store.postponeDelivery(incident.id, now() + wait);
      return;
    }
    await this.send(incident, delivery, channel, log);
  }

  private async send(
    incident: Incident,
    delivery: Delivery,
    channel: Awaited<ReturnType<Store['getAlertChannel']>>,
    log: Logger,
  ): Promise<void> {
    const { store, gateway, metrics, now } = this.deps;
    const card = this.deps.render(incident);
    const kind = delivery.message ? 'update' : 'post';
    try {
      let message = delivery.message;
      if (message) {
        try {
          await gateway.updateMessage(message, card);
        } catch (error) {
          // Someone deleted the card: post it again rather than lose the incident.
          if (!(error instanceof SendError) || error.status !== 404 || !channel) throw error;
          message = await gateway.postToChannel(channel, card);
        }
      } else if (channel) {
        message = await gateway.postToChannel(channel, card);
      }
      if (!message) return;
      await store.recordDelivered(incident.id, incident.version, message);
      if (kind === 'post') this.deps.onPosted?.(incident, now());
      this.lastEditAt.set(incident.id, now());
      this.forgetOldEdits(now());
      metrics.inc('glasswatch_deliveries_total', { kind, result: 'ok' });
      log.info({ version: incident.version, kind, activityId: message.activityId }, 'card delivered');
    } catch (error) {
      const failure =
        error instanceof SendError
          ? { status: error.status, retryAfterMs: error.retryAfterMs, message: error.message }
          : { status: undefined, message: error instanceof Error ? error.message : String(error) };
      if (failure.status === 429) metrics.inc('glasswatch_teams_throttled_total');
      const decision = retryDelay(failure, delivery.attempts, this.deps.random());
      metrics.inc('glasswatch_deliveries_total', { kind, result: decision.transient ? 'retry' : 'failed' });
      const reason = `Teams ${kind} failed${failure.status ? ` with ${failure.status}` : ''}: ${failure.message}`;
      log.warn({ status: failure.status, attempts: delivery.attempts + 1, retryInMs: decision.delayMs }, reason);
      await store.recordDeliveryFailure(incident.id, reason, now() + decision.delayMs);
    }
  }
}
