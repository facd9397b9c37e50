import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES } from '../fixes.js';
import { perAccount } from './configured-accounts.js';
import { daysToMs, formatTime, parseTime, wholeDaysBetween } from './time.js';

export const DRILL_INTERVAL_DAYS = 90;

/** BG-10: validated within the last 90 days by a drill Glasswatch recorded as completed. */
export function bg10(snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  const drills = context.lastDrill;
  return perAccount('BG-10', snapshot, context, ({ configured, user }) => {
    if (drills === undefined) {
      return { status: 'unknown', evidence: 'Drills are not recorded yet, so the last validation is unknown.', fix: FIXES['BG-10'] };
    }
    const recorded = [user.userPrincipalName, user.id, configured].map((key) => drills[key.toLowerCase()]).find((value) => value !== undefined);
    const at = parseTime(recorded);
    if (at === undefined) return { status: 'fail', evidence: 'No completed drill recorded by Glasswatch.', fix: FIXES['BG-10'] };
    const now = context.now.getTime();
    if (now - at <= daysToMs(DRILL_INTERVAL_DAYS)) {
      return { status: 'pass', evidence: `Last completed drill ${formatTime(at)} (${wholeDaysBetween(at, now)} days ago).`, fix: '' };
    }
    return {
      status: 'fail',
      evidence: `Last completed drill ${formatTime(at)}, ${wholeDaysBetween(at, now)} days ago (more than ${DRILL_INTERVAL_DAYS}).`,
      fix: FIXES['BG-10'],
    };
  });
}
