import type { EscalationState, Incident } from '../incidents/incident.js';
import type { EscalationPolicy } from './escalation-policy.js';

/**
 * When the incident's clock next fires, from where it stands on the ladder. Pure: the stored
 * `escalation.nextAt` is always this function of the state, so a restart recomputes nothing.
 */
export function nextTimerAt(status: Incident['status'], escalation: EscalationState, policy: EscalationPolicy): string | undefined {
  const since = Date.parse(escalation.since);
  switch (status) {
    case 'resolved':
      return undefined;
    case 'acknowledged':
      return policy.reminderAfterMs > 0 ? iso(since + policy.reminderAfterMs) : undefined;
    case 'triggered': {
      const level = policy.levels[escalation.level];
      if (level) return iso(since + level.afterMs);
      if (policy.levels.length > 0 && escalation.repeats < policy.repeat) return iso(since + policy.repeatEveryMs);
      return undefined;
    }
    default: {
      const unreachable: never = status;
      return unreachable;
    }
  }
}

/** A fresh ladder starting at `since` (a new incident, or an unacknowledged one starting over). */
export function startLadder(status: Incident['status'], since: string, policy: EscalationPolicy, from?: EscalationState): EscalationState {
  const escalation: EscalationState = { level: from?.level ?? 0, repeats: from?.repeats ?? 0, reminders: from?.reminders ?? 0, since };
  return { ...escalation, nextAt: nextTimerAt(status, escalation, policy) };
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
