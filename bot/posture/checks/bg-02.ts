import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES } from '../fixes.js';
import { perAccount } from './configured-accounts.js';

/** BG-02: cloud-only, not synchronised from on-premises AD. */
export function bg02(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  return perAccount('BG-02', snapshot, context, ({ user }) =>
    user.onPremisesSyncEnabled === true
      ? { status: 'fail', evidence: 'The account is synchronised from on-premises AD (onPremisesSyncEnabled is true).', fix: FIXES['BG-02'] }
      : { status: 'pass', evidence: 'Cloud-only account (not synchronised from on-premises).', fix: '' },
  );
}
