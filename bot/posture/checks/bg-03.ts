import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES, permissionFix } from '../fixes.js';
import { perAccount, permissionOf } from './configured-accounts.js';

/** BG-03: the UPN is on the tenant's initial *.onmicrosoft.com domain. */
export function bg03(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  const domain = snapshot.initialDomain;
  return perAccount('BG-03', snapshot, context, ({ user }) => {
    if (!domain.ok) {
      return {
        status: 'unknown',
        evidence: `The tenant's initial domain is unknown: ${domain.reason}.`,
        fix: permissionFix(permissionOf(domain, 'Organization.Read.All')),
      };
    }
    const upn = user.userPrincipalName;
    const onInitial = upn.toLowerCase().endsWith(`@${domain.value.toLowerCase()}`);
    return onInitial
      ? { status: 'pass', evidence: `UPN is on the initial domain ${domain.value}.`, fix: '' }
      : {
          status: 'fail',
          evidence: `UPN ${upn} is not on the initial domain ${domain.value}; a custom or federated domain can fail with DNS or federation.`,
          fix: FIXES['BG-03'],
        };
  });
}
