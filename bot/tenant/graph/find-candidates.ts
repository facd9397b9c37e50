import { cleanText } from '../../intake/clean-text.js';
import { looksLikeGuid } from '../../intake/looks-like-guid.js';
import { GLOBAL_ADMINISTRATOR_TEMPLATE_ID, type Known } from '../tenant-snapshot.js';
import type { GraphCaller } from './graph-call.js';
import { mapMethods, PHISHING_RESISTANT } from './map-methods.js';
import { assignedPrincipals, permanentPrincipals } from './map-roles.js';
import { PERMISSIONS } from './read-account.js';
import { ROLE_PERMISSION } from './read-roles.js';
import type { Loaded } from './section-cache.js';
import { keepFor, unknownSection } from './section-failure.js';

export type Candidate = { id: string; userPrincipalName: string };

/** At most this many Global Administrators are examined: a tenant has few, and each costs two requests. */
export const MAX_CANDIDATES_EXAMINED = 20;

/**
 * When no account is configured: permanent Global Administrators (users) whose methods are all
 * phishing-resistant (the password aside), i.e. accounts that look like break-glass accounts.
 */
export async function findCandidates(graph: GraphCaller): Promise<Loaded<Known<Candidate[]>>> {
  const filter = `$filter=roleDefinitionId eq '${GLOBAL_ADMINISTRATOR_TEMPLATE_ID}'`;
  let principals: string[];
  const pim = await graph.getAll(`/roleManagement/directory/roleAssignmentScheduleInstances?${filter}`, 5);
  if (pim.ok) principals = permanentPrincipals(pim.values);
  else if (pim.kind === 'denied') {
    const plain = await graph.getAll(`/roleManagement/directory/roleAssignments?${filter}`, 5);
    if (!plain.ok) return { section: unknownSection(plain, 'Global Administrator assignments', ROLE_PERMISSION), keep: keepFor(plain) };
    principals = assignedPrincipals(plain.values);
  } else return { section: unknownSection(pim, 'Global Administrator assignments', ROLE_PERMISSION), keep: keepFor(pim) };

  const examined = [...new Set(principals.filter(looksLikeGuid).map((id) => id.toLowerCase()))].slice(0, MAX_CANDIDATES_EXAMINED);
  // The caller's concurrency limit paces these; they are independent of each other.
  const reads = await Promise.all(
    examined.map(async (id) => {
      const [user, methods] = await Promise.all([graph.get(`/users/${id}?$select=id,userPrincipalName`), graph.getAll(`/users/${id}/authentication/methods`)]);
      return { id, user, methods };
    }),
  );
  const found: Candidate[] = [];
  for (const { id, user, methods } of reads) {
    // A 404 here is a principal that is not a user (a group or a service principal): not a candidate.
    if ((!user.ok && user.kind === 'not-found') || (!methods.ok && methods.kind === 'not-found')) continue;
    if (!user.ok) return { section: unknownSection(user, 'a Global Administrator', PERMISSIONS.user), keep: keepFor(user) };
    if (!methods.ok) return { section: unknownSection(methods, "a Global Administrator's methods", PERMISSIONS.methods), keep: keepFor(methods) };
    const types = mapMethods(methods.values).map((method) => method.type).filter((type) => type !== 'password');
    const upn = typeof user.body === 'object' && user.body !== null ? cleanText((user.body as Record<string, unknown>).userPrincipalName, 256) : undefined;
    if (upn !== undefined && types.length > 0 && types.every((type) => PHISHING_RESISTANT.has(type))) found.push({ id, userPrincipalName: upn });
  }
  return { section: { ok: true, value: found }, keep: 'answer' };
}
