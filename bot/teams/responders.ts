import type { Config } from '../config.js';
import type { Actor } from '../incidents/incident.js';
import type { TurnFacts } from './read-turn.js';

/**
 * Who may act. Outside local mode only listed responders; in local mode everyone, unless a
 * responder list is configured (then the demo behaves like production).
 */
export function mayAct(config: Pick<Config, 'mode' | 'responders'>, turn: TurnFacts): boolean {
  if (config.mode === 'local' && config.responders.length === 0) return true;
  const id = (turn.userAadId ?? '').toLowerCase();
  return id !== '' && config.responders.some((r) => r.id.toLowerCase() === id);
}

export function actorOf(turn: TurnFacts): Actor {
  return { id: turn.userAadId ?? turn.userId, name: turn.userName };
}

export const NOT_A_RESPONDER =
  'Only responders can act on break-glass incidents. Ask an admin to add your Entra object id to GLASSWATCH_RESPONDERS (or responders: in glasswatch.yaml).';
