import type { DrillSchedule } from './drill.js';

/**
 * Calendar arithmetic for drill schedules, in the schedule's IANA time zone, with no dependency:
 * `Intl.DateTimeFormat` tells what the wall clock reads in a zone at an instant, and everything
 * else follows from that. Pure: the clock is always an argument.
 */

/** Microsoft's guidance: validate emergency access accounts at least every 90 days. */
export const DEFAULT_DRILL_EVERY_DAYS = 90;
export const MAX_DRILL_EVERY_DAYS = 365;
/** When the reminders go out, local time in the schedule's zone. */
export const REMINDER_LOCAL_TIME = '09:00';
export const DEFAULT_REMIND_BEFORE_DAYS = 7;

export type ReminderKind = DrillSchedule['remindersSent'][number];
export const REMINDER_KINDS: readonly ReminderKind[] = ['upcoming', 'due', 'overdue'];

export type ScheduleArgs =
  | { ok: true; kind: 'date'; date: string }
  | { ok: true; kind: 'every'; days: number }
  | { ok: false; message: string };

export const SCHEDULE_USAGE = 'drill schedule <YYYY-MM-DD | every N days>';

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_TIME = /^(\d{2}):(\d{2})$/;

interface CalendarDate {
  year: number;
  month: number;
  day: number;
}

/** The time zone's canonical name, or a message naming what to write instead. */
export function validateTimeZone(timeZone: string): { ok: true; timeZone: string } | { ok: false; message: string } {
  const name = timeZone.trim();
  if (name === '') return { ok: false, message: 'The drill time zone is empty: write an IANA name such as "Europe/Lisbon" or "UTC".' };
  try {
    return { ok: true, timeZone: new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone };
  } catch (error) {
    // Intl throws RangeError for a name it does not know; anything else is not ours to hide.
    if (!(error instanceof RangeError)) throw error;
    return {
      ok: false,
      message: `"${name.slice(0, 60)}" is not a time zone this runtime knows: write an IANA name such as "Europe/Lisbon", "America/New_York" or "UTC".`,
    };
  }
}

/** The calendar date `everyDays` after `fromDate` (YYYY-MM-DD): month ends and leap years included. */
export function nextDueDate(fromDate: string, everyDays: number): string {
  if (!Number.isInteger(everyDays)) throw new RangeError(`A drill cadence is a whole number of days, not ${everyDays}.`);
  return addDays(fromDate, everyDays);
}

/**
 * The UTC instant at which the wall clock in `timeZone` reads `localTime` on `date`. In a
 * spring-forward gap (02:30 on a night that jumps from 02:00 to 03:00) that time does not exist,
 * and the answer is the next valid time: the instant the clocks jump. In an autumn overlap (01:30
 * happens twice) it is the first of the two.
 */
export function dueInstant(date: string, timeZone: string, localTime: string = REMINDER_LOCAL_TIME): Date {
  const day = parseDateOrThrow(date);
  const time = LOCAL_TIME.exec(localTime);
  const hour = Number(time?.[1]);
  const minute = Number(time?.[2]);
  if (time === null || hour > 23 || minute > 59) throw new RangeError(`"${localTime}" is not a local time: write HH:MM, e.g. 09:00.`);
  const zone = zoneOrThrow(timeZone);
  // The wall time as though it were UTC; the real instant is this minus the zone's offset then.
  const wall = Date.UTC(day.year, day.month - 1, day.day, hour, minute);
  const before = offsetMs(zone, wall - DAY_MS);
  const after = offsetMs(zone, wall + DAY_MS);
  // Offsets either side of the date, tried first to last so an overlap yields the earlier instant.
  for (const offset of before >= after ? [before, after] : [after, before]) {
    const candidate = wall - offset;
    if (offsetMs(zone, candidate) === offset) return new Date(candidate);
  }
  return new Date(firstInstantWithOffset(zone, wall - after, wall - before, after));
}

/** The calendar date (YYYY-MM-DD) the wall clock shows in `timeZone` at `instant`. */
export function localDate(instant: Date, timeZone: string): string {
  const parts = wallClock(zoneOrThrow(timeZone), instant.getTime());
  return formatDate({ year: parts.year, month: parts.month, day: parts.day });
}

