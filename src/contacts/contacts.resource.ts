import { Type, type Static } from '@sinclair/typebox';
import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { containsText } from '../db/search.js';
import type { Db } from '../db/client.js';
import { contactEmails, contactNameKeys, contactPhones, contactTags, contacts, tags, users } from '../db/schema/index.js';
import { Id, Nullable, RequiredText, Timestamps, closed, DateTime } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import type { ReadContext, ResourceDef, RowOf, WriteContext } from '../resources/index.js';
import { bookInTenant } from './books.resource.js';
import { checkDocument, formatDocument } from './document.logic.js';
import { checkScoped } from './fields.resource.js';
import { searchKey } from './fields.logic.js';
import { checkPhone, formatPhone, phoneSearchKey } from './phone.logic.js';
import { CustomValues, Flag, Literals, OptionalText, iso, isoOrNull } from './schemas.js';

export const PHONE_LABELS = ['mobile', 'home', 'work', 'other'] as const;
/** The most phones and e-mails a contact may have. */
export const MAX_PHONES = 10;
export const MAX_EMAILS = 10;
/** The longest text each of the contact's own text fields takes (the API's body and the import). */
export const TEXT_MAX = { name: 200, company: 200, street: 200, streetNumber: 20, complement: 100, district: 100, city: 100 } as const;

const PhoneInput = Type.Object(
  {
    number: Type.String({ minLength: 1, maxLength: 30, description: 'Brazilian: DDD + number, with or without 55, spaces, dashes, parentheses' }),
    label: Type.Optional(Nullable(Literals(PHONE_LABELS))),
    valid: Flag,
    doNotCall: Flag,
  },
  closed,
);

const contactFields = {
  bookId: Type.Optional(Id),
  name: RequiredText({ maxLength: TEXT_MAX.name }),
  phones: Type.Optional(Type.Array(PhoneInput, { maxItems: MAX_PHONES })),
  emails: Type.Optional(Type.Array(Type.String({ format: 'email', maxLength: 200 }), { maxItems: MAX_EMAILS })),
  document: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 20, description: 'CPF or CNPJ, with or without the mask' }))),
  company: OptionalText(TEXT_MAX.company),
  street: OptionalText(TEXT_MAX.street),
  streetNumber: OptionalText(TEXT_MAX.streetNumber),
  complement: OptionalText(TEXT_MAX.complement),
  district: OptionalText(TEXT_MAX.district),
  city: OptionalText(TEXT_MAX.city),
  state: Type.Optional(Nullable(Type.String({ pattern: '^[A-Z]{2}$', maxLength: 2, description: 'UF' }))),
  postalCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{5}-?[0-9]{3}$', maxLength: 9, description: 'CEP' }))),
  custom: Type.Optional(CustomValues),
  ownerUserId: Type.Optional(Nullable(Id)),
  ownerUntil: Type.Optional(Nullable(DateTime())),
  tagIds: Type.Optional(Type.Array(Id, { maxItems: 100, uniqueItems: true })),
  doNotCall: Flag,
  active: Flag,
};
export const ContactBody = Type.Object(contactFields, closed);
export type ContactInput = Static<typeof ContactBody>;

export const PhoneView = Type.Object({
  id: Type.Integer(),
  number: Type.String(),
  display: Type.String(),
  kind: Type.String(),
  label: Nullable(Type.String()),
  valid: Type.Boolean(),
  invalidReason: Nullable(Type.String()),
  doNotCall: Type.Boolean(),
});
export const ContactView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  bookId: Type.Integer(),
  name: Type.String(),
  phones: Type.Array(PhoneView),
  emails: Type.Array(Type.String()),
  document: Nullable(Type.String()),
  documentKind: Nullable(Type.String()),
  company: Nullable(Type.String()),
  street: Nullable(Type.String()),
  streetNumber: Nullable(Type.String()),
  complement: Nullable(Type.String()),
  district: Nullable(Type.String()),
  city: Nullable(Type.String()),
  state: Nullable(Type.String()),
  postalCode: Nullable(Type.String()),
  custom: Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()])),
  ownerUserId: Nullable(Type.Integer()),
  ownerName: Nullable(Type.String()),
  ownerUntil: Nullable(DateTime()),
  tagIds: Type.Array(Type.Integer()),
  doNotCall: Type.Boolean(),
  active: Type.Boolean(),
  importId: Nullable(Type.Integer()),
  ...Timestamps,
});
export type ContactView = Static<typeof ContactView>;
export type ContactRow = RowOf<typeof contacts>;

export const contactFilters = {
  bookId: Type.Optional(Id),
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'part of the name, any case or accents' })),
  phone: Type.Optional(Type.String({ minLength: 1, maxLength: 30, description: 'any format; the last digits also match' })),
  document: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
  email: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  tagId: Type.Optional(Id),
  ownerUserId: Type.Optional(Id),
  doNotCall: Type.Optional(Type.Boolean()),
  active: Type.Optional(Type.Boolean()),
};

