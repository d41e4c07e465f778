/**
 * Where a call goes: the one destination type of everything that routes a call — inbound
 * routes, IVR options, time conditions' open/closed/holiday exits, announcements' "then",
 * queues' overflow. Pure and without imports (the browser shares it). It lives with the calls
 * engine because every module that routes, and the runner of destinations, sits above it; the
 * API's schema is in ./destination.ts, the checks against a tenant's rows in
 * src/provisioning/destination.ts.
 */
export const DESTINATION_KINDS = ['ivr', 'queue', 'extension', 'time_condition', 'announcement', 'conference', 'external', 'voicemail', 'hangup'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** Kinds that point at a row of another resource by id. */
export type RowDestinationKind = Exclude<DestinationKind, 'external' | 'hangup'>;
export const ROW_DESTINATION_KINDS = DESTINATION_KINDS.filter((k): k is RowDestinationKind => k !== 'external' && k !== 'hangup');

export type Destination =
  | { kind: RowDestinationKind; id: number }
  /** A number on the public network, dialled through the outbound routes as an extension would dial it. */
  | { kind: 'external'; number: string }
  /** Hang up with a Q.850 cause (default 16, normal clearing). */
  | { kind: 'hangup'; cause?: number };

/** The entity under which each kind's rows are audited and deleted (what referrers are registered for). */
export const ENTITY_OF_KIND: Readonly<Record<RowDestinationKind, string>> = {
  ivr: 'ivr',
  queue: 'queue',
  extension: 'extension',
  time_condition: 'time_condition',
  announcement: 'announcement',
  conference: 'conference',
  voicemail: 'voicemail_box',
};

const ROW_KINDS: ReadonlySet<string> = new Set(ROW_DESTINATION_KINDS);
export const isRowDestination = (d: Destination): d is Extract<Destination, { kind: RowDestinationKind }> => ROW_KINDS.has(d.kind);

/** `ivr 3`, `external 011…`, `hangup 16`: how logs, traces and reports name a destination. */
export function describeDestination(d: Destination): string {
  switch (d.kind) {
    case 'external':
      return `${d.kind} ${d.number}`;
    case 'hangup':
      return `hangup ${d.cause ?? 16}`;
    default:
      return `${d.kind} ${d.id}`;
  }
}

export const sameDestination = (a: Destination, b: Destination): boolean => describeDestination(a) === describeDestination(b);

/** How tables with a destination store it (four columns). */
export interface DestinationColumns {
  destKind: DestinationKind;
  destId: number | null;
  destNumber: string | null;
  destCause: number | null;
}

/** The four columns as a table reads them back (a table may type the kind as plain text). */
export type StoredDestination = Omit<DestinationColumns, 'destKind'> & { destKind: string };

export function destinationColumns(d: Destination): DestinationColumns {
  if (d.kind === 'external') return { destKind: 'external', destId: null, destNumber: d.number, destCause: null };
  if (d.kind === 'hangup') return { destKind: 'hangup', destId: null, destNumber: null, destCause: d.cause ?? 16 };
  return { destKind: d.kind, destId: d.id, destNumber: null, destCause: null };
}

/** The destination four columns store (a row kind without its id, which the checks never let in, hangs up). */
export function destinationFromColumns(c: StoredDestination): Destination {
  if (c.destKind === 'external' && c.destNumber !== null) return { kind: 'external', number: c.destNumber };
  if (ROW_KINDS.has(c.destKind) && c.destId !== null) return { kind: c.destKind as RowDestinationKind, id: c.destId };
  return { kind: 'hangup', cause: c.destCause ?? 16 };
}
