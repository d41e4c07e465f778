import { and, asc, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { blacklist, callbacks, campaignTypes, contactBooks, contactForms, contactInteractions, contacts, tickets } from '../db/schema/index.js';
import type { ChangeContext } from '../http/principal.js';
import { conflict, invalidField, notFound, type Logger } from '../kernel/index.js';
import { ResourceService, type ResourceContext } from '../resources/index.js';
import { candidateKeys } from './blacklist.logic.js';
import { blacklistDef } from './blacklist.resource.js';
import { booksOfCampaignType, campaignTypeDef, campaignTypesUsingForm } from './campaign-types.resource.js';
import { bookDef } from './books.resource.js';
import { ContactsRepo, type PhoneMatch } from './contacts.repo.js';
import { MAX_EMAILS, MAX_PHONES, contactDef, contactView, type ContactInput, type ContactView } from './contacts.resource.js';
import { activeFields, fieldDef } from './fields.resource.js';
import { booksUsingForm, formDef, type FormView } from './forms.resource.js';
import { BlacklistImportTarget } from './import/blacklist.target.js';
import { ContactsImportTarget, contactColumns } from './import/contacts.target.js';
import { BOM, csvLine } from './import/csv.logic.js';
import type { ImportPublisher } from './import/importer.model.js';
import { ImportService } from './import/importer.service.js';
import { InteractionsService, type InteractionRow } from './interactions.service.js';
import { checkPhone } from './phone.logic.js';
import { bookOfNamedService, bookOfService, shortcutsOfService } from './services.ref.js';
import { faqDef, shortcutDef } from './shortcuts.resource.js';
import { groupDef, statusDef, statusesOfGroup, tagDef } from './tabulations.resource.js';

export interface ContactsDeps {
  resources: ResourceContext;
  logger: Logger;
  /** Where CSV uploads are kept while they are imported. */
  spoolDir: string;
  importMaxBytes: number;
  importPublisher: ImportPublisher;
}

/** A screen pop: who is calling from `number`, in the book a service names (or the whole tenant). */
export interface ScreenPop {
  /** The caller's number normalised (55 + DDD + number), or null when it is not a Brazilian number. */
  number: string | null;
  matches: PhoneMatch[];
}

/** Made by `defaultBook` for a tenant that has none yet. */
const DEFAULT_BOOK_NAME = 'Contatos';

/**
 * The contacts side of the CRM: books, custom fields, forms, contacts, blacklist, shortcuts,
 * FAQ, tabulations and tags as resources, the importer with its targets, and the lookups the
 * ACD and the dialer call on every interaction (screen pop, blacklist, do-not-call).
 */
export class ContactsService {
  readonly books;
  readonly fields;
  readonly forms;
  readonly campaignTypes;
  readonly contacts;
  readonly blacklist;
  readonly shortcuts;
  readonly faq;
  readonly statusGroups;
  readonly statuses;
  readonly tags;
  readonly repo: ContactsRepo;
  readonly importer: ImportService;
  readonly interactions: InteractionsService;
  /** The contacts target, which the dialer's contact groups build on (one importer, one set of row rules). */
  readonly contactsImportTarget: ContactsImportTarget;
  private readonly db: Db;

  constructor(private readonly deps: ContactsDeps) {
    const { resources } = deps;
    this.db = resources.database.db;
    this.repo = new ContactsRepo(resources.database.sqlite);
    const defaultBook = (db: Db, tenantId: number) => this.defaultBook(tenantId, db);
    this.books = new ResourceService(bookDef, resources);
    this.fields = new ResourceService(fieldDef, resources);
    this.forms = new ResourceService(formDef, resources);
    this.campaignTypes = new ResourceService(campaignTypeDef, resources);
    this.contacts = new ResourceService(contactDef(defaultBook), resources);
    this.blacklist = new ResourceService(blacklistDef, resources);
    this.shortcuts = new ResourceService(shortcutDef, resources);
    this.faq = new ResourceService(faqDef, resources);
    this.statusGroups = new ResourceService(groupDef, resources);
    this.statuses = new ResourceService(statusDef, resources);
    this.tags = new ResourceService(tagDef, resources);
    resources.references.add('contact_form', booksUsingForm(this.db));
    resources.references.add('contact_form', campaignTypesUsingForm(this.db));
    resources.references.add('campaign_type', booksOfCampaignType(this.db));
    resources.references.add('status_group', statusesOfGroup(this.db));
    resources.references.add('queue', shortcutsOfService(this.db));

    this.interactions = new InteractionsService(resources.database, resources.clock);
    this.importer = new ImportService({
      database: resources.database,
      clock: resources.clock,
      logger: deps.logger,
      spoolDir: deps.spoolDir,
      maxBytes: deps.importMaxBytes,
      publisher: deps.importPublisher,
    });
    this.contactsImportTarget = new ContactsImportTarget(defaultBook);
    this.importer.register(this.contactsImportTarget);
    this.importer.register(new BlacklistImportTarget());
  }

  /** Undoes imports a stop of the daemon interrupted. */
  start(): Promise<void> {
    return this.importer.recover();
  }

  stop(): Promise<void> {
    return this.importer.stop();
  }

  /** The tenant's default book, made on first use. */
  defaultBook(tenantId: number, db: Db = this.db): number {
    // One prepared statement on the connection every `db` shares (a transaction's included).
    const found = this.repo.defaultBookId(tenantId);
    if (found !== undefined) return found;
    const now = this.deps.resources.clock.now();
    const byName = db.select({ id: contactBooks.id }).from(contactBooks).where(and(eq(contactBooks.tenantId, tenantId), eq(contactBooks.name, DEFAULT_BOOK_NAME))).get();
    if (byName) {
      db.update(contactBooks).set({ isDefault: true, updatedAt: now }).where(eq(contactBooks.id, byName.id)).run();
      return byName.id;
    }
    return db.insert(contactBooks).values({ tenantId, name: DEFAULT_BOOK_NAME, isDefault: true, active: true, createdAt: now, updatedAt: now }).returning().get().id;
  }

  /**
   * The form the agent desktop shows: the campaign type's when one is named, else the book's,
   * else the book's campaign type's, else the tenant's default form; null when there is none.
   */
  formFor(tenantId: number, at: { bookId?: number | undefined; campaignTypeId?: number | undefined }): FormView | null {
    const typeForm = (id: number | null | undefined) => {
      if (id == null) return null;
      const type = this.db.select().from(campaignTypes).where(eq(campaignTypes.id, id)).get();
      if (type?.tenantId !== tenantId) throw invalidField('campaignTypeId', 'campaignTypeId: no such campaign type');
      return type.active ? type.formId : null;
    };
    let formId = typeForm(at.campaignTypeId);
    if (formId === null && at.bookId !== undefined) {
      const book = this.books.row(tenantId, at.bookId);
      if (!book) throw invalidField('bookId', 'bookId: no such contact book');
      formId = book.formId ?? typeForm(book.campaignTypeId);
    }
    const form =
      formId === null
        ? this.db.select().from(contactForms).where(and(eq(contactForms.tenantId, tenantId), eq(contactForms.isDefault, true), eq(contactForms.active, true))).get()
        : this.forms.row(tenantId, formId);
    return form?.active ? this.forms.def.toView(form, { db: this.db }) : null;
  }

  /**
   * Screen pop: the active contacts with this number, in `bookId` when the service names one.
   * One indexed probe; any usual way of writing the number is accepted.
   */
  lookup(tenantId: number, caller: string, where: { bookId?: number; serviceId?: number } = {}): ScreenPop {
    if (where.bookId !== undefined && where.serviceId !== undefined) throw invalidField('serviceId', 'serviceId: give bookId or serviceId, not both');
    let bookId = where.bookId;
    if (where.serviceId !== undefined) {
      // A service's callers are those of its book (the tenant's default when it names none), as the ACD finds them.
      bookId = bookOfNamedService(this.db, tenantId, where.serviceId, 'serviceId') ?? this.defaultBook(tenantId);
    }
    const checked = checkPhone(caller);
    if (!checked.ok) return { number: null, matches: [] };
    return { number: checked.number, matches: this.repo.lookupByPhone(tenantId, checked.number, bookId) };
  }

  /**
   * Who a service's caller is, as the ACD asks on every call: the first active contact with
   * this number in the service's book, or in the tenant's default book when it names none.
   */
  caller(tenantId: number, number: string, bookId?: number | null): PhoneMatch | undefined {
    return this.lookup(tenantId, number, { bookId: bookId ?? this.defaultBook(tenantId) }).matches[0];
  }

  /**
   * `blacklisted` for many numbers at once (the dialer's scan of a contact group): the tenant's
   * entries in force now are read once, then each number is matched in memory the same way.
   */
  blacklistMatcher(tenantId: number, direction: 'inbound' | 'outbound', now: number): (number: string) => boolean {
    const entries = this.db
      .select({ number: blacklist.number, match: blacklist.match })
      .from(blacklist)
      .where(and(eq(blacklist.tenantId, tenantId), eq(blacklist.direction, direction), or(isNull(blacklist.expiresAt), gt(blacklist.expiresAt, now))))
      .all();
    if (entries.length === 0) return () => false;
    const numbers = new Set(entries.filter((e) => e.match === 'number').map((e) => e.number));
    const prefixes = entries.filter((e) => e.match === 'prefix').map((e) => e.number);
    return (number) => {
      const keys = candidateKeys(number);
      if (keys.every((k) => k === '')) return false;
      return keys.some((k) => numbers.has(k) || prefixes.some((p) => k.startsWith(p)));
    };
  }

  /**
   * Is `number` blacklisted in this direction now? Inbound: reject the caller (flows); outbound:
   * never dial it (dialer). Returns the matching entry, or null.
   */
  blacklisted(tenantId: number, direction: 'inbound' | 'outbound', number: string, now: number): { id: number; number: string; match: string; reason: string | null } | null {
    const keys = candidateKeys(number);
    if (keys.every((k) => k === '')) return null;
    return (
      this.db
        .select({ id: blacklist.id, number: blacklist.number, match: blacklist.match, reason: blacklist.reason })
        .from(blacklist)
        .where(
          and(
            eq(blacklist.tenantId, tenantId),
            eq(blacklist.direction, direction),
            or(isNull(blacklist.expiresAt), gt(blacklist.expiresAt, now)),
            or(
              and(eq(blacklist.match, 'number'), inArray(blacklist.number, keys)),
              and(eq(blacklist.match, 'prefix'), or(...keys.map((k) => sql`${k} like ${blacklist.number} || '%'`))),
            ),
          ),
        )
        .get() ?? null
    );
  }

  /**
   * The contacts of a book as CSV in the import model's columns (a BOM, then pages of 500), with
   * as many phone and e-mail columns as the contact that has most of them needs.
   */
  async *exportCsv(tenantId: number, bookId: number): AsyncGenerator<string> {
    const keys = activeFields(this.db, tenantId, 'contact').map((f) => f.key);
    const most = this.repo.mostPerContact(bookId);
    const phoneCount = Math.max(2, most.phones);
    const emailCount = Math.max(1, most.emails);
    yield BOM + csvLine([...contactColumns(phoneCount, emailCount), ...keys]);
    const read = { db: this.db };
    let after = 0;
    for (;;) {
      const page = this.db.select().from(contacts).where(and(eq(contacts.bookId, bookId), gt(contacts.id, after))).orderBy(asc(contacts.id)).limit(500).all();
      if (page.length === 0) return;
      yield page
        .map((row) => {
          const c = contactView(row, read);
          const address = [c.company, c.street, c.streetNumber, c.complement, c.district, c.city, c.state, c.postalCode];
          const phones = Array.from({ length: phoneCount }, (_, i) => c.phones[i]?.number);
          const emails = Array.from({ length: emailCount }, (_, i) => c.emails[i]);
          return csvLine([c.name, ...phones, ...emails, c.document, ...address, ...keys.map((k) => c.custom[k])]);
        })
        .join('');
      after = page[page.length - 1]!.id;
    }
  }

  /**
   * An unknown caller becomes a contact: the interaction's number (or e-mail address) is added
   * to what the agent typed, in the book the agent picked, else the one the interaction's
   * service names (where its next call is looked up), else the default one, and the
   * interaction is linked to it.
   */
  createFromInteraction(change: ChangeContext, interactionId: number, input: ContactInput): { contact: ContactView; interaction: InteractionRow } {
    const row = this.interactions.visible(change.actor, interactionId);
    if (row.contactId !== null) throw conflict('the interaction is already linked to a contact', { field: 'id' });
    const phones = [...(input.phones ?? [])];
    const emails = [...(input.emails ?? [])];
    const address = addressOf(row);
    const typed = (n: string) => {
      const p = checkPhone(n);
      return p.ok ? p.number : n;
    };
    if (address?.phone && !phones.some((p) => typed(p.number) === address.phone)) phones.unshift({ number: address.phone });
    if (address?.email && !emails.includes(address.email)) emails.unshift(address.email);
    const bookId = input.bookId ?? (row.serviceId === null ? null : bookOfService(this.db, row.tenantId, row.serviceId));
    const contact = this.contacts.create(change, row.tenantId, { ...input, phones, emails, ...(bookId === null ? {} : { bookId }) });
    return { contact, interaction: this.interactions.link(change.actor, interactionId, contact.id) };
  }

  /**
   * The agent links an unknown caller to an existing contact. Unless `addAddress` is false, the
   * call's number (or the e-mail's address) is added to the contact, so that its next call or
   * e-mail finds it. All or nothing: a number that cannot be Brazilian (a withheld caller ID, a
   * call from abroad) or a contact whose phones are full is refused at `addAddress`, and
   * nothing is linked.
   */
  link(change: ChangeContext, interactionId: number, contactId: number, addAddress: boolean): InteractionRow {
    return this.deps.resources.database.sqlite.transaction(() => {
      const row = this.interactions.visible(change.actor, interactionId);
      const contact = this.contacts.get(change.actor, contactId);
      if (contact.tenantId !== row.tenantId) throw notFound('contact');
      if (addAddress && row.address !== null) {
        const address = addressOf(row);
        if (address === null) throw invalidField('addAddress', `addAddress: ${row.address} is not a Brazilian phone number, so it cannot be kept on the contact; link it without adding the number`);
        if (address.phone && !contact.phones.some((p) => p.number === address.phone)) {
          if (contact.phones.length >= MAX_PHONES) throw invalidField('addAddress', `addAddress: the contact has ${MAX_PHONES} phones, the most it may have; link it without adding the number`);
          this.contacts.update(change, contactId, { phones: [...contact.phones.map(phoneInput), { number: address.phone }] });
        } else if (address.email && !contact.emails.includes(address.email)) {
          this.contacts.update(change, contactId, { emails: [...contact.emails, address.email] });
        }
      }
      return this.interactions.link(change.actor, interactionId, contactId);
    })();
  }

  /**
   * Merges duplicates into `targetId`: phones, e-mails and tags are joined, empty fields of the
   * target are filled from the others, and their interactions, tickets and callbacks move to
   * the target; the others are deleted. All or nothing, audited.
   */
  merge(change: ChangeContext, targetId: number, otherIds: readonly number[]): ContactView {
    const target = this.contacts.get(change.actor, targetId);
    const others = otherIds.map((id) => {
      if (id === targetId) throw invalidField('ids', 'ids: the contact cannot be merged into itself');
      const other = this.contacts.get(change.actor, id);
      if (other.tenantId !== target.tenantId) throw notFound('contact');
      return other;
    });
    const patch: Partial<ContactInput> = {};
    const phones: PhoneInput[] = [];
    for (const p of [...target.phones, ...others.flatMap((o) => o.phones)]) {
      if (!phones.some((x) => x.number === p.number)) phones.push(phoneInput(p));
    }
    patch.phones = phones.slice(0, MAX_PHONES);
    patch.emails = [...new Set([...target.emails, ...others.flatMap((o) => o.emails)])].slice(0, MAX_EMAILS);
    patch.tagIds = [...new Set([...target.tagIds, ...others.flatMap((o) => o.tagIds)])];
    // The others' values of fields no longer active are not brought over (the target's own are kept).
    const active = new Set(activeFields(this.db, target.tenantId, 'contact').map((f) => f.key));
    const custom = { ...target.custom };
    for (const o of others) for (const [k, v] of Object.entries(o.custom)) if (active.has(k)) custom[k] ??= v;
    patch.custom = custom;
    for (const key of ['document', 'company', 'street', 'streetNumber', 'complement', 'district', 'city', 'state', 'postalCode', 'ownerUserId', 'ownerUntil'] as const) {
      if (target[key] === null) {
        const donor = others.find((o) => o[key] !== null);
        if (donor) (patch as Record<string, unknown>)[key] = donor[key];
      }
    }
    if (others.some((o) => o.doNotCall)) patch.doNotCall = true;
    const ids = others.map((o) => o.id);
    return this.deps.resources.database.sqlite.transaction(() => {
      this.db.update(contactInteractions).set({ contactId: targetId }).where(inArray(contactInteractions.contactId, ids)).run();
      this.db.update(tickets).set({ contactId: targetId }).where(inArray(tickets.contactId, ids)).run();
      this.db.update(callbacks).set({ contactId: targetId }).where(inArray(callbacks.contactId, ids)).run();
      // A document moves from a duplicate to the target: clear it first so that it is not a clash.
      if (patch.document) this.db.update(contacts).set({ document: null }).where(inArray(contacts.id, ids)).run();
      const [view] = this.contacts.bulk(change, target.tenantId, { remove: ids, update: [{ id: targetId, patch }] });
      return view!;
    })();
  }
}

type PhoneInput = NonNullable<ContactInput['phones']>[number];

/** A contact's phone as it is given back when its phones are written again (type and marks kept). */
const phoneInput = (p: ContactView['phones'][number]): PhoneInput => ({ number: p.number, label: p.label as PhoneInput['label'], valid: p.valid, doNotCall: p.doNotCall });

/**
 * An interaction's address as a contact keeps it: an e-mail's address (lower case), or a
 * call's or message's number as a Brazilian phone; null when there is none or it cannot be one.
 */
function addressOf(row: InteractionRow): { phone?: string; email?: string } | null {
  if (row.address === null) return null;
  if (row.channel === 'email') return { email: row.address.toLowerCase() };
  const phone = checkPhone(row.address);
  return phone.ok ? { phone: phone.number } : null;
}
