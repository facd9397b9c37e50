import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { writeSnapshotFile } from '../../bot/tenant/snapshot-file.js';
import { runCli } from '../support/run-cli.js';
import { account, snapshot, unknown, upn } from '../support/snapshot-builder.js';
import { tempDir } from '../support/temp-dir.js';

const DEMO = fileURLToPath(new URL('../../bot/tenant/demo-snapshot.json', import.meta.url));

let dir: { path: string; remove: () => void };
let healthy: string;
let broken: string;
let unreadable: string;

beforeAll(() => {
  dir = tempDir('glasswatch-check-');
  healthy = join(dir.path, 'healthy.json');
  broken = join(dir.path, 'broken.json');
  unreadable = join(dir.path, 'unreadable.json');
  // Passing checks only, apart from what `check` cannot know without the bot's store (BG-10, BG-11).
  writeSnapshotFile(healthy, snapshot({ signIns: [] }));
  writeFileSync(broken, JSON.stringify({ ...snapshot(), tenantId: 7 }));
  writeSnapshotFile(unreadable, snapshot({ accounts: [account(1, { user: unknown('403 Forbidden reading /users', 'User.Read.All') }), account(2)] }));
});
afterAll(() => dir.remove());

const reportSchema = z
  .object({
    tenantId: z.string(),
    evaluatedAt: z.string(),
    findings: z.array(
      z.object({ id: z.string(), account: z.string(), status: z.enum(['pass', 'fail', 'warn', 'unknown']), evidence: z.string(), fix: z.string() }).strict(),
    ),
  })
  .strict();

/** The report, checked against the public contract: no key more, none less. */
function parseJson(text: string): z.infer<typeof reportSchema> {
  return reportSchema.parse(JSON.parse(text));
}

