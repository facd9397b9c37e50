import { ActivityTypes, CardFactory, Channels, MessageFactory, type Activity, type CloudAdapter, type ConversationParameters } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import type { ChannelBinding, PostedMessage } from '../store/store.js';
import { parseRetryAfter } from './retry-after.js';
import { SendError, type TeamsGateway } from './teams-gateway.js';

/**
 * TeamsGateway over botbuilder's CloudAdapter. The adapter's connector client runs on
 * noRetryHttpClient (see glasswatch.ts), so every failure surfaces here at once and the outbox alone
 * decides when to try again.
 */
export function botFrameworkGateway(adapter: CloudAdapter, appId: string): TeamsGateway {
  return {
    async postToChannel(channel: ChannelBinding, card: AdaptiveCard): Promise<PostedMessage> {
      const parameters: ConversationParameters = {
        isGroup: true,
        channelData: { channel: { id: channel.channelId }, ...(channel.tenantId ? { tenant: { id: channel.tenantId } } : {}) },
        activity: cardActivity(card),
        tenantId: channel.tenantId,
        bot: { id: appId, name: 'Glasswatch' },
        members: [],
      };
      let conversationId: string | undefined;
      await call(() =>
        adapter.createConversationAsync(appId, Channels.Msteams, channel.serviceUrl, '', parameters, async (context) => {
          conversationId = context.activity.conversation.id;
        }),
      );
      if (!conversationId) throw new SendError('Teams created no conversation for the card', undefined, undefined);
      // Teams answers with the new thread's conversation id "<channel>;messageid=<N>"; N is the message to edit.
      const activityId = /;messageid=([^;]+)/.exec(conversationId)?.[1] ?? conversationId;
      return { serviceUrl: channel.serviceUrl, conversationId, activityId };
    },

    async updateMessage(message: PostedMessage, card: AdaptiveCard): Promise<void> {
      await call(() =>
        adapter.continueConversationAsync(appId, threadOf(message), async (context) => {
          await context.updateActivity({ ...cardActivity(card), id: message.activityId });
        }),
      );
    },

    async replyInThread(message: PostedMessage, card: AdaptiveCard): Promise<void> {
      await call(() =>
        adapter.continueConversationAsync(appId, threadOf(message), async (context) => {
          await context.sendActivity(cardActivity(card));
        }),
      );
    },
  };
}

/** The posted card's thread as a conversation reference: its conversation id names the thread. */
function threadOf(message: PostedMessage) {
  return {
    // Replies go to the card's own message, so they land in its thread.
    activityId: message.activityId,
    channelId: Channels.Msteams,
    serviceUrl: message.serviceUrl,
    conversation: { id: message.conversationId, isGroup: true, conversationType: 'channel', name: '' },
  };
}

function cardActivity(card: AdaptiveCard): Activity {
  const { attachments } = MessageFactory.attachment(CardFactory.adaptiveCard(card));
  // ConversationParameters wants a whole Activity; Teams fills in the rest on delivery.
  return { type: ActivityTypes.Message, attachments } as Activity;
}

async function call(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    throw toSendError(error);
  }
}

/** botbuilder surfaces HTTP failures as core-rest-pipeline RestErrors: keep the status and Retry-After. */
export function toSendError(error: unknown): SendError {
  if (error instanceof SendError) return error;
  const message = error instanceof Error ? error.message : String(error);
  const status = readNumber(error, 'statusCode');
  const retryAfter = readRetryAfter(error);
  return new SendError(message.slice(0, 300), status, retryAfter);
}

function readNumber(value: unknown, key: string): number | undefined {
  if (typeof value !== 'object' || value === null || !(key in value)) return undefined;
  const field: unknown = Reflect.get(value, key);
  return typeof field === 'number' ? field : undefined;
}

function readRetryAfter(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('response' in error)) return undefined;
  const response: unknown = Reflect.get(error, 'response');
  if (typeof response !== 'object' || response === null || !('headers' in response)) return undefined;
  const headers: unknown = Reflect.get(response, 'headers');
  if (typeof headers !== 'object' || headers === null || !('get' in headers)) return undefined;
  const get: unknown = Reflect.get(headers, 'get');
  if (typeof get !== 'function') return undefined;
  const raw: unknown = get.call(headers, 'retry-after');
  return typeof raw === 'string' ? parseRetryAfter(raw) : undefined;
}

