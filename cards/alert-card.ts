// Typed builders, not an adaptivecards-templating JSON template: the compiler checks every
// element, untrusted text is escaped in one visible place, and state-dependent buttons read as
// a switch instead of `$when` expressions hidden in strings.
import type { SignInDetails, Subject } from '../bot/intake/alert.js';
import {
  adaptiveCard,
  type AdaptiveAction,
  type AdaptiveCard,
  type AdaptiveElement,
  type ContainerStyle,
  type Fact,
  type OpenUrlAction,
  type ShowCardAction,
  type Table,
  type TableCell,
} from './adaptive-card.js';
import {
  MAX_NOTE_LENGTH,
  NOTE_INPUT_ID,
  RESOLUTIONS,
  RESOLUTION_INPUT_ID,
  RESOLUTION_LABELS,
  executeAction,
} from './card-actions.js';
import { describeResult, describeSubject, formatUtc, safeText } from './format.js';

export type AlertCardState = 'triggered' | 'acknowledged' | 'resolved';

export interface AlertCardModel {
  incidentId: string;
  version: number;
  state: AlertCardState;
  /** e.g. "Acknowledged by Ada Lovelace · 14:03 UTC": the caller formats it. */
  stateLine?: string;
  subject: Subject;
  headline: string;
  severity: string;
  ruleName: string;
  /** ISO UTC. */
  firedAt: string;
  occurrences: number;
  firstSeen: string;
  lastSeen: string;
  latest?: SignInDetails;
  /** Newest first; the card shows at most MAX_RECENT_ROWS. */
  recentSignIns: SignInDetails[];
  /** "Azure Monitor reported the condition resolved at …" */
  resolvedNotice?: string;
  links: { searchResults?: string; portal?: string };
  /** Local mode's demo data: the card says so, loudly. */
  demo?: boolean;
  /** False when no incident workflow answers the buttons (nothing wired to the invoke): no buttons, and a line saying why. */
  actionsAvailable: boolean;
  /** Responders whose clients refresh the card on view (Teams allows at most 60). */
  refreshUserIds?: string[];
}

/** Keeps a card with ten rows of hostile 1 KB values far below Teams' message limit. */
export const MAX_RECENT_ROWS = 10;
export const MAX_REFRESH_USER_IDS = 60;
const MAX_TEXT = 200;
const MAX_CELL = 60;
// An over-long link is more likely junk than a query link; dropping it keeps the card small.
const MAX_URL = 2048;

const BANNER: Record<AlertCardState, { style: ContainerStyle; label: string }> = {
  triggered: { style: 'attention', label: 'NEEDS A RESPONDER' },
  acknowledged: { style: 'warning', label: 'ACKNOWLEDGED' },
  resolved: { style: 'good', label: 'RESOLVED' },
};

export function renderAlertCard(vm: AlertCardModel): AdaptiveCard {
  const body: AdaptiveElement[] = [header(vm), { type: 'FactSet', facts: facts(vm), spacing: 'medium' }];
  const table = recentTable(vm.recentSignIns);
  if (table) body.push({ type: 'TextBlock', text: 'Recent sign-ins', weight: 'bolder', spacing: 'medium' }, table);
  if (!vm.actionsAvailable && vm.state !== 'resolved') {
    body.push({
      type: 'TextBlock',
      text: 'Buttons are off: this Glasswatch is not connected to its incident workflow. Act in the tools you already use.',
      wrap: true,
      isSubtle: true,
      spacing: 'medium',
    });
  }

  const card = adaptiveCard(body, [...(vm.actionsAvailable ? buttons(vm) : []), ...links(vm.links)]);
  const userIds = [...new Set(vm.refreshUserIds ?? [])].slice(0, MAX_REFRESH_USER_IDS);
  if (vm.actionsAvailable && userIds.length > 0) {
    card.refresh = {
      action: executeAction('Refresh', 'incident.refresh', { incidentId: vm.incidentId, version: vm.version }),
      userIds,
    };
  }
  return card;
}

function header(vm: AlertCardModel): AdaptiveElement {
  const banner = BANNER[vm.state];
  const items: AdaptiveElement[] = [
    {
      type: 'TextBlock',
      text: vm.demo ? `${banner.label} · DEMO DATA` : banner.label,
      size: 'small',
      weight: 'bolder',
      color: vm.state === 'triggered' ? 'attention' : 'default',
    },
    { type: 'TextBlock', text: safeText(vm.headline, MAX_TEXT), size: 'large', weight: 'bolder', wrap: true, spacing: 'small' },
  ];
  if (vm.stateLine) items.push({ type: 'TextBlock', text: safeText(vm.stateLine, MAX_TEXT), wrap: true, spacing: 'small' });
  if (vm.resolvedNotice) {
    items.push({ type: 'TextBlock', text: safeText(vm.resolvedNotice, MAX_TEXT), wrap: true, isSubtle: true, spacing: 'small' });
  }
  if (vm.demo) {
    items.push({
      type: 'TextBlock',
      text: 'Demo data: this card was made from the bundled demo tenant, not a real sign-in.',
      wrap: true,
      color: 'accent',
      spacing: 'small',
    });
  }
  return { type: 'Container', style: banner.style, bleed: true, items };
}

