import { z } from 'zod';
import type { CaPolicy, Known, SnapshotAccount, SnapshotMethod } from '../tenant/tenant-snapshot.js';

/**
 * Which Conditional Access policies apply to a break-glass account, and whether any could keep it
 * out. Current Microsoft guidance asks for phishing-resistant MFA on emergency access accounts rather
 * than a blanket exclusion, so a policy that applies is fine when the account can satisfy its grant
 * with a key it holds, and a problem when it blocks or depends on a device, an app or a person.
 */

/** What a policy means for the account. */
export type PolicyOutcome =
  | { kind: 'not-applicable'; why: string }
  | { kind: 'excluded'; how: string }
  | { kind: 'satisfied'; how: string }
  | { kind: 'could-block'; why: string }
  | { kind: 'blocks'; why: string }
  | { kind: 'unknown'; why: string; permission: string };

export interface PolicyAssessment {
  policy: CaPolicy;
  /** false for report-only (`enabledForReportingButNotEnforced`): it never blocks, but shows what would. */
  enforced: boolean;
  outcome: PolicyOutcome;
}

/** Authentication-strength combinations that are phishing-resistant, and the method that satisfies each. */
const PHISHING_RESISTANT_COMBINATIONS: Readonly<Record<string, SnapshotMethod['type']>> = {
  fido2: 'fido2',
  windowsHelloForBusiness: 'windowsHelloForBusiness',
  x509CertificateMultiFactor: 'x509Certificate',
};
const MFA_METHODS: ReadonlySet<SnapshotMethod['type']> = new Set(['fido2', 'windowsHelloForBusiness', 'x509Certificate', 'platformCredential']);

const CONTROL_NAMES: Readonly<Record<string, string>> = {
  compliantDevice: 'requires a compliant device',
  domainJoinedDevice: 'requires a Microsoft Entra hybrid joined device',
  approvedApplication: 'requires an approved client app',
  compliantApplication: 'requires an app protection policy',
  passwordChange: 'requires a password change',
};

// Policies scoped to user actions (e.g. "register security information") or authentication contexts
// do not govern signing in; Maester's emergency-access test leaves them out for the same reason.
const applicationTargets = z
  .object({
    includeApplications: z.array(z.string()).default([]),
    includeUserActions: z.array(z.string()).nullish(),
    includeAuthenticationContextClassReferences: z.array(z.string()).nullish(),
  })
  .passthrough();

type Tri = 'yes' | 'no' | 'maybe';

/** Assesses every enabled and report-only policy for one account; disabled policies are left out. */
export function assessConditionalAccess(policies: readonly CaPolicy[], account: SnapshotAccount, userId: string): PolicyAssessment[] {
  const subject = subjectOf(account, userId);
  return policies
    .filter((policy) => policy.state !== 'disabled')
    .map((policy) => ({ policy, enforced: policy.state === 'enabled', outcome: assessPolicy(policy, subject) }));
}

interface Subject {
  userId: string;
  groups: Known<string[]>;
  roles: Known<string[]>;
  methods: Known<SnapshotMethod[]>;
}

function subjectOf(account: SnapshotAccount, userId: string): Subject {
  const memberOf = account.memberOf;
  const activeRoles = account.roles.ok ? account.roles.value.filter((role) => role.kind === 'active').map((role) => role.roleTemplateId) : [];
  const roles: Known<string[]> = memberOf.ok
    ? { ok: true, value: [...memberOf.value.roleTemplateIds, ...activeRoles] }
    : account.roles.ok
      ? { ok: true, value: activeRoles }
      : { ok: false, reason: memberOf.reason, permission: memberOf.permission ?? account.roles.permission };
  const groups: Known<string[]> = memberOf.ok ? { ok: true, value: memberOf.value.groupIds } : memberOf;
  return { userId, groups, roles, methods: account.methods };
}

