import type { Finding, PostureContext } from '../../bot/posture/finding.js';
import {
  GLOBAL_ADMINISTRATOR_TEMPLATE_ID,
  type CaPolicy,
  type SignInRow,
  type SnapshotAccount,
  type SnapshotMethod,
  type SnapshotRoleAssignment,
  type SnapshotUser,
  type TenantSnapshot,
} from '../../bot/tenant/tenant-snapshot.js';

/**
 * Hand-built tenant snapshots for the posture checks. Every builder starts from a break-glass
 * account that passes everything, so a test changes exactly the thing it is about.
 */

export const NOW = new Date('2026-11-22T12:00:00Z');
export const DOMAIN = 'fabrikam.onmicrosoft.com';
export const EMERGENCY_GROUP = 'a1b2c3d4-0000-4000-8000-00000000e001';
export const OTHER_GROUP = 'a1b2c3d4-0000-4000-8000-00000000e002';
export const SECURITY_ADMIN_TEMPLATE_ID = '194ae4cb-b126-40b2-bd5b-6091b380977d';

export type Unknown = { ok: false; reason: string; permission?: string };
export const unknown = (reason: string, permission?: string): Unknown => ({ ok: false, reason, permission });
type Section<T> = T | Unknown;
const isUnknown = <T>(value: Section<T>): value is Unknown =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && 'ok' in value && value.ok === false;
const known = <T>(value: Section<T>): { ok: true; value: T } | Unknown => (isUnknown(value) ? value : { ok: true, value });

export function userId(n: number): string {
  return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
}

export function upn(n: number): string {
  return `bg-${n}@${DOMAIN}`;
}

export function method(type: SnapshotMethod['type'], patch: Partial<SnapshotMethod> = {}): SnapshotMethod {
  return { id: `${type}-${patch.displayName ?? 'x'}`, type, displayName: null, createdDateTime: '2025-01-10T09:00:00Z', ...patch };
}

export const deviceBoundKey = (name: string): SnapshotMethod => method('fido2', { displayName: name, passkeyType: 'deviceBound', model: 'YubiKey 5 NFC' });
export const syncedPasskey = (name: string): SnapshotMethod => method('fido2', { displayName: name, passkeyType: 'synced' });

export function globalAdmin(patch: Partial<SnapshotRoleAssignment> = {}): SnapshotRoleAssignment {
  return { roleTemplateId: GLOBAL_ADMINISTRATOR_TEMPLATE_ID, kind: 'active', assignmentType: 'Assigned', startDateTime: null, endDateTime: null, memberType: 'Direct', ...patch };
}

export interface AccountPatch {
  requested?: string;
  /** null: the account does not resolve. */
  user?: Section<Partial<SnapshotUser> | null>;
  signInActivity?: Section<{ lastSuccessfulSignInDateTime?: string | null; lastSignInDateTime?: string | null }>;
  methods?: Section<SnapshotMethod[]>;
  roles?: Section<SnapshotRoleAssignment[]>;
  memberOf?: Section<{ groupIds?: string[]; roleTemplateIds?: string[] }>;
}

/** Break-glass account n: healthy unless patched. */
export function account(n: number, patch: AccountPatch = {}): SnapshotAccount {
  const baseUser: SnapshotUser = {
    id: userId(n),
    userPrincipalName: upn(n),
    displayName: `Emergency access ${n}`,
    accountEnabled: true,
    onPremisesSyncEnabled: null,
    passwordPolicies: 'DisablePasswordExpiration',
    lastPasswordChangeDateTime: '2026-08-01T10:00:00Z',
    createdDateTime: '2025-01-10T09:00:00Z',
  };
  const user = patch.user === undefined ? baseUser : isUnknown(patch.user) ? patch.user : patch.user === null ? null : { ...baseUser, ...patch.user };
  const memberOf = patch.memberOf ?? {};
  return {
    requested: patch.requested ?? upn(n),
    user: known(user),
    signInActivity: known(patch.signInActivity ?? { lastSuccessfulSignInDateTime: '2026-08-01T09:30:00Z', lastSignInDateTime: '2026-08-01T09:30:00Z' }),
    methods: known(patch.methods ?? [method('password'), deviceBoundKey('safe A'), deviceBoundKey('safe B')]),
    roles: known(patch.roles ?? [globalAdmin()]),
    memberOf: isUnknown(memberOf)
      ? memberOf
      : { ok: true, value: { groupIds: memberOf.groupIds ?? [EMERGENCY_GROUP], roleTemplateIds: memberOf.roleTemplateIds ?? [GLOBAL_ADMINISTRATOR_TEMPLATE_ID] } },
  };
}

