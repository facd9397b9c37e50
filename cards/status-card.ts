import type { Finding, FindingStatus } from '../bot/posture/finding.js';
import { demoBadge } from './demo-badge.js';
import {
  adaptiveCard,
  type AdaptiveCard,
  type AdaptiveElement,
  type ColumnSet,
  type Container,
  type Fact,
  type TextColor,
} from './adaptive-card.js';
import { formatUtc, plural, safeText } from './format.js';

export interface StatusAccountRow {
  account: string;
  verdict: FindingStatus;
  /** fail + warn + unknown, worst first (the card sorts again, so order is never a caller's bug). */
  failing: Finding[];
  /** How many of this account's checks passed. */
  passed: number;
  /** ISO UTC. */
  lastSignIn?: string;
  /** ISO UTC. */
  passwordChanged?: string;
  passwordAgeDays?: number;
  /** ISO UTC or a plain date. */
  nextDrillDue?: string;
}

export interface StatusCardModel {
  tenantId: string;
  /** ISO UTC. */
  evaluatedAt: string;
  source: 'graph' | 'file' | 'demo';
  /** The tenant-wide checks (account "*"): BG-01, BG-11. */
  tenant: { verdict: FindingStatus; findings: Finding[] };
  accounts: StatusAccountRow[];
}

/** Past this many findings an account's list stops and points at `glasswatch check`. */
export const MAX_FINDINGS_PER_ACCOUNT = 8;
/** Break-glass accounts are two to four in practice; more than this is a list for the CLI. */
export const MAX_STATUS_ACCOUNTS = 10;
/** The house limit for a card (Teams allows ~80 KB per message; a card answer stays far below). */
export const MAX_STATUS_CARD_BYTES = 28 * 1024;
export { DEMO_BADGE } from './demo-badge.js';
export const MORE_HINT = 'run glasswatch check for all';

const MAX_NAME = 128;
const MAX_TIME = 40;

const VERDICT: Record<FindingStatus, { icon: string; word: string; color: TextColor }> = {
  pass: { icon: '✅', word: 'PASS', color: 'good' },
  warn: { icon: '⚠️', word: 'WARN', color: 'warning' },
  fail: { icon: '❌', word: 'FAIL', color: 'attention' },
  unknown: { icon: '❔', word: 'UNKNOWN', color: 'default' },
};

const SEVERITY: Record<FindingStatus, number> = { fail: 0, warn: 1, unknown: 2, pass: 3 };

const SOURCE: Record<StatusCardModel['source'], string> = {
  graph: 'Microsoft Graph',
  file: 'snapshot file',
  demo: 'bundled demo snapshot',
};

interface Limits {
  evidence: number;
  fix: number;
  findings: number;
  accounts: number;
  name: number;
}

// Evidence and fixes are the only long text: when hostile or non-ASCII text would push the card
// past the budget, the card says less per finding first, and only then shows fewer findings and accounts.
const SMALLEST: Limits = { evidence: 60, fix: 40, findings: 3, accounts: 8, name: 64 };
const LIMITS: Limits[] = [
  { evidence: 300, fix: 200, findings: MAX_FINDINGS_PER_ACCOUNT, accounts: MAX_STATUS_ACCOUNTS, name: MAX_NAME },
  { evidence: 160, fix: 120, findings: MAX_FINDINGS_PER_ACCOUNT, accounts: MAX_STATUS_ACCOUNTS, name: MAX_NAME },
  { evidence: 80, fix: 60, findings: MAX_FINDINGS_PER_ACCOUNT, accounts: MAX_STATUS_ACCOUNTS, name: MAX_NAME },
  { evidence: 60, fix: 40, findings: 4, accounts: MAX_STATUS_ACCOUNTS, name: MAX_NAME },
  SMALLEST,
];

const encoder = new TextEncoder();

/** The answer to `/breakglass status`: the tenant-wide checks, then one block per account, worst findings first. */
export function renderStatusCard(vm: StatusCardModel): AdaptiveCard {
  for (const limits of LIMITS) {
    const card = build(vm, limits);
    if (encoder.encode(JSON.stringify(card)).length < MAX_STATUS_CARD_BYTES) return card;
  }
  return build(vm, SMALLEST);
}

/** fail before warn before unknown before pass; the check id breaks ties so the order is stable. */
export function worstFirst(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status] || a.id.localeCompare(b.id));
}

function build(vm: StatusCardModel, limits: Limits): AdaptiveCard {
  const body: AdaptiveElement[] = [header(vm)];
  if (vm.source === 'demo') body.push(demoBadge('Local mode reads the bundled demo snapshot: nothing on this card describes a real tenant.'));
  body.push(tenantBlock(vm.tenant, limits));
  if (vm.accounts.length === 0) {
    body.push({ type: 'TextBlock', text: 'No break-glass accounts to show: BG-01 above says how to configure them.', wrap: true, spacing: 'medium' });
  }
  body.push(...vm.accounts.slice(0, limits.accounts).map((row) => accountBlock(row, limits)));
  const hidden = vm.accounts.length - limits.accounts;
  if (hidden > 0) {
    body.push({ type: 'TextBlock', text: `… and ${plural(hidden, 'more account')} (${MORE_HINT})`, isSubtle: true, wrap: true, spacing: 'medium' });
  }
  return adaptiveCard(body);
}

