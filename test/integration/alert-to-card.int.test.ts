import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGlasswatch } from '../../bot/glasswatch.js';
import { startFakeConnector, type FakeConnector, type RecordedRequest } from '../fakes/fake-connector.js';
import { postAlert, signInAlert } from '../support/alerts.js';
import { startInProcessBot } from '../support/in-process-bot.js';
import { SCENE, sayInChannel } from '../support/teams-scene.js';

function cardText(fake: FakeConnector, request: RecordedRequest): string {
  return JSON.stringify(fake.cardsIn(request));
}

describe('alert intake → incident → card in the bound channel', () => {
  let fake: FakeConnector;
  let bot: RunningGlasswatch;

  beforeEach(async () => {
    fake = await startFakeConnector();
    bot = await startInProcessBot();
  });

  afterEach(async () => {
    await bot.shutdown(1_000);
    await fake.close();
  });

  async function bind(): Promise<void> {
    const answer = await sayInChannel(bot.url, fake.url, 'bind');
    expect(answer.status).toBe(200);
    await fake.waitFor((r) => r.route === 'replyToActivity' || r.route === 'sendToConversation');
    fake.reset();
  }

  it('posts one card for a fired alert after bind, with the sign-in facts and the three buttons', async () => {
    await bind();
    const answer = await postAlert(bot.url, signInAlert({ alertId: 'alert-1' }));
    expect(answer.status).toBe(202);
    expect(answer.body).toMatchObject({ outcome: 'created', incidentId: expect.any(String) });

    const post = await fake.waitFor((r) => r.route === 'createConversation');
    expect(post.body).toMatchObject({ isGroup: true, channelData: { channel: { id: SCENE.channelId } } });
    const text = cardText(fake, post);
    expect(text).toContain('bg-admin-01@contoso.onmicrosoft.com');
    expect(text).toContain('203.0.113.24');
    expect(text).toContain('Azure Portal');
    for (const verb of ['incident.acknowledge', 'incident.escalate', 'incident.resolve']) expect(text).toContain(verb);
    expect(fake.posts()).toHaveLength(1);
  });

  it('holds a card until a channel is bound, then delivers it', async () => {
    const answer = await postAlert(bot.url, signInAlert({ alertId: 'alert-early' }));
    expect(answer.status).toBe(202);
    const ready = await fetch(`${bot.url}/readyz`).then((r) => r.json());
    expect(JSON.stringify(ready)).toContain('alert channel');
    expect(fake.posts()).toHaveLength(0);

    await sayInChannel(bot.url, fake.url, 'bind');
    const post = await fake.waitFor((r) => r.route === 'createConversation');
    expect(cardText(fake, post)).toContain('bg-admin-01@contoso.onmicrosoft.com');
  });

  it('answers a duplicate with the same incident and posts nothing new', async () => {
    await bind();
    const first = await postAlert(bot.url, signInAlert({ alertId: 'alert-dup' }));
    await fake.waitFor((r) => r.route === 'createConversation');
    const again = await postAlert(bot.url, signInAlert({ alertId: 'alert-dup' }));
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ incidentId: (first.body as { incidentId: string }).incidentId, outcome: 'duplicate' });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(fake.posts()).toHaveLength(1);
    expect(fake.updates()).toHaveLength(0);
  });

  it('groups a second alert for the same account into the incident and edits the card in place', async () => {
    await bind();
    const first = await postAlert(bot.url, signInAlert({ alertId: 'alert-a', firedAt: '2026-11-22T09:00:00Z' }));
    const post = await fake.waitFor((r) => r.route === 'createConversation');
    const second = await postAlert(bot.url, signInAlert({ alertId: 'alert-b', firedAt: '2026-11-22T09:01:00Z', resultType: '50126' }));
    expect(second.body).toEqual({ incidentId: (first.body as { incidentId: string }).incidentId, outcome: 'grouped' });

    const update = await fake.waitFor((r) => r.route === 'updateActivity');
    const messageId = /;messageid=(\d+)/.exec(String((post.responseBody as { id: string }).id))?.[1];
    expect(update.activityId).toBe(messageId);
    expect(cardText(fake, update)).toMatch(/Occurrences[^}]*2/);
    expect(fake.posts()).toHaveLength(1);
  });

  it('opens a separate incident, and a separate card, for another account', async () => {
    await bind();
    const first = await postAlert(bot.url, signInAlert({ alertId: 'alert-x' }));
    const other = await postAlert(bot.url, signInAlert({ alertId: 'alert-y', upn: 'bg-admin-02@contoso.onmicrosoft.com' }));
    expect(other.body).toMatchObject({ outcome: 'created' });
    expect((other.body as { incidentId: string }).incidentId).not.toBe((first.body as { incidentId: string }).incidentId);
    await fake.waitFor(() => fake.posts().length === 2);
  });

  it('retries after a 429 with Retry-After and delivers the card after the wait', async () => {
    await bind();
    fake.failNext(1, { status: 429, retryAfterSeconds: 1, route: 'createConversation' });
    const started = Date.now();
    await postAlert(bot.url, signInAlert({ alertId: 'alert-throttled' }));
    const post = await fake.waitFor((r) => r.route === 'createConversation' && r.status === 201, 10_000);
    expect(post.at - started).toBeGreaterThanOrEqual(1_000);
    expect(fake.requests.filter((r) => r.route === 'createConversation').map((r) => r.status)).toEqual([429, 201]);
    expect(bot.metrics.get('glasswatch_teams_throttled_total')).toBe(1);
  });

  it('keeps retrying through 503s and reports the failing delivery in /readyz and /metrics meanwhile', async () => {
    await bind();
    fake.failNext(2, { status: 503, route: 'createConversation' });
    await postAlert(bot.url, signInAlert({ alertId: 'alert-503' }));
    await fake.waitFor((r) => r.route === 'createConversation' && r.status === 503);
    const ready = (await fetch(`${bot.url}/readyz`).then((r) => r.json())) as { deliveries: { failing: number; lastError: string } };
    expect(ready.deliveries.failing).toBe(1);
    expect(ready.deliveries.lastError).toContain('503');
    expect(await fetch(`${bot.url}/metrics`).then((r) => r.text())).toMatch(/glasswatch_deliveries_failing 1/);
    await fake.waitFor((r) => r.route === 'createConversation' && r.status === 201, 15_000);
    expect(fake.posts()).toHaveLength(1);
  });

  it('posts an incident about the monitoring itself for an alert that names no account', async () => {
    await bind();
    const { fixtureText } = await import('../support/alerts.js');
    const answer = await postAlert(bot.url, fixtureText('activity-log-diagnostic-settings-delete.json'));
    expect(answer.status).toBe(202);
    const post = await fake.waitFor((r) => r.route === 'createConversation');
    expect(cardText(fake, post)).toContain('diagnosticSettings/delete');
  });

  it('answers help and unknown commands with the command list, never silence', async () => {
    await sayInChannel(bot.url, fake.url, 'frobnicate');
    const reply = await fake.waitFor((r) => r.route === 'replyToActivity' || r.route === 'sendToConversation');
    const text = cardText(fake, reply);
    expect(text).toContain('frobnicate');
    expect(text).toContain('/breakglass bind');
  });
});
