import { describe, expect, it } from 'vitest';
import { MAX_RECENT_ROWS, renderAlertCard, type AlertCardModel } from '../../../cards/alert-card.js';
import { findAll, renderedTexts, signIn, triggeredModel, twoSignIns } from './card-fixtures.js';

const acknowledged = (overrides: Partial<AlertCardModel> = {}): AlertCardModel =>
  triggeredModel({ state: 'acknowledged', version: 4, stateLine: 'Acknowledged by Ada Lovelace · 14:05 UTC', ...overrides });
const resolved = (overrides: Partial<AlertCardModel> = {}): AlertCardModel =>
  triggeredModel({
    state: 'resolved',
    version: 5,
    stateLine: 'Resolved by Ada Lovelace · 14:20 UTC · Drill (planned validation)',
    resolvedNotice: 'Azure Monitor reported the condition resolved at 2026-11-22 14:18 UTC',
    ...overrides,
  });

const verbs = (model: AlertCardModel): string[] => findAll(renderAlertCard(model), 'Action.Execute').map((a) => String(a['verb']));

describe('renderAlertCard snapshots', () => {
  it('triggered, one sign-in', () => {
    expect(renderAlertCard(triggeredModel())).toMatchSnapshot();
  });

  it('triggered, grouped, with recent sign-ins and refresh', () => {
    const model = triggeredModel({
      occurrences: 2,
      lastSeen: '2026-11-22T14:09:00Z',
      recentSignIns: twoSignIns,
      refreshUserIds: ['aad-ada', 'aad-grace'],
    });
    expect(renderAlertCard(model)).toMatchSnapshot();
  });

  it('acknowledged', () => {
    expect(renderAlertCard(acknowledged())).toMatchSnapshot();
  });

  it('resolved', () => {
    expect(renderAlertCard(resolved())).toMatchSnapshot();
  });

  it('demo data, no buttons wired, about the monitoring itself', () => {
    const model = triggeredModel({
      demo: true,
      actionsAvailable: false,
      subject: { kind: 'monitoring', key: 'rule:diag', ruleName: 'Diagnostic setting deleted' },
      headline: 'Monitoring change: Microsoft.Insights/diagnosticSettings/delete',
      latest: { operationName: 'Microsoft.Insights/diagnosticSettings/delete', caller: 'eve@contoso.com', status: 'Succeeded' },
      recentSignIns: [],
      links: {},
    });
    expect(renderAlertCard(model)).toMatchSnapshot();
  });

  it('service principal sign-in with no sign-in details', () => {
    const model = triggeredModel({
      subject: { kind: 'service-principal', key: 'sp:9a1b', appId: '9a1b', displayName: 'BG Automation' },
      headline: 'Break-glass app sign-in: BG Automation',
      latest: undefined,
      recentSignIns: [],
    });
    expect(renderAlertCard(model)).toMatchSnapshot();
  });
});

