import type { Incident } from '../incidents/incident.js';
import type { IncidentEvent } from '../incidents/incident-command.js';
import type { EscalationPolicy, EscalationTarget } from './escalation-policy.js';
import type { NotificationDraft } from './notification.js';
import { genericWebhookBody, pagerDutyEventBody } from './webhook-payloads.js';

/**
 * What must go out because of what just happened (pure). Escalations notify their level's targets;
 * an acknowledgement or resolution is passed on to the webhooks already paged, so the pager stops.
 */
export function sideEffectsOf(incident: Incident, events: readonly IncidentEvent[], policy: EscalationPolicy, now: Date): NotificationDraft[] {
  return events.flatMap((event): NotificationDraft[] => {
    switch (event.type) {
      case 'escalated': {
        const level = policy.levels[event.level - 1];
        if (!level) return [];
        // A repeat of the last level waited repeatEveryMs, not the level's own wait (as the decider counts it).
        const minutes = Math.round((event.repeat > 0 ? policy.repeatEveryMs : level.afterMs) / 60_000);
        const reason = event.manual ? `Escalated by ${event.actor.name}` : `Nobody acknowledged within ${minutes} min`;
        return level.notify.flatMap((target) => notify(target, incident, event, reason, now));
      }
      case 'reminded':
        return [{ event: event.type, intent: { kind: 'reminder', reminder: event.reminder } }];
      case 'acknowledged':
      case 'resolved': {
        const steps: NotificationDraft[] =
          event.type === 'resolved' && event.resolution === 'unauthorized' ? [{ event: event.type, intent: { kind: 'response-steps' } }] : [];
        return [...steps, ...pagedWebhooks(incident, policy).flatMap((target) => notify(target, incident, event, '', now))];
      }
      case 'unacknowledged':
      case 'note-added':
      case 'rotation-confirmed':
        return [];
      default: {
        const unreachable: never = event;
        return unreachable;
      }
    }
  });
}

function notify(target: EscalationTarget, incident: Incident, event: IncidentEvent, reason: string, now: Date): NotificationDraft[] {
  switch (target.kind) {
    case 'mention':
      if (event.type !== 'escalated') return [];
      return [{ event: event.type, intent: { kind: 'mention', level: event.level, repeat: event.repeat, reason, responderIds: target.responderIds } }];
    case 'channel':
      if (event.type !== 'escalated') return [];
      return [{ event: event.type, intent: { kind: 'channel', channelId: target.channelId, level: event.level, repeat: event.repeat, reason } }];
    case 'webhook': {
      const body =
        target.format === 'pagerduty'
          ? pagerDutyEventBody(incident, event, target.routingKey ?? '', now)
          : genericWebhookBody(incident, event, { product: 'Glasswatch', now });
      return body === undefined ? [] : [{ event: event.type, intent: { kind: 'webhook', name: target.name, url: target.url, body } }];
    }
    default: {
      const unreachable: never = target;
      return unreachable;
    }
  }
}

/**
 * The webhooks of every level this incident has reached: they were paged and must hear the outcome.
 * Once per URL, except that PagerDuty services sharing the Events API URL each opened their own
 * alert (one per routing key), so each must hear it.
 */
function pagedWebhooks(incident: Incident, policy: EscalationPolicy): EscalationTarget[] {
  const seen = new Set<string>();
  return policy.levels
    .slice(0, incident.escalation.level)
    .flatMap((level) => level.notify)
    .filter((target) => {
      if (target.kind !== 'webhook') return false;
      const key = target.format === 'pagerduty' ? `${target.url} ${target.routingKey ?? ''}` : target.url;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
}
