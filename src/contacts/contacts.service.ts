import { and, eq, gt, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { blacklist, callbacks, contactBooks, contactInteractions, contacts, tickets } from '../db/schema/index.js';
import type { ChangeContext } from '../http/principal.js';
import { invalidField, notFound, type Logger } from '../kernel/index.js';
import { ResourceService, type ResourceContext } from '../resources/index.js';
import { candidateKeys } from './blacklist.logic.js';
import { blacklistDef } from './blacklist.resource.js';
import { bookDef } from './books.resource.js';
import { ContactsRepo, type PhoneMatch } from './contacts.repo.js';
import { contactDef, type ContactInput, type ContactView } from './contacts.resource.js';
import { fieldDef } from './fields.resource.js';
import { booksUsingForm, formDef } from './forms.resource.js';
import { BlacklistImportTarget } from './import/blacklist.target.js';
import { ContactsImportTarget } from './import/contacts.target.js';
import type { ImportPublisher } from './import/importer.model.js';
import { ImportService } from './import/importer.service.js';
import { InteractionsService } from './interactions.service.js';
import { checkPhone } from './phone.logic.js';
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
  private readonly db: Db;

  constructor(private readonly deps: ContactsDeps) {
    const { resources } = deps;
    this.db = resources.database.db;
    this.repo = new ContactsRepo(resources.database.sqlite);
    const defaultBook = (db: Db, tenantId: number) => this.defaultBook(tenantId, db);
    this.books = new ResourceService(bookDef, resources);
    this.fields = new ResourceService(fieldDef, resources);
    this.forms = new ResourceService(formDef, resources);
    this.contacts = new ResourceService(contactDef(defaultBook), resources);
    this.blacklist = new ResourceService(blacklistDef, resources);
    this.shortcuts = new ResourceService(shortcutDef, resources);
    this.faq = new ResourceService(faqDef, resources);
    this.statusGroups = new ResourceService(groupDef, resources);
    this.statuses = new ResourceService(statusDef, resources);
    this.tags = new ResourceService(tagDef, resources);
    resources.references.add('contact_form', booksUsingForm(this.db));
    resources.references.add('status_group', statusesOfGroup(this.db));

    this.interactions = new InteractionsService(resources.database, resources.clock);
    this.importer = new ImportService({
      database: resources.database,
      clock: resources.clock,
      logger: deps.logger,
      spoolDir: deps.spoolDir,
      maxBytes: deps.importMaxBytes,
      publisher: deps.importPublisher,
    });
    this.importer.register(new ContactsImportTarget(defaultBook));
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
    const found = db.select({ id: contactBooks.id }).from(contactBooks).where(and(eq(contactBooks.tenantId, tenantId), eq(contactBooks.isDefault, true))).get();
    if (found) return found.id;
    const now = this.deps.resources.clock.now();
    const byName = db.select({ id: contactBooks.id }).from(contactBooks).where(and(eq(contactBooks.tenantId, tenantId), eq(contactBooks.name, DEFAULT_BOOK_NAME))).get();
    if (byName) {
      db.update(contactBooks).set({ isDefault: true, updatedAt: now }).where(eq(contactBooks.id, byName.id)).run();
      return byName.id;
    }
    return db.insert(contactBooks).values({ tenantId, name: DEFAULT_BOOK_NAME, isDefault: true, active: true, createdAt: now, updatedAt: now }).returning().get().id;
  }

  /**
   * Screen pop: the active contacts with this number, in `bookId` when the service names one.
   * One indexed probe; any usual way of writing the number is accepted.
   */
  lookup(tenantId: number, caller: string, bookId?: number): ScreenPop {
    const checked = checkPhone(caller);
    if (!checked.ok) return { number: null, matches: [] };
    return { number: checked.number, matches: this.repo.lookupByPhone(tenantId, checked.number, bookId) };
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
    type PhoneIn = NonNullable<ContactInput['phones']>[number];
    const phones: PhoneIn[] = [];
    for (const p of [...target.phones, ...others.flatMap((o) => o.phones)]) {
      if (!phones.some((x) => x.number === p.number)) phones.push({ number: p.number, label: p.label as PhoneIn['label'], valid: p.valid, doNotCall: p.doNotCall });
    }
    patch.phones = phones.slice(0, 10);
    patch.emails = [...new Set([...target.emails, ...others.flatMap((o) => o.emails)])].slice(0, 10);
    patch.tagIds = [...new Set([...target.tagIds, ...others.flatMap((o) => o.tagIds)])];
    const custom = { ...target.custom };
    for (const o of others) for (const [k, v] of Object.entries(o.custom)) custom[k] ??= v;
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
