import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-connector.js';
import { postAlert, signInAlert } from '../support/alerts.js';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { tempDir } from '../support/temp-dir.js';
import { sayInChannel } from '../support/teams-scene.js';

/** The real bot as a child process, killed the hard way: nothing it answered 202 may be lost. */
describe('crash and restart', () => {
  let fake: FakeConnector;
  let data: { path: string; remove: () => void };
  let bot: BotProcess | undefined;

  beforeEach(async () => {
    fake = await startFakeConnector();
    data = tempDir();
  });

  afterEach(async () => {
    await bot?.kill('SIGKILL');
    await fake.close();
    data.remove();
  });

  const start = () => startBotProcess({ GLASSWATCH_DATA_DIR: data.path });

  it('ends with exactly one card when killed with SIGKILL right after the 202', async () => {
    bot = await start();
    await sayInChannel(bot.url, fake.url, 'bind');
    await fake.waitFor((r) => r.route === 'replyToActivity');
    // Teams is down when the alert arrives, so the card cannot have gone out before the kill.
    fake.failNext(1_000, { status: 503, route: 'createConversation' });
    const answer = await postAlert(bot.url, signInAlert({ alertId: 'alert-before-crash' }));
    expect(answer.status).toBe(202);
    await bot.kill('SIGKILL');
    expect(fake.posts().filter((r) => r.route === 'createConversation')).toHaveLength(0);

    fake.reset();
    bot = await start();
    await fake.waitFor((r) => r.route === 'createConversation' && r.status === 201, 10_000);
    // A grouped alert after the restart edits the same card instead of posting a second one.
    const grouped = await postAlert(bot.url, signInAlert({ alertId: 'alert-after-crash', firedAt: '2026-11-22T09:30:00Z' }));
    expect(grouped.body).toMatchObject({ outcome: 'grouped' });
    await fake.waitFor((r) => r.route === 'updateActivity', 10_000);
    expect(fake.posts().filter((r) => r.route === 'createConversation')).toHaveLength(1);

    // The same alert retried by Azure Monitor after the crash is still a duplicate.
    const retried = await postAlert(bot.url, signInAlert({ alertId: 'alert-before-crash' }));
    expect(retried.body).toMatchObject({ outcome: 'duplicate' });
  });

  it('on SIGTERM keeps what it accepted, exits 0, and delivers it after the restart', async () => {
    bot = await start();
    // No channel bound: the card stays pending in the store across the stop.
    expect((await postAlert(bot.url, signInAlert({ alertId: 'alert-before-stop' }))).status).toBe(202);
    const exitCode = await bot.kill('SIGTERM');
    expect(exitCode).toBe(0);
    expect(bot.output()).toContain('draining deliveries');

    bot = await start();
    await sayInChannel(bot.url, fake.url, 'bind');
    await fake.waitFor((r) => r.route === 'createConversation' && r.status === 201, 10_000);
    expect(fake.posts().filter((r) => r.route === 'createConversation')).toHaveLength(1);
  });

  it('never writes the webhook token or the Authorization header to its logs', async () => {
    const token = 'tok-' + 'a1b2c3d4'.repeat(5);
    bot = await startBotProcess({ GLASSWATCH_DATA_DIR: data.path, ALERT_WEBHOOK_TOKEN: token, LOG_LEVEL: 'debug' });
    const wrong = 'wrong-' + 'z9y8x7w6'.repeat(5);
    expect((await postAlert(bot.url, signInAlert({ alertId: 'alert-wrong-token' }), { token: wrong })).status).toBe(401);
    expect((await postAlert(bot.url, signInAlert({ alertId: 'alert-right-token' }), { token })).status).toBe(202);
    await postAlert(bot.url, signInAlert({ alertId: 'alert-bearer' }), { headers: { authorization: 'Bearer secret-bearer-value' } });
    await bot.kill('SIGTERM');
    const logs = bot.output();
    expect(logs).toContain('/api/alerts');
    expect(logs).not.toContain(token);
    expect(logs).not.toContain(wrong);
    expect(logs).not.toContain('secret-bearer-value');
  });
});