function facts(vm: AlertCardModel): Fact[] {
  const latest = vm.latest;
  const list: Fact[] = [
    { title: 'Account', value: safeText(describeSubject(vm.subject), MAX_TEXT) },
    {
      title: 'Sign-in time',
      value: latest?.time ? safeText(formatUtc(latest.time), MAX_TEXT) : `${safeText(formatUtc(vm.firedAt), MAX_TEXT)} (alert fired)`,
    },
    { title: 'Result', value: safeText(describeResult(latest?.resultType, latest?.resultDescription), MAX_TEXT) },
  ];
  const optional: [string, string | undefined][] = [
    ['IP address', latest?.ipAddress],
    ['Location', latest?.location],
    ['Application', latest?.app],
    ['Operation', latest?.operationName],
    ['Caller', latest?.caller],
    ['Status', latest?.status],
  ];
  for (const [title, value] of optional) {
    if (value?.trim()) list.push({ title, value: safeText(value, MAX_TEXT) });
  }
  list.push(
    { title: 'Alert rule', value: safeText(vm.ruleName, MAX_TEXT) },
    { title: 'Severity', value: safeText(vm.severity, 20) },
    { title: 'Occurrences', value: occurrences(vm) },
  );
  return list;
}

function occurrences(vm: AlertCardModel): string {
  if (vm.occurrences <= 1) return String(Math.max(vm.occurrences, 1));
  return `${vm.occurrences} (first ${safeText(formatUtc(vm.firstSeen), 40)}, last ${safeText(formatUtc(vm.lastSeen), 40)})`;
}

function recentTable(signIns: SignInDetails[]): Table | undefined {
  if (signIns.length <= 1) return undefined;
  const header = ['Time', 'Result', 'IP address', 'Location', 'Application'];
  const rows = signIns.slice(0, MAX_RECENT_ROWS).map((s) => [
    s.time ? formatUtc(s.time) : '—',
    // The code alone: descriptions are long and already on the latest sign-in's facts.
    describeResult(s.resultType),
    s.ipAddress ?? '—',
    s.location ?? '—',
    s.app ?? s.operationName ?? '—',
  ]);
  return {
    type: 'Table',
    columns: [{ width: 3 }, { width: 2 }, { width: 3 }, { width: 3 }, { width: 3 }],
    firstRowAsHeaders: true,
    showGridLines: false,
    spacing: 'small',
    rows: [
      { type: 'TableRow', cells: header.map((text) => cell(text, true)) },
      ...rows.map((values) => ({ type: 'TableRow' as const, cells: values.map((text) => cell(safeText(text, MAX_CELL), false)) })),
    ],
  };
}

function cell(text: string, bold: boolean): TableCell {
  return {
    type: 'TableCell',
    items: [{ type: 'TextBlock', text, wrap: true, size: 'small', ...(bold ? { weight: 'bolder' as const } : {}) }],
  };
}

function buttons(vm: AlertCardModel): AdaptiveAction[] {
  const target = { incidentId: vm.incidentId, version: vm.version };
  switch (vm.state) {
    case 'triggered':
      return [
        executeAction('Acknowledge', 'incident.acknowledge', target, 'positive'),
        executeAction('Escalate', 'incident.escalate', target),
        resolveAction(vm),
      ];
    case 'acknowledged':
      return [
        executeAction('Unacknowledge', 'incident.unacknowledge', target),
        executeAction('Escalate', 'incident.escalate', target),
        resolveAction(vm),
      ];
    case 'resolved':
      return [];
    default: {
      const unreachable: never = vm.state;
      return unreachable;
    }
  }
}

/** Resolve asks why first; Action.Execute merges the inputs into its data on submit. */
function resolveAction(vm: AlertCardModel): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title: 'Resolve',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.ChoiceSet',
          id: RESOLUTION_INPUT_ID,
          label: 'Resolution',
          placeholder: 'Why did this account sign in?',
          style: 'expanded',
          isRequired: true,
          errorMessage: 'Choose a resolution.',
          choices: RESOLUTIONS.map((value) => ({ title: RESOLUTION_LABELS[value], value })),
        },
        {
          type: 'Input.Text',
          id: NOTE_INPUT_ID,
          label: 'Note (optional)',
          placeholder: 'Ticket, change number, who authorised it',
          isMultiline: true,
          maxLength: MAX_NOTE_LENGTH,
        },
      ],
      actions: [executeAction('Resolve incident', 'incident.resolve', { incidentId: vm.incidentId, version: vm.version }, 'positive')],
    },
  };
}

function links(l: AlertCardModel['links']): OpenUrlAction[] {
  const out: OpenUrlAction[] = [];
  const search = safeUrl(l.searchResults);
  if (search) out.push({ type: 'Action.OpenUrl', title: 'Open in Log Analytics', url: search });
  const portal = safeUrl(l.portal);
  if (portal) out.push({ type: 'Action.OpenUrl', title: 'Open in Azure portal', url: portal });
  return out;
}

/** Only https links of sane length: an alert field must not become a javascript: or phishing-length URL. */
function safeUrl(raw: string | undefined): string | undefined {
  if (raw === undefined || raw.length > MAX_URL) return undefined;
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  return url.protocol === 'https:' ? url.toString() : undefined;
}
