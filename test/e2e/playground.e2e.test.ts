import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { startBotProcess, type BotProcess } from '../support/bot-process.js';
import { runCliAsync } from '../support/run-cli.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * The newcomer's path, in a real browser: `npm start` in local mode with the Agents Playground,
 * Debian's Chromium driven by playwright-core. Screenshots land in test-results/e2e/.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SHOTS = fileURLToPath(new URL('../../test-results/e2e/', import.meta.url));
const CHANNEL = 'Contoso Security - Emergency Access Alerts';
const UPN = 'bg-admin-01@contoso.onmicrosoft.com';
const WAIT_MS = 15_000;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

describe('Glasswatch in the Agents Playground', () => {
  const data = tempDir('glasswatch-e2e-');
  let bot: BotProcess | undefined;
  let browser: Browser | undefined;
  const blocked = new Set<string>();

  // Set up inside the test rather than in beforeAll: a missing Chromium or a bot that does not
  // start is reported as this test failing, not as a skipped test.
  async function start(): Promise<{ running: BotProcess; page: Page; playgroundUrl: string }> {
    mkdirSync(SHOTS, { recursive: true });
    const [botPort, playgroundPort] = await freePorts(2);
    // As `npm start` runs it, in a temp data dir, with fixed ports so a developer's own bot (3978)
    // and playground (56150) are left alone.
    const running = await startBotProcess({
      PORT: String(botPort),
      GLASSWATCH_DATA_DIR: data.path,
      GLASSWATCH_PLAYGROUND: 'on',
      TEAMSAPPTESTER_PORT: String(playgroundPort),
      LOG_LEVEL: 'debug',
    });
    bot = running;
    const playgroundUrl = await waitForPlayground(running);

    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
    // Everything the test needs is on loopback. The playground's fonts (cdn.office.net) and anything
    // else off the machine are refused, so an offline run never waits on DNS.
    await page.route('**/*', async (route) => {
      const host = new URL(route.request().url()).host.replace(/:\d+$/, '');
      if (LOOPBACK.has(host)) return route.continue();
      blocked.add(host);
      return route.abort();
    });
    return { running, page, playgroundUrl };
  }

  afterAll(async () => {
    await browser?.close();
    if (bot && bot.child.exitCode === null && bot.child.signalCode === null) {
      const stopped = bot.kill('SIGTERM');
      const timer = setTimeout(() => bot?.child.kill('SIGKILL'), 10_000);
      await stopped;
      clearTimeout(timer);
    }
    if (bot) writeFileSync(join(SHOTS, 'bot.log'), bot.output());
    data.remove();
  });

  test('status, bind, a simulated sign-in, and Acknowledge edit the card in the channel', async () => {
    const { running, page, playgroundUrl } = await start();
    try {
      await openChannel(page, playgroundUrl);

      // (a) The posture card, from the bundled demo snapshot.
      await post(page, '/breakglass status');
      const status = card(page, 'Break-glass posture');
      await status.waitFor({ timeout: WAIT_MS });
      expect(await status.innerText()).toContain('DEMO DATA');
      await page.screenshot({ path: join(SHOTS, '01-status.png') });

      // (b) Bind this channel, then an alert arrives as Azure Monitor would send it.
      await post(page, 'bind');
      await card(page, 'This channel is now the alert channel').waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: join(SHOTS, '02-bind.png') });

      const simulated = await runCliAsync(['simulate', 'signin', '--upn', UPN, '--url', running.url]);
      expect(simulated.stderr).toBe('');
      expect(simulated.status).toBe(0);
      const alert = card(page, `Break-glass sign-in: ${UPN}`);
      await alert.waitFor({ timeout: WAIT_MS });
      expect(await alert.innerText()).toMatch(/needs a responder/i);
      await alert.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SHOTS, '03-alert.png') });

      // (c) Acknowledge: the clicker's card changes at once (invoke response)...
      await alert.getByRole('button', { name: 'Acknowledge', exact: true }).click();
      const acknowledged = card(page, `Break-glass sign-in: ${UPN}`, 'Acknowledged by Ada Lovelace');
      await acknowledged.waitFor({ timeout: WAIT_MS });
      await acknowledged.getByRole('button', { name: 'Unacknowledge', exact: true }).waitFor({ timeout: WAIT_MS });
      await page.screenshot({ path: join(SHOTS, '04-acknowledged.png') });

      // ...and the outbox edits the posted message through the connector, so every viewer gets the
      // same card. (A reload cannot show this: the playground's history lives in the page.) The edit
      // replaces the card in place: still one alert card, still acknowledged.
      await waitForOutput(running, /"kind":"update"[^\n]*"msg":"card delivered"/);
      await acknowledged.waitFor({ timeout: WAIT_MS });
      expect(await card(page, `Break-glass sign-in: ${UPN}`).count()).toBe(1);
      await page.screenshot({ path: join(SHOTS, '05-edited.png') });
    } catch (error) {
      await page.screenshot({ path: join(SHOTS, 'failure.png') });
      const note = blocked.size > 0 ? `\n(requests refused to: ${[...blocked].join(', ')})` : '';
      throw new Error(`${error instanceof Error ? error.message : String(error)}${note}\n--- bot output (tail) ---\n${running.output().slice(-4_000)}`);
    }

    // Stopping the bot stops the playground with it.
    expect(await running.kill('SIGTERM')).toBe(0);
    const afterStop = await fetch(playgroundUrl, { signal: AbortSignal.timeout(2_000) }).then(
      (response) => `answered ${response.status}`,
      () => 'refused',
    );
    expect(afterStop).toBe('refused');
  });
});

