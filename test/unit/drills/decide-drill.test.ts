import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHECKLIST_ITEM_IDS, CHECKLIST_ITEMS, checklistComplete, checklistRows, newChecklist, openItems } from '../../../bot/drills/checklist.js';
import { decideDrill, drillLatency, isInWindow, startDrill, WAIVE_REASON_MAX_LENGTH } from '../../../bot/drills/decide-drill.js';
import type { ChecklistItemId, Drill, DrillAlert, DrillCommand, DrillDecision, DrillRefusal, EndedDrill, RunningDrill } from '../../../bot/drills/drill.js';
import type { Actor } from '../../../bot/incidents/incident.js';

const START = new Date('2026-11-22T14:00:00.000Z');
const ADA: Actor = { id: 'aad-ada', name: 'Ada Lovelace' };
const BOB: Actor = { id: 'aad-bob', name: 'Bob Hopper' };
const ACCOUNT = 'bg1@contoso.onmicrosoft.com';

const minutes = (n: number): Date => new Date(START.getTime() + n * 60_000);
const iso = (n: number): string => minutes(n).toISOString();

function started(windowMinutes = 60): RunningDrill {
  return startDrill({ id: 'drill-1', account: ACCOUNT, actor: ADA, now: START, windowMinutes });
}

function alert(overrides: Partial<DrillAlert> = {}): DrillAlert {
  return {
    incidentId: 'inc-1',
    alertId: 'alert-1',
    signInAt: iso(2),
    firedAt: iso(6),
    receivedAt: iso(6.05),
    ...overrides,
  };
}

function accepted(decision: DrillDecision): Drill {
  if (!decision.ok) throw new Error(`expected acceptance, got ${decision.refusal.code}: ${decision.refusal.message}`);
  return decision.drill;
}

function refused(decision: DrillDecision): DrillRefusal {
  if (decision.ok) throw new Error(`expected a refusal, got ${decision.drill.status} v${decision.drill.version}`);
  return decision.refusal;
}

function endedDrill(drill: Drill): EndedDrill {
  if (drill.status === 'running') throw new Error('expected an ended drill');
  return drill;
}

/** Applies commands in order, each at its minute after START; every one must be accepted. */
function run(drill: Drill, steps: [DrillCommand, number][]): Drill {
  return steps.reduce((current, [command, at]) => accepted(decideDrill(current, command, minutes(at))), drill);
}

const tickAll = (actor: Actor, at = 10): [DrillCommand, number][] => CHECKLIST_ITEM_IDS.map((item) => [{ type: 'tick', item, actor }, at]);

/** Deep-freezes so any mutation of the input throws (ES modules are strict). */
function frozen<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(frozen);
    Object.freeze(value);
  }
  return value;
}

describe('startDrill', () => {
  it('opens a running drill, version 1, empty checklist, window from now', () => {
    expect(startDrill({ id: 'drill-1', account: ' BG1@Contoso.onmicrosoft.com ', actor: ADA, now: START, windowMinutes: 60 })).toEqual({
      id: 'drill-1',
      version: 1,
      status: 'running',
      account: ACCOUNT,
      startedBy: ADA,
      startedAt: '2026-11-22T14:00:00.000Z',
      windowEndsAt: '2026-11-22T15:00:00.000Z',
      checklist: newChecklist(),
      alerts: [],
    });
  });

  it('refuses a window that is not a positive number of minutes', () => {
    for (const windowMinutes of [0, -5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => startDrill({ id: 'd', account: ACCOUNT, actor: ADA, now: START, windowMinutes })).toThrow(RangeError);
    }
  });
});

