import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry, AuditRecord } from '../audit/audit-entry.js';
import { appendAudit, readAudit } from '../audit/sqlite-audit.js';
import type { Drill, DrillSchedule } from '../drills/drill.js';
import type { NotificationIntent, PendingNotification } from '../escalation/notification.js';
import type { MonitorCondition } from '../intake/alert.js';
import type { Incident } from '../incidents/incident.js';
import { SCHEMA_V1, SCHEMA_VERSION } from './sqlite-schema.js';
import { ConflictError, StoreUnavailableError } from './store-errors.js';
import type {
  AlertCommit,
  ChannelBinding,
  Delivery,
  DeliveryStats,
  DrillChange,
  IncidentChange,
  NotificationStats,
  PostedMessage,
  Store,
} from './store.js';

interface DeliveryRow {
  incident_id: string;
  target_version: number;
  delivered_version: number;
  service_url: string | null;
  conversation_id: string | null;
  activity_id: string | null;
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
}

/** Opens (creating if needed) `glasswatch.db` in dataDir. Throws StoreUnavailableError with the reason. */
export function openSqliteStore(dataDir: string): SqliteStore {
  return guard(() => {
    mkdirSync(dataDir, { recursive: true });
    const db = new Database(join(dataDir, 'glasswatch.db'));
    db.pragma('journal_mode = WAL');
    // FULL: a commit that answered 202 survives power loss, not just a process crash.
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 2000');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return new SqliteStore(db);
  });
}

function migrate(db: Database.Database): void {
  const version = Number(db.pragma('user_version', { simple: true }));
  if (version > SCHEMA_VERSION) {
    throw new StoreUnavailableError(
      `the database was written by a newer Glasswatch (schema ${version}, this one knows ${SCHEMA_VERSION}); run the newer version or restore a backup.`,
    );
  }
  db.exec(SCHEMA_V1);
  db.pragma(`user_version = ${SCHEMA_VERSION}`);
}

export class SqliteStore implements Store {
  /** Statements prepared once: re-preparing on every call cost ~11% of intake CPU under load. */
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {}

  private prepare<P extends unknown[] = unknown[], R = unknown>(sql: string): Database.Statement<P, R> {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    // The cache is keyed by the SQL text, so the row and parameter types are the ones this SQL was written for.
    return statement as unknown as Database.Statement<P, R>;
  }

