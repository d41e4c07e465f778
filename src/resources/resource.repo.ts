import { and, asc, count, desc, eq, getTableColumns, ne, sql, type SQL } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { Db } from '../db/client.js';
import { containsText } from '../db/search.js';
import type { ColumnsOf, KeyedColumn, RowOf, ScopedTable } from './resource.model.js';

export interface ListSpec {
  where: (SQL | undefined)[];
  search?: { columns: SQLiteColumn[]; q: string } | undefined;
  order?: { column: SQLiteColumn; descending: boolean; keys?: KeyedColumn['keys'] | undefined } | undefined;
  limit: number;
  offset: number;
}

/**
 * The SQL of one resource table. Synchronous (better-sqlite3) so that a service composes it
 * inside one transaction. Every method that lists takes the tenant; `get` by id returns the
 * row whatever its tenant, and the service decides whether the caller may see it.
 */
export class ScopedRepo<T extends ScopedTable> {
  constructor(
    readonly db: Db,
    readonly table: T,
  ) {}

  list(tenantId: number, spec: ListSpec): { rows: RowOf<T>[]; total: number } {
    const t = this.table;
    const conds: (SQL | undefined)[] = [eq(t.tenantId, tenantId), ...spec.where];
    if (spec.search && spec.search.columns.length > 0) conds.push(containsText(spec.search.columns, spec.search.q));
    const where = and(...conds);
    const { order } = spec;
    const dir = order?.descending ? desc : asc;
    const rows = (
      order?.keys
        ? // The key table read in its order, each key's row joined (and its value compared: a key may outlive its value for a moment).
          this.db
            .select(getTableColumns(t as ScopedTable))
            .from(order.keys.key.table)
            .innerJoin(t as ScopedTable, and(eq(t.id, order.keys.rowId), eq(order.column, order.keys.key)))
            .where(and(eq(order.keys.tenantId, tenantId), where))
            .orderBy(dir(order.keys.key), dir(order.keys.rowId))
        : this.db
            .select()
            .from(t as ScopedTable)
            .where(where)
            .orderBy(...(order ? [dir(order.column), asc(t.id)] : [asc(t.id)]))
    )
      .limit(spec.limit)
      .offset(spec.offset)
      .all() as RowOf<T>[];
    const total = this.db.select({ n: count() }).from(t as ScopedTable).where(where).get()?.n ?? 0;
    return { rows, total };
  }

  /**
   * `all` and `get` are what the engines read on every call (a campaign, a route, a queue):
   * prepared once, so a read is SQLite's lookup and no query building.
   */
  private prepared: { all: { all(p: { tenantId: number }): unknown[] }; get: { get(p: { id: number }): unknown } } | null = null;

  private statements() {
    const t = this.table;
    return (this.prepared ??= {
      all: this.db.select().from(t as ScopedTable).where(eq(t.tenantId, sql.placeholder('tenantId'))).orderBy(asc(t.id)).prepare(),
      get: this.db.select().from(t as ScopedTable).where(eq(t.id, sql.placeholder('id'))).prepare(),
    });
  }

  all(tenantId: number): RowOf<T>[] {
    return this.statements().all.all({ tenantId }) as RowOf<T>[];
  }

  get(id: number): RowOf<T> | undefined {
    return this.statements().get.get({ id }) as RowOf<T> | undefined;
  }

  /** Another row of the tenant whose `column` equals `value` (for uniqueness checks). */
  findOther(tenantId: number, column: SQLiteColumn, value: unknown, exceptId?: number): RowOf<T> | undefined {
    const t = this.table;
    const conds = [eq(t.tenantId, tenantId), eq(column, value)];
    if (exceptId !== undefined) conds.push(ne(t.id, exceptId));
    return this.db.select().from(t as ScopedTable).where(and(...conds)).get() as RowOf<T> | undefined;
  }

  insert(tenantId: number, columns: ColumnsOf<T>, now: number): RowOf<T> {
    const values = { ...columns, tenantId, createdAt: now, updatedAt: now } as T['$inferInsert'];
    return this.db.insert(this.table).values(values).returning().get() as unknown as RowOf<T>;
  }

  update(id: number, columns: ColumnsOf<T>, now: number): RowOf<T> {
    const values = { ...columns, updatedAt: now } as Partial<T['$inferInsert']>;
    return this.db.update(this.table).set(values).where(eq(this.table.id, id)).returning().get() as unknown as RowOf<T>;
  }

  delete(id: number): void {
    this.db.delete(this.table).where(eq(this.table.id, id)).run();
  }
}