describe('checklist', () => {
  it('has the six items of the guidance, each with a title and one-line guidance', () => {
    expect(CHECKLIST_ITEM_IDS).toEqual(Object.keys(CHECKLIST_ITEMS));
    expect(Object.keys(newChecklist())).toEqual([...CHECKLIST_ITEM_IDS]);
    for (const id of CHECKLIST_ITEM_IDS) {
      expect(CHECKLIST_ITEMS[id].title.length).toBeGreaterThan(10);
      expect(CHECKLIST_ITEMS[id].guidance).not.toContain('\n');
    }
    expect(CHECKLIST_ITEMS['device-reachable'].guidance).toMatch(/two network paths/);
    expect(CHECKLIST_ITEMS['no-personal-methods'].guidance).toMatch(/self-service password reset/);
  });

  it('is complete only when no item is open', () => {
    const checklist = newChecklist();
    expect(checklistComplete(checklist)).toBe(false);
    expect(openItems(checklist)).toEqual([...CHECKLIST_ITEM_IDS]);
    const done = { ...checklist };
    for (const id of CHECKLIST_ITEM_IDS) done[id] = { state: 'ticked', by: ADA, at: iso(1) };
    expect(checklistComplete(done)).toBe(true);
    done['people-trained'] = { state: 'waived', by: BOB, at: iso(2), reason: 'trained last week' };
    expect(checklistComplete(done)).toBe(true);
    done['staff-informed'] = { state: 'open' };
    expect(openItems(done)).toEqual(['staff-informed']);
  });

  it('rows carry who did what', () => {
    const checklist = { ...newChecklist(), 'staff-informed': { state: 'ticked' as const, by: ADA, at: iso(1) } };
    const [first, second] = checklistRows(checklist);
    expect(first).toEqual({ id: 'staff-informed', ...CHECKLIST_ITEMS['staff-informed'], state: 'ticked', by: 'Ada Lovelace', at: iso(1) });
    expect(second).toEqual({ id: 'process-documented', ...CHECKLIST_ITEMS['process-documented'], state: 'open' });
  });
});

describe('decideDrill: checklist', () => {
  it('tick records who and when, and increments the version', () => {
    const drill = accepted(decideDrill(frozen(started()), { type: 'tick', item: 'staff-informed', actor: BOB }, minutes(3)));
    expect(drill.version).toBe(2);
    expect(drill.checklist['staff-informed']).toEqual({ state: 'ticked', by: BOB, at: iso(3) });
    expect(drill.checklist['people-trained']).toEqual({ state: 'open' });
  });

  it('re-ticking a ticked item, by anyone, is refused naming who ticked it and when', () => {
    const drill = run(started(), [[{ type: 'tick', item: 'staff-informed', actor: ADA }, 3]]);
    for (const actor of [ADA, BOB]) {
      const refusal = refused(decideDrill(drill, { type: 'tick', item: 'staff-informed', actor }, minutes(4)));
      expect(refusal).toEqual({ code: 'already-ticked', message: '"Monitoring staff informed" was already ticked by Ada Lovelace at 14:03 UTC.' });
    }
  });

  it('names the date too when the tick was on another day', () => {
    const drill = run(started(), [[{ type: 'tick', item: 'staff-informed', actor: ADA }, 3]]);
    const refusal = refused(decideDrill(drill, { type: 'tick', item: 'staff-informed', actor: BOB }, minutes(24 * 60)));
    expect(refusal.message).toContain('at 14:03 UTC on 2026-11-22');
  });

  it('waive needs a non-empty reason, and stores it trimmed', () => {
    const drill = started();
    for (const reason of ['', '   ', '\n\t']) {
      expect(refused(decideDrill(drill, { type: 'waive', item: 'device-reachable', actor: ADA, reason }, minutes(3)))).toMatchObject({
        code: 'empty-reason',
        message: expect.stringContaining('Security key reachable'),
      });
    }
    const waived = accepted(decideDrill(drill, { type: 'waive', item: 'device-reachable', actor: ADA, reason: '  CBA instead of FIDO2 ' }, minutes(3)));
    expect(waived.checklist['device-reachable']).toEqual({ state: 'waived', by: ADA, at: iso(3), reason: 'CBA instead of FIDO2' });
  });

  it('caps a long reason', () => {
    const waived = accepted(decideDrill(started(), { type: 'waive', item: 'people-trained', actor: ADA, reason: 'x'.repeat(5000) }, minutes(3)));
    const item = waived.checklist['people-trained'];
    expect(item.state === 'waived' ? item.reason.length : 0).toBe(WAIVE_REASON_MAX_LENGTH);
  });

  it('a waived item can be ticked, which resolves the waiver; a ticked item cannot be waived', () => {
    const drill = run(started(), [[{ type: 'waive', item: 'people-trained', actor: ADA, reason: 'Bob is on leave' }, 3]]);
    const ticked = accepted(decideDrill(drill, { type: 'tick', item: 'people-trained', actor: BOB }, minutes(20)));
    expect(ticked.checklist['people-trained']).toEqual({ state: 'ticked', by: BOB, at: iso(20) });
    expect(refused(decideDrill(ticked, { type: 'waive', item: 'people-trained', actor: ADA, reason: 'again' }, minutes(21)))).toMatchObject({
      code: 'already-ticked',
      message: expect.stringContaining('Bob Hopper'),
    });
  });

  it('waiving a waived item again replaces the reason', () => {
    const drill = run(started(), [
      [{ type: 'waive', item: 'people-trained', actor: ADA, reason: 'first' }, 3],
      [{ type: 'waive', item: 'people-trained', actor: BOB, reason: 'second' }, 4],
    ]);
    expect(drill.checklist['people-trained']).toEqual({ state: 'waived', by: BOB, at: iso(4), reason: 'second' });
    expect(drill.version).toBe(3);
  });

  it('an item that is not on the checklist is refused', () => {
    const item = String('coffee-made') as ChecklistItemId;
    expect(refused(decideDrill(started(), { type: 'tick', item, actor: ADA }, minutes(3)))).toMatchObject({ code: 'unknown-item', message: expect.stringContaining('coffee-made') });
    expect(refused(decideDrill(started(), { type: 'waive', item, actor: ADA, reason: 'x' }, minutes(3)))).toMatchObject({ code: 'unknown-item' });
  });

  it('tick and waive are refused once the drill has ended', () => {
    const drill = run(started(), [[{ type: 'end', actor: BOB }, 30]]);
    expect(refused(decideDrill(drill, { type: 'tick', item: 'staff-informed', actor: ADA }, minutes(31)))).toEqual({
      code: 'drill-ended',
      message: 'This drill already ended (failed), by Bob Hopper at 14:30 UTC.',
    });
    expect(refused(decideDrill(drill, { type: 'waive', item: 'staff-informed', actor: ADA, reason: 'late' }, minutes(31)))).toMatchObject({ code: 'drill-ended' });
  });
});

