import { closeSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { z } from 'zod';
import type { TenantReader } from './tenant-reader.js';
import {
  tenantSnapshotSchema,
  type Known,
  type SignInRow,
  type SnapshotAccount,
  type TenantSnapshot,
} from './tenant-snapshot.js';

export type SnapshotFileResult = { ok: true; snapshot: TenantSnapshot } | { ok: false; message: string };

const EXPORT_HINT = 'Export it again with `glasswatch snapshot export --out FILE`, or fix the file by hand.';
const MAX_ISSUES = 5;

/** Reads and validates a tenant snapshot file; every failure says where and what to do. */
export function readSnapshotFile(path: string): SnapshotFileResult {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    return { ok: false, message: `cannot read the snapshot file ${path} (${code}): check the path, or write one with \`glasswatch snapshot export --out ${path}\`.` };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : 'invalid JSON';
    return { ok: false, message: `${path} is not valid JSON (${reason}). ${EXPORT_HINT}` };
  }
  const parsed = tenantSnapshotSchema.safeParse(raw);
  if (parsed.success) return { ok: true, snapshot: parsed.data };
  const issues = parsed.error.issues.flatMap(deepestIssues);
  const shown = issues.slice(0, MAX_ISSUES).map((issue) => `${where(issue.path)}: ${issue.message}`);
  const more = issues.length > MAX_ISSUES ? `; and ${issues.length - MAX_ISSUES} more` : '';
  return { ok: false, message: `${path} is not a Glasswatch tenant snapshot (glasswatch.snapshot.v1): ${shown.join('; ')}${more}. ${EXPORT_HINT}` };
}

/**
 * A union ("known or unknown with a reason") reports only "Invalid input" at its own path; look into
 * the branch the file meant (the one whose `ok` matched) so the message names the actual field.
 */
function deepestIssues(issue: z.ZodIssue): z.ZodIssue[] {
  if (issue.code !== 'invalid_union') return [issue];
  const meant = issue.unionErrors.filter((error) => !error.issues.some((inner) => inner.code === 'invalid_literal' && inner.path.at(-1) === 'ok'));
  const [only] = meant;
  return meant.length === 1 && only !== undefined ? only.issues.flatMap(deepestIssues) : [issue];
}

function where(path: ReadonlyArray<string | number>): string {
  if (path.length === 0) return '(top level)';
  return path.map((part, index) => (typeof part === 'number' ? `[${part}]` : index === 0 ? part : `.${part}`)).join('');
}

/**
 * Writes a snapshot so that a reader never sees half a file: a temporary file in the same folder,
 * flushed to disk, then renamed over the target. The snapshot is validated first, so what is
 * written can always be read back.
 */
export function writeSnapshotFile(path: string, snapshot: TenantSnapshot): void {
  const valid = tenantSnapshotSchema.parse(snapshot);
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temporary, 'wx', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(valid, null, 2)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, path);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
}

/** A snapshot file that cannot be used; the message names the file and the fix. */
export class SnapshotFileError extends Error {
  readonly code = 'SNAPSHOT_FILE_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'SnapshotFileError';
  }
}

const NOT_IN_FILE = 'not in the snapshot file: re-export it with this account configured';

/**
 * A tenant reader over a snapshot file (re-read on every call, so an export in place is picked up).
 * It answers with the file as is, narrowed to the accounts asked for (all of them when none are);
 * an account the file does not hold comes back unreadable, never as "no such user".
 */
export function fileTenantReader(path: string, kind: 'file' | 'demo'): TenantReader {
  const load = (): TenantSnapshot => {
    const read = readSnapshotFile(path);
    if (!read.ok) throw new SnapshotFileError(read.message);
    return read.snapshot;
  };
  return {
    kind,
    snapshot: async (accounts) => narrowSnapshot(load(), accounts, kind),
    signIns: async (accounts, since, until) => narrowSignIns(load(), accounts, since, until),
  };
}

/** The snapshot with only these accounts (as requested) and their sign-in rows. */
export function narrowSnapshot(snapshot: TenantSnapshot, accounts: readonly string[], source: TenantSnapshot['source']): TenantSnapshot {
  const chosen = accounts.length === 0 ? snapshot.accounts : accounts.map((requested) => entryFor(snapshot, requested));
  const signIns = snapshot.signIns.ok ? { ok: true as const, value: snapshot.signIns.value.filter((row) => chosen.some((entry) => rowOf(row, entry))) } : snapshot.signIns;
  return { ...snapshot, source, accounts: chosen, signIns };
}

function narrowSignIns(snapshot: TenantSnapshot, accounts: readonly string[], since: Date, until: Date): Known<SignInRow[]> {
  if (!snapshot.signIns.ok) return snapshot.signIns;
  const chosen = accounts.length === 0 ? snapshot.accounts : accounts.map((requested) => entryFor(snapshot, requested));
  const rows = snapshot.signIns.value
    .filter((row) => chosen.some((entry) => rowOf(row, entry)))
    .filter((row) => {
      const time = Date.parse(row.time);
      return time >= since.getTime() && time <= until.getTime();
    })
    .sort((a, b) => Date.parse(b.time) - Date.parse(a.time));
  return { ok: true, value: rows };
}

function entryFor(snapshot: TenantSnapshot, requested: string): SnapshotAccount {
  const same = (value: string | null | undefined) => typeof value === 'string' && value.toLowerCase() === requested.toLowerCase();
  const found =
    snapshot.accounts.find((entry) => same(entry.requested)) ??
    snapshot.accounts.find((entry) => entry.user.ok && entry.user.value !== null && (same(entry.user.value.userPrincipalName) || same(entry.user.value.id)));
  if (found) return { ...found, requested };
  const missing = { ok: false as const, reason: NOT_IN_FILE };
  return { requested, user: missing, signInActivity: missing, methods: missing, roles: missing, memberOf: missing };
}

function rowOf(row: SignInRow, entry: SnapshotAccount): boolean {
  const same = (a: string | null | undefined, b: string) => typeof a === 'string' && a.toLowerCase() === b.toLowerCase();
  if (entry.user.ok && entry.user.value !== null) return same(row.userId, entry.user.value.id) || same(row.upn, entry.user.value.userPrincipalName);
  return same(row.upn, entry.requested) || same(row.userId, entry.requested);
}
