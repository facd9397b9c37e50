import { describe, expect, it } from 'vitest';
import type { CheckId, Finding, FindingStatus } from '../../../bot/posture/finding.js';
import {
  DEMO_BADGE,
  MAX_FINDINGS_PER_ACCOUNT,
  MAX_STATUS_ACCOUNTS,
  MAX_STATUS_CARD_BYTES,
  renderStatusCard,
  type StatusAccountRow,
  type StatusCardModel,
} from '../../../cards/status-card.js';
import { findAll, renderedTexts } from './card-fixtures.js';

const BG1 = 'bg1@contoso.onmicrosoft.com';
const BG2 = 'bg2@contoso.onmicrosoft.com';

const finding = (id: CheckId, status: FindingStatus, overrides: Partial<Finding> = {}): Finding => ({
  id,
  account: BG1,
  status,
  evidence: `${id} evidence.`,
  fix: status === 'pass' ? '' : `${id} fix.`,
  ...overrides,
});

const account = (overrides: Partial<StatusAccountRow> = {}): StatusAccountRow => ({
  account: BG1,
  verdict: 'fail',
  failing: [
    finding('BG-06', 'fail', { evidence: 'No phishing-resistant method registered.', fix: 'Register two FIDO2 security keys.' }),
    finding('BG-10', 'warn', { evidence: 'Last drill 2026-08-01, 113 days ago.', fix: 'Run /breakglass drill start.' }),
    finding('BG-08', 'unknown', { evidence: 'Conditional Access could not be read: Policy.Read.All is missing.', fix: 'Grant Policy.Read.All.' }),
  ],
  passed: 7,
  lastSignIn: '2026-08-01T09:12:00Z',
  passwordChanged: '2026-08-01T09:40:00.1234567Z',
  passwordAgeDays: 113,
  nextDrillDue: '2026-10-30T00:00:00Z',
  ...overrides,
});

const model = (overrides: Partial<StatusCardModel> = {}): StatusCardModel => ({
  tenantId: 'contoso.onmicrosoft.com',
  evaluatedAt: '2026-11-22T14:30:00Z',
  source: 'graph',
  tenant: {
    verdict: 'pass',
    findings: [
      finding('BG-11', 'pass', { account: '*', evidence: 'Last alert received 2026-11-22 13:00 UTC.' }),
      finding('BG-01', 'pass', { account: '*', evidence: '2 accounts configured; both resolve.' }),
    ],
  },
  accounts: [
    account(),
    account({ account: BG2, verdict: 'pass', failing: [], passed: 10, lastSignIn: undefined, passwordAgeDays: undefined, passwordChanged: undefined }),
  ],
  ...overrides,
});

/** The finding lines in card order: "BG-06 · fail — …". */
const findingLines = (node: unknown): string[] =>
  findAll(node, 'TextBlock').map((t) => String(t['text'])).filter((text) => /^BG-\d\d · /.test(text));

/** The block of each account: separated containers after the tenant-wide one. */
const accountBlocks = (vm: StatusCardModel) =>
  findAll(renderStatusCard(vm), 'Container').filter((c) => c['separator'] === true).slice(1);

const bytes = (vm: StatusCardModel): number => Buffer.byteLength(JSON.stringify(renderStatusCard(vm)), 'utf8');

