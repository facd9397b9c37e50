import { describe, expect, it } from 'vitest';
import { bg09 } from '../../../bot/posture/checks/bg-09.js';
import { bg12 } from '../../../bot/posture/checks/bg-12.js';
import { account, context, only, signIn, snapshot, unknown, upn, type AccountPatch, type SnapshotPatch } from '../../support/snapshot-builder.js';

const tenant = (patch: AccountPatch, rest: SnapshotPatch = {}) => snapshot({ accounts: [account(1, patch), account(2)], ...rest });

describe('BG-09 password', () => {
  it('passes a non-expiring password changed after the last sign-in', () => {
    const finding = only(bg09(snapshot(), context()));
    expect(finding.status).toBe('pass');
    expect(finding.evidence).toContain('after the last sign-in');
  });

  it('fails a password that can expire', () => {
    const finding = only(bg09(tenant({ user: { passwordPolicies: null } }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('can expire');
  });

  it('accepts DisablePasswordExpiration among other policies', () => {
    expect(only(bg09(tenant({ user: { passwordPolicies: 'DisableStrongPassword, DisablePasswordExpiration' } }), context())).status).toBe('pass');
  });

  it('fails a password older than the last sign-in (signInActivity): rotate after every use', () => {
    const finding = only(bg09(tenant({ signInActivity: { lastSuccessfulSignInDateTime: '2026-09-15T08:00:00Z' } }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('rotate after every use');
    expect(finding.evidence).toContain('2026-09-15 08:00 UTC');
  });

  it('fails a password older than the newest successful sign-in row even when signInActivity is unknown', () => {
    const finding = only(bg09(tenant({ signInActivity: unknown('no P1 licence', 'AuditLog.Read.All') }, { signIns: [signIn(1, '2026-11-01T10:00:00Z')] }), context()));
    expect(finding.status).toBe('fail');
  });

  it('ignores failed sign-ins as a use of the password', () => {
    const rows = [signIn(1, '2026-11-01T10:00:00Z', { resultType: '50126' })];
    expect(only(bg09(snapshot({ signIns: rows }), context())).status).toBe('pass');
  });

  it('is unknown when signInActivity is unknown and there are no rows, naming AuditLog.Read.All and P1', () => {
    const finding = only(bg09(tenant({ signInActivity: unknown('403 Forbidden', 'AuditLog.Read.All') }), context()));
    expect(finding.status).toBe('unknown');
    expect(finding.evidence).toContain('AuditLog.Read.All');
    expect(finding.evidence).toContain('P1');
  });

  it('still fails an expiring password when the sign-ins are unknown', () => {
    const snap = tenant({ user: { passwordPolicies: 'None' }, signInActivity: unknown('403') }, { signIns: unknown('no workspace') });
    expect(only(bg09(snap, context())).status).toBe('fail');
  });

  it('passes an account that never signed in', () => {
    expect(only(bg09(tenant({ signInActivity: { lastSuccessfulSignInDateTime: null } }), context())).status).toBe('pass');
  });

  it('treats Graph\'s "0001-01-01" placeholder as never', () => {
    expect(only(bg09(tenant({ signInActivity: { lastSuccessfulSignInDateTime: '0001-01-01T00:00:00Z' } }), context())).status).toBe('pass');
  });
});

describe('BG-12 sign-ins accounted for', () => {
  it('passes with no successful sign-in in the window', () => {
    expect(only(bg12(snapshot(), context())).status).toBe('pass');
  });

  it('fails an unaccounted successful sign-in, naming its time and IP', () => {
    const rows = [signIn(1, '2026-11-20T22:47:09Z', { ipAddress: '203.0.113.9' })];
    const finding = only(bg12(snapshot({ signIns: rows }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('2026-11-20 22:47 UTC from 203.0.113.9');
  });

  it('passes when a drill or resolved incident covers the sign-in', () => {
    const rows = [signIn(1, '2026-11-20T22:47:09Z')];
    const accounted = [{ account: upn(1).toUpperCase(), from: '2026-11-20T22:00:00Z', to: '2026-11-20T23:00:00Z', resolution: 'drill' }];
    const finding = only(bg12(snapshot({ signIns: rows }), context({ accountedSignIns: accounted })));
    expect(finding.status).toBe('pass');
    expect(finding.evidence).toContain('all covered');
  });

  it("does not let another account's window cover the sign-in", () => {
    const rows = [signIn(1, '2026-11-20T22:47:09Z')];
    const accounted = [{ account: upn(2), from: '2026-11-20T22:00:00Z', to: '2026-11-20T23:00:00Z' }];
    expect(only(bg12(snapshot({ signIns: rows }), context({ accountedSignIns: accounted }))).status).toBe('fail');
  });

  it('only looks at sign-ins since the last review', () => {
    const rows = [signIn(1, '2026-11-20T22:47:09Z')];
    expect(only(bg12(snapshot({ signIns: rows }), context({ lastReviewAt: '2026-11-21T00:00:00Z' }))).status).toBe('pass');
    expect(only(bg12(snapshot({ signIns: rows }), context({ lastReviewAt: '2026-11-19T00:00:00Z' }))).status).toBe('fail');
  });

  it('ignores failed sign-ins and other accounts\' rows', () => {
    const rows = [signIn(1, '2026-11-20T22:47:09Z', { resultType: '50126' }), signIn(2, '2026-11-20T22:50:00Z')];
    expect(only(bg12(snapshot({ signIns: rows }), context())).status).toBe('pass');
  });

  it('fails on signInActivity alone when it shows an unaccounted sign-in', () => {
    const finding = only(bg12(tenant({ signInActivity: { lastSuccessfulSignInDateTime: '2026-11-10T05:00:00Z' } }, { signIns: unknown('no workspace') }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('signInActivity');
  });

  it('is unknown, not pass, when only signInActivity is known and its last sign-in is accounted for', () => {
    const accounted = [{ account: upn(1), from: '2026-11-10T04:00:00Z', to: '2026-11-10T06:00:00Z' }];
    const snap = tenant({ signInActivity: { lastSuccessfulSignInDateTime: '2026-11-10T05:00:00Z' } }, { signIns: unknown('no workspace') });
    expect(only(bg12(snap, context({ accountedSignIns: accounted }))).status).toBe('unknown');
  });

  it('is unknown naming both sources when neither is readable', () => {
    const finding = only(bg12(tenant({ signInActivity: unknown('403') }, { signIns: unknown('LOG_ANALYTICS_WORKSPACE_ID is not set') }), context()));
    expect(finding.status).toBe('unknown');
    expect(finding.evidence).toContain('LOG_ANALYTICS_WORKSPACE_ID');
    expect(finding.evidence).toContain('AuditLog.Read.All');
  });

  it('does not count one sign-in twice when signInActivity and a row agree', () => {
    const snap = tenant({ signInActivity: { lastSuccessfulSignInDateTime: '2026-11-20T22:47:30Z' } }, { signIns: [signIn(1, '2026-11-20T22:47:09Z')] });
    expect(only(bg12(snap, context())).evidence).toMatch(/^1 successful sign-in /);
  });
});
