/**
 * The one destination type (./destination.model.ts) as the API carries it: one flat object, so
 * that a bad field is named (`destination.id`, `destination.number`).
 */
import { Type, type Static } from '@sinclair/typebox';
import { Id, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import { DESTINATION_KINDS, type Destination } from './destination.model.js';

export const DestinationBody = Type.Object(
  {
    kind: Type.Union(DESTINATION_KINDS.map((k) => Type.Literal(k))),
    /** The row it names: IVR, queue, extension, time condition, announcement, conference, voicemail box. */
    id: Type.Optional(Id),
    /** For `external`: the number to call, as it would be dialled from an extension. */
    number: Type.Optional(Type.String({ minLength: 2, maxLength: 40, pattern: '^[0-9+*#]+$' })),
    /** For `hangup`: the Q.850 cause (default 16, normal clearing). */
    cause: Type.Optional(Type.Integer({ minimum: 1, maximum: 127 })),
  },
  { ...closed, description: 'Where a call goes: IVR, queue, extension, time condition, announcement, conference, external number, voicemail box, hang up' },
);
export type DestinationInput = Static<typeof DestinationBody>;

/** A destination as the API shows it, with what the admin calls its target. */
export const DestinationView = Type.Object({
  kind: Type.String({ maxLength: 20 }),
  id: Type.Optional(Type.Integer()),
  number: Type.Optional(Type.String()),
  cause: Type.Optional(Type.Integer()),
  /** `IVR Atendimento`, `extension 1001 (Ana)`, `external number 011…`. */
  label: Type.String(),
});
export type DestinationViewT = Static<typeof DestinationView>;

/** The one field besides `kind` each kind takes; any other is refused rather than dropped unseen. */
const fieldOfKind = (kind: DestinationInput['kind']): 'number' | 'cause' | 'id' => (kind === 'external' ? 'number' : kind === 'hangup' ? 'cause' : 'id');

/**
 * The destination an input describes, with the field it lacks or should not have named
 * (`destination.id`); whether its row exists is the caller's check (src/provisioning/destination.ts).
 */
export function parseDestination(d: DestinationInput, field: string): Destination {
  const own = fieldOfKind(d.kind);
  const stray = (['id', 'number', 'cause'] as const).find((f) => f !== own && d[f] !== undefined);
  if (stray) throw invalidField(`${field}.${stray}`, `${field}.${stray}: a destination of kind ${d.kind} takes no ${stray} (only ${own})`);
  if (d.kind === 'external') {
    if (d.number === undefined) throw invalidField(`${field}.number`, `${field}.number: the external number is required`);
    return { kind: 'external', number: d.number };
  }
  if (d.kind === 'hangup') return { kind: 'hangup', cause: d.cause ?? 16 };
  if (d.id === undefined) throw invalidField(`${field}.id`, `${field}.id: which ${d.kind.replace('_', ' ')} the call goes to is required`);
  return { kind: d.kind, id: d.id };
}

