import { eq, getTableColumns } from 'drizzle-orm';
import type { SQLiteColumn } from 'drizzle-orm/sqlite-core';
import type { AuditService } from '../audit/index.js';
import type { Database_ } from '../db/client.js';
import { tenants } from '../db/schema/index.js';
import type { Actor } from '../http/principal.js';
import { AppError, conflict, notFound, type Clock, type Logger } from '../kernel/index.js';
import type { ReferenceRegistry } from './references.js';
import type {
  ChangeAction,
  ChangeContext,
  ListQuery,
  Page,
  ReadContext,
  ColumnsOf,
  ResourceChange,
  ResourceDef,
  RowOf,
  ScopedTable,
  WriteContext,
} from './resource.model.js';
import { ScopedRepo, type ListSpec } from './resource.repo.js';

/** What every resource service shares; made once by the composition root. */
export interface ResourceContext {
  database: Database_;
  clock: Clock;
  audit: AuditService;
  references: ReferenceRegistry;
  changes: ChangeFeed;
}

/** Tells listeners (pending-config flags, the events socket) what changed, after it commits. */
export class ChangeFeed {
  private readonly listeners: ((c: ResourceChange) => void)[] = [];

  constructor(private readonly logger: Logger) {}

  subscribe(listener: (c: ResourceChange) => void): () => void {
    this.listeners.push(listener);
    return () => {
      const i = this.listeners.indexOf(listener);
      if (i >= 0) this.listeners.splice(i, 1);
    };
  }

  publish(change: ResourceChange): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(change);
      } catch (err) {
        // A listener's failure must not turn a committed change into an error for the client.
        this.logger.error({ err, change }, 'resource change listener failed');
      }
    }
  }
}

/** A change written inside a transaction, published once it commits. */
interface Written<V> {
  view: V;
  change: ResourceChange;
}

/** One item of a bulk save that was refused: its list (`op`), its index there, and why. */
export interface BulkRefusal {
  op: 'remove' | 'update' | 'create';
  index: number;
  /** The row's id (remove, update). */
  id: number | null;
  status: number;
  code: string;
  field: string | null;
  message: string;
}

/**
 * A bulk refusal as the bulk `PUT` answers it: `details.field` says where in the request body
 * the first refused item's field is (`create.3.text`, `update.0.patch.prefix`, `remove.2`), as
 * the request schema's own refusals do; `details.items` keep each item's field by itself.
 */
export function atBodyPath(e: unknown): unknown {
  if (!(e instanceof AppError) || !Array.isArray(e.details?.items)) return e;
  const first = (e.details.items as BulkRefusal[])[0];
  if (!first) return e;
  const field = first.field === null ? [] : first.op === 'update' ? ['patch', first.field] : [first.field];
  return new AppError(e.code, e.message, e.status, { ...e.details, field: [first.op, first.index, ...field].join('.') });
}

/** What `bulk` does, in this order: deletes, updates, creates. */
export interface BulkOps<TInput> {
  create?: TInput[];
  update?: { id: number; patch: Partial<TInput> }[];
  remove?: number[];
}

const visible = (actor: Actor, tenantId: number): boolean => actor.superUser || actor.tenantId === tenantId;

/** Keeps a patch's `undefined` fields from erasing the current values. */
function merge<T extends object>(current: T, patch: Partial<T>): T {
  const out = { ...current } as Record<string, unknown>;
  for (const [k, v] of Object.entries(patch)) if (v !== undefined) out[k] = v;
  return out as T;
}

/**
 * List, get, create, update and delete of one resource: tenant scope (another tenant's id is
 * 404), uniqueness, references that block a delete, every change audited in its transaction
 * and published after it commits. The definition holds the rules; this holds the mechanism.
 */
export class ResourceService<T extends ScopedTable, TInput extends object, TView> {
  readonly repo: ScopedRepo<T>;
  /** The unique fields, each with its column and the column's key in what `toColumns` returns. */
  private readonly unique: { field: string; column: SQLiteColumn; key: string }[];

  constructor(
    readonly def: ResourceDef<T, TInput, TView>,
    private readonly ctx: ResourceContext,
  ) {
    this.repo = new ScopedRepo(ctx.database.db, def.table);
    const columns = Object.entries(getTableColumns(def.table));
    this.unique = Object.entries(def.unique ?? {}).map(([field, column]) => ({ field, column, key: columns.find(([, c]) => c === column)![0] }));
  }

