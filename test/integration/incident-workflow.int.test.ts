import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../bot/config.js';
import type { EscalationPolicy } from '../../bot/escalation/escalation-policy.js';
import type { RunningGlasswatch } from '../../bot/glasswatch.js';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-connector.js';
import { startFakeWebhook, type FakeWebhook } from '../fakes/fake-webhook.js';
import { postAlert, signInAlert } from '../support/alerts.js';
import { startInProcessBot } from '../support/in-process-bot.js';
import { tempDir } from '../support/temp-dir.js';
import { SCENE, sayInChannel } from '../support/teams-scene.js';
import { click, invokeCard, isThreadReply, postedCard, type PostedCard } from '../support/workflow.js';

const ADA = SCENE.responder;
const BOB = { id: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b0', name: 'Bob Builder' };
const EVE = SCENE.bystander;
const RESPONDERS = [
  { id: ADA.aadObjectId, name: ADA.name },
  { id: BOB.aadObjectId, name: BOB.name },
];
/** Escalation far in the future unless a test says otherwise, so it never interferes. */
const QUIET: EscalationPolicy = { levels: [{ afterMs: 3_600_000, notify: [] }], repeat: 0, repeatEveryMs: 3_600_000, reminderAfterMs: 0 };

describe('the incident workflow on the card', () => {
  let fake: FakeConnector;
  let bot: RunningGlasswatch;
  let hooks: FakeWebhook | undefined;

  afterEach(async () => {
    await bot.shutdown(500);
    await fake.close();
    await hooks?.close();
    hooks = undefined;
  });

  async function start(overrides: Partial<Config> = {}): Promise<void> {
    fake = await startFakeConnector();
    bot = await startInProcessBot({ responders: RESPONDERS, escalation: QUIET, ...overrides });
    await sayInChannel(bot.url, fake.url, 'bind');
    await fake.waitFor((r) => r.route === 'replyToActivity');
  }

  async function alertCard(alertId: string, upn?: string): Promise<PostedCard> {
    const before = fake.posts().filter((r) => r.route === 'createConversation').length;
    expect((await postAlert(bot.url, signInAlert({ alertId, upn }))).status).toBe(202);
    await fake.waitFor(() => fake.posts().filter((r) => r.route === 'createConversation').length > before);
    const post = fake.posts().filter((r) => r.route === 'createConversation')[before];
    if (!post) throw new Error('no card posted');
    return postedCard(fake, post);
  }

  it('acknowledge answers the clicker with the new card and edits the posted card for everyone', async () => {
    await start();
    const card = await alertCard('wf-ack');
    const answer = invokeCard(await click(bot.url, fake, card, 'incident.acknowledge', ADA));
    expect(answer).toContain('Acknowledged by Ada Lovelace');
    expect(answer).toContain('incident.unacknowledge');
    expect(answer).not.toContain('"verb":"incident.acknowledge"');

    const edit = await fake.waitFor((r) => r.route === 'updateActivity' && JSON.stringify(fake.cardsIn(r)).includes('Acknowledged by Ada'));
    expect(edit.activityId).toBe(card.activityId);

    const back = invokeCard(await click(bot.url, fake, card, 'incident.unacknowledge', ADA));
    expect(back).toContain('"verb":"incident.acknowledge"');
  });

  it("changes nothing on a non-responder's click, tells them why, and audits the attempt", async () => {
    await start();
    const card = await alertCard('wf-eve');
    const answer = invokeCard(await click(bot.url, fake, card, 'incident.resolve', EVE, { resolution: 'false-positive' }));
    expect(answer).toContain('Only responders can act');
    const incident = await bot.store.getIncident(card.incidentId);
    expect(incident?.status).toBe('triggered');
    const audit = await bot.store.readAudit(card.incidentId);
    expect(audit.map((e) => e.kind)).toContain('action.refused');
    expect(audit.find((e) => e.kind === 'action.refused')?.actor).toEqual({ id: EVE.aadObjectId, name: EVE.name });
  });

  it('lets exactly one of two simultaneous acknowledgements win and tells the other who did', async () => {
    await start();
    const card = await alertCard('wf-race');
    const [ada, bob] = await Promise.all([
      click(bot.url, fake, card, 'incident.acknowledge', ADA),
      click(bot.url, fake, card, 'incident.acknowledge', BOB),
    ]);
    const answers = [invokeCard(ada), invokeCard(bob)];
    const refused = answers.filter((a) => a.includes('Already acknowledged by'));
    expect(refused).toHaveLength(1);
    const incident = await bot.store.getIncident(card.incidentId);
    if (incident?.status !== 'acknowledged') throw new Error('not acknowledged');
    expect(refused[0]).toContain(`Already acknowledged by ${incident.acknowledgedBy.name}`);
    const audit = await bot.store.readAudit(card.incidentId);
    expect(audit.filter((e) => e.kind === 'incident.acknowledged')).toHaveLength(1);
  });

  it('resolves with each resolution; unauthorized posts the response steps; rotation is confirmed once', async () => {
    await start();
    const resolutions = ['drill', 'authorized-emergency', 'unauthorized', 'false-positive'] as const;
    const cards: PostedCard[] = [];
    for (const [i, resolution] of resolutions.entries()) {
      const card = await alertCard(`wf-resolve-${resolution}`, `bg-${i}@contoso.onmicrosoft.com`);
      cards.push(card);
      const answer = invokeCard(await click(bot.url, fake, card, 'incident.resolve', ADA, { resolution, note: `closing ${resolution}` }));
      expect(answer).toContain('Rotate the break-glass password');
      expect(answer).toContain('incident.confirm-rotation');
      const incident = await bot.store.getIncident(card.incidentId);
      expect(incident).toMatchObject({ status: 'resolved', resolution, resolutionNote: `closing ${resolution}` });
      expect(incident?.escalation.nextAt).toBeUndefined();

      if (resolution === 'unauthorized') {
        const steps = await fake.waitFor((r) => isThreadReply(r, card));
        expect(JSON.stringify(fake.cardsIn(steps)).toLowerCase()).toContain('revoke');
      }
      const confirmed = invokeCard(await click(bot.url, fake, card, 'incident.confirm-rotation', BOB));
      expect(confirmed).toContain('Bob Builder');
      expect(confirmed).not.toContain('"verb":"incident.confirm-rotation"');
      const again = invokeCard(await click(bot.url, fake, card, 'incident.confirm-rotation', ADA));
      expect(again).toContain('already');
    }
    // Only the unauthorized incident got response steps in its thread.
    expect(fake.requests.filter((r) => cards.some((card) => isThreadReply(r, card)))).toHaveLength(1);
  });

  it('escalates after the wait: mentions responders in the thread, pages the webhooks, and tells the pager when acknowledged', async () => {
    hooks = await startFakeWebhook();
    await start({
      escalation: {
        levels: [
          { afterMs: 300, notify: [{ kind: 'mention', responderIds: [] }, { kind: 'webhook', name: 'soar', url: `${hooks.url}/generic`, format: 'generic' }] },
          { afterMs: 300, notify: [{ kind: 'webhook', name: 'pager', url: `${hooks.url}/pagerduty`, format: 'pagerduty', routingKey: 'R0UTINGKEY' }] },
        ],
        repeat: 0,
        repeatEveryMs: 3_600_000,
        reminderAfterMs: 0,
      },
    });
    const card = await alertCard('wf-escalate');
    const mention = await fake.waitFor((r) => isThreadReply(r, card), 5_000);
    const mentionText = JSON.stringify(fake.cardsIn(mention));
    expect(mentionText).toContain('<at>Ada Lovelace</at>');
    expect(mentionText).toContain(ADA.aadObjectId);

    const generic = await hooks.waitFor((h) => h.path === '/generic');
    expect(generic.body).toMatchObject({ event: 'escalated', incident: { id: card.incidentId } });
    const trigger = await hooks.waitFor((h) => h.path === '/pagerduty');
    expect(trigger.body).toMatchObject({ routing_key: 'R0UTINGKEY', event_action: 'trigger', dedup_key: expect.stringContaining(card.incidentId) });

    invokeCard(await click(bot.url, fake, card, 'incident.acknowledge', ADA));
    const ack = await hooks.waitFor((h) => h.path === '/pagerduty' && (h.body as { event_action?: string }).event_action === 'acknowledge');
    expect(ack.body).toMatchObject({ dedup_key: (trigger.body as { dedup_key: string }).dedup_key });

    const audit = await bot.store.readAudit(card.incidentId);
    expect(audit.filter((e) => e.kind === 'incident.escalated')).toHaveLength(2);
  });

  it('escalate on the card jumps to the next level at once', async () => {
    hooks = await startFakeWebhook();
    await start({
      escalation: {
        levels: [{ afterMs: 3_600_000, notify: [{ kind: 'webhook', name: 'soar', url: `${hooks.url}/now`, format: 'generic' }] }],
        repeat: 0,
        repeatEveryMs: 3_600_000,
        reminderAfterMs: 0,
      },
    });
    const card = await alertCard('wf-manual');
    invokeCard(await click(bot.url, fake, card, 'incident.escalate', BOB));
    const hook = await hooks.waitFor((h) => h.path === '/now');
    expect(hook.body).toMatchObject({ event: 'escalated', level: 1 });
  });

  it('lists open incidents with state and owner, also after a restart', async () => {
    const data = tempDir();
    await start({ dataDir: data.path });
    const first = await alertCard('wf-list-1', 'bg-list-1@contoso.onmicrosoft.com');
    await alertCard('wf-list-2', 'bg-list-2@contoso.onmicrosoft.com');
    invokeCard(await click(bot.url, fake, first, 'incident.acknowledge', BOB));
    await bot.shutdown(500);

    bot = await startInProcessBot({ responders: RESPONDERS, escalation: QUIET, dataDir: data.path });
    fake.reset();
    await sayInChannel(bot.url, fake.url, 'incidents');
    const reply = await fake.waitFor((r) => r.route === 'replyToActivity');
    const text = JSON.stringify(fake.cardsIn(reply));
    expect(text).toContain('2 open incidents');
    expect(text).toContain('bg-list-1@contoso.onmicrosoft.com');
    expect(text).toContain('Bob Builder');
  });
});
