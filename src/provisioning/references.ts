/**
 * Who points at what among the telephony resources, so that a delete is refused with the list
 * of referrers: destinations of inbound routes and announcements at any row a destination may
 * name (extensions, announcements, conferences, IVRs, time conditions, voicemail boxes,
 * queues); outbound routes at trunks, E1 groups, time conditions and (restricted rules)
 * extensions; MOH classes and announcements at prompts.
 */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { announcements, e1Spans, extensions, inboundRoutes, mohClasses } from '../db/schema/index.js';
import type { ReferenceRegistry } from '../resources/index.js';
import { registerDestinationReferrers } from './destination.js';
import { routesRestrictedTo, routesTimedBy, routesUsing } from './outbound-routes.resource.js';

export function registerReferences(registry: ReferenceRegistry, db: Db): void {
  registerDestinationReferrers(registry, db, inboundRoutes, 'inbound_route', (r) => `${r.name} (DID ${r.did})`);
  registerDestinationReferrers(registry, db, announcements, 'announcement', (a) => a.name);
  registry.add('extension', (tenantId, id) => {
    const ext = db.select().from(extensions).where(eq(extensions.id, id)).get();
    return ext ? routesRestrictedTo(db, tenantId, ext.number).map((r) => ({ entity: 'outbound_route', id: r.id, name: r.name })) : [];
  });
  registry.add('time_condition', (tenantId, id) => routesTimedBy(db, tenantId, id).map((r) => ({ entity: 'outbound_route', id: r.id, name: r.name })));
  registry.add('sip_trunk', (tenantId, id) => routesUsing(db, tenantId, { trunkId: id }).map((r) => ({ entity: 'outbound_route', id: r.id, name: r.name })));
  registry.add('e1_span', (tenantId, id) => {
    const span = db.select().from(e1Spans).where(eq(e1Spans.id, id)).get();
    if (!span) return [];
    const sameGroup = db
      .select()
      .from(e1Spans)
      .where(and(eq(e1Spans.tenantId, tenantId), eq(e1Spans.channelGroup, span.channelGroup)))
      .all();
    // Another span still serves the group: the routes dialling it keep working.
    if (sameGroup.length > 1) return [];
    return routesUsing(db, tenantId, { e1Group: span.channelGroup }).map((r) => ({ entity: 'outbound_route', id: r.id, name: r.name }));
  });
  registry.add('prompt', (tenantId, id) => [
    ...db
      .select()
      .from(mohClasses)
      .where(eq(mohClasses.tenantId, tenantId))
      .all()
      .filter((c) => c.promptIds.includes(id))
      .map((c) => ({ entity: 'moh_class', id: c.id, name: c.name })),
    ...db
      .select()
      .from(announcements)
      .where(eq(announcements.tenantId, tenantId))
      .all()
      .filter((a) => a.promptIds.includes(id))
      .map((a) => ({ entity: 'announcement', id: a.id, name: a.name })),
  ]);
}
