import type { DrillLatency } from '../bot/drills/decide-drill.js';
import type { ChecklistItemId } from '../bot/drills/drill.js';
import {
  adaptiveCard,
  type AdaptiveAction,
  type AdaptiveCard,
  type AdaptiveElement,
  type Container,
  type Fact,
  type ShowCardAction,
} from './adaptive-card.js';
import { executeAction, MAX_REASON_LENGTH, REASON_INPUT_ID } from './card-actions.js';
import { formatUtc, plural, safeText } from './format.js';

/** Cards of the drill: the announcement, the checklist, the report, `drill status` and the reminders. */

const MAX_TEXT = 200;
const MAX_ID = 128;
const MAX_REASON_SHOWN = 300;
/** A channel answer, not a report: past this the status list stops and says how many it left out. */
export const MAX_STATUS_ROWS = 30;
/** The report shows this many alerts; a drill produces one or two. */
export const MAX_REPORT_ALERTS = 10;

export interface DrillAnnouncementModel {
  drillId: string;
  account: string;
  startedBy: string;
  /** ISO UTC. */
  startedAt: string;
  windowEndsAt: string;
  demo?: boolean;
}

/** Posted when a drill starts, so the monitoring staff know the coming sign-in is expected. */
export function renderDrillAnnouncementCard(vm: DrillAnnouncementModel): AdaptiveCard {
  const account = safeText(vm.account, MAX_TEXT);
  const until = safeText(clockAfter(vm.windowEndsAt, vm.startedAt), 40);
  const body: AdaptiveElement[] = [
    {
      type: 'Container',
      style: 'accent',
      bleed: true,
      items: [
        {
          type: 'TextBlock',
          text: `DRILL — a break-glass sign-in for ${account} is expected until ${until}; it is still posted and recorded, it does not escalate.`,
          size: 'medium',
          weight: 'bolder',
          wrap: true,
        },
      ],
    },
    {
      type: 'FactSet',
      spacing: 'medium',
      facts: [
        { title: 'Account', value: account },
        { title: 'Started by', value: safeText(vm.startedBy, 100) },
        { title: 'Started', value: safeText(formatUtc(vm.startedAt), 40) },
        { title: 'Window ends', value: safeText(formatUtc(vm.windowEndsAt), 40) },
        { title: 'Drill', value: safeText(vm.drillId, MAX_ID) },
      ],
    },
    {
      type: 'TextBlock',
      text: 'Sign in with the account, perform an administrative task, and tick the checklist as each step is done. "drill end" posts the report: a sign-in that produced no alert fails the drill.',
      wrap: true,
      spacing: 'medium',
    },
  ];
  if (vm.demo) {
    body.push({ type: 'TextBlock', text: 'Local mode: alerts come from "glasswatch simulate".', color: 'accent', wrap: true, spacing: 'small' });
  }
  return adaptiveCard(body);
}

export type ChecklistItemState = 'open' | 'ticked' | 'waived';

export interface ChecklistItemView {
  id: ChecklistItemId;
  title: string;
  guidance: string;
  state: ChecklistItemState;
  /** Who ticked or waived it, and when (ISO UTC). */
  by?: string;
  at?: string;
  reason?: string;
}

export interface ChecklistCardModel {
  /** The running drill the buttons act on; without one the card is read-only. */
  drillId?: string;
  version?: number;
  items: ChecklistItemView[];
  complete: boolean;
  readOnly?: boolean;
}

/** `/breakglass checklist`, and the checklist posted with each drill: "Done" and "Waive…" per open item. */
export function renderChecklistCard(vm: ChecklistCardModel): AdaptiveCard {
  const open = vm.items.filter((item) => item.state === 'open').length;
  const drillId = vm.readOnly ? undefined : vm.drillId;
  const target = drillId !== undefined ? { drillId, version: vm.version ?? 0 } : undefined;
  const body: AdaptiveElement[] = [
    { type: 'TextBlock', text: 'Break-glass validation checklist', size: 'medium', weight: 'bolder', wrap: true },
    {
      type: 'TextBlock',
      text: vm.complete ? 'Complete: every item is ticked or waived with a reason.' : `${plural(open, 'item')} open of ${vm.items.length}`,
      color: vm.complete ? 'good' : 'default',
      isSubtle: !vm.complete,
      wrap: true,
      spacing: 'none',
    },
  ];
  if (vm.drillId !== undefined) {
    body.push({ type: 'TextBlock', text: `Drill ${safeText(vm.drillId, MAX_ID)}`, size: 'small', isSubtle: true, wrap: true, spacing: 'none' });
  } else {
    body.push({
      type: 'TextBlock',
      text: "Microsoft's guidance: validate emergency access accounts at least every 90 days and after staff or subscription changes. Start a drill (drill start) to tick these items.",
      size: 'small',
      wrap: true,
      spacing: 'small',
    });
  }
  body.push(...vm.items.map((item) => checklistItem(item, target)));
  return adaptiveCard(body);
}

