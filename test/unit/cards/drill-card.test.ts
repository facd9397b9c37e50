import { describe, expect, it } from 'vitest';
import { CHECKLIST_ITEMS, checklistRows, newChecklist } from '../../../bot/drills/checklist.js';
import { drillLatency } from '../../../bot/drills/decide-drill.js';
import type { AdaptiveCard } from '../../../cards/adaptive-card.js';
import { DRILL_VERBS, parseActionData, REASON_INPUT_ID } from '../../../cards/card-actions.js';
import {
  formatLatency,
  MAX_STATUS_ROWS,
  renderChecklistCard,
  renderDrillAnnouncementCard,
  renderDrillReminderCard,
  renderDrillReportCard,
  renderDrillStatusCard,
  type ChecklistCardModel,
  type ChecklistItemView,
  type DrillReportModel,
  type DrillStatusAccount,
} from '../../../cards/drill-card.js';
import { findAll, renderedTexts } from './card-fixtures.js';

const ACCOUNT = 'bg1@contoso.onmicrosoft.com';
const EVIL = '[click](http://evil) **x** <at>Ada</at>';
const UNESCAPED = /(^|[^\\])\[[^\]]*\]\(|(^|[^\\])\*\*|(^|[^\\])<at>/;

const announcement = {
  drillId: 'drill-1',
  account: ACCOUNT,
  startedBy: 'Ada Lovelace',
  startedAt: '2026-11-22T14:00:00.000Z',
  windowEndsAt: '2026-11-22T15:00:00.000Z',
};

/** The checklist halfway: one ticked, one waived, the rest open. */
function items(): ChecklistItemView[] {
  return checklistRows({
    ...newChecklist(),
    'staff-informed': { state: 'ticked', by: { id: 'aad-ada', name: 'Ada Lovelace' }, at: '2026-11-22T14:03:00Z' },
    'device-reachable': { state: 'waived', by: { id: 'aad-bob', name: 'Bob Hopper' }, at: '2026-11-22T14:05:00Z', reason: 'Certificate-based authentication, no key' },
  });
}

const interactive = (overrides: Partial<ChecklistCardModel> = {}): ChecklistCardModel => ({ drillId: 'drill-1', version: 4, items: items(), complete: false, ...overrides });

/** The per-item containers (separated). */
const itemBlocks = (card: AdaptiveCard): Record<string, unknown>[] => findAll(card, 'Container').filter((c) => c['separator'] === true);

const alertRow = {
  incidentId: 'inc-7f3a',
  signInAt: '2026-11-22T14:02:00Z',
  firedAt: '2026-11-22T14:06:00Z',
  receivedAt: '2026-11-22T14:06:03Z',
  cardPostedAt: '2026-11-22T14:06:04Z',
  latency: 'sign-in → alert 4 min · alert → Glasswatch 3 s · Glasswatch → card 1 s',
};

const report = (overrides: Partial<DrillReportModel> = {}): DrillReportModel => ({
  drillId: 'drill-1',
  version: 9,
  account: ACCOUNT,
  result: 'passed',
  failures: [],
  alerts: [alertRow],
  checklist: checklistRows(newChecklist()).map((row) => ({ ...row, state: 'ticked' as const, by: 'Ada Lovelace', at: '2026-11-22T14:10:00Z' })),
  endedBy: 'Bob Hopper',
  endedAt: '2026-11-22T14:30:00Z',
  canConfirmRotation: true,
  ...overrides,
});

const failedReport = (): DrillReportModel =>
  report({
    result: 'failed',
    alerts: [],
    failures: [
      `No alert reached Glasswatch for ${ACCOUNT} between 14:00 and 15:00 UTC on 2026-11-22: the alert path is broken.`,
      'Checklist not complete: 1 item open (Monitoring staff informed).',
    ],
    alertPathIncidentId: 'inc-path-1',
    checklist: items(),
  });

const statusRows: DrillStatusAccount[] = [
  { account: ACCOUNT, lastDrill: { at: '2026-09-01T14:30:00Z', result: 'passed' }, nextDue: '2026-11-30', overdue: false },
  { account: 'bg2@contoso.onmicrosoft.com', nextDue: '2026-11-01', overdue: true },
  { account: 'bg3@contoso.onmicrosoft.com', lastDrill: { at: '2026-11-20T10:00:00Z', result: 'failed' }, nextDue: '2026-11-20', overdue: false, running: { startedAt: '2026-11-22T14:00:00Z', windowEndsAt: '2026-11-22T15:00:00Z' } },
];

describe('renderDrillAnnouncementCard', () => {
  it('snapshot', () => {
    expect(renderDrillAnnouncementCard(announcement)).toMatchSnapshot();
  });

  it('says the sign-in is expected until the window end, is recorded and does not escalate', () => {
    expect(renderedTexts(renderDrillAnnouncementCard(announcement))).toContain(
      `DRILL — a break-glass sign-in for ${ACCOUNT} is expected until 15:00 UTC; it is still posted and recorded, it does not escalate.`,
    );
  });

  it('names the date of the window end when it is on another day, and says local mode', () => {
    const card = renderDrillAnnouncementCard({ ...announcement, startedAt: '2026-11-22T23:30:00Z', windowEndsAt: '2026-11-23T00:30:00Z', demo: true });
    expect(renderedTexts(card).join('\n')).toContain('expected until 2026-11-23 00:30 UTC;');
    expect(renderedTexts(card).join('\n')).toContain('Local mode');
    expect(renderedTexts(renderDrillAnnouncementCard(announcement)).join('\n')).not.toContain('Local mode');
  });

  it('has no buttons', () => {
    expect(renderDrillAnnouncementCard(announcement).actions).toBeUndefined();
    expect(findAll(renderDrillAnnouncementCard(announcement), 'ActionSet')).toEqual([]);
  });
});

describe('renderChecklistCard', () => {
  it('snapshot: a running drill, halfway', () => {
    expect(renderChecklistCard(interactive())).toMatchSnapshot();
  });

  it('snapshot: read-only, no drill', () => {
    expect(renderChecklistCard({ items: checklistRows(newChecklist()), complete: false })).toMatchSnapshot();
  });

  it('shows every item with its guidance, and who ticked or waived what, when and why', () => {
    const texts = renderedTexts(renderChecklistCard(interactive()));
    for (const item of Object.values(CHECKLIST_ITEMS)) {
      expect(texts.some((t) => t.includes(item.title.replace(/[()]/g, '\\$&')))).toBe(true);
    }
    expect(texts).toContain('Done by Ada Lovelace at 2026-11-22 14:03 UTC');
    expect(texts).toContain('Waived by Bob Hopper at 2026-11-22 14:05 UTC: Certificate-based authentication, no key');
    expect(texts).toContain('4 items open of 6');
  });

  it('open items get Done and Waive…, a waived item only Done, a ticked item nothing', () => {
    const blocks = itemBlocks(renderChecklistCard(interactive()));
    const buttons = blocks.map((block) => findAll(block, 'ActionSet').flatMap((set) => (set['actions'] as { title: string }[]).map((a) => a.title)));
    expect(buttons).toEqual([[], ['Done', 'Waive…'], ['Done', 'Waive…'], ['Done', 'Waive…'], ['Done', 'Waive…'], ['Done']]);
  });

  it('Done carries the drill, its version and the item', () => {
    const [done] = findAll(itemBlocks(renderChecklistCard(interactive()))[1], 'Action.Execute');
    expect(done).toEqual({ type: 'Action.Execute', title: 'Done', verb: 'drill.tick', data: { drillId: 'drill-1', version: 4, item: 'process-documented' }, style: 'positive' });
  });

  it('Waive… asks for a required reason before it submits', () => {
    const [waive] = findAll(itemBlocks(renderChecklistCard(interactive()))[1], 'Action.ShowCard');
    const inputs = findAll(waive, 'Input.Text');
    expect(inputs).toHaveLength(1);
    expect(inputs[0]).toMatchObject({ id: REASON_INPUT_ID, isRequired: true, errorMessage: 'Write why this item is waived.' });
    const [submit] = findAll(waive, 'Action.Execute');
    expect(submit).toMatchObject({ verb: 'drill.waive', data: { drillId: 'drill-1', version: 4, item: 'process-documented' } });
  });

  it('has no buttons without a drill, when read-only, or when every item is done', () => {
    expect(findAll(renderChecklistCard({ items: items(), complete: false }), 'ActionSet')).toEqual([]);
    expect(findAll(renderChecklistCard(interactive({ readOnly: true })), 'ActionSet')).toEqual([]);
    const allTicked = items().map((item) => ({ ...item, state: 'ticked' as const }));
    const card = renderChecklistCard(interactive({ items: allTicked, complete: true }));
    expect(findAll(card, 'ActionSet')).toEqual([]);
    expect(renderedTexts(card)).toContain('Complete: every item is ticked or waived with a reason.');
  });

  it('the read-only card says how to start a drill', () => {
    expect(renderedTexts(renderChecklistCard({ items: items(), complete: false })).join('\n')).toMatch(/at least every 90 days.*drill start/);
  });
});

describe('renderDrillReportCard', () => {
  it('snapshot: passed', () => {
    expect(renderDrillReportCard(report())).toMatchSnapshot();
  });

  it('snapshot: failed, no alert', () => {
    expect(renderDrillReportCard(failedReport())).toMatchSnapshot();
  });

  it('a pass says so and shows each alert with its times and latency', () => {
    const card = renderDrillReportCard(report());
    const texts = renderedTexts(card);
    expect(texts).toContain('DRILL PASSED');
    expect(texts).toContain(alertRow.latency);
    expect(texts).toEqual(expect.arrayContaining(['inc-7f3a', '2026-11-22 14:02 UTC', '2026-11-22 14:06 UTC']));
    expect(findAll(card, 'FactSet')[0]?.['facts']).toEqual([
      { title: 'Incident', value: 'inc-7f3a' },
      { title: 'Sign-in', value: '2026-11-22 14:02 UTC' },
      { title: 'Alert fired', value: '2026-11-22 14:06 UTC' },
      { title: 'Received', value: '2026-11-22 14:06 UTC' },
      { title: 'Card posted', value: '2026-11-22 14:06 UTC' },
      { title: 'Latency', value: alertRow.latency },
    ]);
  });

  it('a failure lists what failed and the alert-path incident', () => {
    const texts = renderedTexts(renderDrillReportCard(failedReport()));
    expect(texts).toContain('DRILL FAILED');
    expect(texts).toContain(`No alert reached Glasswatch for ${ACCOUNT} between 14:00 and 15:00 UTC on 2026-11-22: the alert path is broken.`);
    expect(texts).toContain('Checklist not complete: 1 item open \\(Monitoring staff informed\\).');
    expect(texts.join('\n')).toContain('Opened incident inc-path-1 about the alert path');
    expect(texts).toContain('No alert arrived in the window');
  });

  it('offers "Password rotated" only when it may, and shows the confirmation instead once made', () => {
    const buttons = (vm: DrillReportModel) => findAll(renderDrillReportCard(vm), 'Action.Execute');
    expect(buttons(report())).toEqual([
      { type: 'Action.Execute', title: 'Password rotated', verb: 'drill.confirm-rotation', data: { drillId: 'drill-1', version: 9 }, style: 'positive' },
    ]);
    expect(buttons(report({ canConfirmRotation: false }))).toEqual([]);
    const confirmed = report({ rotationConfirmed: { by: 'Bob Hopper', at: '2026-11-22T15:10:00Z' } });
    expect(buttons(confirmed)).toEqual([]);
    expect(renderedTexts(renderDrillReportCard(confirmed))).toContain('Password rotated · confirmed by Bob Hopper at 2026-11-22 15:10 UTC');
    expect(renderedTexts(renderDrillReportCard(report())).join('\n')).toContain(`Rotate the password of ${ACCOUNT}`);
  });

  it('a card not yet posted reads "not yet"', () => {
    const card = renderDrillReportCard(report({ alerts: [{ ...alertRow, cardPostedAt: undefined, signInAt: undefined }] }));
    const facts = findAll(card, 'FactSet')[0]?.['facts'] as { title: string; value: string }[];
    expect(facts.map((f) => f.title)).not.toContain('Sign-in');
    expect(facts).toContainEqual({ title: 'Card posted', value: 'not yet' });
  });
});

describe('formatLatency', () => {
  it('words every hop, seconds included', () => {
    expect(formatLatency({ signInToFiredMs: 252_000, firedToReceivedMs: 3_400, receivedToCardMs: 900 })).toBe(
      'sign-in → alert 4 min 12 s · alert → Glasswatch 3 s · Glasswatch → card under 1 s',
    );
    expect(formatLatency({ firedToReceivedMs: 3_900_000 })).toBe('alert → Glasswatch 1 h 5 min · card not posted yet');
    expect(formatLatency({ signInToFiredMs: 300_000, firedToReceivedMs: -2_000, receivedToCardMs: 60_000 })).toBe(
      'sign-in → alert 5 min · alert → Glasswatch under 1 s · Glasswatch → card 1 min',
    );
  });

  it('reads what drillLatency measures', () => {
    const latency = drillLatency({ alertId: 'a', ...alertRow });
    expect(formatLatency(latency)).toBe('sign-in → alert 4 min · alert → Glasswatch 3 s · Glasswatch → card 1 s');
  });
});

describe('renderDrillStatusCard', () => {
  it('snapshot', () => {
    expect(renderDrillStatusCard({ accounts: statusRows, everyDays: 90, timeZone: 'Europe/Lisbon' })).toMatchSnapshot();
  });

  it('shows per account its state, last drill and result, and next due date', () => {
    const card = renderDrillStatusCard({ accounts: statusRows, everyDays: 90, timeZone: 'Europe/Lisbon' });
    const rows = itemBlocks(card).map((c) => findAll(c, 'TextBlock').map((t) => t['text']));
    expect(rows).toEqual([
      ['On schedule', ACCOUNT, 'Last drill 2026-09-01 14:30 UTC: passed · next due 2026-11-30'],
      ['Overdue: was due 2026-11-01', 'bg2@contoso.onmicrosoft.com', 'No drill recorded · next due 2026-11-01'],
      ['Drill running until 15:00 UTC', 'bg3@contoso.onmicrosoft.com', 'Last drill 2026-11-20 10:00 UTC: failed · next due 2026-11-20'],
    ]);
    expect(renderedTexts(card)).toContain('Every 90 days · dates in Europe/Lisbon');
    const badges = itemBlocks(card).map((c) => findAll(c, 'TextBlock')[0]?.['color']);
    expect(badges).toEqual(['good', 'attention', 'accent']);
  });

  it('says when no account is configured, and caps the list', () => {
    expect(renderedTexts(renderDrillStatusCard({ accounts: [], everyDays: 90, timeZone: 'UTC' })).join('\n')).toContain('No break-glass accounts are configured');
    const many = Array.from({ length: MAX_STATUS_ROWS + 4 }, (_, i) => ({ account: `bg${i}@contoso.onmicrosoft.com`, overdue: false }));
    const card = renderDrillStatusCard({ accounts: many, everyDays: 90, timeZone: 'UTC' });
    expect(itemBlocks(card)).toHaveLength(MAX_STATUS_ROWS);
    expect(renderedTexts(card)).toContain('… and 4 more');
  });
});

describe('renderDrillReminderCard', () => {
  it('snapshot: overdue', () => {
    expect(renderDrillReminderCard({ account: ACCOUNT, kind: 'overdue', due: '2026-11-20' })).toMatchSnapshot();
  });

  it('words each kind, with the due date and how to start', () => {
    const text = (kind: 'upcoming' | 'due' | 'overdue') => renderedTexts(renderDrillReminderCard({ account: ACCOUNT, kind, due: '2026-11-20' }));
    expect(text('upcoming')[0]).toBe('DRILL COMING UP');
    expect(text('upcoming')[1]).toContain('is due on 2026-11-20');
    expect(text('due')[0]).toBe('DRILL DUE TODAY');
    expect(text('due')[1]).toContain('due today (2026-11-20)');
    expect(text('overdue')[0]).toBe('DRILL OVERDUE');
    expect(text('overdue')[1]).toContain('was due on 2026-11-20');
    for (const kind of ['upcoming', 'due', 'overdue'] as const) expect(text(kind)[1]).toContain(`"drill start ${ACCOUNT}"`);
  });
});

describe('drill cards', () => {
  it('every button they render parses back, and together they use every drill verb', () => {
    const cards = [renderChecklistCard(interactive()), renderDrillReportCard(report())];
    const seen = new Set<string>();
    for (const card of cards) {
      for (const action of findAll(card, 'Action.Execute')) {
        // What Teams would send back once the Waive… reason is filled in.
        const data = { ...(action['data'] as object), [REASON_INPUT_ID]: 'not needed this time' };
        expect(parseActionData(String(action['verb']), data)).toMatchObject({ ok: true, action: { verb: action['verb'] } });
        seen.add(String(action['verb']));
      }
    }
    expect([...seen].sort()).toEqual([...DRILL_VERBS].sort());
  });

  it('escape everything that came from outside', () => {
    const evilItems = items().map((item) => ({ ...item, title: EVIL, guidance: EVIL, by: EVIL, reason: EVIL }));
    const cards = [
      renderDrillAnnouncementCard({ ...announcement, account: EVIL, startedBy: EVIL, drillId: EVIL }),
      renderChecklistCard(interactive({ drillId: EVIL, items: evilItems })),
      renderDrillReportCard(report({ account: EVIL, drillId: EVIL, endedBy: EVIL, failures: [EVIL], result: 'failed', alertPathIncidentId: EVIL, checklist: evilItems, alerts: [{ ...alertRow, incidentId: EVIL, latency: EVIL }] })),
      renderDrillReportCard(report({ rotationConfirmed: { by: EVIL, at: EVIL } })),
      renderDrillStatusCard({ accounts: [{ account: EVIL, overdue: true, nextDue: EVIL, lastDrill: { at: EVIL, result: 'passed' } }], everyDays: 90, timeZone: EVIL }),
      renderDrillReminderCard({ account: EVIL, kind: 'overdue', due: EVIL }),
    ];
    for (const card of cards) {
      expect(renderedTexts(card).filter((t) => UNESCAPED.test(t))).toEqual([]);
    }
    const labels = findAll(cards[1], 'Input.Text').map((input) => String(input['label']));
    expect(labels.filter((t) => UNESCAPED.test(t))).toEqual([]);
  });

  it('stay well under the Teams message limit with 1 KB values', () => {
    const kb = 'x'.repeat(1024);
    const bigItems = items().map((item) => ({ ...item, title: kb, guidance: kb, by: kb, reason: kb }));
    const big = renderDrillReportCard(
      report({ account: kb, failures: [kb, kb], checklist: bigItems, alerts: Array.from({ length: 50 }, () => ({ ...alertRow, incidentId: kb, latency: kb })) }),
    );
    expect(Buffer.byteLength(JSON.stringify(big), 'utf8')).toBeLessThan(40 * 1024);
    expect(Buffer.byteLength(JSON.stringify(renderChecklistCard(interactive({ items: bigItems }))), 'utf8')).toBeLessThan(28 * 1024);
  });
});
