import { describe, expect, it } from 'vitest';
import { parsedAlert as baseAlert } from '../../support/parsed-alert.js';
import type { EscalationPolicy, EscalationTarget } from '../../../bot/escalation/escalation-policy.js';
import type { NotificationDraft, NotificationIntent } from '../../../bot/escalation/notification.js';
import { sideEffectsOf } from '../../../bot/escalation/side-effects.js';
import { decideAction } from '../../../bot/incidents/decide-action.js';
import { decideAlert } from '../../../bot/incidents/decide-alert.js';
import type { IncidentCommand, IncidentEvent } from '../../../bot/incidents/incident-command.js';
import { SYSTEM_ACTOR, type Actor, type Incident } from '../../../bot/incidents/incident.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';

const MINUTE = 60_000;
const OPEN = new Date('2025-03-01T12:00:00.000Z');
const ADA: Actor = { id: 'aad-ada', name: 'Ada Lovelace' };

const SHARED_HOOK = 'https://hooks.example/glasswatch';
const SOC_HOOK = 'https://hooks.example/soc';
const PAGERDUTY = 'https://events.pagerduty.com/v2/enqueue';

const LEVEL_1: EscalationTarget[] = [
  { kind: 'mention', responderIds: ['aad-ada'] },
  { kind: 'channel', channelId: '19:soc@thread.tacv2' },
  { kind: 'webhook', name: 'chat-ops', url: SHARED_HOOK, format: 'generic' },
  { kind: 'webhook', name: 'on-call', url: PAGERDUTY, format: 'pagerduty', routingKey: 'KEY-TEAM' },
];
const LEVEL_2: EscalationTarget[] = [
  { kind: 'mention', responderIds: [] },
  { kind: 'webhook', name: 'soc', url: SOC_HOOK, format: 'generic' },
  // Already paged at level 1: told of the outcome once, not twice.
  { kind: 'webhook', name: 'chat-ops again', url: SHARED_HOOK, format: 'generic' },
];

const POLICY: EscalationPolicy = {
  levels: [
    { afterMs: 5 * MINUTE, notify: LEVEL_1 },
    { afterMs: 10 * MINUTE, notify: LEVEL_2 },
  ],
  repeat: 2,
  repeatEveryMs: 15 * MINUTE,
  reminderAfterMs: 60 * MINUTE,
};

function parsedAlert(): ParsedAlert {
  return baseAlert({ links: { portal: 'https://portal.azure.com/#alert-1' } });
}

function at(minutes: number): Date {
  return new Date(OPEN.getTime() + minutes * MINUTE);
}

interface Step {
  incident: Incident;
  events: IncidentEvent[];
  now: Date;
}

/** Opens a real incident at OPEN and applies the commands, each at [minutes after OPEN]. */
function story(steps: [IncidentCommand, number][], policy: EscalationPolicy = POLICY): Step {
  const opened = decideAlert(parsedAlert(), {}, OPEN, 'inc-1', policy);
  let step: Step = { incident: opened.incident, events: [], now: OPEN };
  for (const [command, minutes] of steps) {
    const now = at(minutes);
    const decision = decideAction(step.incident, command, now, policy);
    if (!decision.ok) throw new Error(`${command.type} refused: ${decision.refusal.code}`);
    step = { incident: decision.incident, events: decision.events, now };
  }
  return step;
}

function effects(step: Step, policy: EscalationPolicy = POLICY): NotificationDraft[] {
  return sideEffectsOf(step.incident, step.events, policy, step.now);
}

function intents(drafts: NotificationDraft[]): NotificationIntent[] {
  return drafts.map((draft) => draft.intent);
}

function webhookTo(drafts: NotificationDraft[], url: string): Extract<NotificationIntent, { kind: 'webhook' }>[] {
  return drafts.flatMap((draft) => (draft.intent.kind === 'webhook' && draft.intent.url === url ? [draft.intent] : []));
}