describe('decideDrill: alerts', () => {
  it('records an alert received inside the window', () => {
    const drill = accepted(decideDrill(frozen(started()), { type: 'record-alert', alert: alert() }, minutes(7)));
    expect(drill.alerts).toEqual([alert()]);
    expect(drill.version).toBe(2);
  });

  it('accepts an alert received exactly at the window end, refuses one after it', () => {
    expect(accepted(decideDrill(started(), { type: 'record-alert', alert: alert({ receivedAt: iso(60) }) }, minutes(60))).alerts).toHaveLength(1);
    expect(refused(decideDrill(started(), { type: 'record-alert', alert: alert({ receivedAt: iso(60.01) }) }, minutes(61)))).toMatchObject({
      code: 'drill-ended',
      message: expect.stringContaining('closed at 15:00 UTC'),
    });
    expect(refused(decideDrill(started(), { type: 'record-alert', alert: alert({ receivedAt: 'soon' }) }, minutes(10)))).toMatchObject({ code: 'drill-ended' });
  });

  it('refuses an alert once the drill has ended, even inside the window', () => {
    const drill = run(started(), [[{ type: 'end', actor: ADA }, 10]]);
    expect(refused(decideDrill(drill, { type: 'record-alert', alert: alert({ receivedAt: iso(11) }) }, minutes(11)))).toMatchObject({ code: 'drill-ended' });
  });

  it('the same alert again replaces its record, keeping the card time already known', () => {
    const drill = run(started(), [
      [{ type: 'record-alert', alert: alert({ signInAt: undefined }) }, 7],
      [{ type: 'card-posted', incidentId: 'inc-1', at: iso(6.1) }, 7],
      [{ type: 'record-alert', alert: alert({ signInAt: iso(2) }) }, 8],
      [{ type: 'record-alert', alert: alert({ alertId: 'alert-2', incidentId: 'inc-1', receivedAt: iso(9) }) }, 9],
    ]);
    expect(drill.alerts).toEqual([alert({ cardPostedAt: iso(6.1) }), alert({ alertId: 'alert-2', receivedAt: iso(9) })]);
    expect(drill.version).toBe(5);
  });

  it('card-posted sets the card time on the alerts of that incident still waiting for one', () => {
    const drill = run(started(), [
      [{ type: 'record-alert', alert: alert() }, 7],
      [{ type: 'record-alert', alert: alert({ alertId: 'alert-9', incidentId: 'inc-9', receivedAt: iso(8) }) }, 8],
    ]);
    const posted = accepted(decideDrill(drill, { type: 'card-posted', incidentId: 'inc-9', at: iso(8.02) }, minutes(9)));
    expect(posted.alerts.map((a) => a.cardPostedAt)).toEqual([undefined, iso(8.02)]);
  });

  it('card-posted for an unknown incident, or one whose card time is known, is refused', () => {
    const drill = run(started(), [
      [{ type: 'record-alert', alert: alert() }, 7],
      [{ type: 'card-posted', incidentId: 'inc-1', at: iso(7) }, 7],
    ]);
    expect(refused(decideDrill(drill, { type: 'card-posted', incidentId: 'inc-404', at: iso(8) }, minutes(8)))).toMatchObject({
      code: 'unknown-item',
      message: expect.stringContaining('inc-404'),
    });
    expect(refused(decideDrill(drill, { type: 'card-posted', incidentId: 'inc-1', at: iso(8) }, minutes(8)))).toMatchObject({ code: 'unknown-item' });
    const ended = run(drill, [[{ type: 'end', actor: ADA }, 9]]);
    expect(refused(decideDrill(ended, { type: 'card-posted', incidentId: 'inc-1', at: iso(10) }, minutes(10)))).toMatchObject({ code: 'drill-ended' });
  });
});

