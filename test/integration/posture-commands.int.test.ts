import { afterEach, describe, expect, it } from 'vitest';
import type { RunningGlasswatch } from '../../bot/glasswatch.js';
import { demoTenantReader } from '../../bot/tenant/demo-tenant.js';
import { fileTenantReader } from '../../bot/tenant/snapshot-file.js';
import { startFakeConnector, type FakeConnector } from '../fakes/fake-connector.js';
import { postAlert, signInAlert } from '../support/alerts.js';
import { startInProcessBot } from '../support/in-process-bot.js';
import { sayInChannel } from '../support/teams-scene.js';

/** `/breakglass status` and `signins` in the channel, over the demo tenant and a snapshot file. */
describe('posture commands in Teams', () => {
  let fake: FakeConnector;
  let bot: RunningGlasswatch;

  afterEach(async () => {
    await bot.shutdown(500);
    await fake.close();
  });

  async function ask(text: string): Promise<string> {
    fake.reset();
    const answer = await sayInChannel(bot.url, fake.url, text);
    expect(answer.status).toBe(200);
    const reply = await fake.waitFor((r) => r.route === 'replyToActivity');
    return JSON.stringify(fake.cardsIn(reply));
  }

  it('answers status with every account, its verdict, failing checks with fixes, and a demo badge', async () => {
    fake = await startFakeConnector();
    bot = await startInProcessBot({}, { tenantReader: demoTenantReader({ now: () => new Date() }) });
    const card = await ask('/breakglass status');
    expect(card).toContain('Break-glass posture');
    expect(card).toContain('DEMO DATA');
    expect(card).toContain('bg-admin-01@contoso.onmicrosoft.com');
    expect(card).toContain('bg-admin-02@contoso.onmicrosoft.com');
    // The demo's second account is PIM-eligible and has a phone method.
    expect(card).toContain('BG-05');
    expect(card).toContain('BG-07');
    expect(card).toMatch(/FAIL/);
  });

  it('lists recent sign-ins newest first and links the one an incident covers', async () => {
    fake = await startFakeConnector();
    const reader = demoTenantReader({ now: () => new Date() });
    bot = await startInProcessBot({}, { tenantReader: reader });
    const rows = await reader.signIns(['bg-admin-02@contoso.onmicrosoft.com'], new Date(Date.now() - 7 * 86_400_000), new Date());
    if (!rows.ok || !rows.value[0]) throw new Error('the demo tenant has no recent sign-ins');
    const newest = rows.value[0];
    const firedAt = new Date(Date.parse(newest.time) + 3 * 60_000).toISOString();
    await sayInChannel(bot.url, fake.url, 'bind');
    expect((await postAlert(bot.url, signInAlert({ alertId: 'posture-link', upn: 'bg-admin-02@contoso.onmicrosoft.com', firedAt }))).status).toBe(202);

    const card = await ask('signins bg-admin-02@contoso.onmicrosoft.com 7');
    expect(card).toContain('198.51.100.23');
    expect(card).toContain('incident · triggered');
    expect(card).not.toContain('bg-admin-01@contoso.onmicrosoft.com');

    expect(await ask('signins 500')).toContain('1 to 90 days');
  });

  it('says how to configure a tenant reader when there is none', async () => {
    fake = await startFakeConnector();
    bot = await startInProcessBot();
    const card = await ask('status');
    expect(card).toContain('No tenant reader is configured');
    expect(card).toMatch(/AZURE\\*_TENANT\\*_ID/);
  });

  it('reads a snapshot file, and a missing account fails BG-01 rather than passing quietly', async () => {
    fake = await startFakeConnector();
    const { fileURLToPath } = await import('node:url');
    const demoFile = fileURLToPath(new URL('../../bot/tenant/demo-snapshot.json', import.meta.url));
    bot = await startInProcessBot(
      { accounts: ['bg-admin-01@contoso.onmicrosoft.com', 'bg-gone@contoso.onmicrosoft.com'] },
      { tenantReader: fileTenantReader(demoFile, 'file') },
    );
    const card = await ask('status');
    expect(card).toContain('bg-gone@contoso.onmicrosoft.com');
    expect(card).toContain('BG-01');
    expect(card).not.toContain('DEMO DATA');
  });
});
