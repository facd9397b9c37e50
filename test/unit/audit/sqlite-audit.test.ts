import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GENESIS_HASH, type AuditEntry, type AuditRecord } from '../../../bot/audit/audit-entry.js';
import { verifyChain } from '../../../bot/audit/hash-chain.js';
import { AUDIT_SCHEMA, AuditError, appendAudit, auditCount, openAuditReadOnly, readAudit } from '../../../bot/audit/sqlite-audit.js';
import { tempDir } from '../../support/temp-dir.js';

const AT = '2025-03-01T12:00:00.000Z';

function record(n: number, overrides: Partial<AuditRecord> = {}): AuditRecord {
  return {
    kind: 'incident.acknowledged',
    at: AT,
    actor: { id: `aad-${n}`, name: `Responder ${n}` },
    incidentId: n % 2 === 0 ? 'inc-even' : 'inc-odd',
    data: { n },
    ...overrides,
  };
}

let dir: { path: string; remove: () => void };
let db: Database.Database;

beforeEach(() => {
  dir = tempDir('glasswatch-audit-');
  // As the store opens it.
  db = new Database(join(dir.path, 'glasswatch.db'));
  db.pragma('journal_mode = WAL');
  db.exec(AUDIT_SCHEMA);
});

afterEach(() => {
  if (db.open) db.close();
  dir.remove();
});

function appendAll(records: readonly AuditRecord[]): AuditEntry[] {
  return db.transaction(() => records.map((item) => appendAudit(db, item))).immediate();
}

describe('AUDIT_SCHEMA', () => {
  it('can run again on a database that has it, keeping the entries', () => {
    appendAll([record(1)]);
    expect(() => db.exec(AUDIT_SCHEMA)).not.toThrow();
    expect(auditCount(db)).toBe(1);
    const triggers = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'audit' ORDER BY name").all();
    expect(triggers.map((row) => row.name)).toEqual(['audit_in_sequence', 'audit_no_delete', 'audit_no_update']);
  });
});

describe('appendAudit and readAudit', () => {
  it('appends chained entries inside a transaction and reads back exactly what it returned', () => {
    const appended = appendAll([record(1), record(2, { alertId: 'alert-2', data: { nested: { b: 2, a: [1, 'x'] } } }), record(3)]);
    expect(appended.map((entry) => entry.seq)).toEqual([1, 2, 3]);
    expect(appended[0]?.prevHash).toBe(GENESIS_HASH);
    expect(appended[1]?.prevHash).toBe(appended[0]?.hash);
    expect([...readAudit(db)]).toStrictEqual(appended);
    expect(verifyChain(readAudit(db))).toEqual({ ok: true, count: 3, lastHash: appended[2]?.hash });
    expect(auditCount(db)).toBe(3);
  });

  it('continues the chain across transactions', () => {
    const first = appendAll([record(1)]);
    const second = appendAll([record(2)]);
    expect(second[0]).toMatchObject({ seq: 2, prevHash: first[0]?.hash });
  });

  it('stores absent ids as NULL and reads them back absent', () => {
    appendAll([{ kind: 'channel.bound', at: AT, actor: { id: 'u', name: 'U' }, data: {} }]);
    expect(db.prepare('SELECT incident_id, alert_id FROM audit').get()).toEqual({ incident_id: null, alert_id: null });
    const [entry] = [...readAudit(db)];
    expect(entry).toBeDefined();
    expect(Object.keys(entry ?? {})).not.toContain('incidentId');
  });

  it('filters by incident and by position, in seq order', () => {
    appendAll([1, 2, 3, 4, 5].map((n) => record(n)));
    expect([...readAudit(db, { incidentId: 'inc-odd' })].map((entry) => entry.seq)).toEqual([1, 3, 5]);
    expect([...readAudit(db, { afterSeq: 3 })].map((entry) => entry.seq)).toEqual([4, 5]);
    expect([...readAudit(db, { incidentId: 'inc-even', afterSeq: 2 })].map((entry) => entry.seq)).toEqual([4]);
    expect([...readAudit(db, { incidentId: 'inc-none' })]).toEqual([]);
  });

  it('streams, and releases the connection when the reader stops early', () => {
    appendAll([1, 2, 3, 4, 5].map((n) => record(n)));
    const seen: number[] = [];
    for (const entry of readAudit(db)) {
      seen.push(entry.seq);
      if (entry.seq === 2) break;
    }
    expect(seen).toEqual([1, 2]);
    expect(() => appendAll([record(6)])).not.toThrow();
  });

  it('refuses to run outside a transaction and writes nothing', () => {
    const attempt = () => appendAudit(db, record(1));
    expect(attempt).toThrow(AuditError);
    expect(attempt).toThrow(expect.objectContaining({ code: 'AUDIT_NOT_IN_TRANSACTION' }));
    expect(auditCount(db)).toBe(0);
  });

  it('leaves no entry when the outer transaction rolls back', () => {
    appendAll([record(1)]);
    const failing = db.transaction(() => {
      appendAudit(db, record(2));
      throw new Error('the state change failed');
    });
    expect(() => failing.immediate()).toThrow('the state change failed');
    expect(auditCount(db)).toBe(1);
    // The seq that rolled back is free again: no gap.
    expect(appendAll([record(3)])[0]?.seq).toBe(2);
    expect(verifyChain(readAudit(db))).toMatchObject({ ok: true, count: 2 });
  });

  it('reports a row whose data is not a JSON object as changed, naming its seq', () => {
    appendAll([record(1), record(2)]);
    db.exec('DROP TRIGGER audit_no_update');
    db.prepare("UPDATE audit SET data = '[1]' WHERE seq = 2").run();
    const read = () => [...readAudit(db)];
    expect(read).toThrow(expect.objectContaining({ code: 'AUDIT_ROW_MALFORMED', seq: 2, message: expect.stringContaining('entry 2 was changed') }));
    db.prepare("UPDATE audit SET data = 'not json' WHERE seq = 2").run();
    expect(read).toThrow(expect.objectContaining({ code: 'AUDIT_ROW_MALFORMED', seq: 2 }));
  });
});

