import { Type, type Static } from '@sinclair/typebox';
import { eq, isNotNull, isNull } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { dialerLists } from '../db/schema/index.js';
import { Id, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { bookInTenant } from '../contacts/index.js';
import { DialerRepo } from './dialer.repo.js';

export const ListBody = Type.Object(
  {
    name: RequiredText({ maxLength: 100, description: 'fixed once the list is created' }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    bookId: Type.Optional(Id),
    active: Type.Optional(Type.Boolean()),
  },
  closed,
);
export type ListInput = Static<typeof ListBody>;

export const ListView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  bookId: Type.Integer(),
  active: Type.Boolean(),
  campaignId: Nullable(Type.Integer()),
  campaignName: Nullable(Type.String()),
  /** A campaign uses it: no appends, no other campaign. */
  locked: Type.Boolean(),
  contacts: Type.Integer(),
  /** Contacts the dialer may still try. */
  pending: Type.Integer(),
  ...Timestamps,
});
export type ListView = Static<typeof ListView>;

export const listFilters = {
  campaignId: Type.Optional(Id),
  active: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
};

export const listLocked = (name: string, campaign: string | null) =>
  conflict(`the contact group "${name}" is used by the campaign "${campaign ?? '?'}" and can no longer change its contacts`, { field: 'listId', code: 'list_locked' });

/** Contact groups: who a campaign calls, filled from CSV or from the tenant's contacts. */
export function listDef(defaultBook: (db: Db, tenantId: number) => number): ResourceDef<typeof dialerLists, ListInput, ListView> {
  return {
    label: 'contact group',
    entity: 'dialer_list',
    table: dialerLists,
    unique: { name: dialerLists.name },
    search: [dialerLists.name, dialerLists.description],
    sortable: { name: dialerLists.name, createdAt: dialerLists.createdAt },
    filter: (q) => [
      q.campaignId === undefined ? undefined : eq(dialerLists.campaignId, q.campaignId as number),
      q.active === undefined ? undefined : eq(dialerLists.active, q.active as boolean),
      q.locked === undefined ? undefined : q.locked ? isNotNull(dialerLists.campaignId) : isNull(dialerLists.campaignId),
    ],
    toColumns(input, w) {
      const { name } = input;
      if (w.before && name !== w.before.name) throw invalidField('name', 'name: a contact group keeps the name it was created with');
      const bookId = w.before?.bookId ?? input.bookId ?? defaultBook(w.db, w.tenantId);
      if (w.before && input.bookId !== undefined && input.bookId !== w.before.bookId) throw invalidField('bookId', 'bookId: a contact group keeps its contact book');
      if (!bookInTenant(w.db, w.tenantId, bookId)) throw invalidField('bookId', 'bookId: no such contact book');
      return { name, description: input.description ?? null, bookId, active: input.active ?? true, campaignId: w.before?.campaignId ?? null };
    },
    toInput: (row) => ({ name: row.name, description: row.description, bookId: row.bookId, active: row.active }),
    toView(row, r) {
      const repo = new DialerRepo(r.db);
      return {
        id: row.id,
        tenantId: row.tenantId,
        name: row.name,
        description: row.description,
        bookId: row.bookId,
        active: row.active,
        campaignId: row.campaignId,
        campaignName: repo.campaignName(row.campaignId),
        locked: row.campaignId !== null,
        ...repo.counts(row.id),
        createdAt: new Date(row.createdAt).toISOString(),
        updatedAt: new Date(row.updatedAt).toISOString(),
      };
    },
    beforeDelete(row, w) {
      if (row.campaignId !== null) throw listLocked(row.name, new DialerRepo(w.db).campaignName(row.campaignId));
    },
  };
}

