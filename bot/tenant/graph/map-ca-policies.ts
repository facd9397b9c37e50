import { caPolicySchema, type CaPolicy } from '../tenant-snapshot.js';

export type MappedPolicies = { ok: true; value: CaPolicy[] } | { ok: false; reason: string };

/**
 * GET /identity/conditionalAccess/policies values → snapshot policies. One policy that does not
 * parse makes the whole list unknown: leaving it out could hide the policy that blocks the account.
 */
export function mapCaPolicies(values: readonly unknown[]): MappedPolicies {
  const policies: CaPolicy[] = [];
  for (const [index, value] of values.entries()) {
    const parsed = caPolicySchema.safeParse(value);
    if (!parsed.success) {
      const id = typeof value === 'object' && value !== null && 'id' in value && typeof value.id === 'string' ? value.id.slice(0, 64) : `#${index + 1}`;
      const issue = parsed.error.issues[0];
      const where = issue ? `${issue.path.join('.')}: ${issue.message}` : 'unexpected shape';
      return { ok: false, reason: `Conditional Access policy ${id} has a shape Glasswatch does not understand (${where}); the policy list cannot be trusted.` };
    }
    policies.push(parsed.data);
  }
  return { ok: true, value: policies };
}
