import { join } from 'node:path';
import Database from 'better-sqlite3';
import { summarize, type Summary } from './percentiles.js';

/**
 * How long one durable SQLite commit takes in `dir` with the bot's settings (WAL,
 * synchronous=FULL): one 8 KiB row per transaction. A store that commits each alert on its own, on
 * one thread, cannot beat 1000 / p50 alerts per second on this disk, whatever the CPU.
 */
export function durableCommitLatency(dir: string, samples = 100): Summary {
  const db = new Database(join(dir, 'commit-probe.db'));
  const times: number[] = [];
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE IF NOT EXISTS probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO probe (body) VALUES (?)');
    const body = 'x'.repeat(8 * 1024);
    const commit = db.transaction((text: string) => insert.run(text));
    for (let i = 0; i < samples; i++) {
      const started = performance.now();
      commit(body);
      times.push(performance.now() - started);
    }
  } finally {
    db.close();
  }
  return summarize(times);
}
