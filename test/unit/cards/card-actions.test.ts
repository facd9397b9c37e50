import { describe, expect, it } from 'vitest';
import { CARD_VERBS, DRILL_VERBS, executeAction, INCIDENT_VERBS, isDrillAction, parseActionData } from '../../../cards/card-actions.js';
import { renderAlertCard } from '../../../cards/alert-card.js';
import { findAll, triggeredModel } from './card-fixtures.js';

describe('executeAction', () => {
  it('builds an Action.Execute with the incident and its version', () => {
    expect(executeAction('Acknowledge', 'incident.acknowledge', { incidentId: 'inc-1', version: 4 }, 'positive')).toEqual({
      type: 'Action.Execute',
      title: 'Acknowledge',
      verb: 'incident.acknowledge',
      data: { incidentId: 'inc-1', version: 4 },
      style: 'positive',
    });
  });

  it('carries a resolution only when given, and no style key by default', () => {
    const plain = executeAction('Escalate', 'incident.escalate', { incidentId: 'inc-1', version: 1 });
    expect(Object.keys(plain)).not.toContain('style');
    expect(Object.keys(plain.data)).toEqual(['incidentId', 'version']);
    const drill = executeAction('Drill', 'incident.resolve', { incidentId: 'inc-1', version: 1, resolution: 'drill' });
    expect(drill.data).toEqual({ incidentId: 'inc-1', version: 1, resolution: 'drill' });
  });
});

describe('parseActionData', () => {
  it.each(['incident.acknowledge', 'incident.unacknowledge', 'incident.escalate', 'incident.confirm-rotation', 'incident.refresh'] as const)(
    'accepts %s with an incident and version',
    (verb) => {
      expect(parseActionData(verb, { incidentId: 'inc-1', version: 2 })).toEqual({
        ok: true,
        action: { verb, incidentId: 'inc-1', version: 2 },
      });
    },
  );

  it('accepts a resolve with the inputs Teams merged in, and drops unknown keys', () => {
    expect(
      parseActionData('incident.resolve', { incidentId: 'inc-1', version: 2, resolution: 'drill', note: ' CHG-42 ', extra: true }),
    ).toEqual({ ok: true, action: { verb: 'incident.resolve', incidentId: 'inc-1', version: 2, resolution: 'drill', note: 'CHG-42' } });
  });

  it('treats an untouched note box as no note', () => {
    const parsed = parseActionData('incident.resolve', { incidentId: 'inc-1', version: 2, resolution: 'unauthorized', note: '' });
    expect(parsed).toEqual({
      ok: true,
      action: { verb: 'incident.resolve', incidentId: 'inc-1', version: 2, resolution: 'unauthorized' },
    });
  });

  it('accepts a note and refuses an empty one', () => {
    expect(parseActionData('incident.note', { incidentId: 'inc-1', version: 2, note: 'called Ada' })).toEqual({
      ok: true,
      action: { verb: 'incident.note', incidentId: 'inc-1', version: 2, note: 'called Ada' },
    });
    expect(parseActionData('incident.note', { incidentId: 'inc-1', version: 2, note: '  ' })).toMatchObject({ ok: false });
  });

  it('refuses an unknown verb, naming it', () => {
    const parsed = parseActionData('incident.delete', { incidentId: 'inc-1', version: 2 });
    expect(parsed.ok).toBe(false);
    expect(parsed).toMatchObject({ message: expect.stringContaining('incident.delete') });
  });

  it('refuses data without an incident id', () => {
    expect(parseActionData('incident.acknowledge', { version: 2 })).toEqual({
      ok: false,
      message: "This button's data is not valid: missing incidentId.",
    });
    expect(parseActionData('incident.acknowledge', { incidentId: '', version: 2 })).toMatchObject({ ok: false });
  });

  it('refuses a missing or non-numeric version', () => {
    expect(parseActionData('incident.escalate', { incidentId: 'inc-1' })).toMatchObject({ ok: false });
    expect(parseActionData('incident.escalate', { incidentId: 'inc-1', version: '2' })).toMatchObject({ ok: false });
    expect(parseActionData('incident.escalate', { incidentId: 'inc-1', version: 1.5 })).toMatchObject({ ok: false });
  });

  it('refuses a missing or unknown resolution, listing the valid ones', () => {
    const bad = parseActionData('incident.resolve', { incidentId: 'inc-1', version: 2, resolution: 'whatever' });
    expect(bad).toMatchObject({ ok: false, message: expect.stringContaining('authorized-emergency') });
    expect(parseActionData('incident.resolve', { incidentId: 'inc-1', version: 2 })).toMatchObject({ ok: false });
  });

  it('refuses data that is not an object', () => {
    for (const data of [null, undefined, 'inc-1', 42, ['inc-1', 2]]) {
      expect(parseActionData('incident.acknowledge', data)).toMatchObject({ ok: false });
    }
  });

  it('accepts back every button the alert card renders, in every state', () => {
    const seen = new Set<string>();
    for (const state of ['triggered', 'acknowledged', 'resolved'] as const) {
      const card = renderAlertCard(triggeredModel({ state, refreshUserIds: ['aad-1'] }));
      for (const action of findAll(card, 'Action.Execute')) {
        // What Teams would send back once the card's inputs are filled in.
        const data = { ...(action['data'] as object), resolution: 'drill', note: 'called Ada' };
        expect(parseActionData(String(action['verb']), data)).toMatchObject({ ok: true, action: { verb: action['verb'] } });
        seen.add(String(action['verb']));
      }
    }
    expect([...seen].sort()).toEqual([...INCIDENT_VERBS].sort());
  });

  it('needs nothing but the incident and version to confirm a rotation', () => {
    expect(parseActionData('incident.confirm-rotation', { incidentId: 'inc-1', version: 7, note: 'ignored' })).toEqual({
      ok: true,
      action: { verb: 'incident.confirm-rotation', incidentId: 'inc-1', version: 7 },
    });
    expect(parseActionData('incident.confirm-rotation', { incidentId: 'inc-1' })).toMatchObject({ ok: false });
  });
});

