import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectRoot } from '../config/index.js';
import type { Worker } from 'node:worker_threads';
import { ensurePrivateDir, startWorker, touchPrivateFile } from '../kernel/index.js';
import type { CheckpointerRequest } from './checkpointer.protocol.js';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface Database_ {
  /** The drizzle handle used by repositories. */
  db: Db;
  /** The raw better-sqlite3 handle (pragmas, health checks, transactions). */
  sqlite: Database.Database;
  /** True if a write transaction can be taken right now. */
  writable(): { ok: true } | { ok: false; reason: string };
  /**
   * Bulk writes begin (an import); they end when every bulk writer has called the function
   * returned. Meanwhile the write-ahead log is copied into the database file by a thread of its
   * own, not by the commits. Each batch of an import touches a page of every index per row
   * (phones, e-mails and names arrive in no order): some 2,000 pages per 500 contacts, which
   * SQLite's automatic checkpoint (every 1,000 pages, in the committing thread) copied again at
   * every commit, blocking the main thread for it, the import slowing down as the indexes grew.
   */
  bulkWrites(): () => void;
  close(): void;
}

/** SQLite's default: the log is copied into the database file once it holds this many pages. */
const CHECKPOINT_PAGES = 1000;
/** How often the checkpointer thread copies the log during bulk writes. */
const BULK_CHECKPOINT_MS = 25;

export const migrationsFolder = resolve(projectRoot, 'migrations');

/**
 * Opens (creating if needed) the SQLite file, sets WAL, foreign keys and a busy timeout,
 * and applies pending migrations. `:memory:` is accepted for unit tests.
 */
export function openDatabase(file: string): Database_ {
  if (file !== ':memory:') {
    // Password hashes and TOTP secrets live here: private from the first byte.
    ensurePrivateDir(dirname(resolve(file)));
    touchPrivateFile(file);
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // After a long log is reset (bulk writes), its file goes back to this size.
  sqlite.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
  let bulkWriters = 0;
  let checkpointer: Worker | undefined;
  // The checkpoints go back to the commits (the last bulk writer is done, the thread ended, the
  // database closes).
  const stopCheckpointer = () => {
    checkpointer?.postMessage('stop');
    checkpointer = undefined;
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
  };
  const db = drizzle(sqlite, { schema });
  migrate(db, { migrationsFolder });
  return {
    db,
    sqlite,
    writable() {
      try {
        sqlite.exec('BEGIN IMMEDIATE; ROLLBACK');
        return { ok: true };
      } catch (e) {
        return { ok: false, reason: `database not writable: ${(e as Error).message}` };
      }
    },
    bulkWrites() {
      if (bulkWriters++ === 0 && file !== ':memory:') {
        // It allocates next to nothing: a small young generation keeps its thread's memory small.
        const w = startWorker(import.meta.url, 'checkpointer.worker', { maxYoungGenerationSizeMb: 2 });
        w.unref();
        // A thread that fails ends: its end gives the checkpoints back to the commits.
        w.on('error', () => {});
        w.once('exit', () => {
          if (checkpointer === w) stopCheckpointer();
        });
        w.postMessage({ file: resolve(file), everyMs: BULK_CHECKPOINT_MS } satisfies CheckpointerRequest);
        checkpointer = w;
        sqlite.pragma('wal_autocheckpoint = 0');
      }
      let released = false;
      return () => {
        if (released) return;
        released = true;
        if (--bulkWriters === 0) stopCheckpointer();
      };
    },
    close() {
      stopCheckpointer();
      if (sqlite.open) sqlite.close();
    },
  };
}
