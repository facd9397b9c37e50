/**
 * One line of the append-only audit trail. Entries are chained: `hash` covers the entry's fields and
 * `prevHash`, so changing, removing or reordering any stored entry breaks every link after it.
 */
export interface AuditRecord {
  /** What happened: alert.created, alert.grouped, alert.duplicate, alert.resolved-notice,
   *  incident.acknowledged, incident.unacknowledged, incident.escalated, incident.reminded,
   *  incident.resolved, incident.note-added, incident.rotation-confirmed, action.refused,
   *  channel.bound, delivery.failed … */
  kind: string;
  /** ISO UTC. */
  at: string;
  actor: { id: string; name: string };
  incidentId?: string;
  alertId?: string;
  /** Small JSON details (no secrets, no raw payloads). */
  data: Record<string, unknown>;
}

export interface AuditEntry extends AuditRecord {
  /** 1, 2, 3 … with no gaps. */
  seq: number;
  /** Hex SHA-256 of the previous entry (64 zeros for the first). */
  prevHash: string;
  /** Hex SHA-256 over canonical JSON of {seq, kind, at, actor, incidentId, alertId, data, prevHash}. */
  hash: string;
}

export const GENESIS_HASH = '0'.repeat(64);
