import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import type { ChannelBinding, PostedMessage } from '../store/store.js';

/** The outbound port to Teams: the only two things the outbox needs. */
export interface TeamsGateway {
  /** Posts a new message (a new thread) in the bound channel. */
  postToChannel(channel: ChannelBinding, card: AdaptiveCard): Promise<PostedMessage>;
  /** Edits a posted message in place, so everyone sees the new state. */
  updateMessage(message: PostedMessage, card: AdaptiveCard): Promise<void>;
  /** Replies in the thread of a posted message (escalation mentions, reminders, response steps). */
  replyInThread(message: PostedMessage, card: AdaptiveCard): Promise<void>;
}

export { SendError } from '../scheduling/send-error.js';
