import type { Database, Statement } from 'better-sqlite3';
import { MultiRowInsert } from '../db/multi-row.js';
import type { ContactKeys } from './contact-keys.js';
import type { PhoneKind } from './phone.logic.js';

/** A contact found by phone for a screen pop. */
export interface PhoneMatch {
  contactId: number;
  bookId: number;
  name: string;
  phoneId: number;
  doNotCall: boolean;
  phoneDoNotCall: boolean;
  phoneValid: boolean;
  ownerUserId: number | null;
  ownerUntil: number | null;
}

export interface NewContact {
  bookId: number;
  name: string;
  nameKey: string;
  document: string | null;
  company: string | null;
  street: string | null;
  streetNumber: string | null;
  complement: string | null;
  district: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  custom: Record<string, string | number>;
  phones: { number: string; kind: PhoneKind }[];
  emails: string[];
}

/** A contact already holding a phone number or a document that an import brings. */
export interface Existing {
  contactId: number;
  bookId: number;
  /** The import that made it, if one did. */
  importId: number | null;
}

const IN_CHUNK = 500;
/**
 * Rows per multi-row INSERT. One statement per chunk instead of per row: fewer calls into
 * SQLite, and the tables' AUTOINCREMENT counter is read and written once per statement.
 */
const INSERT_CHUNK = 100;

const CONTACT_COLUMNS = `tenant_id, book_id, name, name_key, document, company, street, street_number, complement, district, city, state, postal_code,
  custom, do_not_call, active, import_id, created_at, updated_at`;
const CONTACT_VALUES = '(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?)';
const PHONE_VALUES = '(?, ?, ?, ?, ?, ?, 1, 0)';
const EMAIL_VALUES = '(?, ?, ?, ?)';
/** Values bound per row. */
const CONTACT_WIDTH = 17;
const PHONE_WIDTH = 6;
const EMAIL_WIDTH = 4;
/**
 * `OR FAIL`: a row that breaks a constraint fails the statement without undoing the rows it
 * wrote before (the caller's transaction is then rolled back as a whole). With foreign keys
 * not enforced (the bulk writer's connection) SQLite then needs no statement journal, a copy
 * of each page the statement changes, made before it changes it.
 */
const MULTI_INSERT = {
  contacts: (n: number) => `INSERT OR FAIL INTO contacts (${CONTACT_COLUMNS}) VALUES ${Array.from({ length: n }, () => CONTACT_VALUES).join(',')}`,
  phones: (n: number) =>
    `INSERT OR FAIL INTO contact_phones (tenant_id, contact_id, book_id, number, kind, position, valid, do_not_call) VALUES ${Array.from({ length: n }, () => PHONE_VALUES).join(',')}`,
  emails: (n: number) => `INSERT OR FAIL INTO contact_emails (tenant_id, contact_id, email, position) VALUES ${Array.from({ length: n }, () => EMAIL_VALUES).join(',')}`,
};

/**
 * The SQL the hot paths need: the screen-pop lookup (one indexed probe per call) and the
 * importer's batch writes (multi-row inserts) and duplicate checks, as statements prepared once
 * per repository.
 */
export class ContactsRepo {
  private readonly sqlite: Database;
  private readonly byPhone: Statement;
  private readonly byPhoneInBook: Statement;
  private readonly deleteImported: Statement;
  private readonly defaultBook: Statement;
  /** The duplicate checks' `IN (…)` statements by how many values they take (powers of two up to `IN_CHUNK`). */
  private readonly inStatements = new Map<string, Statement>();
  private readonly inserts: Record<'contacts' | 'phones' | 'emails', MultiRowInsert>;

  constructor(sqlite: Database) {
    this.sqlite = sqlite;
    const select = `SELECT c.id AS contactId, c.book_id AS bookId, c.name AS name, p.id AS phoneId, c.do_not_call AS doNotCall,
        p.do_not_call AS phoneDoNotCall, p.valid AS phoneValid, c.owner_user_id AS ownerUserId, c.owner_until AS ownerUntil
      FROM contact_phone_keys k JOIN contact_phones p ON p.id = k.phone_id AND p.number = k.number JOIN contacts c ON c.id = p.contact_id
      WHERE k.tenant_id = ? AND k.number = ? AND c.active = 1`;
    this.byPhone = this.sqlite.prepare(`${select} ORDER BY c.updated_at DESC, c.id DESC LIMIT 10`);
    this.byPhoneInBook = this.sqlite.prepare(`${select} AND c.book_id = ? ORDER BY c.updated_at DESC, c.id DESC LIMIT 10`);
    this.deleteImported = this.sqlite.prepare('DELETE FROM contacts WHERE id IN (SELECT id FROM contacts WHERE import_id = ? LIMIT ?)');
    this.defaultBook = this.sqlite.prepare('SELECT id FROM contact_books WHERE tenant_id = ? AND is_default = 1');
    this.inserts = {
      contacts: new MultiRowInsert(sqlite, MULTI_INSERT.contacts, CONTACT_WIDTH, INSERT_CHUNK),
      phones: new MultiRowInsert(sqlite, MULTI_INSERT.phones, PHONE_WIDTH, INSERT_CHUNK),
      emails: new MultiRowInsert(sqlite, MULTI_INSERT.emails, EMAIL_WIDTH, INSERT_CHUNK),
    };
  }

  /** The tenant's default book, if it has one: asked on every queue call whose service names no book. */
  defaultBookId(tenantId: number): number | undefined {
    return (this.defaultBook.get(tenantId) as { id: number } | undefined)?.id;
  }

