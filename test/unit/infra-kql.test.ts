import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseAlert } from '../../bot/intake/parse-alert.js';
import type { ParsedAlert, SignInDetails } from '../../bot/intake/alert.js';

// The KQL in infra/kql is loaded by infra/monitoring.bicep (loadTextContent) and read here, so the
// alert rules, the dimensions they split by and the alert parser cannot drift apart. There is no
// Bicep compiler in CI: the Bicep is checked as text, by patterns written to fail on a real drift.

const repoFile = (path: string): string => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const ACCOUNTS_TOKEN = '{{ACCOUNTS}}';
const SIGNIN_KQL = 'kql/breakglass-signins.kql';
const SP_SIGNIN_KQL = 'kql/breakglass-sp-signins.kql';

const monitoring = repoFile('infra/monitoring.bicep');
const hosting = repoFile('infra/hosting.bicep');
const kql = { [SIGNIN_KQL]: repoFile(`infra/${SIGNIN_KQL}`), [SP_SIGNIN_KQL]: repoFile(`infra/${SP_SIGNIN_KQL}`) };

// --- KQL as text ------------------------------------------------------------------------------

const withoutComments = (query: string): string => query.replace(/\/\/[^\n]*/g, '');

/** The table the tabular statement starts from: the last statement, after any `let … ;`. */
function sourceTable(query: string): string | undefined {
  const statements = withoutComments(query).split(';').map((statement) => statement.trim()).filter(Boolean);
  return /^([A-Za-z_]\w*)/.exec(statements.at(-1) ?? '')?.[1];
}

/** Columns of the (last) `project`: `Name = expr` counts as `Name`. */
function projectedColumns(query: string): string[] {
  const projects = [...withoutComments(query).matchAll(/\|\s*project\s+([^|]+)/g)];
  const last = projects.at(-1)?.[1] ?? '';
  return last
    .split(',')
    .map((column) => column.split('=')[0]?.trim() ?? '')
    .filter(Boolean);
}

/** What Bicep's `'dynamic(${string(list)})'` produces: ARM's string() of an array is its JSON. */
const fillAccounts = (query: string, accounts: readonly string[]): string =>
  query.replaceAll(ACCOUNTS_TOKEN, `dynamic(${JSON.stringify(accounts)})`);

// --- Bicep as text ----------------------------------------------------------------------------

/** Items of `var <name> = [ 'A' 'B' … ]`. */
function stringArrayVar(bicep: string, name: string): string[] {
  const body = new RegExp(`^var ${name} = \\[\\n([\\s\\S]*?)\\n\\]`, 'm').exec(bicep)?.[1];
  if (body === undefined) throw new Error(`var ${name} = [ … ] not found`);
  return [...body.matchAll(/'([^']+)'/g)].map((match) => match[1] ?? '');
}

/** Top-level `resource` blocks of one type, from `resource` to the next top-level declaration. */
function resourceBlocks(bicep: string, type: string): string[] {
  return bicep
    .split(/\n(?=resource |output |var |param |@)/)
    .filter((block) => block.startsWith('resource ') && block.includes(`'${type}@`));
}

interface ParamDeclaration {
  name: string;
  hasDefault: boolean;
  secure: boolean;
}

function declaredParams(bicep: string): ParamDeclaration[] {
  const params: ParamDeclaration[] = [];
  let decorators: string[] = [];
  for (const line of bicep.split('\n')) {
    if (line.startsWith('@')) decorators.push(line);
    // A top-level statement ends the decorators; the inner lines of a multi-line @allowed do not.
    if (!/^[A-Za-z]/.test(line)) continue;
    const param = /^param (\w+) \w+( =)?/.exec(line);
    if (param?.[1] !== undefined) {
      params.push({ name: param[1], hasDefault: param[2] !== undefined, secure: decorators.includes('@secure()') });
    }
    decorators = [];
  }
  return params;
}