export function policy(name: string, patch: { state?: CaPolicy['state']; users?: Partial<NonNullable<CaPolicy['conditions']['users']>>; grant?: CaPolicy['grantControls']; applications?: Record<string, unknown> } = {}): CaPolicy {
  return {
    id: `policy-${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`,
    displayName: name,
    state: patch.state ?? 'enabled',
    conditions: {
      users: { includeUsers: [], excludeUsers: [], includeGroups: [], excludeGroups: [], includeRoles: [], excludeRoles: [], ...patch.users },
      applications: { includeApplications: ['All'], ...patch.applications },
    },
    grantControls: patch.grant === undefined ? { operator: 'OR', builtInControls: ['mfa'], authenticationStrength: null } : patch.grant,
  };
}

export function signIn(n: number, time: string, patch: Partial<SignInRow> = {}): SignInRow {
  return { time, upn: upn(n), userId: userId(n), app: 'Azure Portal', ipAddress: '198.51.100.7', resultType: '0', source: 'SigninLogs', ...patch };
}

export interface SnapshotPatch {
  accounts?: SnapshotAccount[];
  initialDomain?: Section<string>;
  conditionalAccess?: Section<CaPolicy[]>;
  signIns?: Section<SignInRow[]>;
  candidates?: TenantSnapshot['candidates'];
}

/** A tenant with two healthy break-glass accounts, one MFA policy that excludes their group, no sign-ins. */
export function snapshot(patch: SnapshotPatch = {}): TenantSnapshot {
  return {
    schema: 'glasswatch.snapshot.v1',
    tenantId: '11111111-2222-4333-8444-555555555555',
    takenAt: NOW.toISOString(),
    source: 'file',
    initialDomain: known(patch.initialDomain ?? DOMAIN),
    accounts: patch.accounts ?? [account(1), account(2)],
    conditionalAccess: known(patch.conditionalAccess ?? [policy('Require MFA for everyone', { users: { includeUsers: ['All'], excludeGroups: [EMERGENCY_GROUP] } })]),
    signIns: known(patch.signIns ?? []),
    ...(patch.candidates ? { candidates: patch.candidates } : {}),
  };
}

/** Glasswatch's own records: a drill for each account last month, an alert last week. */
export function context(patch: Partial<PostureContext> = {}): PostureContext {
  return {
    now: NOW,
    accounts: [upn(1), upn(2)],
    lastDrill: { [upn(1)]: '2026-10-20T10:00:00Z', [upn(2)]: '2026-10-21T10:00:00Z' },
    lastAlertAt: '2026-11-15T10:00:00Z',
    alertingWindowMs: 90 * 24 * 3_600_000,
    accountedSignIns: [],
    ...patch,
  };
}

/** The one finding of a check for an account ("*" for tenant-wide); throws when there is not exactly one. */
export function only(findings: Finding[], account: string = upn(1)): Finding {
  const mine = findings.filter((finding) => finding.account === account);
  const [first] = mine;
  if (mine.length !== 1 || first === undefined) throw new Error(`expected one finding for ${account}, got ${JSON.stringify(findings)}`);
  return first;
}
