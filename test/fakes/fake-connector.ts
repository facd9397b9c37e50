/**
 * A fake Bot Framework connector (the Teams service a bot calls back at `serviceUrl`), speaking the
 * v3 REST wire format that botframework-connector's ConnectorClient sends and parses
 * (node_modules/botframework-connector/lib/connectorApi/operations/conversations.js).
 *
 * Integration tests put `fake.url` into the `serviceUrl` of the activities they post to the bot;
 * the real SDK inside the bot then calls this server. No auth is checked, as in local mode.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type ConnectorRoute =
  | 'createConversation'
  | 'sendToConversation'
  | 'replyToActivity'
  | 'updateActivity'
  | 'deleteActivity'
  | 'unknown';

export interface RecordedRequest {
  readonly method: string;
  /** Raw (still percent-encoded) request path, base path included. */
  readonly path: string;
  readonly route: ConnectorRoute;
  /**
   * Decoded conversation id from the path; for createConversation, the target channel
   * (`channelData.channel.id`).
   */
  readonly conversationId?: string;
  /** The conversation id without its `;messageid=…` thread suffix: the channel or chat. */
  readonly baseConversationId?: string;
  /** From the path; for a successful create/send/reply, the id the fake assigned. */
  readonly activityId?: string;
  /** Parsed JSON body; `undefined` when the body was empty or not JSON. */
  readonly body: unknown;
  /** Size of the raw body: Teams refuses bot messages much above ~80 KB. */
  readonly bytes: number;
  /** Lower-cased names; an `authorization` header is recorded but never checked. */
  readonly headers: Readonly<Record<string, string>>;
  /** Arrival time (ms since epoch, from the `now` option). */
  readonly at: number;
  readonly status: number;
  readonly responseBody: unknown;
}

/** Which requests a fault or filter applies to. */
export interface RequestFilter {
  readonly method?: string;
  readonly route?: ConnectorRoute;
}

export interface FaultSpec extends RequestFilter {
  readonly status: number;
  /** Sent as `Retry-After` (seconds). For 429 it defaults to 1, as Teams always sends one; `null` omits it. */
  readonly retryAfterSeconds?: number | null;
  /** Defaults to the Bot Framework error body Teams sends for that status. */
  readonly body?: unknown;
}

export interface RateWindow {
  readonly count: number;
  readonly windowMs: number;
}

export interface RateLimitSpec {
  readonly perConversation: readonly RateWindow[];
}

/** Teams' documented per-bot, per-conversation limits (rate-limit page of the Teams platform docs). */
export const TEAMS_CONVERSATION_LIMITS: readonly RateWindow[] = [
  { count: 7, windowMs: 1_000 },
  { count: 8, windowMs: 2_000 },
  { count: 60, windowMs: 30_000 },
  { count: 1_800, windowMs: 3_600_000 },
];

export interface FakeConnectorOptions {
  /**
   * Path under which the v3 routes live. Real Teams service URLs carry one
   * (`https://smba.trafficmanager.net/amer/`), so the default does too: it catches code that
   * joins URLs by hand and drops the path.
   */
  readonly basePath?: string;
  /** First message id handed out; later ones count up, like Teams' millisecond ids. */
  readonly firstMessageId?: number;
  readonly delayMs?: number;
  readonly rateLimit?: RateLimitSpec;
  readonly now?: () => number;
}

export interface FakeConnector {
  /** Base URL to use as `serviceUrl`, with a trailing slash as Teams sends it. */
  readonly url: string;
  /** Every request received, in the order they were answered. */
  readonly requests: readonly RecordedRequest[];
  /** Responses with status 429 sent so far (injected or from the rate limiter). */
  readonly throttledCount: number;
  /** Accepted new messages: createConversation, sendToConversation and replyToActivity. */
  posts(): RecordedRequest[];
  /** Accepted updateActivity calls. */
  updates(): RecordedRequest[];
  /** Adaptive Card contents of a recorded request (same as the exported `cardsIn`). */
  cardsIn(request: RecordedRequest): Record<string, unknown>[];
  /** The latest accepted version (post or update) of a message, or `undefined`. */
  latest(activityId: string): Record<string, unknown> | undefined;
  /** Makes an activity the bot did not post through this fake editable (e.g. from an earlier run). */
  seedActivity(conversationId: string, activityId: string): void;
  waitFor(predicate: (request: RecordedRequest) => boolean, timeoutMs?: number): Promise<RecordedRequest>;
  failNext(n: number, fault: FaultSpec): void;
  /** `undefined` turns rate limiting off. */
  rateLimit(spec: RateLimitSpec | undefined): void;
  setDelay(ms: number): void;
  /** Back to the state right after start (options included); message ids keep counting up. */
  reset(): void;
  close(): Promise<void>;
}