function assessPolicy(policy: CaPolicy, subject: Subject): PolicyOutcome {
  const targets = applicationTargets.safeParse(policy.conditions.applications ?? {});
  if (targets.success && targets.data.includeApplications.length === 0) {
    const scoped = (targets.data.includeUserActions ?? []).length > 0 || (targets.data.includeAuthenticationContextClassReferences ?? []).length > 0;
    if (scoped) return { kind: 'not-applicable', why: 'targets user actions or authentication contexts, not sign-in' };
  }
  const users = policy.conditions.users;
  if (!users) return { kind: 'not-applicable', why: 'no user condition' };

  const included = any([
    users.includeUsers.some((id) => id.toLowerCase() === 'all' || same(id, subject.userId)) ? 'yes' : 'no',
    intersects(users.includeGroups, subject.groups),
    intersects(users.includeRoles, subject.roles),
  ]);
  if (included === 'no') return { kind: 'not-applicable', why: 'does not include the account' };

  const byUser = users.excludeUsers.some((id) => same(id, subject.userId));
  if (byUser) return { kind: 'excluded', how: 'directly' };
  const byGroup = intersects(users.excludeGroups, subject.groups);
  if (byGroup === 'yes') return { kind: 'excluded', how: 'through a group' };
  const byRole = intersects(users.excludeRoles, subject.roles);
  if (byRole === 'yes') return { kind: 'excluded', how: 'through a role' };

  const grant = assessGrant(policy, subject);
  // When the account would satisfy the grant anyway, whether the policy applies does not matter.
  if (grant.kind === 'satisfied') return grant;
  const unsure = included === 'maybe' || byGroup === 'maybe' || byRole === 'maybe';
  if (unsure) {
    const missing = [subject.groups, subject.roles].find((known) => !known.ok);
    const reason = missing && !missing.ok ? missing.reason : 'group or role memberships are unknown';
    const permission = missing && !missing.ok && missing.permission ? missing.permission : 'GroupMember.Read.All';
    return { kind: 'unknown', why: `whether it applies depends on group or role memberships that are unknown (${reason})`, permission };
  }
  return grant;
}

function assessGrant(policy: CaPolicy, subject: Subject): PolicyOutcome {
  const grant = policy.grantControls;
  const controls: PolicyOutcome[] = [
    ...(grant?.builtInControls ?? []).map((control) => assessControl(control, subject)),
    ...(grant?.authenticationStrength ? [assessStrength(grant.authenticationStrength, subject)] : []),
  ];
  if (controls.length === 0) return { kind: 'satisfied', how: 'grants access without a control (session controls only)' };
  const first = <K extends PolicyOutcome['kind']>(kind: K) => controls.find((c): c is Extract<PolicyOutcome, { kind: K }> => c.kind === kind);
  if ((grant?.operator ?? 'OR').toUpperCase() === 'AND') {
    return first('blocks') ?? first('could-block') ?? first('unknown') ?? first('satisfied') ?? { kind: 'could-block', why: 'has an unrecognised grant' };
  }
  return first('satisfied') ?? first('unknown') ?? first('could-block') ?? first('blocks') ?? { kind: 'could-block', why: 'has an unrecognised grant' };
}

function assessControl(control: string, subject: Subject): PolicyOutcome {
  if (control === 'block') return { kind: 'blocks', why: 'blocks access' };
  if (control === 'mfa') {
    if (!subject.methods.ok) return methodsUnknown(subject.methods);
    const held = subject.methods.value.filter((method) => MFA_METHODS.has(method.type));
    return held.length > 0
      ? { kind: 'satisfied', how: 'requires MFA, which the account satisfies with a phishing-resistant method' }
      : { kind: 'could-block', why: 'requires MFA and the account has no phishing-resistant method' };
  }
  return { kind: 'could-block', why: CONTROL_NAMES[control] ?? `requires "${control}"` };
}

function assessStrength(strength: { displayName?: string | null; allowedCombinations: string[] }, subject: Subject): PolicyOutcome {
  const name = strength.displayName ? `the authentication strength "${strength.displayName}"` : 'an authentication strength';
  if (strength.allowedCombinations.length === 0) return { kind: 'could-block', why: `requires ${name} whose combinations are not in the snapshot` };
  if (!subject.methods.ok) return methodsUnknown(subject.methods);
  const held = new Set(subject.methods.value.map((method) => method.type));
  const usable = strength.allowedCombinations.filter((combination) => {
    const method = PHISHING_RESISTANT_COMBINATIONS[combination];
    return method !== undefined && held.has(method);
  });
  return usable.length > 0
    ? { kind: 'satisfied', how: `requires ${name}, which the account satisfies with ${usable.join(', ')}` }
    : { kind: 'could-block', why: `requires ${name} and the account holds no phishing-resistant method it allows` };
}

function methodsUnknown(methods: Known<SnapshotMethod[]>): PolicyOutcome {
  const reason = methods.ok ? '' : methods.reason;
  const permission = !methods.ok && methods.permission ? methods.permission : 'UserAuthenticationMethod.Read.All';
  return { kind: 'unknown', why: `requires MFA, and the account's methods are unknown (${reason})`, permission };
}

function intersects(ids: readonly string[], held: Known<string[]>): Tri {
  if (ids.length === 0) return 'no';
  if (!held.ok) return 'maybe';
  return ids.some((id) => held.value.some((mine) => same(id, mine))) ? 'yes' : 'no';
}

function any(values: Tri[]): Tri {
  return values.includes('yes') ? 'yes' : values.includes('maybe') ? 'maybe' : 'no';
}

function same(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
