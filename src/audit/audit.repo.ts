import { and, asc, count, desc, eq, gte, isNotNull, lt, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { auditLog } from '../db/schema/index.js';
import type { AuditFacets, AuditFilter } from './audit.model.js';

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = typeof auditLog.$inferInsert;

/** SQL for the audit log. Synchronous so that callers can write inside their own transaction. */
export class AuditRepo {
  constructor(private readonly db: Db) {}

  insert(row: NewAuditRow): number {
    return this.db.insert(auditLog).values(row).returning({ id: auditLog.id }).get().id;
  }

  private where(tenantId: number, f: AuditFilter): SQL | undefined {
    const conds: (SQL | undefined)[] = [eq(auditLog.tenantId, tenantId)];
    if (f.entity !== undefined) conds.push(eq(auditLog.entity, f.entity));
    if (f.entityId !== undefined) conds.push(eq(auditLog.entityId, f.entityId));
    if (f.actorUserId !== undefined) conds.push(eq(auditLog.actorUserId, f.actorUserId));
    if (f.action !== undefined) conds.push(eq(auditLog.action, f.action));
    if (f.from !== undefined) conds.push(gte(auditLog.at, f.from));
    if (f.to !== undefined) conds.push(lt(auditLog.at, f.to));
    return and(...conds);
  }

  list(tenantId: number, f: AuditFilter, limit: number, offset: number): { rows: AuditRow[]; total: number } {
    const where = this.where(tenantId, f);
    const rows = this.db
      .select()
      .from(auditLog)
      .where(where)
      .orderBy(...(f.oldestFirst ? [asc(auditLog.at), asc(auditLog.id)] : [desc(auditLog.at), desc(auditLog.id)]))
      .limit(limit)
      .offset(offset)
      .all();
    const total = this.db.select({ n: count() }).from(auditLog).where(where).get()?.n ?? 0;
    return { rows, total };
  }

  facets(tenantId: number): AuditFacets {
    const where = eq(auditLog.tenantId, tenantId);
    const entities = this.db.selectDistinct({ v: auditLog.entity }).from(auditLog).where(where).orderBy(asc(auditLog.entity)).all();
    const actions = this.db.selectDistinct({ v: auditLog.action }).from(auditLog).where(where).orderBy(asc(auditLog.action)).all();
    const actors = this.db
      .selectDistinct({ userId: auditLog.actorUserId, login: auditLog.actorLogin })
      .from(auditLog)
      .where(and(where, isNotNull(auditLog.actorUserId)))
      .orderBy(asc(auditLog.actorLogin))
      .all();
    return {
      entities: entities.map((r) => r.v),
      actions: actions.map((r) => r.v),
      actors: actors.map((r) => ({ userId: r.userId!, login: r.login ?? '' })),
    };
  }

  get(id: number): AuditRow | undefined {
    return this.db.select().from(auditLog).where(eq(auditLog.id, id)).get();
  }
}
