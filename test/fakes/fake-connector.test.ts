/**
 * Self-test of the fake connector with the real botframework-connector ConnectorClient pointed at it:
 * proves the fake speaks the wire format the SDK sends and parses, and pins down the SDK's own
 * retry behaviour (which the bot must know about to own its retries).
 */
import type { AddressInfo } from 'node:net';
import { noRetryHttpClient } from '../../bot/teams/no-retry-http-client.js';
import { SendError } from '../../bot/teams/teams-gateway.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import restify from 'restify';
import { Application, TeamsAdapter } from '@microsoft/teams-ai';
import { MemoryStorage, MessageFactory, type Activity } from 'botbuilder';
import { ConnectorClient, MicrosoftAppCredentials, type ConnectorClientOptions } from 'botframework-connector';
import { cardActionInvoke, channelMessage, personalMessage, postActivity } from './activities.js';
import { startFakeConnector, type FakeConnector } from './fake-connector.js';

const CHANNEL = '19:9f3c2a1b7d6e4c5a8b0f1e2d3c4b5a69@thread.tacv2';
const CARD = {
  type: 'AdaptiveCard',
  $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
  version: '1.5',
  body: [{ type: 'TextBlock', text: 'Break-glass sign-in' }],
};

/**
 * botframework-schema's `Activity` marks a dozen fields Teams never needs (label, valueType,
 * listenFor, …) as required; the SDK itself passes partial activities the same way.
 */
function activity(partial: Partial<Activity>): Activity {
  return partial as Activity;
}

function cardMessage(text: string): Activity {
  return activity({
    type: 'message',
    text,
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: CARD }],
  });
}

/** What a failed ConnectorClient call throws (a core-rest-pipeline RestError), narrowed. */
interface SdkError {
  statusCode?: number;
  code?: string;
  retryAfter?: string;
  bodyText?: string;
}

function sdkError(error: unknown): SdkError {
  if (typeof error !== 'object' || error === null) return {};
  const result: SdkError = {};
  if ('statusCode' in error && typeof error.statusCode === 'number') result.statusCode = error.statusCode;
  if ('code' in error && typeof error.code === 'string') result.code = error.code;
  if ('response' in error && typeof error.response === 'object' && error.response !== null) {
    const response = error.response;
    if ('headers' in response && typeof response.headers === 'object' && response.headers !== null && 'get' in response.headers) {
      const get = response.headers.get;
      if (typeof get === 'function') {
        const value: unknown = get.call(response.headers, 'retry-after');
        if (typeof value === 'string') result.retryAfter = value;
      }
    }
    if ('bodyAsText' in response && typeof response.bodyAsText === 'string') result.bodyText = response.bodyAsText;
  }
  return result;
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail');
}