const ADAPTIVE_CARD = 'application/vnd.microsoft.card.adaptive';
const POST_ROUTES: ReadonlySet<ConnectorRoute> = new Set(['createConversation', 'sendToConversation', 'replyToActivity']);

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The activity a request carries: createConversation nests it under `activity`. */
export function activityIn(request: RecordedRequest): Record<string, unknown> | undefined {
  const body = request.body;
  if (!isRecord(body)) return undefined;
  if (request.route === 'createConversation') return isRecord(body.activity) ? body.activity : undefined;
  return body;
}

/** Adaptive Card contents among the activity's attachments. */
export function cardsIn(request: RecordedRequest): Record<string, unknown>[] {
  const attachments = activityIn(request)?.attachments;
  if (!Array.isArray(attachments)) return [];
  const cards: Record<string, unknown>[] = [];
  for (const attachment of attachments) {
    if (isRecord(attachment) && attachment.contentType === ADAPTIVE_CARD && isRecord(attachment.content)) {
      cards.push(attachment.content);
    }
  }
  return cards;
}

export function baseConversationId(conversationId: string): string {
  const suffix = conversationId.indexOf(';messageid=');
  return suffix === -1 ? conversationId : conversationId.slice(0, suffix);
}

/** The `{ error: { code, message } }` bodies Teams answers with (codes from the Teams bot API docs and observed replies). */
export function teamsErrorBody(status: number): { error: { code: string; message: string } } {
  const known: Record<number, [string, string]> = {
    400: ['BadArgument', 'Invalid request payload.'],
    403: ['BotNotInConversationRoster', 'The bot is not part of the conversation roster.'],
    404: ['ConversationNotFound', 'Conversation not found.'],
    412: ['PreconditionFailed', 'Precondition failed, please try again.'],
    429: ['Throttled', 'Too many requests.'],
    500: ['InternalServerError', 'Internal server error.'],
    502: ['ServiceError', 'Internal server error'],
    503: ['ServiceUnavailable', 'Service unavailable.'],
    504: ['GatewayTimeout', 'Gateway timeout.'],
  };
  const [code, message] = known[status] ?? ['ServiceError', `Injected failure ${status}.`];
  return { error: { code, message } };
}

interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
  activityId?: string;
}

interface Fault {
  remaining: number;
  spec: FaultSpec;
}

