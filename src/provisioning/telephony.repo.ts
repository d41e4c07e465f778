/** The queries provisioning needs beyond one resource's rows: across tables and tenants. */
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { conferences, e1Spans, extensions, inboundRoutes, mohClasses, sipTrunks, tenants } from '../db/schema/index.js';

export class TelephonyRepo {
  constructor(private readonly db: Db) {}

  /** Tenants that have anything Asterisk must know (extensions, trunks, spans, MOH classes). */
  tenantsWithConfig(): number[] {
    const ids = new Set<number>();
    for (const t of [extensions, sipTrunks, e1Spans, mohClasses]) {
      for (const r of this.db.selectDistinct({ tenantId: t.tenantId }).from(t).all()) ids.add(r.tenantId);
    }
    return [...ids].sort((a, b) => a - b);
  }

  tenant(id: number): { id: number; legalName: string; ddd: string | null; active: boolean } | undefined {
    return this.db.select({ id: tenants.id, legalName: tenants.legalName, ddd: tenants.ddd, active: tenants.active }).from(tenants).where(eq(tenants.id, id)).get();
  }

  extensionBySipUser(sipUser: string) {
    return this.db.select().from(extensions).where(eq(extensions.sipUser, sipUser)).get();
  }

  trunkByName(name: string) {
    return this.db.select().from(sipTrunks).where(eq(sipTrunks.name, name)).get();
  }

  trunkById(tenantId: number, id: number) {
    return this.db.select().from(sipTrunks).where(and(eq(sipTrunks.id, id), eq(sipTrunks.tenantId, tenantId))).get();
  }

  span(span: number) {
    return this.db.select().from(e1Spans).where(eq(e1Spans.span, span)).get();
  }

  /** The spans of a DAHDI channel group (groups are the server's, like the cards). */
  spansOfGroup(group: number) {
    return this.db.select().from(e1Spans).where(eq(e1Spans.channelGroup, group)).all();
  }

  /** Every inbound route of the server (the DID decides the tenant). */
  inboundRoutes() {
    return this.db.select().from(inboundRoutes).all();
  }

  conference(id: number) {
    return this.db.select().from(conferences).where(eq(conferences.id, id)).get();
  }
}
