import { adaptiveCard, type AdaptiveCard, type AdaptiveElement, type Container, type Table, type TableCell } from './adaptive-card.js';
import { demoBadge } from './demo-badge.js';
import { describeResult, formatUtc, parseUtcMillis, plural, safeText } from './format.js';

export interface SignInsCardRow {
  /** ISO UTC: when the sign-in happened. */
  time: string;
  account: string;
  /** SigninLogs ResultType: "0" or an error code. */
  result: string;
  resultDescription?: string;
  ip?: string;
  location?: string;
  app?: string;
  /** SigninLogs ConditionalAccessStatus: "success", "failure", "notApplied". */
  conditionalAccess?: string;
  authMethod?: string;
  /** What Glasswatch knows about this sign-in: the incident it raised, or the drill that covers it. */
  link?: { kind: 'incident' | 'drill'; label: string };
}

export interface SignInsCardModel {
  /** The account asked about; absent for every break-glass account. */
  account?: string;
  days: number;
  /** ISO UTC time the sign-ins were read. */
  now: string;
  source: 'graph' | 'file' | 'demo' | 'log-analytics';
  /** Any order: the card shows them newest first. */
  rows: SignInsCardRow[];
  /** Why sign-ins could not be read (e.g. "Log Analytics is not configured: set LOG_ANALYTICS_WORKSPACE_ID"): shown instead of rows. */
  unavailable?: string;
}

export const MAX_SIGNIN_ROWS = 25;
export const MAX_SIGNINS_CARD_BYTES = 28 * 1024;
export { DEMO_BADGE } from './demo-badge.js';

const MAX_NAME = 128;
const MAX_REASON = 500;

const SOURCE: Record<SignInsCardModel['source'], string> = {
  graph: 'Microsoft Graph',
  file: 'snapshot file',
  demo: 'bundled demo snapshot',
  'log-analytics': 'Log Analytics (SigninLogs)',
};

const HEADERS = ['Time (UTC)', 'Account', 'Result', 'IP address', 'Location', 'Application', 'Conditional Access', 'Method', 'Glasswatch'];
const WIDTHS = [3, 4, 4, 3, 3, 3, 2, 3, 3];

interface Limits {
  rows: number;
  cell: number;
  result: number;
}

// A table cell costs ~70 bytes of JSON before its text, so 25 rows of nine cells leave little room:
// when long or hostile values would push the card past the budget, cells say less, then fewer rows show.
const SMALLEST: Limits = { rows: 10, cell: 16, result: 24 };
const LIMITS: Limits[] = [
  { rows: MAX_SIGNIN_ROWS, cell: 60, result: 100 },
  { rows: MAX_SIGNIN_ROWS, cell: 48, result: 80 },
  { rows: MAX_SIGNIN_ROWS, cell: 48, result: 60 },
  { rows: MAX_SIGNIN_ROWS, cell: 40, result: 48 },
  { rows: MAX_SIGNIN_ROWS, cell: 24, result: 40 },
  { rows: 15, cell: 24, result: 40 },
  SMALLEST,
];

const encoder = new TextEncoder();

/** The answer to `/breakglass signins [upn] [days]`. */
export function renderSignInsCard(vm: SignInsCardModel): AdaptiveCard {
  for (const limits of LIMITS) {
    const card = build(vm, limits);
    if (encoder.encode(JSON.stringify(card)).length < MAX_SIGNINS_CARD_BYTES) return card;
  }
  return build(vm, SMALLEST);
}

/** Newest first; a time that cannot be read sorts last, keeping the order it came in. */
export function newestFirst<T extends { time: string }>(rows: readonly T[]): T[] {
  return rows
    .map((row, index) => ({ row, index, at: parseUtcMillis(row.time) ?? Number.NEGATIVE_INFINITY }))
    .sort((a, b) => (a.at === b.at ? a.index - b.index : b.at - a.at))
    .map(({ row }) => row);
}