describe('renderStatusCard', () => {
  it('snapshot: one failing and one passing account', () => {
    expect(renderStatusCard(model())).toMatchSnapshot();
  });

  it('snapshot: demo data', () => {
    expect(renderStatusCard(model({ source: 'demo' }))).toMatchSnapshot();
  });

  it('heads the card with the tenant and the evaluation time', () => {
    const texts = renderedTexts(renderStatusCard(model()));
    expect(texts[0]).toBe('Break-glass posture');
    expect(texts).toContain('Tenant contoso.onmicrosoft.com · evaluated 2026-11-22 14:30 UTC');
    expect(texts).toContain('Source: Microsoft Graph');
  });

  it('shows the demo badge for demo data only, near the top', () => {
    const demo = renderStatusCard(model({ source: 'demo' }));
    expect(renderedTexts(demo)).toContain(DEMO_BADGE);
    expect(demo.body[1]).toMatchObject({ type: 'Container', style: 'attention' });
    for (const source of ['graph', 'file'] as const) {
      expect(JSON.stringify(renderStatusCard(model({ source })))).not.toContain('DEMO');
    }
  });

  it('writes each verdict as a word beside its icon and colour', () => {
    const verdicts: [FindingStatus, string, string][] = [
      ['pass', '✅ PASS', 'good'],
      ['warn', '⚠️ WARN', 'warning'],
      ['fail', '❌ FAIL', 'attention'],
      ['unknown', '❔ UNKNOWN', 'default'],
    ];
    for (const [verdict, word, color] of verdicts) {
      const [block] = accountBlocks(model({ accounts: [account({ verdict })] }));
      expect(findAll(block, 'TextBlock')[0]).toMatchObject({ text: word, color });
    }
    const tenant = findAll(renderStatusCard(model({ tenant: { verdict: 'fail', findings: [] } })), 'TextBlock');
    expect(tenant.map((t) => t['text'])).toEqual(expect.arrayContaining(['❌ FAIL', 'Tenant-wide checks']));
  });

  it('shows the tenant-wide checks with their verdicts', () => {
    const vm = model({
      tenant: {
        verdict: 'fail',
        findings: [
          finding('BG-11', 'pass', { account: '*', evidence: 'Alerting is live.' }),
          finding('BG-01', 'fail', { account: '*', evidence: 'Only 1 account configured.', fix: 'Configure a second account.' }),
        ],
      },
      accounts: [],
    });
    const texts = renderedTexts(renderStatusCard(vm));
    expect(findingLines(renderStatusCard(vm))).toEqual(['BG-01 · fail — Only 1 account configured.', 'BG-11 · pass — Alerting is live.']);
    expect(texts).toContain('Fix: Configure a second account.');
    expect(texts).toContain('No break-glass accounts to show: BG-01 above says how to configure them.');
  });

  it('lists an account’s findings worst first: fail, then warn, then unknown, whatever order they came in', () => {
    const failing = [
      finding('BG-02', 'unknown'),
      finding('BG-09', 'warn'),
      finding('BG-12', 'fail'),
      finding('BG-07', 'unknown'),
      finding('BG-04', 'fail'),
    ];
    const [block] = accountBlocks(model({ accounts: [account({ failing })] }));
    expect(findingLines(block)).toEqual([
      'BG-04 · fail — BG-04 evidence.',
      'BG-12 · fail — BG-12 evidence.',
      'BG-09 · warn — BG-09 evidence.',
      'BG-02 · unknown — BG-02 evidence.',
      'BG-07 · unknown — BG-07 evidence.',
    ]);
    expect(failing.map((f) => f.id)).toEqual(['BG-02', 'BG-09', 'BG-12', 'BG-07', 'BG-04']);
  });

  it('puts the fix in subtle text under its finding', () => {
    const [block] = accountBlocks(model());
    const texts = findAll(block, 'TextBlock');
    const at = texts.findIndex((t) => t['text'] === 'BG-06 · fail — No phishing-resistant method registered.');
    expect(texts[at + 1]).toMatchObject({ text: 'Fix: Register two FIDO2 security keys.', isSubtle: true });
  });

  it('counts the checks that pass and shows sign-in, password age and next drill', () => {
    const [failingBlock, passingBlock] = accountBlocks(model());
    const texts = (node: unknown) => findAll(node, 'TextBlock').map((t) => t['text']);
    expect(texts(failingBlock)).toContain('7 of 10 checks pass');
    expect(findAll(failingBlock, 'FactSet')[0]?.['facts']).toEqual([
      { title: 'Last sign-in', value: '2026-08-01 09:12 UTC' },
      { title: 'Password', value: 'changed 2026-08-01 09:40 UTC (113 days ago)' },
      { title: 'Next drill due', value: '2026-10-30 00:00 UTC' },
    ]);
    expect(texts(passingBlock)).toContain('10 of 10 checks pass');
    expect(findingLines(passingBlock)).toEqual([]);
    expect(findAll(passingBlock, 'FactSet')[0]?.['facts']).toEqual([
      { title: 'Last sign-in', value: 'Not recorded' },
      { title: 'Password', value: 'Not known' },
      { title: 'Next drill due', value: '2026-10-30 00:00 UTC' },
    ]);
    const twelve = Array.from({ length: 8 }, (_, i) => finding('BG-06', 'fail', { evidence: `e${i}` }));
    expect(texts(accountBlocks(model({ accounts: [account({ failing: twelve, passed: 4 })] }))[0])).toContain('4 of 12 checks pass');
  });

  it(`shows at most ${MAX_FINDINGS_PER_ACCOUNT} findings per account and points at glasswatch check for the rest`, () => {
    const failing = Array.from({ length: 12 }, (_, i) => finding('BG-06', i < 3 ? 'fail' : 'warn', { evidence: `finding ${i}` }));
    const [block] = accountBlocks(model({ accounts: [account({ failing, passed: 0 })] }));
    expect(findingLines(block)).toHaveLength(MAX_FINDINGS_PER_ACCOUNT);
    expect(findAll(block, 'TextBlock').map((t) => t['text'])).toContain('… and 4 more (run glasswatch check for all)');

    const [exact] = accountBlocks(model({ accounts: [account({ failing: failing.slice(0, 8) })] }));
    expect(findingLines(exact)).toHaveLength(8);
    expect(JSON.stringify(exact)).not.toContain('more (run');
  });

  it(`shows at most ${MAX_STATUS_ACCOUNTS} accounts and says how many it left out`, () => {
    const accounts = Array.from({ length: MAX_STATUS_ACCOUNTS + 1 }, (_, i) => account({ account: `bg${i}@contoso.onmicrosoft.com` }));
    expect(accountBlocks(model({ accounts }))).toHaveLength(MAX_STATUS_ACCOUNTS);
    expect(renderedTexts(renderStatusCard(model({ accounts })))).toContain('… and 1 more account (run glasswatch check for all)');
    const exact = renderStatusCard(model({ accounts: accounts.slice(0, MAX_STATUS_ACCOUNTS) }));
    expect(JSON.stringify(exact)).not.toContain('more account');
  });

  it('escapes everything that came from outside', () => {
    const evil = '[x](http://evil) **bold**';
    const vm = model({
      tenantId: evil,
      evaluatedAt: evil,
      tenant: { verdict: 'fail', findings: [finding('BG-01', 'fail', { account: '*', evidence: evil, fix: evil })] },
      accounts: [
        account({
          account: evil,
          failing: [finding('BG-06', 'fail', { account: evil, evidence: evil, fix: evil })],
          lastSignIn: evil,
          passwordChanged: evil,
          nextDrillDue: evil,
        }),
      ],
    });
    const texts = renderedTexts(renderStatusCard(vm));
    const unescaped = /(^|[^\\])\[[^\]]*\]\(|(^|[^\\])\*\*/;
    expect(texts.filter((t) => unescaped.test(t))).toEqual([]);
    expect(texts).toContain('\\[x\\]\\(http://evil\\) \\*\\*bold\\*\\*');
    expect(texts).toContain('BG-06 · fail — \\[x\\]\\(http://evil\\) \\*\\*bold\\*\\*');
  });

  it('truncates long evidence', () => {
    const [block] = accountBlocks(model({ accounts: [account({ failing: [finding('BG-06', 'fail', { evidence: 'e'.repeat(5000) })] })] }));
    const [line] = findingLines(block);
    expect(line?.endsWith('…')).toBe(true);
    expect(line?.length).toBeLessThan(400);
  });

  it('stays under 28 KB with 5 accounts × 12 findings of 500-character evidence', () => {
    const ids: CheckId[] = ['BG-01', 'BG-02', 'BG-03', 'BG-04', 'BG-05', 'BG-06', 'BG-07', 'BG-08', 'BG-09', 'BG-10', 'BG-11', 'BG-12'];
    const long = (c: string) => `${c.repeat(499)}.`;
    const accounts = (text: string) =>
      Array.from({ length: 5 }, (_, a) =>
        account({
          account: `bg${a}-${'x'.repeat(100)}@contoso.onmicrosoft.com`,
          failing: ids.map((id) => finding(id, 'fail', { evidence: text, fix: text })),
          passed: 0,
        }),
      );
    const tenant = { verdict: 'fail' as const, findings: ids.map((id) => finding(id, 'fail', { account: '*', evidence: long('t'), fix: long('t') })) };

    const plain = model({ source: 'demo', tenant, accounts: accounts(long('e')) });
    expect(bytes(plain)).toBeLessThan(MAX_STATUS_CARD_BYTES);
    // Plain text keeps the full cap: only the text per finding shrinks, never the list.
    for (const block of accountBlocks(plain)) expect(findingLines(block)).toHaveLength(MAX_FINDINGS_PER_ACCOUNT);

    // Escaping triples markdown characters in JSON; emoji are four bytes each.
    expect(bytes(model({ source: 'demo', tenant, accounts: accounts(long('*')) }))).toBeLessThan(MAX_STATUS_CARD_BYTES);
    expect(bytes(model({ source: 'demo', tenant, accounts: accounts(long('🔥')) }))).toBeLessThan(MAX_STATUS_CARD_BYTES);
  });

  it('stays under 28 KB with many hostile accounts, and says how many it left out', () => {
    const hostile = '[*]'.repeat(400);
    const failing = Array.from({ length: 12 }, () => finding('BG-06', 'fail', { evidence: hostile, fix: hostile }));
    const accounts = Array.from({ length: 40 }, () => account({ account: hostile, failing, lastSignIn: hostile, passwordChanged: hostile, nextDrillDue: hostile }));
    const vm = model({ tenantId: hostile, accounts });
    expect(bytes(vm)).toBeLessThan(MAX_STATUS_CARD_BYTES);
    const shown = accountBlocks(vm).length;
    expect(shown).toBeGreaterThan(0);
    expect(shown).toBeLessThanOrEqual(MAX_STATUS_ACCOUNTS);
    expect(renderedTexts(renderStatusCard(vm))).toContain(`… and ${40 - shown} more accounts (run glasswatch check for all)`);
    for (const block of accountBlocks(vm)) expect(JSON.stringify(block)).toMatch(/… and \d+ more \(run glasswatch check for all\)/);
  });
});
