import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { DrillSchedule } from '../../../bot/drills/drill.js';
import {
  addDays,
  afterDrillCompleted,
  applyScheduleArgs,
  defaultSchedule,
  dueInstant,
  localDate,
  markReminderSent,
  nextDueDate,
  parseDate,
  parseScheduleArgs,
  reminderDue,
  validateTimeZone,
  type ReminderKind,
} from '../../../bot/drills/schedule.js';

const schedule = (overrides: Partial<DrillSchedule> = {}): DrillSchedule => ({
  account: 'bg1@contoso.onmicrosoft.com',
  everyDays: 90,
  nextDue: '2026-03-20',
  timeZone: 'UTC',
  remindersSent: [],
  ...overrides,
});

const at = (iso: string): Date => new Date(iso);

describe('nextDueDate', () => {
  it('counts calendar days across a short month', () => {
    expect(nextDueDate('2026-01-31', 30)).toBe('2026-03-02');
    expect(nextDueDate('2026-01-31', 1)).toBe('2026-02-01');
    expect(nextDueDate('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('knows leap years', () => {
    expect(nextDueDate('2028-02-28', 1)).toBe('2028-02-29');
    expect(nextDueDate('2028-02-29', 1)).toBe('2028-03-01');
    expect(nextDueDate('2028-02-29', 365)).toBe('2029-02-28');
    expect(nextDueDate('2027-12-01', 90)).toBe('2028-02-29');
  });

  it('crosses a year end', () => {
    expect(nextDueDate('2026-11-15', 90)).toBe('2027-02-13');
    expect(nextDueDate('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('is unaffected by daylight saving (dates, not 24-hour steps)', () => {
    expect(nextDueDate('2026-03-01', 90)).toBe('2026-05-30');
    expect(nextDueDate('2026-10-01', 31)).toBe('2026-11-01');
  });

  it('refuses a date that does not exist and a fractional cadence', () => {
    expect(() => nextDueDate('2026-02-30', 1)).toThrow(/not a date/);
    expect(() => nextDueDate('26-1-1', 1)).toThrow(/YYYY-MM-DD/);
    expect(() => nextDueDate('2026-01-01', 1.5)).toThrow(RangeError);
  });

  it('agrees with day arithmetic on the UTC epoch for any date and cadence', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: 1, max: 365 }), (date, days) => {
        const from = date.toISOString().slice(0, 10);
        const expected = new Date(Date.parse(`${from}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        expect(nextDueDate(from, days)).toBe(expected);
        expect(addDays(nextDueDate(from, days), -days)).toBe(from);
      }),
    );
  });
});

describe('dueInstant and localDate', () => {
  it('is 09:00 UTC in UTC', () => {
    expect(dueInstant('2026-06-01', 'UTC').toISOString()).toBe('2026-06-01T09:00:00.000Z');
  });

  it('Europe/Lisbon: 09:00 local on both sides of the spring and autumn changes', () => {
    // Clocks go forward on 2026-03-29 (WET +0 → WEST +1) and back on 2026-10-25.
    expect(dueInstant('2026-03-28', 'Europe/Lisbon').toISOString()).toBe('2026-03-28T09:00:00.000Z');
    expect(dueInstant('2026-03-29', 'Europe/Lisbon').toISOString()).toBe('2026-03-29T08:00:00.000Z');
    expect(dueInstant('2026-10-24', 'Europe/Lisbon').toISOString()).toBe('2026-10-24T08:00:00.000Z');
    expect(dueInstant('2026-10-25', 'Europe/Lisbon').toISOString()).toBe('2026-10-25T09:00:00.000Z');
  });

  it('America/New_York: 09:00 local on both sides of the spring and autumn changes', () => {
    // Clocks go forward on 2026-03-08 (EST −5 → EDT −4) and back on 2026-11-01.
    expect(dueInstant('2026-03-07', 'America/New_York').toISOString()).toBe('2026-03-07T14:00:00.000Z');
    expect(dueInstant('2026-03-08', 'America/New_York').toISOString()).toBe('2026-03-08T13:00:00.000Z');
    expect(dueInstant('2026-10-31', 'America/New_York').toISOString()).toBe('2026-10-31T13:00:00.000Z');
    expect(dueInstant('2026-11-01', 'America/New_York').toISOString()).toBe('2026-11-01T14:00:00.000Z');
  });

  it('a time in the spring-forward gap becomes the next valid time: the instant the clocks jump', () => {
    // 02:30 does not exist in New York on 2026-03-08: 02:00 EST is followed by 03:00 EDT (07:00 UTC).
    expect(dueInstant('2026-03-08', 'America/New_York', '02:30').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(dueInstant('2026-03-08', 'America/New_York', '02:00').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(dueInstant('2026-03-08', 'America/New_York', '03:00').toISOString()).toBe('2026-03-08T07:00:00.000Z');
    expect(dueInstant('2026-03-08', 'America/New_York', '01:59').toISOString()).toBe('2026-03-08T06:59:00.000Z');
    // Lisbon jumps from 01:00 to 02:00 at 01:00 UTC.
    expect(dueInstant('2026-03-29', 'Europe/Lisbon', '01:30').toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // Samoa skipped 2011-12-30 entirely: the next valid time is midnight on the 31st (+14).
    expect(dueInstant('2011-12-30', 'Pacific/Apia').toISOString()).toBe('2011-12-30T10:00:00.000Z');
  });

  it('a time that happens twice in the autumn is the first of the two', () => {
    expect(dueInstant('2026-11-01', 'America/New_York', '01:30').toISOString()).toBe('2026-11-01T05:30:00.000Z');
    expect(dueInstant('2026-10-25', 'Europe/Lisbon', '01:30').toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });

  it('Pacific/Auckland: 09:00 local falls on the previous UTC day, summer and winter', () => {
    expect(dueInstant('2026-01-15', 'Pacific/Auckland').toISOString()).toBe('2026-01-14T20:00:00.000Z');
    expect(dueInstant('2026-07-01', 'Pacific/Auckland').toISOString()).toBe('2026-06-30T21:00:00.000Z');
    // NZ springs forward 02:00 → 03:00 on 2026-09-27 (14:00 UTC the day before).
    expect(dueInstant('2026-09-27', 'Pacific/Auckland', '02:30').toISOString()).toBe('2026-09-26T14:00:00.000Z');
    expect(localDate(at('2026-01-14T20:00:00Z'), 'Pacific/Auckland')).toBe('2026-01-15');
    expect(localDate(at('2026-01-14T10:59:59Z'), 'Pacific/Auckland')).toBe('2026-01-14');
    expect(localDate(at('2026-01-14T11:00:00Z'), 'Pacific/Auckland')).toBe('2026-01-15');
  });

  it('handles offsets that are not whole hours', () => {
    expect(dueInstant('2026-06-01', 'Asia/Kolkata').toISOString()).toBe('2026-06-01T03:30:00.000Z');
    expect(dueInstant('2026-06-01', 'Asia/Kathmandu').toISOString()).toBe('2026-06-01T03:15:00.000Z');
  });

  it('maps back to the same local date and 09:00 wherever the time exists', () => {
    const zones = ['UTC', 'Europe/Lisbon', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata', 'America/St_Johns', 'Australia/Lord_Howe'];
    fc.assert(
      fc.property(fc.constantFrom(...zones), fc.integer({ min: 0, max: 3650 }), (zone, offset) => {
        const date = addDays('2024-01-01', offset);
        const instant = dueInstant(date, zone);
        expect(localDate(instant, zone)).toBe(date);
        const hour = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(instant);
        expect(hour).toBe('09:00');
      }),
    );
  });

  it('refuses an unknown zone, a bad date and a bad local time with a clear message', () => {
    expect(() => dueInstant('2026-06-01', 'Mars/Olympus_Mons')).toThrow(/not a time zone.*IANA/);
    expect(() => localDate(at('2026-06-01T00:00:00Z'), 'Nowhere/Land')).toThrow(RangeError);
    expect(() => dueInstant('2026-13-01', 'UTC')).toThrow(/not a date/);
    expect(() => dueInstant('2026-06-01', 'UTC', '25:00')).toThrow(/HH:MM/);
    expect(() => dueInstant('2026-06-01', 'UTC', '9am')).toThrow(/HH:MM/);
  });
});

describe('validateTimeZone', () => {
  it('accepts IANA names and answers the canonical spelling', () => {
    expect(validateTimeZone('Europe/Lisbon')).toEqual({ ok: true, timeZone: 'Europe/Lisbon' });
    expect(validateTimeZone(' europe/lisbon ')).toEqual({ ok: true, timeZone: 'Europe/Lisbon' });
    expect(validateTimeZone('UTC')).toEqual({ ok: true, timeZone: 'UTC' });
  });

  it('refuses an unknown or empty zone, naming it and an example', () => {
    const bad = validateTimeZone('Europe/Atlantis');
    expect(bad).toEqual({ ok: false, message: expect.stringContaining('"Europe/Atlantis" is not a time zone') });
    expect(bad).toEqual({ ok: false, message: expect.stringContaining('Europe/Lisbon') });
    expect(validateTimeZone('  ')).toMatchObject({ ok: false, message: expect.stringContaining('empty') });
  });
});

describe('parseScheduleArgs', () => {
  const today = '2026-03-10';

  it('accepts a date today or later', () => {
    expect(parseScheduleArgs(['2026-04-01'], today)).toEqual({ ok: true, kind: 'date', date: '2026-04-01' });
    expect(parseScheduleArgs(['2026-03-10'], today)).toEqual({ ok: true, kind: 'date', date: '2026-03-10' });
  });

  it('refuses a past date, naming the format', () => {
    const past = parseScheduleArgs(['2026-03-09'], today);
    expect(past).toMatchObject({ ok: false, message: expect.stringContaining('in the past') });
    expect(past).toMatchObject({ ok: false, message: expect.stringContaining('drill schedule <YYYY-MM-DD | every N days>') });
  });

  it('refuses what is not a date', () => {
    for (const args of [['2026-02-30'], ['tomorrow'], ['01/04/2026'], ['2026-04-01', 'please']]) {
      expect(parseScheduleArgs(args, today)).toMatchObject({ ok: false, message: expect.stringContaining('YYYY-MM-DD') });
    }
    expect(parseScheduleArgs([], today)).toMatchObject({ ok: false, message: expect.stringContaining('Which date') });
  });

  it('accepts "every N days" for N from 1 to 365, in any case', () => {
    expect(parseScheduleArgs(['every', '90', 'days'], today)).toEqual({ ok: true, kind: 'every', days: 90 });
    expect(parseScheduleArgs(['Every', '1', 'DAY'], today)).toEqual({ ok: true, kind: 'every', days: 1 });
    expect(parseScheduleArgs(['every', '365', 'days'], today)).toEqual({ ok: true, kind: 'every', days: 365 });
    expect(parseScheduleArgs(['every', '30'], today)).toEqual({ ok: true, kind: 'every', days: 30 });
  });

  it('refuses a cadence out of range or not a whole number', () => {
    for (const n of ['0', '366', '1000', '-5', '1.5', 'ninety', '']) {
      expect(parseScheduleArgs(['every', n, 'days'], today)).toMatchObject({ ok: false, message: expect.stringContaining('1 to 365') });
    }
    expect(parseScheduleArgs(['every', '90', 'weeks'], today)).toMatchObject({ ok: false, message: expect.stringContaining('not a cadence') });
    expect(parseScheduleArgs(['every', '90', 'days', 'now'], today)).toMatchObject({ ok: false });
  });
});

describe('reminderDue', () => {
  const lisbon = schedule({ nextDue: '2026-03-30', timeZone: 'Europe/Lisbon' });

  it('nothing before the upcoming window', () => {
    expect(reminderDue(lisbon, at('2026-03-23T07:59:59Z'))).toBeUndefined();
  });

  it('upcoming from 7 days before, due on the day, overdue the day after, at 09:00 local', () => {
    // 2026-03-23 is before the change (09:00 = 09:00Z), 2026-03-30 after it (09:00 = 08:00Z).
    expect(reminderDue(lisbon, at('2026-03-23T08:59:59Z'))).toBeUndefined();
    expect(reminderDue(lisbon, at('2026-03-23T09:00:00Z'))).toBe('upcoming');
    expect(reminderDue(lisbon, at('2026-03-30T07:59:59Z'))).toBe('upcoming');
    expect(reminderDue(lisbon, at('2026-03-30T08:00:00Z'))).toBe('due');
    expect(reminderDue(lisbon, at('2026-03-31T07:59:59Z'))).toBe('due');
    expect(reminderDue(lisbon, at('2026-03-31T08:00:00Z'))).toBe('overdue');
    expect(reminderDue(lisbon, at('2026-06-01T00:00:00Z'))).toBe('overdue');
  });

  it('honours a different lead time, and none at all', () => {
    expect(reminderDue(lisbon, at('2026-03-27T09:00:00Z'), 3)).toBe('upcoming');
    expect(reminderDue(lisbon, at('2026-03-27T08:59:00Z'), 3)).toBeUndefined();
    expect(reminderDue(lisbon, at('2026-03-29T12:00:00Z'), 0)).toBeUndefined();
  });

  it('fires each reminder once, in order, as a clock walks past the due date', () => {
    let current = lisbon;
    const fired: { kind: ReminderKind; at: string }[] = [];
    for (let t = Date.parse('2026-03-20T00:00:00Z'); t <= Date.parse('2026-04-10T00:00:00Z'); t += 15 * 60_000) {
      const kind = reminderDue(current, new Date(t));
      if (kind !== undefined) {
        fired.push({ kind, at: new Date(t).toISOString() });
        current = markReminderSent(current, kind);
      }
    }
    expect(fired).toEqual([
      { kind: 'upcoming', at: '2026-03-23T09:00:00.000Z' },
      { kind: 'due', at: '2026-03-30T08:00:00.000Z' },
      { kind: 'overdue', at: '2026-03-31T08:00:00.000Z' },
    ]);
    expect(current.remindersSent).toEqual(['upcoming', 'due', 'overdue']);
  });

  it('a bot that was down sends only the current reminder, never an earlier one after a later', () => {
    expect(reminderDue(lisbon, at('2026-04-02T12:00:00Z'))).toBe('overdue');
    const afterOverdue = markReminderSent(lisbon, 'overdue');
    expect(reminderDue(afterOverdue, at('2026-04-03T12:00:00Z'))).toBeUndefined();
    const afterDue = markReminderSent(lisbon, 'due');
    expect(reminderDue(afterDue, at('2026-03-30T12:00:00Z'))).toBeUndefined();
    expect(reminderDue(afterDue, at('2026-03-31T12:00:00Z'))).toBe('overdue');
  });

  it('Pacific/Auckland: due at 09:00 local, which is the evening before in UTC', () => {
    const auckland = schedule({ nextDue: '2026-01-15', timeZone: 'Pacific/Auckland' });
    expect(reminderDue(auckland, at('2026-01-14T19:59:59Z'), 0)).toBeUndefined();
    expect(reminderDue(auckland, at('2026-01-14T20:00:00Z'), 0)).toBe('due');
    expect(reminderDue(auckland, at('2026-01-15T20:00:00Z'), 0)).toBe('overdue');
  });

  it('marking does not mutate and keeps the order', () => {
    const frozen = Object.freeze(schedule({ remindersSent: Object.freeze(['overdue']) as ReminderKind[] }));
    expect(markReminderSent(frozen, 'upcoming').remindersSent).toEqual(['upcoming', 'overdue']);
    expect(markReminderSent(frozen, 'overdue')).toBe(frozen);
  });
});

describe('afterDrillCompleted', () => {
  it('moves the next due date to the completion local date plus the cadence, and clears reminders', () => {
    const s = schedule({ nextDue: '2026-03-20', remindersSent: ['upcoming', 'due'] });
    expect(afterDrillCompleted(s, at('2026-03-18T15:00:00Z'))).toEqual({ ...s, nextDue: '2026-06-16', remindersSent: [] });
  });

  it('counts from the local date in the schedule zone, not the UTC date', () => {
    const auckland = schedule({ timeZone: 'Pacific/Auckland', everyDays: 30 });
    // 2026-01-31 20:00 UTC is already 2026-02-01 in Auckland.
    expect(afterDrillCompleted(auckland, at('2026-01-31T20:00:00Z')).nextDue).toBe('2026-03-03');
    expect(afterDrillCompleted(schedule({ everyDays: 30 }), at('2026-01-31T20:00:00Z')).nextDue).toBe('2026-03-02');
  });

  it('after completion no reminder is pending until the new window', () => {
    const done = afterDrillCompleted(schedule({ nextDue: '2026-03-20', remindersSent: ['upcoming', 'due', 'overdue'] }), at('2026-04-01T10:00:00Z'));
    expect(done.nextDue).toBe('2026-06-30');
    expect(reminderDue(done, at('2026-04-02T10:00:00Z'))).toBeUndefined();
    expect(reminderDue(done, at('2026-06-23T09:00:00Z'))).toBe('upcoming');
  });
});

describe('applyScheduleArgs and defaultSchedule', () => {
  it('a date replaces the next due date and resets reminders', () => {
    const s = schedule({ remindersSent: ['upcoming'] });
    expect(applyScheduleArgs(s, { ok: true, kind: 'date', date: '2026-05-01' })).toEqual({ ...s, nextDue: '2026-05-01', remindersSent: [] });
  });

  it('a cadence counts from the last completed drill, or keeps the due date when there is none', () => {
    const s = schedule({ remindersSent: ['upcoming'] });
    expect(applyScheduleArgs(s, { ok: true, kind: 'every', days: 30 }, '2026-03-01')).toEqual({ ...s, everyDays: 30, nextDue: '2026-03-31', remindersSent: [] });
    expect(applyScheduleArgs(s, { ok: true, kind: 'every', days: 30 })).toEqual({ ...s, everyDays: 30 });
  });

  it('a new account is due today, in a validated zone', () => {
    expect(defaultSchedule(' BG1@Contoso.onmicrosoft.com ', 90, 'europe/lisbon', '2026-03-10')).toEqual({
      account: 'bg1@contoso.onmicrosoft.com',
      everyDays: 90,
      nextDue: '2026-03-10',
      timeZone: 'Europe/Lisbon',
      remindersSent: [],
    });
  });

  it('refuses an invalid zone or cadence', () => {
    expect(() => defaultSchedule('bg1', 90, 'Mars/Base', '2026-03-10')).toThrow(/not a time zone/);
    expect(() => defaultSchedule('bg1', 0, 'UTC', '2026-03-10')).toThrow(/1 to 365/);
    expect(() => defaultSchedule('bg1', 400, 'UTC', '2026-03-10')).toThrow(/1 to 365/);
  });

  it('parseDate accepts only real dates', () => {
    expect(parseDate('2028-02-29')).toEqual({ year: 2028, month: 2, day: 29 });
    expect(parseDate('2027-02-29')).toBeUndefined();
    expect(parseDate('2026-00-10')).toBeUndefined();
  });
});