/** `drill schedule <YYYY-MM-DD | every N days>`, with `today` the schedule zone's date. */
export function parseScheduleArgs(args: string[], today: string): ScheduleArgs {
  const words = args.map((word) => word.trim().toLowerCase()).filter((word) => word !== '');
  const usage = `Write ${SCHEDULE_USAGE}, e.g. "drill schedule ${addDays(today, 14)}" or "drill schedule every 90 days".`;
  const [first, second, third, ...rest] = words;
  if (first === undefined) return { ok: false, message: `Which date or cadence? ${usage}` };
  if (first === 'every') {
    if (rest.length > 0 || (third !== undefined && third !== 'days' && third !== 'day')) {
      return { ok: false, message: `"${clip(words.join(' '))}" is not a cadence. ${usage}` };
    }
    const days = second !== undefined && /^\d{1,4}$/.test(second) ? Number(second) : Number.NaN;
    if (!(days >= 1 && days <= MAX_DRILL_EVERY_DAYS)) {
      return { ok: false, message: `The cadence must be a whole number of days from 1 to ${MAX_DRILL_EVERY_DAYS} (Microsoft's guidance: at most 90). ${usage}` };
    }
    return { ok: true, kind: 'every', days };
  }
  if (words.length > 1) return { ok: false, message: `"${clip(words.join(' '))}" is not a date or a cadence. ${usage}` };
  const date = parseDate(first);
  if (date === undefined) return { ok: false, message: `"${clip(first)}" is not a date. ${usage}` };
  const normalized = formatDate(date);
  if (normalized < today) return { ok: false, message: `${normalized} is in the past (today is ${today}). ${usage}` };
  return { ok: true, kind: 'date', date: normalized };
}

/**
 * The reminder to send now, if any: `upcoming` from `remindBeforeDays` calendar days before the due
 * date, `due` on the due date, `overdue` from the day after, each at the reminder time in the
 * schedule's zone. Each fires once, and never after a later one (a bot that was down sends only
 * the reminder that is current).
 */
export function reminderDue(schedule: DrillSchedule, now: Date, remindBeforeDays: number = DEFAULT_REMIND_BEFORE_DAYS): ReminderKind | undefined {
  const at = (date: string): number => dueInstant(date, schedule.timeZone).getTime();
  const t = now.getTime();
  const current: ReminderKind | undefined =
    t >= at(addDays(schedule.nextDue, 1))
      ? 'overdue'
      : t >= at(schedule.nextDue)
        ? 'due'
        : remindBeforeDays > 0 && t >= at(addDays(schedule.nextDue, -remindBeforeDays))
          ? 'upcoming'
          : undefined;
  if (current === undefined) return undefined;
  const sentLaterOrSame = REMINDER_KINDS.slice(REMINDER_KINDS.indexOf(current)).some((kind) => schedule.remindersSent.includes(kind));
  return sentLaterOrSame ? undefined : current;
}

/** The schedule once `kind` went out, so it does not fire again for this due date. */
export function markReminderSent(schedule: DrillSchedule, kind: ReminderKind): DrillSchedule {
  if (schedule.remindersSent.includes(kind)) return schedule;
  return { ...schedule, remindersSent: REMINDER_KINDS.filter((k) => k === kind || schedule.remindersSent.includes(k)) };
}

/** After a completed (passed) drill: next due counts from the drill's local date; reminders start over. */
export function afterDrillCompleted(schedule: DrillSchedule, completedAt: Date): DrillSchedule {
  return { ...schedule, nextDue: nextDueDate(localDate(completedAt, schedule.timeZone), schedule.everyDays), remindersSent: [] };
}

/**
 * The schedule `drill schedule …` asked for. A date replaces the next due date; a cadence counts
 * from the last completed drill when there is one, else keeps the current due date.
 */
export function applyScheduleArgs(
  schedule: DrillSchedule,
  args: Extract<ScheduleArgs, { ok: true }>,
  lastCompletedDate?: string,
): DrillSchedule {
  const nextDue = args.kind === 'date' ? args.date : lastCompletedDate !== undefined ? nextDueDate(lastCompletedDate, args.days) : schedule.nextDue;
  const everyDays = args.kind === 'every' ? args.days : schedule.everyDays;
  return { ...schedule, everyDays, nextDue, remindersSent: nextDue === schedule.nextDue ? schedule.remindersSent : [] };
}