describe('fake connector against the real ConnectorClient', () => {
  let fake: FakeConnector;
  let client: ConnectorClient;

  beforeEach(async () => {
    if (fake === undefined) fake = await startFakeConnector();
    fake.reset();
    // Anonymous, as CloudAdapter does with an empty MicrosoftAppId: no token, no Authorization header.
    client = new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: fake.url });
  });

  afterAll(async () => {
    await fake.close();
  });

  it('creates a channel conversation (a Teams channel post) and returns "<channel>;messageid=N"', async () => {
    const result = await client.conversations.createConversation({
      isGroup: true,
      bot: { id: '28:glasswatch', name: 'Glasswatch' },
      channelData: { channel: { id: CHANNEL } },
      activity: cardMessage('Break-glass sign-in'),
    });

    expect(result.activityId).toMatch(/^\d{13}$/);
    expect(result.id).toBe(`${CHANNEL};messageid=${result.activityId}`);
    const [post] = fake.posts();
    expect(post).toMatchObject({ method: 'POST', route: 'createConversation', conversationId: CHANNEL, status: 201 });
    expect(post?.path).toBe('/amer/v3/conversations');
    expect(post?.headers.authorization).toBeUndefined();
    expect(post?.body).toMatchObject({ isGroup: true, channelData: { channel: { id: CHANNEL } }, activity: { type: 'message' } });
    expect(post === undefined ? [] : fake.cardsIn(post)).toEqual([CARD]);
  });

  it('sends, replies and updates with ids containing ";", ":" and "@", decoded from the path', async () => {
    const created = await client.conversations.createConversation({
      isGroup: true,
      bot: { id: '28:glasswatch', name: 'Glasswatch' },
      channelData: { channel: { id: CHANNEL } },
      activity: cardMessage('v1'),
    });
    const thread = created.id;

    const sent = await client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'new post' }));
    const reply = await client.conversations.replyToActivity(thread, created.activityId, activity({ type: 'message', text: 'in thread' }));
    const updated = await client.conversations.updateActivity(thread, created.activityId, cardMessage('v2'));

    expect(sent.id).toMatch(/^\d{13}$/);
    expect(reply.id).toMatch(/^\d{13}$/);
    expect(updated.id).toBe(created.activityId);
    expect(fake.posts().map((r) => r.route)).toEqual(['createConversation', 'sendToConversation', 'replyToActivity']);
    const [update] = fake.updates();
    expect(update).toMatchObject({ method: 'PUT', conversationId: thread, baseConversationId: CHANNEL, activityId: created.activityId });
    expect(update?.path).toContain('%3Bmessageid%3D');
    expect(fake.latest(created.activityId)).toMatchObject({ text: 'v2' });
  });

  it('answers 404 ActivityNotFoundInConversation when editing a message it never saw', async () => {
    const error = sdkError(await failure(client.conversations.updateActivity(CHANNEL, '1234567890123', cardMessage('x'))));
    expect(error.statusCode).toBe(404);
    expect(error.bodyText).toContain('ActivityNotFoundInConversation');

    fake.seedActivity(CHANNEL, '1234567890123');
    await expect(client.conversations.updateActivity(CHANNEL, '1234567890123', cardMessage('x'))).resolves.toEqual({ id: '1234567890123' });
  });

  it('deletes and refuses unknown routes with a recorded 404', async () => {
    const created = await client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'bye' }));
    await client.conversations.deleteActivity(CHANNEL, created.id);
    const error = sdkError(await failure(client.conversations.getConversationMembers(CHANNEL)));
    expect(error.statusCode).toBe(404);
    expect(fake.requests.map((r) => [r.route, r.status])).toEqual([
      ['sendToConversation', 201],
      ['deleteActivity', 200],
      ['unknown', 404],
    ]);
  });

  it('refuses an empty message with 400, as Teams does', async () => {
    const error = sdkError(await failure(client.conversations.sendToConversation(CHANNEL, activity({ type: 'message' }))));
    expect(error.statusCode).toBe(400);
  });

  describe('the SDK retries by itself', () => {
    it('retries a 429 that carries Retry-After, transparently, honouring the delay', async () => {
      fake.failNext(1, { status: 429, retryAfterSeconds: 0 });
      const sent = await client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' }));
      expect(sent.id).toMatch(/^\d{13}$/);
      expect(fake.requests.map((r) => r.status)).toEqual([429, 201]);
      expect(fake.throttledCount).toBe(1);
    });

    it('gives up after 3 retries (4 attempts) and then throws the 429 with its Retry-After', async () => {
      fake.failNext(4, { status: 429, retryAfterSeconds: 0 });
      const error = sdkError(await failure(client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' }))));
      expect(error).toMatchObject({ statusCode: 429, retryAfter: '0' });
      expect(error.bodyText).toContain('Throttled');
      expect(fake.requests).toHaveLength(4);
    });

    it('ignores retryOptions.maxRetries and noRetryPolicy in the client options', async () => {
      // Not in ConnectorClientOptions' type; passed through a wider variable to show they are dropped at runtime.
      const options = { baseUri: fake.url, noRetryPolicy: true, retryOptions: { maxRetries: 0 } };
      const configured = new ConnectorClient(MicrosoftAppCredentials.Empty, options);
      fake.failNext(4, { status: 429, retryAfterSeconds: 0 });
      await failure(configured.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' })));
      expect(fake.requests).toHaveLength(4);
    });

    it('does not retry a 429 without Retry-After', async () => {
      fake.failNext(1, { status: 429, retryAfterSeconds: null });
      const error = sdkError(await failure(client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' }))));
      expect(error.statusCode).toBe(429);
      expect(fake.requests).toHaveLength(1);
    });

    it('retries a 502 without Retry-After on an exponential backoff (first wait 0.5–1 s)', async () => {
      fake.failNext(1, { status: 502 });
      const started = Date.now();
      await client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(450);
      expect(fake.requests.map((r) => r.status)).toEqual([502, 201]);
    });

    it('does not retry 412 (which Teams asks bots to retry)', async () => {
      fake.failNext(1, { status: 412 });
      const error = sdkError(await failure(client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' }))));
      expect(error.statusCode).toBe(412);
      expect(fake.requests).toHaveLength(1);
    });

    it('stops retrying when the httpClient option throws a non-RestError for retryable statuses', async () => {
      const owned = new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: fake.url, httpClient: noRetryHttpClient });
      fake.failNext(1, { status: 429, retryAfterSeconds: 3 });
      const error = await failure(owned.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' })));
      expect(error).toBeInstanceOf(SendError);
      expect(error).toMatchObject({ status: 429, retryAfterMs: 3000 });
      expect(fake.requests).toHaveLength(1);

      fake.failNext(1, { status: 503 });
      await expect(owned.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' }))).rejects.toMatchObject({ status: 503 });
      const sent = await owned.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'hi' }));
      expect(sent.id).toMatch(/^\d{13}$/);
      expect(fake.requests.map((r) => r.status)).toEqual([429, 503, 201]);
    });
  });

  describe('rate limit', () => {
    it('answers 429 with Retry-After once a conversation exceeds 7 messages in a second', async () => {
      fake.rateLimit({ perConversation: [{ count: 7, windowMs: 1_000 }, { count: 60, windowMs: 30_000 }] });
      const owned = new ConnectorClient(MicrosoftAppCredentials.Empty, { baseUri: fake.url, httpClient: noRetryHttpClient });
      for (let i = 0; i < 7; i += 1) {
        await owned.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: `m${i}` }));
      }
      const error = await failure(owned.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'm7' })));
      expect(error).toMatchObject({ status: 429, retryAfterMs: 1000 });
      expect(fake.throttledCount).toBe(1);
      // Another conversation has its own budget.
      await owned.conversations.sendToConversation('19:other@thread.tacv2', activity({ type: 'message', text: 'elsewhere' }));
    });

    it('is absorbed by the default client, which waits out Retry-After inside the call', async () => {
      fake.rateLimit({ perConversation: [{ count: 7, windowMs: 1_000 }] });
      for (let i = 0; i < 7; i += 1) {
        await client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: `m${i}` }));
      }
      const started = Date.now();
      await client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'm7' }));
      expect(Date.now() - started).toBeGreaterThanOrEqual(900);
      expect(fake.throttledCount).toBe(1);
      expect(fake.posts()).toHaveLength(8);
    });
  });

  it('delays responses and waits for a matching request', async () => {
    fake.setDelay(150);
    const started = Date.now();
    const pending = client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'slow' }));
    const seen = await fake.waitFor((r) => r.route === 'sendToConversation', 2_000);
    await pending;
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(seen.body).toMatchObject({ text: 'slow' });
  });

  it('rejects waitFor on timeout with what was recorded', async () => {
    await client.conversations.sendToConversation(CHANNEL, activity({ type: 'message', text: 'x' }));
    await expect(fake.waitFor((r) => r.route === 'updateActivity', 50)).rejects.toThrow(/POST \/amer\/v3\/conversations\/.* → 201/);
  });
});

