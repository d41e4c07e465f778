import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { projectRoot } from '../config/index.js';
import { ensurePrivateDir, touchPrivateFile } from '../kernel/index.js';
import * as schema from './schema/index.js';

export type Db = BetterSQLite3Database<typeof schema>;

export interface Database_ {
  /** The drizzle handle used by repositories. */
  db: Db;
  /** The raw better-sqlite3 handle (pragmas, health checks, transactions). */
  sqlite: Database.Database;
  /** True if a write transaction can be taken right now. */
  writable(): { ok: true } | { ok: false; reason: string };
  close(): void;
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
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
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
    close() {
      if (sqlite.open) sqlite.close();
    },
  };
}