function onlyWebhookTo(drafts: NotificationDraft[], url: string): Extract<NotificationIntent, { kind: 'webhook' }> {
  const found = webhookTo(drafts, url);
  expect(found).toHaveLength(1);
  const [webhook] = found;
  if (!webhook) throw new Error(`no webhook to ${url}`);
  return webhook;
}

const TIMER: IncidentCommand = { type: 'timer-due' };

describe('sideEffectsOf an escalation', () => {
  it('sends one draft per target of level 1: mention, channel notice, generic body, PagerDuty trigger', () => {
    const step = story([[TIMER, 5]]);
    const drafts = effects(step);

    expect(drafts.map((d) => d.event)).toEqual(['escalated', 'escalated', 'escalated', 'escalated']);
    expect(drafts.map((d) => d.intent.kind)).toEqual(['mention', 'channel', 'webhook', 'webhook']);
    const [mention, channel] = intents(drafts);
    expect(mention).toEqual({ kind: 'mention', level: 1, repeat: 0, reason: 'Nobody acknowledged within 5 min', responderIds: ['aad-ada'] });
    expect(channel).toEqual({ kind: 'channel', channelId: '19:soc@thread.tacv2', level: 1, repeat: 0, reason: 'Nobody acknowledged within 5 min' });

    const generic = onlyWebhookTo(drafts, SHARED_HOOK);
    expect(generic.name).toBe('chat-ops');
    expect(generic.body).toMatchObject({
      schema: 'glasswatch.incident.v1',
      product: 'Glasswatch',
      event: 'escalated',
      level: 1,
      repeat: 0,
      manual: false,
      actor: SYSTEM_ACTOR,
      incident: { id: 'inc-1', status: 'triggered', subject: { kind: 'user', name: 'bg1@contoso.onmicrosoft.com' } },
      sentAt: at(5).toISOString(),
    });

    const pagerDuty = onlyWebhookTo(drafts, PAGERDUTY);
    expect(pagerDuty.name).toBe('on-call');
    expect(pagerDuty.body).toMatchObject({
      routing_key: 'KEY-TEAM',
      event_action: 'trigger',
      dedup_key: 'glasswatch-inc-1',
      client: 'Glasswatch',
      payload: { summary: expect.stringContaining('(escalation level 1)'), severity: 'error', group: 'break-glass' },
    });
  });

  it('sends level 2 its own targets only, not level 1 again', () => {
    const drafts = effects(story([[TIMER, 5], [TIMER, 15]]));

    expect(drafts.map((d) => d.intent.kind)).toEqual(['mention', 'webhook', 'webhook']);
    expect(intents(drafts)[0]).toMatchObject({ kind: 'mention', level: 2, responderIds: [], reason: 'Nobody acknowledged within 10 min' });
    expect(webhookTo(drafts, PAGERDUTY)).toEqual([]);
    expect(onlyWebhookTo(drafts, SOC_HOOK).body).toMatchObject({ event: 'escalated', level: 2 });
  });

  it('names the person who pressed Escalate as the reason of a manual escalation', () => {
    const drafts = effects(story([[{ type: 'escalate', actor: ADA }, 1]]));

    const [mention] = intents(drafts);
    expect(mention).toMatchObject({ kind: 'mention', level: 1, reason: 'Escalated by Ada Lovelace' });
    expect(onlyWebhookTo(drafts, SHARED_HOOK).body).toMatchObject({ manual: true, actor: ADA });
  });

  it('names the wait of the level, in minutes, as the reason of an automatic escalation', () => {
    const policy: EscalationPolicy = { ...POLICY, levels: [{ afterMs: 12 * MINUTE, notify: [{ kind: 'mention', responderIds: [] }] }] };
    const [mention] = intents(effects(story([[TIMER, 12]], policy), policy));

    expect(mention).toMatchObject({ kind: 'mention', level: 1, repeat: 0, reason: 'Nobody acknowledged within 12 min' });
  });

  it('names the repeat wait, not the last level’s, when the last level is sent again', () => {
    // Level 2 fires 10 min after level 1; its repeats come every 15 min.
    const drafts = effects(story([[TIMER, 5], [TIMER, 15], [TIMER, 30]]));

    const [mention] = intents(drafts);
    expect(mention).toMatchObject({ kind: 'mention', level: 2, repeat: 1, reason: 'Nobody acknowledged within 15 min' });
  });

  it('sends nothing for a level the policy does not have', () => {
    const three: EscalationPolicy = { ...POLICY, levels: [...POLICY.levels, { afterMs: 20 * MINUTE, notify: [{ kind: 'mention', responderIds: [] }] }] };
    const atLevel3 = story(
      [
        [TIMER, 5],
        [TIMER, 15],
        [TIMER, 35],
      ],
      three,
    );
    expect(atLevel3.events).toMatchObject([{ type: 'escalated', level: 3 }]);
    expect(effects(atLevel3, three)).toHaveLength(1);

    // The policy lost its third level since: nothing to notify, nothing thrown.
    expect(effects(atLevel3, POLICY)).toEqual([]);
  });

  it('sends nothing for a manual escalation under a policy with no levels', () => {
    const none: EscalationPolicy = { ...POLICY, levels: [] };
    const step = story([[{ type: 'escalate', actor: ADA }, 1]], none);

    expect(step.events).toMatchObject([{ type: 'escalated', level: 0, manual: true }]);
    expect(effects(step, none)).toEqual([]);
  });
});

