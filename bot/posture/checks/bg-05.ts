import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID, type SnapshotRoleAssignment, type TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES, permissionFix } from '../fixes.js';
import { perAccount, permissionOf, type AccountVerdict } from './configured-accounts.js';
import { formatTime, parseTime } from './time.js';

const is = (value: string | null | undefined, expected: string): boolean => (value ?? '').toLowerCase() === expected.toLowerCase();

/** BG-05: Global Administrator, active and permanent: not PIM-eligible, not activated, no end date. */
export function bg05(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  return perAccount('BG-05', snapshot, context, ({ entry }) => {
    if (!entry.roles.ok) {
      return {
        status: 'unknown',
        evidence: `Role assignments are unknown: ${entry.roles.reason}.`,
        fix: permissionFix(permissionOf(entry.roles, 'RoleManagement.Read.Directory')),
      };
    }
    return judge(entry.roles.value.filter((role) => is(role.roleTemplateId, GLOBAL_ADMINISTRATOR_TEMPLATE_ID)));
  });
}

function judge(globalAdmin: SnapshotRoleAssignment[]): AccountVerdict {
  const active = globalAdmin.filter((role) => role.kind === 'active');
  const permanent = active.filter((role) => is(role.assignmentType, 'Assigned') && !hasEnd(role));
  const direct = permanent.filter((role) => !is(role.memberType, 'Group'));
  if (direct.length > 0) return { status: 'pass', evidence: 'Global Administrator: active, permanent, directly assigned.', fix: '' };
  if (permanent.length > 0) {
    return {
      status: 'warn',
      evidence: "Global Administrator through a group (memberType Group): the group's owners and membership admins control this break-glass account.",
      fix: FIXES['BG-05'],
    };
  }
  const timeBound = active.find((role) => is(role.assignmentType, 'Assigned'));
  if (timeBound) {
    return { status: 'fail', evidence: `Global Administrator is time-bound: the active assignment ends ${endText(timeBound)}.`, fix: FIXES['BG-05'] };
  }
  const activated = active.find((role) => is(role.assignmentType, 'Activated'));
  if (activated) {
    return {
      status: 'fail',
      evidence: `Global Administrator only through a temporary PIM activation (ends ${endText(activated)}); after it the account is not an administrator.`,
      fix: FIXES['BG-05'],
    };
  }
  if (active.some((role) => role.source === 'roleAssignments')) {
    // Read without PIM schedules: active, but whether it is permanent or time-bound is not shown.
    return {
      status: 'unknown',
      evidence: 'Global Administrator is active, but it was read without PIM schedules (roleAssignments), so whether it is permanent and direct cannot be shown.',
      fix: "Grant RoleManagement.Read.Directory so PIM schedule instances can be read (Entra ID P2 tenants), or confirm in the Entra admin center that the assignment is direct and permanent.",
    };
  }
  if (active.length > 0) {
    const types = [...new Set(active.map((role) => role.assignmentType ?? 'unstated'))].join(', ');
    return { status: 'fail', evidence: `Global Administrator assignment of an unrecognised type (${types}) cannot be shown to be permanent.`, fix: FIXES['BG-05'] };
  }
  if (globalAdmin.some((role) => role.kind === 'eligible')) {
    return {
      status: 'fail',
      evidence: 'Global Administrator is only PIM-eligible: activation needs PIM, MFA and possibly approval, which an emergency may not allow.',
      fix: FIXES['BG-05'],
    };
  }
  return { status: 'fail', evidence: 'The account holds no Global Administrator assignment.', fix: FIXES['BG-05'] };
}

/** An end date that exists but does not parse still makes the assignment time-bound: fail closed. */
function hasEnd(role: SnapshotRoleAssignment): boolean {
  return typeof role.endDateTime === 'string' && role.endDateTime.trim() !== '';
}

function endText(role: SnapshotRoleAssignment): string {
  const end = parseTime(role.endDateTime);
  return end === undefined ? (role.endDateTime ? `at ${role.endDateTime}` : 'at an unstated time') : formatTime(end);
}
