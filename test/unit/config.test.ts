import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type Config, type ConfigResult } from '../../bot/config.js';

let cwd: string;

beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'glasswatch-config-'));
});

afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

const TOKEN = 'a'.repeat(24);
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
const RESPONDER = '0b3e1a52-6c1e-4c47-9d7e-5a1f0f1d2c3b';

/** A complete production environment; each test removes or breaks one thing. */
function production(overrides: Record<string, string | undefined> = {}): Record<string, string | undefined> {
  return {
    MicrosoftAppId: '00000000-0000-4000-8000-0000000000aa',
    MicrosoftAppPassword: 'client-secret',
    MicrosoftAppTenantId: TENANT,
    ALERT_WEBHOOK_TOKEN: TOKEN,
    GLASSWATCH_RESPONDERS: RESPONDER,
    ...overrides,
  };
}

function ok(result: ConfigResult): Config {
  if (!result.ok) throw new Error(`expected a config, got problems:\n${result.problems.join('\n')}`);
  return result.config;
}

function problems(result: ConfigResult): string[] {
  if (result.ok) throw new Error('expected problems, got a config');
  return result.problems;
}

describe('loadConfig in local mode', () => {
  it('defaults to loopback on port 3978 with the data directory under cwd', () => {
    const config = ok(loadConfig({}, cwd));
    expect(config).toMatchObject({
      mode: 'local',
      port: 3978,
      host: '127.0.0.1',
      dataDir: join(cwd, 'data'),
      accounts: [],
      responders: [],
      allowedTenants: [],
      playground: true,
      logLevel: 'info',
    });
    expect(config.bot).toBeUndefined();
    expect(config.configFile).toBeUndefined();
  });

  it('resolves GLASSWATCH_DATA_DIR against cwd and reads PORT', () => {
    const config = ok(loadConfig({ GLASSWATCH_DATA_DIR: 'state/db', PORT: '0', GLASSWATCH_PLAYGROUND: 'off' }, cwd));
    expect(config.dataDir).toBe(join(cwd, 'state', 'db'));
    expect(config.port).toBe(0);
    expect(config.playground).toBe(false);
  });

  it('treats blank variables as unset', () => {
    expect(ok(loadConfig({ PORT: '  ', HOST: '', MicrosoftAppId: ' ' }, cwd))).toMatchObject({ mode: 'local', port: 3978, host: '127.0.0.1' });
  });

  it.each(['0.0.0.0', '192.168.1.10', '::'])('refuses HOST=%s because local mode has no authentication', (host) => {
    const found = problems(loadConfig({ HOST: host }, cwd));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(`HOST=${host}`);
  });

  it.each(['127.0.0.2', 'localhost', '::1'])('accepts the loopback HOST=%s', (host) => {
    expect(ok(loadConfig({ HOST: host }, cwd)).host).toBe(host);
  });

  it.each(['abc', '70000', '-1', '80.5'])('refuses PORT=%s naming PORT', (port) => {
    const found = problems(loadConfig({ PORT: port }, cwd));
    expect(found).toEqual([expect.stringContaining(`PORT=${port}`)]);
  });

  it('refuses an unknown GLASSWATCH_PLAYGROUND value', () => {
    expect(problems(loadConfig({ GLASSWATCH_PLAYGROUND: 'maybe' }, cwd))).toEqual([expect.stringContaining('GLASSWATCH_PLAYGROUND')]);
  });
});

