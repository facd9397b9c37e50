import { describe, expect, it } from 'vitest';
import { bg02 } from '../../../bot/posture/checks/bg-02.js';
import { bg03 } from '../../../bot/posture/checks/bg-03.js';
import { bg04 } from '../../../bot/posture/checks/bg-04.js';
import { bg05 } from '../../../bot/posture/checks/bg-05.js';
import { bg06 } from '../../../bot/posture/checks/bg-06.js';
import { bg07 } from '../../../bot/posture/checks/bg-07.js';
import {
  account,
  context,
  deviceBoundKey,
  globalAdmin,
  method,
  only,
  snapshot,
  syncedPasskey,
  unknown,
  upn,
} from '../../support/snapshot-builder.js';

const one = (patch: Parameters<typeof account>[1]) => snapshot({ accounts: [account(1, patch), account(2)] });

describe('BG-02 cloud-only', () => {
  it('passes a cloud-only account', () => {
    expect(only(bg02(snapshot(), context())).status).toBe('pass');
  });
  it('fails an account synchronised from on-premises', () => {
    const finding = only(bg02(one({ user: { onPremisesSyncEnabled: true } }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('on-premises');
  });
});

describe('BG-03 initial domain', () => {
  it('passes a UPN on the initial domain, whatever the case', () => {
    expect(only(bg03(one({ user: { userPrincipalName: 'BG-1@Fabrikam.OnMicrosoft.com' } }), context()), 'BG-1@Fabrikam.OnMicrosoft.com').status).toBe('pass');
  });
  it('fails a custom-domain UPN', () => {
    const finding = only(bg03(one({ user: { userPrincipalName: 'breakglass@fabrikam.com' } }), context()), 'breakglass@fabrikam.com');
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('fabrikam.onmicrosoft.com');
  });
  it('fails a UPN on another tenant\'s onmicrosoft domain', () => {
    expect(only(bg03(one({ user: { userPrincipalName: 'bg@contoso.onmicrosoft.com' } }), context()), 'bg@contoso.onmicrosoft.com').status).toBe('fail');
  });
  it('is unknown when the initial domain is unknown', () => {
    const finding = only(bg03(snapshot({ initialDomain: unknown('organization not readable', 'Organization.Read.All') }), context()));
    expect(finding.status).toBe('unknown');
    expect(finding.fix).toContain('Organization.Read.All');
  });
});

describe('BG-04 enabled', () => {
  it('passes an enabled account and fails a disabled one', () => {
    expect(only(bg04(snapshot(), context())).status).toBe('pass');
    expect(only(bg04(one({ user: { accountEnabled: false } }), context())).status).toBe('fail');
  });
});

describe('BG-05 permanent, active Global Administrator', () => {
  it('passes a direct, permanent, active assignment', () => {
    expect(only(bg05(snapshot(), context())).status).toBe('pass');
  });
  it('fails a PIM-eligible assignment', () => {
    const finding = only(bg05(one({ roles: [globalAdmin({ kind: 'eligible', assignmentType: null })] }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('PIM-eligible');
  });
  it('fails a time-bound active assignment, with its end', () => {
    const finding = only(bg05(one({ roles: [globalAdmin({ endDateTime: '2027-01-31T00:00:00Z' })] }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('time-bound');
    expect(finding.evidence).toContain('2027-01-31 00:00 UTC');
  });
  it('fails when the role is only a temporary PIM activation', () => {
    const finding = only(bg05(one({ roles: [globalAdmin({ assignmentType: 'Activated', endDateTime: '2026-11-22T20:00:00Z' }), globalAdmin({ kind: 'eligible', assignmentType: null })] }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('temporary PIM activation');
  });
  it('warns when the role comes through a group', () => {
    const finding = only(bg05(one({ roles: [globalAdmin({ memberType: 'Group' })] }), context()));
    expect(finding.status).toBe('warn');
    expect(finding.evidence).toContain("group's owners");
  });
  it('passes when a direct permanent assignment exists beside an eligible one', () => {
    expect(only(bg05(one({ roles: [globalAdmin({ kind: 'eligible' }), globalAdmin()] }), context())).status).toBe('pass');
  });
  it('fails an account with another role but not Global Administrator', () => {
    const finding = only(bg05(one({ roles: [globalAdmin({ roleTemplateId: '194ae4cb-b126-40b2-bd5b-6091b380977d' })] }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('no Global Administrator');
  });
  it('is unknown, not pass or fail, when the role was read without PIM schedules', () => {
    const fallback = globalAdmin({ assignmentType: null, memberType: null, source: 'roleAssignments' });
    const finding = only(bg05(one({ roles: [fallback] }), context()));
    expect(finding.status).toBe('unknown');
    expect(finding.evidence).toContain('without PIM schedules');
  });
  it('is unknown when roles cannot be read, naming RoleManagement.Read.Directory', () => {
    const finding = only(bg05(one({ roles: unknown('403 on roleAssignmentScheduleInstances') }), context()));
    expect(finding.status).toBe('unknown');
    expect(finding.fix).toContain('RoleManagement.Read.Directory');
  });
});

describe('BG-06 phishing-resistant methods', () => {
  it('passes two device-bound keys', () => {
    expect(only(bg06(snapshot(), context())).status).toBe('pass');
  });
  it('warns with a single key: register a second key', () => {
    const finding = only(bg06(one({ methods: [method('password'), deviceBoundKey('safe A')] }), context()));
    expect(finding.status).toBe('warn');
    expect(finding.evidence).toContain('register a second key');
  });
  it('warns about a synced passkey even beside two device-bound keys', () => {
    const finding = only(bg06(one({ methods: [deviceBoundKey('A'), deviceBoundKey('B'), syncedPasskey('iCloud Keychain')] }), context()));
    expect(finding.status).toBe('warn');
    expect(finding.evidence).toContain('synced passkey');
    expect(finding.evidence).toContain('iCloud Keychain');
  });
  it('warns when the only phishing-resistant method is Windows Hello on one machine', () => {
    const finding = only(bg06(one({ methods: [method('windowsHelloForBusiness', { displayName: 'SURFACE-01' })] }), context()));
    expect(finding.status).toBe('warn');
    expect(finding.evidence).toContain('one machine');
  });
  it('counts certificates as keys', () => {
    expect(only(bg06(one({ methods: [method('x509Certificate', { displayName: 'card 1' }), deviceBoundKey('A')] }), context())).status).toBe('pass');
  });
  it('fails without any phishing-resistant method', () => {
    expect(only(bg06(one({ methods: [method('password'), method('phone')] }), context())).status).toBe('fail');
  });
  it('is unknown when methods cannot be read, naming the permission', () => {
    const finding = only(bg06(one({ methods: unknown('403', 'UserAuthenticationMethod.Read.All') }), context()));
    expect(finding.status).toBe('unknown');
    expect(finding.fix).toContain('UserAuthenticationMethod.Read.All');
  });
});

describe('BG-07 no method tied to an individual', () => {
  it('passes keys and a password', () => {
    expect(only(bg07(snapshot(), context())).status).toBe('pass');
  });
  it('fails a phone method, naming it', () => {
    const finding = only(bg07(one({ methods: [deviceBoundKey('A'), method('phone', { displayName: 'mobile' })] }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('phone "mobile"');
  });
  it('fails Microsoft Authenticator and email, naming both', () => {
    const finding = only(bg07(one({ methods: [method('microsoftAuthenticator', { displayName: "Alex's iPhone" }), method('email')] }), context()));
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('microsoftAuthenticator');
    expect(finding.evidence).toContain('email');
  });
  it('warns on a software OATH token', () => {
    expect(only(bg07(one({ methods: [deviceBoundKey('A'), method('softwareOath')] }), context())).status).toBe('warn');
  });
  it('is unknown when methods cannot be read', () => {
    expect(only(bg07(one({ methods: unknown('403') }), context())).status).toBe('unknown');
  });
});

describe('per-account checks on an account that does not resolve', () => {
  it('answer unknown "account does not resolve", never pass', () => {
    const snap = snapshot({ accounts: [account(1, { user: null }), account(2)] });
    for (const check of [bg02, bg03, bg04, bg05, bg06, bg07]) {
      const finding = only(check(snap, context()), upn(1));
      expect(finding.status).toBe('unknown');
      expect(finding.evidence).toContain('account does not resolve');
    }
  });
});
