import { mkdtempSync, rmSync } from 'node:fs';
import { DEFAULT_ESCALATION_POLICY } from '../../../bot/escalation/escalation-policy.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AdaptiveCard } from '../../../cards/adaptive-card.js';
import { Metrics } from '../../../bot/http/metrics.js';
import type { Incident } from '../../../bot/incidents/incident.js';
import { recordAlert } from '../../../bot/incidents/record-alert.js';
import type { ParsedAlert } from '../../../bot/intake/alert.js';
import { openSqliteStore, type SqliteStore } from '../../../bot/store/sqlite-store.js';
import type { ChannelBinding, PostedMessage } from '../../../bot/store/store.js';
import { DeliveryWorker } from '../../../bot/teams/delivery-worker.js';
import { incidentCard } from '../../../bot/teams/incident-card.js';
import { Pacer } from '../../../bot/teams/pacer.js';
import { SendError, type TeamsGateway } from '../../../bot/teams/teams-gateway.js';

const T0 = Date.parse('2025-03-01T12:00:00.000Z');
const CHANNEL: ChannelBinding = {
  serviceUrl: 'https://smba.example/teams/',
  channelId: '19:alerts@thread.tacv2',
  tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47',
  boundBy: { id: 'u1', name: 'Ada' },
  boundAt: '2025-03-01T11:00:00.000Z',
};

interface Sent {
  kind: 'post' | 'update';
  at: number;
  version: number | undefined;
  activityId: string;
}

/** In-memory Teams: records every call and can be told to fail the next ones. */
class FakeTeams implements TeamsGateway {
  readonly sent: Sent[] = [];
  readonly postFailures: Error[] = [];
  readonly updateFailures: Error[] = [];
  private nextMessageId = 1;

  constructor(
    private readonly clock: () => number,
    private readonly versionOf: (card: AdaptiveCard) => number | undefined,
  ) {}

  async postToChannel(channel: ChannelBinding, card: AdaptiveCard): Promise<PostedMessage> {
    const failure = this.postFailures.shift();
    if (failure) throw failure;
    const activityId = String(this.nextMessageId++);
    this.sent.push({ kind: 'post', at: this.clock(), version: this.versionOf(card), activityId });
    return { serviceUrl: channel.serviceUrl, conversationId: `${channel.channelId};messageid=${activityId}`, activityId };
  }

  async updateMessage(message: PostedMessage, card: AdaptiveCard): Promise<void> {
    const failure = this.updateFailures.shift();
    if (failure) throw failure;
    this.sent.push({ kind: 'update', at: this.clock(), version: this.versionOf(card), activityId: message.activityId });
  }

  async replyInThread(): Promise<void> {
    throw new Error('the outbox never replies in threads');
  }
}

let dir: string;
let store: SqliteStore;
let clock: number;
let teams: FakeTeams;
let metrics: Metrics;
let worker: DeliveryWorker;
let nextId: number;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'glasswatch-worker-'));
  store = openSqliteStore(dir);
  clock = T0;
  nextId = 1;
  const rendered = new Map<AdaptiveCard, number>();
  teams = new FakeTeams(() => clock, (card) => rendered.get(card));
  metrics = new Metrics();
  worker = new DeliveryWorker({
    store,
    gateway: teams,
    render: (incident: Incident) => {
      const card = incidentCard(incident, { demo: false, responderIds: ['u1'], escalationLevels: 2 });
      rendered.set(card, incident.version);
      return card;
    },
    pacer: new Pacer(),
    metrics,
    logger: pino({ level: 'silent' }),
    now: () => clock,
    random: () => 0.5,
  });
});

