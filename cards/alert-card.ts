// Typed builders, not an adaptivecards-templating JSON template: the compiler checks every
// element, untrusted text is escaped in one visible place, and state-dependent buttons read as
// a switch instead of `$when` expressions hidden in strings.
import type { SignInDetails, Subject } from '../bot/intake/alert.js';
import {
  adaptiveCard,
  type AdaptiveAction,
  type AdaptiveCard,
  type AdaptiveElement,
  type Container,
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
import { describeResult, describeSubject, formatUtc, safeText, safeUrl } from './format.js';

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
  /** How the sign-in details were completed from Log Analytics, or why they could not be. */
  enrichmentNote?: string;
  links: { searchResults?: string; portal?: string };
  /** Local mode's demo data: the card says so, loudly. */
  demo?: boolean;
  /** False when no incident workflow answers the buttons (nothing wired to the invoke): no buttons, and a line saying why. */
  actionsAvailable: boolean;
  /** Responders whose clients refresh the card on view (Teams allows at most 60). */
  refreshUserIds?: string[];
  /** Oldest first, as the incident keeps it; the card shows the last MAX_TIMELINE_ROWS. `at` is ISO UTC. */
  timeline?: { at: string; text: string }[];
  /**
   * Shown first, to the person who clicked only: set it on the invoke response's card, never on
   * the card edited in place for everyone ("Already acknowledged by Ada Lovelace at 14:03 UTC").
   */
  viewerNotice?: { text: string; tone: 'good' | 'warning' | 'attention' };
  /** e.g. "Escalation level 2 of 3 · next at 14:20 UTC": the caller formats it. */
  escalationLine?: string;
  /** Resolved incidents: why, in the picker's words, and the resolver's note. */
  resolution?: { label: string; note?: string };
  /** Resolved incidents: who confirmed the break-glass password was rotated after this use. `confirmedAt` is ISO UTC. */
  passwordRotation?: { confirmedBy: string; confirmedAt: string };
}

/** Keeps a card with ten rows of hostile 1 KB values far below Teams' message limit. */
export const MAX_RECENT_ROWS = 10;
export const MAX_REFRESH_USER_IDS = 60;
/** The newest timeline lines on the card; the audit trail keeps every one. */
export const MAX_TIMELINE_ROWS = 5;
export const ROTATE_PASSWORD_LINE = 'Rotate the break-glass password now: any use exposes it.';
const MAX_TEXT = 200;
const MAX_CELL = 60;
const MAX_NOTICE = 300;

const BANNER: Record<AlertCardState, { style: ContainerStyle; label: string }> = {
  triggered: { style: 'attention', label: 'NEEDS A RESPONDER' },
  acknowledged: { style: 'warning', label: 'ACKNOWLEDGED' },
  resolved: { style: 'good', label: 'RESOLVED' },
};