/** Keys of every `var <x>Settings = { … }` object: the app settings hosting.bicep may set. */
function appSettingNames(bicep: string): string[] {
  const bodies = [...bicep.matchAll(/^var \w+Settings = \{\n([\s\S]*?)\n\}/gm)].map((match) => match[1] ?? '');
  return bodies.flatMap((body) => [...body.matchAll(/^ {2}(\w+):/gm)].map((match) => match[1] ?? ''));
}

// --- the parser's fixtures ----------------------------------------------------------------------

const V2Fixture = z.object({
  data: z.object({
    alertContext: z.object({
      condition: z.object({
        allOf: z
          .array(z.object({ searchQuery: z.string(), dimensions: z.array(z.object({ name: z.string(), value: z.string() })) }))
          .length(1),
      }),
    }),
  }),
});

function fixtureCondition(name: string): { searchQuery: string; dimensions: { name: string; value: string }[] } {
  const fixture = V2Fixture.parse(JSON.parse(repoFile(`test/fixtures/alerts/${name}`)));
  const condition = fixture.data.alertContext.condition.allOf[0];
  if (condition === undefined) throw new Error(`${name} has no condition`);
  return condition;
}

const FIXTURES = [
  { fixture: 'log-v2-signin-user.json', kqlFile: SIGNIN_KQL, table: 'SigninLogs' },
  { fixture: 'log-v2-signin-failed.json', kqlFile: SIGNIN_KQL, table: 'SigninLogs' },
  { fixture: 'log-v2-service-principal.json', kqlFile: SP_SIGNIN_KQL, table: 'AADServicePrincipalSignInLogs' },
] as const;

const SUBSCRIPTION = '/subscriptions/8f3c2a71-5d4e-4b9a-9c1e-2f7d6a0b3e15';

/** A Log Alerts V2 alert as Azure Monitor posts it, carrying only the given dimensions. */
function v2Alert(query: string, dimensions: readonly { name: string; value: string }[]): unknown {
  return {
    schemaId: 'azureMonitorCommonAlertSchema',
    data: {
      essentials: {
        alertId: `${SUBSCRIPTION}/providers/Microsoft.AlertsManagement/alerts/3c0d1e2f-4a5b-4c6d-8e7f-9a0b1c2d3e4f`,
        alertRule: 'Break-glass account sign-in',
        severity: 'Sev0',
        signalType: 'Log',
        monitorCondition: 'Fired',
        monitoringService: 'Log Alerts V2',
        firedDateTime: '2026-03-01T12:00:41.1234567Z',
      },
      alertContext: {
        conditionType: 'LogQueryCriteria',
        condition: {
          windowSize: 'PT5M',
          allOf: [{ searchQuery: query, operator: 'GreaterThan', threshold: '0', timeAggregation: 'Count', dimensions, metricValue: 1 }],
        },
      },
    },
  };
}

function parsed(body: unknown): ParsedAlert {
  const result = parseAlert(body);
  if (!result.ok) throw new Error(`alert did not parse: ${result.code} ${result.message}`);
  return result.alert;
}

