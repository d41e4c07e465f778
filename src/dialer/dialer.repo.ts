import { and, asc, count, eq, gt, gte, inArray, isNull, max, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { contactPhoneKeys, contactPhones, contacts, dialerAttempts, dialerCampaigns, dialerListMembers, dialerLists } from '../db/schema/index.js';

export type MemberRow = typeof dialerListMembers.$inferSelect;
export type AttemptRow = typeof dialerAttempts.$inferSelect;
export type CampaignRow = typeof dialerCampaigns.$inferSelect;
/** The tiers the dialer takes members from, in this order (see `nextDials`). */
export const MEMBER_TIERS = ['callback', 'retry', 'untried'] as const;
export type MemberTier = (typeof MEMBER_TIERS)[number];

/** The dialer's SQL beyond what the resource mechanism does: list members, counts, attempts. */
export class DialerRepo {
  constructor(private readonly db: Db) {}

  /** Contacts in the list, and those the dialer may still try (not finished). */
  counts(listId: number): { contacts: number; pending: number } {
    const row = this.db
      .select({ contacts: count(), pending: sql<number>`coalesce(sum(case when ${dialerListMembers.finished} = 0 then 1 else 0 end), 0)` })
      .from(dialerListMembers)
      .where(eq(dialerListMembers.listId, listId))
      .get();
    return { contacts: row?.contacts ?? 0, pending: Number(row?.pending ?? 0) };
  }

  campaignName(campaignId: number | null): string | null {
    if (campaignId === null) return null;
    return this.db.select({ name: dialerCampaigns.name }).from(dialerCampaigns).where(eq(dialerCampaigns.id, campaignId)).get()?.name ?? null;
  }

  listsOfCampaign(campaignId: number): { id: number; name: string }[] {
    return this.db.select({ id: dialerLists.id, name: dialerLists.name }).from(dialerLists).where(eq(dialerLists.campaignId, campaignId)).orderBy(asc(dialerLists.id)).all();
  }

  /** Links the lists to the campaign and releases those it no longer names. */
  linkLists(campaignId: number, listIds: readonly number[], now: number): void {
    this.db
      .update(dialerLists)
      .set({ campaignId: null, updatedAt: now })
      .where(and(eq(dialerLists.campaignId, campaignId), listIds.length ? sql`${dialerLists.id} not in ${listIds}` : undefined))
      .run();
    if (listIds.length) this.db.update(dialerLists).set({ campaignId, updatedAt: now }).where(inArray(dialerLists.id, listIds)).run();
  }

  private nextPosition(listId: number): number {
    return (this.db.select({ p: max(dialerListMembers.position) }).from(dialerListMembers).where(eq(dialerListMembers.listId, listId)).get()?.p ?? 0) + 1;
  }

  /**
   * Adds contacts to the list in the order given, skipping those already in it. Returns the ids
   * that were already members.
   */
  addMembers(tenantId: number, listId: number, contactIds: readonly number[], importId: number | null, now: number): { added: number; already: Set<number> } {
    const already = new Set<number>();
    for (let i = 0; i < contactIds.length; i += 500) {
      const slice = contactIds.slice(i, i + 500);
      for (const r of this.db
        .select({ id: dialerListMembers.contactId })
        .from(dialerListMembers)
        .where(and(eq(dialerListMembers.listId, listId), inArray(dialerListMembers.contactId, slice)))
        .all())
        already.add(r.id);
    }
    let position = this.nextPosition(listId);
    let added = 0;
    const seen = new Set<number>();
    for (const contactId of contactIds) {
      if (already.has(contactId) || seen.has(contactId)) continue;
      seen.add(contactId);
      this.db
        .insert(dialerListMembers)
        .values({ tenantId, listId, contactId, position: position++, importId, phoneAttempts: {}, attemptTimes: [], createdAt: now, updatedAt: now })
        .run();
      added++;
    }
    return { added, already };
  }

  /** Contacts of the tenant matching the contacts screen's filter, oldest first. */
  contactIdsWhere(tenantId: number, where: (SQL | undefined)[], limit: number): number[] {
    return this.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.tenantId, tenantId), ...where))
      .orderBy(asc(contacts.id))
      .limit(limit)
      .all()
      .map((r) => r.id);
  }

  /** Contacts this import created after `afterId`, in file order. */
  contactsOfImport(importId: number, afterId: number): number[] {
    return this.db
      .select({ id: contacts.id })
      .from(contacts)
      .where(and(eq(contacts.importId, importId), gt(contacts.id, afterId))).orderBy(asc(contacts.id)).all().map((r) => r.id);
  }

  /**
   * The contact of the book that a row repeats: the one with its document, else the one with
   * its first phone already stored before this import.
   */
  existingContact(tenantId: number, bookId: number, document: string | null, numbers: readonly string[], importId: number): number | null {
    if (document) {
      const byDoc = this.db
        .select({ id: contacts.id, importId: contacts.importId })
        .from(contacts)
        .where(and(eq(contacts.tenantId, tenantId), eq(contacts.bookId, bookId), eq(contacts.document, document)))
        .get();
      if (byDoc && byDoc.importId !== importId) return byDoc.id;
    }
    if (numbers.length === 0) return null;
    const byPhone = this.db
      .select({ id: contacts.id, importId: contacts.importId })
      .from(contactPhoneKeys)
      .innerJoin(contactPhones, and(eq(contactPhones.id, contactPhoneKeys.phoneId), eq(contactPhones.number, contactPhoneKeys.number)))
      .innerJoin(contacts, eq(contacts.id, contactPhones.contactId))
      .where(and(eq(contactPhoneKeys.tenantId, tenantId), inArray(contactPhoneKeys.number, [...numbers]), eq(contactPhones.bookId, bookId)))
      .orderBy(asc(contacts.id))
      .get();
    return byPhone && byPhone.importId !== importId ? byPhone.id : null;
  }

  deleteImportedMembers(importId: number, limit: number): number {
    const ids = this.db.select({ id: dialerListMembers.id }).from(dialerListMembers).where(eq(dialerListMembers.importId, importId)).limit(limit).all();
    if (ids.length === 0) return 0;
    this.db.delete(dialerListMembers).where(inArray(dialerListMembers.id, ids.map((r) => r.id))).run();
    return ids.length;
  }

  members(listId: number, limit: number, offset: number): { rows: { member: MemberRow; name: string; doNotCall: boolean }[]; total: number } {
    const rows = this.db
      .select({ member: dialerListMembers, name: contacts.name, doNotCall: contacts.doNotCall })
      .from(dialerListMembers)
      .innerJoin(contacts, eq(contacts.id, dialerListMembers.contactId))
      .where(eq(dialerListMembers.listId, listId))
      .orderBy(asc(dialerListMembers.position))
      .limit(limit)
      .offset(offset)
      .all();
    return { rows, total: this.counts(listId).contacts };
  }

  phonesOf(contactIds: readonly number[]): Map<number, (typeof contactPhones.$inferSelect)[]> {
    const out = new Map<number, (typeof contactPhones.$inferSelect)[]>();
    if (contactIds.length === 0) return out;
    for (const p of this.db.select().from(contactPhones).where(inArray(contactPhones.contactId, [...contactIds])).orderBy(asc(contactPhones.position)).all()) {
      const list = out.get(p.contactId) ?? [];
      list.push(p);
      out.set(p.contactId, list);
    }
    return out;
  }

  /** Read before each dial: prepared once. */
  private dialReads: {
    contact: { get(p: { id: number; tenantId: number }): { doNotCall: boolean } | undefined };
    phone: { get(p: { contactId: number; number: string }): { valid: boolean; doNotCall: boolean } | undefined };
  } | null = null;

  private dialStatements() {
    return (this.dialReads ??= {
      contact: this.db
        .select({ doNotCall: contacts.doNotCall })
        .from(contacts)
        .where(and(eq(contacts.id, sql.placeholder('id')), eq(contacts.tenantId, sql.placeholder('tenantId'))))
        .prepare(),
      phone: this.db
        .select({ valid: contactPhones.valid, doNotCall: contactPhones.doNotCall })
        .from(contactPhones)
        .where(and(eq(contactPhones.contactId, sql.placeholder('contactId')), eq(contactPhones.number, sql.placeholder('number'))))
        .prepare(),
    });
  }

  /** The contact's do-not-call flag; undefined when the tenant has no such contact. */
  contactDoNotCall(tenantId: number, contactId: number): boolean | undefined {
    return this.dialStatements().contact.get({ id: contactId, tenantId })?.doNotCall;
  }

  /** A phone of the contact, as the checks before a dial read it. */
  phoneFlags(contactId: number, number: string): { valid: boolean; doNotCall: boolean } | undefined {
    return this.dialStatements().phone.get({ contactId, number });
  }

  member(id: number): MemberRow | undefined {
    return this.db.select().from(dialerListMembers).where(eq(dialerListMembers.id, id)).get();
  }

  updateMember(id: number, set: Partial<Omit<MemberRow, 'id' | 'tenantId' | 'listId' | 'contactId'>>): void {
    this.db.update(dialerListMembers).set(set).where(eq(dialerListMembers.id, id)).run();
  }

  /** Lists not linked to any campaign, among `ids`. */
  unlinked(ids: readonly number[]): number[] {
    if (ids.length === 0) return [];
    return this.db.select({ id: dialerLists.id }).from(dialerLists).where(and(inArray(dialerLists.id, [...ids]), isNull(dialerLists.campaignId))).all().map((r) => r.id);
  }

  /** Campaigns the live dialer runs (running or paused), of every tenant. */
  liveCampaigns(): CampaignRow[] {
    return this.db.select().from(dialerCampaigns).where(inArray(dialerCampaigns.state, ['running', 'paused'])).all();
  }

  /** The campaign's active lists, in id order. */
  activeListIds(campaignId: number): number[] {
    return this.db
      .select({ id: dialerLists.id })
      .from(dialerLists)
      .where(and(eq(dialerLists.campaignId, campaignId), eq(dialerLists.active, true)))
      .orderBy(asc(dialerLists.id))
      .all()
      .map((r) => r.id);
  }

  /**
   * One page of a list's members still to do in one tier, in the order that tier is dialled,
   * with their contact's do-not-call flag: scheduled callbacks (by time), retries (by when they
   * fall due) or the never tried (in list order). `dueBy`: only those due by then (null: every
   * one). Members in `except` and members whose attempts are used up (a callback goes ahead
   * anyway) are left out. Each tier reads its own partial index, so a page costs what it returns,
   * not the size of the list.
   */
  tierMembers(
    listId: number,
    tier: MemberTier,
    q: { dueBy: number | null; maxAttempts: number; except: readonly number[]; limit: number; offset: number },
  ): { member: MemberRow; doNotCall: boolean }[] {
    const m = dialerListMembers;
    const [where, order] =
      tier === 'callback'
        ? [sql`${m.finished} = 0 and ${m.callbackAt} is not null`, [asc(m.callbackAt), asc(m.position)]]
        : tier === 'retry'
          ? [sql`${m.finished} = 0 and ${m.callbackAt} is null and ${m.retryAt} is not null`, [asc(m.retryAt), asc(m.position)]]
          : [sql`${m.finished} = 0 and ${m.callbackAt} is null and ${m.retryAt} is null`, [asc(m.position)]];
    const due = q.dueBy === null ? undefined : tier === 'callback' ? sql`${m.callbackAt} <= ${q.dueBy}` : tier === 'retry' ? sql`${m.retryAt} <= ${q.dueBy}` : undefined;
    return this.db
      .select({ member: m, doNotCall: contacts.doNotCall })
      .from(m)
      .innerJoin(contacts, eq(contacts.id, m.contactId))
      .where(
        and(
          eq(m.listId, listId),
          where,
          due,
          sql`${contacts.doNotCall} = 0`,
          tier === 'callback' ? undefined : sql`json_array_length(${m.attemptTimes}) < ${q.maxAttempts}`,
          q.except.length ? sql`${m.id} not in (select value from json_each(${JSON.stringify(q.except)}))` : undefined,
        ),
      )
      .orderBy(...order)
      .limit(q.limit)
      .offset(q.offset)
      .all();
  }

  insertAttempt(values: typeof dialerAttempts.$inferInsert): AttemptRow {
    return this.db.insert(dialerAttempts).values(values).returning().get();
  }

  /** A campaign's attempts recorded after the one with id `afterId`, in the order recorded. */
  campaignAttemptsAfter(campaignId: number, afterId: number): AttemptRow[] {
    return this.db
      .select()
      .from(dialerAttempts)
      .where(and(eq(dialerAttempts.campaignId, campaignId), gt(dialerAttempts.id, afterId)))
      .orderBy(asc(dialerAttempts.id))
      .all();
  }

  /** A campaign's attempts that started from `startedFrom` or ended from `endedFrom`, oldest first. */
  campaignAttemptsSince(campaignId: number, startedFrom: number, endedFrom: number): AttemptRow[] {
    return this.db
      .select()
      .from(dialerAttempts)
      .where(and(eq(dialerAttempts.campaignId, campaignId), or(gte(dialerAttempts.startedAt, startedFrom), gte(dialerAttempts.endedAt, endedFrom))))
      .orderBy(asc(dialerAttempts.startedAt))
      .all();
  }

  /** The tenant's attempts that started in [from, to). */
  attemptsBetween(tenantId: number, from: number, to: number): AttemptRow[] {
    return this.db
      .select()
      .from(dialerAttempts)
      .where(and(eq(dialerAttempts.tenantId, tenantId), sql`${dialerAttempts.startedAt} >= ${from}`, sql`${dialerAttempts.startedAt} < ${to}`))
      .orderBy(asc(dialerAttempts.startedAt))
      .all();
  }
}
