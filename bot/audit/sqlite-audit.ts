import { existsSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry, AuditRecord } from './audit-entry.js';
import { chainEntry } from './hash-chain.js';

/**
 * The audit table and its guards. Idempotent: the store runs it on every migration.
 *
 * The triggers make the table append-only for anyone using SQL in good faith (a stray UPDATE, a
 * DELETE, or an INSERT OR REPLACE that would silently delete a row: REPLACE skips delete triggers).
 * Someone holding the file can drop them; the hash chain is what catches that.
 */
export const AUDIT_SCHEMA = `
CREATE TABLE IF NOT EXISTS audit (
  seq         INTEGER PRIMARY KEY,
  kind        TEXT NOT NULL,
  at          TEXT NOT NULL,
  actor_id    TEXT NOT NULL,
  actor_name  TEXT NOT NULL,
  incident_id TEXT,
  alert_id    TEXT,
  data        TEXT NOT NULL,
  prev_hash   TEXT NOT NULL,
  hash        TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_incident ON audit(incident_id);
CREATE TRIGGER IF NOT EXISTS audit_no_update BEFORE UPDATE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be changed');
END;
CREATE TRIGGER IF NOT EXISTS audit_no_delete BEFORE DELETE ON audit
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only: entries cannot be deleted');
END;
CREATE TRIGGER IF NOT EXISTS audit_in_sequence BEFORE INSERT ON audit
WHEN NEW.seq IS NOT COALESCE((SELECT MAX(seq) FROM audit), 0) + 1
BEGIN
  SELECT RAISE(ABORT, 'the audit trail is append-only: a new entry must take the next seq');
END;
`;

export type AuditErrorCode = 'AUDIT_NOT_IN_TRANSACTION' | 'AUDIT_ROW_MALFORMED';

export class AuditError extends Error {
  constructor(
    readonly code: AuditErrorCode,
    message: string,
    /** The entry the error is about, when there is one. */
    readonly seq?: number,
  ) {
    super(message);
    this.name = 'AuditError';
  }
}

interface AuditRow {
  seq: number;
  kind: string;
  at: string;
  actor_id: string;
  actor_name: string;
  incident_id: string | null;
  alert_id: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
}

/**
 * Appends one entry after the last one and returns it.
 *
 * Call it inside the transaction that makes the state change it records, so both commit or neither
 * does; it opens no transaction of its own and throws AuditError AUDIT_NOT_IN_TRANSACTION outside
 * one. Use an IMMEDIATE transaction (`db.transaction(fn).immediate()`): it takes the write lock before
 * reading the last entry, so two connections cannot both chain onto the same entry.
 */
export function appendAudit(db: Database.Database, record: AuditRecord): AuditEntry {
  if (!db.inTransaction) {
    throw new AuditError('AUDIT_NOT_IN_TRANSACTION', 'appendAudit must run inside the transaction that records the change it audits');
  }
  const last = db.prepare<[], { seq: number; hash: string }>('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get();
  const entry = chainEntry(last, record);
  db.prepare(
    `INSERT INTO audit (seq, kind, at, actor_id, actor_name, incident_id, alert_id, data, prev_hash, hash)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    entry.seq,
    entry.kind,
    entry.at,
    entry.actor.id,
    entry.actor.name,
    entry.incidentId ?? null,
    entry.alertId ?? null,
    JSON.stringify(entry.data),
    entry.prevHash,
    entry.hash,
  );
  return entry;
}

/**
 * The trail in seq order, one row at a time (the statement stays open until the iteration ends, so
 * run no other statement on this connection meanwhile). A row whose data is not a JSON object cannot
 * have been written by appendAudit: it throws AuditError AUDIT_ROW_MALFORMED carrying its seq.
 */
export function* readAudit(
  db: Database.Database,
  options: { incidentId?: string; afterSeq?: number } = {},
): IterableIterator<AuditEntry> {
  const conditions = ['seq > @afterSeq'];
  if (options.incidentId !== undefined) conditions.push('incident_id = @incidentId');
  const rows = db
    .prepare<{ afterSeq: number; incidentId?: string }, AuditRow>(`SELECT * FROM audit WHERE ${conditions.join(' AND ')} ORDER BY seq`)
    .iterate({ afterSeq: options.afterSeq ?? 0, ...(options.incidentId === undefined ? {} : { incidentId: options.incidentId }) });
  for (const row of rows) yield toEntry(row);
}

export function auditCount(db: Database.Database): number {
  return db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM audit').get()?.n ?? 0;
}

function toEntry(row: AuditRow): AuditEntry {
  return {
    seq: row.seq,
    kind: row.kind,
    at: row.at,
    actor: { id: row.actor_id, name: row.actor_name },
    ...(row.incident_id === null ? {} : { incidentId: row.incident_id }),
    ...(row.alert_id === null ? {} : { alertId: row.alert_id }),
    data: parseData(row),
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

function parseData(row: AuditRow): Record<string, unknown> {
  const malformed = (why: string) =>
    new AuditError('AUDIT_ROW_MALFORMED', `entry ${row.seq} was changed after it was written: its data ${why}`, row.seq);
  if (typeof row.data !== 'string') throw malformed('is not text');
  let parsed: unknown;
  try {
    parsed = JSON.parse(row.data);
  } catch (error) {
    throw malformed(`is not JSON (${error instanceof Error ? error.message : String(error)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw malformed('is not a JSON object');
  return parsed as Record<string, unknown>;
}

export type OpenedAudit = { ok: true; db: Database.Database; path: string } | { ok: false; reason: string };

/**
 * Opens `<dataDir>/glasswatch.db` read-only for inspecting the trail; never creates the file. Returns
 * the reason instead of throwing when there is nothing to inspect.
 */
export function openAuditReadOnly(dataDir: string): OpenedAudit {
  const path = join(dataDir, 'glasswatch.db');
  if (!existsSync(path)) return { ok: false, reason: `no Glasswatch database at ${path}: run the bot once, or pass --data-dir` };
  let db: Database.Database;
  try {
    db = new Database(path, { readonly: true, fileMustExist: true });
  } catch (error) {
    return { ok: false, reason: `could not open ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  try {
    // The bot may be writing at the same moment; wait for its lock rather than fail.
    db.pragma('busy_timeout = 2000');
    const table = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'audit'").get();
    if (table === undefined) {
      db.close();
      return {
        ok: false,
        reason: `the database at ${path} has no audit table: it was written by a Glasswatch without an audit trail, or the table was dropped`,
      };
    }
    return { ok: true, db, path };
  } catch (error) {
    db.close();
    return { ok: false, reason: `could not read ${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}
