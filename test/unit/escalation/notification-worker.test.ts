import { pino } from 'pino';
import { parsedAlert as baseAlert } from '../../support/parsed-alert.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../../cards/adaptive-card.js';
import type { EscalationPolicy, EscalationTarget } from '../../../bot/escalation/escalation-policy.js';
import { NotificationWorker } from '../../../bot/escalation/notification-worker.js';
import { Metrics } from '../../../bot/http/metrics.js';
import { actOnIncident } from '../../../bot/incidents/act-on-incident.js';
import type { IncidentCommand } from '../../../bot/incidents/incident-command.js';
import { recordAlert } from '../../../bot/incidents/record-alert.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';
import { openSqliteStore, type SqliteStore } from '../../../bot/store/sqlite-store.js';
import type { ChannelBinding, PostedMessage } from '../../../bot/store/store.js';
import { Pacer } from '../../../bot/teams/pacer.js';
import type { TeamsGateway } from '../../../bot/teams/teams-gateway.js';
import { tempDir } from '../../support/temp-dir.js';

const MINUTE = 60_000;
const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const ADA = { id: 'aad-ada', name: 'Ada Lovelace' };
const BOB = { id: 'aad-bob', name: 'Bob Hopper' };
const HOOK = 'https://hooks.example/glasswatch';

const CHANNEL: ChannelBinding = {
  serviceUrl: 'https://smba.example/teams/',
  channelId: '19:alerts@thread.tacv2',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  boundBy: ADA,
  boundAt: '2025-03-01T11:00:00.000Z',
};
const CARD_MESSAGE: PostedMessage = {
  serviceUrl: CHANNEL.serviceUrl,
  conversationId: `${CHANNEL.channelId};messageid=1700000000001`,
  activityId: '1700000000001',
};

function policyNotifying(...notify: EscalationTarget[]): EscalationPolicy {
  return { levels: [{ afterMs: 5 * MINUTE, notify }], repeat: 0, repeatEveryMs: 15 * MINUTE, reminderAfterMs: 60 * MINUTE };
}

interface Call {
  kind: 'post' | 'reply';
  target: ChannelBinding | PostedMessage;
  card: AdaptiveCard;
}

/** In-memory Teams: records every post and reply. */
class FakeTeams implements TeamsGateway {
  readonly calls: Call[] = [];

  async postToChannel(channel: ChannelBinding, card: AdaptiveCard): Promise<PostedMessage> {
    this.calls.push({ kind: 'post', target: channel, card });
    return { serviceUrl: channel.serviceUrl, conversationId: `${channel.channelId};messageid=2`, activityId: '2' };
  }

  async updateMessage(): Promise<void> {
    throw new Error('the notification worker never edits a card');
  }

  async replyInThread(message: PostedMessage, card: AdaptiveCard): Promise<void> {
    this.calls.push({ kind: 'reply', target: message, card });
  }
}

interface FetchCall {
  url: string;
  method: string | undefined;
  headers: Headers;
  body: unknown;
}

/** An outbound HTTP stub: records each request and answers with the next queued response (202 when none). */
class FakeFetch {
  readonly calls: FetchCall[] = [];
  readonly answers: (() => Response)[] = [];

  readonly fetch: typeof fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    const body: unknown = typeof init?.body === 'string' ? JSON.parse(init.body) : undefined;
    this.calls.push({ url, method: init?.method, headers: new Headers(init?.headers), body });
    const answer = this.answers.shift();
    return answer ? answer() : new Response(null, { status: 202 });
  };
}

let dir: { path: string; remove: () => void };
let store: SqliteStore;
let now: number;
let teams: FakeTeams;
let http: FakeFetch;
let metrics: Metrics;
let worker: NotificationWorker;

beforeEach(() => {
  dir = tempDir('glasswatch-notify-');
  store = openSqliteStore(dir.path);
  now = T0;
  teams = new FakeTeams();
  http = new FakeFetch();
  metrics = new Metrics();
  worker = new NotificationWorker({
    store,
    gateway: teams,
    pacer: new Pacer(),
    responders: [ADA, BOB],
    metrics,
    logger: pino({ level: 'silent' }),
    now: () => now,
    random: () => 0.5,
    fetch: http.fetch,
  });
});

afterEach(async () => {
  await worker.stop();
  await store.close();
  dir.remove();
});

/** Exactly one round of the worker at the current `now`: start() runs it, stop() waits for it. */
async function oneRound(): Promise<void> {
  worker.start();
  await worker.stop();
}

function alert(): ParsedAlert {
  const firedAt = new Date(T0 - MINUTE).toISOString();
  return baseAlert({ firedAt, signIns: [{ time: firedAt, upn: 'bg1@contoso.onmicrosoft.com', resultType: '0' }], links: {} });
}

