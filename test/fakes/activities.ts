/**
 * Inbound activities shaped as Teams sends them to a bot's `/api/messages`, for integration tests.
 *
 * Local wire types rather than botbuilder's `Activity`: that type marks a dozen fields Teams never
 * sends as required and types `timestamp` as a Date, while on the wire it is an ISO string.
 * Shapes follow the samples in the Teams platform docs (channel message with a mention) and the
 * Universal Actions docs (`adaptiveCard/action` invoke).
 */

export interface WireAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
}

export interface WireConversation {
  id: string;
  conversationType: 'channel' | 'personal' | 'groupChat';
  isGroup?: boolean;
  tenantId: string;
  name?: string;
}

export interface WireEntity {
  type: string;
  [key: string]: unknown;
}

export interface TeamsChannelData {
  teamsChannelId?: string;
  teamsTeamId?: string;
  channel?: { id: string; name?: string };
  team?: { id: string; name?: string; aadGroupId?: string };
  tenant: { id: string };
  source?: { name: string };
  legacy?: { replyToId: string };
}

export interface TeamsActivity {
  type: 'message' | 'invoke';
  id: string;
  timestamp: string;
  localTimestamp?: string;
  serviceUrl: string;
  channelId: 'msteams';
  from: WireAccount;
  conversation: WireConversation;
  recipient: WireAccount;
  text?: string;
  textFormat?: 'plain';
  attachments?: unknown[];
  entities?: WireEntity[];
  channelData: TeamsChannelData;
  locale: string;
  localTimezone?: string;
  replyToId?: string;
  name?: string;
  value?: unknown;
}

export interface Sender {
  id: string;
  aadObjectId: string;
  name: string;
}

export interface AdaptiveCardActionValue {
  action: { type: 'Action.Execute'; id?: string; verb: string; data: Record<string, unknown> };
  trigger: 'manual' | 'automatic';
}

/** Teams message ids are millisecond timestamps; a counter keeps them unique and ordered within a run. */
let nextInboundId = 1_700_000_000_000;
function inboundMessageId(): string {
  nextInboundId += 1;
  return String(nextInboundId);
}

function clientInfo(locale: string): WireEntity {
  return { type: 'clientInfo', locale, country: 'US', platform: 'Web', timezone: 'Etc/UTC' };
}

export interface ChannelMessageInput {
  /** Command text after the mention, e.g. `bind` or `/breakglass status`. */
  text: string;
  serviceUrl: string;
  teamId: string;
  /** The channel's conversation id, e.g. `19:abc@thread.tacv2`. */
  channelId: string;
  tenantId: string;
  from: Sender;
  botId: string;
  botName: string;
  /** Message id; Teams also uses it as the thread id in `conversation.id`. */
  id?: string;
  /** Reply inside an existing thread instead of starting a new one. */
  threadId?: string;
  at?: Date;
  locale?: string;
  /** `false` leaves out the mention, which Teams never delivers to a bot in a channel; for negative tests. */
  mention?: boolean;
}

/** A new message in a Teams channel that @mentions the bot. */
export function channelMessage(input: ChannelMessageInput): TeamsActivity {
  const id = input.id ?? inboundMessageId();
  const locale = input.locale ?? 'en-US';
  const mentionText = `<at>${input.botName}</at>`;
  const mention = input.mention ?? true;
  return {
    type: 'message',
    id,
    timestamp: (input.at ?? new Date()).toISOString(),
    serviceUrl: input.serviceUrl,
    channelId: 'msteams',
    from: { ...input.from },
    conversation: {
      id: `${input.channelId};messageid=${input.threadId ?? id}`,
      conversationType: 'channel',
      isGroup: true,
      tenantId: input.tenantId,
    },
    recipient: { id: input.botId, name: input.botName },
    text: mention ? `${mentionText} ${input.text}` : input.text,
    textFormat: 'plain',
    attachments: [],
    entities: [
      ...(mention ? [{ type: 'mention', mentioned: { id: input.botId, name: input.botName }, text: mentionText }] : []),
      clientInfo(locale),
    ],
    channelData: {
      teamsChannelId: input.channelId,
      teamsTeamId: input.teamId,
      channel: { id: input.channelId },
      team: { id: input.teamId },
      tenant: { id: input.tenantId },
    },
    locale,
  };
}