interface Waiter {
  predicate: (request: RecordedRequest) => boolean;
  resolve: (request: RecordedRequest) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface ParsedRoute {
  route: ConnectorRoute;
  conversationId?: string;
  activityId?: string;
}

function normaliseBasePath(basePath: string): string {
  const withLead = basePath.startsWith('/') ? basePath : `/${basePath}`;
  return withLead.endsWith('/') ? withLead : `${withLead}/`;
}

function flattenHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const flat: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    flat[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return flat;
}

function parseRoute(method: string, pathname: string, basePath: string): ParsedRoute | 'bad-encoding' {
  if (!pathname.startsWith(basePath)) return { route: 'unknown' };
  let segments: string[];
  try {
    segments = pathname.slice(basePath.length).split('/').map((segment) => decodeURIComponent(segment));
  } catch (error) {
    if (error instanceof URIError) return 'bad-encoding';
    throw error;
  }
  const [version, collection, conversationId, activities, activityId, ...rest] = segments;
  if (version !== 'v3' || collection !== 'conversations' || rest.length > 0) return { route: 'unknown' };
  if (conversationId === undefined || conversationId === '') {
    return method === 'POST' ? { route: 'createConversation' } : { route: 'unknown' };
  }
  if (activities !== 'activities') return { route: 'unknown', conversationId };
  if (activityId === undefined || activityId === '') {
    return method === 'POST' ? { route: 'sendToConversation', conversationId } : { route: 'unknown', conversationId };
  }
  // `activities/history` is sendConversationHistory, which the bot never uses.
  if (activityId === 'history') return { route: 'unknown', conversationId };
  const byMethod: Record<string, ConnectorRoute> = { POST: 'replyToActivity', PUT: 'updateActivity', DELETE: 'deleteActivity' };
  return { route: byMethod[method] ?? 'unknown', conversationId, activityId };
}

/** Teams refuses an empty message with this 400, so the fake does too. */
function emptyMessageError(activity: Record<string, unknown>): Answer | undefined {
  if (activity.type !== 'message') return undefined;
  const hasText = typeof activity.text === 'string' && activity.text.length > 0;
  const hasAttachments = Array.isArray(activity.attachments) && activity.attachments.length > 0;
  if (hasText || hasAttachments) return undefined;
  return {
    status: 400,
    body: { error: { code: 'BadArgument', message: "Activity must include non empty 'text' field or at least 1 attachment" } },
  };
}

function badArgument(message: string): Answer {
  return { status: 400, body: { error: { code: 'BadArgument', message } } };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function summarise(request: RecordedRequest): string {
  const ids = [request.conversationId, request.activityId].filter((id) => id !== undefined).join(' / ');
  return `${request.method} ${request.path} → ${request.status} [${request.route}${ids ? ` ${ids}` : ''}]`;
}

export async function startFakeConnector(options: FakeConnectorOptions = {}): Promise<FakeConnector> {
  const basePath = normaliseBasePath(options.basePath ?? '/amer/');
  const now = options.now ?? Date.now;
  let nextMessageId = options.firstMessageId ?? 1_760_000_000_000;

  let requests: RecordedRequest[] = [];
  let faults: Fault[] = [];
  let limits: readonly RateWindow[] = options.rateLimit?.perConversation ?? [];
  let delayMs = options.delayMs ?? 0;
  let throttledCount = 0;
  /** Accepted request times per base conversation, for the sliding windows. */
  let sent = new Map<string, number[]>();
  /** Message ids per base conversation: Teams only edits a message that exists in that conversation. */
  let known = new Map<string, Set<string>>();
  let latest = new Map<string, Record<string, unknown>>();
  const waiters = new Set<Waiter>();

  function issueMessageId(): string {
    const id = String(nextMessageId);
    nextMessageId += 1;
    return id;
  }

  function remember(conversationId: string, activityId: string, activity: Record<string, unknown> | undefined): void {
    const base = baseConversationId(conversationId);
    const ids = known.get(base) ?? new Set<string>();
    ids.add(activityId);
    known.set(base, ids);
    if (activity !== undefined) latest.set(activityId, { ...activity, id: activityId });
  }

  function takeFault(method: string, route: ConnectorRoute): FaultSpec | undefined {
    const fault = faults.find(
      (f) => f.remaining > 0 && (f.spec.method === undefined || f.spec.method === method) && (f.spec.route === undefined || f.spec.route === route),
    );
    if (fault === undefined) return undefined;
    fault.remaining -= 1;
    faults = faults.filter((f) => f.remaining > 0);
    return fault.spec;
  }

  function faultAnswer(spec: FaultSpec): Answer {
    const retryAfter = spec.retryAfterSeconds === undefined ? (spec.status === 429 ? 1 : null) : spec.retryAfterSeconds;
    return {
      status: spec.status,
      body: spec.body ?? teamsErrorBody(spec.status),
      headers: retryAfter === null ? {} : { 'retry-after': String(retryAfter) },
    };
  }

  /** Sliding windows; only accepted requests count, as a refused one never reached the conversation. */
  function throttle(base: string, at: number): Answer | undefined {
    if (limits.length === 0) return undefined;
    const longest = Math.max(...limits.map((limit) => limit.windowMs));
    const times = (sent.get(base) ?? []).filter((t) => t > at - longest);
    sent.set(base, times);
    let waitMs = 0;
    for (const limit of limits) {
      const inWindow = times.filter((t) => t > at - limit.windowMs);
      if (inWindow.length >= limit.count) {
        // The window frees a slot when its oldest counted request falls out of it.
        const oldest = inWindow[inWindow.length - limit.count];
        if (oldest !== undefined) waitMs = Math.max(waitMs, oldest + limit.windowMs - at);
      }
    }
    if (waitMs === 0) return undefined;
    return {
      status: 429,
      body: teamsErrorBody(429),
      headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) },
    };
  }

