import { cleanText } from '../intake/clean-text.js';
import type { Actor } from '../incidents/incident.js';
import { CHECKLIST_ITEMS, checklistComplete, isChecklistItemId, newChecklist, openItems } from './checklist.js';
import type {
  ChecklistItem,
  ChecklistItemId,
  Drill,
  DrillAlert,
  DrillCommand,
  DrillDecision,
  DrillRefusal,
  EndedDrill,
  RunningDrill,
} from './drill.js';

/** The longest waiver reason kept; longer text is cut and ends with "…". */
export const WAIVE_REASON_MAX_LENGTH = 1_000;
/** Microsoft's drill is a sign-in and an admin task: an hour is plenty, and the default. */
export const DEFAULT_DRILL_WINDOW_MINUTES = 60;

export interface StartDrillInput {
  id: string;
  account: string;
  actor: Actor;
  now: Date;
  windowMinutes: number;
}

/** A new drill: version 1, every checklist item open, the window open for `windowMinutes` from now. */
export function startDrill(input: StartDrillInput): RunningDrill {
  if (!(Number.isFinite(input.windowMinutes) && input.windowMinutes > 0)) {
    throw new RangeError(`A drill window is a positive number of minutes, not ${input.windowMinutes}.`);
  }
  return {
    id: input.id,
    version: 1,
    status: 'running',
    account: normalizeAccount(input.account),
    startedBy: input.actor,
    startedAt: input.now.toISOString(),
    windowEndsAt: new Date(input.now.getTime() + input.windowMinutes * 60_000).toISOString(),
    checklist: newChecklist(),
    alerts: [],
  };
}

/**
 * The pure drill decider: what one command does to one drill at `now`. An accepted command yields
 * the next drill with version + 1; anything else is a refusal the person is simply told. Once a
 * drill has ended, the only change left is confirming the password rotation, once.
 */