  private get read(): ReadContext {
    return { db: this.ctx.database.db };
  }

  private tx<R>(fn: () => R): R {
    return this.ctx.database.sqlite.transaction(fn)();
  }

  list(tenantId: number, query: ListQuery): Page<TView> {
    const { def } = this;
    let order: ListSpec['order'];
    if (query.sort) {
      const descending = query.sort.startsWith('-');
      const sorted = def.sortable?.[descending ? query.sort.slice(1) : query.sort];
      if (sorted) order = 'keys' in sorted ? { column: sorted.column, keys: sorted.keys, descending } : { column: sorted, descending };
    }
    const { rows, total } = this.repo.list(tenantId, {
      where: def.filter?.(query, tenantId) ?? [],
      search: query.q && def.search ? { columns: def.search, q: query.q } : undefined,
      order,
      limit: query.limit,
      offset: query.offset,
    });
    return { items: rows.map((r) => def.toView(r, this.read)), total, limit: query.limit, offset: query.offset };
  }

  /** Every row of a tenant, for engines and config generation (not paged). */
  rows(tenantId: number): RowOf<T>[] {
    return this.repo.all(tenantId);
  }

  /** The row if it exists and belongs to `tenantId`. */
  row(tenantId: number, id: number): RowOf<T> | undefined {
    const row = this.repo.get(id);
    return row && row.tenantId === tenantId ? row : undefined;
  }

  get(actor: Actor, id: number): TView {
    return this.def.toView(this.visibleRow(actor, id), this.read);
  }

  create(change: ChangeContext, tenantId: number, input: TInput): TView {
    return this.committed(() => [this.createIn(change, tenantId, input)])[0]!.view;
  }

  update(change: ChangeContext, id: number, patch: Partial<TInput>): TView {
    return this.committed(() => [this.updateIn(change, id, patch)])[0]!.view;
  }

  /** `options` are the delete's query (e.g. a confirmation), handed to `beforeDelete`. */
  remove(change: ChangeContext, id: number, options: Record<string, unknown> = {}): void {
    this.committed(() => [this.removeIn(change, id, options)]);
  }

  /**
   * Several creates, updates and deletes of one tenant as one change (a bulk save of a list
   * the admin edited in place): all are checked and written, or none; then all are published.
   * Every item is tried (each in its own savepoint), so that a refusal lists every refused item
   * (`details.items`: which operation, its index in that list, the field and why), not only the
   * first; the first one's code, status, message and field are the refusal's own.
   * Returns the views of the rows created and updated.
   */
  bulk(change: ChangeContext, tenantId: number, ops: BulkOps<TInput>): TView[] {
    const written = this.committed(() => {
      const out: Written<TView | undefined>[] = [];
      const refused: BulkRefusal[] = [];
      const attempt = (op: BulkRefusal['op'], index: number, id: number | null, write: () => Written<TView | undefined>) => {
        try {
          out.push(this.tx(write));
        } catch (e) {
          if (!(e instanceof AppError) || e.status >= 500) throw e;
          const field = e.details?.field;
          refused.push({ op, index, id, status: e.status, code: e.code, field: typeof field === 'string' ? field : null, message: e.message });
        }
      };
      const own = (id: number) => {
        const row = this.repo.get(id);
        if (!row || row.tenantId !== tenantId) throw notFound(this.def.label);
      };
      (ops.remove ?? []).forEach((id, i) => attempt('remove', i, id, () => (own(id), this.removeIn(change, id, {}))));
      (ops.update ?? []).forEach(({ id, patch }, i) => attempt('update', i, id, () => (own(id), this.updateIn(change, id, patch))));
      (ops.create ?? []).forEach((input, i) => attempt('create', i, null, () => this.createIn(change, tenantId, input)));
      const first = refused[0];
      if (first) {
        const { op, message } = first;
        const n = first.index + 1;
        const said = refused.length > 1 ? `${op} ${n}: ${message} (and ${refused.length - 1} more; nothing was saved)` : `${op} ${n}: ${message}; nothing was saved`;
        throw new AppError(first.code, said, first.status, { field: first.field ?? '', items: refused });
      }
      return out;
    });
    return written.flatMap((w) => (w.view === undefined ? [] : [w.view]));
  }

