import type { TenantSnapshot } from '../tenant/tenant-snapshot.js';
import { bg01 } from './checks/bg-01.js';
import { bg02 } from './checks/bg-02.js';
import { bg03 } from './checks/bg-03.js';
import { bg04 } from './checks/bg-04.js';
import { bg05 } from './checks/bg-05.js';
import { bg06 } from './checks/bg-06.js';
import { bg07 } from './checks/bg-07.js';
import { bg08 } from './checks/bg-08.js';
import { bg09 } from './checks/bg-09.js';
import { bg10 } from './checks/bg-10.js';
import { bg11 } from './checks/bg-11.js';
import { bg12 } from './checks/bg-12.js';
import { configuredAccounts } from './checks/configured-accounts.js';
import type { Finding, PostureContext } from './finding.js';

export type Check = (snapshot: TenantSnapshot, context: PostureContext) => Finding[];

export const CHECKS: readonly Check[] = [bg01, bg02, bg03, bg04, bg05, bg06, bg07, bg08, bg09, bg10, bg11, bg12];

/**
 * Every break-glass check over one snapshot. Order is stable for cards and diffs: tenant-wide
 * findings ("*") first, then each account in configured order, each by check id.
 */
export function evaluatePosture(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  const order = new Map(configuredAccounts(snapshot, context).map((account, index) => [account.label, index] as const));
  const rank = (finding: Finding): number => (finding.account === '*' ? -1 : (order.get(finding.account) ?? order.size));
  return CHECKS.flatMap((check) => check(snapshot, context)).sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
}