export function decideDrill(drill: Drill, command: DrillCommand, now: Date): DrillDecision {
  switch (command.type) {
    case 'tick':
      return tick(drill, command.item, command.actor, now);
    case 'waive':
      return waive(drill, command.item, command.actor, command.reason, now);
    case 'record-alert':
      return recordAlert(drill, command.alert, now);
    case 'card-posted':
      return cardPosted(drill, command.incidentId, command.at, now);
    case 'end':
      return end(drill, command.actor, now);
    case 'confirm-rotation':
      return confirmRotation(drill, command.actor, now);
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}

/** Whether a sign-in alert for `account` at `at` belongs to this drill: running, same account, inside the window. */
export function isInWindow(drill: Drill, account: string, at: Date): boolean {
  if (drill.status !== 'running' || normalizeAccount(account) !== drill.account) return false;
  const t = at.getTime();
  return t >= Date.parse(drill.startedAt) && t <= Date.parse(drill.windowEndsAt);
}

export interface DrillLatency {
  /** Sign-in to the alert firing: Entra's log ingestion plus the alert rule's evaluation. */
  signInToFiredMs?: number;
  /** Alert fired to Glasswatch receiving it: the action group's delivery. */
  firedToReceivedMs: number;
  /** Glasswatch receiving it to the card reaching Teams. */
  receivedToCardMs?: number;
}

/** The latency of each hop the alert took; a hop whose times are unknown is left out. */
export function drillLatency(alert: DrillAlert): DrillLatency {
  const signIn = alert.signInAt === undefined ? Number.NaN : Date.parse(alert.signInAt);
  const fired = Date.parse(alert.firedAt);
  const received = Date.parse(alert.receivedAt);
  const card = alert.cardPostedAt === undefined ? Number.NaN : Date.parse(alert.cardPostedAt);
  const signInToFiredMs = fired - signIn;
  const receivedToCardMs = card - received;
  return {
    ...(Number.isFinite(signInToFiredMs) ? { signInToFiredMs } : {}),
    firedToReceivedMs: received - fired,
    ...(Number.isFinite(receivedToCardMs) ? { receivedToCardMs } : {}),
  };
}

function tick(drill: Drill, item: ChecklistItemId, actor: Actor, now: Date): DrillDecision {
  if (drill.status !== 'running') return ended(drill, now);
  if (!isChecklistItemId(item)) return unknownItem(item);
  const current = drill.checklist[item];
  if (current.state === 'ticked') return alreadyTicked(item, current, now);
  // A waived item can still be done: ticking it resolves the waiver.
  return accept({ ...drill, checklist: { ...drill.checklist, [item]: { state: 'ticked', by: actor, at: now.toISOString() } } });
}

function waive(drill: Drill, item: ChecklistItemId, actor: Actor, rawReason: string, now: Date): DrillDecision {
  if (drill.status !== 'running') return ended(drill, now);
  if (!isChecklistItemId(item)) return unknownItem(item);
  const reason = cleanText(rawReason, WAIVE_REASON_MAX_LENGTH);
  if (reason === undefined) {
    return refuse('empty-reason', `Say why "${CHECKLIST_ITEMS[item].title}" is waived: a waiver without a reason does not complete the drill.`);
  }
  const current = drill.checklist[item];
  if (current.state === 'ticked') return alreadyTicked(item, current, now);
  // Waiving again replaces the reason: the latest explanation is the one the report shows.
  return accept({ ...drill, checklist: { ...drill.checklist, [item]: { state: 'waived', by: actor, at: now.toISOString(), reason } } });
}

function recordAlert(drill: Drill, alert: DrillAlert, now: Date): DrillDecision {
  if (drill.status !== 'running') return ended(drill, now);
  const received = Date.parse(alert.receivedAt);
  if (!(received <= Date.parse(drill.windowEndsAt))) {
    return refuse(
      'drill-ended',
      `The drill window for ${drill.account} closed ${atTime(drill.windowEndsAt, now)}: an alert received ${atTime(alert.receivedAt, now)} is not part of the drill.`,
    );
  }
  // The same alert again (a re-delivery, or one that now carries its sign-in time) replaces the first record.
  const existing = drill.alerts.findIndex((a) => a.alertId === alert.alertId);
  const alerts = existing === -1 ? [...drill.alerts, alert] : drill.alerts.map((a, i) => (i === existing ? { ...alert, cardPostedAt: alert.cardPostedAt ?? a.cardPostedAt } : a));
  return accept({ ...drill, alerts });
}

function cardPosted(drill: Drill, incidentId: string, at: string, now: Date): DrillDecision {
  if (drill.status !== 'running') return ended(drill, now);
  // The first card of an incident is what the latency measures; later edits of it are not.
  if (!drill.alerts.some((a) => a.incidentId === incidentId && a.cardPostedAt === undefined)) {
    return refuse('unknown-item', `No alert of incident ${clip(incidentId)} is waiting for its card on drill ${clip(drill.id)}.`);
  }
  return accept({ ...drill, alerts: drill.alerts.map((a) => (a.incidentId === incidentId && a.cardPostedAt === undefined ? { ...a, cardPostedAt: at } : a)) });
}

function end(drill: Drill, actor: Actor, now: Date): DrillDecision {
  if (drill.status !== 'running') return ended(drill, now);
  const failures = failuresOf(drill, now);
  const endedDrill: EndedDrill = {
    ...drill,
    status: failures.length === 0 ? 'passed' : 'failed',
    endedBy: actor,
    endedAt: now.toISOString(),
    failures,
  };
  return accept(endedDrill);
}

function confirmRotation(drill: Drill, actor: Actor, now: Date): DrillDecision {
  if (drill.status === 'running') {
    return refuse('not-ended', `End the drill first (drill end): the password is rotated after the drill's sign-in, not during it.`);
  }
  if (drill.passwordRotation !== undefined) {
    return refuse(
      'already-confirmed',
      `Password rotation already confirmed by ${nameOf(drill.passwordRotation.confirmedBy)} ${atTime(drill.passwordRotation.confirmedAt, now)}.`,
    );
  }
  return accept({ ...drill, passwordRotation: { confirmedBy: actor, confirmedAt: now.toISOString() } });
}

/** Why a drill failed, one sentence each; empty when it passed. */
function failuresOf(drill: RunningDrill, now: Date): string[] {
  const failures: string[] = [];
  if (drill.alerts.length === 0) {
    // The window actually watched: a drill ended early watched less than it was given.
    const until = Math.min(now.getTime(), Date.parse(drill.windowEndsAt));
    failures.push(
      `No alert reached Glasswatch for ${drill.account} ${between(drill.startedAt, new Date(Math.max(until, Date.parse(drill.startedAt))).toISOString())}: the alert path is broken.`,
    );
  }
  if (!checklistComplete(drill.checklist)) {
    const open = openItems(drill.checklist);
    failures.push(
      `Checklist not complete: ${open.length} ${open.length === 1 ? 'item' : 'items'} open (${open.map((id) => CHECKLIST_ITEMS[id].title).join('; ')}).`,
    );
  }
  return failures;
}

function accept(drill: Drill): DrillDecision {
  return { ok: true, drill: { ...drill, version: drill.version + 1 } };
}

function refuse(code: DrillRefusal['code'], message: string): DrillDecision {
  return { ok: false, refusal: { code, message } };
}

function ended(drill: EndedDrill, now: Date): DrillDecision {
  return refuse('drill-ended', `This drill already ended (${drill.status}), by ${nameOf(drill.endedBy)} ${atTime(drill.endedAt, now)}.`);
}

function unknownItem(item: string): DrillDecision {
  return refuse('unknown-item', `"${clip(item)}" is not an item of the drill checklist.`);
}

function alreadyTicked(item: ChecklistItemId, current: Extract<ChecklistItem, { state: 'ticked' }>, now: Date): DrillDecision {
  return refuse('already-ticked', `"${CHECKLIST_ITEMS[item].title}" was already ticked by ${nameOf(current.by)} ${atTime(current.at, now)}.`);
}

function normalizeAccount(account: string): string {
  return account.trim().toLowerCase();
}

// Names come from Teams (from.name): cleaned and capped before they reach a card or a log line.
function nameOf(actor: Actor): string {
  return cleanText(actor.name, 100) ?? cleanText(actor.id, 100) ?? 'someone';
}

function clip(text: string): string {
  return cleanText(text, 80) ?? '(empty)';
}

const pad = (n: number): string => String(n).padStart(2, '0');

function clock(time: Date): string {
  return `${pad(time.getUTCHours())}:${pad(time.getUTCMinutes())}`;
}

/** "at 14:03 UTC", with the date when it is not today (UTC) — readable in a chat reply. */
function atTime(iso: string, now: Date): string {
  const time = new Date(iso);
  if (Number.isNaN(time.getTime())) return `at ${clip(iso)}`;
  const day = time.toISOString().slice(0, 10);
  return day === now.toISOString().slice(0, 10) ? `at ${clock(time)} UTC` : `at ${clock(time)} UTC on ${day}`;
}

/** "between 14:00 and 15:00 UTC on 2026-11-22", or with both dates when the window spans midnight. */
function between(fromIso: string, toIso: string): string {
  const from = new Date(fromIso);
  const to = new Date(toIso);
  const fromDay = from.toISOString().slice(0, 10);
  const toDay = to.toISOString().slice(0, 10);
  return fromDay === toDay
    ? `between ${clock(from)} and ${clock(to)} UTC on ${fromDay}`
    : `between ${fromDay} ${clock(from)} and ${toDay} ${clock(to)} UTC`;
}