describe('loadConfig in production mode', () => {
  it('accepts a complete environment and listens on all interfaces', () => {
    const config = ok(loadConfig(production(), cwd));
    expect(config).toMatchObject({
      mode: 'production',
      host: '0.0.0.0',
      bot: { appId: '00000000-0000-4000-8000-0000000000aa', appPassword: 'client-secret', appType: 'SingleTenant', tenantId: TENANT },
      webhook: { token: TOKEN },
      responders: [{ id: RESPONDER }],
      allowedTenants: [TENANT],
      playground: false,
    });
  });

  it('names the missing webhook authentication', () => {
    const found = problems(loadConfig(production({ ALERT_WEBHOOK_TOKEN: undefined }), cwd));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('ALERT_WEBHOOK_TOKEN');
    expect(found[0]).toContain('ALERT_WEBHOOK_AUDIENCE');
  });

  it('accepts the secure webhook instead of a token', () => {
    const config = ok(
      loadConfig(production({ ALERT_WEBHOOK_TOKEN: undefined, ALERT_WEBHOOK_AUDIENCE: 'api://glasswatch-alerts', ALERT_WEBHOOK_TENANT_ID: TENANT }), cwd),
    );
    expect(config.webhook).toEqual({
      token: undefined,
      secureWebhook: { audience: 'api://glasswatch-alerts', tenantId: TENANT, authorityHost: 'https://login.microsoftonline.com' },
    });
  });

  it('names the missing responders', () => {
    const found = problems(loadConfig(production({ GLASSWATCH_RESPONDERS: undefined }), cwd));
    expect(found).toEqual([expect.stringContaining('GLASSWATCH_RESPONDERS')]);
  });

  it('names the missing tenant of a multi-tenant bot', () => {
    const found = problems(loadConfig(production({ MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: undefined }), cwd));
    expect(found).toEqual([expect.stringContaining('MicrosoftAppTenantId')]);
    expect(found[0]).toContain('allowedTenants');
  });

  it('names the missing tenant id of a single-tenant bot', () => {
    const found = problems(loadConfig(production({ MicrosoftAppTenantId: undefined }), cwd));
    expect(found.length).toBeGreaterThan(0);
    for (const problem of found) expect(problem).toContain('MicrosoftAppTenantId');
  });

  it('names the missing app password and an unknown app type', () => {
    expect(problems(loadConfig(production({ MicrosoftAppPassword: undefined }), cwd))).toEqual([expect.stringContaining('MicrosoftAppPassword')]);
    expect(problems(loadConfig(production({ MicrosoftAppType: 'Anything' }), cwd))).toEqual([expect.stringContaining('MicrosoftAppType=Anything')]);
  });

  it('reports every problem at once', () => {
    const found = problems(loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'MultiTenant', MicrosoftAppPassword: 'p', PORT: 'x' }, cwd));
    expect(found).toHaveLength(4);
    expect(found.join('\n')).toMatch(/PORT=x[\s\S]*ALERT_WEBHOOK_TOKEN[\s\S]*GLASSWATCH_RESPONDERS[\s\S]*MicrosoftAppTenantId/);
  });
});

describe('loadConfig webhook settings', () => {
  it('refuses a short ALERT_WEBHOOK_TOKEN without echoing it', () => {
    const found = problems(loadConfig({ ALERT_WEBHOOK_TOKEN: 'short-secret' }, cwd));
    expect(found).toEqual([expect.stringContaining('ALERT_WEBHOOK_TOKEN')]);
    expect(found[0]).not.toContain('short-secret');
  });

  it('accepts a token of exactly the minimum length', () => {
    expect(ok(loadConfig({ ALERT_WEBHOOK_TOKEN: TOKEN }, cwd)).webhook.token).toBe(TOKEN);
  });

  it('refuses ALERT_WEBHOOK_AUDIENCE without ALERT_WEBHOOK_TENANT_ID, and the reverse', () => {
    for (const env of [{ ALERT_WEBHOOK_AUDIENCE: 'api://glasswatch-alerts' }, { ALERT_WEBHOOK_TENANT_ID: TENANT }]) {
      const found = problems(loadConfig(env, cwd));
      expect(found).toHaveLength(1);
      expect(found[0]).toContain('ALERT_WEBHOOK_AUDIENCE');
      expect(found[0]).toContain('ALERT_WEBHOOK_TENANT_ID');
    }
  });
});

