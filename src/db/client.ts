import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectRoot } from '../config/index.js';
import { ensurePrivateDir, touchPrivateFile } from '../kernel/index.js';
import type { CheckpointRequest } from './checkpoints.js';
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
   * Bulk writes begin (an import); they end when every bulk writer has called `release` (once the
   * thread that ran `checkpoints` has ended, or the bulk writes have). Meanwhile the commits do not
   * copy the write-ahead log into the database file: the bulk writer does, from a thread it runs
   * anyway (`checkpointEvery(checkpoints)`; null for a database in memory). Each batch of an
   * import touches a page of every index per row (phones, e-mails and names arrive in no order):
   * some 2,000 pages per 500 contacts, which SQLite's automatic checkpoint (every 1,000 pages, in
   * the committing thread) copied again at every commit, blocking the main thread for it, the
   * import slowing down as the indexes grew.
   */
  bulkWrites(): BulkWrites;
  close(): void;
}

/** SQLite's default: the log is copied into the database file once it holds this many pages. */
const CHECKPOINT_PAGES = 1000;
/** How often the bulk writer's thread copies the log during bulk writes. */
const BULK_CHECKPOINT_MS = 25;
/** How many bulk transactions (at most) the log grows by before it starts again: some 250 MB of log for an import's 500-row batches. */
const REWIND_COMMITS = 32;

export interface BulkWrites {
  /**
   * The connection the bulk transactions go through, on the thread that asked for it (the main
   * thread: its transactions never overlap those of the main connection, each being one
   * synchronous call). It does not enforce foreign keys: an import's rows refer to its own rows,
   * written in the same transaction, and to parents (tenant, book, list) that the bulk writer
   * checks once per transaction instead of once per row. With foreign keys enforced, a multi-row
   * INSERT may fail half-way, so SQLite first copies each page it changes into a statement
   * journal (to undo that half); without them, and with `INSERT OR FAIL`, it copies nothing.
   * Together 20–30 % of the main thread's CPU for an import's writes (300,000 contacts:
   * 22.1–22.3 s before, 15.6–17.5 s after). Foreign keys that cascade a delete are not for this
   * connection: deletes go through the main one. For a database in memory (tests) there is no second
   * connection: the main one, foreign keys on.
   */
  writer: { db: Db; sqlite: Database.Database };
  /** What the bulk writer's own thread runs `checkpointEvery` with; null for a database in memory. */
  checkpoints: CheckpointRequest | null;
  /**
   * Call between two transactions of the bulk writes. Every `REWIND_COMMITS` calls, it copies
   * what the checkpoints have not copied yet (20–40 ms for an import: they run all along), so
   * that the next transaction starts the log again from its beginning (trimmed to
   * `journal_size_limit`). The commits start the log again only when all of it was copied at
   * the moment they begin, which between back-to-back batches almost never happens: an import's
   * log reached 2.9 GB for 300,000 contacts, and trimming it once the import ended held the main
   * thread for over a second. Nothing to do once released (the commits checkpoint again).
   */
  betweenTransactions(): void;
  /** The bulk writer's thread no longer checkpoints: the commits do again (the writer stays open). */
  release(): void;
  /** Releases, and closes the writer. */
  close(): void;
}

/** After a long log is reset (bulk writes), its file goes back to this size. */
const JOURNAL_SIZE_LIMIT = 16 * 1024 * 1024;

/**
 * `atende_keys_now()`, which the triggers of the contacts' key tables ask (migration 0017): 1 on
 * every connection, so that the keys follow their rows, and 0 on the bulk writer's, whose import
 * files its rows' keys itself, sorted (`ContactKeys`). A connection without it (a tool opening
 * the file) cannot insert a contact: "no such function", rather than a contact no search finds.
 */
export function keysFunction(sqlite: Database.Database, now: boolean): void {
  sqlite.function('atende_keys_now', { deterministic: true }, () => (now ? 1 : 0));
}

/** The bulk writer's connection (see `BulkWrites.writer`): the schema is the main connection's, already migrated. */
function openWriter(file: string): { db: Db; sqlite: Database.Database } {
  const sqlite = new Database(file, { fileMustExist: true });
  keysFunction(sqlite, false);
  sqlite.pragma('foreign_keys = OFF');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('wal_autocheckpoint = 0');
  sqlite.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  return { db: drizzle(sqlite, { schema }), sqlite };
}

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
  keysFunction(sqlite, true);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);
  let bulkWriters = 0;
  const checkpoints = file === ':memory:' ? null : { file: resolve(file), everyMs: BULK_CHECKPOINT_MS };
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
      if (bulkWriters++ === 0) sqlite.pragma('wal_autocheckpoint = 0');
      let released = false;
      let commits = 0;
      // A database in memory cannot be opened twice: its bulk writes go through its one connection.
      const own = checkpoints !== null;
      const writer = own ? openWriter(checkpoints.file) : { db, sqlite };
      const release = () => {
        if (released) return;
        released = true;
        // The writer's last commits (rows still queued) checkpoint themselves; once the last bulk
        // writer is done, so do the main connection's.
        if (own && writer.sqlite.open) writer.sqlite.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
        if (--bulkWriters === 0 && sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${CHECKPOINT_PAGES}`);
      };
      return {
        writer,
        checkpoints,
        betweenTransactions() {
          if (released || !own || ++commits < REWIND_COMMITS) return;
          // Busy (the checkpoints' own thread is copying right now) or not all copied (a reader
          // holds an older snapshot): tried again after the next transaction.
          const [done] = writer.sqlite.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
          if (done && done.busy === 0 && done.checkpointed === done.log) commits = 0;
        },
        release,
        close() {
          release();
          if (own && writer.sqlite.open) writer.sqlite.close();
        },
      };
    },
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}