describe('drill buttons', () => {
  it('CARD_VERBS are the incident verbs followed by the drill verbs', () => {
    expect(CARD_VERBS).toEqual([...INCIDENT_VERBS, ...DRILL_VERBS]);
    expect(DRILL_VERBS).toEqual(['drill.tick', 'drill.waive', 'drill.confirm-rotation']);
  });

  it('executeAction writes a drill target: drillId, version and the item when given', () => {
    expect(executeAction('Done', 'drill.tick', { drillId: 'drill-1', version: 3, item: 'people-trained' }, 'positive')).toEqual({
      type: 'Action.Execute',
      title: 'Done',
      verb: 'drill.tick',
      data: { drillId: 'drill-1', version: 3, item: 'people-trained' },
      style: 'positive',
    });
    expect(executeAction('Password rotated', 'drill.confirm-rotation', { drillId: 'drill-1', version: 4 }).data).toEqual({ drillId: 'drill-1', version: 4 });
  });

  it('accepts a tick with a checklist item, and refuses an unknown item or a missing drill', () => {
    expect(parseActionData('drill.tick', { drillId: 'drill-1', version: 2, item: 'staff-informed' })).toEqual({
      ok: true,
      action: { verb: 'drill.tick', drillId: 'drill-1', version: 2, item: 'staff-informed' },
    });
    expect(parseActionData('drill.tick', { drillId: 'drill-1', version: 2, item: 'coffee' })).toMatchObject({
      ok: false,
      message: expect.stringContaining('unknown checklist item'),
    });
    expect(parseActionData('drill.tick', { drillId: 'drill-1', version: 2 })).toMatchObject({ ok: false });
    expect(parseActionData('drill.tick', { incidentId: 'inc-1', version: 2, item: 'staff-informed' })).toEqual({
      ok: false,
      message: "This button's data is not valid: missing drillId.",
    });
    expect(parseActionData('drill.tick', null)).toEqual({ ok: false, message: "This button's data is not valid: it carries no drill." });
  });

  it('a waive needs a reason, trimmed and capped', () => {
    expect(parseActionData('drill.waive', { drillId: 'drill-1', version: 2, item: 'device-reachable', reason: ' CBA instead ' })).toEqual({
      ok: true,
      action: { verb: 'drill.waive', drillId: 'drill-1', version: 2, item: 'device-reachable', reason: 'CBA instead' },
    });
    for (const reason of [undefined, '', '   ', 42, 'x'.repeat(1001)]) {
      expect(parseActionData('drill.waive', { drillId: 'drill-1', version: 2, item: 'device-reachable', reason })).toMatchObject({ ok: false });
    }
    expect(parseActionData('drill.waive', { drillId: 'drill-1', version: 2, item: 'device-reachable' })).toEqual({
      ok: false,
      message: "This button's data is not valid: write why this item is waived.",
    });
  });

  it('confirm-rotation needs the drill and its version only', () => {
    expect(parseActionData('drill.confirm-rotation', { drillId: 'drill-1', version: 7, item: 'ignored' })).toEqual({
      ok: true,
      action: { verb: 'drill.confirm-rotation', drillId: 'drill-1', version: 7 },
    });
    expect(parseActionData('drill.confirm-rotation', { drillId: 'drill-1', version: -1 })).toMatchObject({ ok: false });
  });

  it('incident verbs still need an incident, not a drill', () => {
    expect(parseActionData('incident.acknowledge', { drillId: 'drill-1', version: 2 })).toEqual({
      ok: false,
      message: "This button's data is not valid: missing incidentId.",
    });
  });

  it('isDrillAction tells drill actions from incident actions', () => {
    const drill = parseActionData('drill.confirm-rotation', { drillId: 'drill-1', version: 7 });
    const incident = parseActionData('incident.acknowledge', { incidentId: 'inc-1', version: 7 });
    expect(drill.ok && isDrillAction(drill.action)).toBe(true);
    expect(incident.ok && isDrillAction(incident.action)).toBe(false);
  });
});
