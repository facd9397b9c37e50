import type { AuditRecord } from '../audit/audit-entry.js';
import type { DrillSettings } from '../config.js';
import type { Actor } from '../incidents/incident.js';
import { recordAlert, type RecordAlertDeps } from '../incidents/record-alert.js';
import type { ParsedAlert } from '../intake/alert.js';
import { ConflictError } from '../store/store-errors.js';
import type { Store } from '../store/store.js';
import { decideDrill, startDrill } from './decide-drill.js';
import type { Drill, DrillCommand, DrillRefusal, DrillSchedule, EndedDrill, RunningDrill } from './drill.js';
import { afterDrillCompleted, defaultSchedule, localDate } from './schedule.js';

export interface DrillServiceDeps extends RecordAlertDeps {
  store: Store;
  settings: DrillSettings;
  /** The configured break-glass accounts. */
  accounts: readonly string[];
}

export type DrillResult = { ok: true; drill: Drill } | { ok: false; refusal: DrillRefusal | { code: 'no-drill' | 'already-running' | 'which-account'; message: string } };

const MAX_ATTEMPTS = 5;

/** Opens a drill window for the account; one running drill per account. */
export async function beginDrill(deps: DrillServiceDeps, account: string | undefined, actor: Actor): Promise<DrillResult> {
  const chosen = chooseAccount(deps.accounts, account);
  if (!chosen.ok) return chosen;
  const now = deps.now();
  const drill = startDrill({ id: deps.newId(), account: chosen.account, actor, now, windowMinutes: deps.settings.windowMinutes });
  try {
    await deps.store.commitDrill({ drill, previousVersion: undefined }, [audit('drill.started', drill, actor, now, { windowEndsAt: drill.windowEndsAt })]);
  } catch (error) {
    if (!(error instanceof ConflictError)) throw error;
    return { ok: false, refusal: { code: 'already-running', message: `A drill is already running for ${chosen.account}: end it with "drill end" first.` } };
  }
  return { ok: true, drill };
}

/**
 * Ends the running drill and reports. A drill whose sign-in produced no alert fails, and the
 * alert path itself becomes an incident: that is the one failure no other tool reports.
 */
export async function finishDrill(deps: DrillServiceDeps, account: string | undefined, actor: Actor): Promise<DrillResult> {
  const running = await findRunning(deps, account);
  if (!running.ok) return running;
  const ended = await applyToDrill(deps, running.drill.id, { type: 'end', actor });
  if (!ended.ok || ended.drill.status === 'running') return ended;
  let drill: EndedDrill = ended.drill;
  if (drill.alerts.length === 0) {
    const recorded = await recordAlert(deps, alertPathAlert(drill, deps.now()), JSON.stringify({ drillId: drill.id }));
    drill = { ...drill, version: drill.version + 1, alertPathIncidentId: recorded.incident.id };
    await deps.store.commitDrill({ drill, previousVersion: ended.drill.version }, []);
  }
  if (drill.status === 'passed') await rescheduleAfter(deps, drill);
  return { ok: true, drill };
}

/** A checklist tick, a waiver, a rotation confirmation — decided on the latest drill, version-checked. */
export async function applyToDrill(deps: DrillServiceDeps, drillId: string, command: DrillCommand): Promise<DrillResult> {
  for (let attempt = 1; ; attempt++) {
    const drill = await deps.store.getDrill(drillId);
    if (!drill) return { ok: false, refusal: { code: 'no-drill', message: 'This drill is not known to this Glasswatch.' } };
    const now = deps.now();
    const decision = decideDrill(drill, command, now);
    if (!decision.ok) return decision;
    const actor = 'actor' in command ? command.actor : { id: 'glasswatch', name: 'Glasswatch' };
    try {
      await deps.store.commitDrill({ drill: decision.drill, previousVersion: drill.version }, [audit(`drill.${command.type}`, decision.drill, actor, now, detailsOf(command))]);
      return { ok: true, drill: decision.drill };
    } catch (error) {
      if (!(error instanceof ConflictError) || attempt >= MAX_ATTEMPTS) throw error;
    }
  }
}

