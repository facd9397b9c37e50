import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Makes every file write of process `pid` fail, as a read-only or full disk does, without touching
 * the disk: the soft RLIMIT_FSIZE goes to 0 (`prlimit`, util-linux). Linux then refuses any write
 * to a regular file with EFBIG (Node ignores the SIGXFSZ that comes with it); SQLite reports
 * SQLITE_IOERR_WRITE. Reads keep working. Pipes are not files, so piped logs still flow. chmod and
 * chattr do not stop root or already-open files, and mounting or filling the disk is off limits
 * here; this is the fault that really makes writes fail.
 */
export function makeWritesFail(pid: number): void {
  execFileSync('prlimit', ['--pid', String(pid), '--fsize=0:'], { timeout: 5_000 });
}

export function restoreWrites(pid: number): void {
  execFileSync('prlimit', ['--pid', String(pid), '--fsize=unlimited:'], { timeout: 5_000 });
}

/** True when `prlimit` exists and can change another process's limits (root or CAP_SYS_RESOURCE). */
export function canMakeWritesFail(): boolean {
  try {
    execFileSync('prlimit', ['--pid', String(process.pid), '--fsize'], { timeout: 5_000, stdio: 'ignore' });
    return true;
  } catch (error) {
    process.stderr.write(`prlimit unavailable: ${error instanceof Error ? error.message : String(error)}\n`);
    return false;
  }
}

/**
 * Another process holding the database's write lock (a backup tool, a second instance): the bot's
 * writes wait busy_timeout and then fail with SQLITE_BUSY. Returns the release function.
 */
export function holdWriteLock(dataDir: string): () => void {
  const db = new Database(join(dataDir, 'glasswatch.db'), { fileMustExist: true });
  db.exec('BEGIN IMMEDIATE');
  return () => {
    db.exec('ROLLBACK');
    db.close();
  };
}