function checklistItem(item: ChecklistItemView, target: { drillId: string; version: number } | undefined): Container {
  const items: AdaptiveElement[] = [
    { type: 'TextBlock', text: `${stateMark(item.state)} ${safeText(item.title, MAX_TEXT)}`, weight: 'bolder', wrap: true },
    { type: 'TextBlock', text: safeText(item.guidance, 500), size: 'small', isSubtle: true, wrap: true, spacing: 'none' },
  ];
  const status = itemStatus(item);
  if (status !== undefined) items.push(status);
  if (target !== undefined && item.state !== 'ticked') {
    const buttonTarget = { ...target, item: item.id };
    const actions: AdaptiveAction[] = [executeAction('Done', 'drill.tick', buttonTarget, 'positive')];
    // A waived item can still be done; waiving it again is not offered.
    if (item.state === 'open') actions.push(waiveAction(item, buttonTarget));
    items.push({ type: 'ActionSet', actions, spacing: 'small' });
  }
  return { type: 'Container', separator: true, spacing: 'medium', items };
}

function stateMark(state: ChecklistItemState): string {
  switch (state) {
    case 'open':
      return '☐';
    case 'ticked':
      return '☑';
    case 'waived':
      return '⊘';
    default: {
      const unreachable: never = state;
      return unreachable;
    }
  }
}

function itemStatus(item: ChecklistItemView): AdaptiveElement | undefined {
  const who = item.by !== undefined ? ` by ${safeText(item.by, 100)}` : '';
  const when = item.at !== undefined ? ` at ${safeText(formatUtc(item.at), 40)}` : '';
  switch (item.state) {
    case 'open':
      return undefined;
    case 'ticked':
      return { type: 'TextBlock', text: `Done${who}${when}`, size: 'small', color: 'good', wrap: true, spacing: 'small' };
    case 'waived': {
      const reason = item.reason?.trim() ? `: ${safeText(item.reason, MAX_REASON_SHOWN)}` : '';
      return { type: 'TextBlock', text: `Waived${who}${when}${reason}`, size: 'small', color: 'warning', wrap: true, spacing: 'small' };
    }
    default: {
      const unreachable: never = item.state;
      return unreachable;
    }
  }
}

/** Waive asks why first; Action.Execute merges the reason into its data on submit. */
function waiveAction(item: ChecklistItemView, target: { drillId: string; version: number; item: ChecklistItemId }): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title: 'Waive…',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: REASON_INPUT_ID,
          label: `Why is "${safeText(item.title, MAX_TEXT)}" waived?`,
          placeholder: 'e.g. no FIDO2 key on this account: certificate-based authentication instead',
          isMultiline: true,
          maxLength: MAX_REASON_LENGTH,
          isRequired: true,
          errorMessage: 'Write why this item is waived.',
        },
      ],
      actions: [executeAction('Waive item', 'drill.waive', target)],
    },
  };
}

export interface DrillReportAlert {
  incidentId: string;
  signInAt?: string;
  firedAt: string;
  receivedAt: string;
  cardPostedAt?: string;
  /** As `formatLatency` words it. */
  latency: string;
}

export interface DrillReportModel {
  drillId: string;
  /** The drill's version: the "Password rotated" button carries it back. */
  version: number;
  account: string;
  result: 'passed' | 'failed';
  failures: string[];
  alerts: DrillReportAlert[];
  checklist: ChecklistItemView[];
  endedBy?: string;
  endedAt?: string;
  /** The incident opened about the alert path when the drill's sign-in produced no alert. */
  alertPathIncidentId?: string;
  rotationConfirmed?: { by: string; at: string };
  canConfirmRotation: boolean;
}

