import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import type { DrillCardAction } from '../../cards/card-actions.js';
import { renderDrillAnnouncementCard } from '../../cards/drill-card.js';
import { safeText } from '../../cards/format.js';
import { renderNoticeCard } from '../../cards/text-card.js';
import type { Config } from '../config.js';
import { applyToDrill, beginDrill, finishDrill, schedules, type DrillResult, type DrillServiceDeps } from '../drills/drill-service.js';
import { applyScheduleArgs, localDate, parseScheduleArgs, SCHEDULE_USAGE } from '../drills/schedule.js';
import type { DrillCommand } from '../drills/drill.js';
import { readTurn } from './read-turn.js';
import { actorOf, mayAct, NOT_A_RESPONDER } from './responders.js';
import { checklistCard, drillStatusCard, reportCard } from './drill-views.js';

export interface DrillRouteDeps extends DrillServiceDeps {
  config: Pick<Config, 'mode' | 'responders'>;
  /** A drill alert or the alert-path incident was committed: cards must go out. */
  onChange: () => void;
}

const USAGE = `Usage: drill schedule <YYYY-MM-DD | every N days> · drill start [upn] · drill status · drill end [upn]`;

/** `/breakglass drill …`: the cards to send back, in order. */
export async function drillCommand(deps: DrillRouteDeps, context: TurnContext, args: readonly string[]): Promise<AdaptiveCard[]> {
  const [sub, ...rest] = args;
  const turn = readTurn(context);
  const actor = actorOf(turn);
  const changing = sub === 'start' || sub === 'end' || sub === 'schedule';
  if (changing && !mayAct(deps.config, turn)) return [notice('Only responders can run drills', NOT_A_RESPONDER, 'attention')];
  switch (sub?.toLowerCase()) {
    case 'start': {
      const result = await beginDrill(deps, rest[0], actor);
      if (!result.ok) return [notice('No drill started', result.refusal.message, 'warning')];
      const { drill } = result;
      return [
        renderDrillAnnouncementCard({ drillId: drill.id, account: drill.account, startedBy: actor.name, startedAt: drill.startedAt, windowEndsAt: drill.windowEndsAt, demo: deps.config.mode === 'local' }),
        checklistCard(drill),
      ];
    }
    case 'end': {
      const result = await finishDrill(deps, rest[0], actor);
      if (!result.ok) return [notice('No drill ended', result.refusal.message, 'warning')];
      if (result.drill.status !== 'running' && result.drill.alertPathIncidentId) deps.onChange();
      return [reportCard(result.drill)];
    }
    case 'status': {
      const [all, drills] = await Promise.all([schedules(deps), deps.store.listDrills(undefined, 100)]);
      return [drillStatusCard(all, drills, deps.settings, deps.now())];
    }
    case 'schedule': {
      const parsed = parseScheduleArgs([...rest], localDate(deps.now(), deps.settings.timeZone));
      if (!parsed.ok) return [notice('Which schedule?', `${parsed.message} Usage: ${SCHEDULE_USAGE}`, 'warning')];
      const all = await schedules(deps);
      if (all.length === 0) return [notice('No accounts to schedule', 'Configure the break-glass accounts first (GLASSWATCH_ACCOUNTS or accounts: in glasswatch.yaml).', 'warning')];
      const drills = await deps.store.listDrills(undefined, 100);
      for (const schedule of all) {
        const last = drills.find((d) => d.account === schedule.account && d.status === 'passed');
        const lastDate = last && last.status !== 'running' ? localDate(new Date(last.endedAt), schedule.timeZone) : undefined;
        await deps.store.saveSchedule(applyScheduleArgs(schedule, parsed, lastDate));
      }
      const updated = await schedules(deps);
      return [drillStatusCard(updated, drills, deps.settings, deps.now())];
    }
    default:
      return [notice('Drills', USAGE, 'default')];
  }
}

/** `/breakglass checklist`: the running drill's checklist, or the read-only list of steps. */
export async function checklistCommand(deps: DrillRouteDeps): Promise<AdaptiveCard> {
  const drills = await deps.store.listDrills(undefined, 20);
  return checklistCard(drills.find((d) => d.status === 'running'));
}

/** A checklist button or the report's "Password rotated": decided on the latest drill. */
export async function drillAction(deps: DrillRouteDeps, context: TurnContext, action: DrillCardAction): Promise<AdaptiveCard | string> {
  const turn = readTurn(context);
  if (!mayAct(deps.config, turn)) return NOT_A_RESPONDER;
  const actor = actorOf(turn);
  const command: DrillCommand =
    action.verb === 'drill.tick'
      ? { type: 'tick', item: action.item, actor }
      : action.verb === 'drill.waive'
        ? { type: 'waive', item: action.item, actor, reason: action.reason }
        : { type: 'confirm-rotation', actor };
  const result: DrillResult = await applyToDrill(deps, action.drillId, command);
  if (!result.ok) {
    const drill = await deps.store.getDrill(action.drillId);
    return drill ? withNotice(drill.status === 'running' ? checklistCard(drill) : reportCard(drill), result.refusal.message) : result.refusal.message;
  }
  return action.verb === 'drill.confirm-rotation' ? reportCard(result.drill) : checklistCard(result.drill);
}

function notice(title: string, line: string, tone: 'default' | 'good' | 'warning' | 'attention'): AdaptiveCard {
  return renderNoticeCard({ title, lines: [line], tone });
}

/** A refusal shown on top of the card as it now is, for the clicker. */
function withNotice(card: AdaptiveCard, message: string): AdaptiveCard {
  return { ...card, body: [{ type: 'TextBlock', text: safeText(message, 500), wrap: true, color: 'warning', weight: 'bolder' }, ...card.body] };
}