  function handle(parsed: ParsedRoute, body: unknown): Answer {
    switch (parsed.route) {
      case 'createConversation': {
        if (!isRecord(body)) return badArgument('Conversation parameters are required.');
        const channelData = isRecord(body.channelData) ? body.channelData : {};
        const channel = isRecord(channelData.channel) ? channelData.channel : {};
        const activity = isRecord(body.activity) ? body.activity : undefined;
        if (activity !== undefined) {
          const refused = emptyMessageError(activity);
          if (refused !== undefined) return refused;
        }
        if (typeof channel.id === 'string' && channel.id !== '') {
          // A Teams channel post: the new thread's conversation id names the root message.
          if (activity === undefined) return badArgument('An activity is required to start a channel conversation.');
          const messageId = issueMessageId();
          remember(channel.id, messageId, activity);
          return { status: 201, body: { id: `${channel.id};messageid=${messageId}`, activityId: messageId }, activityId: messageId };
        }
        if (Array.isArray(body.members) && body.members.length > 0) {
          const conversationId = `a:fake-personal-${issueMessageId()}`;
          if (activity === undefined) return { status: 201, body: { id: conversationId } };
          const messageId = issueMessageId();
          remember(conversationId, messageId, activity);
          return { status: 201, body: { id: conversationId, activityId: messageId }, activityId: messageId };
        }
        return badArgument('Either channelData.channel.id or members is required.');
      }
      case 'sendToConversation':
      case 'replyToActivity': {
        if (!isRecord(body) || typeof body.type !== 'string') return badArgument('An activity with a type is required.');
        const refused = emptyMessageError(body);
        if (refused !== undefined) return refused;
        const messageId = issueMessageId();
        remember(parsed.conversationId ?? '', messageId, body);
        return { status: 201, body: { id: messageId }, activityId: messageId };
      }
      case 'updateActivity': {
        if (!isRecord(body) || typeof body.type !== 'string') return badArgument('An activity with a type is required.');
        const activityId = parsed.activityId ?? '';
        const ids = known.get(baseConversationId(parsed.conversationId ?? ''));
        if (ids === undefined || !ids.has(activityId)) {
          return { status: 404, body: { error: { code: 'ActivityNotFoundInConversation', message: 'Message does not exist in the thread.' } } };
        }
        const refused = emptyMessageError(body);
        if (refused !== undefined) return refused;
        latest.set(activityId, { ...body, id: activityId });
        return { status: 200, body: { id: activityId } };
      }
      case 'deleteActivity': {
        const activityId = parsed.activityId ?? '';
        known.get(baseConversationId(parsed.conversationId ?? ''))?.delete(activityId);
        latest.delete(activityId);
        return { status: 200, body: undefined };
      }
      case 'unknown':
        return { status: 404, body: { error: { code: 'NotFound', message: 'The fake connector does not implement this route.' } } };
    }
  }

  function record(request: RecordedRequest): void {
    requests.push(request);
    if (request.status === 429) throttledCount += 1;
    for (const waiter of [...waiters]) {
      if (waiter.predicate(request)) {
        clearTimeout(waiter.timer);
        waiters.delete(waiter);
        waiter.resolve(request);
      }
    }
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const at = now();
    const method = req.method ?? 'GET';
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const raw = await readBody(req);
    let body: unknown;
    let badJson = false;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch (error) {
        if (!(error instanceof SyntaxError)) throw error;
        badJson = true;
      }
    }

