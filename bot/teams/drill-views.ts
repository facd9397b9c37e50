import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import { formatLatency, renderChecklistCard, renderDrillReportCard, renderDrillStatusCard } from '../../cards/drill-card.js';
import { checklistComplete, checklistRows, newChecklist } from '../drills/checklist.js';
import { drillLatency } from '../drills/decide-drill.js';
import type { Drill, DrillSchedule } from '../drills/drill.js';
import { dueInstant } from '../drills/schedule.js';
import type { DrillSettings } from '../config.js';

/** The checklist card: interactive for a running drill, read-only otherwise. */
export function checklistCard(drill: Drill | undefined): AdaptiveCard {
  if (!drill) return renderChecklistCard({ items: checklistRows(newChecklist()), complete: false, readOnly: true });
  return renderChecklistCard({
    drillId: drill.id,
    version: drill.version,
    items: checklistRows(drill.checklist),
    complete: checklistComplete(drill.checklist),
    readOnly: drill.status !== 'running',
  });
}

export function reportCard(drill: Drill): AdaptiveCard {
  if (drill.status === 'running') return checklistCard(drill);
  return renderDrillReportCard({
    drillId: drill.id,
    version: drill.version,
    account: drill.account,
    result: drill.status,
    failures: drill.failures,
    alerts: drill.alerts.map((alert) => ({ ...alert, latency: formatLatency(drillLatency(alert)) })),
    checklist: checklistRows(drill.checklist),
    endedBy: drill.endedBy.name,
    endedAt: drill.endedAt,
    alertPathIncidentId: drill.alertPathIncidentId,
    rotationConfirmed: drill.passwordRotation ? { by: drill.passwordRotation.confirmedBy.name, at: drill.passwordRotation.confirmedAt } : undefined,
    canConfirmRotation: drill.passwordRotation === undefined,
  });
}

/** `drill status`: per account the last drill, its result, the next due date; the running one. */
export function drillStatusCard(schedules: readonly DrillSchedule[], drills: readonly Drill[], settings: DrillSettings, now: Date): AdaptiveCard {
  return renderDrillStatusCard({
    everyDays: settings.everyDays,
    timeZone: settings.timeZone,
    accounts: schedules.map((schedule) => {
      const mine = drills.filter((d) => d.account === schedule.account);
      const ended = mine.find((d) => d.status !== 'running');
      const running = mine.find((d) => d.status === 'running');
      return {
        account: schedule.account,
        lastDrill: ended?.status === 'passed' || ended?.status === 'failed' ? { at: ended.endedAt, result: ended.status } : undefined,
        nextDue: schedule.nextDue,
        // Overdue the day after the due date, as the reminders count it.
        overdue: now.getTime() >= dueInstant(schedule.nextDue, schedule.timeZone).getTime() + 86_400_000,
        running: running ? { startedAt: running.startedAt, windowEndsAt: running.windowEndsAt } : undefined,
      };
    }),
  });
}
