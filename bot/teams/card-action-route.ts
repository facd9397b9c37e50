import type { TurnContext } from 'botbuilder';
import type { AdaptiveCard } from '../../cards/adaptive-card.js';
import type { IncidentCardAction } from '../../cards/card-actions.js';
import type { Metrics } from '../http/metrics.js';
import { actOnIncident, type ActDeps } from '../incidents/act-on-incident.js';
import type { Actor, Incident } from '../incidents/incident.js';
import type { IncidentCommand } from '../incidents/incident-command.js';
import type { Config } from '../config.js';
import { readTurn } from './read-turn.js';
import { actorOf, mayAct, NOT_A_RESPONDER } from './responders.js';

export type ViewerNotice = { text: string; tone: 'good' | 'warning' | 'attention' };

export interface CardActionDeps extends ActDeps {
  config: Pick<Config, 'mode' | 'responders'>;
  metrics: Metrics;
  renderIncident: (incident: Incident, notice?: ViewerNotice) => AdaptiveCard;
  /** A change was committed: the card edit for everyone and any side effects must go out. */
  onChange: () => void;
}

/**
 * An Action.Execute click: check the data and the clicker, decide, commit, and answer with the
 * card as it now is (for the clicker; everyone else gets the edit through the outbox).
 */
export async function handleCardAction(deps: CardActionDeps, context: TurnContext, action: IncidentCardAction): Promise<AdaptiveCard | string> {
  const turn = readTurn(context);
  const actor = actorOf(turn);

  const command = commandOf(action, actor);
  if (!command) {
    // Refresh (Universal Actions' automatic re-render for listed responders) changes nothing.
    const incident = await deps.store.getIncident(action.incidentId);
    return incident ? deps.renderIncident(incident) : unknownIncident;
  }
  if (!mayAct(deps.config, turn)) {
    deps.metrics.inc('glasswatch_actions_total', { verb: action.verb, result: 'not-responder' });
    await deps.store.appendAudit(refusalAudit(deps, actor, action, 'not-a-responder', NOT_A_RESPONDER));
    const incident = await deps.store.getIncident(action.incidentId);
    return incident ? deps.renderIncident(incident, { text: NOT_A_RESPONDER, tone: 'attention' }) : NOT_A_RESPONDER;
  }

  const result = await actOnIncident(deps, action.incidentId, command);
  if ('notFound' in result) return unknownIncident;
  if (!result.ok) {
    deps.metrics.inc('glasswatch_actions_total', { verb: action.verb, result: 'refused' });
    await deps.store.appendAudit(refusalAudit(deps, actor, action, result.refusal.code, result.refusal.message));
    return deps.renderIncident(result.incident, { text: result.refusal.message, tone: 'warning' });
  }
  deps.metrics.inc('glasswatch_actions_total', { verb: action.verb, result: 'ok' });
  deps.onChange();
  return deps.renderIncident(result.incident);
}

const unknownIncident = 'This incident is not known to this Glasswatch (was the card posted by another deployment?).';

function commandOf(action: IncidentCardAction, actor: Actor): IncidentCommand | undefined {
  switch (action.verb) {
    case 'incident.refresh':
      return undefined;
    case 'incident.acknowledge':
      return { type: 'acknowledge', actor };
    case 'incident.unacknowledge':
      return { type: 'unacknowledge', actor };
    case 'incident.escalate':
      return { type: 'escalate', actor };
    case 'incident.resolve':
      return { type: 'resolve', actor, resolution: action.resolution, note: action.note };
    case 'incident.note':
      return { type: 'note', actor, note: action.note };
    case 'incident.confirm-rotation':
      return { type: 'confirm-rotation', actor };
    default: {
      const unreachable: never = action;
      return unreachable;
    }
  }
}

function refusalAudit(deps: ActDeps, actor: Actor, action: IncidentCardAction, code: string, message: string) {
  return {
    kind: 'action.refused',
    at: deps.now().toISOString(),
    actor,
    incidentId: action.incidentId,
    data: { verb: action.verb, code, message, cardVersion: action.version },
  };
}
