/**
 * The escalation policy as the decider sees it (the config file's `escalation:` section, validated).
 * Waits are in milliseconds here; the file speaks minutes.
 */
export type EscalationTarget =
  /** @mention these responders (Entra object ids; empty = every responder) in the incident's thread. */
  | { kind: 'mention'; responderIds: string[] }
  /** Post a notice to another Teams channel (e.g. the SOC's). */
  | { kind: 'channel'; channelId: string }
  /** POST to an outbound webhook: a generic JSON body, or the PagerDuty Events API v2 shape. */
  | { kind: 'webhook'; name: string; url: string; format: 'generic' | 'pagerduty'; routingKey?: string };

export interface EscalationLevel {
  /** Wait before this level fires, counted from the incident opening (level 1) or the previous level. */
  afterMs: number;
  notify: EscalationTarget[];
}

export interface EscalationPolicy {
  levels: EscalationLevel[];
  /** How many times the last level is repeated after it first fires. */
  repeat: number;
  repeatEveryMs: number;
  /** Reminder to the acknowledger when an acknowledged incident stays unresolved this long (repeats). */
  reminderAfterMs: number;
}

/** Defaults when the config file says nothing: mention every responder at 5 min, again at 15, then every 15 min twice more; remind after 60 min. */
export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = {
  levels: [
    { afterMs: 5 * 60_000, notify: [{ kind: 'mention', responderIds: [] }] },
    { afterMs: 10 * 60_000, notify: [{ kind: 'mention', responderIds: [] }] },
  ],
  repeat: 2,
  repeatEveryMs: 15 * 60_000,
  reminderAfterMs: 60 * 60_000,
};
