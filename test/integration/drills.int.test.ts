import { afterEach, describe, expect, it } from 'vitest';
import type { Config } from '../../bot/config.js';
import { CHECKLIST_ITEM_IDS } from '../../bot/drills/checklist.js';
import type { RunningGlasswatch } from '../../bot/glasswatch.js';
import { cardActionInvoke, postActivity } from '../fakes/activities.js';
import { startFakeConnector, type FakeConnector, type RecordedRequest } from '../fakes/fake-connector.js';
import { postAlert, signInAlert } from '../support/alerts.js';
import { startInProcessBot } from '../support/in-process-bot.js';
import { SCENE, sayInChannel } from '../support/teams-scene.js';
import { invokeCard, type Person } from '../support/workflow.js';

const BG = 'bg-admin-01@contoso.onmicrosoft.com';
const ADA = SCENE.responder;
const BOB = { id: '29:bob', aadObjectId: '00000000-0000-0000-0000-0000000000b0', name: 'Bob Builder' };

describe('drills', () => {
  let fake: FakeConnector;
  let bot: RunningGlasswatch;

  afterEach(async () => {
    await bot.shutdown(500);
    await fake.close();
  });

  async function start(overrides: Partial<Config> = {}): Promise<void> {
    fake = await startFakeConnector();
    bot = await startInProcessBot({
      accounts: [BG],
      responders: [
        { id: ADA.aadObjectId, name: ADA.name },
        { id: BOB.aadObjectId, name: BOB.name },
      ],
      // Escalation after 300 ms: a drill alert must not escalate even then.
      escalation: { levels: [{ afterMs: 300, notify: [{ kind: 'mention', responderIds: [] }] }], repeat: 0, repeatEveryMs: 60_000, reminderAfterMs: 0 },
      ...overrides,
    });
    await sayInChannel(bot.url, fake.url, 'bind');
    await fake.waitFor((r) => r.route === 'replyToActivity');
  }

  /** Sends a command in the channel and returns the cards of the replies it caused. */
  async function ask(text: string, replies = 1): Promise<string[]> {
    const before = fake.requests.length;
    expect((await sayInChannel(bot.url, fake.url, text)).status).toBe(200);
    await fake.waitFor(() => fake.requests.slice(before).filter((r) => r.route === 'replyToActivity').length >= replies);
    return fake.requests
      .slice(before)
      .filter((r) => r.route === 'replyToActivity')
      .map((r) => JSON.stringify(fake.cardsIn(r)));
  }

  function drillIdIn(card: string): string {
    const id = /"drillId":"([^"]+)"/.exec(card)?.[1];
    if (!id) throw new Error(`no drill buttons in ${card.slice(0, 300)}`);
    return id;
  }

  async function tick(drillId: string, item: string, from: Person, version: number): Promise<string> {
    return invokeCard(
      await postActivity(
        bot.url,
        cardActionInvoke({ verb: 'drill.tick', data: { drillId, version, item }, serviceUrl: fake.url, conversationId: `${SCENE.channelId};messageid=1`, replyToId: '1', from, tenantId: SCENE.tenantId }),
      ),
    );
  }

  it('classifies an alert inside the window as the drill: posted, recorded with its latency, never escalated', async () => {
    await start();
    const [announcement, checklist] = await ask(`drill start ${BG}`, 2);
    expect(announcement).toContain('DRILL');
    const drillId = drillIdIn(checklist ?? '');

    expect((await postAlert(bot.url, signInAlert({ alertId: 'drill-alert', firedAt: new Date().toISOString() }))).status).toBe(202);
    // (The first channel post is the drill-due reminder; the alert card is the one that says Drill.)
    const post = await fake.waitFor((r) => r.route === 'createConversation' && JSON.stringify(fake.cardsIn(r)).includes('Drill: Break-glass sign-in'));
    // Long past the 300 ms escalation wait: nothing is mentioned in the card's thread.
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    expect(fake.requests.filter((r) => r.route === 'sendToConversation' || (r.route === 'replyToActivity' && r.conversationId === (post.responseBody as { id: string }).id))).toHaveLength(0);
    const audit = await bot.store.readAudit();
    expect(audit.filter((e) => e.kind === 'incident.escalated')).toHaveLength(0);

    expect((await bot.store.getDrill(drillId))?.alerts.map((a) => a.alertId)).toEqual(['drill-alert']);
    let version = (await bot.store.getDrill(drillId))?.version ?? 0;
    for (const item of CHECKLIST_ITEM_IDS) await tick(drillId, item, ADA, version++);
    const [report] = await ask('drill end');
    expect(report).toContain('DRILL PASSED');
    expect(report).toMatch(/alert[^"]*\d+(\.\d+)? ?(ms|s)/);
    const drill = await bot.store.getDrill(drillId);
    expect(drill?.alerts[0]?.cardPostedAt).toBeDefined();

    // A passed drill counts for BG-10 and moves the next due date.
    const [status] = await ask('drill status');
    expect(status).toContain('passed');
  });

  it('fails a drill whose sign-in produced no alert and opens an incident about the alert path', async () => {
    await start();
    await ask(`drill start ${BG}`, 2);
    const [report] = await ask('drill end');
    expect(report).toContain('DRILL FAILED');
    expect(report).toContain('No alert reached Glasswatch');
    const post = await fake.waitFor((r) => r.route === 'createConversation' && JSON.stringify(fake.cardsIn(r)).includes('produced no alert'));
    const card = JSON.stringify(fake.cardsIn(post));
    expect(card).toContain('alert path is broken');
    const open = await bot.store.listOpenIncidents();
    expect(open.map((i) => i.subject.key)).toContain('rule:glasswatch-alert-path');
  });

  it('completes the checklist ticked by two responders, and tells the second who already ticked an item', async () => {
    await start();
    const [, checklist] = await ask(`drill start ${BG}`, 2);
    const drillId = drillIdIn(checklist ?? '');
    const items = [...CHECKLIST_ITEM_IDS];
    let version = 1;
    for (const [i, item] of items.entries()) {
      const card = await tick(drillId, item, i % 2 === 0 ? ADA : BOB, version++);
      expect(card).toContain(i % 2 === 0 ? 'Ada Lovelace' : 'Bob Builder');
    }
    const last = await tick(drillId, items[0] ?? 'staff-informed', BOB, version);
    expect(last).toMatch(/already/i);
    expect(last).toContain('Ada Lovelace');
    const [shown] = await ask('checklist');
    expect(shown).toContain('Complete: every item is ticked or waived');
  });

  it('posts the drill reminder when a drill is due, once', async () => {
    await start();
    // A configured account nobody has drilled is due now: the reminder goes out when the channel is bound.
    const reminder = await fake.waitFor((r) => r.route === 'createConversation' && JSON.stringify(fake.cardsIn(r)).includes(BG));
    expect(JSON.stringify(fake.cardsIn(reminder)).toLowerCase()).toMatch(/drill/);
    await sayInChannel(bot.url, fake.url, 'bind');
    await new Promise((resolve) => setTimeout(resolve, 500));
    const reminders = fake.requests.filter((r: RecordedRequest) => r.route === 'createConversation' && JSON.stringify(fake.cardsIn(r)).includes(BG));
    expect(reminders).toHaveLength(1);
  });
});