export interface PersonalMessageInput {
  text: string;
  serviceUrl: string;
  tenantId: string;
  from: Sender;
  botId: string;
  botName: string;
  /** Personal chat ids look like `a:1…`. */
  conversationId?: string;
  id?: string;
  at?: Date;
  locale?: string;
}

/** A message in the bot's 1:1 chat: no mention, no team or channel. */
export function personalMessage(input: PersonalMessageInput): TeamsActivity {
  const locale = input.locale ?? 'en-US';
  return {
    type: 'message',
    id: input.id ?? inboundMessageId(),
    timestamp: (input.at ?? new Date()).toISOString(),
    serviceUrl: input.serviceUrl,
    channelId: 'msteams',
    from: { ...input.from },
    conversation: {
      id: input.conversationId ?? `a:1personal-${input.from.aadObjectId}`,
      conversationType: 'personal',
      tenantId: input.tenantId,
    },
    recipient: { id: input.botId, name: input.botName },
    text: input.text,
    textFormat: 'plain',
    attachments: [],
    entities: [clientInfo(locale)],
    channelData: { tenant: { id: input.tenantId } },
    locale,
  };
}

export interface CardActionInvokeInput {
  verb: string;
  data: Record<string, unknown>;
  serviceUrl: string;
  /** Conversation the card lives in, e.g. `19:abc@thread.tacv2;messageid=1760000000000`. */
  conversationId: string;
  /** Message id of the card that was clicked. */
  replyToId: string;
  from: Sender;
  tenantId: string;
  botId?: string;
  botName?: string;
  conversationType?: WireConversation['conversationType'];
  teamId?: string;
  actionId?: string;
  at?: Date;
  locale?: string;
}

/** A click on an `Action.Execute` button (Universal Actions): an `adaptiveCard/action` invoke. */
export function cardActionInvoke(input: CardActionInvokeInput): TeamsActivity {
  const locale = input.locale ?? 'en-US';
  const conversationType = input.conversationType ?? (input.conversationId.startsWith('19:') ? 'channel' : 'personal');
  const channelId = input.conversationId.split(';messageid=')[0] ?? input.conversationId;
  const value: AdaptiveCardActionValue = {
    action: {
      type: 'Action.Execute',
      ...(input.actionId === undefined ? {} : { id: input.actionId }),
      verb: input.verb,
      data: { ...input.data },
    },
    trigger: 'manual',
  };
  return {
    type: 'invoke',
    name: 'adaptiveCard/action',
    // Teams gives invokes ids of the form `f:<digits>`, unlike message ids.
    id: `f:${inboundMessageId()}`,
    timestamp: (input.at ?? new Date()).toISOString(),
    serviceUrl: input.serviceUrl,
    channelId: 'msteams',
    from: { ...input.from },
    conversation: {
      id: input.conversationId,
      conversationType,
      ...(conversationType === 'channel' ? { isGroup: true } : {}),
      tenantId: input.tenantId,
    },
    recipient: { id: input.botId ?? '28:glasswatch-local', name: input.botName ?? 'Glasswatch' },
    entities: [clientInfo(locale)],
    channelData:
      conversationType === 'channel'
        ? {
            channel: { id: channelId },
            ...(input.teamId === undefined ? {} : { team: { id: input.teamId } }),
            tenant: { id: input.tenantId },
            source: { name: 'message' },
            legacy: { replyToId: input.replyToId },
          }
        : { tenant: { id: input.tenantId }, source: { name: 'message' }, legacy: { replyToId: input.replyToId } },
    replyToId: input.replyToId,
    value,
    locale,
  };
}

export interface PostResult {
  status: number;
  /** Parsed JSON when the bot answered JSON, the text otherwise, `undefined` when empty. */
  body: unknown;
}

/** POSTs an activity to the bot the way the Bot Framework service does. */
export async function postActivity(botUrl: string, activity: TeamsActivity): Promise<PostResult> {
  const response = await fetch(`${botUrl.replace(/\/+$/, '')}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(activity),
  });
  const text = await response.text();
  if (text === '') return { status: response.status, body: undefined };
  const isJson = (response.headers.get('content-type') ?? '').includes('json');
  if (!isJson) return { status: response.status, body: text };
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch (error) {
    // A JSON content type with a broken body is itself worth seeing in a failing assertion.
    if (error instanceof SyntaxError) return { status: response.status, body: text };
    throw error;
  }
}