/** `drill end`: pass, or what failed; the latency of every alert; the checklist; the rotation reminder. */
export function renderDrillReportCard(vm: DrillReportModel): AdaptiveCard {
  const account = safeText(vm.account, MAX_TEXT);
  const passed = vm.result === 'passed';
  const header: AdaptiveElement[] = [
    { type: 'TextBlock', text: passed ? 'DRILL PASSED' : 'DRILL FAILED', size: 'small', weight: 'bolder', color: passed ? 'good' : 'attention' },
    { type: 'TextBlock', text: `Break-glass drill for ${account}`, size: 'medium', weight: 'bolder', wrap: true, spacing: 'small' },
  ];
  const ended = [
    vm.endedBy !== undefined ? `ended by ${safeText(vm.endedBy, 100)}` : undefined,
    vm.endedAt !== undefined ? `at ${safeText(formatUtc(vm.endedAt), 40)}` : undefined,
  ].filter((part) => part !== undefined);
  header.push({
    type: 'TextBlock',
    text: [`Drill ${safeText(vm.drillId, MAX_ID)}`, ...(ended.length > 0 ? [ended.join(' ')] : [])].join(' · '),
    size: 'small',
    isSubtle: true,
    wrap: true,
    spacing: 'none',
  });
  const body: AdaptiveElement[] = [{ type: 'Container', style: passed ? 'good' : 'attention', bleed: true, items: header }];

  if (passed) {
    body.push({ type: 'TextBlock', text: 'The alert reached Glasswatch and every checklist item is ticked or waived.', wrap: true, spacing: 'medium' });
  } else {
    body.push({
      type: 'Container',
      spacing: 'medium',
      items: [
        { type: 'TextBlock', text: 'What failed', weight: 'bolder' },
        ...vm.failures.map((failure): AdaptiveElement => ({ type: 'TextBlock', text: safeText(failure, 600), color: 'attention', wrap: true, spacing: 'small' })),
      ],
    });
  }
  if (vm.alertPathIncidentId !== undefined) {
    body.push({
      type: 'TextBlock',
      text: `Opened incident ${safeText(vm.alertPathIncidentId, MAX_ID)} about the alert path: check the diagnostic setting, the alert rule and its action group.`,
      wrap: true,
      spacing: 'small',
    });
  }
  body.push(alertsBlock(vm.alerts));
  body.push(checklistSummary(vm.checklist));
  body.push(rotationBlock(vm, account));
  return adaptiveCard(body);
}

function alertsBlock(alerts: DrillReportAlert[]): Container {
  const items: AdaptiveElement[] = [{ type: 'TextBlock', text: alerts.length === 0 ? 'No alert arrived in the window' : `Alerts (${alerts.length})`, weight: 'bolder', wrap: true }];
  for (const alert of alerts.slice(0, MAX_REPORT_ALERTS)) {
    const facts: Fact[] = [{ title: 'Incident', value: safeText(alert.incidentId, MAX_ID) }];
    if (alert.signInAt !== undefined) facts.push({ title: 'Sign-in', value: safeText(formatUtc(alert.signInAt), 40) });
    facts.push(
      { title: 'Alert fired', value: safeText(formatUtc(alert.firedAt), 40) },
      { title: 'Received', value: safeText(formatUtc(alert.receivedAt), 40) },
      { title: 'Card posted', value: alert.cardPostedAt !== undefined ? safeText(formatUtc(alert.cardPostedAt), 40) : 'not yet' },
      { title: 'Latency', value: safeText(alert.latency, MAX_TEXT) },
    );
    items.push({ type: 'FactSet', facts, spacing: 'small' });
  }
  if (alerts.length > MAX_REPORT_ALERTS) {
    items.push({ type: 'TextBlock', text: `… and ${alerts.length - MAX_REPORT_ALERTS} more`, isSubtle: true, wrap: true, spacing: 'small' });
  }
  return { type: 'Container', spacing: 'medium', separator: true, items };
}

