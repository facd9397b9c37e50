import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditEntry, AuditRecord } from '../../bot/audit/audit-entry.js';
import { AUDIT_SCHEMA, appendAudit } from '../../bot/audit/sqlite-audit.js';
import { auditExport } from '../../bot/cli/audit-export.js';
import { auditVerify } from '../../bot/cli/audit-verify.js';
import { tempDir } from '../support/temp-dir.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real bin through tsx, with an environment that holds nothing of the developer's. */
function glasswatch(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bot/cli.ts', ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString('utf8');
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** In-process io for calling a command directly. */
function memoryIo(env: Record<string, string> = {}) {
  const sink = () => {
    let text = '';
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        text += chunk.toString('utf8');
        done();
      },
    });
    return { stream, text: () => text };
  };
  const stdout = sink();
  const stderr = sink();
  return { io: { stdout: stdout.stream, stderr: stderr.stream, env }, stdout: stdout.text, stderr: stderr.text };
}

function record(n: number): AuditRecord {
  return {
    kind: n === 1 ? 'alert.created' : 'incident.acknowledged',
    at: new Date(Date.parse('2025-03-01T12:00:00.000Z') + n * 60_000).toISOString(),
    actor: n === 1 ? { id: 'system', name: 'Glasswatch' } : { id: `aad-${n}`, name: `Responder ${n}` },
    incidentId: n <= 3 ? 'inc-1' : 'inc-2',
    ...(n === 1 ? { alertId: 'alert-1' } : {}),
    data: { n, note: `step ${n}`, detail: { z: n, a: [n, 'x'] } },
  };
}

let dir: { path: string; remove: () => void };
let appended: AuditEntry[];

/** Builds the database as the store does (WAL, schema, appends inside an immediate transaction). */
function seed(count: number): AuditEntry[] {
  const db = new Database(join(dir.path, 'glasswatch.db'));
  try {
    db.pragma('journal_mode = WAL');
    db.exec(AUDIT_SCHEMA);
    return db.transaction(() => Array.from({ length: count }, (_, index) => appendAudit(db, record(index + 1)))).immediate();
  } finally {
    db.close();
  }
}

/** What an attacker holding the file does: the triggers are only a guard rail. */
function tamper(sql: string): void {
  const db = new Database(join(dir.path, 'glasswatch.db'));
  try {
    db.exec('DROP TRIGGER audit_no_update; DROP TRIGGER audit_no_delete;');
    db.exec(sql);
  } finally {
    db.close();
  }
}

function lines(text: string): unknown[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);
}

beforeEach(() => {
  dir = tempDir('glasswatch-audit-cli-');
  appended = seed(5);
});

afterEach(() => {
  dir.remove();
});