const phonesOf = (db: Db, contactId: number) =>
  db.select().from(contactPhones).where(eq(contactPhones.contactId, contactId)).orderBy(asc(contactPhones.position)).all();
const emailsOf = (db: Db, contactId: number) =>
  db.select({ email: contactEmails.email }).from(contactEmails).where(eq(contactEmails.contactId, contactId)).orderBy(asc(contactEmails.position)).all().map((e) => e.email);
const tagsOf = (db: Db, contactId: number) =>
  db.select({ tagId: contactTags.tagId }).from(contactTags).where(eq(contactTags.contactId, contactId)).all().map((t) => t.tagId);

function checkPhones(input: ContactInput) {
  const seen = new Set<string>();
  return (input.phones ?? []).map((p, i) => {
    const checked = checkPhone(p.number);
    if (!checked.ok) throw invalidField(`phones.${i}.number`, `phones.${i}.number: ${checked.message}`);
    if (seen.has(checked.number)) throw invalidField(`phones.${i}.number`, `phones.${i}.number: the contact already has ${formatPhone(checked.number)}`);
    seen.add(checked.number);
    return { ...p, number: checked.number, kind: checked.kind };
  });
}

function checkRefs(input: ContactInput, w: WriteContext<typeof contacts>): void {
  if (input.ownerUserId != null) {
    const owner = w.db.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, input.ownerUserId)).get();
    if (owner?.tenantId !== w.tenantId) throw invalidField('ownerUserId', 'ownerUserId: no such user');
  }
  const tagIds = input.tagIds ?? [];
  if (tagIds.length > 0) {
    const found = w.db.select({ id: tags.id }).from(tags).where(and(eq(tags.tenantId, w.tenantId), inArray(tags.id, tagIds))).all();
    const missing = tagIds.find((id) => !found.some((t) => t.id === id));
    if (missing !== undefined) throw invalidField('tagIds', `tagIds: no tag ${missing}`);
  }
}

/** The book a contact goes in: the one named (of this tenant), else the tenant's default. */
export type DefaultBook = (db: Db, tenantId: number) => number;