describe('decideDrill: end', () => {
  it('passes with at least one alert and every item ticked or waived', () => {
    const drill = run(started(), [
      [{ type: 'record-alert', alert: alert() }, 7],
      ...tickAll(ADA).slice(1),
      [{ type: 'waive', item: 'staff-informed', actor: BOB, reason: 'the SOC is us' }, 11],
      [{ type: 'end', actor: BOB }, 20],
    ]);
    expect(endedDrill(drill)).toMatchObject({ status: 'passed', failures: [], endedBy: BOB, endedAt: iso(20), version: 9 });
  });

  it('fails when no alert arrived: the alert path is broken', () => {
    const drill = endedDrill(run(started(), [...tickAll(ADA), [{ type: 'end', actor: BOB }, 65]]));
    expect(drill.status).toBe('failed');
    expect(drill.failures).toEqual([`No alert reached Glasswatch for ${ACCOUNT} between 14:00 and 15:00 UTC on 2026-11-22: the alert path is broken.`]);
  });

  it('a drill ended early names the window it actually watched', () => {
    const drill = endedDrill(run(started(), [...tickAll(ADA), [{ type: 'end', actor: BOB }, 25]]));
    expect(drill.failures[0]).toContain('between 14:00 and 14:25 UTC');
  });

  it('names both dates when the window spans midnight', () => {
    const late = startDrill({ id: 'd', account: ACCOUNT, actor: ADA, now: new Date('2026-11-22T23:30:00Z'), windowMinutes: 60 });
    const drill = endedDrill(accepted(decideDrill(late, { type: 'end', actor: ADA }, new Date('2026-11-23T01:00:00Z'))));
    expect(drill.failures[0]).toContain('between 2026-11-22 23:30 and 2026-11-23 00:30 UTC');
  });

  it('fails when the checklist is incomplete, naming the open items', () => {
    const drill = endedDrill(
      run(started(), [[{ type: 'record-alert', alert: alert() }, 7], ...tickAll(ADA).slice(2), [{ type: 'end', actor: ADA }, 30]]),
    );
    expect(drill.failures).toEqual([
      'Checklist not complete: 2 items open (Monitoring staff informed; Break-glass process documented and current).',
    ]);
  });

  it('lists both failures, alert first', () => {
    const drill = endedDrill(run(started(), [...tickAll(ADA).slice(1), [{ type: 'end', actor: ADA }, 30]]));
    expect(drill.failures).toHaveLength(2);
    expect(drill.failures[0]).toMatch(/^No alert reached Glasswatch/);
    expect(drill.failures[1]).toBe('Checklist not complete: 1 item open (Monitoring staff informed).');
  });

  it('end is refused once ended', () => {
    const drill = run(started(), [[{ type: 'end', actor: ADA }, 30]]);
    expect(refused(decideDrill(drill, { type: 'end', actor: BOB }, minutes(31)))).toMatchObject({ code: 'drill-ended', message: expect.stringContaining('Ada Lovelace') });
  });
});