describe('sideEffectsOf a reminder', () => {
  it('asks for a reminder in the thread and nothing else', () => {
    const step = story([
      [TIMER, 5],
      [{ type: 'acknowledge', actor: ADA }, 6],
      [TIMER, 66],
    ]);

    expect(step.events).toMatchObject([{ type: 'reminded', reminder: 1 }]);
    expect(effects(step)).toEqual([{ event: 'reminded', intent: { kind: 'reminder', reminder: 1 } }]);
  });
});

describe('sideEffectsOf an acknowledgement', () => {
  it('tells only the webhooks of levels already reached, never mentions or channels', () => {
    const drafts = effects(story([[TIMER, 5], [{ type: 'acknowledge', actor: ADA }, 6]]));

    expect(drafts.map((d) => [d.event, d.intent.kind])).toEqual([
      ['acknowledged', 'webhook'],
      ['acknowledged', 'webhook'],
    ]);
    expect(webhookTo(drafts, SOC_HOOK)).toEqual([]);
    expect(onlyWebhookTo(drafts, SHARED_HOOK).body).toMatchObject({
      event: 'acknowledged',
      level: 1,
      actor: ADA,
      incident: { status: 'acknowledged', acknowledgedBy: ADA, acknowledgedAt: at(6).toISOString() },
    });
    expect(onlyWebhookTo(drafts, PAGERDUTY).body).toEqual({
      routing_key: 'KEY-TEAM',
      event_action: 'acknowledge',
      dedup_key: 'glasswatch-inc-1',
      client: 'Glasswatch',
    });
  });

  it('tells each paged URL once after several levels fired', () => {
    const drafts = effects(story([[TIMER, 5], [TIMER, 15], [{ type: 'acknowledge', actor: ADA }, 16]]));

    const urls = drafts.flatMap((d) => (d.intent.kind === 'webhook' ? [d.intent.url] : []));
    expect(urls).toHaveLength(3);
    expect(new Set(urls)).toEqual(new Set([SHARED_HOOK, PAGERDUTY, SOC_HOOK]));
    expect(onlyWebhookTo(drafts, SOC_HOOK).body).toMatchObject({ event: 'acknowledged', level: 2 });
  });

  it('tells nobody when no level has fired yet', () => {
    expect(effects(story([[{ type: 'acknowledge', actor: ADA }, 1]]))).toEqual([]);
  });

  it('acknowledges every PagerDuty service paged, even when they share the Events API URL', () => {
    // Two services (team, then SOC) behind the one PagerDuty endpoint: each opened its own alert.
    const policy: EscalationPolicy = {
      ...POLICY,
      levels: [
        { afterMs: 5 * MINUTE, notify: [{ kind: 'webhook', name: 'team', url: PAGERDUTY, format: 'pagerduty', routingKey: 'KEY-TEAM' }] },
        { afterMs: 10 * MINUTE, notify: [{ kind: 'webhook', name: 'soc', url: PAGERDUTY, format: 'pagerduty', routingKey: 'KEY-SOC' }] },
      ],
    };
    const drafts = effects(story([[TIMER, 5], [TIMER, 15], [{ type: 'acknowledge', actor: ADA }, 16]], policy), policy);

    const keys = webhookTo(drafts, PAGERDUTY).map((w) => w.body);
    expect(keys).toEqual([
      expect.objectContaining({ routing_key: 'KEY-TEAM', event_action: 'acknowledge' }),
      expect.objectContaining({ routing_key: 'KEY-SOC', event_action: 'acknowledge' }),
    ]);
  });
});