describe('loadConfig with a YAML file', () => {
  it('merges accounts and responders from the file and the environment, without case-insensitive duplicates', () => {
    writeFileSync(
      join(cwd, 'glasswatch.yaml'),
      [
        'accounts:',
        '  - BG1@contoso.onmicrosoft.com',
        '  - bg2@contoso.onmicrosoft.com',
        'responders:',
        `  - id: ${RESPONDER.toUpperCase()}`,
        '    name: Ada',
        '  - 11111111-2222-3333-4444-555555555555',
        'allowedTenants:',
        `  - ${TENANT}`,
      ].join('\n'),
    );
    const config = ok(
      loadConfig(
        {
          GLASSWATCH_ACCOUNTS: 'bg1@contoso.onmicrosoft.com, bg3@contoso.onmicrosoft.com',
          GLASSWATCH_RESPONDERS: `${RESPONDER},22222222-3333-4444-5555-666666666666`,
        },
        cwd,
      ),
    );
    expect(config.configFile).toBe(join(cwd, 'glasswatch.yaml'));
    expect(config.accounts).toEqual(['BG1@contoso.onmicrosoft.com', 'bg2@contoso.onmicrosoft.com', 'bg3@contoso.onmicrosoft.com']);
    expect(config.responders).toEqual([
      { id: RESPONDER.toUpperCase(), name: 'Ada' },
      { id: '11111111-2222-3333-4444-555555555555' },
      { id: '22222222-3333-4444-5555-666666666666' },
    ]);
    expect(config.allowedTenants).toEqual([TENANT]);
  });

  it('lets a file supply what production needs', () => {
    writeFileSync(join(cwd, 'team.yaml'), `responders:\n  - ${RESPONDER}\nallowedTenants:\n  - ${TENANT}\n`);
    const config = ok(
      loadConfig(production({ GLASSWATCH_CONFIG: 'team.yaml', GLASSWATCH_RESPONDERS: undefined, MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: undefined }), cwd),
    );
    expect(config.responders).toEqual([{ id: RESPONDER }]);
    expect(config.allowedTenants).toEqual([TENANT]);
  });

  it('does not list the bot tenant twice when the file spells it in capitals', () => {
    writeFileSync(join(cwd, 'glasswatch.yaml'), `allowedTenants:\n  - ${TENANT.toUpperCase()}\n`);
    expect(ok(loadConfig(production(), cwd)).allowedTenants).toEqual([TENANT.toUpperCase()]);
  });

  it('refuses an unknown key, naming it', () => {
    writeFileSync(join(cwd, 'glasswatch.yaml'), `responder:\n  - ${RESPONDER}\n`);
    const found = problems(loadConfig({}, cwd));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain('responder');
    expect(found[0]).toContain(join(cwd, 'glasswatch.yaml'));
    expect(found[0]).toContain('Allowed top-level keys');
  });

  it('refuses an unknown key inside a responder, naming where', () => {
    writeFileSync(join(cwd, 'glasswatch.yaml'), `responders:\n  - id: ${RESPONDER}\n    nmae: Ada\n`);
    const found = problems(loadConfig({}, cwd));
    expect(found.join('\n')).toContain('nmae');
  });

  it('refuses invalid YAML, naming the file', () => {
    writeFileSync(join(cwd, 'glasswatch.yaml'), 'accounts: [bg1@contoso.com\nresponders: {\n');
    const found = problems(loadConfig({}, cwd));
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(join(cwd, 'glasswatch.yaml'));
    expect(found[0]).toContain('not valid YAML');
  });

  it('refuses a GLASSWATCH_CONFIG that does not exist, naming the variable', () => {
    const found = problems(loadConfig({ GLASSWATCH_CONFIG: 'missing.yaml' }, cwd));
    expect(found).toEqual([expect.stringContaining('GLASSWATCH_CONFIG')]);
    expect(found[0]).toContain(join(cwd, 'missing.yaml'));
  });

  it('accepts an empty file', () => {
    writeFileSync(join(cwd, 'glasswatch.yaml'), '');
    expect(ok(loadConfig({}, cwd))).toMatchObject({ accounts: [], responders: [], allowedTenants: [] });
  });
});