/** Every configured account's schedule, creating the default for accounts without one. */
export async function schedules(deps: Pick<DrillServiceDeps, 'store' | 'settings' | 'accounts' | 'now'>): Promise<DrillSchedule[]> {
  const saved = await deps.store.listSchedules();
  const today = localDate(deps.now(), deps.settings.timeZone);
  const missing = deps.accounts
    .map((a) => a.toLowerCase())
    .filter((account) => !saved.some((s) => s.account === account))
    .map((account) => defaultSchedule(account, deps.settings.everyDays, deps.settings.timeZone, today));
  for (const schedule of missing) await deps.store.saveSchedule(schedule);
  return [...saved, ...missing];
}

async function rescheduleAfter(deps: DrillServiceDeps, drill: EndedDrill): Promise<void> {
  const all = await schedules(deps);
  const schedule = all.find((s) => s.account === drill.account) ?? defaultSchedule(drill.account, deps.settings.everyDays, deps.settings.timeZone, localDate(deps.now(), deps.settings.timeZone));
  await deps.store.saveSchedule(afterDrillCompleted(schedule, new Date(drill.endedAt)));
}

async function findRunning(deps: DrillServiceDeps, account: string | undefined): Promise<{ ok: true; drill: RunningDrill } | { ok: false; refusal: { code: 'no-drill' | 'which-account'; message: string } }> {
  const candidates = account ? [account] : deps.accounts.length > 0 ? deps.accounts : (await deps.store.listDrills(undefined, 20)).map((d) => d.account);
  const running: RunningDrill[] = [];
  for (const candidate of new Set(candidates.map((c) => c.toLowerCase()))) {
    const drill = await deps.store.runningDrill(candidate);
    if (drill?.status === 'running') running.push(drill);
  }
  if (running.length === 1 && running[0]) return { ok: true, drill: running[0] };
  if (running.length === 0) return { ok: false, refusal: { code: 'no-drill', message: `No drill is running${account ? ` for ${account}` : ''}. Start one with "drill start [upn]".` } };
  return { ok: false, refusal: { code: 'which-account', message: `Drills are running for ${running.map((d) => d.account).join(', ')}: say which, e.g. "drill end ${running[0]?.account ?? ''}".` } };
}

function chooseAccount(accounts: readonly string[], asked: string | undefined): { ok: true; account: string } | { ok: false; refusal: { code: 'which-account'; message: string } } {
  if (asked) return { ok: true, account: asked.toLowerCase() };
  if (accounts.length === 1 && accounts[0]) return { ok: true, account: accounts[0].toLowerCase() };
  const list = accounts.length > 0 ? ` (${accounts.join(', ')})` : '';
  return { ok: false, refusal: { code: 'which-account', message: `Which break-glass account is being drilled${list}? e.g. "drill start bg1@contoso.onmicrosoft.com".` } };
}

/** The incident a silent drill opens: about the alert path, not about an account. */
function alertPathAlert(drill: EndedDrill, now: Date): ParsedAlert {
  return {
    alertId: `glasswatch:drill:${drill.id}:no-alert`,
    monitorCondition: 'Fired',
    firedAt: now.toISOString(),
    source: 'other',
    monitoringService: 'Glasswatch',
    alertRule: `Drill sign-in for ${drill.account} produced no alert: the break-glass alert path is broken`,
    severity: 'Sev0',
    description: 'Check the diagnostic setting that sends sign-in logs to the workspace, the alert rule, its account list, and the action group webhook.',
    subject: { kind: 'monitoring', key: 'rule:glasswatch-alert-path', ruleName: 'Break-glass alert path' },
    signIns: [],
    links: {},
  };
}

function audit(kind: string, drill: Drill, actor: Actor, now: Date, data: Record<string, unknown>): AuditRecord {
  return { kind, at: now.toISOString(), actor, data: { drillId: drill.id, account: drill.account, status: drill.status, version: drill.version, ...data } };
}

function detailsOf(command: DrillCommand): Record<string, unknown> {
  switch (command.type) {
    case 'tick':
      return { item: command.item };
    case 'waive':
      return { item: command.item, reason: command.reason };
    case 'record-alert':
      return { incidentId: command.alert.incidentId, alertId: command.alert.alertId };
    case 'card-posted':
      return { incidentId: command.incidentId, at: command.at };
    case 'end':
    case 'confirm-rotation':
      return {};
    default: {
      const unreachable: never = command;
      return unreachable;
    }
  }
}
