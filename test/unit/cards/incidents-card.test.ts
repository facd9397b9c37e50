import { describe, expect, it } from 'vitest';
import { MAX_INCIDENT_ROWS, renderIncidentsCard, type OpenIncidentRow } from '../../../cards/incidents-card.js';
import { findAll, renderedTexts } from './card-fixtures.js';

const now = '2026-11-22T14:30:00Z';

const row = (overrides: Partial<OpenIncidentRow> = {}): OpenIncidentRow => ({
  id: 'inc-7f3a',
  headline: 'Break-glass sign-in: bg1@contoso.onmicrosoft.com',
  state: 'triggered',
  severity: 'Sev0',
  openedAt: '2026-11-22T14:03:10Z',
  age: '27 minutes',
  escalationLevel: 2,
  occurrences: 3,
  ...overrides,
});

const acknowledgedRow = row({
  id: 'inc-91c2',
  headline: 'Break-glass sign-in: bg2@contoso.onmicrosoft.com',
  state: 'acknowledged',
  severity: 'Sev1',
  openedAt: '2026-11-22T12:10:00Z',
  age: '2 hours',
  owner: 'Ada Lovelace',
  escalationLevel: 0,
  occurrences: 1,
});

/** The incident rows: separated containers, one per incident. */
const rows = (vm: Parameters<typeof renderIncidentsCard>[0]) =>
  findAll(renderIncidentsCard(vm), 'Container').filter((c) => c['separator'] === true);

describe('renderIncidentsCard', () => {
  it('snapshot: two open incidents', () => {
    expect(renderIncidentsCard({ now, incidents: [row(), acknowledgedRow] })).toMatchSnapshot();
  });

  it('snapshot: none open, local mode', () => {
    expect(renderIncidentsCard({ now, incidents: [], demo: true })).toMatchSnapshot();
  });

  it('heads the list with the count', () => {
    const heading = (n: number): unknown => renderIncidentsCard({ now, incidents: Array.from({ length: n }, () => row()) }).body[0];
    expect(heading(0)).toMatchObject({ text: 'No open incidents' });
    expect(heading(1)).toMatchObject({ text: '1 open incident' });
    expect(heading(2)).toMatchObject({ text: '2 open incidents' });
    expect(renderedTexts(renderIncidentsCard({ now, incidents: [] }))).toContain('As of 2026-11-22 14:30 UTC');
  });

  it('shows per incident its state badge, headline, age, severity, occurrences and escalation level', () => {
    const [first, second] = rows({ now, incidents: [row(), acknowledgedRow] }).map((c) => findAll(c, 'TextBlock').map((t) => t['text']));
    expect(first).toEqual([
      'Needs a responder',
      'Break-glass sign-in: bg1@contoso.onmicrosoft.com',
      'Sev0 · open 27 minutes (since 2026-11-22 14:03 UTC) · 3 occurrences · escalation level 2 · incident inc-7f3a',
    ]);
    expect(second).toEqual([
      'Acknowledged by Ada Lovelace',
      'Break-glass sign-in: bg2@contoso.onmicrosoft.com',
      'Sev1 · open 2 hours (since 2026-11-22 12:10 UTC) · 1 occurrence · not escalated · incident inc-91c2',
    ]);
    const badges = rows({ now, incidents: [row(), acknowledgedRow, row({ state: 'acknowledged' })] }).map((c) => findAll(c, 'TextBlock')[0]);
    expect(badges.map((b) => [b?.['text'], b?.['color']])).toEqual([
      ['Needs a responder', 'attention'],
      ['Acknowledged by Ada Lovelace', 'warning'],
      ['Acknowledged', 'warning'],
    ]);
  });

  it(`shows at most ${MAX_INCIDENT_ROWS} rows and says how many more there are`, () => {
    const incidents = Array.from({ length: 23 }, (_, i) => row({ id: `inc-${i}` }));
    const card = renderIncidentsCard({ now, incidents });
    expect(rows({ now, incidents })).toHaveLength(MAX_INCIDENT_ROWS);
    expect(renderedTexts(card)).toContain('… and 3 more');
    expect(renderedTexts(card)).toContain('23 open incidents');
    expect(renderedTexts(renderIncidentsCard({ now, incidents: incidents.slice(0, 20) })).some((t) => t.includes('more'))).toBe(false);
  });

  it('escapes everything that came from outside and has no buttons', () => {
    const evil = '[click](http://evil) **x**';
    const card = renderIncidentsCard({ now, incidents: [row({ headline: evil, owner: evil, state: 'acknowledged', severity: evil, id: evil, age: evil })] });
    const unescaped = /(^|[^\\])\[[^\]]*\]\(|(^|[^\\])\*\*/;
    expect(renderedTexts(card).filter((t) => unescaped.test(t))).toEqual([]);
    expect(findAll(card, 'Action.Execute')).toEqual([]);
  });

  it('stays under 28 KB with twenty rows of 1 KB values', () => {
    const kb = 'x'.repeat(1024);
    const incidents = Array.from({ length: 500 }, () => row({ id: kb, headline: kb, severity: kb, age: kb, owner: kb, openedAt: kb, state: 'acknowledged' }));
    expect(Buffer.byteLength(JSON.stringify(renderIncidentsCard({ now: kb, incidents, demo: true })), 'utf8')).toBeLessThan(28 * 1024);
  });
});