function build(vm: SignInsCardModel, limits: Limits): AdaptiveCard {
  const body: AdaptiveElement[] = [header(vm)];
  if (vm.source === 'demo') body.push(demoBadge('Local mode reads the bundled demo snapshot: these sign-ins never happened.'));
  const reason = vm.unavailable?.trim();
  if (reason) {
    body.push(unavailable(reason));
    return adaptiveCard(body);
  }
  const count = vm.rows.length;
  if (count === 0) {
    body.push({ type: 'TextBlock', text: `No sign-ins by ${who(vm)} in the last ${plural(days(vm), 'day')}.`, wrap: true, spacing: 'medium' });
    return adaptiveCard(body);
  }
  const shown = newestFirst(vm.rows).slice(0, limits.rows);
  body.push(
    { type: 'TextBlock', text: `${plural(count, 'sign-in')}, newest first`, weight: 'bolder', wrap: true, spacing: 'medium' },
    table(shown, limits),
  );
  if (count > shown.length) {
    body.push({ type: 'TextBlock', text: `… and ${count - shown.length} more`, isSubtle: true, wrap: true, spacing: 'small' });
  }
  return adaptiveCard(body);
}

function header(vm: SignInsCardModel): Container {
  return {
    type: 'Container',
    items: [
      { type: 'TextBlock', text: 'Break-glass sign-ins', size: 'large', weight: 'bolder', wrap: true },
      {
        type: 'TextBlock',
        text: `${vm.account === undefined ? 'All break-glass accounts' : safeText(vm.account, MAX_NAME)} · last ${plural(days(vm), 'day')} · as of ${safeText(formatUtc(vm.now), 40)}`,
        wrap: true,
        spacing: 'none',
      },
      { type: 'TextBlock', text: `Source: ${SOURCE[vm.source]}`, size: 'small', isSubtle: true, wrap: true, spacing: 'none' },
    ],
  };
}


function unavailable(reason: string): Container {
  return {
    type: 'Container',
    style: 'warning',
    spacing: 'medium',
    items: [
      { type: 'TextBlock', text: 'Sign-ins are unavailable', weight: 'bolder', wrap: true },
      { type: 'TextBlock', text: safeText(reason, MAX_REASON), wrap: true, spacing: 'small' },
    ],
  };
}

function who(vm: SignInsCardModel): string {
  return vm.account === undefined ? 'break-glass accounts' : safeText(vm.account, MAX_NAME);
}

function days(vm: SignInsCardModel): number {
  return Number.isFinite(vm.days) ? Math.max(0, Math.trunc(vm.days)) : 0;
}

function table(rows: readonly SignInsCardRow[], limits: Limits): Table {
  return {
    type: 'Table',
    columns: WIDTHS.map((width) => ({ width })),
    firstRowAsHeaders: true,
    showGridLines: false,
    spacing: 'small',
    rows: [
      { type: 'TableRow', cells: HEADERS.map((text) => cell(text, true)) },
      ...rows.map((row) => ({ type: 'TableRow' as const, cells: values(row, limits).map((text) => cell(text, false)) })),
    ],
  };
}

/** The cells of one row, each already capped and escaped. */
function values(row: SignInsCardRow, limits: Limits): string[] {
  const text = (value: string | undefined, max = limits.cell): string => {
    const trimmed = value?.trim();
    return trimmed ? safeText(trimmed, max) : '—';
  };
  return [
    // The header says UTC once, so the cell need not say it 25 times.
    text(formatUtc(row.time).replace(/ UTC$/, '')),
    text(row.account, Math.max(limits.cell, 40)),
    text(describeResult(row.result, row.resultDescription), limits.result),
    text(row.ip),
    text(row.location),
    text(row.app),
    text(conditionalAccess(row.conditionalAccess)),
    text(row.authMethod),
    text(linkLabel(row.link)),
  ];
}

function conditionalAccess(status: string | undefined): string | undefined {
  const value = status?.trim();
  switch (value?.toLowerCase()) {
    case 'success':
      return 'Success';
    case 'failure':
      return 'Failure';
    case 'notapplied':
      return 'Not applied';
    default:
      return value;
  }
}

/** "incident · acknowledged", or just "drill" when the label adds nothing. */
function linkLabel(link: SignInsCardRow['link']): string | undefined {
  if (!link) return undefined;
  const label = link.label.trim();
  return label && label.toLowerCase() !== link.kind ? `${link.kind} · ${label}` : link.kind;
}

// Default text size, unlike the alert card's table: `"size": "small"` on 234 cells costs 3.5 KB
// of a 28 KB card, room for the failure reasons instead.
function cell(text: string, bold: boolean): TableCell {
  return { type: 'TableCell', items: [{ type: 'TextBlock', text, wrap: true, ...(bold ? { weight: 'bolder' as const } : {}) }] };
}
