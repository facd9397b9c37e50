import type { Logger } from 'pino';
import type { Known, SnapshotRoleAssignment } from '../tenant-snapshot.js';
import type { GraphCaller, GraphFailure } from './graph-call.js';
import { mapRoleAssignments, mapScheduleInstances } from './map-roles.js';
import type { Loaded } from './section-cache.js';
import { keepFor, unknownSection } from './section-failure.js';

export const ROLE_PERMISSION = 'RoleManagement.Read.Directory';

/**
 * Directory roles of one principal: active and eligible PIM schedule instances; when PIM refuses
 * (403: no Entra ID P2, or PIM not readable) the plain roleAssignments list instead, marked
 * `source: "roleAssignments"` and logged.
 */
export async function readRoles(graph: GraphCaller, principalId: string, logger?: Logger): Promise<Loaded<Known<SnapshotRoleAssignment[]>>> {
  const filter = `$filter=principalId eq '${principalId}'`;
  const [active, eligible] = await Promise.all([
    graph.getAll(`/roleManagement/directory/roleAssignmentScheduleInstances?${filter}`),
    graph.getAll(`/roleManagement/directory/roleEligibilityScheduleInstances?${filter}`),
  ]);
  const failures = [active, eligible].filter((outcome): outcome is GraphFailure => !outcome.ok);
  const first = failures[0];
  if (active.ok && eligible.ok) {
    return { section: { ok: true, value: [...mapScheduleInstances(active.values, 'active'), ...mapScheduleInstances(eligible.values, 'eligible')] }, keep: 'answer' };
  }
  const refused = failures.find((failure) => failure.kind === 'denied');
  if (refused === undefined) {
    return first === undefined
      ? { section: { ok: false, reason: 'role assignments could not be read' }, keep: 'retry' }
      : { section: unknownSection(first, 'role assignments (PIM)', ROLE_PERMISSION), keep: keepFor(first) };
  }
  const plain = await graph.getAll(`/roleManagement/directory/roleAssignments?${filter}`);
  if (!plain.ok) return { section: unknownSection(plain, 'role assignments', ROLE_PERMISSION), keep: keepFor(plain) };
  logger?.warn(
    { principalId, status: refused.status, code: refused.code },
    'PIM schedule instances are not readable (no Entra ID P2, or refused); roles read from roleAssignments, without eligibility or end dates',
  );
  return { section: { ok: true, value: mapRoleAssignments(plain.values) }, keep: 'answer' };
}
