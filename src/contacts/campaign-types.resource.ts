import { Type, type Static } from '@sinclair/typebox';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { campaignTypes, contactBooks, contactForms } from '../db/schema/index.js';
import { Id, Nullable, Timestamps, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { Flag, Name, OptionalText, iso } from './schemas.js';

export const CampaignTypeBody = Type.Object(
  {
    name: Name(),
    description: OptionalText(500),
    formId: Id,
    active: Flag,
  },
  closed,
);
export type CampaignTypeInput = Static<typeof CampaignTypeBody>;

export const CampaignTypeView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  formId: Type.Integer(),
  formName: Nullable(Type.String()),
  active: Type.Boolean(),
  ...Timestamps,
});
export type CampaignTypeView = Static<typeof CampaignTypeView>;

/** A form id of the tenant, or a 400 naming `field`. */
export function checkFormOf(db: Db, tenantId: number, formId: number, field = 'formId'): void {
  const form = db.select({ tenantId: contactForms.tenantId }).from(contactForms).where(eq(contactForms.id, formId)).get();
  if (form?.tenantId !== tenantId) throw invalidField(field, `${field}: no such form`);
}

/** Tipos de campanha: a name and the form its campaigns' interactions show. */
export const campaignTypeDef: ResourceDef<typeof campaignTypes, CampaignTypeInput, CampaignTypeView> = {
  label: 'campaign type',
  entity: 'campaign_type',
  table: campaignTypes,
  unique: { name: campaignTypes.name },
  search: [campaignTypes.name],
  sortable: { name: campaignTypes.name },
  filter: (q) => [q.active === undefined ? undefined : eq(campaignTypes.active, q.active as boolean)],
  toColumns(input, w) {
    checkFormOf(w.db, w.tenantId, input.formId);
    return { name: input.name, description: input.description ?? null, formId: input.formId, active: input.active ?? true };
  },
  toInput: (row) => ({ name: row.name, description: row.description, formId: row.formId, active: row.active }),
  toView: (row, r) => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    description: row.description,
    formId: row.formId,
    formName: r.db.select({ name: contactForms.name }).from(contactForms).where(eq(contactForms.id, row.formId)).get()?.name ?? null,
    active: row.active,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
};

/** Campaign types that show a form keep it from being deleted. */
export const campaignTypesUsingForm = (db: Db) => (tenantId: number, id: number) =>
  db
    .select({ id: campaignTypes.id, name: campaignTypes.name })
    .from(campaignTypes)
    .where(and(eq(campaignTypes.tenantId, tenantId), eq(campaignTypes.formId, id)))
    .all()
    .map((c) => ({ entity: 'campaign_type', id: c.id, name: c.name }));

/** Books of a campaign type keep it from being deleted. */
export const booksOfCampaignType = (db: Db) => (tenantId: number, id: number) =>
  db
    .select({ id: contactBooks.id, name: contactBooks.name })
    .from(contactBooks)
    .where(and(eq(contactBooks.tenantId, tenantId), eq(contactBooks.campaignTypeId, id)))
    .all()
    .map((b) => ({ entity: 'contact_book', id: b.id, name: b.name }));