    const parsed = parseRoute(method, path, basePath);
    const route: ParsedRoute = parsed === 'bad-encoding' ? { route: 'unknown' } : parsed;
    const conversationId =
      route.route === 'createConversation' && isRecord(body) && isRecord(body.channelData) && isRecord(body.channelData.channel) && typeof body.channelData.channel.id === 'string'
        ? body.channelData.channel.id
        : route.conversationId;
    const base = conversationId === undefined ? undefined : baseConversationId(conversationId);

    if (delayMs > 0) await sleep(delayMs);

    let answer: Answer;
    const fault = takeFault(method, route.route);
    if (parsed === 'bad-encoding') answer = badArgument('The path is not valid percent-encoding.');
    else if (badJson) answer = badArgument('The body is not valid JSON.');
    else if (fault !== undefined) answer = faultAnswer(fault);
    else answer = (base !== undefined && route.route !== 'unknown' ? throttle(base, at) : undefined) ?? handle(route, body);

    if (base !== undefined && answer.status >= 200 && answer.status < 300) {
      sent.set(base, [...(sent.get(base) ?? []), at]);
    }

    const activityId = answer.activityId ?? route.activityId;
    record({
      method,
      path,
      route: route.route,
      ...(conversationId === undefined ? {} : { conversationId, baseConversationId: base }),
      ...(activityId === undefined ? {} : { activityId }),
      body,
      bytes: raw.length,
      headers: flattenHeaders(req.headers),
      at,
      status: answer.status,
      responseBody: answer.body,
    });

    const text = answer.body === undefined ? '' : JSON.stringify(answer.body);
    res.writeHead(answer.status, {
      ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
      ...answer.headers,
    });
    res.end(text);
  }

  const server = createServer((req, res) => {
    serve(req, res).catch((error: unknown) => {
      // A bug in the fake must fail the test loudly, not look like a Teams 500.
      console.error('fake-connector: handler crashed', error);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`fake-connector crashed: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address: AddressInfo | string | null = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake-connector: server has no TCP address');
  const { port } = address;
  const url = `http://127.0.0.1:${port}${basePath}`;

  return {
    url,
    get requests() {
      return requests;
    },
    get throttledCount() {
      return throttledCount;
    },
    posts: () => requests.filter((r) => POST_ROUTES.has(r.route) && r.status >= 200 && r.status < 300),
    updates: () => requests.filter((r) => r.route === 'updateActivity' && r.status >= 200 && r.status < 300),
    cardsIn,
    latest: (activityId) => latest.get(activityId),
    seedActivity: (conversationId, activityId) => remember(conversationId, activityId, undefined),
    waitFor(predicate, timeoutMs = 5_000) {
      const already = requests.find(predicate);
      if (already !== undefined) return Promise.resolve(already);
      return new Promise<RecordedRequest>((resolve, reject) => {
        const waiter: Waiter = {
          predicate,
          resolve,
          reject,
          timer: setTimeout(() => {
            waiters.delete(waiter);
            const seen = requests.length === 0 ? '  (nothing)' : requests.map((r) => `  ${summarise(r)}`).join('\n');
            reject(new Error(`fake-connector: no matching request within ${timeoutMs} ms. Recorded:\n${seen}`));
          }, timeoutMs),
        };
        waiters.add(waiter);
      });
    },
    failNext(n, fault) {
      if (n > 0) faults.push({ remaining: n, spec: fault });
    },
    rateLimit(spec) {
      limits = spec?.perConversation ?? [];
      sent = new Map();
    },
    setDelay(ms) {
      delayMs = ms;
    },
    reset() {
      requests = [];
      faults = [];
      limits = options.rateLimit?.perConversation ?? [];
      delayMs = options.delayMs ?? 0;
      throttledCount = 0;
      sent = new Map();
      known = new Map();
      latest = new Map();
    },
    async close() {
      for (const waiter of waiters) {
        clearTimeout(waiter.timer);
        waiter.reject(new Error('fake-connector: closed while waiting'));
      }
      waiters.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
