import { describe, expect, it } from 'vitest';
import {
  MAX_RECENT_ROWS,
  MAX_TIMELINE_ROWS,
  ROTATE_PASSWORD_LINE,
  renderAlertCard,
  type AlertCardModel,
} from '../../../cards/alert-card.js';
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
const timeline = (n: number): { at: string; text: string }[] =>
  Array.from({ length: n }, (_, i) => ({ at: `2026-11-22T14:${String(i).padStart(2, '0')}:00Z`, text: `Entry ${i}` }));
const texts = (model: AlertCardModel): string[] => renderedTexts(renderAlertCard(model));

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

  it('resolved as unauthorized, password not yet rotated, with timeline and escalation line', () => {
    const model = resolved({
      stateLine: 'Resolved by Ada Lovelace · 14:20 UTC',
      escalationLine: 'Escalated to level 1 of 3 before it was acknowledged',
      resolution: { label: 'Unauthorized: start incident response', note: 'Nobody on the rota used it. Ticket SEC-1234.' },
      timeline: [
        { at: '2026-11-22T14:03:10Z', text: 'Opened by Glasswatch' },
        { at: '2026-11-22T14:05:00Z', text: 'Acknowledged by Ada Lovelace' },
        { at: '2026-11-22T14:20:00Z', text: 'Resolved by Ada Lovelace: unauthorized' },
      ],
      refreshUserIds: ['aad-ada'],
    });
    expect(renderAlertCard(model)).toMatchSnapshot();
  });

  it('resolved, password rotation confirmed', () => {
    const model = resolved({
      resolution: { label: 'Drill (planned validation)' },
      passwordRotation: { confirmedBy: 'Grace Hopper', confirmedAt: '2026-11-22T15:02:00Z' },
    });
    expect(renderAlertCard(model)).toMatchSnapshot();
  });

  it('acknowledged, as the invoke response to a late click', () => {
    const model = acknowledged({
      viewerNotice: { text: 'Already acknowledged by Ada Lovelace at 14:05 UTC', tone: 'warning' },
      escalationLine: 'Reminder at 15:05 UTC if still unresolved',
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
    expect(verbs(triggeredModel())).toEqual(['incident.acknowledge', 'incident.escalate', 'incident.resolve', 'incident.note']);
    expect(verbs(acknowledged())).toEqual(['incident.unacknowledge', 'incident.escalate', 'incident.resolve', 'incident.note']);
    expect(verbs(resolved())).toEqual(['incident.confirm-rotation', 'incident.note']);
    expect(findAll(renderAlertCard(resolved()), 'Action.ShowCard').map((a) => a['title'])).toEqual(['Note']);
  });

  it('asks for the password rotation on a resolved card until someone confirms it', () => {
    for (const model of [triggeredModel(), acknowledged()]) {
      expect(verbs(model)).not.toContain('incident.confirm-rotation');
      expect(texts(model)).not.toContain(ROTATE_PASSWORD_LINE);
    }
    const pending = renderAlertCard(resolved());
    expect(renderedTexts(pending)).toContain(ROTATE_PASSWORD_LINE);
    const [button] = findAll(pending, 'Action.Execute').filter((a) => a['verb'] === 'incident.confirm-rotation');
    expect(button).toMatchObject({ title: 'Password rotated', data: { incidentId: 'inc-7f3a', version: 5 } });

    const confirmed = resolved({ passwordRotation: { confirmedBy: 'Grace [Hopper](http://x)', confirmedAt: '2026-11-22T15:02:09.1234567Z' } });
    expect(verbs(confirmed)).toEqual(['incident.note']);
    expect(texts(confirmed)).not.toContain(ROTATE_PASSWORD_LINE);
    expect(texts(confirmed)).toContain('Password rotated · confirmed by Grace \\[Hopper\\]\\(http://x\\) at 2026-11-22 15:02 UTC');
  });

  it('keeps the rotation line but drops its button when no workflow answers, and skips it for accounts without a password', () => {
    const unwired = resolved({ actionsAvailable: false });
    expect(texts(unwired)).toContain(ROTATE_PASSWORD_LINE);
    expect(verbs(unwired)).toEqual([]);
    for (const subject of [
      { kind: 'service-principal', key: 'sp:9a1b', appId: '9a1b' },
      { kind: 'monitoring', key: 'rule:diag', ruleName: 'Diagnostic setting deleted' },
    ] as const) {
      expect(texts(resolved({ subject }))).not.toContain(ROTATE_PASSWORD_LINE);
      expect(verbs(resolved({ subject }))).toEqual(['incident.note']);
    }
  });

  it('lets a responder add a required note of at most 1000 characters in every state', () => {
    for (const model of [triggeredModel(), acknowledged(), resolved()]) {
      const note = findAll(renderAlertCard(model), 'Action.ShowCard').find((a) => a['title'] === 'Note');
      expect(findAll(note, 'Input.Text')).toEqual([
        expect.objectContaining({ id: 'note', isMultiline: true, maxLength: 1000, isRequired: true }),
      ]);
      expect(findAll(note, 'Action.Execute')).toEqual([
        expect.objectContaining({ verb: 'incident.note', data: { incidentId: 'inc-7f3a', version: model.version } }),
      ]);
    }
    expect(findAll(renderAlertCard(triggeredModel({ actionsAvailable: false })), 'Action.ShowCard')).toEqual([]);
  });

  it('puts the viewer notice first, coloured by tone and escaped', () => {
    for (const tone of ['good', 'warning', 'attention'] as const) {
      const card = renderAlertCard(acknowledged({ viewerNotice: { text: 'Only responders can act. [Ask](http://evil)', tone } }));
      expect(card.body[0]).toEqual({
        type: 'Container',
        style: tone,
        bleed: true,
        items: [{ type: 'TextBlock', text: 'Only responders can act. \\[Ask\\]\\(http://evil\\)', weight: 'bolder', wrap: true }],
      });
    }
    expect(renderAlertCard(acknowledged()).body[0]).toMatchObject({ type: 'Container', style: 'warning', bleed: true });
    expect(findAll(renderAlertCard(acknowledged()).body[0], 'TextBlock')[0]?.['text']).toBe('ACKNOWLEDGED');
  });

  it('shows the escalation line small under the state line', () => {
    const header = findAll(renderAlertCard(triggeredModel({ stateLine: 'Needs a responder', escalationLine: 'Escalation level 2 of 3 · next at 14:20 UTC' })), 'Container')[0];
    const lines = findAll(header, 'TextBlock');
    const state = lines.findIndex((t) => t['text'] === 'Needs a responder');
    expect(lines[state + 1]).toMatchObject({ text: 'Escalation level 2 of 3 · next at 14:20 UTC', size: 'small' });
  });

  it('states the resolution and its note on resolved cards only', () => {
    const resolution = { label: 'Authorized emergency use', note: 'CHG-42, **approved** by the CISO' };
    expect(texts(resolved({ resolution }))).toEqual(
      expect.arrayContaining(['Resolution: Authorized emergency use', 'Note: CHG-42, \\*\\*approved\\*\\* by the CISO']),
    );
    expect(texts(acknowledged({ resolution })).some((t) => t.startsWith('Resolution:'))).toBe(false);
  });

  it('shows the last five timeline entries, oldest first, escaped, with the date only when it changes', () => {
    const entries = [
      ...timeline(7),
      { at: '2026-11-23T00:10:00Z', text: 'Noted by [Eve](http://evil)' },
      { at: '2026-11-23T00:12:00Z', text: 'Reminded Ada' },
    ];
    const card = renderAlertCard(triggeredModel({ timeline: entries }));
    const block = findAll(card, 'Container').find((c) => findAll(c, 'TextBlock')[0]?.['text'] === 'Timeline');
    const lines = findAll(block, 'TextBlock').map((t) => String(t['text']));
    expect(MAX_TIMELINE_ROWS).toBe(5);
    expect(lines).toEqual([
      'Timeline',
      '4 earlier entries in the audit trail',
      '2026-11-22 14:04 UTC · Entry 4',
      '14:05 UTC · Entry 5',
      '14:06 UTC · Entry 6',
      '2026-11-23 00:10 UTC · Noted by \\[Eve\\]\\(http://evil\\)',
      '00:12 UTC · Reminded Ada',
    ]);
    expect(findAll(renderAlertCard(triggeredModel({ timeline: timeline(2) })), 'TextBlock').map((t) => t['text'])).not.toContain(
      expect.stringContaining('earlier'),
    );
    expect(findAll(renderAlertCard(triggeredModel({ timeline: [] })), 'TextBlock').map((t) => t['text'])).not.toContain('Timeline');
  });

  it('keeps refresh on resolved cards so late viewers get the final state', () => {
    const card = renderAlertCard(resolved({ refreshUserIds: ['aad-ada'] }));
    expect(card.refresh).toEqual({
      action: { type: 'Action.Execute', title: 'Refresh', verb: 'incident.refresh', data: { incidentId: 'inc-7f3a', version: 5 } },
      userIds: ['aad-ada'],
    });
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
      expect(actions.length).toBe(5);
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

  it('stays well under the Teams size limit with ten rows of 1 KB values, in every state', () => {
    const kb = 'x'.repeat(1024);
    const hostile = signIn({ upn: kb, ipAddress: kb, location: kb, app: kb, resultType: kb, resultDescription: kb, operationName: kb, caller: kb, status: kb });
    for (const state of ['triggered', 'acknowledged', 'resolved'] as const) {
      for (const passwordRotation of [undefined, { confirmedBy: kb, confirmedAt: kb }]) {
        const card = renderAlertCard(
          triggeredModel({
            state,
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
            viewerNotice: { text: kb, tone: 'attention' },
            escalationLine: kb,
            resolution: { label: kb, note: kb },
            passwordRotation,
            timeline: Array.from({ length: 30 }, () => ({ at: kb, text: kb })),
          }),
        );
        expect(Buffer.byteLength(JSON.stringify(card), 'utf8')).toBeLessThan(28 * 1024);
      }
    }
  });

  it('renders the same card for the same model, without touching it', () => {
    const model = triggeredModel({ recentSignIns: twoSignIns });
    const frozen = structuredClone(model);
    expect(renderAlertCard(model)).toEqual(renderAlertCard(model));
    expect(model).toEqual(frozen);
  });
});