describe('decideDrill: confirm-rotation', () => {
  it('is refused while the drill runs', () => {
    expect(refused(decideDrill(started(), { type: 'confirm-rotation', actor: ADA }, minutes(5)))).toMatchObject({ code: 'not-ended' });
  });

  it('is accepted once after the drill ended, passed or failed', () => {
    const drill = run(started(), [[{ type: 'end', actor: ADA }, 30]]);
    const confirmed = endedDrill(accepted(decideDrill(frozen(drill), { type: 'confirm-rotation', actor: BOB }, minutes(45))));
    expect(confirmed.passwordRotation).toEqual({ confirmedBy: BOB, confirmedAt: iso(45) });
    expect(confirmed.version).toBe(drill.version + 1);
    expect(refused(decideDrill(confirmed, { type: 'confirm-rotation', actor: ADA }, minutes(50)))).toEqual({
      code: 'already-confirmed',
      message: 'Password rotation already confirmed by Bob Hopper at 14:45 UTC.',
    });
  });
});

describe('isInWindow', () => {
  it('is true for the drill account from start to window end, any case', () => {
    const drill = started();
    expect(isInWindow(drill, ACCOUNT, minutes(0))).toBe(true);
    expect(isInWindow(drill, 'BG1@contoso.onmicrosoft.com', minutes(30))).toBe(true);
    expect(isInWindow(drill, ACCOUNT, minutes(60))).toBe(true);
  });

  it('is false for another account, before the start, after the window, and once ended', () => {
    const drill = started();
    expect(isInWindow(drill, 'bg2@contoso.onmicrosoft.com', minutes(30))).toBe(false);
    expect(isInWindow(drill, ACCOUNT, minutes(-1))).toBe(false);
    expect(isInWindow(drill, ACCOUNT, minutes(60.01))).toBe(false);
    expect(isInWindow(run(drill, [[{ type: 'end', actor: ADA }, 10]]), ACCOUNT, minutes(20))).toBe(false);
  });
});

describe('drillLatency', () => {
  it('measures each hop', () => {
    expect(drillLatency(alert({ signInAt: iso(2), firedAt: iso(6), receivedAt: '2026-11-22T14:06:03.000Z', cardPostedAt: '2026-11-22T14:06:04.500Z' }))).toEqual({
      signInToFiredMs: 4 * 60_000,
      firedToReceivedMs: 3_000,
      receivedToCardMs: 1_500,
    });
  });

  it('leaves out the hops whose times are unknown', () => {
    const latency = drillLatency(alert({ signInAt: undefined, cardPostedAt: undefined }));
    expect(latency).toEqual({ firedToReceivedMs: 3_000 });
    expect(Object.keys(drillLatency(alert({ signInAt: 'unknown' })))).toEqual(['firedToReceivedMs']);
  });
});

