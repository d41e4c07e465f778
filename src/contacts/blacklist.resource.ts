import { Type, type Static } from '@sinclair/typebox';
import { and, eq, ne } from 'drizzle-orm';
import { blacklist } from '../db/schema/index.js';
import { Nullable, Timestamps, closed, DateTime } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { blacklistKey } from './blacklist.logic.js';
import { Literals, OptionalText, iso, isoOrNull } from './schemas.js';

export const BLACKLIST_DIRECTIONS = ['inbound', 'outbound'] as const;

export const BlacklistBody = Type.Object(
  {
    direction: Literals(BLACKLIST_DIRECTIONS),
    match: Type.Optional(Literals(['number', 'prefix'] as const)),
    number: Type.String({ minLength: 1, maxLength: 30, description: 'DDI+DDD+number (5548999999999), any usual format; or the digits of a prefix' }),
    reason: OptionalText(200),
    expiresAt: Type.Optional(Nullable(DateTime())),
  },
  closed,
);
export type BlacklistInput = Static<typeof BlacklistBody>;
export const BlacklistView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  direction: Type.String(),
  match: Type.String(),
  number: Type.String(),
  reason: Nullable(Type.String()),
  expiresAt: Nullable(DateTime()),
  importId: Nullable(Type.Integer()),
  ...Timestamps,
});
export type BlacklistView = Static<typeof BlacklistView>;

export const blacklistDef: ResourceDef<typeof blacklist, BlacklistInput, BlacklistView> = {
  label: 'blacklist entry',
  entity: 'blacklist',
  table: blacklist,
  search: [blacklist.number, blacklist.reason],
  sortable: { number: blacklist.number, createdAt: blacklist.createdAt },
  filter: (q) => [q.direction === undefined ? undefined : eq(blacklist.direction, q.direction as 'inbound' | 'outbound')],
  toColumns(input, w) {
    const match = input.match ?? 'number';
    const key = blacklistKey(input.direction, match, input.number);
    if (!key.ok) throw invalidField('number', `number: ${key.message}`);
    const clash = w.db
      .select({ id: blacklist.id })
      .from(blacklist)
      .where(
        and(
          eq(blacklist.tenantId, w.tenantId),
          eq(blacklist.direction, input.direction),
          eq(blacklist.match, match),
          eq(blacklist.number, key.number),
          ...(w.before ? [ne(blacklist.id, w.before.id)] : []),
        ),
      )
      .get();
    // Moving an entry to the other direction, where the number already is, is refused at the direction.
    if (clash) throw conflict(`${key.number} is already on the ${input.direction} blacklist`, { field: w.before && w.before.direction !== input.direction ? 'direction' : 'number' });
    const expiresAt = input.expiresAt ? Date.parse(input.expiresAt) : null;
    // An entry already expired keeps its date through an edit of something else (its reason, its direction).
    if (expiresAt !== null && expiresAt <= w.now && expiresAt !== w.before?.expiresAt) throw invalidField('expiresAt', 'expiresAt: must be in the future');
    return { direction: input.direction, match, number: key.number, reason: input.reason ?? null, expiresAt, importId: w.before?.importId ?? null };
  },
  toInput: (row) => ({ direction: row.direction, match: row.match, number: row.number, reason: row.reason, expiresAt: isoOrNull(row.expiresAt) }),
  toView: (row) => ({
    id: row.id,
    tenantId: row.tenantId,
    direction: row.direction,
    match: row.match,
    number: row.number,
    reason: row.reason,
    expiresAt: isoOrNull(row.expiresAt),
    importId: row.importId,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  }),
};
