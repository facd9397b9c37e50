import type { SignInRow, TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import { sameName, type ResolvedAccount } from './configured-accounts.js';
import { parseTime } from './time.js';

/** A successful sign-in of the account, from a sign-in row or from the user's signInActivity. */
export interface SuccessfulSignIn {
  time: number;
  ipAddress?: string;
  app?: string;
  from: 'row' | 'signInActivity';
}

/**
 * What the snapshot knows about the account's successful sign-ins, from both sources. `undefined`
 * means that source is unknown (its reason is kept); the two sources are never merged into a guess.
 */
export interface AccountSignIns {
  /** Successful rows (`ResultType` "0") of this account, newest first; undefined when rows are unknown. */
  rows: SuccessfulSignIn[] | undefined;
  rowsUnknownReason?: string;
  /** signInActivity.lastSuccessfulSignInDateTime: a time, null for never, undefined when unknown. */
  lastSuccessful: number | null | undefined;
  activityUnknownReason?: string;
}

export function accountSignIns(snapshot: TenantSnapshot, account: ResolvedAccount): AccountSignIns {
  const activity = account.entry.signInActivity;
  const rows = snapshot.signIns.ok
    ? snapshot.signIns.value
        .filter((row) => row.resultType.trim() === '0' && belongsTo(row, account))
        .flatMap((row): SuccessfulSignIn[] => {
          const time = parseTime(row.time);
          return time === undefined ? [] : [{ time, ipAddress: row.ipAddress ?? undefined, app: row.app ?? undefined, from: 'row' }];
        })
        .sort((a, b) => b.time - a.time)
    : undefined;
  return {
    rows,
    rowsUnknownReason: snapshot.signIns.ok ? undefined : snapshot.signIns.reason,
    lastSuccessful: activity.ok ? (parseTime(activity.value.lastSuccessfulSignInDateTime) ?? null) : undefined,
    activityUnknownReason: activity.ok ? undefined : activity.reason,
  };
}

function belongsTo(row: SignInRow, account: ResolvedAccount): boolean {
  return sameName(row.userId, account.user.id) || sameName(row.upn, account.user.userPrincipalName);
}

/** The missing sign-in sources, named so the admin knows what to configure. */
export const SIGN_IN_ROWS_SOURCE = 'sign-in rows (set LOG_ANALYTICS_WORKSPACE_ID to the workspace holding SigninLogs)';
export const SIGN_IN_ACTIVITY_SOURCE = 'signInActivity (AuditLog.Read.All and an Entra ID P1 licence)';
