import { join } from 'node:path';
import Database from 'better-sqlite3';

export interface StoredIncident {
  id: string;
  subjectKey: string;
  occurrences: number;
}

export interface StoreSnapshot {
  /** Fired alert ids committed to the alerts table. */
  firedAlertIds: Set<string>;
  incidents: StoredIncident[];
  /** Deliveries whose latest card is not yet in Teams. */
  pendingDeliveries: number;
  /** The message each incident's card lives in, as the store recorded it. */
  cardActivityIds: Map<string, string>;
}

/**
 * Reads `<dataDir>/glasswatch.db` read-only, the way an auditor would after the bot stopped: the
 * ground truth for "lost" and "exactly one card".
 */
export function readStore(dataDir: string): StoreSnapshot {
  const db = new Database(join(dataDir, 'glasswatch.db'), { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 2000');
    const firedAlertIds = new Set(
      db
        .prepare<[], { alert_id: string }>("SELECT alert_id FROM alerts WHERE monitor_condition = 'Fired'")
        .all()
        .map((row) => row.alert_id),
    );
    const incidents = db
      .prepare<[], { id: string; subject_key: string; occurrences: number }>(
        "SELECT id, subject_key, json_extract(body, '$.occurrences') AS occurrences FROM incidents",
      )
      .all()
      .map((row) => ({ id: row.id, subjectKey: row.subject_key, occurrences: row.occurrences }));
    const pending = db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM deliveries WHERE target_version > delivered_version').get();
    const cardActivityIds = new Map(
      db
        .prepare<[], { incident_id: string; activity_id: string }>('SELECT incident_id, activity_id FROM deliveries WHERE activity_id IS NOT NULL')
        .all()
        .map((row) => [row.incident_id, row.activity_id] as const),
    );
    return { firedAlertIds, incidents, pendingDeliveries: pending?.n ?? 0, cardActivityIds };
  } finally {
    db.close();
  }
}

/** Alert ids that were answered 202 but are not in the store: the "lost" count. */
export function lostAlerts(answered: Iterable<string>, snapshot: StoreSnapshot): string[] {
  const lost: string[] = [];
  for (const alertId of answered) if (!snapshot.firedAlertIds.has(alertId)) lost.push(alertId);
  return lost;
}