describe('sideEffectsOf a resolution', () => {
  it('sends the response steps and the resolve events after an unauthorized use', () => {
    const drafts = effects(story([[TIMER, 5], [{ type: 'resolve', actor: ADA, resolution: 'unauthorized' }, 7]]));

    expect(drafts.map((d) => [d.event, d.intent.kind])).toEqual([
      ['resolved', 'response-steps'],
      ['resolved', 'webhook'],
      ['resolved', 'webhook'],
    ]);
    expect(onlyWebhookTo(drafts, SHARED_HOOK).body).toMatchObject({
      event: 'resolved',
      incident: { status: 'resolved', resolvedBy: ADA, resolution: 'unauthorized' },
    });
    expect(onlyWebhookTo(drafts, PAGERDUTY).body).toMatchObject({ routing_key: 'KEY-TEAM', event_action: 'resolve', dedup_key: 'glasswatch-inc-1' });
    expect(webhookTo(drafts, SOC_HOOK)).toEqual([]);
  });

  it('sends no response steps after a drill, only the resolve events', () => {
    const drafts = effects(story([[TIMER, 5], [{ type: 'resolve', actor: ADA, resolution: 'drill' }, 7]]));

    expect(drafts.map((d) => d.intent.kind)).toEqual(['webhook', 'webhook']);
    expect(onlyWebhookTo(drafts, PAGERDUTY).body).toMatchObject({ event_action: 'resolve' });
  });

  it('sends only the response steps when nobody was paged', () => {
    const drafts = effects(story([[{ type: 'resolve', actor: ADA, resolution: 'unauthorized' }, 1]]));

    expect(drafts).toEqual([{ event: 'resolved', intent: { kind: 'response-steps' } }]);
  });
});

describe('sideEffectsOf events that notify nobody', () => {
  it('sends nothing for a note, an unacknowledgement or a rotation confirmation, even after webhooks were paged', () => {
    const note = story([[TIMER, 5], [{ type: 'note', actor: ADA, note: 'calling the owner' }, 6]]);
    const unacknowledged = story([
      [TIMER, 5],
      [{ type: 'acknowledge', actor: ADA }, 6],
      [{ type: 'unacknowledge', actor: ADA }, 7],
    ]);
    const rotated = story([
      [TIMER, 5],
      [{ type: 'resolve', actor: ADA, resolution: 'authorized-emergency' }, 7],
      [{ type: 'confirm-rotation', actor: ADA }, 8],
    ]);

    expect(note.events.map((e) => e.type)).toEqual(['note-added']);
    expect(unacknowledged.events.map((e) => e.type)).toEqual(['unacknowledged']);
    expect(rotated.events.map((e) => e.type)).toEqual(['rotation-confirmed']);
    expect(effects(note)).toEqual([]);
    expect(effects(unacknowledged)).toEqual([]);
    expect(effects(rotated)).toEqual([]);
  });
});
