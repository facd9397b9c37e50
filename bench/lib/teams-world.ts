import { startFakeConnector, TEAMS_CONVERSATION_LIMITS, type FakeConnector } from '../../test/fakes/fake-connector.js';
import { sayInChannel } from '../../test/support/teams-scene.js';

/** The fake Teams connector, applying Teams' per-conversation limits with 429s, timed with performance.now(). */
export function startLimitedConnector(): Promise<FakeConnector> {
  return startFakeConnector({ rateLimit: { perConversation: TEAMS_CONVERSATION_LIMITS }, now: () => performance.now() });
}

/**
 * Binds the alert channel the way a responder does (`@Glasswatch bind` in the channel) and waits
 * for the bot's reply. `serviceUrl` is where the bot will call Teams: the fake, or a proxy to it.
 */
export async function bindChannel(botUrl: string, fake: FakeConnector, serviceUrl = fake.url): Promise<void> {
  const answer = await sayInChannel(botUrl, serviceUrl, 'bind');
  if (answer.status >= 300) throw new Error(`bind answered ${answer.status}`);
  await fake.waitFor((r) => r.route === 'replyToActivity' && r.status < 300, 10_000);
}

/** Incident id carried in a card's button data (every incident card has one). */
export function incidentIdOfCard(fake: FakeConnector, request: FakeConnector['requests'][number]): string | undefined {
  const card = fake.cardsIn(request)[0];
  if (card === undefined) return undefined;
  return /"incidentId":"([^"]+)"/.exec(JSON.stringify(card))?.[1];
}