function checklistSummary(checklist: ChecklistItemView[]): Container {
  const items: AdaptiveElement[] = [{ type: 'TextBlock', text: 'Checklist', weight: 'bolder' }];
  for (const item of checklist) {
    const status = itemStatus(item);
    const line = status !== undefined && status.type === 'TextBlock' ? ` · ${status.text}` : ' · open';
    items.push({
      type: 'TextBlock',
      text: `${stateMark(item.state)} ${safeText(item.title, MAX_TEXT)}${line}`,
      size: 'small',
      color: item.state === 'open' ? 'attention' : 'default',
      wrap: true,
      spacing: 'none',
    });
  }
  return { type: 'Container', spacing: 'medium', separator: true, items };
}

function rotationBlock(vm: DrillReportModel, account: string): Container {
  if (vm.rotationConfirmed !== undefined) {
    return {
      type: 'Container',
      style: 'good',
      spacing: 'medium',
      items: [
        {
          type: 'TextBlock',
          text: `Password rotated · confirmed by ${safeText(vm.rotationConfirmed.by, 100)} at ${safeText(formatUtc(vm.rotationConfirmed.at), 40)}`,
          wrap: true,
        },
      ],
    };
  }
  const items: AdaptiveElement[] = [
    {
      type: 'TextBlock',
      text: `Rotate the password of ${account}: the drill signed in with it. Store the new one the way your break-glass procedure says.`,
      weight: 'bolder',
      wrap: true,
    },
  ];
  if (vm.canConfirmRotation) {
    items.push({
      type: 'ActionSet',
      actions: [executeAction('Password rotated', 'drill.confirm-rotation', { drillId: vm.drillId, version: vm.version }, 'positive')],
    });
  }
  return { type: 'Container', style: 'warning', spacing: 'medium', items };
}

export interface DrillStatusAccount {
  account: string;
  lastDrill?: { at: string; result: 'passed' | 'failed' };
  /** YYYY-MM-DD in the schedule's zone. */
  nextDue?: string;
  overdue: boolean;
  running?: { startedAt: string; windowEndsAt: string };
}

export interface DrillStatusModel {
  accounts: DrillStatusAccount[];
  everyDays: number;
  timeZone: string;
}

/** `/breakglass drill status`: per account the last drill, its result and the next due date. */
export function renderDrillStatusCard(vm: DrillStatusModel): AdaptiveCard {
  const body: AdaptiveElement[] = [
    { type: 'TextBlock', text: 'Break-glass drills', size: 'medium', weight: 'bolder', wrap: true },
    {
      type: 'TextBlock',
      text: `Every ${plural(Math.trunc(vm.everyDays), 'day')} · dates in ${safeText(vm.timeZone, 60)}`,
      isSubtle: true,
      size: 'small',
      wrap: true,
      spacing: 'none',
    },
  ];
  if (vm.accounts.length === 0) {
    body.push({ type: 'TextBlock', text: 'No break-glass accounts are configured, so no drill is scheduled.', wrap: true, spacing: 'medium' });
  }
  body.push(...vm.accounts.slice(0, MAX_STATUS_ROWS).map(statusRow));
  if (vm.accounts.length > MAX_STATUS_ROWS) {
    body.push({ type: 'TextBlock', text: `… and ${vm.accounts.length - MAX_STATUS_ROWS} more`, isSubtle: true, wrap: true, spacing: 'medium' });
  }
  return adaptiveCard(body);
}

function statusRow(row: DrillStatusAccount): Container {
  const last = row.lastDrill !== undefined ? `Last drill ${safeText(formatUtc(row.lastDrill.at), 40)}: ${row.lastDrill.result}` : 'No drill recorded';
  const due = row.nextDue !== undefined ? `next due ${safeText(row.nextDue, 20)}` : 'no date scheduled';
  return {
    type: 'Container',
    separator: true,
    spacing: 'medium',
    items: [
      statusBadge(row),
      { type: 'TextBlock', text: safeText(row.account, MAX_TEXT), weight: 'bolder', wrap: true, spacing: 'none' },
      { type: 'TextBlock', text: `${last} · ${due}`, size: 'small', isSubtle: true, wrap: true, spacing: 'none' },
    ],
  };
}

