import type { Database, Statement } from 'better-sqlite3';
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

const IN_CHUNK = 500;

/**
 * The SQL the hot paths need: the screen-pop lookup (one indexed probe per call) and the
 * importer's batch writes and duplicate checks, as statements prepared once per database.
 */
export class ContactsRepo {
  private readonly sqlite: Database;
  private readonly byPhone: Statement;
  private readonly byPhoneInBook: Statement;
  private readonly insertContact: Statement;
  private readonly insertPhone: Statement;
  private readonly insertEmail: Statement;
  private readonly deleteImported: Statement;
  /** The duplicate checks' `IN (…)` statements by how many values they take (an import reuses two or three sizes). */
  private readonly inStatements = new Map<string, Statement>();

  constructor(sqlite: Database) {
    this.sqlite = sqlite;
    const select = `SELECT c.id AS contactId, c.book_id AS bookId, c.name AS name, p.id AS phoneId, c.do_not_call AS doNotCall,
        p.do_not_call AS phoneDoNotCall, p.valid AS phoneValid, c.owner_user_id AS ownerUserId, c.owner_until AS ownerUntil
      FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
      WHERE p.tenant_id = ? AND p.number = ? AND c.active = 1`;
    this.byPhone = this.sqlite.prepare(`${select} ORDER BY c.updated_at DESC, c.id DESC LIMIT 10`);
    this.byPhoneInBook = this.sqlite.prepare(`${select} AND c.book_id = ? ORDER BY c.updated_at DESC, c.id DESC LIMIT 10`);
    this.insertContact = this.sqlite.prepare(`INSERT INTO contacts (tenant_id, book_id, name, name_key, document, company, street, street_number,
        complement, district, city, state, postal_code, custom, do_not_call, active, import_id, created_at, updated_at)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1, ?, ?, ?)`);
    this.insertPhone = this.sqlite.prepare(
      'INSERT INTO contact_phones (tenant_id, contact_id, book_id, number, kind, position, valid, do_not_call) VALUES (?, ?, ?, ?, ?, ?, 1, 0)',
    );
    this.insertEmail = this.sqlite.prepare('INSERT INTO contact_emails (tenant_id, contact_id, email, position) VALUES (?, ?, ?, ?)');
    this.deleteImported = this.sqlite.prepare('DELETE FROM contacts WHERE id IN (SELECT id FROM contacts WHERE import_id = ? LIMIT ?)');
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
          ? `SELECT p.number AS number, p.contact_id AS contactId, c.import_id AS importId FROM contact_phones p JOIN contacts c ON c.id = p.contact_id
             WHERE p.tenant_id = ? AND p.book_id = ? AND p.number IN (${list})`
          : `SELECT document, id FROM contacts WHERE tenant_id = ? AND book_id = ? AND document IN (${list})`,
      );
      this.inStatements.set(key, statement);
    }
    return statement;
  }

  /** Which of `numbers` belong to a contact of the book already, and to which (and from which import). */
  existingNumbers(tenantId: number, bookId: number, numbers: readonly string[]): Map<string, { contactId: number; importId: number | null }> {
    const found = new Map<string, { contactId: number; importId: number | null }>();
    for (let i = 0; i < numbers.length; i += IN_CHUNK) {
      const chunk = numbers.slice(i, i + IN_CHUNK);
      const rows = this.inStatement('numbers', chunk.length).all(tenantId, bookId, ...chunk) as { number: string; contactId: number; importId: number | null }[];
      for (const r of rows) if (!found.has(r.number)) found.set(r.number, { contactId: r.contactId, importId: r.importId });
    }
    return found;
  }

  existingDocuments(tenantId: number, bookId: number, documents: readonly string[]): Map<string, number> {
    const found = new Map<string, number>();
    for (let i = 0; i < documents.length; i += IN_CHUNK) {
      const chunk = documents.slice(i, i + IN_CHUNK);
      const rows = this.inStatement('documents', chunk.length).all(tenantId, bookId, ...chunk) as { document: string; id: number }[];
      for (const r of rows) found.set(r.document, r.id);
    }
    return found;
  }

  /** Inserts a contact with its phones and e-mails (inside the caller's transaction). */
  insert(tenantId: number, c: NewContact, importId: number | null, now: number): number {
    const id = Number(
      this.insertContact.run(
        tenantId,
        c.bookId,
        c.name,
        c.nameKey,
        c.document,
        c.company,
        c.street,
        c.streetNumber,
        c.complement,
        c.district,
        c.city,
        c.state,
        c.postalCode,
        JSON.stringify(c.custom),
        importId,
        now,
        now,
      ).lastInsertRowid,
    );
    for (let i = 0; i < c.phones.length; i++) this.insertPhone.run(tenantId, id, c.bookId, c.phones[i]!.number, c.phones[i]!.kind, i);
    for (let i = 0; i < c.emails.length; i++) this.insertEmail.run(tenantId, id, c.emails[i]!, i);
    return id;
  }

  /** Deletes up to `limit` contacts an import created (their phones and e-mails go with them). */
  deleteImportedContacts(importId: number, limit: number): number {
    return this.deleteImported.run(importId, limit).changes;
  }
}
