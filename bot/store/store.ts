import type { AuditEntry, AuditRecord } from '../audit/audit-entry.js';
import type { Drill, DrillSchedule } from '../drills/drill.js';
import type { NotificationDraft, PendingNotification } from '../escalation/notification.js';
import type { MonitorCondition, ParsedAlert } from '../intake/alert.js';
import type { AlertOutcome } from '../incidents/decide-alert.js';
import type { Incident } from '../incidents/incident.js';

/** Where alert cards go: the channel bound with `/breakglass bind`. */
export interface ChannelBinding {
  serviceUrl: string;
  /** Teams channel id, e.g. 19:abc@thread.tacv2. */
  channelId: string;
  teamId?: string;
  tenantId?: string;
  boundBy: { id: string; name: string };
  boundAt: string;
}

/** Where an incident's card was posted, so later changes edit it in place. */
export interface PostedMessage {
  serviceUrl: string;
  /** The thread's conversation id (`<channel>;messageid=<N>`). */
  conversationId: string;
  /** The message id to edit (`N`). */
  activityId: string;
}

export interface Delivery {
  incidentId: string;
  /** The incident version the card should show. */
  targetVersion: number;
  deliveredVersion: number;
  message?: PostedMessage;
  attempts: number;
  /** Epoch ms. */
  nextAttemptAt: number;
  lastError?: string;
}

export interface DeliveryStats {
  pending: number;
  /** Pending deliveries whose last attempt failed. */
  failing: number;
  oldestPendingSince?: number;
  lastError?: string;
}

export interface AlertCommit {
  alert: ParsedAlert;
  /** The raw request body, kept for the audit trail. */
  rawBody: string;
  outcome: Exclude<AlertOutcome, 'duplicate'>;
  incident: Incident;
  /** The version the decision was based on; undefined for a new incident. */
  previousVersion: number | undefined;
  receivedAt: Date;
  audit: AuditRecord;
  /** The running drill this alert was classified into, updated in the same commit. */
  drill?: DrillChange;
}

export interface DrillChange {
  drill: Drill;
  /** undefined for a new drill. */
  previousVersion: number | undefined;
}

export interface IncidentChange {
  incident: Incident;
  /** The version the decision was based on. */
  previousVersion: number;
  audit: AuditRecord[];
  notifications: NotificationDraft[];
  now: number;
}

export interface NotificationStats {
  pending: number;
  failing: number;
  lastError?: string;
}

/**
 * The narrow storage port. Every write is one atomic commit with version checks, so the same
 * interface can later sit on Azure Table Storage with optimistic concurrency.
 */
export interface Store {
  ping(): Promise<void>;
  close(): Promise<void>;

  /** The incident holding this alert id + condition, if that alert was committed before. */
  incidentForAlert(alertId: string, condition: MonitorCondition): Promise<Incident | undefined>;
  openIncidentFor(subjectKey: string): Promise<Incident | undefined>;
  getIncident(id: string): Promise<Incident | undefined>;
  countIncidentsByStatus(): Promise<Record<Incident['status'], number>>;
  /**
   * Commits the alert, the incident and its pending card delivery together, or nothing.
   * Throws ConflictError if the alert is already stored or the incident moved past previousVersion.
   */
  commitAlert(commit: AlertCommit): Promise<void>;

  /** Commits a decided change: the incident (version-checked), its card refresh, side effects and audit. */
  commitIncidentChange(change: IncidentChange): Promise<void>;
  listOpenIncidents(): Promise<Incident[]>;
  /** Incidents whose sign-ins overlap [from, to] (first seen ≤ to and last seen ≥ from), newest first. */
  incidentsOverlapping(from: string, to: string, limit: number): Promise<Incident[]>;
  /** When the last alert (of any kind) was received; undefined before the first. */
  lastAlertReceivedAt(): Promise<string | undefined>;
  /** Open incidents whose escalation or reminder timer is due. */
  dueTimers(now: number, limit: number): Promise<Incident[]>;
  nextTimerAt(): Promise<number | undefined>;

  dueNotifications(now: number, limit: number): Promise<PendingNotification[]>;
  nextNotificationAt(): Promise<number | undefined>;
  recordNotificationSent(id: number, now: number): Promise<void>;
  recordNotificationFailure(id: number, error: string, nextAttemptAt: number): Promise<void>;
  postponeNotification(id: number, nextAttemptAt: number, reason: string): Promise<void>;
  notificationStats(): Promise<NotificationStats>;

  /** Appends to the hash-chained audit trail on its own (refusals, bindings). */
  appendAudit(record: AuditRecord): Promise<AuditEntry>;
  readAudit(incidentId?: string): Promise<AuditEntry[]>;

  dueDeliveries(now: number, limit: number): Promise<Delivery[]>;
  /** Where the incident's card was posted, once it was. */
  postedMessage(incidentId: string): Promise<PostedMessage | undefined>;
  /** Epoch ms of the earliest pending delivery, if any. */
  nextDeliveryAt(): Promise<number | undefined>;
  recordDelivered(incidentId: string, version: number, message: PostedMessage): Promise<void>;
  recordDeliveryFailure(incidentId: string, error: string, nextAttemptAt: number): Promise<void>;
  /** Postpone without counting a failure (pacing, or no alert channel yet). */
  postponeDelivery(incidentId: string, nextAttemptAt: number, reason?: string): Promise<void>;
  deliveryStats(): Promise<DeliveryStats>;

  /** The running drill for this account (lower-cased UPN or id), if any. */
  runningDrill(account: string): Promise<Drill | undefined>;
  getDrill(id: string): Promise<Drill | undefined>;
  /** Drills of an account (or all), newest first. */
  listDrills(account: string | undefined, limit: number): Promise<Drill[]>;
  /** Version-checked; a second running drill for the same account is a ConflictError. */
  commitDrill(change: DrillChange, audit: AuditRecord[]): Promise<void>;
  listSchedules(): Promise<DrillSchedule[]>;
  saveSchedule(schedule: DrillSchedule): Promise<void>;

  getAlertChannel(): Promise<ChannelBinding | undefined>;
  /** Binds the alert channel (audited) and makes every card still waiting for one due at `now`. */
  setAlertChannel(binding: ChannelBinding, now: number, audit: AuditRecord): Promise<void>;
}
