import type { SnapshotUser, TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES } from '../fixes.js';
import { accountSignIns, SIGN_IN_ACTIVITY_SOURCE, SIGN_IN_ROWS_SOURCE, type AccountSignIns } from './account-sign-ins.js';
import { perAccount, type AccountVerdict } from './configured-accounts.js';
import { formatTime, parseTime } from './time.js';

type Half = { status: 'pass' | 'fail' | 'unknown'; text: string };

/** BG-09: the password does not expire, and was changed after the last use of the account. */
export function bg09(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  return perAccount('BG-09', snapshot, context, (account) => {
    const expiry = expiryHalf(account.user);
    const rotation = rotationHalf(account.user, accountSignIns(snapshot, account));
    return combine(expiry, rotation);
  });
}

function expiryHalf(user: SnapshotUser): Half {
  const policies = (user.passwordPolicies ?? '').split(',').map((p) => p.trim().toLowerCase());
  return policies.includes('disablepasswordexpiration')
    ? { status: 'pass', text: 'the password never expires' }
    : { status: 'fail', text: `the password can expire (passwordPolicies: ${user.passwordPolicies ? `"${user.passwordPolicies}"` : 'none'}), locking the account out when it is needed` };
}

function rotationHalf(user: SnapshotUser, signIns: AccountSignIns): Half {
  const fromRows = signIns.rows?.[0]?.time;
  const candidates = [fromRows, signIns.lastSuccessful ?? undefined].filter((t): t is number => t !== undefined);
  const lastUse = candidates.length > 0 ? Math.max(...candidates) : undefined;
  if (lastUse === undefined) {
    if (signIns.lastSuccessful === null) return { status: 'pass', text: 'the account has never signed in successfully' };
    // Rows cover only a recent window: without signInActivity an older use cannot be ruled out.
    const rows = signIns.rows === undefined ? `${SIGN_IN_ROWS_SOURCE} are unavailable too (${signIns.rowsUnknownReason ?? 'no reason given'})` : 'the sign-in rows cover only a recent window and show no sign-in';
    return {
      status: 'unknown',
      text: `whether it was changed after the last use is unknown: ${SIGN_IN_ACTIVITY_SOURCE} is unavailable (${signIns.activityUnknownReason ?? 'no reason given'}), and ${rows}`,
    };
  }
  const changed = parseTime(user.lastPasswordChangeDateTime) ?? parseTime(user.createdDateTime);
  if (changed === undefined) return { status: 'unknown', text: `the last password change is not recorded, and the account last signed in ${formatTime(lastUse)}` };
  return changed > lastUse
    ? { status: 'pass', text: `it was changed ${formatTime(changed)}, after the last sign-in ${formatTime(lastUse)}` }
    : { status: 'fail', text: `it was last changed ${formatTime(changed)}, before the last sign-in ${formatTime(lastUse)}: rotate after every use` };
}

function combine(expiry: Half, rotation: Half): AccountVerdict {
  const evidence = `${capitalise(expiry.text)}; ${rotation.text}.`;
  if (expiry.status === 'fail' || rotation.status === 'fail') return { status: 'fail', evidence, fix: FIXES['BG-09'] };
  if (rotation.status === 'unknown') {
    return {
      status: 'unknown',
      evidence,
      fix: 'Grant AuditLog.Read.All (with an Entra ID P1 licence) or set LOG_ANALYTICS_WORKSPACE_ID so the last sign-in can be read; meanwhile rotate the password if the account was used.',
    };
  }
  return { status: 'pass', evidence, fix: '' };
}

function capitalise(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
}
