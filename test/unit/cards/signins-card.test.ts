import { describe, expect, it } from 'vitest';
import {
  DEMO_BADGE,
  MAX_SIGNIN_ROWS,
  MAX_SIGNINS_CARD_BYTES,
  renderSignInsCard,
  type SignInsCardModel,
  type SignInsCardRow,
} from '../../../cards/signins-card.js';
import { findAll, renderedTexts } from './card-fixtures.js';

const BG1 = 'bg1@contoso.onmicrosoft.com';
const now = '2026-11-22T14:30:00Z';

const row = (overrides: Partial<SignInsCardRow> = {}): SignInsCardRow => ({
  time: '2026-11-22T14:02:51.1234567Z',
  account: BG1,
  result: '0',
  ip: '203.0.113.45',
  location: 'Amsterdam, NL',
  app: 'Azure Portal',
  conditionalAccess: 'notApplied',
  authMethod: 'FIDO2 security key',
  link: { kind: 'incident', label: 'acknowledged' },
  ...overrides,
});

const failure = row({
  time: '2026-11-20T08:15:00Z',
  result: '50126',
  resultDescription: 'Invalid username or password.',
  ip: '198.51.100.7',
  location: 'Lagos, NG',
  app: 'Microsoft Azure PowerShell',
  conditionalAccess: 'failure',
  authMethod: 'Password',
  link: undefined,
});

const drill = row({ time: '2026-11-01T10:00:00Z', conditionalAccess: 'success', link: { kind: 'drill', label: '' } });

const model = (overrides: Partial<SignInsCardModel> = {}): SignInsCardModel => ({
  days: 30,
  now,
  source: 'log-analytics',
  rows: [row(), failure, drill],
  ...overrides,
});

/** The data rows of the table (the header row left out), each as its cells' texts. */
const tableRows = (vm: SignInsCardModel): string[][] =>
  findAll(renderSignInsCard(vm), 'TableRow')
    .slice(1)
    .map((r) => findAll(r, 'TextBlock').map((t) => String(t['text'])));

const bytes = (vm: SignInsCardModel): number => Buffer.byteLength(JSON.stringify(renderSignInsCard(vm)), 'utf8');

