import { Type, type SchemaOptions, type StringOptions, type TLiteral, type TUnion } from '@sinclair/typebox';
import { INTERACTION_KINDS } from '../db/schema/index.js';
import { MultilineText, Nullable, RequiredText } from '../http/schemas.js';

/** Schema pieces the CRM's resources share. */
/** A custom field's key: its name in the API and the CSV header. */
export const FieldKey = (opts: StringOptions = {}) => Type.String({ pattern: '^[a-z][a-z0-9_]{0,39}$', maxLength: 40, ...opts });
/** Values of custom fields by key (of a contact, a ticket, a form). */
export const CustomValues = Type.Record(FieldKey(), Nullable(Type.Union([Type.String({ maxLength: 5000 }), Type.Number({ minimum: -1e15, maximum: 1e15 })])), {
  maxProperties: 200,
});
export const Literals = <T extends string>(values: readonly T[], options: SchemaOptions = {}): TUnion<TLiteral<T>[]> => Type.Union(values.map((v) => Type.Literal(v)), options);
/** A required name, title or label: trimmed, never blank (see RequiredText). */
export const Name = (max = 80) => RequiredText({ maxLength: max });
export const OptionalText = (max: number) => Type.Optional(Nullable(Type.String({ maxLength: max })));
/** Text typed in a text area (a note, a message): line breaks allowed. */
export const OptionalLongText = (max: number) => Type.Optional(Nullable(MultilineText({ maxLength: max })));
export const Kind = Literals(INTERACTION_KINDS);
export const Kinds = Type.Array(Kind, { minItems: 1, maxItems: INTERACTION_KINDS.length, uniqueItems: true });
export const Flag = Type.Optional(Type.Boolean());

/** What picking a status or a tag does (PRODUCT.md §5). */
export const Actions = Type.Object(
  {
    closingMessage: Type.Optional(Nullable(MultilineText({ minLength: 1, maxLength: 2000 }))),
    transferServiceId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }))),
    markPhoneInvalid: Flag,
    markContactDoNotCall: Flag,
    redialAfterMinutes: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 43_200 }))),
    owner: Type.Optional(Nullable(Type.Union([Type.Literal('set'), Type.Literal('clear')]))),
    ownerDays: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 3650 }))),
  },
  { additionalProperties: false },
);

export const iso = (ms: number): string => new Date(ms).toISOString();
export const isoOrNull = (ms: number | null): string | null => (ms === null ? null : iso(ms));