/** Opens inc-1 at `now` and applies the commands at `now`, through the real decide-and-commit path. */
async function incidentWith(policy: EscalationPolicy, ...commands: IncidentCommand[]): Promise<void> {
  const deps = { store, now: () => new Date(now), policy };
  await recordAlert({ ...deps, newId: () => 'inc-1' }, alert(), '{}');
  for (const command of commands) {
    const result = await actOnIncident(deps, 'inc-1', command);
    if (!result.ok) throw new Error(`${command.type} was not accepted`);
  }
}

async function act(policy: EscalationPolicy, command: IncidentCommand): Promise<void> {
  const result = await actOnIncident({ store, now: () => new Date(now), policy }, 'inc-1', command);
  if (!result.ok) throw new Error(`${command.type} was not accepted`);
}

const ESCALATE: IncidentCommand = { type: 'escalate', actor: ADA };

describe('NotificationWorker thread mentions', () => {
  it('waits for the incident card, without counting a failure, then mentions the configured responders in its thread', async () => {
    await incidentWith(policyNotifying({ kind: 'mention', responderIds: [] }), ESCALATE);

    await oneRound();

    expect(teams.calls).toEqual([]);
    expect(await store.notificationStats()).toEqual({ pending: 1, failing: 0, lastError: undefined });
    expect(await store.nextNotificationAt()).toBe(now + 5_000);
    expect(metrics.get('glasswatch_notifications_total', { kind: 'mention', result: 'retry' })).toBe(0);

    // Still waiting: a round before the postponed time sends nothing.
    await store.recordDelivered('inc-1', 1, CARD_MESSAGE);
    await oneRound();
    expect(teams.calls).toEqual([]);

    now += 5_000;
    await oneRound();

    expect(teams.calls).toHaveLength(1);
    const [reply] = teams.calls;
    expect(reply?.kind).toBe('reply');
    expect(reply?.target).toEqual(CARD_MESSAGE);
    expect(reply?.card.msteams?.entities).toEqual([
      { type: 'mention', text: '<at>Ada Lovelace</at>', mentioned: { id: 'aad-ada', name: 'Ada Lovelace' } },
      { type: 'mention', text: '<at>Bob Hopper</at>', mentioned: { id: 'aad-bob', name: 'Bob Hopper' } },
    ]);
    expect(JSON.stringify(reply?.card.body)).toContain('Escalated by Ada Lovelace');
    expect(await store.notificationStats()).toMatchObject({ pending: 0, failing: 0 });
    expect(metrics.get('glasswatch_notifications_total', { kind: 'mention', result: 'ok' })).toBe(1);

    await oneRound();
    expect(teams.calls).toHaveLength(1);
  });

  it('mentions only the responders the level names', async () => {
    await incidentWith(policyNotifying({ kind: 'mention', responderIds: ['AAD-BOB'] }), ESCALATE);
    await store.recordDelivered('inc-1', 1, CARD_MESSAGE);

    await oneRound();

    expect(teams.calls.map((call) => call.card.msteams?.entities?.map((e) => e.mentioned))).toEqual([[{ id: 'AAD-BOB', name: 'Bob Hopper' }]]);
  });
});

