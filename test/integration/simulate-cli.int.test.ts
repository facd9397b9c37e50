import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RunningGlasswatch } from '../../bot/glasswatch.js';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-connector.js';
import { startInProcessBot } from '../support/in-process-bot.js';
import { runCliAsync } from '../support/run-cli.js';
import { sayInChannel } from '../support/teams-scene.js';

const TOKEN = 'simulate-token-0123456789abcdef';

describe('glasswatch simulate', () => {
  let fake: FakeConnector;
  let bot: RunningGlasswatch;

  beforeEach(async () => {
    fake = await startFakeConnector();
    bot = await startInProcessBot({ webhook: { token: TOKEN } });
    await sayInChannel(bot.url, fake.url, 'bind');
  });

  afterEach(async () => {
    await bot.shutdown(500);
    await fake.close();
  });

  it('posts a sign-in a newcomer can see as a card, then a failure grouped into it, and a tamper alert of its own', async () => {
    const signin = await runCliAsync(['simulate', 'signin', '--url', bot.url, '--upn', 'bg-demo@contoso.onmicrosoft.com'], { ALERT_WEBHOOK_TOKEN: TOKEN });
    expect(signin.status).toBe(0);
    expect(signin.stdout).toContain('"outcome":"created"');
    const post = await fake.waitFor((r) => r.route === 'createConversation');
    expect(JSON.stringify(fake.cardsIn(post))).toContain('bg-demo@contoso.onmicrosoft.com');

    const failure = await runCliAsync(['simulate', 'failure', '--url', bot.url, '--upn', 'bg-demo@contoso.onmicrosoft.com', '--token', TOKEN]);
    expect(failure.stdout).toContain('"outcome":"grouped"');

    const tamper = await runCliAsync(['simulate', 'tamper', '--url', bot.url, '--token', TOKEN]);
    expect(tamper.stdout).toContain('"outcome":"created"');
    await fake.waitFor(() => fake.posts().filter((r) => r.route === 'createConversation').length === 2);
    const second = fake.posts().filter((r) => r.route === 'createConversation')[1];
    if (!second) throw new Error('no second card');
    expect(JSON.stringify(fake.cardsIn(second))).toContain('diagnosticSettings/delete');
  });

  it('says why when the bot refuses it or cannot be reached', async () => {
    const wrong = await runCliAsync(['simulate', 'signin', '--url', bot.url, '--token', 'not-the-token-at-all-xxxxxxxx']);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toContain('401');
    const nowhere = await runCliAsync(['simulate', 'signin', '--url', 'http://127.0.0.1:9']);
    expect(nowhere.status).toBe(2);
    expect(nowhere.stderr).toContain('is it running');
    const bad = await runCliAsync(['simulate', 'explode']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('signin, failure, resolved, tamper');
  });
});
