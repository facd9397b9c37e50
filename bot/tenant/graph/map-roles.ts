import { cleanText } from '../../intake/clean-text.js';
import type { SnapshotRoleAssignment } from '../tenant-snapshot.js';
import { graphTime } from './graph-time.js';

/**
 * PIM schedule instances (roleAssignmentScheduleInstances → active, roleEligibilityScheduleInstances
 * → eligible) → snapshot roles. For built-in roles roleDefinitionId is the role's template id.
 */
export function mapScheduleInstances(values: readonly unknown[], kind: SnapshotRoleAssignment['kind']): SnapshotRoleAssignment[] {
  return values.flatMap((value): SnapshotRoleAssignment[] => {
    const raw = record(value);
    const roleTemplateId = cleanText(raw?.roleDefinitionId, 64);
    if (raw === undefined || roleTemplateId === undefined) return [];
    return [
      {
        roleTemplateId,
        kind,
        assignmentType: kind === 'active' ? (cleanText(raw.assignmentType, 32) ?? null) : null,
        startDateTime: graphTime(raw.startDateTime),
        endDateTime: graphTime(raw.endDateTime),
        memberType: cleanText(raw.memberType, 32) ?? null,
        source: 'pim',
      },
    ];
  });
}

/**
 * The fallback without PIM (no Entra ID P2): roleAssignments lists active assignments only, with no
 * schedule, so whether one is permanent cannot be told from it (assignmentType stays null).
 */
export function mapRoleAssignments(values: readonly unknown[]): SnapshotRoleAssignment[] {
  return values.flatMap((value): SnapshotRoleAssignment[] => {
    const roleTemplateId = cleanText(record(value)?.roleDefinitionId, 64);
    if (roleTemplateId === undefined) return [];
    return [{ roleTemplateId, kind: 'active', assignmentType: null, startDateTime: null, endDateTime: null, memberType: null, source: 'roleAssignments' }];
  });
}

/** Principal ids of permanent, direct, tenant-wide active assignments (for candidates). */
export function permanentPrincipals(values: readonly unknown[]): string[] {
  return values.flatMap((value): string[] => {
    const raw = record(value);
    const principalId = cleanText(raw?.principalId, 64);
    if (raw === undefined || principalId === undefined) return [];
    const permanent = raw.assignmentType === 'Assigned' && graphTime(raw.endDateTime) === null && raw.memberType !== 'Group';
    return permanent && (raw.directoryScopeId ?? '/') === '/' ? [principalId] : [];
  });
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
}

/** Principal ids of active tenant-wide assignments from roleAssignments (without PIM every one is permanent). */
export function assignedPrincipals(values: readonly unknown[]): string[] {
  return values.flatMap((value): string[] => {
    const raw = record(value);
    const principalId = cleanText(raw?.principalId, 64);
    return raw !== undefined && principalId !== undefined && (raw.directoryScopeId ?? '/') === '/' ? [principalId] : [];
  });
}