describe('NotificationWorker webhooks', () => {
  const WEBHOOK = policyNotifying({ kind: 'webhook', name: 'soc', url: HOOK, format: 'generic' });

  it('posts the body fixed at escalation time and is done on a 2xx', async () => {
    await incidentWith(WEBHOOK, ESCALATE);

    await oneRound();

    expect(http.calls).toHaveLength(1);
    const [call] = http.calls;
    expect(call?.url).toBe(HOOK);
    expect(call?.method).toBe('POST');
    expect(call?.headers.get('content-type')).toBe('application/json');
    expect(call?.body).toMatchObject({ schema: 'glasswatch.incident.v1', event: 'escalated', level: 1, manual: true, incident: { id: 'inc-1' } });
    expect(await store.notificationStats()).toMatchObject({ pending: 0, failing: 0 });
    expect(metrics.get('glasswatch_notifications_total', { kind: 'webhook', result: 'ok' })).toBe(1);
    // It needs no card and no channel: webhooks never wait for Teams.
    expect(teams.calls).toEqual([]);
  });

  it('retries a 503 no earlier than its Retry-After, and counts the retry', async () => {
    await incidentWith(WEBHOOK, ESCALATE);
    http.answers.push(() => new Response('maintenance', { status: 503, headers: { 'retry-after': '120' } }));

    await oneRound();

    expect(http.calls).toHaveLength(1);
    expect(await store.notificationStats()).toEqual({ pending: 1, failing: 1, lastError: expect.stringContaining('503') });
    expect(await store.nextNotificationAt()).toBe(now + 120_000);
    expect(metrics.get('glasswatch_notifications_total', { kind: 'webhook', result: 'retry' })).toBe(1);
    expect(metrics.render([])).toContain('glasswatch_notifications_total{kind="webhook",result="retry"} 1\n');

    now += 119_999;
    await oneRound();
    expect(http.calls).toHaveLength(1);

    now += 1;
    await oneRound();
    expect(http.calls).toHaveLength(2);
    expect(http.calls[1]?.body).toEqual(http.calls[0]?.body);
    expect(await store.notificationStats()).toMatchObject({ pending: 0, failing: 0 });
    expect(metrics.get('glasswatch_notifications_total', { kind: 'webhook', result: 'ok' })).toBe(1);
  });

  it('keeps a webhook answering 400 and retries it slowly, never dropping it', async () => {
    await incidentWith(WEBHOOK, ESCALATE);
    http.answers.push(
      () => new Response('bad payload', { status: 400 }),
      () => new Response('bad payload', { status: 400 }),
    );

    await oneRound();

    expect(await store.notificationStats()).toEqual({ pending: 1, failing: 1, lastError: expect.stringContaining('400') });
    expect(await store.nextNotificationAt()).toBe(now + 5 * MINUTE);

    now += 5 * MINUTE;
    await oneRound();

    expect(http.calls).toHaveLength(2);
    const [pending] = await store.dueNotifications(now + 5 * MINUTE, 10);
    expect(pending).toMatchObject({ incidentId: 'inc-1', attempts: 2, nextAttemptAt: now + 5 * MINUTE, intent: { kind: 'webhook', url: HOOK } });
    expect(await store.notificationStats()).toMatchObject({ pending: 1, failing: 1 });
    expect(metrics.get('glasswatch_notifications_total', { kind: 'webhook', result: 'retry' })).toBe(2);
  });
});

describe('NotificationWorker reminders', () => {
  it('marks a reminder done without sending when the incident is no longer acknowledged', async () => {
    const policy = policyNotifying({ kind: 'mention', responderIds: [] });
    await incidentWith(policy, { type: 'acknowledge', actor: ADA });
    await store.recordDelivered('inc-1', 2, CARD_MESSAGE);
    now += 60 * MINUTE;
    await act(policy, { type: 'timer-due' });
    expect((await store.dueNotifications(now, 10)).map((n) => n.intent)).toEqual([{ kind: 'reminder', reminder: 1 }]);
    await act(policy, { type: 'resolve', actor: ADA, resolution: 'drill' });

    await oneRound();

    expect(teams.calls).toEqual([]);
    expect(await store.notificationStats()).toMatchObject({ pending: 0, failing: 0 });
    expect(metrics.get('glasswatch_notifications_total', { kind: 'reminder', result: 'ok' })).toBe(1);
  });

  it('sends a reminder in the thread while the incident is still acknowledged, mentioning who acknowledged it', async () => {
    const policy = policyNotifying({ kind: 'mention', responderIds: [] });
    await incidentWith(policy, { type: 'acknowledge', actor: BOB });
    await store.recordDelivered('inc-1', 2, CARD_MESSAGE);
    now += 60 * MINUTE;
    await act(policy, { type: 'timer-due' });

    await oneRound();

    expect(teams.calls.map((call) => [call.kind, call.card.msteams?.entities?.map((e) => e.mentioned.id)])).toEqual([['reply', ['aad-bob']]]);
  });
});

describe('NotificationWorker channel notices', () => {
  it('waits for an alert channel binding, then posts the notice to the configured channel', async () => {
    await incidentWith(policyNotifying({ kind: 'channel', channelId: '19:soc@thread.tacv2' }), ESCALATE);

    await oneRound();

    expect(teams.calls).toEqual([]);
    expect(await store.notificationStats()).toEqual({ pending: 1, failing: 0, lastError: undefined });
    expect(await store.nextNotificationAt()).toBe(now + 30_000);

    await store.setAlertChannel(CHANNEL, now, { kind: 'channel.bound', at: new Date(now).toISOString(), actor: ADA, data: {} });
    now += 30_000;
    await oneRound();

    expect(teams.calls).toHaveLength(1);
    const [post] = teams.calls;
    expect(post?.kind).toBe('post');
    expect(post?.target).toMatchObject({ serviceUrl: CHANNEL.serviceUrl, channelId: '19:soc@thread.tacv2' });
    expect(JSON.stringify(post?.card.body)).toContain('ESCALATION · LEVEL 1');
    expect(await store.notificationStats()).toMatchObject({ pending: 0, failing: 0 });
    expect(metrics.get('glasswatch_notifications_total', { kind: 'channel', result: 'ok' })).toBe(1);
  });
});
