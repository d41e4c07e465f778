import type { SQL } from 'drizzle-orm';
import type { SQLiteColumn, SQLiteTable } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.js';
import type { ChangeContext } from '../http/principal.js';

/**
 * The shape every tenant-scoped, audited resource shares (SIP trunks, extensions, routes,
 * prompts, queues, contact fields…): a table made with `resourceColumns()`, a definition
 * that holds only what differs — its rules, its references, its view — and one service and
 * one set of routes made from that definition. See src/resources/README.md.
 */
export type { ChangeContext };

export type ScopedTable = SQLiteTable & {
  id: SQLiteColumn;
  tenantId: SQLiteColumn;
  createdAt: SQLiteColumn;
  updatedAt: SQLiteColumn;
};

export type RowOf<T extends ScopedTable> = T['$inferSelect'] & { id: number; tenantId: number; createdAt: number; updatedAt: number };
/** The columns a definition writes (the mechanism sets id, tenant and timestamps). */
export type ColumnsOf<T extends ScopedTable> = Omit<T['$inferInsert'], 'id' | 'tenantId' | 'createdAt' | 'updatedAt'>;

/** What a definition's hooks may use, inside the transaction of the change. */
export interface WriteContext<T extends ScopedTable> {
  db: Db;
  tenantId: number;
  /** Epoch ms of the change (the service's clock). */
  now: number;
  /** The row before an update; undefined on create. */
  before?: RowOf<T>;
}

export interface ReadContext {
  db: Db;
}

/** Something that points at a row and so keeps it from being deleted. */
export interface Referrer {
  /** The referring resource's entity name, e.g. `inbound_route`. */
  entity: string;
  id: number;
  /** What the admin calls it (its name, number or DID). */
  name: string;
}

export interface ResourceDef<T extends ScopedTable, TInput extends object, TView> {
  /** What users call one of them, for messages: `SIP trunk`. */
  label: string;
  /** Stable name in the audit log, in references and in change events: `sip_trunk`. */
  entity: string;
  table: T;
  /** API field → column: unique within a tenant (a clash is 409 naming the field). */
  unique?: Record<string, SQLiteColumn>;
  /** Columns `?q=` searches (case-insensitive substring). */
  search?: SQLiteColumn[];
  /**
   * API sort key → column, for `?sort=name` / `?sort=-name`; the default order is by id. A
   * column whose values are kept in a key table of their own (`contact_name_keys`: tenant, key,
   * row id) is sorted by reading that table in its order.
   */
  sortable?: Record<string, SQLiteColumn | KeyedColumn>;
  /** Extra list filters from the query string (their schema is given to the routes). */
  filter?(query: Record<string, unknown>, tenantId: number): (SQL | undefined)[];
  /**
   * Validates a whole input (a create body, or the patch merged over the current input) and
   * returns the columns to write. Throws `invalidField`/`conflict` naming the field.
   */
  toColumns(input: TInput, w: WriteContext<T>): ColumnsOf<T>;
  /** The current row as an input, so that a patch can be merged over it and checked whole. */
  toInput(row: RowOf<T>, r: ReadContext): TInput;
  /** What the API returns (and the audit log keeps): never a secret. */
  toView(row: RowOf<T>, r: ReadContext): TView;
  /** Child rows and other writes in the same transaction, after the row is written. */
  afterWrite?(row: RowOf<T>, input: TInput, w: WriteContext<T>): void;
  /**
   * Values shown once, in the answer to the create and nowhere else (not in the view, not in
   * the audit log): a generated secret the admin must copy now.
   */
  revealOnCreate?(row: RowOf<T>): Record<string, unknown>;
  /**
   * Refusals of a delete beyond references (e.g. "the queue still has agents"); throw to refuse.
   * `options` is the delete's query (`deleteQuery` of the routes), e.g. a confirmation.
   */
  beforeDelete?(row: RowOf<T>, w: WriteContext<T>, options: Record<string, unknown>): void;
}

export type ChangeAction = 'create' | 'update' | 'delete';

/** Published after a change commits. */
export interface ResourceChange {
  tenantId: number;
  entity: string;
  id: number;
  action: ChangeAction;
}

export interface ListQuery {
  limit: number;
  offset: number;
  q?: string | undefined;
  sort?: string | undefined;
  [filter: string]: unknown;
}

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

/** A column whose values a table of its own keeps sorted, each with its tenant and its row's id. */
export interface KeyedColumn {
  column: SQLiteColumn;
  keys: { tenantId: SQLiteColumn; key: SQLiteColumn; rowId: SQLiteColumn };
}
