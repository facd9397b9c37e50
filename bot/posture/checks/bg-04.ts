import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES } from '../fixes.js';
import { perAccount } from './configured-accounts.js';

/** BG-04: the account is enabled. */
export function bg04(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  return perAccount('BG-04', snapshot, context, ({ user }) =>
    user.accountEnabled
      ? { status: 'pass', evidence: 'Account enabled.', fix: '' }
      : { status: 'fail', evidence: 'The account is disabled (accountEnabled is false): nobody can sign in with it.', fix: FIXES['BG-04'] },
  );
}