/**
 * A schedule for an account Glasswatch has no drill for: due today, because an account nobody
 * has validated is exactly what BG-10 fails on. Throws on a zone or cadence a config must not carry.
 */
export function defaultSchedule(account: string, everyDays: number, timeZone: string, today: string): DrillSchedule {
  const zone = validateTimeZone(timeZone);
  if (!zone.ok) throw new RangeError(zone.message);
  if (!Number.isInteger(everyDays) || everyDays < 1 || everyDays > MAX_DRILL_EVERY_DAYS) {
    throw new RangeError(`A drill cadence is a whole number of days from 1 to ${MAX_DRILL_EVERY_DAYS}, not ${everyDays}.`);
  }
  return { account: account.trim().toLowerCase(), everyDays, nextDue: formatDate(parseDateOrThrow(today)), timeZone: zone.timeZone, remindersSent: [] };
}

/** YYYY-MM-DD plus (or minus) whole days. */
export function addDays(date: string, days: number): string {
  const d = parseDateOrThrow(date);
  const moved = new Date(Date.UTC(d.year, d.month - 1, d.day) + days * DAY_MS);
  return formatDate({ year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() });
}

/** A real calendar date written YYYY-MM-DD ("2026-02-30" is not one), or undefined. */
export function parseDate(text: string): CalendarDate | undefined {
  const m = DATE.exec(text.trim());
  if (m === null) return undefined;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const probe = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC maps years 0–99 to 1900–1999; a drill is never scheduled then anyway.
  if (year < 1000 || probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  return { year, month, day };
}

function parseDateOrThrow(text: string): CalendarDate {
  const date = parseDate(text);
  if (date === undefined) throw new RangeError(`"${clip(text)}" is not a date: write YYYY-MM-DD.`);
  return date;
}

function formatDate(d: CalendarDate): string {
  return `${String(d.year).padStart(4, '0')}-${pad(d.month)}-${pad(d.day)}`;
}

const pad = (n: number): string => String(n).padStart(2, '0');

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 39)}…` : text;
}

// One formatter per zone: constructing them is the slow part of Intl.
const formatters = new Map<string, Intl.DateTimeFormat>();

function zoneOrThrow(timeZone: string): Intl.DateTimeFormat {
  const cached = formatters.get(timeZone);
  if (cached !== undefined) return cached;
  const zone = validateTimeZone(timeZone);
  if (!zone.ok) throw new RangeError(zone.message);
  const formatter = new Intl.DateTimeFormat('en-US', {
    timeZone: zone.timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  formatters.set(timeZone, formatter);
  return formatter;
}

interface WallClock extends CalendarDate {
  hour: number;
  minute: number;
  second: number;
}

function wallClock(formatter: Intl.DateTimeFormat, ms: number): WallClock {
  const values: Record<string, string> = {};
  for (const part of formatter.formatToParts(new Date(ms))) values[part.type] = part.value;
  const year = Number(values['year']);
  return {
    year: values['era'] === 'BC' ? 1 - year : year,
    month: Number(values['month']),
    day: Number(values['day']),
    hour: Number(values['hour']),
    minute: Number(values['minute']),
    second: Number(values['second']),
  };
}

/** The zone's offset from UTC at instant `ms` (local minus UTC), to the second. */
function offsetMs(formatter: Intl.DateTimeFormat, ms: number): number {
  const w = wallClock(formatter, ms);
  const asUtc = Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
  return asUtc - Math.floor(ms / 1000) * 1000;
}

/** Binary search for the transition: the first instant in (lo, hi] whose offset is `target`. */
function firstInstantWithOffset(formatter: Intl.DateTimeFormat, lo: number, hi: number, target: number): number {
  let low = lo;
  let high = hi;
  // Zones change offset on whole seconds; stop at one-second resolution.
  while (high - low > 1000) {
    const mid = Math.floor((low + high) / 2000) * 1000;
    if (offsetMs(formatter, mid) === target) high = mid;
    else low = mid;
  }
  return high;
}