  /** The most phones and the most e-mails one contact of the book has (the export's columns). */
  mostPerContact(bookId: number): { phones: number; emails: number } {
    const most = (sql: string) => (this.sqlite.prepare(sql).get(bookId) as { n: number | null }).n ?? 0;
    return {
      phones: most('SELECT max(n) AS n FROM (SELECT count(*) AS n FROM contact_phones WHERE book_id = ? GROUP BY contact_id)'),
      emails: most('SELECT max(n) AS n FROM (SELECT count(*) AS n FROM contact_emails e JOIN contacts c ON c.id = e.contact_id WHERE c.book_id = ? GROUP BY e.contact_id)'),
    };
  }

  /** Active contacts with this normalised number, the most recently changed first. */
  lookupByPhone(tenantId: number, number: string, bookId?: number): PhoneMatch[] {
    const rows = (bookId === undefined ? this.byPhone.all(tenantId, number) : this.byPhoneInBook.all(tenantId, number, bookId)) as (Omit<PhoneMatch, 'doNotCall' | 'phoneDoNotCall' | 'phoneValid'> & {
      doNotCall: number;
      phoneDoNotCall: number;
      phoneValid: number;
    })[];
    return rows.map((r) => ({ ...r, doNotCall: r.doNotCall === 1, phoneDoNotCall: r.phoneDoNotCall === 1, phoneValid: r.phoneValid === 1 }));
  }

  private inStatement(kind: 'numbers' | 'documents', n: number): Statement {
    const key = `${kind}:${n}`;
    let statement = this.inStatements.get(key);
    if (!statement) {
      const list = Array.from({ length: n }, () => '?').join(',');
      statement = this.sqlite.prepare(
        kind === 'numbers'
          ? `SELECT p.number AS key, p.contact_id AS contactId, p.book_id AS bookId, c.import_id AS importId
             FROM contact_phone_keys k JOIN contact_phones p ON p.id = k.phone_id AND p.number = k.number JOIN contacts c ON c.id = p.contact_id
             WHERE k.tenant_id = ? AND k.number IN (${list})`
          : `SELECT document AS key, id AS contactId, book_id AS bookId, import_id AS importId FROM contacts WHERE tenant_id = ? AND document IN (${list})`,
      );
      this.inStatements.set(key, statement);
    }
    return statement;
  }

  /**
   * The values of `list` from `start`, at most `IN_CHUNK`, padded (the last value repeated, which
   * an `IN` list ignores) to a power of two: an import's batches, each with a different number
   * of phones, then share a few statements instead of preparing one per length.
   */
  private inChunk(list: readonly string[], start: number): string[] {
    const chunk = list.slice(start, start + IN_CHUNK);
    const size = Math.min(IN_CHUNK, 2 ** Math.ceil(Math.log2(chunk.length)));
    const last = chunk[chunk.length - 1]!;
    while (chunk.length < size) chunk.push(last);
    return chunk;
  }

  /**
   * Which of `keys` (phone numbers or documents) belong to a contact of the tenant already, and
   * to which (its book, the import that made it): one of the book `bookId`'s own where there is one.
   */
  existing(kind: 'numbers' | 'documents', tenantId: number, bookId: number, keys: readonly string[]): Map<string, Existing> {
    const found = new Map<string, Existing>();
    for (let i = 0; i < keys.length; i += IN_CHUNK) {
      const chunk = this.inChunk(keys, i);
      const rows = this.inStatement(kind, chunk.length).all(tenantId, ...chunk) as (Existing & { key: string })[];
      for (const { key, ...r } of rows) if (found.get(key)?.bookId !== bookId) found.set(key, r);
    }
    return found;
  }

  /**
   * Inserts many contacts with their phones and e-mails (inside the caller's transaction), a
   * chunk of rows per statement: what an import does with each batch. Their keys (name, numbers,
   * e-mails) go to `keys` to be filed later: the bulk writer's triggers leave them out.
   */
  insertMany(tenantId: number, list: readonly NewContact[], importId: number | null, now: number, keys: ContactKeys): void {
    const contacts: unknown[] = [];
    for (const c of list) {
      contacts.push(tenantId, c.bookId, c.name, c.nameKey, c.document, c.company, c.street, c.streetNumber, c.complement, c.district, c.city, c.state, c.postalCode);
      contacts.push(JSON.stringify(c.custom), importId, now, now);
    }
    const phones: unknown[] = [];
    const emails: unknown[] = [];
    this.inserts.contacts.run(contacts, list.length, (first, count, result) => {
      // The rows of one INSERT … VALUES get consecutive ids, in the order written (AUTOINCREMENT, inside our transaction).
      const firstId = Number(result.lastInsertRowid) - count + 1;
      for (let i = first; i < first + count; i++) {
        const c = list[i]!;
        const id = firstId + (i - first);
        keys.name(c.nameKey, id);
        for (let k = 0; k < c.phones.length; k++) phones.push(tenantId, id, c.bookId, c.phones[k]!.number, c.phones[k]!.kind, k);
        for (let k = 0; k < c.emails.length; k++) emails.push(tenantId, id, c.emails[k]!, k);
      }
    });
    this.inserts.phones.run(phones, phones.length / PHONE_WIDTH, (first, count, result) => {
      const firstId = Number(result.lastInsertRowid) - count + 1;
      for (let i = 0; i < count; i++) keys.phone(phones[(first + i) * PHONE_WIDTH + 3] as string, firstId + i);
    });
    this.inserts.emails.run(emails, emails.length / EMAIL_WIDTH, (first, count, result) => {
      const firstId = Number(result.lastInsertRowid) - count + 1;
      for (let i = 0; i < count; i++) keys.email(emails[(first + i) * EMAIL_WIDTH + 2] as string, firstId + i);
    });
  }

  /** Deletes up to `limit` contacts an import created (their phones and e-mails go with them). */
  deleteImportedContacts(importId: number, limit: number): number {
    return this.deleteImported.run(importId, limit).changes;
  }
}
