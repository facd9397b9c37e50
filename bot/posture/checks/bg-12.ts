import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES } from '../fixes.js';
import { accountSignIns, SIGN_IN_ACTIVITY_SOURCE, SIGN_IN_ROWS_SOURCE, type SuccessfulSignIn } from './account-sign-ins.js';
import { perAccount, sameName, type AccountVerdict, type ResolvedAccount } from './configured-accounts.js';
import { daysToMs, formatTime, parseTime } from './time.js';

/** Without a review on record, look this far back (the same lookback as the posture context). */
export const DEFAULT_REVIEW_WINDOW_DAYS = 90;
/** signInActivity and a sign-in row for the same sign-in differ by seconds; treat them as one. */
const SAME_SIGN_IN_MS = 5 * 60_000;
const MAX_LISTED = 3;

/** BG-12: no successful sign-in outside a drill or a resolved incident since the last review. */
export function bg12(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  const now = context.now.getTime();
  const since = parseTime(context.lastReviewAt) ?? now - daysToMs(DEFAULT_REVIEW_WINDOW_DAYS);
  const sinceText = context.lastReviewAt !== undefined && parseTime(context.lastReviewAt) !== undefined ? `the last review (${formatTime(since)})` : formatTime(since);
  return perAccount('BG-12', snapshot, context, (account) => judge(snapshot, context, account, since, sinceText));
}

function judge(snapshot: TenantSnapshot, context: PostureContext, account: ResolvedAccount, since: number, sinceText: string): AccountVerdict {
  const signIns = accountSignIns(snapshot, account);
  if (signIns.rows === undefined && signIns.lastSuccessful === undefined) {
    return {
      status: 'unknown',
      evidence: `Sign-ins are unknown: ${SIGN_IN_ROWS_SOURCE}: ${signIns.rowsUnknownReason ?? 'unavailable'}; ${SIGN_IN_ACTIVITY_SOURCE}: ${signIns.activityUnknownReason ?? 'unavailable'}.`,
      fix: 'Set LOG_ANALYTICS_WORKSPACE_ID (SigninLogs) or grant AuditLog.Read.All (with Entra ID P1) so the account\'s sign-ins can be read.',
    };
  }
  const rows = (signIns.rows ?? []).filter((signIn) => signIn.time >= since);
  const last = signIns.lastSuccessful;
  const lastIsNew = typeof last === 'number' && last >= since && !rows.some((row) => Math.abs(row.time - last) <= SAME_SIGN_IN_MS);
  const events: SuccessfulSignIn[] = [...rows, ...(lastIsNew ? [{ time: last, from: 'signInActivity' as const }] : [])];
  const unaccounted = events.filter((event) => !isAccounted(event.time, account, context));
  if (unaccounted.length > 0) {
    const listed = unaccounted.slice(0, MAX_LISTED).map(describe).join('; ');
    const more = unaccounted.length > MAX_LISTED ? ` and ${unaccounted.length - MAX_LISTED} more` : '';
    return {
      status: 'fail',
      evidence: `${unaccounted.length} successful sign-in${unaccounted.length === 1 ? '' : 's'} since ${sinceText} not covered by a drill or a resolved incident: ${listed}${more}.`,
      fix: FIXES['BG-12'],
    };
  }
  // signInActivity shows only the latest sign-in: an earlier one since the review could hide behind it.
  if (signIns.rows === undefined && events.length > 0) {
    return {
      status: 'unknown',
      evidence: `The last sign-in (${formatTime(events[0]?.time ?? since)}) is accounted for, but earlier ones since ${sinceText} cannot be seen without ${SIGN_IN_ROWS_SOURCE}.`,
      fix: 'Set LOG_ANALYTICS_WORKSPACE_ID to the workspace holding SigninLogs.',
    };
  }
  const note = signIns.rows === undefined ? ' (from signInActivity, which lags by hours)' : '';
  return {
    status: 'pass',
    evidence: events.length === 0 ? `No successful sign-in since ${sinceText}${note}.` : `${events.length} successful sign-in${events.length === 1 ? '' : 's'} since ${sinceText}, all covered by a drill or a resolved incident.`,
    fix: '',
  };
}

function isAccounted(time: number, account: ResolvedAccount, context: PostureContext): boolean {
  return context.accountedSignIns.some((window) => {
    const mine = sameName(window.account, account.user.userPrincipalName) || sameName(window.account, account.user.id) || sameName(window.account, account.configured);
    const from = parseTime(window.from);
    const to = parseTime(window.to);
    return mine && from !== undefined && to !== undefined && from <= time && time <= to;
  });
}

function describe(signIn: SuccessfulSignIn): string {
  if (signIn.from === 'signInActivity') return `${formatTime(signIn.time)} (from signInActivity; IP not known)`;
  const app = signIn.app ? ` to ${signIn.app}` : '';
  return `${formatTime(signIn.time)} from ${signIn.ipAddress ?? 'an unknown IP'}${app}`;
}
