import type { IncidentEvent } from '../incidents/incident-command.js';

/**
 * A side effect of an incident change that must happen exactly as durably as the change itself:
 * committed in the same transaction, sent by the notification worker until it is done.
 */
export type NotificationIntent =
  /** An escalation message in the incident's thread that @mentions responders. */
  | { kind: 'mention'; level: number; repeat: number; reason: string; responderIds: string[] }
  /** A reminder in the thread to the responder who acknowledged but has not resolved. */
  | { kind: 'reminder'; reminder: number }
  /** An escalation notice posted in another channel. */
  | { kind: 'channel'; channelId: string; level: number; repeat: number; reason: string }
  /** An outbound webhook; the body is fixed when the event happens. */
  | { kind: 'webhook'; name: string; url: string; body: unknown }
  /** The response steps after an `unauthorized` resolution, in the thread. */
  | { kind: 'response-steps' };

export interface NotificationDraft {
  intent: NotificationIntent;
  /** The event it came from, for the audit trail and the logs. */
  event: IncidentEvent['type'];
}

export interface PendingNotification {
  id: number;
  incidentId: string;
  intent: NotificationIntent;
  attempts: number;
  nextAttemptAt: number;
}