function statusBadge(row: DrillStatusAccount): AdaptiveElement {
  const badge = (text: string, color: 'accent' | 'attention' | 'good' | 'warning'): AdaptiveElement => ({
    type: 'TextBlock',
    text,
    size: 'small',
    weight: 'bolder',
    color,
    wrap: true,
  });
  if (row.running !== undefined) return badge(`Drill running until ${safeText(clockAfter(row.running.windowEndsAt, row.running.startedAt), 40)}`, 'accent');
  if (row.overdue) return badge(row.nextDue !== undefined ? `Overdue: was due ${safeText(row.nextDue, 20)}` : 'Overdue', 'attention');
  if (row.lastDrill?.result === 'failed') return badge('Last drill failed', 'warning');
  if (row.lastDrill === undefined) return badge('Never drilled', 'warning');
  return badge('On schedule', 'good');
}

export interface DrillReminderModel {
  account: string;
  kind: 'upcoming' | 'due' | 'overdue';
  /** YYYY-MM-DD in the schedule's zone. */
  due: string;
}

/** Posted in the channel before a drill is due, on the day, and once when it is overdue. */
export function renderDrillReminderCard(vm: DrillReminderModel): AdaptiveCard {
  const account = safeText(vm.account, MAX_TEXT);
  const due = safeText(vm.due, 20);
  const start = `Start it with "drill start ${account}" when the people and the security key are at hand.`;
  const [label, color, text] = ((): [string, 'accent' | 'warning' | 'attention', string] => {
    switch (vm.kind) {
      case 'upcoming':
        return ['DRILL COMING UP', 'accent', `The break-glass drill for ${account} is due on ${due}. ${start}`];
      case 'due':
        return ['DRILL DUE TODAY', 'warning', `The break-glass drill for ${account} is due today (${due}). ${start}`];
      case 'overdue':
        return [
          'DRILL OVERDUE',
          'attention',
          `The break-glass drill for ${account} was due on ${due}. Until it is done, nobody has shown the account still works or that its sign-in raises an alert. ${start}`,
        ];
      default: {
        const unreachable: never = vm.kind;
        return unreachable;
      }
    }
  })();
  return adaptiveCard([
    { type: 'TextBlock', text: label, size: 'small', weight: 'bolder', color },
    { type: 'TextBlock', text, wrap: true, spacing: 'small' },
    {
      type: 'TextBlock',
      text: "Microsoft's guidance: validate emergency access accounts at least every 90 days, and after staff or subscription changes.",
      size: 'small',
      isSubtle: true,
      wrap: true,
      spacing: 'small',
    },
  ]);
}

/** "4 min 12 s from sign-in to alert · 3 s to Glasswatch · 1 s to the card": one alert's hops, for the report. */
export function formatLatency(latency: DrillLatency): string {
  const parts: string[] = [];
  if (latency.signInToFiredMs !== undefined) parts.push(`sign-in → alert ${seconds(latency.signInToFiredMs)}`);
  parts.push(`alert → Glasswatch ${seconds(latency.firedToReceivedMs)}`);
  parts.push(latency.receivedToCardMs !== undefined ? `Glasswatch → card ${seconds(latency.receivedToCardMs)}` : 'card not posted yet');
  return parts.join(' · ');
}

/** "under 1 s", "42 s", "4 min 12 s", "1 h 5 min". A negative span (clocks that disagree) reads as under a second. */
function seconds(ms: number): string {
  const total = Math.floor(Math.max(0, ms) / 1000);
  if (total < 1) return 'under 1 s';
  if (total < 60) return `${total} s`;
  const minutes = Math.floor(total / 60);
  if (minutes < 60) return total % 60 === 0 ? `${minutes} min` : `${minutes} min ${total % 60} s`;
  const hours = Math.floor(minutes / 60);
  return minutes % 60 === 0 ? `${hours} h` : `${hours} h ${minutes % 60} min`;
}

/** "15:00 UTC" when `iso` falls on the same UTC day as `reference`, else the full "2026-11-23 00:30 UTC". */
function clockAfter(iso: string, reference: string): string {
  const full = formatUtc(iso);
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2} UTC)$/.exec(full);
  return m?.[1] !== undefined && m[2] !== undefined && formatUtc(reference).startsWith(m[1]) ? m[2] : full;
}