describe('renderSignInsCard', () => {
  it('snapshot: three sign-ins of every break-glass account', () => {
    expect(renderSignInsCard(model())).toMatchSnapshot();
  });

  it('snapshot: none in the window, one account', () => {
    expect(renderSignInsCard(model({ account: BG1, days: 7, rows: [] }))).toMatchSnapshot();
  });

  it('snapshot: unavailable', () => {
    expect(renderSignInsCard(model({ rows: [], unavailable: 'Log Analytics is not configured: set LOG_ANALYTICS_WORKSPACE_ID' }))).toMatchSnapshot();
  });

  it('heads the card with the account, the window and the time it was read', () => {
    expect(renderedTexts(renderSignInsCard(model()))).toEqual(
      expect.arrayContaining(['Break-glass sign-ins', 'All break-glass accounts · last 30 days · as of 2026-11-22 14:30 UTC', 'Source: Log Analytics (SigninLogs)']),
    );
    expect(renderedTexts(renderSignInsCard(model({ account: BG1, days: 1 })))).toContain(`${BG1} · last 1 day · as of 2026-11-22 14:30 UTC`);
  });

  it('is a 1.5 Table with one row per sign-in and a header row', () => {
    const card = renderSignInsCard(model());
    expect(card.version).toBe('1.5');
    const [table] = findAll(card, 'Table');
    expect(table).toMatchObject({ firstRowAsHeaders: true });
    expect(findAll(findAll(card, 'TableRow')[0], 'TextBlock').map((t) => t['text'])).toEqual([
      'Time (UTC)',
      'Account',
      'Result',
      'IP address',
      'Location',
      'Application',
      'Conditional Access',
      'Method',
      'Glasswatch',
    ]);
    expect(renderedTexts(card)).toContain('3 sign-ins, newest first');
  });

  it('writes each row in words: result, Conditional Access and what Glasswatch knows of it', () => {
    expect(tableRows(model())).toEqual([
      ['2026-11-22 14:02', BG1, 'Success', '203.0.113.45', 'Amsterdam, NL', 'Azure Portal', 'Not applied', 'FIDO2 security key', 'incident · acknowledged'],
      [
        '2026-11-20 08:15',
        BG1,
        'Failure 50126: Invalid username or password.',
        '198.51.100.7',
        'Lagos, NG',
        'Microsoft Azure PowerShell',
        'Failure',
        'Password',
        '—',
      ],
      ['2026-11-01 10:00', BG1, 'Success', '203.0.113.45', 'Amsterdam, NL', 'Azure Portal', 'Success', 'FIDO2 security key', 'drill'],
    ]);
    const bare = tableRows(model({ rows: [{ time: now, account: BG1, result: '53003' }] }));
    expect(bare).toEqual([['2026-11-22 14:30', BG1, 'Failure 53003', '—', '—', '—', '—', '—', '—']]);
  });

  it('shows the newest first even when given them unsorted, without touching the input', () => {
    const rows = [
      row({ time: '2026-11-01T10:00:00Z', app: 'oldest' }),
      row({ time: 'not a time', app: 'unreadable' }),
      row({ time: '2026-11-22T14:00:00+02:00', app: 'middle' }),
      row({ time: '2026-11-22T13:00:00Z', app: 'newest' }),
    ];
    const before = structuredClone(rows);
    expect(tableRows(model({ rows })).map((cells) => cells[5])).toEqual(['newest', 'middle', 'oldest', 'unreadable']);
    expect(rows).toEqual(before);
  });

  it(`shows at most ${MAX_SIGNIN_ROWS} sign-ins and says how many more there are`, () => {
    const rows = Array.from({ length: MAX_SIGNIN_ROWS + 5 }, (_, i) => row({ time: `2026-11-${String(i % 28 + 1).padStart(2, '0')}T10:00:00Z` }));
    const vm = model({ rows });
    expect(tableRows(vm)).toHaveLength(MAX_SIGNIN_ROWS);
    expect(renderedTexts(renderSignInsCard(vm))).toEqual(expect.arrayContaining(['30 sign-ins, newest first', '… and 5 more']));
    expect(JSON.stringify(renderSignInsCard(model({ rows: rows.slice(0, MAX_SIGNIN_ROWS) })))).not.toContain('more');
  });

  it('says plainly when there were no sign-ins', () => {
    const card = renderSignInsCard(model({ rows: [], days: 7 }));
    expect(renderedTexts(card)).toContain('No sign-ins by break-glass accounts in the last 7 days.');
    expect(findAll(card, 'Table')).toEqual([]);
    expect(findAll(card, 'Container').filter((c) => c['style'] === 'warning' || c['style'] === 'attention')).toEqual([]);
    expect(renderedTexts(renderSignInsCard(model({ rows: [], account: BG1, days: 1 })))).toContain(`No sign-ins by ${BG1} in the last 1 day.`);
  });

  it('shows why sign-ins are unavailable in a warning, instead of any rows', () => {
    const reason = 'Log Analytics is not configured: set LOG_ANALYTICS_WORKSPACE_ID';
    const card = renderSignInsCard(model({ unavailable: reason }));
    const warnings = findAll(card, 'Container').filter((c) => c['style'] === 'warning');
    expect(warnings).toHaveLength(1);
    expect(findAll(warnings[0], 'TextBlock').map((t) => t['text'])).toEqual(['Sign-ins are unavailable', 'Log Analytics is not configured: set LOG\\_ANALYTICS\\_WORKSPACE\\_ID']);
    expect(findAll(card, 'Table')).toEqual([]);
    expect(renderedTexts(card).some((t) => t.startsWith('No sign-ins'))).toBe(false);
  });

  it('shows the demo badge for demo data only', () => {
    expect(renderedTexts(renderSignInsCard(model({ source: 'demo' })))).toContain(DEMO_BADGE);
    for (const source of ['graph', 'file', 'log-analytics'] as const) {
      expect(JSON.stringify(renderSignInsCard(model({ source })))).not.toContain('DEMO');
    }
  });

  it('escapes everything that came from outside', () => {
    const evil = '[x](http://evil) **bold**';
    const hostile = row({
      time: evil,
      account: evil,
      result: evil,
      resultDescription: evil,
      ip: evil,
      location: evil,
      app: evil,
      conditionalAccess: evil,
      authMethod: evil,
      link: { kind: 'incident', label: evil },
    });
    const card = renderSignInsCard(model({ account: evil, now: evil, rows: [hostile] }));
    const unescaped = /(^|[^\\])\[[^\]]*\]\(|(^|[^\\])\*\*/;
    expect(renderedTexts(card).filter((t) => unescaped.test(t))).toEqual([]);
    expect(tableRows(model({ rows: [hostile] }))[0]?.[1]).toBe('\\[x\\]\\(http://evil\\) \\*\\*bold\\*\\*');
    const unavailable = renderedTexts(renderSignInsCard(model({ unavailable: evil })));
    expect(unavailable.filter((t) => unescaped.test(t))).toEqual([]);
  });

  it('stays under 28 KB with realistic rows at the full cap, and with hostile 1 KB values', () => {
    const realistic = Array.from({ length: 40 }, (_, i) =>
      row({
        time: `2026-11-${String(i % 28 + 1).padStart(2, '0')}T10:00:00.1234567Z`,
        account: 'breakglass-admin-02@contoso-holdings.onmicrosoft.com',
        result: '50126',
        resultDescription: 'Error validating credentials due to invalid username or password.',
        ip: '2001:db8:85a3:1234:5678:8a2e:370:7334',
        location: 'Frankfurt am Main, Hessen, DE',
        app: 'Microsoft Azure PowerShell',
        authMethod: 'Password',
        link: { kind: 'incident', label: 'acknowledged' },
      }),
    );
    expect(bytes(model({ rows: realistic }))).toBeLessThan(MAX_SIGNINS_CARD_BYTES);
    // Long-but-real values fit whole: the budget squeezes only hostile ones.
    expect(tableRows(model({ rows: realistic }))).toHaveLength(MAX_SIGNIN_ROWS);
    expect(tableRows(model({ rows: realistic }))[0]).toContain('Failure 50126: Error validating credentials due to invalid username or password.');

    for (const kb of ['x'.repeat(1024), '[*]'.repeat(342), '🔥'.repeat(256)]) {
      const rows = Array.from({ length: 60 }, () =>
        row({ time: kb, account: kb, result: kb, resultDescription: kb, ip: kb, location: kb, app: kb, conditionalAccess: kb, authMethod: kb, link: { kind: 'incident', label: kb } }),
      );
      const vm = model({ account: kb, now: kb, rows, source: 'demo' });
      expect(bytes(vm)).toBeLessThan(MAX_SIGNINS_CARD_BYTES);
      expect(renderedTexts(renderSignInsCard(vm))).toContain(`… and ${60 - tableRows(vm).length} more`);
    }
  });
});