describe('append-only triggers', () => {
  beforeEach(() => {
    appendAll([record(1), record(2), record(3)]);
  });

  it('refuse UPDATE', () => {
    expect(() => db.prepare("UPDATE audit SET data = '{}' WHERE seq = 2").run()).toThrow(/append-only: entries cannot be changed/);
    expect(() => db.prepare("UPDATE audit SET kind = 'x'").run()).toThrow(/append-only/);
  });

  it('refuse DELETE', () => {
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 3').run()).toThrow(/append-only: entries cannot be deleted/);
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/);
  });

  it('refuse INSERT OR REPLACE over an existing entry, which would skip the DELETE trigger', () => {
    const replace = db.prepare(
      "INSERT OR REPLACE INTO audit (seq, kind, at, actor_id, actor_name, data, prev_hash, hash) VALUES (2, 'k', 'a', 'i', 'n', '{}', 'p', 'h')",
    );
    expect(() => replace.run()).toThrow(/a new entry must take the next seq/);
  });

  it('refuse an insert that leaves a gap', () => {
    const skip = db.prepare("INSERT INTO audit (seq, kind, at, actor_id, actor_name, data, prev_hash, hash) VALUES (9, 'k', 'a', 'i', 'n', '{}', 'p', 'h')");
    expect(() => skip.run()).toThrow(/next seq/);
  });

  it('leave the trail as it was', () => {
    const before = [...readAudit(db)];
    expect(() => db.prepare('UPDATE audit SET actor_name = ? WHERE seq = 1').run('Mallory')).toThrow();
    expect(() => db.prepare('DELETE FROM audit WHERE seq = 1').run()).toThrow();
    expect([...readAudit(db)]).toStrictEqual(before);
    expect(verifyChain(readAudit(db))).toMatchObject({ ok: true, count: 3 });
  });
});

describe('openAuditReadOnly', () => {
  it('explains a missing database without creating one', () => {
    const missing = join(dir.path, 'nowhere');
    expect(openAuditReadOnly(missing)).toEqual({
      ok: false,
      reason: `no Glasswatch database at ${join(missing, 'glasswatch.db')}: run the bot once, or pass --data-dir`,
    });
  });

  it('explains a database without an audit table', () => {
    const other = tempDir('glasswatch-audit-');
    try {
      new Database(join(other.path, 'glasswatch.db')).close();
      const opened = openAuditReadOnly(other.path);
      expect(opened).toMatchObject({ ok: false, reason: expect.stringContaining('has no audit table') });
    } finally {
      other.remove();
    }
  });

  it('opens the trail read-only while the writer keeps it open', () => {
    const appended = appendAll([record(1), record(2)]);
    const opened = openAuditReadOnly(dir.path);
    if (!opened.ok) throw new Error(opened.reason);
    try {
      expect([...readAudit(opened.db)]).toStrictEqual(appended);
      expect(() => opened.db.prepare('DROP TRIGGER audit_no_update').run()).toThrow(/readonly/);
    } finally {
      opened.db.close();
    }
  });
});
