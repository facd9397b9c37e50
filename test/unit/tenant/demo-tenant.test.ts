import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { evaluatePosture } from '../../../bot/posture/evaluate.js';
import { DEMO_ACCOUNTS, demoTenantReader } from '../../../bot/tenant/demo-tenant.js';
import { tenantSnapshotSchema } from '../../../bot/tenant/tenant-snapshot.js';
import { context } from '../../support/snapshot-builder.js';

const DEMO_FILE = fileURLToPath(new URL('../../../bot/tenant/demo-snapshot.json', import.meta.url));
const [healthy = '', troubled = ''] = DEMO_ACCOUNTS;

describe('the demo tenant', () => {
  it('is a valid snapshot', () => {
    const parsed = tenantSnapshotSchema.safeParse(JSON.parse(readFileSync(DEMO_FILE, 'utf8')));
    expect(parsed.success ? [] : parsed.error.issues).toEqual([]);
  });

  it('reads as source "demo" with both accounts', async () => {
    const snap = await demoTenantReader().snapshot(DEMO_ACCOUNTS);
    expect(snap.source).toBe('demo');
    expect(snap.accounts.map((a) => a.requested)).toEqual([...DEMO_ACCOUNTS]);
  });

  it('has a healthy first account and the usual problems on the second', async () => {
    const now = new Date('2026-11-21T08:00:00Z');
    const snap = await demoTenantReader().snapshot(DEMO_ACCOUNTS);
    const findings = evaluatePosture(snap, context({ now, accounts: [...DEMO_ACCOUNTS], lastDrill: { [healthy]: '2026-10-01T00:00:00Z' } }));
    const statuses = (upn: string) => Object.fromEntries(findings.filter((f) => f.account === upn).map((f) => [f.id, f.status]));
    expect(Object.values(statuses(healthy)).every((s) => s === 'pass')).toBe(true);
    expect(statuses(troubled)).toMatchObject({ 'BG-05': 'fail', 'BG-06': 'warn', 'BG-07': 'fail', 'BG-08': 'fail', 'BG-09': 'fail', 'BG-10': 'fail', 'BG-12': 'fail' });
    expect(findings.find((f) => f.account === troubled && f.id === 'BG-08')?.evidence).toContain('Block legacy authentication');
  });

  it('moves its times to the clock it is given', async () => {
    const snap = await demoTenantReader({ now: () => new Date('2027-03-01T08:00:00Z') }).snapshot(DEMO_ACCOUNTS);
    expect(snap.takenAt).toBe('2027-03-01T08:00:00.000Z');
    // The troubled account's sign-in was two days before the snapshot; it stays two days before.
    expect(snap.signIns.ok && snap.signIns.value[0]?.time).toBe('2027-02-27T22:47:09.000Z');
  });
});
