/** Shared by the telephony provisioning screens: choices the server accepts, small conversions. */

/** What the server's codec lists accept, in the order an E1-facing call centre prefers. */
export const CODECS = ['alaw', 'ulaw', 'g722', 'g729', 'gsm', 'opus'] as const;

/** Destinations whose modules exist; the others are refused by the server until they land. */
export const DESTINATION_KINDS = ['extension', 'announcement', 'conference', 'external', 'hangup'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];

export const blankToNull = (s: string): string | null => (s.trim() === '' ? null : s.trim());

export interface DestinationModel {
  kind: DestinationKind;
  id: number | null;
  number: string;
  cause: number | null;
}

/** The request's destination from the form: only the field its kind uses. */
export function destinationBody(d: DestinationModel): { kind: DestinationKind; id?: number; number?: string; cause?: number } {
  switch (d.kind) {
    case 'external':
      return { kind: d.kind, number: d.number.trim() };
    case 'hangup':
      return d.cause === null ? { kind: d.kind } : { kind: d.kind, cause: d.cause };
    default:
      return d.id === null ? { kind: d.kind } : { kind: d.kind, id: d.id };
  }
}

/** One unified diff split into lines with their kind, for colouring. */
export function diffLines(diff: string): { text: string; kind: 'add' | 'del' | 'hunk' | 'ctx' }[] {
  return diff
    .split('\n')
    .filter((l, i, all) => !(l === '' && i === all.length - 1))
    .map((text) => ({
      text,
      kind: text.startsWith('@@') ? 'hunk' : text.startsWith('+') && !text.startsWith('+++') ? 'add' : text.startsWith('-') && !text.startsWith('---') ? 'del' : 'ctx',
    }));
}

/** How a live state is coloured: working, attention, broken, or not known / not applied. */
export function stateSeverity(state: string): 'success' | 'warn' | 'danger' | 'secondary' {
  if (state === 'registered' || state === 'reachable' || state === 'up') return 'success';
  if (state === 'unreachable' || state === 'rejected' || state === 'alarm') return 'danger';
  if (state === 'unregistered' || state === 'unqualified') return 'warn';
  return 'secondary';
}

/** One rule of an outbound route as the form edits it. */
export interface RuleModel {
  pattern: string;
  strip: number;
  prefix: string;
  brazilFormat: boolean;
  carrierCode: string;
}

/** A route's trunk as one select value: `trunk:<id>` or `e1:<group>`. */
export const routeTrunkKey = (x: { trunkId: number | null; e1Group: number | null }): string => (x.trunkId !== null ? `trunk:${x.trunkId}` : `e1:${x.e1Group}`);

export function routeTrunkOf(key: string): { trunkId: number } | { e1Group: number } {
  const [kind, n] = key.split(':');
  return kind === 'trunk' ? { trunkId: Number(n) } : { e1Group: Number(n) };
}