describe('activity builders through a real teams-ai app (local mode, no app id)', () => {
  const from = { id: '29:1ada', aadObjectId: '00000000-0000-0000-0000-00000000ada1', name: 'Ada Responder' };
  const team = { teamId: '19:team0@thread.tacv2', channelId: CHANNEL, tenantId: '11111111-2222-3333-4444-555555555555' };
  const bot = { botId: '28:glasswatch-local', botName: 'Glasswatch' };

  async function startBot(fake: FakeConnector, options: ConnectorClientOptions = {}) {
    const seen: { texts: string[]; data: unknown[]; turnErrors: unknown[] } = { texts: [], data: [], turnErrors: [] };
    const adapter = new TeamsAdapter({ MicrosoftAppId: '', MicrosoftAppPassword: '' }, undefined, undefined, options);
    adapter.onTurnError = async (_context, error) => {
      seen.turnErrors.push(error);
    };
    const app = new Application({ adapter, storage: new MemoryStorage() });
    app.message(/^\s*bind\s*$/i, async (context) => {
      seen.texts.push(context.activity.text);
      await context.sendActivity('bound');
    });
    app.message(/^\s*post\s*$/i, async (context) => {
      const parameters = { isGroup: true, bot: context.activity.recipient, channelData: { channel: { id: CHANNEL } }, activity: activity(MessageFactory.text('new post')) };
      await adapter.createConversationAsync('', 'msteams', fake.url, '', parameters, async (created) => {
        seen.texts.push(`created ${created.activity.id}`);
      });
    });
    app.adaptiveCards.actionExecute('incident.acknowledge', async (_context, _state, data) => {
      seen.data.push(data);
      return 'acknowledged';
    });
    const server = restify.createServer();
    server.use(restify.plugins.bodyParser());
    server.post('/api/messages', async (req, res) => {
      await adapter.process(req, res, (context) => app.run(context).then(() => undefined));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const address: AddressInfo | string | null = server.address();
    if (address === null || typeof address === 'string') throw new Error('bot has no TCP address');
    return { url: `http://127.0.0.1:${address.port}`, seen, close: () => server.close() };
  }

  it('routes a mention, a personal message and a card click, and the replies land in the fake', async () => {
    const fake = await startFakeConnector();
    const botServer = await startBot(fake);
    try {
      const inbound = channelMessage({ ...team, ...bot, from, serviceUrl: fake.url, text: 'bind' });
      expect(await postActivity(botServer.url, inbound)).toEqual({ status: 200, body: undefined });
      // teams-ai strips the bot mention before matching, so the anchored regex sees "bind".
      expect(botServer.seen.texts).toEqual(['bind']);
      expect(fake.posts()[0]).toMatchObject({ route: 'replyToActivity', conversationId: inbound.conversation.id, activityId: expect.stringMatching(/^\d{13}$/) });
      expect(fake.requests[0]?.path).toContain(`/activities/${inbound.id}`);

      await postActivity(botServer.url, personalMessage({ ...bot, from, tenantId: team.tenantId, serviceUrl: fake.url, text: 'bind' }));
      expect(fake.posts()[1]).toMatchObject({ conversationId: `a:1personal-${from.aadObjectId}` });
      expect(botServer.seen.texts).toEqual(['bind', 'bind']);

      // In local mode TeamsInfo.sendMessageToTeamsChannel throws (it needs an app id with CloudAdapter);
      // createConversationAsync works, and its turn's activity id is the whole "<channel>;messageid=N".
      await postActivity(botServer.url, channelMessage({ ...team, ...bot, from, serviceUrl: fake.url, text: 'post' }));
      const created = fake.posts()[2];
      expect(created).toMatchObject({ route: 'createConversation', conversationId: CHANNEL });
      expect(botServer.seen.texts[2]).toBe(`created ${CHANNEL};messageid=${created?.activityId ?? ''}`);

      const click = cardActionInvoke({
        verb: 'incident.acknowledge',
        data: { incidentId: 'inc-1' },
        serviceUrl: fake.url,
        conversationId: `${CHANNEL};messageid=${created?.activityId ?? ''}`,
        replyToId: created?.activityId ?? '',
        from,
        tenantId: team.tenantId,
        ...bot,
      });
      const answer = await postActivity(botServer.url, click);
      expect(botServer.seen.data).toEqual([{ incidentId: 'inc-1' }]);
      expect(answer).toEqual({ status: 200, body: { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: 'acknowledged' } });
      expect(botServer.seen.turnErrors).toEqual([]);
    } finally {
      botServer.close();
      await fake.close();
    }
  });

  it('passes connectorClientOptions.httpClient through TeamsAdapter, so the bot sees the first 429', async () => {
    const fake = await startFakeConnector();
    const botServer = await startBot(fake, { httpClient: noRetryHttpClient });
    try {
      fake.failNext(1, { status: 429, retryAfterSeconds: 2 });
      await postActivity(botServer.url, channelMessage({ ...team, ...bot, from, serviceUrl: fake.url, text: 'bind' }));
      expect(fake.requests.map((r) => r.status)).toEqual([429]);
      expect(botServer.seen.turnErrors).toEqual([expect.objectContaining({ name: 'SendError', status: 429, retryAfterMs: 2000 })]);
    } finally {
      botServer.close();
      await fake.close();
    }
  });
});
