/**
 * The checks and labels of the one destination type (src/calls/destination.model.ts) against a
 * tenant's rows, for every kind: extensions, announcements and conferences (provisioning's),
 * IVRs, time conditions and voicemail boxes (call flows'), queues (the ACD's). Every resource
 * that routes a call — inbound routes, announcements, IVR options, time conditions — checks
 * its destinations here, so a kind is accepted or refused the same way everywhere. Who points
 * at a row is registered in src/provisioning/references.ts (and by flows for its own rows), so
 * that deleting the target is refused with the list of referrers.
 */
import { and, eq } from 'drizzle-orm';
import {
  ENTITY_OF_KIND,
  describeLoop,
  destinationColumns as columnsOf,
  destinationFromColumns,
  isRowDestination,
  parseDestination,
  sameDestination,
  silentLoopThrough,
  type Destination,
  type DestinationColumns,
  type StoredDestination,
  type DestinationInput,
  type DestinationViewT,
  type RowDestinationKind,
} from '../calls/index.js';
import type { Db } from '../db/client.js';
import { announcements, conferences, extensions, ivrs, queues, timeConditions, voicemailBoxes, type inboundRoutes } from '../db/schema/index.js';
import { invalidField } from '../kernel/index.js';
import type { ReferenceRegistry } from '../resources/index.js';

export { DestinationBody, DestinationView, type DestinationInput, type DestinationViewT } from '../calls/index.js';

type Target = { table: typeof extensions | typeof announcements | typeof conferences | typeof ivrs | typeof timeConditions | typeof voicemailBoxes | typeof queues; noun: string; label: (r: Record<string, unknown>) => string };

const named = (noun: string) => (r: Record<string, unknown>) => `${noun} ${String(r.name)}`;
const numbered = (noun: string) => (r: Record<string, unknown>) => `${noun} ${String(r.number)} (${String(r.name)})`;

const TARGETS: Record<RowDestinationKind, Target> = {
  extension: { table: extensions, noun: 'extension', label: (r) => `extension ${String(r.number)} (${String(r.displayName)})` },
  announcement: { table: announcements, noun: 'announcement', label: named('announcement') },
  conference: { table: conferences, noun: 'conference', label: numbered('conference') },
  ivr: { table: ivrs, noun: 'IVR', label: named('IVR') },
  time_condition: { table: timeConditions, noun: 'time condition', label: named('time condition') },
  voicemail: { table: voicemailBoxes, noun: 'voicemail box', label: named('voicemail box') },
  queue: { table: queues, noun: 'queue', label: numbered('queue') },
};

function targetRow(db: Db, kind: RowDestinationKind, tenantId: number, id: number): Record<string, unknown> | undefined {
  const t = TARGETS[kind].table;
  return db.select().from(t).where(and(eq(t.id, id), eq(t.tenantId, tenantId))).get();
}

/**
 * Throws a 400 naming `${field}.id` when the row a destination names is not the tenant's.
 * `field` is where the destination sits in the body (`destination`, `openDestination`…).
 */
export function checkDestination(db: Db, tenantId: number, d: Destination, field: string): void {
  if (!isRowDestination(d)) return;
  if (!targetRow(db, d.kind, tenantId, d.id)) throw invalidField(`${field}.id`, `${field}.id: there is no ${TARGETS[d.kind].noun} ${d.id} in this tenant`);
}

/** An input checked within a tenant, as stored in four columns. */
export function destinationColumns(db: Db, tenantId: number, input: DestinationInput, field: string): DestinationColumns {
  const d = parseDestination(input, field);
  checkDestination(db, tenantId, d, field);
  return columnsOf(d);
}

/** What the admin calls a destination: `IVR Atendimento`, `extension 1001 (Ana)`, `hang up (cause 16)`. */
function destinationLabel(db: Db, tenantId: number, d: Destination): string {
  if (d.kind === 'external') return `external number ${d.number}`;
  if (d.kind === 'hangup') return `hang up (cause ${d.cause ?? 16})`;
  const row = targetRow(db, d.kind, tenantId, d.id);
  return row ? TARGETS[d.kind].label(row) : `${TARGETS[d.kind].noun} ${d.id}`;
}

/** The destination of a row, as the API shows it. */
export function destinationOf(db: Db, tenantId: number, c: StoredDestination): DestinationViewT {
  const d = destinationFromColumns(c);
  return { ...d, label: destinationLabel(db, tenantId, d) };
}

/** The resources that keep their destination in the four columns (`dest_kind`, `dest_id`…). */
type DestinationTable = typeof inboundRoutes | typeof announcements | typeof queues;

/**
 * Registers `entity`'s rows (of `table`) as referrers of whatever row their destination names,
 * for every kind, so that deleting that row is refused with their list; `name` is how a
 * referrer is listed.
 */
export function registerDestinationReferrers<T extends DestinationTable>(
  registry: ReferenceRegistry,
  db: Db,
  table: T,
  entity: string,
  name: (row: T['$inferSelect']) => string,
): void {
  const t = table as DestinationTable;
  for (const [kind, target] of Object.entries(ENTITY_OF_KIND) as [RowDestinationKind, string][]) {
    registry.add(target, (tenantId, id) =>
      (db.select().from(t).where(and(eq(t.tenantId, tenantId), eq(t.destKind, kind), eq(t.destId, id))).all() as T['$inferSelect'][]).map((r) => ({
        entity,
        id: r.id,
        name: name(r),
      })),
    );
  }
}

/**
 * Destinations as the call-flow resources check and describe them, plus where a caller who
 * presses nothing goes on from each row (the owners register that), for the loop check at save.
 */
export class Destinations {
  private readonly exits = new Map<RowDestinationKind, (tenantId: number, id: number) => Destination[]>();

  constructor(private readonly db: Db) {}

  check(tenantId: number, d: Destination, field: string): void {
    checkDestination(this.db, tenantId, d, field);
  }

  /** `exits` tells where a row of `kind` sends a caller who does nothing (IVR timeouts, a time condition's exits, an announcement's "then"). */
  registerSilentExits(kind: RowDestinationKind, exits: (tenantId: number, id: number) => Destination[]): void {
    this.exits.set(kind, exits);
  }

  silentExits(tenantId: number, d: Destination): Destination[] {
    return isRowDestination(d) ? (this.exits.get(d.kind)?.(tenantId, d.id) ?? []) : [];
  }

  /**
   * The one loop check of every save that sets where a row sends a caller who does nothing
   * (IVRs, time conditions, announcements, queues' overflow): refused with a 400 naming `field`
   * when, with `self` sending such a caller to `exits`, the caller would come back to `self`.
   * Only on update: nothing can point at a row that does not exist yet.
   */
  checkNoSilentLoop(tenantId: number, self: Destination, exits: Destination[], field: string): void {
    const loop = silentLoopThrough(self, (d) => (sameDestination(d, self) ? exits : this.silentExits(tenantId, d)));
    if (loop) throw invalidField(field, `${field}: a caller who presses nothing would go round ${describeLoop(loop)} forever`);
  }
}