describe('renderAlertCard', () => {
  it('is an Adaptive Card 1.5, full width in Teams', () => {
    const card = renderAlertCard(triggeredModel());
    expect(card.type).toBe('AdaptiveCard');
    expect(card.version).toBe('1.5');
    expect(card.$schema).toBe('http://adaptivecards.io/schemas/adaptive-card.json');
    expect(card.msteams).toEqual({ width: 'Full' });
  });

  it('offers the buttons that fit the state', () => {
    expect(verbs(triggeredModel())).toEqual(['incident.acknowledge', 'incident.escalate', 'incident.resolve']);
    expect(verbs(acknowledged())).toEqual(['incident.unacknowledge', 'incident.escalate', 'incident.resolve']);
    expect(verbs(resolved())).toEqual([]);
    expect(findAll(renderAlertCard(resolved()), 'Action.ShowCard')).toEqual([]);
  });

  it('asks for a resolution (required) and an optional note before resolving', () => {
    const [showCard] = findAll(renderAlertCard(triggeredModel()), 'Action.ShowCard');
    const [choice] = findAll(showCard, 'Input.ChoiceSet');
    expect(choice).toMatchObject({ id: 'resolution', isRequired: true });
    expect((choice?.['choices'] as { value: string }[]).map((c) => c.value)).toEqual([
      'drill',
      'authorized-emergency',
      'unauthorized',
      'false-positive',
    ]);
    expect(findAll(showCard, 'Input.Text')).toMatchObject([{ id: 'note' }]);
  });

  it('puts the incident id and version in every Action.Execute, refresh included', () => {
    for (const model of [triggeredModel({ refreshUserIds: ['aad-1'] }), acknowledged({ refreshUserIds: ['aad-1'] })]) {
      const card = renderAlertCard(model);
      const actions = findAll(card, 'Action.Execute');
      expect(actions.length).toBe(4);
      for (const action of actions) expect(action['data']).toEqual({ incidentId: 'inc-7f3a', version: model.version });
      expect(card.refresh?.action.verb).toBe('incident.refresh');
    }
  });

  it('refreshes for at most 60 distinct responders, and only when some are named', () => {
    const many = Array.from({ length: 80 }, (_, i) => `aad-${i % 70}`);
    expect(renderAlertCard(triggeredModel({ refreshUserIds: many })).refresh?.userIds).toHaveLength(60);
    expect(renderAlertCard(triggeredModel({ refreshUserIds: [] })).refresh).toBeUndefined();
    expect(renderAlertCard(triggeredModel()).refresh).toBeUndefined();
  });

  it('shows no buttons, and says why, when no workflow answers them', () => {
    const card = renderAlertCard(triggeredModel({ actionsAvailable: false, refreshUserIds: ['aad-1'] }));
    expect(findAll(card, 'Action.Execute')).toEqual([]);
    expect(card.refresh).toBeUndefined();
    expect(renderedTexts(card).some((t) => t.startsWith('Buttons are off'))).toBe(true);
    expect(findAll(card, 'Action.OpenUrl')).toHaveLength(2);
  });

  it('colours the banner by state', () => {
    const style = (model: AlertCardModel): unknown => findAll(renderAlertCard(model), 'Container')[0]?.['style'];
    expect(style(triggeredModel())).toBe('attention');
    expect(style(acknowledged())).toBe('warning');
    expect(style(resolved())).toBe('good');
    expect(renderedTexts(renderAlertCard(triggeredModel()))).toContain('NEEDS A RESPONDER');
  });

  it('states the sign-in facts', () => {
    const card = renderAlertCard(
      triggeredModel({
        latest: signIn({ resultType: '50126', resultDescription: 'Invalid username or password.' }),
        occurrences: 3,
        lastSeen: '2026-11-22T15:00:00Z',
      }),
    );
    const facts = Object.fromEntries(
      (findAll(card, 'FactSet')[0]?.['facts'] as { title: string; value: string }[]).map((f) => [f.title, f.value]),
    );
    expect(facts).toMatchObject({
      Account: 'bg1@contoso.onmicrosoft.com',
      'Sign-in time': '2026-11-22 14:02 UTC',
      Result: 'Failure 50126: Invalid username or password.',
      'IP address': '203.0.113.45',
      Location: 'Amsterdam, Noord-Holland, NL',
      Application: 'Azure Portal',
      'Alert rule': 'Break-glass sign-in',
      Severity: 'Sev0',
      Occurrences: '3 (first 2026-11-22 14:03 UTC, last 2026-11-22 15:00 UTC)',
    });
  });

  it('falls back to the alert time when the sign-in time is unknown', () => {
    const card = renderAlertCard(triggeredModel({ latest: undefined }));
    expect(JSON.stringify(card)).toContain('"title":"Sign-in time","value":"2026-11-22 14:03 UTC (alert fired)"');
  });

  it('tables recent sign-ins only when there are several, at most ten rows', () => {
    expect(findAll(renderAlertCard(triggeredModel()), 'Table')).toEqual([]);
    const many = Array.from({ length: 25 }, (_, i) => signIn({ ipAddress: `203.0.113.${i}` }));
    const [table] = findAll(renderAlertCard(triggeredModel({ recentSignIns: many })), 'Table');
    expect(table?.['rows']).toHaveLength(MAX_RECENT_ROWS + 1);
  });

  it('escapes markdown in everything that came from outside', () => {
    const evil = '[click](http://evil.example) **URGENT**';
    const card = renderAlertCard(
      triggeredModel({
        subject: { kind: 'user', key: 'user:x', upn: evil },
        headline: `Break-glass sign-in: ${evil}`,
        stateLine: `Acknowledged by ${evil}`,
        ruleName: evil,
        latest: signIn({ upn: evil, location: evil, app: evil, ipAddress: '- 1. # > x', resultType: '1', resultDescription: evil }),
        recentSignIns: [signIn({ app: evil }), signIn({ location: evil })],
      }),
    );
    const texts = renderedTexts(card);
    const unescapedLink = /(^|[^\\])\[[^\]]*\]\(/;
    const unescapedBold = /(^|[^\\])\*\*/;
    expect(texts.filter((t) => unescapedLink.test(t) || unescapedBold.test(t))).toEqual([]);
    expect(texts.filter((t) => t.includes('click')).length).toBeGreaterThanOrEqual(8);
    expect(texts).toContain('\\- 1. \\# \\> x');
  });

  it('only links to https URLs', () => {
    const card = renderAlertCard(triggeredModel({ links: { searchResults: 'javascript:alert(1)', portal: 'http://portal.example' } }));
    expect(findAll(card, 'Action.OpenUrl')).toEqual([]);
  });

  it('stays well under the Teams size limit with ten rows of 1 KB values', () => {
    const kb = 'x'.repeat(1024);
    const hostile = signIn({ upn: kb, ipAddress: kb, location: kb, app: kb, resultType: kb, resultDescription: kb, operationName: kb, caller: kb, status: kb });
    const card = renderAlertCard(
      triggeredModel({
        headline: kb,
        stateLine: kb,
        resolvedNotice: kb,
        ruleName: kb,
        severity: kb,
        subject: { kind: 'user', key: kb, upn: kb, objectId: kb },
        latest: hostile,
        recentSignIns: Array.from({ length: 10 }, () => hostile),
        refreshUserIds: Array.from({ length: 60 }, (_, i) => `${i}-3f0c2b7e-6d1a-4c51-9f3e-2a8b7c6d5e4f`),
        demo: true,
      }),
    );
    expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(28 * 1024);
  });

  it('renders the same card for the same model, without touching it', () => {
    const model = triggeredModel({ recentSignIns: twoSignIns });
    const frozen = structuredClone(model);
    expect(renderAlertCard(model)).toEqual(renderAlertCard(model));
    expect(model).toEqual(frozen);
  });
});
