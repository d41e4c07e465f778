import { Type, type Static } from '@sinclair/typebox';
import { and, count, eq, ne } from 'drizzle-orm';
import { campaignTypes, contactBooks, contacts } from '../db/schema/index.js';
import { checkFormOf } from './campaign-types.resource.js';
import { Nullable, Timestamps, closed, Id } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import type { Db } from '../db/client.js';
import type { ResourceDef } from '../resources/index.js';
import { Flag, Name, OptionalText, iso } from './schemas.js';

/** Whether book `bookId` exists and is the tenant's: what a contact, a contact group and an import are put in. */
export const bookInTenant = (db: Db, tenantId: number, bookId: number): boolean =>
  db.select({ tenantId: contactBooks.tenantId }).from(contactBooks).where(eq(contactBooks.id, bookId)).get()?.tenantId === tenantId;

/** The book's name, for messages (`#id` if it is gone). */
export const bookName = (db: Db, tenantId: number, bookId: number): string =>
  db.select({ name: contactBooks.name }).from(contactBooks).where(and(eq(contactBooks.id, bookId), eq(contactBooks.tenantId, tenantId))).get()?.name ?? `#${bookId}`;

export const BookBody = Type.Object(
  {
    name: Name(),
    description: OptionalText(500),
    formId: Type.Optional(Nullable(Id)),
    campaignTypeId: Type.Optional(Nullable(Id)),
    isDefault: Flag,
    active: Flag,
  },
  closed,
);
export type BookInput = Static<typeof BookBody>;

export const BookView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  formId: Nullable(Type.Integer()),
  campaignTypeId: Nullable(Type.Integer()),
  isDefault: Type.Boolean(),
  active: Type.Boolean(),
  contactCount: Type.Integer(),
  ...Timestamps,
});
export type BookView = Static<typeof BookView>;

/** Contact books: where a service's callers are searched and created; one is the tenant's default. */
export const bookDef: ResourceDef<typeof contactBooks, BookInput, BookView> = {
  label: 'contact book',
  entity: 'contact_book',
  table: contactBooks,
  unique: { name: contactBooks.name },
  search: [contactBooks.name],
  sortable: { name: contactBooks.name },
  toColumns(input, w) {
    if (input.formId) checkFormOf(w.db, w.tenantId, input.formId);
    if (input.campaignTypeId) {
      const type = w.db.select({ tenantId: campaignTypes.tenantId }).from(campaignTypes).where(eq(campaignTypes.id, input.campaignTypeId)).get();
      if (type?.tenantId !== w.tenantId) throw invalidField('campaignTypeId', 'campaignTypeId: no such campaign type');
    }
    if (w.before?.isDefault && input.isDefault === false) throw invalidField('isDefault', 'isDefault: make another book the default instead');
    return {
      name: input.name,
      description: input.description ?? null,
      formId: input.formId ?? null,
      campaignTypeId: input.campaignTypeId ?? null,
      isDefault: input.isDefault ?? false,
      active: input.active ?? true,
    };
  },
  toInput: (row) => ({ name: row.name, description: row.description, formId: row.formId, campaignTypeId: row.campaignTypeId, isDefault: row.isDefault, active: row.active }),
  toView: (row, r) => ({
    id: row.id,
    tenantId: row.tenantId,
    name: row.name,
    description: row.description,
    formId: row.formId,
    campaignTypeId: row.campaignTypeId,
    isDefault: row.isDefault,
    active: row.active,
    contactCount: r.db.select({ n: count() }).from(contacts).where(eq(contacts.bookId, row.id)).get()?.n ?? 0,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
  afterWrite(row, _input, w) {
    if (row.isDefault) {
      w.db.update(contactBooks).set({ isDefault: false }).where(and(eq(contactBooks.tenantId, w.tenantId), ne(contactBooks.id, row.id))).run();
    }
  },
  beforeDelete(row, w) {
    if (row.isDefault) throw conflict("the tenant's default contact book cannot be deleted", { field: 'id' });
    const n = w.db.select({ n: count() }).from(contacts).where(eq(contacts.bookId, row.id)).get()?.n ?? 0;
    if (n > 0) throw conflict(`the contact book still has ${n} contacts; move or delete them first`, { field: 'id' });
  },
};