function header(vm: StatusCardModel): Container {
  return {
    type: 'Container',
    items: [
      { type: 'TextBlock', text: 'Break-glass posture', size: 'large', weight: 'bolder', wrap: true },
      {
        type: 'TextBlock',
        text: `Tenant ${safeText(vm.tenantId, MAX_NAME)} · evaluated ${safeText(formatUtc(vm.evaluatedAt), MAX_TIME)}`,
        wrap: true,
        spacing: 'none',
      },
      { type: 'TextBlock', text: `Source: ${SOURCE[vm.source]}`, size: 'small', isSubtle: true, wrap: true, spacing: 'none' },
    ],
  };
}


function tenantBlock(tenant: StatusCardModel['tenant'], limits: Limits): Container {
  const all = worstFirst(tenant.findings);
  const shown = all.slice(0, limits.findings);
  const items: AdaptiveElement[] = [verdictLine(tenant.verdict, 'Tenant-wide checks'), ...findingLines(shown, limits)];
  if (all.length > shown.length) items.push(moreFindings(all.length - shown.length));
  return {
    type: 'Container',
    separator: true,
    spacing: 'medium',
    items,
  };
}

function accountBlock(row: StatusAccountRow, limits: Limits): Container {
  const failing = worstFirst(row.failing.filter((f) => f.status !== 'pass'));
  const passed = count(row.passed);
  const shown = failing.slice(0, limits.findings);
  const items: AdaptiveElement[] = [
    verdictLine(row.verdict, safeText(row.account, limits.name)),
    { type: 'TextBlock', text: `${passed} of ${passed + failing.length} checks pass`, size: 'small', wrap: true, spacing: 'none' },
    { type: 'FactSet', facts: accountFacts(row), spacing: 'small' },
    ...findingLines(shown, limits),
  ];
  const hidden = failing.length - shown.length;
  if (hidden > 0) items.push(moreFindings(hidden));
  return { type: 'Container', separator: true, spacing: 'medium', items };
}

function moreFindings(hidden: number): AdaptiveElement {
  return { type: 'TextBlock', text: `… and ${hidden} more (${MORE_HINT})`, size: 'small', isSubtle: true, wrap: true, spacing: 'small' };
}

/** Icon and word beside the colour: colour alone says nothing to a screen reader or a colour-blind admin. */
function verdictLine(verdict: FindingStatus, title: string): ColumnSet {
  const v = VERDICT[verdict];
  return {
    type: 'ColumnSet',
    columns: [
      {
        type: 'Column',
        width: 'auto',
        items: [{ type: 'TextBlock', text: `${v.icon} ${v.word}`, weight: 'bolder', color: v.color }],
      },
      { type: 'Column', width: 'stretch', items: [{ type: 'TextBlock', text: title, weight: 'bolder', wrap: true }] },
    ],
  };
}

function accountFacts(row: StatusAccountRow): Fact[] {
  return [
    { title: 'Last sign-in', value: row.lastSignIn ? safeText(formatUtc(row.lastSignIn), MAX_TIME) : 'Not recorded' },
    { title: 'Password', value: passwordAge(row) },
    { title: 'Next drill due', value: row.nextDrillDue ? safeText(formatUtc(row.nextDrillDue), MAX_TIME) : 'Not scheduled' },
  ];
}

function passwordAge(row: StatusAccountRow): string {
  const changed = row.passwordChanged ? `changed ${safeText(formatUtc(row.passwordChanged), MAX_TIME)}` : undefined;
  const days = row.passwordAgeDays !== undefined && Number.isFinite(row.passwordAgeDays) ? count(row.passwordAgeDays) : undefined;
  if (changed && days !== undefined) return `${changed} (${plural(days, 'day')} ago)`;
  if (changed) return changed;
  if (days !== undefined) return `${plural(days, 'day')} old`;
  return 'Not known';
}

function findingLines(findings: readonly Finding[], limits: Limits): AdaptiveElement[] {
  return findings.flatMap((finding) => {
    const lines: AdaptiveElement[] = [{ type: 'TextBlock', text: findingText(finding, limits), wrap: true, spacing: 'small' }];
    const fix = finding.fix.trim();
    if (finding.status !== 'pass' && fix) {
      lines.push({ type: 'TextBlock', text: `Fix: ${safeText(fix, limits.fix)}`, size: 'small', isSubtle: true, wrap: true, spacing: 'none' });
    }
    return lines;
  });
}

/** "BG-06 · fail — No phishing-resistant method registered." */
function findingText(finding: Finding, limits: Limits): string {
  const evidence = finding.evidence.trim();
  const head = `${safeText(finding.id, 10)} · ${safeText(finding.status, 10)}`;
  return evidence ? `${head} — ${safeText(evidence, limits.evidence)}` : head;
}

function count(n: number): number {
  return Number.isFinite(n) ? Math.max(0, Math.trunc(n)) : 0;
}