describe('glasswatch audit verify (real process)', () => {
  it('exits 0 on an intact trail and gives the count and last hash', async () => {
    const run = await glasswatch(['audit', 'verify', '--data-dir', dir.path]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`audit trail intact: 5 entries, last hash ${appended[4]?.hash}\n`);
  });

  it('exits 1 and names the entry whose data an attacker changed', async () => {
    tamper(`UPDATE audit SET data = '{"n":3,"note":"nothing to see"}' WHERE seq = 3`);
    const run = await glasswatch(['audit', 'verify', '--data-dir', dir.path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('audit trail BROKEN at entry 3: entry 3 was changed after it was written; entries before it are intact\n');
  });

  it('exits 1 where an attacker deleted an entry', async () => {
    tamper('DELETE FROM audit WHERE seq = 2');
    const run = await glasswatch(['audit', 'verify', '--data-dir', dir.path]);
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/^audit trail BROKEN at entry 2: expected entry 2 after entry 1 but found entry 3/);
  });

  it('exits 2 with the reason when there is no database', async () => {
    const missing = join(dir.path, 'elsewhere');
    const run = await glasswatch(['audit', 'verify', '--data-dir', missing]);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toBe(`no Glasswatch database at ${join(missing, 'glasswatch.db')}: run the bot once, or pass --data-dir\n`);
    expect(existsSync(missing)).toBe(false);
  });

  it('takes the data directory from GLASSWATCH_DATA_DIR when no flag is given', async () => {
    const run = await glasswatch(['audit', 'verify'], { GLASSWATCH_DATA_DIR: dir.path });
    expect(run).toMatchObject({ code: 0, stdout: expect.stringContaining('5 entries') });
  });
});

describe('glasswatch audit export (real process)', () => {
  it('writes JSON lines equal to what was appended', async () => {
    const run = await glasswatch(['audit', 'export', '--data-dir', dir.path]);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout.endsWith('\n')).toBe(true);
    expect(lines(run.stdout)).toStrictEqual(JSON.parse(JSON.stringify(appended)));
  });

  it('writes one incident to a file', async () => {
    const out = join(dir.path, 'inc-1.jsonl');
    const run = await glasswatch(['audit', 'export', '--data-dir', dir.path, '--incident', 'inc-1', '--out', out]);
    expect(run).toMatchObject({ code: 0, stdout: '', stderr: `exported 3 audit entries to ${out}\n` });
    expect(lines(readFileSync(out, 'utf8'))).toStrictEqual(JSON.parse(JSON.stringify(appended.slice(0, 3))));
  });
});

describe('glasswatch dispatcher (real process)', () => {
  it('prints usage and exits 0 for help', async () => {
    const run = await glasswatch(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('audit verify [--data-dir DIR]');
    expect(run.stdout).toContain('audit export [--data-dir DIR] [--out FILE] [--incident ID]');
  });

  it('prints usage on stderr and exits 2 for an unknown command', async () => {
    const run = await glasswatch(['audit', 'frobnicate']);
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/^unknown command: audit frobnicate\nusage: glasswatch <command>/);
  });
});

describe('audit commands in-process', () => {
  it('verify reports an unparsable row as broken at that entry', async () => {
    tamper("UPDATE audit SET data = 'not json' WHERE seq = 4");
    const { io, stdout } = memoryIo();
    expect(await auditVerify(['--data-dir', dir.path], io)).toBe(1);
    expect(stdout()).toMatch(/^audit trail BROKEN at entry 4: entry 4 was changed after it was written: its data is not JSON/);
  });

  it('verify reports the first of two breaks', async () => {
    tamper("UPDATE audit SET kind = 'x' WHERE seq = 4; UPDATE audit SET at = 'x' WHERE seq = 2;");
    const { io, stdout } = memoryIo();
    expect(await auditVerify(['--data-dir', dir.path], io)).toBe(1);
    expect(stdout()).toContain('BROKEN at entry 2:');
  });

  it('verify exits 2 on an unknown option', async () => {
    const { io, stderr } = memoryIo();
    expect(await auditVerify(['--data-dir', dir.path, '--fast'], io)).toBe(2);
    expect(stderr()).toContain("Unknown option '--fast'");
  });

  it('export leaves no partial file behind when it cannot write', async () => {
    const out = join(dir.path, 'missing-dir', 'trail.jsonl');
    const { io, stderr } = memoryIo();
    expect(await auditExport(['--data-dir', dir.path, '--out', out], io)).toBe(2);
    expect(stderr()).toContain('could not export the audit trail');
    expect(readdirSync(dir.path).filter((name) => name.includes('partial'))).toEqual([]);
  });

  it('export writes the file from GLASSWATCH_DATA_DIR and leaves no partial file', async () => {
    const out = join(dir.path, 'trail.jsonl');
    const { io } = memoryIo({ GLASSWATCH_DATA_DIR: dir.path });
    expect(await auditExport(['--out', out], io)).toBe(0);
    expect(lines(readFileSync(out, 'utf8'))).toHaveLength(5);
    expect(readdirSync(dir.path).filter((name) => name.includes('partial'))).toEqual([]);
  });
});