export function renderAlertCard(vm: AlertCardModel): AdaptiveCard {
  const body: AdaptiveElement[] = [];
  if (vm.viewerNotice) body.push(viewerNotice(vm.viewerNotice));
  body.push(header(vm));
  const rotation = passwordRotation(vm);
  if (rotation) body.push(rotation);
  body.push({ type: 'FactSet', facts: facts(vm), spacing: 'medium' });
  const table = recentTable(vm.recentSignIns);
  if (table) body.push({ type: 'TextBlock', text: 'Recent sign-ins', weight: 'bolder', spacing: 'medium' }, table);
  const timeline = timelineBlock(vm.timeline ?? []);
  if (timeline) body.push(timeline);
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
  // Resolved cards keep `refresh` too: a responder who opens the channel later still gets the
  // final state with the current version in its Note and Password rotated buttons.
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
  if (vm.escalationLine) {
    items.push({ type: 'TextBlock', text: safeText(vm.escalationLine, MAX_TEXT), size: 'small', wrap: true, spacing: 'none' });
  }
  if (vm.state === 'resolved' && vm.resolution) {
    items.push({ type: 'TextBlock', text: `Resolution: ${safeText(vm.resolution.label, MAX_TEXT)}`, weight: 'bolder', wrap: true, spacing: 'small' });
    const note = vm.resolution.note?.trim();
    if (note) items.push({ type: 'TextBlock', text: `Note: ${safeText(note, MAX_NOTE_LENGTH)}`, wrap: true, spacing: 'none' });
  }
  if (vm.enrichmentNote) {
    items.push({ type: 'TextBlock', text: safeText(vm.enrichmentNote, MAX_TEXT), wrap: true, isSubtle: true, size: 'small', spacing: 'small' });
  }
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

function viewerNotice(notice: NonNullable<AlertCardModel['viewerNotice']>): Container {
  return {
    type: 'Container',
    style: notice.tone,
    bleed: true,
    items: [{ type: 'TextBlock', text: safeText(notice.text, MAX_NOTICE), weight: 'bolder', wrap: true }],
  };
}

/**
 * Any use of a break-glass account exposes its password, so a resolved incident asks for a
 * rotation until someone confirms it. Only for user accounts: an app or a monitoring change has
 * no password to rotate.
 */
function passwordRotation(vm: AlertCardModel): Container | undefined {
  if (vm.state !== 'resolved' || vm.subject.kind !== 'user') return undefined;
  const done = vm.passwordRotation;
  if (done) {
    return {
      type: 'Container',
      style: 'good',
      spacing: 'medium',
      items: [
        {
          type: 'TextBlock',
          text: `Password rotated · confirmed by ${safeText(done.confirmedBy, MAX_TEXT)} at ${safeText(formatUtc(done.confirmedAt), 40)}`,
          wrap: true,
        },
      ],
    };
  }
  const items: AdaptiveElement[] = [{ type: 'TextBlock', text: ROTATE_PASSWORD_LINE, weight: 'bolder', wrap: true }];
  if (vm.actionsAvailable) {
    items.push({
      type: 'ActionSet',
      actions: [executeAction('Password rotated', 'incident.confirm-rotation', { incidentId: vm.incidentId, version: vm.version }, 'positive')],
    });
  }
  return { type: 'Container', style: 'warning', spacing: 'medium', items };
}

function timelineBlock(entries: { at: string; text: string }[]): Container | undefined {
  if (entries.length === 0) return undefined;
  const shown = entries.slice(-MAX_TIMELINE_ROWS);
  const items: AdaptiveElement[] = [{ type: 'TextBlock', text: 'Timeline', weight: 'bolder' }];
  const hidden = entries.length - shown.length;
  if (hidden > 0) {
    items.push({ type: 'TextBlock', text: `${hidden} earlier ${hidden === 1 ? 'entry' : 'entries'} in the audit trail`, size: 'small', isSubtle: true, wrap: true, spacing: 'none' });
  }
  let previousDate: string | undefined;
  for (const entry of shown) {
    const when = splitUtc(entry.at);
    // The date only when it changes, chat-style: most incidents live and die within a day.
    const at = when ? (when.date === previousDate ? when.time : `${when.date} ${when.time}`) : entry.at;
    previousDate = when?.date;
    items.push({ type: 'TextBlock', text: `${safeText(at, 40)} · ${safeText(entry.text, MAX_TEXT)}`, size: 'small', wrap: true, spacing: 'none' });
  }
  return { type: 'Container', spacing: 'medium', items };
}

function splitUtc(iso: string): { date: string; time: string } | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2} UTC)$/.exec(formatUtc(iso));
  return m?.[1] !== undefined && m[2] !== undefined ? { date: m[1], time: m[2] } : undefined;
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
        noteAction(vm),
      ];
    case 'acknowledged':
      return [
        executeAction('Unacknowledge', 'incident.unacknowledge', target),
        executeAction('Escalate', 'incident.escalate', target),
        resolveAction(vm),
        noteAction(vm),
      ];
    case 'resolved':
      // "Password rotated" sits beside its instruction (see passwordRotation), not down here.
      return [noteAction(vm)];
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

/**
 * A note at any stage: the findings of an investigation belong on the incident. The input shares
 * the id "note" with Resolve's optional note; Action.Execute gathers inputs from its own card
 * and its parents only, never from a sibling ShowCard, so the two cannot mix.
 */
function noteAction(vm: AlertCardModel): ShowCardAction {
  return {
    type: 'Action.ShowCard',
    title: 'Note',
    card: {
      type: 'AdaptiveCard',
      body: [
        {
          type: 'Input.Text',
          id: NOTE_INPUT_ID,
          label: 'Note',
          placeholder: 'What you found, who you called, ticket or change number',
          isMultiline: true,
          maxLength: MAX_NOTE_LENGTH,
          isRequired: true,
          errorMessage: 'Write a note first.',
        },
      ],
      actions: [executeAction('Add note', 'incident.note', { incidentId: vm.incidentId, version: vm.version })],
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
