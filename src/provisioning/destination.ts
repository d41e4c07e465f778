/**
 * The one destination type of everything that routes a call: an inbound route, an
 * announcement when it ends (and later IVR options, time conditions, queues). It is stored as
 * four columns (kind, id, number, cause); rows that point at another row register it as a
 * referrer, so that deleting the target is refused with the list of who points at it.
 */
import { and, eq } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../db/client.js';
import { announcements, conferences, extensions, queues } from '../db/schema/index.js';
import { Id, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';

export const DESTINATION_KINDS = ['extension', 'announcement', 'conference', 'external', 'hangup', 'ivr', 'queue', 'time_condition', 'voicemail'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** Kinds whose module has not landed: declared and validated, but refused until then. */
const NOT_YET: Partial<Record<DestinationKind, string>> = {
  ivr: 'IVR (URA) destinations arrive with the call-flows module, which is not installed yet',
  time_condition: 'time-condition destinations arrive with the call-flows module, which is not installed yet',
  voicemail: 'voicemail destinations arrive with the call-flows module, which is not installed yet',
};

export const DestinationBody = Type.Object(
  {
    kind: Type.Union(DESTINATION_KINDS.map((k) => Type.Literal(k))),
    /** The row it names: extension, announcement, conference, queue (and IVR, time condition, voicemail box). */
    id: Type.Optional(Id),
    /** For `external`: the number to call, as it would be dialled from an extension. */
    number: Type.Optional(Type.String({ minLength: 2, maxLength: 40, pattern: '^[0-9+*#]+$' })),
    /** For `hangup`: the Q.850 cause (default 16, normal clearing). */
    cause: Type.Optional(Type.Integer({ minimum: 1, maximum: 127 })),
  },
  { ...closed, description: 'Where a call goes: extension, announcement, conference, queue, external number, hang up (IVR, time condition, voicemail: later modules)' },
);
export type Destination = Static<typeof DestinationBody>;

export const DestinationView = Type.Object({
  kind: Type.String(),
  id: Type.Optional(Type.Integer()),
  number: Type.Optional(Type.String()),
  cause: Type.Optional(Type.Integer()),
  /** What the admin calls the target (extension number and name, announcement name…). */
  label: Type.String(),
});
export type DestinationViewT = Static<typeof DestinationView>;

export interface DestinationColumns {
  destKind: DestinationKind;
  destId: number | null;
  destNumber: string | null;
  destCause: number | null;
}

const targets = {
  extension: { table: extensions, label: (r: { number: string; displayName: string }) => `extension ${r.number} (${r.displayName})` },
  announcement: { table: announcements, label: (r: { name: string }) => `announcement ${r.name}` },
  conference: { table: conferences, label: (r: { number: string; name: string }) => `conference ${r.number} (${r.name})` },
  queue: { table: queues, label: (r: { number: string; name: string }) => `queue ${r.number} (${r.name})` },
} as const;

type TargetKind = keyof typeof targets;
const isTarget = (k: string): k is TargetKind => k in targets;

function targetRow(db: Db, kind: TargetKind, tenantId: number, id: number): Record<string, unknown> | undefined {
  const t = targets[kind].table;
  return db.select().from(t).where(and(eq(t.id, id), eq(t.tenantId, tenantId))).get();
}

/** Checks a destination within a tenant and returns its columns; `field` prefixes the error (e.g. `destination`). */
export function destinationColumns(db: Db, tenantId: number, d: Destination, field: string): DestinationColumns {
  const notYet = NOT_YET[d.kind];
  if (notYet) throw invalidField(`${field}.kind`, `${field}.kind ${d.kind}: ${notYet}`);
  if (isTarget(d.kind)) {
    if (d.id === undefined) throw invalidField(`${field}.id`, `${field}.id: which ${d.kind} the call goes to is required`);
    if (!targetRow(db, d.kind, tenantId, d.id)) throw invalidField(`${field}.id`, `${field}.id: there is no ${d.kind} ${d.id} in this tenant`);
    return { destKind: d.kind, destId: d.id, destNumber: null, destCause: null };
  }
  if (d.kind === 'external') {
    if (d.number === undefined) throw invalidField(`${field}.number`, `${field}.number: the external number is required`);
    return { destKind: 'external', destId: null, destNumber: d.number, destCause: null };
  }
  return { destKind: 'hangup', destId: null, destNumber: null, destCause: d.cause ?? 16 };
}

/** The destination of a row, as the API shows it. */
export function destinationOf(db: Db, tenantId: number, c: DestinationColumns): DestinationViewT {
  if (isTarget(c.destKind) && c.destId !== null) {
    const row = targetRow(db, c.destKind, tenantId, c.destId);
    const label = row ? (targets[c.destKind].label as (r: Record<string, unknown>) => string)(row) : `${c.destKind} ${c.destId}`;
    return { kind: c.destKind, id: c.destId, label };
  }
  if (c.destKind === 'external') return { kind: 'external', number: c.destNumber ?? '', label: `external number ${c.destNumber ?? ''}` };
  if (c.destKind === 'hangup') return { kind: 'hangup', cause: c.destCause ?? 16, label: `hang up (cause ${c.destCause ?? 16})` };
  return { kind: c.destKind, ...(c.destId !== null ? { id: c.destId } : {}), label: c.destKind };
}

/** The same destination as an input (for merging a patch over the current row). */
export function destinationInput(c: DestinationColumns): Destination {
  if (c.destKind === 'external') return { kind: 'external', number: c.destNumber ?? '' };
  if (c.destKind === 'hangup') return { kind: 'hangup', cause: c.destCause ?? 16 };
  return { kind: c.destKind, ...(c.destId !== null ? { id: c.destId } : {}) };
}
