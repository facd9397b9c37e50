import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeEntra, type FakeEntra } from '../fakes/fake-entra.js';
import { ALPHA, BRAVO, startFakeGraph, type FakeGraph } from '../fakes/fake-graph.js';
import { startFakeLogAnalytics, type FakeLogAnalytics } from '../fakes/fake-log-analytics.js';
import { testTls } from '../fakes/tls.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * `glasswatch check` as a pipeline runs it: no snapshot, a read-only identity, the real
 * @azure/identity, Graph and Log Analytics clients over https against the fakes.
 */
describe('glasswatch check against the live readers', () => {
  let entra: FakeEntra;
  let graph: FakeGraph;
  let logs: FakeLogAnalytics;

  beforeAll(async () => {
    [entra, graph, logs] = await Promise.all([startFakeEntra(), startFakeGraph(), startFakeLogAnalytics()]);
  });

  afterAll(async () => {
    await Promise.all([entra.close(), graph.close(), logs.close()]);
  });

  function check(format: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli.ts', 'check', '--format', format, '--accounts', `${ALPHA.upn},${BRAVO.upn}`], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          NODE_EXTRA_CA_CERTS: testTls().certPath,
          AZURE_TENANT_ID: '7d0c6b1a-2f3e-4d5c-9b8a-1e2f3a4b5c6d',
          AZURE_CLIENT_ID: '3f1e2d4c-5b6a-4798-8a9b-0c1d2e3f4a5b',
          AZURE_CLIENT_SECRET: 'fake-secret-value',
          AZURE_AUTHORITY_HOST: entra.url,
          GRAPH_ENDPOINT: graph.url,
          LOG_ANALYTICS_ENDPOINT: logs.url,
          LOG_ANALYTICS_WORKSPACE_ID: logs.workspaceId,
        },
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      child.on('close', (status) => resolve({ status, stdout, stderr }));
    });
  }

  it('reads the tenant through Graph and answers in json, table and junit with the contract exit code', async () => {
    const json = await check('json');
    expect([0, 1]).toContain(json.status);
    const report = JSON.parse(json.stdout) as { tenantId: string; findings: { id: string; account: string; status: string; evidence: string; fix: string }[] };
    expect(report.tenantId).toBe('7d0c6b1a-2f3e-4d5c-9b8a-1e2f3a4b5c6d');
    expect(report.findings.map((f) => f.account)).toEqual(expect.arrayContaining(['*', ALPHA.upn, BRAVO.upn]));
    expect(json.status).toBe(report.findings.some((f) => f.status === 'fail') ? 1 : 0);
    // Read through the fake Graph, not a file: the requests carried the credential's token.
    expect(graph.requests.length).toBeGreaterThan(0);
    expect(graph.requests.every((r) => r.authorized)).toBe(true);

    const table = await check('table');
    expect(table.status).toBe(json.status);
    expect(table.stdout).toContain(ALPHA.upn);
    const junit = await check('junit');
    expect(junit.status).toBe(json.status);
    expect(junit.stdout).toMatch(/<testsuite name="glasswatch"[^>]*>/);
  });

  it('turns a missing Conditional Access permission into unknown naming Policy.Read.All, never a pass', async () => {
    graph.forbid('caPolicies');
    const json = await check('json');
    const report = JSON.parse(json.stdout) as { findings: { id: string; status: string; evidence: string; fix: string }[] };
    const bg08 = report.findings.filter((f) => f.id === 'BG-08');
    expect(bg08.length).toBe(2);
    for (const finding of bg08) {
      expect(finding.status).toBe('unknown');
      expect(`${finding.evidence} ${finding.fix}`).toContain('Policy.Read.All');
    }
  });
});