describe('decideDrill: properties', () => {
  const actorArb = fc.constantFrom(ADA, BOB);
  const itemArb = fc.constantFrom(...CHECKLIST_ITEM_IDS);
  const commandArb: fc.Arbitrary<DrillCommand> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ type: fc.constant('tick' as const), item: itemArb, actor: actorArb }) },
    { weight: 2, arbitrary: fc.record({ type: fc.constant('waive' as const), item: itemArb, actor: actorArb, reason: fc.constantFrom('', '  ', 'on leave', 'CBA instead') }) },
    {
      weight: 2,
      arbitrary: fc.record({
        type: fc.constant('record-alert' as const),
        alert: fc.record({
          incidentId: fc.constantFrom('inc-1', 'inc-2'),
          alertId: fc.constantFrom('a-1', 'a-2', 'a-3'),
          firedAt: fc.constant(iso(5)),
          receivedAt: fc.integer({ min: 0, max: 90 }).map(iso),
        }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('card-posted' as const), incidentId: fc.constantFrom('inc-1', 'inc-2', 'inc-3'), at: fc.constant(iso(7)) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('end' as const), actor: actorArb }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant('confirm-rotation' as const), actor: actorArb }) },
  );
  const stepsArb = fc.array(fc.tuple(commandArb, fc.integer({ min: 0, max: 5 })), { maxLength: 40 });

  it('an accepted command adds exactly 1 to the version, a refused one changes nothing, inputs are never mutated', () => {
    fc.assert(
      fc.property(stepsArb, (steps) => {
        let drill: Drill = frozen(started());
        let clock = 0;
        for (const [command, advance] of steps) {
          clock += advance;
          const before = structuredClone(drill);
          const decision = decideDrill(drill, command, minutes(clock));
          expect(drill).toEqual(before);
          if (decision.ok) {
            expect(decision.drill.version).toBe(drill.version + 1);
            drill = frozen(decision.drill);
          }
        }
      }),
    );
  });

  it('an ended drill never changes except one rotation confirmation', () => {
    fc.assert(
      fc.property(stepsArb, stepsArb, (beforeEnd, afterEnd) => {
        let drill: Drill = started();
        let clock = 0;
        for (const [command, advance] of beforeEnd) {
          clock += advance;
          const decision = decideDrill(drill, command, minutes(clock));
          if (decision.ok) drill = decision.drill;
        }
        if (drill.status === 'running') drill = accepted(decideDrill(drill, { type: 'end', actor: ADA }, minutes(clock)));
        const endedAt = endedDrill(drill);
        let confirmations = endedAt.passwordRotation === undefined ? 0 : 1;
        for (const [command, advance] of afterEnd) {
          clock += advance;
          const decision = decideDrill(drill, command, minutes(clock));
          if (!decision.ok) continue;
          expect(command.type).toBe('confirm-rotation');
          confirmations += 1;
          const { passwordRotation, version, ...rest } = endedDrill(decision.drill);
          const { passwordRotation: _was, version: _v, ...restBefore } = endedAt;
          expect(rest).toEqual(restBefore);
          expect(passwordRotation).toBeDefined();
          expect(version).toBe(drill.version + 1);
          drill = decision.drill;
        }
        expect(confirmations).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('passed ⇔ at least one alert and a complete checklist; failed always says why', () => {
    fc.assert(
      // Most items ticked up front, so complete checklists with and without alerts both come up.
      fc.property(fc.subarray([...CHECKLIST_ITEM_IDS]), stepsArb, (preTicked, steps) => {
        let drill: Drill = started();
        let clock = 0;
        const ticks = preTicked.map((item): [DrillCommand, number] => [{ type: 'tick', item, actor: ADA }, 0]);
        for (const [command, advance] of [...ticks, ...steps, [{ type: 'end', actor: BOB }, 0] as [DrillCommand, number]]) {
          clock += advance;
          const decision = decideDrill(drill, command, minutes(clock));
          if (decision.ok) drill = decision.drill;
        }
        const ended = endedDrill(drill);
        const shouldPass = ended.alerts.length >= 1 && checklistComplete(ended.checklist);
        expect(ended.status).toBe(shouldPass ? 'passed' : 'failed');
        expect(ended.failures.length === 0).toBe(shouldPass);
        if (ended.status === 'passed') {
          expect(ended.alerts.length).toBeGreaterThanOrEqual(1);
          expect(openItems(ended.checklist)).toEqual([]);
        }
        for (const a of ended.alerts) expect(Date.parse(a.receivedAt)).toBeLessThanOrEqual(Date.parse(ended.windowEndsAt));
      }),
    );
  });
});
