import { cleanText } from '../../intake/clean-text.js';

export interface MemberOf {
  groupIds: string[];
  roleTemplateIds: string[];
}

/**
 * GET /users/{id}/transitiveMemberOf values → group ids and directory role template ids, the two
 * things Conditional Access exclusions name. Administrative units and entries without an id are skipped.
 */
export function mapMemberOf(values: readonly unknown[]): MemberOf {
  const groupIds = new Set<string>();
  const roleTemplateIds = new Set<string>();
  for (const value of values) {
    if (typeof value !== 'object' || value === null) continue;
    const raw = value as Record<string, unknown>;
    const type = raw['@odata.type'];
    if (type === '#microsoft.graph.group') {
      const id = cleanText(raw.id, 64);
      if (id !== undefined) groupIds.add(id);
    } else if (type === '#microsoft.graph.directoryRole') {
      const templateId = cleanText(raw.roleTemplateId, 64);
      if (templateId !== undefined) roleTemplateIds.add(templateId);
    }
  }
  return { groupIds: [...groupIds], roleTemplateIds: [...roleTemplateIds] };
}
