import { expect } from 'vitest';
import { cardActionInvoke, postActivity, type PostResult } from '../fakes/activities.js';
import type { FakeConnector, RecordedRequest } from '../fakes/fake-connector.js';
import { SCENE } from './teams-scene.js';

export interface PostedCard {
  incidentId: string;
  conversationId: string;
  activityId: string;
  version: number;
}

/** The card the bot posted for an incident: where it lives and the version its buttons carry. */
export function postedCard(fake: FakeConnector, post: RecordedRequest): PostedCard {
  const response = post.responseBody as { id: string; activityId: string };
  const card = fake.cardsIn(post)[0];
  const text = JSON.stringify(card);
  const incidentId = /"incidentId":"([^"]+)"/.exec(text)?.[1];
  const version = /"version":(\d+)/.exec(text)?.[1];
  if (!incidentId || !version) throw new Error(`no incident button data in the posted card: ${text.slice(0, 500)}`);
  return { incidentId, conversationId: response.id, activityId: response.activityId, version: Number(version) };
}

export type Person = { id: string; aadObjectId: string; name: string };

/** A click on one of the card's Action.Execute buttons, as Teams sends it. */
export function click(botUrl: string, fake: FakeConnector, card: PostedCard, verb: string, from: Person, extra: Record<string, unknown> = {}): Promise<PostResult> {
  return postActivity(
    botUrl,
    cardActionInvoke({
      verb,
      data: { incidentId: card.incidentId, version: card.version, ...extra },
      serviceUrl: fake.url,
      conversationId: card.conversationId,
      replyToId: card.activityId,
      from,
      tenantId: SCENE.tenantId,
      teamId: SCENE.teamId,
    }),
  );
}

/** The card in an invoke response (Universal Actions answer with the card for the clicker). */
export function invokeCard(answer: PostResult): string {
  expect(answer.status).toBe(200);
  const body = answer.body as { statusCode?: number; type?: string; value?: unknown };
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return JSON.stringify(body.value);
}

/** A message the bot posted in the thread of an incident's card (a reply, not the card itself). */
export function isThreadReply(request: RecordedRequest, card: PostedCard): boolean {
  return (request.route === 'replyToActivity' || request.route === 'sendToConversation') && request.conversationId === card.conversationId && request.status < 300;
}
