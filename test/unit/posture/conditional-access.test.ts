import { describe, expect, it } from 'vitest';
import { bg08 } from '../../../bot/posture/checks/bg-08.js';
import { assessConditionalAccess } from '../../../bot/posture/conditional-access.js';
import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID, type CaPolicy } from '../../../bot/tenant/tenant-snapshot.js';
import {
  EMERGENCY_GROUP,
  OTHER_GROUP,
  SECURITY_ADMIN_TEMPLATE_ID,
  account,
  context,
  deviceBoundKey,
  method,
  only,
  policy,
  snapshot,
  unknown,
  upn,
  userId,
  type AccountPatch,
} from '../../support/snapshot-builder.js';

const block = { operator: 'OR', builtInControls: ['block'], authenticationStrength: null };
const compliantDevice = { operator: 'OR', builtInControls: ['compliantDevice'], authenticationStrength: null };
const phishingResistant = {
  operator: 'OR',
  builtInControls: [],
  authenticationStrength: { id: '00000000-0000-0000-0000-000000000004', displayName: 'Phishing-resistant MFA', allowedCombinations: ['windowsHelloForBusiness', 'fido2', 'x509CertificateMultiFactor'] },
};

function evaluate(policies: CaPolicy[], patch: AccountPatch = {}) {
  return only(bg08(snapshot({ accounts: [account(1, patch), account(2)], conditionalAccess: policies }), context()));
}

