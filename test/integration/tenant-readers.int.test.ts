import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { tenantSnapshotSchema, type TenantSnapshot } from '../../bot/tenant/tenant-snapshot.js';
import { startFakeEntra, type FakeEntra } from '../fakes/fake-entra.js';
import { ALPHA, BRAVO, breakGlassScenario, startFakeGraph, type FakeGraph } from '../fakes/fake-graph.js';
import { accountsIn, startFakeLogAnalytics, type FakeLogAnalytics, type FakeSignIn } from '../fakes/fake-log-analytics.js';
import { testTls } from '../fakes/tls.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TENANT_ID = '7d0c6b1a-2f3e-4d5c-9b8a-1e2f3a4b5c6d';
const INJECTION = "x' or 1==1 | union SigninLogs //";

interface ReadTenantOutput {
  ok: boolean;
  message?: string;
  runs: { snapshot: unknown; graphRequestsSoFar?: number; ms: number }[];
  signIns?: unknown;
}

describe('tenant readers: the real SDK clients against https fakes of Entra, Graph and Log Analytics', () => {
  let entra: FakeEntra;
  let graph: FakeGraph;
  let logs: FakeLogAnalytics;

  beforeAll(async () => {
    [entra, graph, logs] = await Promise.all([startFakeEntra(), startFakeGraph(), startFakeLogAnalytics()]);
  });

  afterAll(async () => {
    await Promise.all([entra.close(), graph.close(), logs.close()]);
  });

  beforeEach(() => {
    entra.requests.length = 0;
    graph.reset();
    graph.scenario = breakGlassScenario();
    logs.reset();
    const hoursAgo = (h: number): string => new Date(Date.now() - h * 3_600_000).toISOString();
    const signIn = (who: { id: string; upn: string }, time: string, resultType: string): FakeSignIn => ({
      CreatedDateTime: time,
      UserPrincipalName: who.upn,
      UserId: who.id,
      AppId: 'c44b4083-3bb0-49c1-b47d-974e53cbdf3c',
      AppDisplayName: 'Azure Portal',
      IPAddress: '203.0.113.7',
      LocationDetails: { city: 'Redmond', state: 'Washington', countryOrRegion: 'US' },
      ResultType: resultType,
      ResultDescription: resultType === '0' ? '' : 'Invalid username or password.',
      ConditionalAccessStatus: 'success',
      AuthenticationDetails: JSON.stringify([{ authenticationMethod: 'FIDO2 security key', succeeded: true }]),
      CorrelationId: crypto.randomUUID(),
      SourceTable: 'SigninLogs',
    });
    logs.rows = [signIn(ALPHA, hoursAgo(30), '0'), signIn(BRAVO, hoursAgo(2), '50126'), signIn({ id: 'someone-else', upn: 'user@contoso.com' }, hoursAgo(1), '0')];
  });

  /** Runs test/support/read-tenant.ts in a child that trusts the fakes' certificate. */
  async function readTenant(accounts: string[], extraEnv: Record<string, string> = {}): Promise<ReadTenantOutput> {
    const child = spawn(process.execPath, ['--import', 'tsx', 'test/support/read-tenant.ts'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: process.env.HOME ?? '',
        NODE_EXTRA_CA_CERTS: testTls().certPath,
        AZURE_TENANT_ID: TENANT_ID,
        AZURE_CLIENT_ID: '3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
        AZURE_CLIENT_SECRET: 'fake-secret-value',
        AZURE_AUTHORITY_HOST: entra.url,
        GRAPH_ENDPOINT: graph.url,
        LOG_ANALYTICS_ENDPOINT: logs.url,
        LOG_ANALYTICS_WORKSPACE_ID: logs.workspaceId,
        GLASSWATCH_ACCOUNTS: accounts.join(','),
        FAKE_GRAPH_CONTROL_URL: graph.url,
        ...extraEnv,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const code = await new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    const line = stdout.trim().split('\n').at(-1) ?? '';
    if (code !== 0 || line === '') throw new Error(`read-tenant exited ${code}:\n${stdout}\n${stderr}`);
    return JSON.parse(line) as ReadTenantOutput;
  }

  function snapshotOf(output: ReadTenantOutput, run = 0): TenantSnapshot {
    const parsed = tenantSnapshotSchema.safeParse(output.runs[run]?.snapshot);
    if (!parsed.success) throw new Error(`snapshot does not fit the contract: ${parsed.error.message}`);
    return parsed.data;
  }

  function account(snapshot: TenantSnapshot, requested: string) {
    const found = snapshot.accounts.find((a) => a.requested === requested);
    if (!found) throw new Error(`no account ${requested} in the snapshot`);
    return found;
  }

  it('reads a full snapshot for two accounts that fits the snapshot contract', async () => {
    graph.scenario.pageSize = 1; // every collection of two or more is paged: nextLink must be followed
    const output = await readTenant([ALPHA.upn, BRAVO.id]);
    const snapshot = snapshotOf(output);

    expect(snapshot).toMatchObject({ schema: 'glasswatch.snapshot.v1', tenantId: TENANT_ID, source: 'graph', initialDomain: { ok: true, value: 'contoso.onmicrosoft.com' } });
    const alpha = account(snapshot, ALPHA.upn);
    expect(alpha.user).toMatchObject({ ok: true, value: { id: ALPHA.id, accountEnabled: true, passwordPolicies: 'DisablePasswordExpiration', onPremisesSyncEnabled: null } });
    expect(alpha.signInActivity).toEqual({ ok: true, value: { lastSignInDateTime: '2021-06-17T16:41:33Z', lastSuccessfulSignInDateTime: null, lastNonInteractiveSignInDateTime: null } });
    expect(alpha.methods.ok && alpha.methods.value.map((m) => [m.type, m.passkeyType])).toEqual([['fido2', 'deviceBound'], ['password', null]]);
    expect(alpha.roles).toEqual({ ok: true, value: [{ roleTemplateId: '62e90394-69f5-4237-9190-012177145e10', kind: 'active', assignmentType: 'Assigned', startDateTime: null, endDateTime: null, memberType: 'Direct', source: 'pim' }] });
    expect(alpha.memberOf).toEqual({ ok: true, value: { groupIds: ['eedad040-3722-4bcb-bde5-bc7c857f4983'], roleTemplateIds: ['62e90394-69f5-4237-9190-012177145e10'] } });
    const bravo = account(snapshot, BRAVO.id);
    expect(bravo.user).toMatchObject({ ok: true, value: { userPrincipalName: BRAVO.upn } });
    expect(bravo.methods.ok && bravo.methods.value.map((m) => m.type)).toEqual(['fido2', 'windowsHelloForBusiness', 'password']);
    expect(snapshot.conditionalAccess.ok && snapshot.conditionalAccess.value.map((p) => p.id)).toEqual(['2b31ac51-b855-40a5-a986-0a4ed23e9008', '10ef4fe6-5e51-4f5e-b5a2-8fed19d0be67']);
    expect(graph.countFor('caPolicies')).toBe(2);
    expect(snapshot.signIns.ok && snapshot.signIns.value.map((r) => [r.upn, r.resultType, r.location, r.authenticationMethod])).toEqual([
      [BRAVO.upn, '50126', 'Redmond, Washington, US', 'FIDO2 security key'],
      [ALPHA.upn, '0', 'Redmond, Washington, US', 'FIDO2 security key'],
    ]);
    expect(snapshot.candidates).toBeUndefined();

    // Every request carried a token; the authority saw only discovery of the tenant and token requests.
    expect(graph.requests.every((r) => r.authorized)).toBe(true);
    expect(logs.queries.every((q) => q.authorized)).toBe(true);
    const seen = [...new Set(entra.requests.map((r) => `${r.method} ${r.path}`))].sort();
    expect(seen).toEqual([`GET /${TENANT_ID}/v2.0/.well-known/openid-configuration`, `POST /${TENANT_ID}/oauth2/v2.0/token`]);
    const scopes = entra.requests.flatMap((r) => (r.form?.scope ? [r.form.scope] : []));
    expect(new Set(scopes)).toEqual(new Set([`${graph.url}/.default`, `${logs.url}/.default`]));
    expect(entra.requests.every((r) => r.form === undefined || (r.form.grant_type === 'client_credentials' && r.form.client_secret === '<present>'))).toBe(true);
    console.log(`authority requests for one snapshot: ${entra.requests.map((r) => `${r.method} ${r.path.replace(TENANT_ID, '{tenant}')}${r.form?.scope ? ` (${r.form.scope.replace(/127\.0\.0\.1:\d+/, 'fake')})` : ''}`).join(', ')}`);
  });

  it('honours a 429 Retry-After on /users: the retry comes after the wait and the snapshot is whole', async () => {
    graph.throttleOnce('user', 2);
    const snapshot = snapshotOf(await readTenant([ALPHA.upn]));
    const tries = graph.requests.filter((r) => r.route === 'user');
    expect(tries.map((r) => r.status)).toEqual([429, 200]);
    const [first, retry] = tries;
    if (!first || !retry) throw new Error('expected two tries');
    expect(retry.at - first.at).toBeGreaterThanOrEqual(2_000);
    expect(retry.retryAttempt).toBe('1');
    expect(account(snapshot, ALPHA.upn).user).toMatchObject({ ok: true, value: { id: ALPHA.id } });
  });

  it('a 403 on Conditional Access makes that section unknown with Policy.Read.All, the rest intact', async () => {
    graph.forbid('caPolicies', 'AccessDenied', 'You cannot perform the requested operation, required scopes are missing in the token.');
    const snapshot = snapshotOf(await readTenant([ALPHA.upn, BRAVO.upn]));
    expect(snapshot.conditionalAccess).toMatchObject({ ok: false, permission: 'Policy.Read.All' });
    expect(snapshot.conditionalAccess.ok || snapshot.conditionalAccess.reason).toMatch(/Conditional Access.*403 AccessDenied.*Policy\.Read\.All/);
    expect(snapshot.initialDomain.ok).toBe(true);
    for (const a of snapshot.accounts) {
      expect([a.user.ok, a.signInActivity.ok, a.methods.ok, a.roles.ok, a.memberOf.ok]).toEqual([true, true, true, true, true]);
    }
    expect(snapshot.signIns.ok).toBe(true);
  });

  it('a user Graph does not know (404) is value null, and nothing more is asked about it', async () => {
    const snapshot = snapshotOf(await readTenant(['gone@contoso.onmicrosoft.com', ALPHA.upn]));
    const gone = account(snapshot, 'gone@contoso.onmicrosoft.com');
    expect(gone.user).toEqual({ ok: true, value: null });
    expect(gone.methods).toEqual({ ok: false, reason: 'Not read: the account does not resolve.' });
    expect(graph.requests.filter((r) => r.path.includes('gone')).map((r) => [r.route, r.status])).toEqual([['user', 404]]);
    expect(account(snapshot, ALPHA.upn).methods.ok).toBe(true);
  });

  it('falls back to roleAssignments when PIM answers 403 (no Entra ID P2), and says where roles came from', async () => {
    graph.forbid('assignmentInstances', 'AadPremiumLicenseRequired', 'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.');
    graph.forbid('eligibilityInstances', 'AadPremiumLicenseRequired', 'The tenant needs to have Microsoft Entra ID P2 or Microsoft Entra ID Governance license.');
    const snapshot = snapshotOf(await readTenant([ALPHA.upn]));
    expect(account(snapshot, ALPHA.upn).roles).toEqual({
      ok: true,
      value: [{ roleTemplateId: '62e90394-69f5-4237-9190-012177145e10', kind: 'active', assignmentType: null, startDateTime: null, endDateTime: null, memberType: null, source: 'roleAssignments' }],
    });
    expect(graph.countFor('roleAssignments')).toBe(1);
  });

  it('Log Analytics refusing the query makes signIns unknown with the role to grant', async () => {
    logs.forbid();
    const snapshot = snapshotOf(await readTenant([ALPHA.upn]));
    expect(snapshot.signIns).toMatchObject({ ok: false, permission: 'Log Analytics Reader on the workspace' });
    expect(account(snapshot, ALPHA.upn).methods.ok).toBe(true);
  });

  it('an account name built to inject KQL reaches Log Analytics as one escaped string', async () => {
    const since = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const until = new Date().toISOString();
    const output = await readTenant([ALPHA.upn, INJECTION], { READ_TENANT_SIGNINS: `${since}/${until}` });
    const snapshot = snapshotOf(output);
    expect(account(snapshot, INJECTION).user).toEqual({ ok: true, value: null });
    expect(graph.requests.some((r) => r.path.includes('1==1') || r.query.includes('1==1'))).toBe(false);

    expect(logs.queries.length).toBe(2);
    for (const { query } of logs.queries) {
      expect(accountsIn(query)).toContain(INJECTION);
      expect(query).toContain(JSON.stringify(INJECTION));
      const outsideLiterals = query.replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, '<str>');
      expect(outsideLiterals).not.toContain('1==1');
      expect(outsideLiterals.match(/union/g)).toHaveLength(1);
    }
    console.log(`KQL sent for the injection attempt:\n${logs.queries[1]?.query.split('\n')[0] ?? ''}`);
    expect(output.signIns).toMatchObject({ ok: true, value: [{ upn: ALPHA.upn }] });
  });

  it('counts Graph requests: one snapshot of two accounts cold, then none warm within the cache TTL', async () => {
    const output = await readTenant([ALPHA.upn, BRAVO.upn], { READ_TENANT_SNAPSHOTS: '2' });
    const cold = output.runs[0]?.graphRequestsSoFar ?? Number.NaN;
    const warm = (output.runs[1]?.graphRequestsSoFar ?? Number.NaN) - cold;
    const byRoute = [...new Set(graph.requests.map((r) => r.route))].map((route) => `${route} ${graph.requests.filter((r) => r.route === route).length}`);
    console.log(`Graph requests for two accounts: cold ${cold} (${byRoute.join(', ')}; ${output.runs[0]?.ms ?? '?'} ms), warm ${warm} (${output.runs[1]?.ms ?? '?'} ms); Log Analytics queries ${logs.queries.length}; token requests ${entra.requests.filter((r) => r.method === 'POST').length}`);
    // organization 1 + Conditional Access 1 + per account (user, signInActivity, methods, 2 × PIM, transitiveMemberOf) 6.
    expect(cold).toBeLessThanOrEqual(14);
    expect(graph.countFor('organization')).toBe(1);
    expect(graph.countFor('caPolicies')).toBe(1);
    expect(warm).toBe(0);
    expect(logs.queries.length).toBe(1);
    expect(snapshotOf(output, 1)).toEqual({ ...snapshotOf(output, 0), takenAt: snapshotOf(output, 1).takenAt });
  });

  it('paces Conditional Access to one request a second per tenant and queues signInActivity, even with the cache off', async () => {
    const output = await readTenant([ALPHA.upn], { READ_TENANT_SNAPSHOTS: '3', READ_TENANT_CACHE_TTL_MS: '0' });
    const reads = graph.requests.filter((r) => r.route === 'caPolicies');
    expect(reads).toHaveLength(3);
    // Compare the 2nd and 3rd reads: the 1st also waited for the first token, which skews its arrival.
    const [, second, third] = reads;
    if (!second || !third) throw new Error('expected three reads');
    expect(third.at - second.at).toBeGreaterThanOrEqual(950);
    // signInActivity's bucket (2 at once, then one every 6 s) made the third snapshot wait, not fail.
    expect(graph.countFor('signInActivity')).toBe(3);
    expect(output.runs.map((run) => snapshotOf({ ...output, runs: [run] }).accounts[0]?.signInActivity.ok)).toEqual([true, true, true]);
    console.log(`snapshot durations with the cache off: ${output.runs.map((run) => `${run.ms} ms`).join(', ')}`);
  });

  it('with no accounts configured, proposes permanent Global Administrators with only phishing-resistant methods', async () => {
    const snapshot = snapshotOf(await readTenant([]));
    expect(snapshot.accounts).toEqual([]);
    expect(snapshot.candidates).toEqual({ ok: true, value: [{ id: ALPHA.id, userPrincipalName: ALPHA.upn }, { id: BRAVO.id, userPrincipalName: BRAVO.upn }] });
    expect(snapshot.signIns).toEqual({ ok: true, value: [] });
  });
});