  /** Runs `fn` in one transaction; what it wrote is published only once that has committed. */
  private committed<V>(fn: () => Written<V>[]): Written<V>[] {
    const written = this.tx(fn);
    for (const w of written) this.ctx.changes.publish(w.change);
    return written;
  }

  private createIn(change: ChangeContext, tenantId: number, input: TInput): Written<TView> {
    if (!this.ctx.database.db.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId)).get()) {
      throw notFound('tenant');
    }
    const w = this.writeContext(tenantId);
    const columns = this.def.toColumns(input, w);
    this.checkUnique(tenantId, columns);
    const row = this.repo.insert(tenantId, columns, w.now);
    this.def.afterWrite?.(row, input, w);
    const view = this.def.toView(this.repo.get(row.id)!, this.read);
    this.audit(change, tenantId, row.id, 'create', null, view);
    return { view: { ...view, ...this.def.revealOnCreate?.(row) }, change: { tenantId, entity: this.def.entity, id: row.id, action: 'create' } };
  }

  private updateIn(change: ChangeContext, id: number, patch: Partial<TInput>): Written<TView> {
    const before = this.visibleRow(change.actor, id);
    const w = this.writeContext(before.tenantId, before);
    const input = merge(this.def.toInput(before, this.read), patch);
    const columns = this.def.toColumns(input, w);
    this.checkUnique(before.tenantId, columns, id);
    const row = this.repo.update(id, columns, w.now);
    this.def.afterWrite?.(row, input, w);
    const view = this.def.toView(this.repo.get(id)!, this.read);
    this.audit(change, before.tenantId, id, 'update', this.def.toView(before, this.read), view);
    return { view, change: { tenantId: before.tenantId, entity: this.def.entity, id, action: 'update' } };
  }

  private removeIn(change: ChangeContext, id: number, options: Record<string, unknown>): Written<undefined> {
    const row = this.visibleRow(change.actor, id);
    const referrers = this.ctx.references.referrersOf(this.def.entity, row.tenantId, id);
    if (referrers.length > 0) {
      const names = referrers.map((r) => `${r.entity} ${r.name}`).join(', ');
      throw conflict(`the ${this.def.label} is in use by ${names}; change those first`, { field: 'id', referrers });
    }
    this.def.beforeDelete?.(row, this.writeContext(row.tenantId, row), options);
    const before = this.def.toView(row, this.read);
    this.repo.delete(id);
    this.audit(change, row.tenantId, id, 'delete', before, null);
    return { view: undefined, change: { tenantId: row.tenantId, entity: this.def.entity, id, action: 'delete' } };
  }

  private visibleRow(actor: Actor, id: number): RowOf<T> {
    const row = this.repo.get(id);
    if (!row || !visible(actor, row.tenantId)) throw notFound(this.def.label);
    return row;
  }

  private writeContext(tenantId: number, before?: RowOf<T>): WriteContext<T> {
    return { db: this.ctx.database.db, tenantId, now: this.ctx.clock.now(), ...(before ? { before } : {}) };
  }

  /** Checked on the values as they are stored (a name trimmed, a number normalised), not as they were given. */
  private checkUnique(tenantId: number, columns: ColumnsOf<T>, exceptId?: number): void {
    for (const { field, column, key } of this.unique) {
      const value = (columns as Record<string, unknown>)[key];
      if (value === undefined || value === null) continue;
      if (this.repo.findOther(tenantId, column, value, exceptId)) {
        throw conflict(`a ${this.def.label} with ${field} "${String(value)}" already exists`, { field });
      }
    }
  }

  private audit(change: ChangeContext, tenantId: number, id: number, action: ChangeAction, before: unknown, after: unknown): void {
    this.ctx.audit.record({
      tenantId,
      actor: change.actor.userId > 0 ? { userId: change.actor.userId, login: change.actor.login } : null,
      entity: this.def.entity,
      entityId: id,
      action,
      before,
      after,
      ip: change.ip,
      requestId: change.requestId,
    });
  }
}
