import type { TenantSnapshot } from '../../tenant/tenant-snapshot.js';
import type { Finding, PostureContext } from '../finding.js';
import { FIXES, finding } from '../fixes.js';
import { formatTime, parseTime, wholeDaysBetween } from './time.js';

/** BG-11 (tenant): sign-in alerting is live: an alert or heartbeat reached Glasswatch within its window. */
export function bg11(_snapshot: TenantSnapshot, context: PostureContext): Finding[] {
  const at = parseTime(context.lastAlertAt);
  if (at === undefined) {
    return [
      finding(
        'BG-11',
        '*',
        'warn',
        'No alert has reached Glasswatch yet: run glasswatch simulate or a drill to prove the path.',
        FIXES['BG-11'],
      ),
    ];
  }
  const now = context.now.getTime();
  const windowDays = Math.round(context.alertingWindowMs / (24 * 3_600_000));
  if (now - at <= context.alertingWindowMs) {
    return [finding('BG-11', '*', 'pass', `Last alert received ${formatTime(at)}, within the ${windowDays}-day window.`, '')];
  }
  return [
    finding(
      'BG-11',
      '*',
      'fail',
      `The last alert reached Glasswatch ${formatTime(at)}, ${wholeDaysBetween(at, now)} days ago: longer than the ${windowDays}-day window, so the alert path may be broken.`,
      FIXES['BG-11'],
    ),
  ];
}
