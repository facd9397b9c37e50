import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-connector.js';
import { startFakeWebhook, type FakeWebhook } from '../fakes/fake-webhook.js';
import { postAlert, signInAlert } from '../support/alerts.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { runCli } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';
import { SCENE, sayInChannel } from '../support/teams-scene.js';
import { click, invokeCard, isThreadReply, postedCard } from '../support/workflow.js';

async function waitForNoPendingDelivery(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ready = (await fetch(`${url}/readyz`).then((r) => r.json())) as { deliveries?: { pending: number } };
    if (ready.deliveries?.pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the card delivery was never recorded');
}

/** Timers and the audit trail across a hard restart of the real process. */
describe('escalation across a restart, and the audit trail it leaves', () => {
  let fake: FakeConnector;
  let hooks: FakeWebhook;
  let dir: { path: string; remove: () => void };
  let bot: BotProcess | undefined;

  beforeEach(async () => {
    fake = await startFakeConnector();
    hooks = await startFakeWebhook();
    dir = tempDir();
    writeFileSync(
      join(dir.path, 'glasswatch.yaml'),
      [
        'responders:',
        `  - id: ${SCENE.responder.aadObjectId}`,
        `    name: ${SCENE.responder.name}`,
        'escalation:',
        '  levels:',
        '    - afterMinutes: 0.05', // 3 s
        '      mention: all',
        '      webhooks:',
        `        - url: ${hooks.url}/pager`,
        '          format: pagerduty',
        '          routingKey: TESTROUTINGKEY',
        '  repeat: 0',
        '  reminderAfterMinutes: 0',
        '',
      ].join('\n'),
    );
  });

  afterEach(async () => {
    await bot?.kill('SIGKILL');
    await fake.close();
    await hooks.close();
    dir.remove();
  });

  const start = () =>
    startBotProcess({ GLASSWATCH_DATA_DIR: join(dir.path, 'data'), GLASSWATCH_CONFIG: join(dir.path, 'glasswatch.yaml'), LOG_LEVEL: process.env.TEST_BOT_LOG ? 'debug' : 'info' });

  it('fires a pending escalation exactly once after a SIGKILL and restart, and audit verify vouches for the trail', async () => {
    bot = await start();
    await sayInChannel(bot.url, fake.url, 'bind');
    expect((await postAlert(bot.url, signInAlert({ alertId: 'esc-restart' }))).status).toBe(202);
    const post = await fake.waitFor((r) => r.route === 'createConversation' && r.status === 201);
    const card = postedCard(fake, post);
    // Kill only once the bot has recorded where the card is. Between Teams' 201 and that commit is
    // the one window where a crash re-posts the card (Teams has no idempotency key); see README.
    await waitForNoPendingDelivery(bot.url);
    await bot.kill('SIGKILL');
    expect(hooks.received).toHaveLength(0);

    bot = await start();
    await hooks.waitFor((h) => h.path === '/pager', 10_000);
    await fake.waitFor((r) => isThreadReply(r, card), 10_000);
    // Long enough for a second firing, were the timer not cleared by the first.
    await new Promise((resolve) => setTimeout(resolve, 3_500));
    expect(hooks.received.filter((h) => h.path === '/pager')).toHaveLength(1);
    expect(fake.requests.filter((r) => isThreadReply(r, card))).toHaveLength(1);

    invokeCard(await click(bot.url, fake, card, 'incident.resolve', SCENE.responder, { resolution: 'drill' }));
    await hooks.waitFor((h) => (h.body as { event_action?: string }).event_action === 'resolve');
    await bot.kill('SIGTERM');
    bot = undefined;

    const dataDir = join(dir.path, 'data');
    const intact = runCli(['audit', 'verify', '--data-dir', dataDir]);
    expect(intact.status).toBe(0);
    expect(intact.stdout).toMatch(/intact: \d+ entries/);
    const exported = runCli(['audit', 'export', '--data-dir', dataDir, '--incident', card.incidentId]);
    const kinds = exported.stdout.trim().split('\n').map((line) => (JSON.parse(line) as { kind: string }).kind);
    expect(kinds).toEqual(['alert.created', 'incident.escalated', 'incident.resolved']);

    // An attacker with the file rewrites history: the chain names the first entry that changed.
    const db = new Database(join(dataDir, 'glasswatch.db'));
    db.exec('DROP TRIGGER audit_no_update');
    const escalated = db.prepare<[], { seq: number }>("SELECT seq FROM audit WHERE kind = 'incident.escalated'").get();
    db.prepare("UPDATE audit SET actor_name = 'Nobody' WHERE kind = 'incident.escalated'").run();
    db.close();
    const broken = runCli(['audit', 'verify', '--data-dir', dataDir]);
    expect(broken.status).toBe(1);
    expect(broken.stdout + broken.stderr).toContain(`entry ${escalated?.seq ?? -1}`);
  });
});
