/**
 * Where a call goes next. Everything that routes (inbound routes, time conditions, IVR options,
 * announcements, queues' overflow) names its target with this one type.
 *
 * Provisioning owns the shared type; until it lands this is the shape the call flows need,
 * structurally the same, so that the switch is an import change.
 */
export const DESTINATION_KINDS = [
  'ivr',
  'queue',
  'extension',
  'time_condition',
  'announcement',
  'conference',
  'external',
  'voicemail',
  'hangup',
] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

/** Kinds that point at a row of another resource by id. */
export type RowDestinationKind = 'ivr' | 'queue' | 'extension' | 'time_condition' | 'announcement' | 'conference' | 'voicemail';

export type Destination =
  | { kind: RowDestinationKind; id: number }
  /** A number on the public network, dialled through the outbound routes. */
  | { kind: 'external'; number: string }
  /** Hang up with a Q.850 cause (default 16, normal clearing). */
  | { kind: 'hangup'; cause?: number };

const ROW_KINDS: ReadonlySet<string> = new Set<RowDestinationKind>(['ivr', 'queue', 'extension', 'time_condition', 'announcement', 'conference', 'voicemail']);

export const isRowDestination = (d: Destination): d is Extract<Destination, { kind: RowDestinationKind }> => ROW_KINDS.has(d.kind);

/** `ivr 3`, `extension 1001`, `hangup 16`: how logs, traces and reports name a destination. */
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