describe('BG-08 Conditional Access', () => {
  it('passes when the account is excluded from a block policy through its group, naming the policy', () => {
    const finding = evaluate([policy('Block all', { users: { includeUsers: ['All'], excludeGroups: [EMERGENCY_GROUP] }, grant: block })]);
    expect(finding.status).toBe('pass');
    expect(finding.evidence).toContain('"Block all" (excluded through a group)');
  });

  it('resolves group exclusions through transitive membership (a nested group in memberOf)', () => {
    const nested = [policy('Block all', { users: { includeUsers: ['All'], excludeGroups: [OTHER_GROUP] }, grant: block })];
    expect(evaluate(nested, { memberOf: { groupIds: [EMERGENCY_GROUP, OTHER_GROUP] } }).status).toBe('pass');
    expect(evaluate(nested, { memberOf: { groupIds: [EMERGENCY_GROUP] } }).status).toBe('fail');
  });

  it('honours a role exclusion', () => {
    const policies = [policy('Block all', { users: { includeUsers: ['All'], excludeRoles: [GLOBAL_ADMINISTRATOR_TEMPLATE_ID] }, grant: block })];
    expect(evaluate(policies).status).toBe('pass');
    expect(evaluate(policies, { memberOf: { roleTemplateIds: [] }, roles: [] }).status).toBe('fail');
  });

  it('honours a direct user exclusion, case-insensitively', () => {
    const policies = [policy('Block all', { users: { includeUsers: ['All'], excludeUsers: [userId(1).toUpperCase()] }, grant: block })];
    expect(evaluate(policies, { memberOf: { groupIds: [] } }).evidence).toContain('excluded directly');
  });

  it('fails when a block policy applies, naming it', () => {
    const finding = evaluate([policy('Block legacy authentication', { users: { includeUsers: ['All'] }, grant: block })]);
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('"Block legacy authentication" (blocks access)');
  });

  it('fails when an applying policy requires a compliant device, naming it', () => {
    const finding = evaluate([policy('Admins on compliant devices', { users: { includeRoles: [GLOBAL_ADMINISTRATOR_TEMPLATE_ID] }, grant: compliantDevice })]);
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('"Admins on compliant devices" (requires a compliant device)');
  });

  it('includes through a group the account belongs to', () => {
    const policies = [policy('Group block', { users: { includeGroups: [OTHER_GROUP] }, grant: block })];
    expect(evaluate(policies, { memberOf: { groupIds: [OTHER_GROUP] } }).status).toBe('fail');
    expect(evaluate(policies).status).toBe('pass');
  });

  it('includes through an active role held but not through an eligible one', () => {
    const policies = [policy('Security admins on compliant devices', { users: { includeRoles: [SECURITY_ADMIN_TEMPLATE_ID] }, grant: compliantDevice })];
    expect(evaluate(policies, { memberOf: { roleTemplateIds: [SECURITY_ADMIN_TEMPLATE_ID] } }).status).toBe('fail');
    const eligibleOnly = { roles: [{ roleTemplateId: SECURITY_ADMIN_TEMPLATE_ID, kind: 'eligible' as const }] };
    expect(evaluate(policies, eligibleOnly).status).toBe('pass');
  });

  it('ignores report-only policies for blocking but warns about them', () => {
    const finding = evaluate([policy('Block all (report-only)', { state: 'enabledForReportingButNotEnforced', users: { includeUsers: ['All'] }, grant: block })]);
    expect(finding.status).toBe('warn');
    expect(finding.evidence).toContain('Block all (report-only)');
  });

  it('ignores disabled policies entirely', () => {
    const finding = evaluate([policy('Old block', { state: 'disabled', users: { includeUsers: ['All'] }, grant: block })]);
    expect(finding.status).toBe('pass');
    expect(finding.evidence).not.toContain('Old block');
  });

  it('passes an applying MFA policy when the account holds a phishing-resistant method', () => {
    const finding = evaluate([policy('MFA for all', { users: { includeUsers: ['All'] } })]);
    expect(finding.status).toBe('pass');
    expect(finding.evidence).toContain('phishing-resistant');
  });

  it('fails an applying MFA policy when the account has no phishing-resistant method', () => {
    expect(evaluate([policy('MFA for all', { users: { includeUsers: ['All'] } })], { methods: [method('password'), method('phone')] }).status).toBe('fail');
  });

  it('passes a phishing-resistant authentication strength the account satisfies', () => {
    expect(evaluate([policy('PR MFA', { users: { includeUsers: ['All'] }, grant: phishingResistant })]).status).toBe('pass');
  });

  it('fails an authentication strength the account cannot satisfy', () => {
    const finding = evaluate([policy('PR MFA', { users: { includeUsers: ['All'] }, grant: phishingResistant })], { methods: [method('password'), method('microsoftAuthenticator')] });
    expect(finding.status).toBe('fail');
    expect(finding.evidence).toContain('Phishing-resistant MFA');
  });

  it('with AND, fails when one of the controls needs a device', () => {
    const grant = { operator: 'AND', builtInControls: ['mfa', 'compliantDevice'], authenticationStrength: null };
    expect(evaluate([policy('MFA and device', { users: { includeUsers: ['All'] }, grant })]).status).toBe('fail');
    expect(evaluate([policy('MFA or device', { users: { includeUsers: ['All'] }, grant: { ...grant, operator: 'OR' } })]).status).toBe('pass');
  });

  it('leaves out policies aimed at user actions, not sign-in', () => {
    const registration = policy('Register security info from trusted locations', {
      users: { includeUsers: ['All'] },
      grant: block,
      applications: { includeApplications: [], includeUserActions: ['urn:user:registersecurityinfo'] },
    });
    expect(evaluate([registration]).status).toBe('pass');
  });

  it('is unknown naming Policy.Read.All when policies cannot be read', () => {
    const finding = only(bg08(snapshot({ conditionalAccess: unknown('403 Forbidden') }), context()));
    expect(finding.status).toBe('unknown');
    expect(finding.fix).toContain('Policy.Read.All');
  });

  it('is unknown when a group exclusion matters and memberships are unknown', () => {
    const finding = evaluate([policy('Block all', { users: { includeUsers: ['All'], excludeGroups: [EMERGENCY_GROUP] }, grant: block })], {
      memberOf: unknown('403 on transitiveMemberOf', 'GroupMember.Read.All'),
    });
    expect(finding.status).toBe('unknown');
    expect(finding.evidence).toContain('Block all');
    expect(finding.fix).toContain('GroupMember.Read.All');
  });

  it('is unknown when an MFA policy applies and methods are unknown', () => {
    expect(evaluate([policy('MFA for all', { users: { includeUsers: ['All'] } })], { methods: unknown('403') }).status).toBe('unknown');
  });

  it('still fails on a block that includes the account directly even when memberships are unknown', () => {
    const policies = [policy('Block one', { users: { includeUsers: [userId(1)] }, grant: block })];
    // The exclusion side has no groups or roles, so the unknown membership cannot rescue the account.
    expect(evaluate(policies, { memberOf: unknown('403') }).status).toBe('fail');
  });
});

describe('assessConditionalAccess', () => {
  it('omits disabled policies and marks report-only ones as not enforced', () => {
    const assessed = assessConditionalAccess(
      [policy('A', { state: 'disabled' }), policy('B', { state: 'enabledForReportingButNotEnforced' }), policy('C')],
      account(1, { methods: [deviceBoundKey('A')] }),
      userId(1),
    );
    expect(assessed.map((a) => [a.policy.displayName, a.enforced])).toEqual([
      ['B', false],
      ['C', true],
    ]);
  });

  it('says why a policy does not apply', () => {
    const [assessed] = assessConditionalAccess([policy('Only others', { users: { includeUsers: ['someone-else'] } })], account(1), userId(1));
    expect(assessed?.outcome).toEqual({ kind: 'not-applicable', why: 'does not include the account' });
  });

  it('names the second account in the evidence through its UPN', () => {
    const findings = bg08(snapshot(), context());
    expect(findings.map((f) => f.account)).toEqual([upn(1), upn(2)]);
  });
});