/** Contacts: manual create and edit with their phones, e-mails, tags and custom fields. */
export function contactDef(defaultBook: DefaultBook): ResourceDef<typeof contacts, ContactInput, ContactView> {
  return {
    label: 'contact',
    entity: 'contact',
    table: contacts,
    search: [contacts.nameKey, contacts.company, contacts.document],
    sortable: {
      name: { column: contacts.nameKey, keys: { tenantId: contactNameKeys.tenantId, key: contactNameKeys.nameKey, rowId: contactNameKeys.contactId } },
      createdAt: contacts.createdAt,
      updatedAt: contacts.updatedAt,
    },
    filter: (q, tenantId) => {
      const phone = typeof q.phone === 'string' ? phoneSearchKey(q.phone) : undefined;
      const document = typeof q.document === 'string' ? q.document.replace(/[.\-/ ]/g, '').toUpperCase() : undefined;
      return [
        q.bookId === undefined ? undefined : eq(contacts.bookId, q.bookId as number),
        q.name === undefined ? undefined : containsText([contacts.nameKey], searchKey(q.name as string)),
        phone === undefined
          ? undefined
          : phone === null
            ? sql`0`
            : 'exact' in phone
              ? sql`${contacts.id} in (select p.contact_id from contact_phone_keys k join ${contactPhones} p on p.id = k.phone_id and p.number = k.number where k.tenant_id = ${tenantId} and k.number = ${phone.exact})`
              : sql`exists (select 1 from ${contactPhones} p where p.contact_id = ${contacts.id} and p.number like ${`%${phone.suffix}`})`,
        document === undefined ? undefined : eq(contacts.document, document),
        q.email === undefined
          ? undefined
          : sql`${contacts.id} in (select e.contact_id from contact_email_keys k join ${contactEmails} e on e.id = k.email_id and e.email = k.email where k.tenant_id = ${tenantId} and k.email = ${(q.email as string).trim().toLowerCase()})`,
        q.tagId === undefined ? undefined : sql`exists (select 1 from ${contactTags} t where t.contact_id = ${contacts.id} and t.tag_id = ${q.tagId as number})`,
        q.ownerUserId === undefined ? undefined : eq(contacts.ownerUserId, q.ownerUserId as number),
        q.doNotCall === undefined ? undefined : eq(contacts.doNotCall, q.doNotCall as boolean),
        q.active === undefined ? undefined : eq(contacts.active, q.active as boolean),
      ];
    },
    toColumns(input, w) {
      const bookId = input.bookId ?? w.before?.bookId ?? defaultBook(w.db, w.tenantId);
      if (!bookInTenant(w.db, w.tenantId, bookId)) throw invalidField('bookId', 'bookId: no such contact book');
      checkPhones(input);
      let document: string | null = null;
      if (input.document) {
        const checked = checkDocument(input.document);
        if (!checked.ok) throw invalidField('document', `document: ${checked.message}`);
        document = checked.document;
        const other = w.db
          .select({ id: contacts.id })
          .from(contacts)
          .where(and(eq(contacts.tenantId, w.tenantId), eq(contacts.bookId, bookId), eq(contacts.document, document)))
          .all()
          .find((c) => c.id !== w.before?.id);
        if (other) throw conflict(`contact ${other.id} of this book already has document ${formatDocument(document)}`, { field: 'document', contactId: other.id });
      }
      checkRefs(input, w);
      const { name } = input;
      return {
        bookId,
        name,
        nameKey: searchKey(name),
        document,
        company: input.company ?? null,
        street: input.street ?? null,
        streetNumber: input.streetNumber ?? null,
        complement: input.complement ?? null,
        district: input.district ?? null,
        city: input.city ?? null,
        state: input.state ?? null,
        postalCode: input.postalCode ? `${input.postalCode.replace('-', '').slice(0, 5)}-${input.postalCode.replace('-', '').slice(5)}` : null,
        custom: checkScoped(w.db, w.tenantId, 'contact', input.custom ?? {}, 'custom', true, w.before?.custom),
        ownerUserId: input.ownerUserId ?? null,
        ownerUntil: input.ownerUntil ? Date.parse(input.ownerUntil) : null,
        doNotCall: input.doNotCall ?? false,
        active: input.active ?? true,
        importId: w.before?.importId ?? null,
      };
    },
    toInput: (row, r) => ({
      bookId: row.bookId,
      name: row.name,
      phones: phonesOf(r.db, row.id).map((p) => ({ number: p.number, label: p.label, valid: p.valid, doNotCall: p.doNotCall })),
      emails: emailsOf(r.db, row.id),
      document: row.document,
      company: row.company,
      street: row.street,
      streetNumber: row.streetNumber,
      complement: row.complement,
      district: row.district,
      city: row.city,
      state: row.state,
      postalCode: row.postalCode,
      custom: row.custom,
      ownerUserId: row.ownerUserId,
      ownerUntil: isoOrNull(row.ownerUntil),
      tagIds: tagsOf(r.db, row.id),
      doNotCall: row.doNotCall,
      active: row.active,
    }),
    toView: contactView,
    afterWrite(row, input, w) {
      const before = new Map(phonesOf(w.db, row.id).map((p) => [p.number, p]));
      w.db.delete(contactPhones).where(eq(contactPhones.contactId, row.id)).run();
      checkPhones(input).forEach((p, position) => {
        const old = before.get(p.number);
        const valid = p.valid ?? old?.valid ?? true;
        w.db
          .insert(contactPhones)
          .values({
            tenantId: w.tenantId,
            contactId: row.id,
            bookId: row.bookId,
            number: p.number,
            kind: p.kind,
            label: p.label ?? null,
            position,
            valid,
            invalidReason: valid ? null : (old?.invalidReason ?? 'marked invalid'),
            doNotCall: p.doNotCall ?? old?.doNotCall ?? false,
          })
          .run();
      });
      w.db.delete(contactEmails).where(eq(contactEmails.contactId, row.id)).run();
      [...new Set((input.emails ?? []).map((e) => e.trim().toLowerCase()))].forEach((email, position) =>
        w.db.insert(contactEmails).values({ tenantId: w.tenantId, contactId: row.id, email, position }).run(),
      );
      w.db.delete(contactTags).where(eq(contactTags.contactId, row.id)).run();
      for (const tagId of input.tagIds ?? []) w.db.insert(contactTags).values({ contactId: row.id, tagId }).run();
    },
  };
}

export function contactView(row: ContactRow, r: ReadContext): ContactView {
  const owner = row.ownerUserId === null ? undefined : r.db.select({ name: users.name }).from(users).where(eq(users.id, row.ownerUserId)).get();
  return {
    id: row.id,
    tenantId: row.tenantId,
    bookId: row.bookId,
    name: row.name,
    phones: phonesOf(r.db, row.id).map((p) => ({
      id: p.id,
      number: p.number,
      display: formatPhone(p.number),
      kind: p.kind,
      label: p.label,
      valid: p.valid,
      invalidReason: p.invalidReason,
      doNotCall: p.doNotCall,
    })),
    emails: emailsOf(r.db, row.id),
    document: row.document,
    documentKind: row.document === null ? null : row.document.length === 11 ? 'cpf' : 'cnpj',
    company: row.company,
    street: row.street,
    streetNumber: row.streetNumber,
    complement: row.complement,
    district: row.district,
    city: row.city,
    state: row.state,
    postalCode: row.postalCode,
    custom: row.custom,
    ownerUserId: row.ownerUserId,
    ownerName: owner?.name ?? null,
    ownerUntil: isoOrNull(row.ownerUntil),
    tagIds: tagsOf(r.db, row.id),
    doNotCall: row.doNotCall,
    active: row.active,
    importId: row.importId,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}