afterEach(async () => {
  await worker.stop();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

function alert(alertId: string, user = 'bg1', firedAt = new Date(clock - 60_000).toISOString()): ParsedAlert {
  return {
    alertId,
    monitorCondition: 'Fired',
    firedAt,
    source: 'log-v2',
    monitoringService: 'Log Alerts V2',
    alertRule: 'Break-glass sign-in',
    severity: 'Sev1',
    subject: { kind: 'user', key: `user:${user}@contoso.onmicrosoft.com`, upn: `${user}@contoso.onmicrosoft.com` },
    signIns: [{ time: firedAt, upn: `${user}@contoso.onmicrosoft.com`, resultType: '0' }],
    links: {},
  };
}

async function commit(input: ParsedAlert): Promise<Incident> {
  const recorded = await recordAlert({ store, now: () => new Date(clock), policy: DEFAULT_ESCALATION_POLICY, newId: () => `inc-${nextId++}` }, input, '{}');
  return recorded.incident;
}

/** Delivers whatever is due at the current fake time. */
async function drainNow(): Promise<void> {
  await worker.drain(clock + 1);
}

/** Moves the fake clock to the next scheduled delivery and delivers it. */
async function advanceToNextDelivery(): Promise<void> {
  const next = await store.nextDeliveryAt();
  if (next === undefined) throw new Error('nothing is scheduled');
  clock = Math.max(clock, next);
  await drainNow();
}

describe('DeliveryWorker', () => {
  it('holds cards while no channel is bound, says how to bind one, and sends nothing', async () => {
    await commit(alert('a-1'));
    await drainNow();

    expect(teams.sent).toEqual([]);
    const stats = await store.deliveryStats();
    expect(stats).toMatchObject({ pending: 1, failing: 0 });
    expect(stats.lastError).toContain('bind');
    expect(await store.nextDeliveryAt()).toBe(T0 + 30_000);

    await store.setAlertChannel(CHANNEL, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    await advanceToNextDelivery();
    expect(teams.sent).toMatchObject([{ kind: 'post', version: 1 }]);
    expect(await store.deliveryStats()).toMatchObject({ pending: 0, lastError: undefined });
  });

  it('posts a new incident once to the bound channel and records it as delivered', async () => {
    await store.setAlertChannel(CHANNEL, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    await commit(alert('a-1'));
    await drainNow();
    await drainNow();

    expect(teams.sent).toEqual([{ kind: 'post', at: T0, version: 1, activityId: '1' }]);
    expect(await store.deliveryStats()).toEqual({ pending: 0, failing: 0, oldestPendingSince: undefined, lastError: undefined });
    expect(await store.nextDeliveryAt()).toBeUndefined();
    expect(metrics.get('glasswatch_deliveries_total', { kind: 'post', result: 'ok' })).toBe(1);
  });

  it('coalesces a burst of grouped alerts into one edit showing the latest version', async () => {
    await store.setAlertChannel(CHANNEL, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    await commit(alert('a-1'));
    await drainNow();
    for (let i = 2; i <= 6; i++) {
      clock += 10;
      await commit(alert(`a-${i}`));
    }
    expect((await store.getIncident('inc-1'))?.version).toBe(6);

    // Too soon after the post: the edit waits for the edit interval instead of going out now.
    await drainNow();
    expect(teams.sent.filter((s) => s.kind === 'update')).toEqual([]);

    await advanceToNextDelivery();
    await drainNow();
    expect(teams.sent.filter((s) => s.kind === 'update')).toEqual([{ kind: 'update', at: T0 + 2_000, version: 6, activityId: '1' }]);
    expect(teams.sent).toHaveLength(2);
    expect(await store.deliveryStats()).toMatchObject({ pending: 0 });
  });

  it('waits out a 429 for at least Retry-After, counts the throttling, then delivers', async () => {
    await store.setAlertChannel(CHANNEL, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    await commit(alert('a-1'));
    teams.postFailures.push(new SendError('Too Many Requests', 429, 5_000));
    await drainNow();

    expect(teams.sent).toEqual([]);
    expect(metrics.get('glasswatch_teams_throttled_total')).toBe(1);
    const stats = await store.deliveryStats();
    expect(stats).toMatchObject({ pending: 1, failing: 1 });
    expect(stats.lastError).toContain('429');
    const next = await store.nextDeliveryAt();
    expect(next).toBeDefined();
    if (next === undefined) throw new Error('no retry scheduled');
    expect(next).toBeGreaterThanOrEqual(T0 + 5_000);

    clock = next - 1;
    await drainNow();
    expect(teams.sent).toEqual([]);

    await advanceToNextDelivery();
    expect(teams.sent).toMatchObject([{ kind: 'post', version: 1 }]);
    expect(await store.deliveryStats()).toEqual({ pending: 0, failing: 0, oldestPendingSince: undefined, lastError: undefined });
  });

  it('retries a 403 slowly and never drops the card', async () => {
    await store.setAlertChannel(CHANNEL, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    await commit(alert('a-1'));
    const forbidden = (): SendError => new SendError('Forbidden: the bot is not in the team', 403, undefined);
    teams.postFailures.push(forbidden(), forbidden(), forbidden());

    await drainNow();
    expect(await store.nextDeliveryAt()).toBe(T0 + 5 * 60_000);
    await advanceToNextDelivery();
    await advanceToNextDelivery();

    expect(teams.sent).toEqual([]);
    expect(metrics.get('glasswatch_deliveries_total', { kind: 'post', result: 'failed' })).toBe(3);
    const stats = await store.deliveryStats();
    expect(stats).toMatchObject({ pending: 1, failing: 1, oldestPendingSince: T0 });
    expect(stats.lastError).toContain('403');
    expect(await store.nextDeliveryAt()).toBe(T0 + 15 * 60_000);

    // Once the bot is back in the team, the card still arrives.
    await advanceToNextDelivery();
    expect(teams.sent).toMatchObject([{ kind: 'post', version: 1 }]);
    expect(await store.deliveryStats()).toMatchObject({ pending: 0 });
  });

  it('posts the card again when the message to edit was deleted (404), and edits the new one afterwards', async () => {
    await store.setAlertChannel(CHANNEL, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    await commit(alert('a-1'));
    await drainNow();

    clock += 5_000;
    await commit(alert('a-2'));
    teams.updateFailures.push(new SendError('Not Found', 404, undefined));
    await drainNow();
    expect(teams.sent).toMatchObject([
      { kind: 'post', version: 1, activityId: '1' },
      { kind: 'post', version: 2, activityId: '2' },
    ]);
    expect(await store.deliveryStats()).toMatchObject({ pending: 0 });

    clock += 5_000;
    await commit(alert('a-3'));
    await drainNow();
    expect(teams.sent[2]).toMatchObject({ kind: 'update', version: 3, activityId: '2' });
  });

  it('paces a flood: never more than 7 sends to the channel in one second, and every card arrives once', async () => {
    await store.setAlertChannel(CHANNEL, 0, { kind: 'channel.bound', at: '2026-01-01T00:00:00.000Z', actor: { id: 'test', name: 'Test' }, data: {} });
    for (let i = 1; i <= 10; i++) await commit(alert(`a-${i}`, `bg${i}`));

    await drainNow();
    expect(teams.sent.filter((s) => s.at === T0)).toHaveLength(7);
    expect(await store.deliveryStats()).toMatchObject({ pending: 3, failing: 0 });

    for (let round = 0; round < 10 && (await store.deliveryStats()).pending > 0; round++) await advanceToNextDelivery();

    expect(teams.sent).toHaveLength(10);
    expect(teams.sent.every((s) => s.kind === 'post' && s.version === 1)).toBe(true);
    for (const first of teams.sent) {
      const inOneSecond = teams.sent.filter((s) => s.at >= first.at && s.at < first.at + 1_000);
      expect(inOneSecond.length).toBeLessThanOrEqual(7);
    }
    expect(metrics.get('glasswatch_deliveries_total', { kind: 'post', result: 'ok' })).toBe(10);
  });
});
