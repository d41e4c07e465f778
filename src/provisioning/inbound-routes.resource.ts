/**
 * Rotas de entrada: a DID, and optionally a caller-id pattern, lead to a destination. The DID
 * decides which tenant owns a call, so a DID belongs to one tenant on the whole server, and
 * within it one route per caller-id pattern.
 */
import { and, eq, ne } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import { inboundRoutes } from '../db/schema/index.js';
import { RequiredText, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import { stamps } from './views.js';
import type { ResourceDef } from '../resources/index.js';
import { destinationFromColumns } from '../calls/index.js';
import { DestinationBody, DestinationView, destinationColumns, destinationOf, type DestinationViewT } from './destination.js';
import { checkPattern } from './dial-pattern.logic.js';
import { normaliseDid } from './telephony.logic.js';

export const InboundRouteBody = Type.Object(
  {
    name: RequiredText({ maxLength: 80 }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    did: Type.String({ minLength: 2, maxLength: 24, pattern: '^[+0-9 ()-]+$', description: 'the number called, e.g. 1133334444 (+55 and a leading 0 are removed)' }),
    cidPattern: Type.Optional(Type.String({ maxLength: 80, description: 'only callers matching this Asterisk pattern (e.g. _11.) or number; empty for every caller' })),
    destination: DestinationBody,
  },
  closed,
);
export type InboundRouteInput = Static<typeof InboundRouteBody>;

export const InboundRouteView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  did: Type.String(),
  cidPattern: Type.String(),
  destination: DestinationView,
  ...Timestamps,
});
export type InboundRouteViewT = Static<typeof InboundRouteView> & { destination: DestinationViewT };

export const inboundRouteDef: ResourceDef<typeof inboundRoutes, InboundRouteInput, InboundRouteViewT> = {
  label: 'inbound route',
  entity: 'inbound_route',
  table: inboundRoutes,
  search: [inboundRoutes.name, inboundRoutes.did],
  sortable: { name: inboundRoutes.name, did: inboundRoutes.did },
  toColumns(input, w) {
    const did = normaliseDid(input.did);
    if (did === null) throw invalidField('did', 'did: the DID has no digits');
    const cidPattern = (input.cidPattern ?? '').trim();
    if (cidPattern !== '') {
      const problem = checkPattern(cidPattern);
      if (problem) throw invalidField('cidPattern', `cidPattern: ${problem.message} (at position ${problem.position + 1})`);
    }
    const sameDid = w.db
      .select()
      .from(inboundRoutes)
      .where(and(eq(inboundRoutes.did, did), w.before ? ne(inboundRoutes.id, w.before.id) : undefined))
      .all();
    if (sameDid.some((r) => r.tenantId !== w.tenantId)) throw conflict(`DID ${did} is routed by another tenant on this server`, { field: 'did' });
    const clash = sameDid.find((r) => r.cidPattern === cidPattern);
    if (clash) {
      const said = cidPattern
        ? `DID ${did} with caller pattern ${cidPattern} is already routed by inbound route ${clash.name}`
        : `DID ${did} is already routed by inbound route ${clash.name}`;
      throw conflict(said, { field: 'did' });
    }
    return {
      name: input.name,
      description: input.description ?? '',
      did,
      cidPattern,
      ...destinationColumns(w.db, w.tenantId, input.destination, 'destination'),
    };
  },
  toInput: (row) => ({
    name: row.name,
    description: row.description,
    did: row.did,
    cidPattern: row.cidPattern,
    destination: destinationFromColumns(row),
  }),
  toView: (row, r) => ({
    name: row.name,
    description: row.description,
    did: row.did,
    cidPattern: row.cidPattern,
    destination: destinationOf(r.db, row.tenantId, row),
    ...stamps(row),
  }),
};