describe('glasswatch check', () => {
  it('exits 0 and prints the exact JSON shape when nothing failed', () => {
    const run = runCli(['check', '--snapshot', healthy, '--format', 'json']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const raw: unknown = JSON.parse(run.stdout);
    // Key order is part of the contract too (people diff these files).
    expect(Object.keys(z.record(z.unknown()).parse(raw))).toEqual(['tenantId', 'evaluatedAt', 'findings']);
    const report = parseJson(run.stdout);
    expect(report.tenantId).toBe(snapshot().tenantId);
    expect(Number.isNaN(Date.parse(report.evaluatedAt))).toBe(false);
    expect(report.findings).toHaveLength(22);
    const rawFindings = z.object({ findings: z.array(z.record(z.unknown())) }).parse(raw).findings;
    for (const finding of rawFindings) expect(Object.keys(finding)).toEqual(['id', 'account', 'status', 'evidence', 'fix']);
    expect(report.findings.filter((f) => f.status !== 'pass').map((f) => `${String(f.id)}:${String(f.status)}`)).toEqual(['BG-11:warn', 'BG-10:unknown', 'BG-10:unknown']);
  });

  it('on the demo snapshot exits 1 with the second account\'s failures', () => {
    const run = runCli(['check', '--snapshot', DEMO, '--format', 'json']);
    expect(run.status).toBe(1);
    const failed = parseJson(run.stdout).findings.filter((f) => f.status === 'fail');
    expect(new Set(failed.map((f) => f.account))).toEqual(new Set(['bg-admin-02@contoso.onmicrosoft.com']));
    expect(failed.map((f) => f.id)).toEqual(expect.arrayContaining(['BG-05', 'BG-07', 'BG-08', 'BG-09']));
  });

  it('checks only the accounts given with --accounts', () => {
    const run = runCli(['check', '--snapshot', DEMO, '--format', 'json', '--accounts', 'bg-admin-01@contoso.onmicrosoft.com']);
    const report = parseJson(run.stdout);
    expect(new Set(report.findings.map((f) => f.account))).toEqual(new Set(['*', 'bg-admin-01@contoso.onmicrosoft.com']));
    // One account is not enough for BG-01.
    expect(run.status).toBe(1);
    expect(report.findings.find((f) => f.id === 'BG-01')?.status).toBe('fail');
  });

  it('takes the accounts from GLASSWATCH_ACCOUNTS and the snapshot from GLASSWATCH_SNAPSHOT', () => {
    const run = runCli(['check', '--format', 'json'], { GLASSWATCH_SNAPSHOT: healthy, GLASSWATCH_ACCOUNTS: `${upn(1)}, ${upn(2)}` });
    expect(run.status).toBe(0);
    expect(parseJson(run.stdout).findings.filter((f) => f.account === upn(2))).toHaveLength(10);
  });

  it('exits 2 naming the problem for a snapshot that does not validate', () => {
    const run = runCli(['check', '--snapshot', broken]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('tenantId: Expected string, received number');
    expect(run.stdout).toBe('');
  });

  it('exits 2 for a missing snapshot file', () => {
    const run = runCli(['check', '--snapshot', join(dir.path, 'nope.json')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('ENOENT');
  });

  it('exits 2 without a tenant reader, saying what to configure', () => {
    const run = runCli(['check']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no tenant reader: pass --snapshot FILE');
    expect(run.stderr).toContain('AZURE_TENANT_ID');
  });

  it('exits 2 when a permission makes BG-01 impossible, naming it', () => {
    const run = runCli(['check', '--snapshot', unreadable, '--format', 'json']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('User.Read.All');
    expect(parseJson(run.stdout).findings.find((f) => f.id === 'BG-01')?.status).toBe('unknown');
  });

  it('exits 2 for an unknown format', () => {
    const run = runCli(['check', '--snapshot', healthy, '--format', 'yaml']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('use table, json or junit');
  });

  it('prints JUnit XML: one suite, a case per finding, failure / skipped / output by status', () => {
    const run = runCli(['check', '--snapshot', DEMO, '--format', 'junit']);
    expect(run.status).toBe(1);
    const xml = run.stdout;
    expect(xml.startsWith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuite name="glasswatch" tests="22" ')).toBe(true);
    expect(xml.match(/<testsuite /g)).toHaveLength(1);
    expect(xml.trimEnd().endsWith('</testsuite>')).toBe(true);
    const cases = [...xml.matchAll(/<testcase classname="([^"]*)" name="([^"]*)">([\s\S]*?)<\/testcase>/g)];
    expect(cases).toHaveLength(22);
    const failures = cases.filter(([, , , body]) => body?.includes('<failure '));
    expect(failures.map(([, classname, name]) => `${classname}/${name}`)).toContain('bg-admin-02@contoso.onmicrosoft.com/BG-05');
    expect(xml).toMatch(/failures="(\d+)"/);
    expect(Number(xml.match(/failures="(\d+)"/)?.[1])).toBe(failures.length);
    expect(cases.filter(([, , , body]) => body?.includes('<skipped ')).length).toBe(Number(xml.match(/skipped="(\d+)"/)?.[1]));
    expect(xml).toContain('&quot;CA002: Block legacy authentication&quot;');
    // Every tag balances and no raw quote or ampersand escapes an attribute.
    const text = xml.replace(/<\?xml[^>]*\?>/, '');
    expect((text.match(/<testcase /g) ?? []).length).toBe((text.match(/<\/testcase>/g) ?? []).length);
    expect(text).not.toMatch(/&(?!amp;|lt;|gt;|quot;|apos;|#\d+;)/);
  });

  it('escapes hostile account data in JUnit and the table', () => {
    const hostile = join(dir.path, 'hostile.json');
    const name = 'x"<y>&\u0007@fabrikam.onmicrosoft.com';
    writeSnapshotFile(hostile, snapshot({ accounts: [account(1, { requested: name, user: { userPrincipalName: name } }), account(2)] }));
    const junit = runCli(['check', '--snapshot', hostile, '--format', 'junit']).stdout;
    expect(junit).toContain('classname="x&quot;&lt;y&gt;&amp;\uFFFD@fabrikam.onmicrosoft.com"');
    const table = runCli(['check', '--snapshot', hostile]).stdout;
    expect(table).not.toContain('\u0007');
  });

  it('prints an aligned table with a verdict per account and a summary line', () => {
    const run = runCli(['check', '--snapshot', DEMO]);
    expect(run.status).toBe(1);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^ID {5}ACCOUNT {2,}STATUS {3}EVIDENCE$/);
    const statusColumn = lines[0]?.indexOf('STATUS') ?? -1;
    const rows = lines.filter((line) => /^BG-\d\d /.test(line));
    expect(rows).toHaveLength(22);
    for (const row of rows) expect(row.slice(statusColumn)).toMatch(/^(PASS|FAIL|WARN|UNKNOWN) /);
    expect(lines).toContain('FAIL     bg-admin-02@contoso.onmicrosoft.com');
    expect(run.stdout).toMatch(/22 findings for tenant 5b2f0c3e-8d1a-4f6e-9c27-3e8a1d4b7f60 at .*: \d+ pass, \d+ fail, \d+ warn, \d+ unknown\./);
  });
});

describe('glasswatch snapshot export', () => {
  it('re-exports the configured snapshot for the accounts asked, atomically', () => {
    const out = join(dir.path, 'exported.json');
    const run = runCli(['snapshot', 'export', '--out', out, '--accounts', 'bg-admin-02@contoso.onmicrosoft.com'], { GLASSWATCH_SNAPSHOT: DEMO });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('1 account(s)');
    const check = runCli(['check', '--snapshot', out, '--format', 'json']);
    expect(new Set(parseJson(check.stdout).findings.map((f) => f.account))).toEqual(new Set(['*', 'bg-admin-02@contoso.onmicrosoft.com']));
  });

  it('exits 2 without --out or without a tenant reader', () => {
    expect(runCli(['snapshot', 'export'], { GLASSWATCH_SNAPSHOT: DEMO }).status).toBe(2);
    const run = runCli(['snapshot', 'export', '--out', join(dir.path, 'x.json')]);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no tenant reader');
  });
});
