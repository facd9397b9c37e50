import { describe, expect, it } from 'vitest';
import { bg01 } from '../../../bot/posture/checks/bg-01.js';
import { bg11 } from '../../../bot/posture/checks/bg-11.js';
import { account, context, only, snapshot, unknown, upn } from '../../support/snapshot-builder.js';

describe('BG-01 two configured accounts that resolve', () => {
  it('passes with two accounts that both resolve', () => {
    const finding = only(bg01(snapshot(), context()), '*');
    expect(finding).toMatchObject({ id: 'BG-01', status: 'pass', fix: '' });
    expect(finding.evidence).toContain(upn(2));
  });

  it('fails with a single configured account', () => {
    const finding = only(bg01(snapshot({ accounts: [account(1)] }), context({ accounts: [upn(1)] })), '*');
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toMatch(/Only 1 account is configured/);
    expect(finding.fix).not.toBe('');
  });

  it('counts an account configured twice (different case) once', () => {
    const finding = only(bg01(snapshot(), context({ accounts: [upn(1), upn(1).toUpperCase()] })), '*');
    expect(finding.status).toBe('fail');
  });

  it('fails when a configured account does not resolve, naming it', () => {
    const snap = snapshot({ accounts: [account(1), account(2, { requested: 'gone@fabrikam.onmicrosoft.com', user: null })] });
    const finding = only(bg01(snap, context({ accounts: [upn(1), 'gone@fabrikam.onmicrosoft.com'] })), '*');
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('gone@fabrikam.onmicrosoft.com does not resolve');
  });

  it('fails when none is configured, listing the candidates', () => {
    const snap = snapshot({ accounts: [], candidates: { ok: true, value: [{ id: 'c1', userPrincipalName: 'cand@fabrikam.onmicrosoft.com' }] } });
    const finding = only(bg01(snap, context({ accounts: [] })), '*');
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('cand@fabrikam.onmicrosoft.com');
  });

  it('fails when none is configured and says why candidates are missing', () => {
    const snap = snapshot({ accounts: [], candidates: unknown('roles unreadable', 'RoleManagement.Read.Directory') });
    expect(only(bg01(snap, context({ accounts: [] })), '*').evidence).toContain('roles unreadable');
  });

  it('is unknown (never pass) when an account cannot be read, naming the permission in the fix', () => {
    const snap = snapshot({ accounts: [account(1), account(2, { user: unknown('403 Forbidden reading the user', 'User.Read.All') })] });
    const finding = only(bg01(snap, context()), '*');
    expect(finding.status).toBe('unknown');
    expect(finding.evidence).toContain('403 Forbidden');
    expect(finding.fix).toContain('User.Read.All');
  });

  it('is unknown when a configured account is absent from the snapshot', () => {
    const finding = only(bg01(snapshot({ accounts: [account(1)] }), context()), '*');
    expect(finding.status).toBe('unknown');
    expect(finding.evidence).toContain('not in the tenant snapshot');
  });

  it('matches a configured object id to the snapshot entry', () => {
    const finding = only(bg01(snapshot(), context({ accounts: ['00000000-0000-4000-8000-000000000001', upn(2)] })), '*');
    expect(finding.status).toBe('pass');
  });
});

describe('BG-11 alerting is live', () => {
  it('passes with an alert inside the window', () => {
    expect(only(bg11(snapshot(), context()), '*').status).toBe('pass');
  });

  it('fails when the last alert is older than the window, with its date', () => {
    const finding = only(bg11(snapshot(), context({ lastAlertAt: '2026-01-02T03:04:05Z' })), '*');
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('2026-01-02 03:04 UTC');
  });

  it('warns when no alert ever arrived', () => {
    const finding = only(bg11(snapshot(), context({ lastAlertAt: undefined })), '*');
    expect(finding.status).toBe('warn');
    expect(finding.evidence).toContain('glasswatch simulate');
  });

  it('respects the configured window', () => {
    expect(only(bg11(snapshot(), context({ alertingWindowMs: 3_600_000 })), '*').status).toBe('fail');
  });
});
