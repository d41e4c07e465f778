import { Type, type Static } from '@sinclair/typebox';
import { and, eq, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { contactBooks, contactForms, customFields, type FormItem } from '../db/schema/index.js';
import { Nullable, Timestamps, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { BUILT_IN_CONTACT_FIELDS } from './fields.resource.js';
import { Flag, Literals, Name, OptionalText, iso } from './schemas.js';

const Item = Type.Object(
  {
    source: Literals(['contact', 'interaction'] as const),
    key: Type.String({ minLength: 1, maxLength: 40 }),
    required: Flag,
  },
  closed,
);

export const FormBody = Type.Object(
  {
    name: Name(),
    description: OptionalText(500),
    items: Type.Array(Item, { minItems: 1, maxItems: 200 }),
    isDefault: Flag,
    active: Flag,
  },
  closed,
);
export type FormInput = Static<typeof FormBody>;

/** One item as the agent desktop renders it: a built-in contact field has no custom definition. */
const ResolvedItem = Type.Object({
  source: Type.String(),
  key: Type.String(),
  required: Type.Boolean(),
  builtIn: Type.Boolean(),
  label: Nullable(Type.String()),
  type: Type.String(),
  mask: Nullable(Type.String()),
  options: Nullable(Type.Array(Type.String())),
});

export const FormView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  items: Type.Array(ResolvedItem),
  isDefault: Type.Boolean(),
  active: Type.Boolean(),
  ...Timestamps,
});
export type FormView = Static<typeof FormView>;
export type ResolvedFormItem = Static<typeof ResolvedItem>;

/** The form's items with their definitions; items whose custom field is gone are left out. */
export function resolveItems(db: Db, tenantId: number, items: readonly FormItem[]): ResolvedFormItem[] {
  const fields = db.select().from(customFields).where(eq(customFields.tenantId, tenantId)).all();
  return items.flatMap((item): ResolvedFormItem[] => {
    if (item.source === 'contact' && (BUILT_IN_CONTACT_FIELDS as readonly string[]).includes(item.key)) {
      return [{ ...item, builtIn: true, label: null, type: 'text', mask: null, options: null, required: item.required || item.key === 'name' }];
    }
    const f = fields.find((x) => x.key === item.key && x.scope === item.source);
    if (!f) return [];
    return [{ ...item, builtIn: false, label: f.label, type: f.type, mask: f.mask, options: f.options, required: item.required || f.required }];
  });
}

/** Formulário CRM: contact fields (built-in and custom) and interaction-only fields, in order. */
export const formDef: ResourceDef<typeof contactForms, FormInput, FormView> = {
  label: 'form',
  entity: 'contact_form',
  table: contactForms,
  unique: { name: contactForms.name },
  search: [contactForms.name],
  sortable: { name: contactForms.name },
  filter: (q) => [q.active === undefined ? undefined : eq(contactForms.active, q.active as boolean)],
  toColumns(input, w) {
    const fields = w.db.select().from(customFields).where(eq(customFields.tenantId, w.tenantId)).all();
    const seen = new Set<string>();
    input.items.forEach((item, i) => {
      const id = `${item.source}:${item.key}`;
      if (seen.has(id)) throw invalidField(`items.${i}.key`, `items.${i}.key: ${item.key} appears twice`);
      seen.add(id);
      const builtIn = item.source === 'contact' && (BUILT_IN_CONTACT_FIELDS as readonly string[]).includes(item.key);
      if (!builtIn && !fields.some((f) => f.key === item.key && f.scope === item.source)) {
        throw invalidField(`items.${i}.key`, `items.${i}.key: no ${item.source} field ${item.key}`);
      }
    });
    return {
      name: input.name,
      description: input.description ?? null,
      items: input.items.map((i) => ({ source: i.source, key: i.key, required: i.required ?? false })),
      isDefault: input.isDefault ?? false,
      active: input.active ?? true,
    };
  },
  toInput: (row) => ({ name: row.name, description: row.description, items: row.items, isDefault: row.isDefault, active: row.active }),
  toView: (row, r) => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    description: row.description,
    items: resolveItems(r.db, row.tenantId, row.items),
    isDefault: row.isDefault,
    active: row.active,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
  afterWrite(row, _input, w) {
    if (row.isDefault) {
      w.db.update(contactForms).set({ isDefault: false }).where(and(eq(contactForms.tenantId, w.tenantId), ne(contactForms.id, row.id))).run();
    }
  },
};

/** Books that show a form keep it from being deleted. */
export const booksUsingForm = (db: Db) => (tenantId: number, id: number) =>
  db
    .select({ id: contactBooks.id, name: contactBooks.name })
    .from(contactBooks)
    .where(and(eq(contactBooks.tenantId, tenantId), eq(contactBooks.formId, id)))
    .all()
    .map((b) => ({ entity: 'contact_book', id: b.id, name: b.name }));
