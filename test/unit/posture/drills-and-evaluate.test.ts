import { describe, expect, it } from 'vitest';
import { bg10 } from '../../../bot/posture/checks/bg-10.js';
import { CHECKS, evaluatePosture } from '../../../bot/posture/evaluate.js';
import type { Finding } from '../../../bot/posture/finding.js';
import { verdict, verdictsByAccount } from '../../../bot/posture/verdict.js';
import { account, context, only, snapshot, unknown, upn, userId } from '../../support/snapshot-builder.js';

describe('BG-10 validated within 90 days', () => {
  it('passes a drill inside 90 days', () => {
    expect(only(bg10(snapshot(), context())).status).toBe('pass');
  });

  it('fails an older drill, with its date', () => {
    const finding = only(bg10(snapshot(), context({ lastDrill: { [upn(1)]: '2026-07-01T10:00:00Z' } })));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('2026-07-01 10:00 UTC');
  });

  it('finds a drill recorded under the object id', () => {
    expect(only(bg10(snapshot(), context({ lastDrill: { [userId(1)]: '2026-11-01T10:00:00Z' } }))).status).toBe('pass');
  });

  it('fails an account with no completed drill when drills are recorded', () => {
    const finding = only(bg10(snapshot(), context({ lastDrill: {} })));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toBe('No completed drill recorded by Glasswatch.');
  });

  it('is unknown while drills are not recorded', () => {
    const finding = only(bg10(snapshot(), context({ lastDrill: undefined })));
    expect(finding.status).toBe('unknown');
    expect(finding.evidence).toContain('not recorded yet');
  });
});

describe('evaluatePosture', () => {
  it('runs all twelve checks: 2 tenant-wide + 10 per account', () => {
    const findings = evaluatePosture(snapshot(), context());
    expect(CHECKS).toHaveLength(12);
    expect(findings).toHaveLength(2 + 10 * 2);
    expect(findings.every((finding) => finding.status === 'pass')).toBe(true);
  });

  it('orders tenant-wide first, then accounts in configured order, then by id', () => {
    const findings = evaluatePosture(snapshot(), context({ accounts: [upn(2), upn(1)] }));
    const order = findings.map((finding) => `${finding.account}:${finding.id}`);
    expect(order.slice(0, 3)).toEqual(['*:BG-01', '*:BG-11', `${upn(2)}:BG-02`]);
    expect(order.at(-1)).toBe(`${upn(1)}:BG-12`);
    const perAccount = findings.filter((finding) => finding.account === upn(2)).map((finding) => finding.id);
    expect(perAccount).toEqual(['BG-02', 'BG-03', 'BG-04', 'BG-05', 'BG-06', 'BG-07', 'BG-08', 'BG-09', 'BG-10', 'BG-12']);
  });

  it('a missing account fails BG-01 and leaves its other checks unknown', () => {
    const snap = snapshot({ accounts: [account(1), account(2, { user: null })] });
    const findings = evaluatePosture(snap, context());
    expect(findings.find((finding) => finding.id === 'BG-01')?.status).toBe('fail');
    const missing = findings.filter((finding) => finding.account === upn(2));
    expect(missing).toHaveLength(10);
    expect(missing.every((finding) => finding.status === 'unknown' && finding.evidence.includes('does not resolve'))).toBe(true);
  });

  it('never passes a fix along with a passing finding, and gives one for everything else', () => {
    const snap = snapshot({ accounts: [account(1, { user: { accountEnabled: false, onPremisesSyncEnabled: true }, methods: unknown('403') }), account(2)] });
    for (const finding of evaluatePosture(snap, context({ lastAlertAt: undefined }))) {
      if (finding.status === 'pass') expect(finding.fix).toBe('');
      else expect(finding.fix.length).toBeGreaterThan(10);
    }
  });
});

describe('verdict', () => {
  const f = (status: Finding['status'], account = 'a'): Finding => ({ id: 'BG-02', account, status, evidence: '', fix: '' });

  it('fail beats warn beats unknown beats pass', () => {
    expect(verdict([f('pass'), f('unknown'), f('warn'), f('fail')])).toBe('fail');
    expect(verdict([f('pass'), f('unknown'), f('warn')])).toBe('warn');
    expect(verdict([f('pass'), f('unknown')])).toBe('unknown');
    expect(verdict([f('pass')])).toBe('pass');
  });

  it('gives one line per account in order of appearance, with the ids behind it', () => {
    const lines = verdictsByAccount([f('pass', '*'), f('fail', 'x'), f('unknown', 'y')]);
    expect(lines).toEqual([
      { account: '*', status: 'pass', failed: [], warned: [], unknown: [] },
      { account: 'x', status: 'fail', failed: ['BG-02'], warned: [], unknown: [] },
      { account: 'y', status: 'unknown', failed: [], warned: [], unknown: ['BG-02'] },
    ]);
  });
});
