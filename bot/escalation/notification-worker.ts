import type { Logger } from 'pino';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import { renderEscalationCard, renderReminderCard } from '../../cards/escalation-card.js';
import { describeSubject } from '../../cards/format.js';
import { renderResponseStepsCard } from '../../cards/response-steps-card.js';
import type { Responder } from '../config.js';
import type { Metrics } from '../http/metrics.js';
import type { Incident } from '../incidents/incident.js';
import { Pump } from '../scheduling/pump.js';
import { Pumped } from '../scheduling/pumped.js';
import type { Store } from '../store/store.js';
import type { Pacer } from '../teams/pacer.js';
import { retryDelay, type SendFailure } from '../teams/retry-policy.js';
import { SendError, type TeamsGateway } from '../teams/teams-gateway.js';
import type { NotificationIntent, PendingNotification } from './notification.js';
import { postWebhook } from './post-webhook.js';

export interface NotificationWorkerDeps {
  store: Store;
  gateway: TeamsGateway;
  pacer: Pacer;
  responders: readonly Responder[];
  metrics: Metrics;
  logger: Logger;
  now: () => number;
  random: () => number;
  fetch?: typeof fetch;
}

const BATCH = 25;
const WAIT_FOR_CARD_MS = 5_000;

/** Sends escalation side effects (thread mentions, channel notices, webhooks) until each is done. */
export class NotificationWorker extends Pumped {
  protected readonly pump: Pump;

  constructor(private readonly deps: NotificationWorkerDeps) {
    super();
    this.pump = new Pump({
      name: 'notifications',
      round: () => this.round(),
      nextAt: () => deps.store.nextNotificationAt(),
      now: deps.now,
      logger: deps.logger,
    });
  }

  private async round(): Promise<boolean> {
    const due = await this.deps.store.dueNotifications(this.deps.now(), BATCH);
    for (const notification of due) await this.send(notification);
    return due.length === BATCH;
  }

  private async send(notification: PendingNotification): Promise<void> {
    const { store, now, logger } = this.deps;
    const log = logger.child({ incidentId: notification.incidentId, notification: notification.intent.kind });
    const incident = await store.getIncident(notification.incidentId);
    if (!incident) {
      await store.recordNotificationFailure(notification.id, 'incident record missing', now() + 3_600_000);
      return;
    }
    try {
      log.debug({ attempts: notification.attempts }, 'sending notification');
      const outcome = await this.deliver(notification.intent, incident);
      if (outcome.wait) {
        await store.postponeNotification(notification.id, now() + outcome.wait.ms, outcome.wait.reason);
        return;
      }
      await store.recordNotificationSent(notification.id, now());
      this.deps.metrics.inc('glasswatch_notifications_total', { kind: notification.intent.kind, result: 'ok' });
      log.info({ skipped: outcome.skipped ?? false }, outcome.skipped ? 'notification no longer applies' : 'notification sent');
    } catch (error) {
      const failure: SendFailure =
        error instanceof SendError
          ? { status: error.status, retryAfterMs: error.retryAfterMs, message: error.message }
          : { status: undefined, message: error instanceof Error ? error.message : String(error) };
      if (failure.status === 429) this.deps.metrics.inc('glasswatch_teams_throttled_total');
      const decision = retryDelay(failure, notification.attempts, this.deps.random());
      this.deps.metrics.inc('glasswatch_notifications_total', { kind: notification.intent.kind, result: 'retry' });
      const reason = `${notification.intent.kind} failed${failure.status ? ` with ${failure.status}` : ''}: ${failure.message}`;
      log.warn({ status: failure.status, attempts: notification.attempts + 1, retryInMs: decision.delayMs }, reason);
      await store.recordNotificationFailure(notification.id, reason, now() + decision.delayMs);
    }
  }

  private async deliver(intent: NotificationIntent, incident: Incident): Promise<{ wait?: { ms: number; reason: string }; skipped?: boolean }> {
    const { store, gateway, pacer, now } = this.deps;
    if (intent.kind === 'webhook') {
      await postWebhook(intent.url, intent.body, this.deps.fetch ?? fetch);
      return {};
    }
    if (intent.kind === 'channel') {
      const binding = await store.getAlertChannel();
      if (!binding) return { wait: { ms: 30_000, reason: 'no alert channel bound yet (its service URL is needed)' } };
      const wait = pacer.reserve(intent.channelId, now());
      if (wait > 0) return { wait: { ms: wait, reason: 'paced' } };
      await gateway.postToChannel({ ...binding, channelId: intent.channelId }, this.escalationCard(incident, intent.level, intent.repeat, intent.reason, []));
      return {};
    }
    if (intent.kind === 'reminder' && incident.status !== 'acknowledged') return { skipped: true };
    const message = await store.postedMessage(incident.id);
    if (!message) return { wait: { ms: WAIT_FOR_CARD_MS, reason: 'waiting for the incident card to be posted' } };
    const wait = pacer.reserve(message.conversationId.split(';')[0] ?? '', now());
    if (wait > 0) return { wait: { ms: wait, reason: 'paced' } };
    await gateway.replyInThread(message, this.threadCard(intent, incident));
    return {};
  }

  private threadCard(intent: Exclude<NotificationIntent, { kind: 'webhook' | 'channel' }>, incident: Incident): AdaptiveCard {
    switch (intent.kind) {
      case 'mention': {
        const wanted = intent.responderIds.length > 0 ? intent.responderIds : this.deps.responders.map((r) => r.id);
        const mentions = wanted.map((id) => ({ id, name: this.deps.responders.find((r) => r.id.toLowerCase() === id.toLowerCase())?.name ?? id }));
        return this.escalationCard(incident, intent.level, intent.repeat, intent.reason, mentions);
      }
      case 'reminder':
        return renderReminderCard({
          incidentId: incident.id,
          headline: incident.headline,
          acknowledgedBy: incident.status === 'acknowledged' ? incident.acknowledgedBy : { id: '', name: 'nobody' },
          since: incident.status === 'acknowledged' ? incident.acknowledgedAt : incident.openedAt,
          now: new Date(this.deps.now()).toISOString(),
        });
      case 'response-steps':
        return renderResponseStepsCard({
          incidentId: incident.id,
          account: describeSubject(incident.subject),
          resolvedBy: incident.status === 'resolved' ? incident.resolvedBy.name : 'a responder',
        });
      default: {
        const unreachable: never = intent;
        return unreachable;
      }
    }
  }

  private escalationCard(incident: Incident, level: number, repeat: number, reason: string, mentions: { id: string; name: string }[]): AdaptiveCard {
    return renderEscalationCard({ incidentId: incident.id, headline: incident.headline, level, repeat, reason, mentions });
  }
}