  async ping(): Promise<void> {
    guard(() => this.prepare('SELECT 1').get());
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  async incidentForAlert(alertId: string, condition: MonitorCondition): Promise<Incident | undefined> {
    return guard(() => {
      const row = this
        .prepare<[string, string], { body: string }>(
          'SELECT i.body FROM alerts a JOIN incidents i ON i.id = a.incident_id WHERE a.alert_id = ? AND a.monitor_condition = ?',
        )
        .get(alertId, condition);
      return row ? toIncident(row.body) : undefined;
    });
  }

  async openIncidentFor(subjectKey: string): Promise<Incident | undefined> {
    return guard(() => {
      const row = this
        .prepare<[string], { body: string }>("SELECT body FROM incidents WHERE subject_key = ? AND status <> 'resolved'")
        .get(subjectKey);
      return row ? toIncident(row.body) : undefined;
    });
  }

  async getIncident(id: string): Promise<Incident | undefined> {
    return guard(() => {
      const row = this.prepare<[string], { body: string }>('SELECT body FROM incidents WHERE id = ?').get(id);
      return row ? toIncident(row.body) : undefined;
    });
  }

  async countIncidentsByStatus(): Promise<Record<Incident['status'], number>> {
    return guard(() => {
      const counts: Record<Incident['status'], number> = { triggered: 0, acknowledged: 0, resolved: 0 };
      const rows = this.prepare<[], { status: string; n: number }>('SELECT status, COUNT(*) AS n FROM incidents GROUP BY status').all();
      for (const row of rows) {
        if (row.status === 'triggered' || row.status === 'acknowledged' || row.status === 'resolved') counts[row.status] = row.n;
      }
      return counts;
    });
  }

  async commitAlert(commit: AlertCommit): Promise<void> {
    const { alert, incident, previousVersion, receivedAt } = commit;
    const now = receivedAt.getTime();
    guard(() =>
      this.db
        .transaction(() => {
          this.writeIncident(incident, previousVersion);
          this
            .prepare(
              'INSERT INTO alerts (alert_id, monitor_condition, incident_id, outcome, received_at, fired_at, parsed, raw) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            )
            .run(alert.alertId, alert.monitorCondition, incident.id, commit.outcome, receivedAt.toISOString(), alert.firedAt, JSON.stringify(alert), commit.rawBody);
          this.requestCard(incident, now);
          if (commit.drill) this.writeDrill(commit.drill);
          appendAudit(this.db, commit.audit);
        })
        .immediate(),
    );
  }

  async commitIncidentChange(change: IncidentChange): Promise<void> {
    guard(() =>
      this.db
        .transaction(() => {
          this.writeIncident(change.incident, change.previousVersion);
          this.requestCard(change.incident, change.now);
          const insert = this.prepare('INSERT INTO notifications (incident_id, intent, event, created_at, next_attempt_at) VALUES (?, ?, ?, ?, ?)');
          for (const draft of change.notifications) {
            insert.run(change.incident.id, JSON.stringify(draft.intent), draft.event, change.now, change.now);
          }
          for (const record of change.audit) appendAudit(this.db, record);
        })
        .immediate(),
    );
  }

  /** Inserts a new incident, or updates it only if it is still at previousVersion. */
  private writeIncident(incident: Incident, previousVersion: number | undefined): void {
    const timer = incident.escalation.nextAt === undefined ? null : Date.parse(incident.escalation.nextAt);
    if (previousVersion === undefined) {
      this
        .prepare('INSERT INTO incidents (id, subject_key, status, version, opened_at, timer_due_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(incident.id, incident.subject.key, incident.status, incident.version, incident.openedAt, timer, JSON.stringify(incident));
      return;
    }
    const changed = this
      .prepare('UPDATE incidents SET status = ?, version = ?, timer_due_at = ?, body = ? WHERE id = ? AND version = ?')
      .run(incident.status, incident.version, timer, JSON.stringify(incident), incident.id, previousVersion).changes;
    if (changed !== 1) throw new ConflictError(`incident ${incident.id} changed since version ${previousVersion}`);
  }

  /**
   * One delivery row per incident: a burst of changes only raises target_version, so the worker
   * sends the latest card once (coalescing) and a running backoff is never reset.
   */
  private requestCard(incident: Incident, now: number): void {
    this
      .prepare(
        `INSERT INTO deliveries (incident_id, target_version, next_attempt_at, pending_since) VALUES (?, ?, ?, ?)
         ON CONFLICT(incident_id) DO UPDATE SET
           target_version = excluded.target_version,
           pending_since = COALESCE(deliveries.pending_since, excluded.pending_since),
           next_attempt_at = CASE WHEN deliveries.attempts = 0 AND deliveries.target_version <= deliveries.delivered_version
                                  THEN excluded.next_attempt_at ELSE deliveries.next_attempt_at END`,
      )
      .run(incident.id, incident.version, now, now);
  }

  async listOpenIncidents(): Promise<Incident[]> {
    return guard(() =>
      this
        .prepare<[], { body: string }>("SELECT body FROM incidents WHERE status <> 'resolved' ORDER BY opened_at")
        .all()
        .map((row) => toIncident(row.body)),
    );
  }

  async incidentsOverlapping(from: string, to: string, limit: number): Promise<Incident[]> {
    // first/last seen live in the body; the opened_at bound keeps the scan to plausible rows.
    return guard(() =>
      this
        .prepare<[string, string, string, number], { body: string }>(
          `SELECT body FROM incidents
           WHERE json_extract(body, '$.firstSeen') <= ? AND json_extract(body, '$.lastSeen') >= ? AND opened_at >= date(?, '-400 days')
           ORDER BY opened_at DESC LIMIT ?`,
        )
        .all(to, from, from, limit)
        .map((row) => toIncident(row.body)),
    );
  }

  async lastAlertReceivedAt(): Promise<string | undefined> {
    return guard(() => {
      const row = this.prepare<[], { at: string | null }>('SELECT MAX(received_at) AS at FROM alerts').get();
      return row?.at ?? undefined;
    });
  }

  async dueTimers(now: number, limit: number): Promise<Incident[]> {
    return guard(() =>
      this
        .prepare<[number, number], { body: string }>(
          "SELECT body FROM incidents WHERE timer_due_at IS NOT NULL AND timer_due_at <= ? AND status <> 'resolved' ORDER BY timer_due_at LIMIT ?",
        )
        .all(now, limit)
        .map((row) => toIncident(row.body)),
    );
  }

  async nextTimerAt(): Promise<number | undefined> {
    return guard(() => {
      const row = this
        .prepare<[], { at: number | null }>("SELECT MIN(timer_due_at) AS at FROM incidents WHERE timer_due_at IS NOT NULL AND status <> 'resolved'")
        .get();
      return row?.at ?? undefined;
    });
  }

  async dueNotifications(now: number, limit: number): Promise<PendingNotification[]> {
    return guard(() =>
      this
        .prepare<[number, number], { id: number; incident_id: string; intent: string; attempts: number; next_attempt_at: number }>(
          'SELECT id, incident_id, intent, attempts, next_attempt_at FROM notifications WHERE done_at IS NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?',
        )
        .all(now, limit)
        .map((row) => ({
          id: row.id,
          incidentId: row.incident_id,
          intent: JSON.parse(row.intent) as NotificationIntent,
          attempts: row.attempts,
          nextAttemptAt: row.next_attempt_at,
        })),
    );
  }

  async nextNotificationAt(): Promise<number | undefined> {
    return guard(() => {
      const row = this.prepare<[], { at: number | null }>('SELECT MIN(next_attempt_at) AS at FROM notifications WHERE done_at IS NULL').get();
      return row?.at ?? undefined;
    });
  }

  async recordNotificationSent(id: number, now: number): Promise<void> {
    guard(() => this.prepare('UPDATE notifications SET done_at = ?, last_error = NULL WHERE id = ?').run(now, id));
  }

  async recordNotificationFailure(id: number, error: string, nextAttemptAt: number): Promise<void> {
    guard(() =>
      this
        .prepare('UPDATE notifications SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE id = ?')
        .run(error, nextAttemptAt, id),
    );
  }

  async postponeNotification(id: number, nextAttemptAt: number, reason: string): Promise<void> {
    guard(() => this.prepare('UPDATE notifications SET next_attempt_at = ?, last_error = ? WHERE id = ?').run(nextAttemptAt, reason, id));
  }

  async notificationStats(): Promise<NotificationStats> {
    return guard(() => {
      const row = this
        .prepare<[], { pending: number; failing: number | null }>(
          'SELECT COUNT(*) AS pending, SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) AS failing FROM notifications WHERE done_at IS NULL',
        )
        .get();
      const last = this
        .prepare<[], { last_error: string }>(
          'SELECT last_error FROM notifications WHERE done_at IS NULL AND attempts > 0 ORDER BY next_attempt_at LIMIT 1',
        )
        .get();
      return { pending: row?.pending ?? 0, failing: row?.failing ?? 0, lastError: last?.last_error };
    });
  }

  async appendAudit(record: AuditRecord): Promise<AuditEntry> {
    // Created inside guard: on a closed database even building the transaction throws.
    return guard(() => this.db.transaction(() => appendAudit(this.db, record)).immediate());
  }

  async readAudit(incidentId?: string): Promise<AuditEntry[]> {
    return guard(() => [...readAudit(this.db, incidentId === undefined ? {} : { incidentId })]);
  }

  async dueDeliveries(now: number, limit: number): Promise<Delivery[]> {
    return guard(() =>
      this
        .prepare<[number, number], DeliveryRow>(
          'SELECT * FROM deliveries WHERE target_version > delivered_version AND next_attempt_at <= ? ORDER BY next_attempt_at LIMIT ?',
        )
        .all(now, limit)
        .map(toDelivery),
    );
  }

  async postedMessage(incidentId: string): Promise<PostedMessage | undefined> {
    return guard(() => {
      const row = this.prepare<[string], DeliveryRow>('SELECT * FROM deliveries WHERE incident_id = ?').get(incidentId);
      return row ? toDelivery(row).message : undefined;
    });
  }

  async nextDeliveryAt(): Promise<number | undefined> {
    return guard(() => {
      const row = this
        .prepare<[], { at: number | null }>('SELECT MIN(next_attempt_at) AS at FROM deliveries WHERE target_version > delivered_version')
        .get();
      return row?.at ?? undefined;
    });
  }

  async recordDelivered(incidentId: string, version: number, message: PostedMessage): Promise<void> {
    guard(() =>
      this
        .prepare(
          `UPDATE deliveries SET delivered_version = MAX(delivered_version, ?), service_url = ?, conversation_id = ?, activity_id = ?,
             attempts = 0, last_error = NULL,
             pending_since = CASE WHEN target_version > MAX(delivered_version, ?) THEN pending_since ELSE NULL END
           WHERE incident_id = ?`,
        )
        .run(version, message.serviceUrl, message.conversationId, message.activityId, version, incidentId),
    );
  }

  async recordDeliveryFailure(incidentId: string, error: string, nextAttemptAt: number): Promise<void> {
    guard(() =>
      this
        .prepare('UPDATE deliveries SET attempts = attempts + 1, last_error = ?, next_attempt_at = ? WHERE incident_id = ?')
        .run(error, nextAttemptAt, incidentId),
    );
  }

  async postponeDelivery(incidentId: string, nextAttemptAt: number, reason?: string): Promise<void> {
    guard(() =>
      this
        .prepare('UPDATE deliveries SET next_attempt_at = ?, last_error = COALESCE(?, last_error) WHERE incident_id = ?')
        .run(nextAttemptAt, reason ?? null, incidentId),
    );
  }

  async deliveryStats(): Promise<DeliveryStats> {
    return guard(() => {
      const row = this
        .prepare<[], { pending: number; failing: number | null; oldest: number | null }>(
          `SELECT COUNT(*) AS pending, SUM(CASE WHEN attempts > 0 THEN 1 ELSE 0 END) AS failing, MIN(pending_since) AS oldest
           FROM deliveries WHERE target_version > delivered_version`,
        )
        .get();
      const last = this
        .prepare<[], { last_error: string }>(
          'SELECT last_error FROM deliveries WHERE target_version > delivered_version AND last_error IS NOT NULL ORDER BY next_attempt_at LIMIT 1',
        )
        .get();
      return {
        pending: row?.pending ?? 0,
        failing: row?.failing ?? 0,
        oldestPendingSince: row?.oldest ?? undefined,
        lastError: last?.last_error,
      };
    });
  }

  async runningDrill(account: string): Promise<Drill | undefined> {
    return guard(() => {
      const row = this.prepare<[string], { body: string }>("SELECT body FROM drills WHERE account = ? AND status = 'running'").get(account.toLowerCase());
      return row ? (JSON.parse(row.body) as Drill) : undefined;
    });
  }

  async getDrill(id: string): Promise<Drill | undefined> {
    return guard(() => {
      const row = this.prepare<[string], { body: string }>('SELECT body FROM drills WHERE id = ?').get(id);
      return row ? (JSON.parse(row.body) as Drill) : undefined;
    });
  }

  async listDrills(account: string | undefined, limit: number): Promise<Drill[]> {
    return guard(() => {
      const rows =
        account === undefined
          ? this.prepare<[number], { body: string }>('SELECT body FROM drills ORDER BY started_at DESC LIMIT ?').all(limit)
          : this.prepare<[string, number], { body: string }>('SELECT body FROM drills WHERE account = ? ORDER BY started_at DESC LIMIT ?').all(account.toLowerCase(), limit);
      return rows.map((row) => JSON.parse(row.body) as Drill);
    });
  }

  async commitDrill(change: DrillChange, audit: AuditRecord[]): Promise<void> {
    guard(() =>
      this.db
        .transaction(() => {
          this.writeDrill(change);
          for (const record of audit) appendAudit(this.db, record);
        })
        .immediate(),
    );
  }

  private writeDrill({ drill, previousVersion }: DrillChange): void {
    const endedAt = drill.status === 'running' ? null : drill.endedAt;
    if (previousVersion === undefined) {
      this
        .prepare('INSERT INTO drills (id, account, status, version, started_at, ended_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(drill.id, drill.account.toLowerCase(), drill.status, drill.version, drill.startedAt, endedAt, JSON.stringify(drill));
      return;
    }
    const changed = this
      .prepare('UPDATE drills SET status = ?, version = ?, ended_at = ?, body = ? WHERE id = ? AND version = ?')
      .run(drill.status, drill.version, endedAt, JSON.stringify(drill), drill.id, previousVersion).changes;
    if (changed !== 1) throw new ConflictError(`drill ${drill.id} changed since version ${previousVersion}`);
  }

  async listSchedules(): Promise<DrillSchedule[]> {
    return guard(() => this.prepare<[], { body: string }>('SELECT body FROM drill_schedules ORDER BY account').all().map((row) => JSON.parse(row.body) as DrillSchedule));
  }

  async saveSchedule(schedule: DrillSchedule): Promise<void> {
    guard(() =>
      this
        .prepare('INSERT INTO drill_schedules (account, body) VALUES (?, ?) ON CONFLICT(account) DO UPDATE SET body = excluded.body')
        .run(schedule.account.toLowerCase(), JSON.stringify(schedule)),
    );
  }

  async getAlertChannel(): Promise<ChannelBinding | undefined> {
    return guard(() => {
      const row = this.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'alertChannel'").get();
      return row ? (JSON.parse(row.value) as ChannelBinding) : undefined;
    });
  }

  async setAlertChannel(binding: ChannelBinding, now: number, audit: AuditRecord): Promise<void> {
    guard(() =>
      this.db
        .transaction(() => {
          appendAudit(this.db, audit);
          this
            .prepare("INSERT INTO settings (key, value) VALUES ('alertChannel', ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value")
            .run(JSON.stringify(binding));
          // Cards that were waiting for a channel go out now rather than at their next idle check.
          this
            .prepare('UPDATE deliveries SET next_attempt_at = ? WHERE target_version > delivered_version AND activity_id IS NULL AND attempts = 0')
            .run(now);
        })
        .immediate(),
    );
  }
}

// The store wrote these rows itself from typed values; reading them back is not an outside input.
function toIncident(body: string): Incident {
  return JSON.parse(body) as Incident;
}

function toDelivery(row: DeliveryRow): Delivery {
  return {
    incidentId: row.incident_id,
    targetVersion: row.target_version,
    deliveredVersion: row.delivered_version,
    message:
      row.service_url && row.conversation_id && row.activity_id
        ? { serviceUrl: row.service_url, conversationId: row.conversation_id, activityId: row.activity_id }
        : undefined,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error ?? undefined,
  };
}

/** Maps SQLite failures to the two errors callers handle: a conflict, or the store being unavailable. */
function guard<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof ConflictError || error instanceof StoreUnavailableError) throw error;
    const code = error instanceof Error && 'code' in error ? String(error.code) : '';
    if (code.startsWith('SQLITE_CONSTRAINT')) throw new ConflictError(`store constraint: ${code}`);
    const reason = error instanceof Error ? error.message : String(error);
    throw new StoreUnavailableError(`the store is unavailable (${code || 'error'}: ${reason})`, { cause: error });
  }
}
