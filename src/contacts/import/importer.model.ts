import type { Database } from 'better-sqlite3';
import type { Db } from '../../db/client.js';

/**
 * The importer's contract with what it fills. One importer reads the CSV (encoding, delimiter,
 * quotes, size, progress, per-row errors, history); a *target* says which columns exist, what
 * a valid row is and how rows are stored: contacts of a book, blacklist entries, and the
 * dialer's contact groups register their own target.
 */
export interface RowProblem {
  /** The column (header name as in the file), or `row` for the row as a whole. */
  field: string;
  value: string | null;
  /** Stable code: `required`, `phone_ddd`, `duplicate_in_file`, `duplicate`, … */
  code: string;
  message: string;
  /** The row was left out (else only this value was, and the row imported). */
  rejected: boolean;
}

export interface PreparedRow<R> {
  /** Null when the row is rejected. */
  record: R | null;
  problems: RowProblem[];
}

/**
 * Where a batch is written: the bulk writer's connection (`BulkWrites.writer`), which does not
 * enforce foreign keys. A target checks, on each batch, that the parents of its rows (a book, a
 * contact group) still exist; the rows it inserts refer to those or to rows of the same batch.
 * `undo` gets the main connection, whose foreign keys cascade the deletes.
 */
export interface WriteContext {
  db: Db;
  /** The same database, for statements prepared once (hot paths). */
  sqlite: Database;
  tenantId: number;
  importId: number;
  now: number;
  /** A file the target may keep what it sets aside in, under the import's spool directory (it deletes the file at `end`). */
  scratch: string;
}

/** One import of one file into a target, from its header on. */
export interface ImportSession<R> {
  /** Checks one row (values in header order) without touching the database. */
  prepare(values: readonly string[]): PreparedRow<R>;
  /**
   * Stores a batch inside the importer's transaction. Returns the problems found against what
   * is stored (duplicates), by the batch index of the row they belong to.
   */
  write(batch: readonly R[], w: WriteContext): { index: number; problem: RowProblem }[];
  /**
   * Once every batch is written: what the target left for the end (the keys a contact is found
   * by, `ContactKeys`), a part per call, each inside a transaction of the importer's. Returns
   * whether some is left; the import is done when none is. Required, as `end` is, so that a
   * session wrapping another (the dialer's contact groups, a test's) cannot leave them out.
   */
  finish(): boolean;
  /** The import has ended (done, failed or cancelled): nothing more is written through this session. */
  end(): void;
}

export interface ImportTarget<O extends object = Record<string, unknown>> {
  /** Name in the API and the history: `contacts`. */
  readonly name: string;
  /** Checks and completes the options given with the upload (throws `invalidField`). */
  options(db: Db, tenantId: number, raw: Record<string, unknown>): O;
  /** The model file's header and an example row. */
  model(db: Db, tenantId: number, options: O): { header: string[]; example: string[] };
  /** Checks the header (throws `invalidField('file', …)` naming the missing or unknown column). */
  begin(db: Db, tenantId: number, options: O, header: readonly string[]): ImportSession<unknown>;
  /** Removes up to `limit` rows that import `w.importId` stored (it failed or was cancelled); called until 0. */
  undo(w: WriteContext, limit: number): number;
}

export type ImportState = 'running' | 'done' | 'failed' | 'cancelled';

/** What the browser is told while an import runs, and what the history keeps. */
export interface ImportProgress {
  id: number;
  tenantId: number;
  target: string;
  state: ImportState;
  fileName: string;
  sizeBytes: number;
  bytesRead: number;
  /** 0–100 by bytes read. */
  percent: number;
  rows: number;
  imported: number;
  rejected: number;
  problems: number;
  error: string | null;
}

/** Where progress goes: the events socket when it exists, nowhere in tools and tests. */
export interface ImportPublisher {
  publish(progress: ImportProgress): void;
}
