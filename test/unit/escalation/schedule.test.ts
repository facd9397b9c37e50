import { describe, expect, it } from 'vitest';
import { DEFAULT_ESCALATION_POLICY as POLICY, type EscalationPolicy } from '../../../bot/escalation/escalation-policy.js';
import { nextTimerAt, startLadder } from '../../../bot/escalation/schedule.js';
import type { EscalationState } from '../../../bot/incidents/incident.js';

const SINCE = '2025-03-01T12:00:00.000Z';
const MINUTE = 60_000;

function after(minutes: number): string {
  return new Date(Date.parse(SINCE) + minutes * MINUTE).toISOString();
}

function state(overrides: Partial<EscalationState> = {}): EscalationState {
  return { level: 0, repeats: 0, reminders: 0, since: SINCE, ...overrides };
}

const THREE_LEVELS: EscalationPolicy = {
  levels: [
    { afterMs: 2 * MINUTE, notify: [{ kind: 'mention', responderIds: [] }] },
    { afterMs: 7 * MINUTE, notify: [{ kind: 'channel', channelId: '19:soc@thread.tacv2' }] },
    { afterMs: 20 * MINUTE, notify: [{ kind: 'webhook', name: 'pd', url: 'https://events.pagerduty.com/v2/enqueue', format: 'pagerduty', routingKey: 'k' }] },
  ],
  repeat: 1,
  repeatEveryMs: 30 * MINUTE,
  reminderAfterMs: 45 * MINUTE,
};

describe('nextTimerAt while triggered', () => {
  it('waits for level 1 from the start of the ladder', () => {
    expect(nextTimerAt('triggered', state(), POLICY)).toBe(after(5));
  });

  it('waits for each following level with that level’s own wait', () => {
    expect(nextTimerAt('triggered', state({ level: 1 }), POLICY)).toBe(after(10));
    expect(nextTimerAt('triggered', state({ level: 1 }), THREE_LEVELS)).toBe(after(7));
    expect(nextTimerAt('triggered', state({ level: 2 }), THREE_LEVELS)).toBe(after(20));
  });

  it('repeats the last level every repeatEveryMs while repeats remain', () => {
    expect(nextTimerAt('triggered', state({ level: 2 }), POLICY)).toBe(after(15));
    expect(nextTimerAt('triggered', state({ level: 2, repeats: 1 }), POLICY)).toBe(after(15));
    expect(nextTimerAt('triggered', state({ level: 3 }), THREE_LEVELS)).toBe(after(30));
  });

  it('schedules nothing once the repeats are exhausted (or exceeded by manual escalations)', () => {
    expect(nextTimerAt('triggered', state({ level: 2, repeats: 2 }), POLICY)).toBeUndefined();
    expect(nextTimerAt('triggered', state({ level: 2, repeats: 5 }), POLICY)).toBeUndefined();
    expect(nextTimerAt('triggered', state({ level: 3, repeats: 1 }), THREE_LEVELS)).toBeUndefined();
  });

  it('schedules no repeat at all when repeat is 0', () => {
    expect(nextTimerAt('triggered', state({ level: 2 }), { ...POLICY, repeat: 0 })).toBeUndefined();
  });

  it('schedules nothing when the policy has no levels, whatever the repeat settings', () => {
    expect(nextTimerAt('triggered', state(), { ...POLICY, levels: [] })).toBeUndefined();
  });

  it('counts from `since`, not from any other time', () => {
    expect(nextTimerAt('triggered', state({ since: after(100) }), POLICY)).toBe(after(105));
  });
});

describe('nextTimerAt while acknowledged', () => {
  it('schedules a reminder reminderAfterMs after since, whatever the ladder', () => {
    expect(nextTimerAt('acknowledged', state(), POLICY)).toBe(after(60));
    expect(nextTimerAt('acknowledged', state({ level: 2, repeats: 2, reminders: 4 }), POLICY)).toBe(after(60));
    expect(nextTimerAt('acknowledged', state(), THREE_LEVELS)).toBe(after(45));
  });

  it('schedules no reminder when reminderAfterMs is 0', () => {
    expect(nextTimerAt('acknowledged', state(), { ...POLICY, reminderAfterMs: 0 })).toBeUndefined();
  });

  it('still reminds when the policy has no levels', () => {
    expect(nextTimerAt('acknowledged', state(), { ...POLICY, levels: [] })).toBe(after(60));
  });
});

describe('nextTimerAt while resolved', () => {
  it('never schedules anything', () => {
    expect(nextTimerAt('resolved', state(), POLICY)).toBeUndefined();
    expect(nextTimerAt('resolved', state({ level: 0 }), THREE_LEVELS)).toBeUndefined();
  });
});

describe('startLadder', () => {
  it('starts a fresh triggered ladder at level 0 with level 1 scheduled', () => {
    expect(startLadder('triggered', SINCE, POLICY)).toEqual({ level: 0, repeats: 0, reminders: 0, since: SINCE, nextAt: after(5) });
  });

  it('keeps the counters of the state it starts from, counting from the new since', () => {
    const from = state({ level: 1, repeats: 0, reminders: 3, since: after(-500), nextAt: after(-400) });
    expect(startLadder('triggered', after(50), POLICY, from)).toEqual({ level: 1, repeats: 0, reminders: 3, since: after(50), nextAt: after(60) });
  });

  it('schedules a reminder for an acknowledged ladder and nothing for a resolved one', () => {
    expect(startLadder('acknowledged', SINCE, POLICY).nextAt).toBe(after(60));
    expect(startLadder('resolved', SINCE, POLICY).nextAt).toBeUndefined();
  });

  it('schedules nothing with no levels', () => {
    expect(startLadder('triggered', SINCE, { ...POLICY, levels: [] }).nextAt).toBeUndefined();
  });

  it('agrees with nextTimerAt for the state it returns', () => {
    for (const status of ['triggered', 'acknowledged', 'resolved'] as const) {
      const ladder = startLadder(status, SINCE, THREE_LEVELS, state({ level: 3 }));
      expect(ladder.nextAt).toBe(nextTimerAt(status, ladder, THREE_LEVELS));
    }
  });
});
