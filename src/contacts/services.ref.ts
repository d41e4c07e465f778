import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { queues, shortcuts } from '../db/schema/index.js';
import { invalidField } from '../kernel/index.js';

/**
 * The services (queues) the CRM's settings name — where a shortcut or a tag is offered, where a
 * status transfers to — must be the tenant's own. `field` names the request field; a list's
 * refusal names the item (`serviceIds.2`).
 */
export function checkServices(db: Db, tenantId: number, field: string, ids: readonly number[], list = false): void {
  if (ids.length === 0) return;
  const found = new Set(
    db
      .select({ id: queues.id })
      .from(queues)
      .where(and(eq(queues.tenantId, tenantId), inArray(queues.id, [...ids])))
      .all()
      .map((q) => q.id),
  );
  const i = ids.findIndex((id) => !found.has(id));
  if (i >= 0) throw noService(list ? `${field}.${i}` : field, ids[i]!);
}

const noService = (field: string, id: number) => invalidField(field, `${field}: there is no service (queue) ${id} in this tenant`);

/** The contact book a service (queue) looks its callers up in and creates them in; null: the tenant's default. */
export function bookOfService(db: Db, tenantId: number, serviceId: number): number | null {
  return serviceRow(db, tenantId, serviceId)?.bookId ?? null;
}

/** As `bookOfService`, for a service the request names (`field`): one that is not the tenant's is refused there. */
export function bookOfNamedService(db: Db, tenantId: number, serviceId: number, field: string): number | null {
  const row = serviceRow(db, tenantId, serviceId);
  if (!row) throw noService(field, serviceId);
  return row.bookId;
}

const serviceRow = (db: Db, tenantId: number, serviceId: number) =>
  db.select({ bookId: queues.contactBookId }).from(queues).where(and(eq(queues.tenantId, tenantId), eq(queues.id, serviceId))).get();

/** Shortcuts offered only in a service keep it from being deleted. */
export const shortcutsOfService =
  (db: Db) =>
  (tenantId: number, queueId: number): { entity: string; id: number; name: string }[] =>
    db
      .select({ id: shortcuts.id, prefix: shortcuts.prefix })
      .from(shortcuts)
      .where(and(eq(shortcuts.tenantId, tenantId), eq(shortcuts.serviceId, queueId)))
      .all()
      .map((s) => ({ entity: 'shortcut', id: s.id, name: `/${s.prefix}` }));
