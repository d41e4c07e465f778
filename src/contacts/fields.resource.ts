import { Type, type Static } from '@sinclair/typebox';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { customFields } from '../db/schema/index.js';
import { Nullable, Timestamps, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef, RowOf } from '../resources/index.js';
import { checkFieldValue, checkMask, type FieldRule, type FieldValue } from './fields.logic.js';
import { FieldKey, Flag, Literals, Name, iso } from './schemas.js';

export const FIELD_SCOPES = ['contact', 'ticket', 'interaction'] as const;
export type FieldScope = (typeof FIELD_SCOPES)[number];

/** Contact fields every contact has; a custom field may not take their names. */
export const BUILT_IN_CONTACT_FIELDS = [
  'name', 'phones', 'emails', 'document', 'company', 'street', 'streetNumber', 'complement', 'district', 'city', 'state', 'postalCode',
] as const;

const Bound = Type.Optional(Nullable(Type.Integer({ minimum: -1_000_000_000_000, maximum: 1_000_000_000_000 })));

export const FieldBody = Type.Object(
  {
    scope: Literals(FIELD_SCOPES),
    key: FieldKey({ description: 'the name in the API and the CSV header; lower case, digits, _' }),
    label: Name(),
    type: Literals(['text', 'number', 'date', 'select'] as const),
    mask: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 60, description: '9 a digit, A a letter, * either; other characters literal' }))),
    required: Flag,
    options: Type.Optional(Nullable(Type.Array(Name(), { minItems: 1, maxItems: 200, uniqueItems: true }))),
    maxLength: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 5000 }))),
    min: Bound,
    max: Bound,
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000 })),
    active: Flag,
  },
  closed,
);
export type FieldInput = Static<typeof FieldBody>;

export const FieldView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  scope: Type.String(),
  key: Type.String(),
  label: Type.String(),
  type: Type.String(),
  mask: Nullable(Type.String()),
  required: Type.Boolean(),
  options: Nullable(Type.Array(Type.String())),
  maxLength: Nullable(Type.Integer()),
  min: Nullable(Type.Number()),
  max: Nullable(Type.Number()),
  position: Type.Integer(),
  active: Type.Boolean(),
  ...Timestamps,
});
export type FieldView = Static<typeof FieldView>;

type FieldRow = RowOf<typeof customFields>;

export const fieldRule = (row: FieldRow): FieldRule => ({
  key: row.key,
  label: row.label,
  type: row.type,
  mask: row.mask,
  required: row.required,
  options: row.options,
  maxLength: row.maxLength,
  min: row.min,
  max: row.max,
});

/** The active custom fields of one scope, in their order. */
export const activeFields = (db: Db, tenantId: number, scope: FieldScope): FieldRow[] =>
  db
    .select()
    .from(customFields)
    .where(and(eq(customFields.tenantId, tenantId), eq(customFields.scope, scope), eq(customFields.active, true)))
    .all()
    .sort((a, b) => a.position - b.position || a.id - b.id) as FieldRow[];

/**
 * Checks values against the tenant's active fields of one scope (only those given, unless
 * `all`), normalised. A value `stored` before under a key that is no longer an active field
 * (deactivated or deleted since) and given back unchanged is kept as it was: a contact or a
 * ticket stays editable, and what it held is not lost. Any other key is refused.
 */
export function checkScoped(
  db: Db,
  tenantId: number,
  scope: FieldScope,
  values: Record<string, FieldValue | null>,
  field: string,
  all: boolean,
  stored: Record<string, FieldValue> = {},
): Record<string, FieldValue> {
  const fields = activeFields(db, tenantId, scope);
  const out: Record<string, FieldValue> = {};
  for (const [key, value] of Object.entries(values)) {
    if (fields.some((f) => f.key === key)) continue;
    const kept = stored[key];
    if (kept !== undefined && value !== null && String(value) === String(kept)) out[key] = kept;
    else if (kept === undefined || value !== null) throw invalidField(`${field}.${key}`, `${field}.${key}: no such ${scope} field`);
  }
  for (const f of fields) {
    if (!all && !(f.key in values)) continue;
    const checked = checkFieldValue(fieldRule(f), values[f.key]);
    if (!checked.ok) throw invalidField(`${field}.${f.key}`, `${field}.${f.key}: ${checked.message}`);
    if (checked.value !== null) out[f.key] = checked.value;
  }
  return out;
}

function fieldInput(row: FieldRow) {
  return {
    scope: row.scope,
    key: row.key,
    label: row.label,
    type: row.type,
    mask: row.mask,
    required: row.required,
    options: row.options,
    maxLength: row.maxLength,
    min: row.min,
    max: row.max,
    position: row.position,
    active: row.active,
  };
}

/** Custom fields of contacts, tickets and interactions (the CRM form builder's raw material). */
export const fieldDef: ResourceDef<typeof customFields, FieldInput, FieldView> = {
  label: 'custom field',
  entity: 'custom_field',
  table: customFields,
  unique: { key: customFields.key },
  search: [customFields.key, customFields.label],
  sortable: { position: customFields.position, label: customFields.label },
  filter: (q) => [q.scope === undefined ? undefined : eq(customFields.scope, q.scope as FieldScope)],
  toColumns(input, w) {
    if (w.before && w.before.key !== input.key) throw invalidField('key', 'key: cannot change once values are stored under it; create another field');
    if (w.before && w.before.scope !== input.scope) throw invalidField('scope', 'scope: cannot change; create another field');
    if (input.scope === 'contact' && (BUILT_IN_CONTACT_FIELDS as readonly string[]).includes(input.key)) {
      throw invalidField('key', `key: ${input.key} is a built-in contact field`);
    }
    const options = input.options ?? null;
    if (input.type === 'select' && !options) throw invalidField('options', 'options: a select field needs its options');
    if (input.type !== 'select' && options) throw invalidField('options', 'options: only a select field has options');
    const mask = input.mask ?? null;
    if (mask !== null) {
      if (input.type !== 'text') throw invalidField('mask', 'mask: only a text field has a mask');
      const problem = checkMask(mask);
      if (problem) throw invalidField('mask', `mask: ${problem}`);
    }
    const min = input.min ?? null;
    const max = input.max ?? null;
    if ((min !== null || max !== null) && input.type !== 'number') throw invalidField('min', 'min/max: only a number field has bounds');
    if (min !== null && max !== null && min > max) throw invalidField('max', 'max: must not be below min');
    if (input.maxLength != null && input.type !== 'text') throw invalidField('maxLength', 'maxLength: only a text field has one');
    return {
      scope: input.scope,
      key: input.key,
      label: input.label,
      type: input.type,
      mask,
      required: input.required ?? false,
      options,
      maxLength: input.maxLength ?? null,
      min,
      max,
      position: input.position ?? 0,
      active: input.active ?? true,
    };
  },
  toInput: fieldInput,
  toView: (row) => ({
    id: row.id,
    tenantId: row.tenantId,
    ...fieldInput(row),
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
};
