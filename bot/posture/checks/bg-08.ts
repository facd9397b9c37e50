import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import { assessConditionalAccess, type PolicyAssessment } from '../conditional-access.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES, permissionFix } from '../fixes.js';
import { perAccount, permissionOf } from './configured-accounts.js';

const MAX_NAMED = 5;

/** BG-08: no enabled Conditional Access policy can block the account. */
export function bg08(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  const policies = snapshot.conditionalAccess;
  return perAccount('BG-08', snapshot, context, ({ entry, user }) => {
    if (!policies.ok) {
      return {
        status: 'unknown',
        evidence: `Conditional Access policies are unknown: ${policies.reason}.`,
        fix: permissionFix(permissionOf(policies, 'Policy.Read.All')),
      };
    }
    const assessed = assessConditionalAccess(policies.value, entry, user.id);
    const enforced = assessed.filter((a) => a.enforced);
    const blocking = enforced.filter((a) => a.outcome.kind === 'blocks' || a.outcome.kind === 'could-block');
    if (blocking.length > 0) {
      return { status: 'fail', evidence: `Enabled policies that could block the account: ${list(blocking)}.`, fix: FIXES['BG-08'] };
    }
    const unsure = enforced.filter((a) => a.outcome.kind === 'unknown');
    const firstUnsure = unsure[0]?.outcome;
    if (firstUnsure && firstUnsure.kind === 'unknown') {
      return { status: 'unknown', evidence: `Cannot tell whether these enabled policies block the account: ${list(unsure)}.`, fix: permissionFix(firstUnsure.permission) };
    }
    const wouldBlock = assessed.filter((a) => !a.enforced && (a.outcome.kind === 'blocks' || a.outcome.kind === 'could-block'));
    if (wouldBlock.length > 0) {
      return {
        status: 'warn',
        evidence: `No enabled policy blocks the account, but report-only policies would once enforced: ${list(wouldBlock)}.`,
        fix: 'Exclude the account from these report-only policies before turning them on.',
      };
    }
    return { status: 'pass', evidence: passEvidence(enforced), fix: '' };
  });
}

function passEvidence(enforced: PolicyAssessment[]): string {
  const relevant = enforced.filter((a) => a.outcome.kind === 'excluded' || a.outcome.kind === 'satisfied');
  if (relevant.length === 0) return `No enabled Conditional Access policy applies to the account (${enforced.length} enabled).`;
  return `No enabled policy can block the account: ${list(relevant)}.`;
}

function list(assessments: PolicyAssessment[]): string {
  const named = assessments.slice(0, MAX_NAMED).map(({ policy, outcome }) => `"${policy.displayName}" (${explain(outcome)})`);
  const more = assessments.length - named.length;
  return more > 0 ? `${named.join(', ')} and ${more} more` : named.join(', ');
}

function explain(outcome: PolicyAssessment['outcome']): string {
  switch (outcome.kind) {
    case 'excluded':
      return `excluded ${outcome.how}`;
    case 'satisfied':
      return outcome.how;
    case 'not-applicable':
      return outcome.why;
    case 'could-block':
    case 'blocks':
    case 'unknown':
      return outcome.why;
  }
}