const RULES = [
  {
    rule: 'Break-glass account sign-in',
    kqlFile: SIGNIN_KQL,
    queryVar: 'signInQuery',
    dimensionsVar: 'signInDimensions',
    accountsParam: 'breakGlassAccounts',
  },
  {
    rule: 'Break-glass app sign-in',
    kqlFile: SP_SIGNIN_KQL,
    queryVar: 'appSignInQuery',
    dimensionsVar: 'appSignInDimensions',
    accountsParam: 'breakGlassAppIds',
  },
] as const;

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('the KQL files the monitoring Bicep loads', () => {
  it('are exactly infra/kql/breakglass-signins.kql and breakglass-sp-signins.kql, and exist', () => {
    const loaded = [...monitoring.matchAll(/loadTextContent\('([^']+)'\)/g)].map((match) => match[1]).sort();
    expect(loaded).toEqual([SIGNIN_KQL, SP_SIGNIN_KQL]);
    for (const path of loaded) expect(existsSync(new URL(`../../infra/${path}`, import.meta.url))).toBe(true);
  });

  it.each(RULES)('$rule: the Bicep replaces the accounts token with a dynamic() literal of $accountsParam', (rule) => {
    const bicepLine = `var ${rule.queryVar} = replace(loadTextContent('${rule.kqlFile}'), '${ACCOUNTS_TOKEN}', 'dynamic(\${string(${rule.accountsParam})})')`;
    expect(monitoring.split('\n')).toContain(bicepLine);
    const query = kql[rule.kqlFile];
    expect(query.split(ACCOUNTS_TOKEN)).toHaveLength(2);
    const filled = fillAccounts(query, ['bg1@contoso.onmicrosoft.com', 'a"b']);
    expect(filled).not.toContain('{{');
    // JSON escaping keeps a value inside its string literal.
    expect(filled).toContain('dynamic(["bg1@contoso.onmicrosoft.com","a\\"b"])');
  });

  it.each(FIXTURES)('$fixture was built from the $table query in $kqlFile', ({ fixture, kqlFile, table }) => {
    const { searchQuery, dimensions } = fixtureCondition(fixture);
    const query = kql[kqlFile];
    expect(sourceTable(searchQuery)).toBe(table);
    expect(sourceTable(query)).toBe(table);
    const projected = projectedColumns(query);
    expect(projected).toEqual(expect.arrayContaining(projectedColumns(searchQuery)));
    expect(projected).toEqual(expect.arrayContaining(dimensions.map((dimension) => dimension.name)));
    // Filled with the fixture's own accounts, the shared query selects on them.
    const accounts = [...searchQuery.matchAll(/"([^"]+)"/g)].map((match) => match[1] ?? '');
    expect(accounts.length).toBeGreaterThan(0);
    const filled = fillAccounts(query, accounts);
    for (const account of accounts) expect(filled).toContain(JSON.stringify(account));
  });
});

describe('the dimensions each alert rule splits by', () => {
  it.each(RULES)('$rule: its rule block uses $queryVar and splits by $dimensionsVar', (rule) => {
    const [block, ...others] = resourceBlocks(monitoring, 'Microsoft.Insights/scheduledQueryRules').filter((b) =>
      b.includes(`name: '${rule.rule}'`),
    );
    expect(others).toHaveLength(0);
    expect(block).toContain(`query: ${rule.queryVar}\n`);
    expect(block).toContain(`for name in ${rule.dimensionsVar}:`);
  });

  it.each(RULES)('$rule: at most six, each a column its query projects', (rule) => {
    const dimensions = stringArrayVar(monitoring, rule.dimensionsVar);
    expect(dimensions.length).toBeGreaterThan(0);
    expect(dimensions.length).toBeLessThanOrEqual(6);
    expect(projectedColumns(kql[rule.kqlFile])).toEqual(expect.arrayContaining(dimensions));
  });

  it.each(RULES)('$rule: each dimension alone reaches a sign-in field of the parsed alert', (rule) => {
    const query = fillAccounts(kql[rule.kqlFile], ['bg-admin-01@contoso.onmicrosoft.com']);
    for (const name of stringArrayVar(monitoring, rule.dimensionsVar)) {
      const value = `probe-${name.toLowerCase()}`;
      const [signIn] = parsed(v2Alert(query, [{ name, value }])).signIns;
      const fields: (string | undefined)[] = signIn === undefined ? [] : Object.values(signIn);
      expect(fields, `dimension ${name} is not mapped by bot/intake/read-sign-in.ts`).toContain(value);
    }
  });

  it('user sign-in: the full set names the account and the sign-in', () => {
    const values: Record<string, string> = {
      UserPrincipalName: 'bg-admin-02@contoso.onmicrosoft.com',
      UserId: '9d4e1b7c-2a6f-4e3d-8c5b-7f1a0e9d2c64',
      IPAddress: '198.51.100.77',
      AppDisplayName: 'Microsoft Azure PowerShell',
      ResultType: '50126',
      Location: 'NL',
    };
    const dimensions = stringArrayVar(monitoring, 'signInDimensions').map((name) => ({ name, value: values[name] ?? `unexpected ${name}` }));
    const alert = parsed(v2Alert(fillAccounts(kql[SIGNIN_KQL], ['bg-admin-02@contoso.onmicrosoft.com']), dimensions));
    expect(alert.subject).toEqual({
      kind: 'user',
      key: 'user:bg-admin-02@contoso.onmicrosoft.com',
      upn: 'bg-admin-02@contoso.onmicrosoft.com',
      objectId: '9d4e1b7c-2a6f-4e3d-8c5b-7f1a0e9d2c64',
    });
    const expected: SignInDetails = {
      upn: 'bg-admin-02@contoso.onmicrosoft.com',
      userId: '9d4e1b7c-2a6f-4e3d-8c5b-7f1a0e9d2c64',
      ipAddress: '198.51.100.77',
      app: 'Microsoft Azure PowerShell',
      resultType: '50126',
      location: 'NL',
    };
    expect(alert.signIns).toEqual([expected]);
  });

  it('app sign-in: the full set names the application and the sign-in', () => {
    const values: Record<string, string> = {
      AppId: 'E2C4A6B8-1D3F-4A5C-9E7B-0F2D4C6A8E1B',
      ServicePrincipalName: 'glasswatch-emergency-automation',
      IPAddress: '20.50.2.14',
      ResourceDisplayName: 'Microsoft Graph',
      ResultType: '0',
      Location: 'IE',
    };
    const dimensions = stringArrayVar(monitoring, 'appSignInDimensions').map((name) => ({ name, value: values[name] ?? `unexpected ${name}` }));
    const alert = parsed(v2Alert(fillAccounts(kql[SP_SIGNIN_KQL], ['e2c4a6b8-1d3f-4a5c-9e7b-0f2d4c6a8e1b']), dimensions));
    expect(alert.subject).toEqual({
      kind: 'service-principal',
      key: 'sp:e2c4a6b8-1d3f-4a5c-9e7b-0f2d4c6a8e1b',
      appId: 'e2c4a6b8-1d3f-4a5c-9e7b-0f2d4c6a8e1b',
      displayName: 'glasswatch-emergency-automation',
    });
    expect(alert.signIns).toEqual([
      {
        appId: 'E2C4A6B8-1D3F-4A5C-9E7B-0F2D4C6A8E1B',
        servicePrincipalName: 'glasswatch-emergency-automation',
        ipAddress: '20.50.2.14',
        app: 'Microsoft Graph',
        resultType: '0',
        location: 'IE',
      },
    ]);
  });
});

describe('monitoring.bicep alert settings', () => {
  const rules = resourceBlocks(monitoring, 'Microsoft.Insights/scheduledQueryRules');

  it('has the user rule and the service principal rule (the latter only when app ids are given)', () => {
    expect(rules).toHaveLength(2);
    expect(rules.find((block) => block.includes("name: 'Break-glass app sign-in'"))).toMatch(/= if \(!empty\(breakGlassAppIds\)\) \{/);
  });

  it.each(['autoMitigate: false', "evaluationFrequency: 'PT1M'", 'severity: 0', "kind: 'LogAlert'", 'enabled: true'])(
    'every rule sets %s',
    (setting) => {
      for (const block of rules) expect(block).toMatch(new RegExp(`^ +${escapeRegExp(setting)}$`, 'm'));
    },
  );

  it('no rule mutes its actions: a muted rule would swallow a second sign-in', () => {
    for (const block of rules) expect(block).not.toContain('muteActionsDuration');
  });

  it('the webhook receiver uses the common alert schema, and the action group also reaches people outside the tenant', () => {
    const receiver = /^var plainReceiver = \{\n([\s\S]*?)\n\}/m.exec(monitoring)?.[1] ?? '';
    expect(receiver).toMatch(/^ {2}useCommonAlertSchema: true$/m);
    expect(receiver).toMatch(/^ {2}serviceUri: webhookUri$/m);
    const [actionGroup] = resourceBlocks(monitoring, 'Microsoft.Insights/actionGroups');
    expect(actionGroup).toContain('webhookReceivers: [\n      glasswatchReceiver\n    ]');
    expect(actionGroup).toMatch(/emailReceivers: \[\n\s+for \(address, i\) in outOfTenantEmails:/);
    expect(monitoring).toMatch(/@minLength\(1\)\nparam outOfTenantEmails array\n/);
    expect(monitoring).toMatch(/^var webhookUri = .*\?token=\$\{uriComponent\(alertWebhookToken\)\}/m);
    expect(monitoring).toMatch(/@secure\(\)\nparam alertWebhookToken string/);
  });
});

describe('hosting.bicep', () => {
  it('runs the web app always on, HTTPS only, health-checked on /healthz, and registers a single-tenant bot', () => {
    const settings = ['alwaysOn: true', "healthCheckPath: '/healthz'", 'httpsOnly: true', "msaAppType: 'SingleTenant'", "channelName: 'MsTeamsChannel'"];
    for (const setting of settings) {
      expect(hosting).toMatch(new RegExp(`^ +${escapeRegExp(setting)}$`, 'm'));
    }
    expect(hosting).toMatch(/^output botEndpoint string = 'https:\/\/\$\{site\.properties\.defaultHostName\}\/api\/messages'$/m);
    expect(hosting).toMatch(/^output alertWebhookBaseUrl string = 'https:\/\/\$\{site\.properties\.defaultHostName\}\/api\/alerts'$/m);
  });

  it('gives secrets to the app only as Key Vault references', () => {
    for (const name of ['MicrosoftAppPassword', 'ALERT_WEBHOOK_TOKEN', 'AZURE_CLIENT_SECRET']) {
      const keyVaultReference = `^ {2}${name}: '@Microsoft\\.KeyVault\\(SecretUri=\\$\\{secretBaseUri\\}/\\$\\{\\w+SecretName\\}/\\)'$`;
      expect(hosting).toMatch(new RegExp(keyVaultReference, 'm'));
    }
  });

  it('sets only app settings Glasswatch or its SDKs read (a misspelt name would silently do nothing)', () => {
    const sources = readdirSync(new URL('../../bot', import.meta.url), { recursive: true, encoding: 'utf8' })
      .filter((path) => path.endsWith('.ts'))
      .map((path) => repoFile(`bot/${path}`))
      .join('\n');
    // Read by @azure/identity's EnvironmentCredential, by App Service's build, or the DESIGN.md
    // contract for the tenant reader's workspace.
    const readElsewhere = new Set([
      'AZURE_TENANT_ID',
      'AZURE_CLIENT_ID',
      'AZURE_CLIENT_SECRET',
      'SCM_DO_BUILD_DURING_DEPLOYMENT',
      'LOG_ANALYTICS_WORKSPACE_ID',
    ]);
    const names = appSettingNames(hosting);
    expect(names).toEqual(expect.arrayContaining(['MicrosoftAppId', 'MicrosoftAppPassword', 'ALERT_WEBHOOK_TOKEN', 'GLASSWATCH_DATA_DIR']));
    for (const name of names.filter((setting) => !readElsewhere.has(setting))) {
      expect(sources, `${name} is not read anywhere under bot/`).toMatch(new RegExp(`['"]${name}['"]`));
    }
  });
});

describe('the parameter example files', () => {
  it.each([
    { file: 'infra/hosting.parameters.example.json', bicep: hosting },
    { file: 'infra/monitoring.parameters.example.json', bicep: monitoring },
  ])('$file is valid JSON naming only declared parameters, and every required non-secret one', ({ file, bicep }) => {
    const content = z
      .object({ contentVersion: z.string(), parameters: z.record(z.object({ value: z.unknown() }).strict()) })
      .parse(JSON.parse(repoFile(file)));
    const declared = declaredParams(bicep);
    const names = Object.keys(content.parameters);
    expect(declared.map((param) => param.name)).toEqual(expect.arrayContaining(names));
    const required = declared.filter((param) => !param.hasDefault && !param.secure).map((param) => param.name);
    expect(names).toEqual(expect.arrayContaining(required));
    // Secrets go on the command line or in a Key Vault reference, never in a file that is copied around.
    const secure = declared.filter((param) => param.secure).map((param) => param.name);
    expect(names.filter((name) => secure.includes(name))).toEqual([]);
  });
});