async function openChannel(page: Page, url: string): Promise<void> {
  await page.goto(url);
  // The log panel says "Connected." once the playground reached the bot; typing earlier is lost.
  await page.getByText('Connected.', { exact: true }).first().waitFor({ timeout: WAIT_MS });
  await page.getByRole('treeitem', { name: CHANNEL, exact: true }).click();
}

/** Starts a new post in the open channel, @mentioning the bot (channel messages reach it only then). */
async function post(page: Page, text: string): Promise<void> {
  // The first editor is "Start a new post"; each thread below has its own reply box.
  const compose = page.locator('[role="textbox"][data-lexical-editor="true"]').first();
  await compose.click();
  await page.keyboard.type('@');
  await page.getByRole('listbox', { name: 'Typeahead menu' }).getByText('Glasswatch', { exact: true }).click();
  await page.keyboard.type(` ${text}`);
  await page.getByRole('button', { name: 'Post', exact: true }).click();
}

/** The rendered Adaptive Card holding every one of `texts`. */
function card(page: Page, ...texts: string[]): Locator {
  return texts.reduce((cards, text) => cards.filter({ hasText: text }), page.locator('.ac-adaptiveCard'));
}

async function waitForPlayground(bot: BotProcess): Promise<string> {
  const line = await waitForOutput(bot, /"url":"(http:\/\/[^"]+)"[^\n]*"msg":"agents playground listening"|the Agents Playground did not start/, 30_000);
  if (line[1]) return line[1];
  throw new Error(`the Agents Playground did not start with the bot:\n${bot.output().slice(-4_000)}`);
}

async function waitForOutput(bot: BotProcess, pattern: RegExp, timeoutMs = WAIT_MS): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = pattern.exec(bot.output());
    if (match) return match;
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`the bot did not log ${pattern} within ${timeoutMs} ms`);
}

/** Ports free on loopback right now (the OS hands out distinct ones while all are held). */
async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<ReturnType<typeof createServer>>((done, fail) => {
      const server = createServer();
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => done(server));
    })),
  );
  const ports = servers.map((server) => {
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('no TCP address');
    return address.port;
  });
  await Promise.all(servers.map((server) => new Promise((done) => server.close(done))));
  return ports;
}
