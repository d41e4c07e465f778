import type { Database_ } from '../db/client.js';
import type { Clock } from '../kernel/index.js';
import { snapshot } from './audit.logic.js';
import type { AuditEntry, AuditFacets, AuditFilter, AuditRecord } from './audit.model.js';
import { AuditRepo, type AuditRow } from './audit.repo.js';

export const toAuditRecord = (r: AuditRow): AuditRecord => ({
  id: r.id,
  tenantId: r.tenantId,
  actorUserId: r.actorUserId,
  actorLogin: r.actorLogin,
  entity: r.entity,
  entityId: r.entityId,
  action: r.action,
  before: r.before ?? null,
  after: r.after ?? null,
  at: new Date(r.at).toISOString(),
  ip: r.ip,
  requestId: r.requestId,
});

/**
 * Writes and reads the audit log. `record` is synchronous: call it inside the same
 * better-sqlite3 transaction as the change it describes, so both commit or neither does.
 */
export class AuditService {
  private readonly repo: AuditRepo;

  constructor(
    database: Pick<Database_, 'db'>,
    private readonly clock: Clock,
  ) {
    this.repo = new AuditRepo(database.db);
  }

  record(e: AuditEntry): number {
    return this.repo.insert({
      tenantId: e.tenantId,
      actorUserId: e.actor?.userId ?? null,
      actorLogin: e.actor?.login ?? null,
      entity: e.entity,
      entityId: String(e.entityId),
      action: e.action,
      before: snapshot(e.before),
      after: snapshot(e.after),
      at: this.clock.now(),
      ip: e.ip ?? null,
      requestId: e.requestId ?? null,
    });
  }

  list(tenantId: number, filter: AuditFilter, limit: number, offset: number): { items: AuditRecord[]; total: number } {
    const { rows, total } = this.repo.list(tenantId, filter, limit, offset);
    return { items: rows.map(toAuditRecord), total };
  }

  facets(tenantId: number): AuditFacets {
    return this.repo.facets(tenantId);
  }

  /** One record, or undefined when it does not exist or `tenantId` (if given) does not own it. */
  get(id: number, tenantId: number | 'any'): AuditRecord | undefined {
    const row = this.repo.get(id);
    if (!row || (tenantId !== 'any' && row.tenantId !== tenantId)) return undefined;
    return toAuditRecord(row);
  }
}
