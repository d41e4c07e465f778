import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationsFolder, openDatabase, type Database_ } from '../../src/db/client.js';
import { contactBooks, tenants } from '../../src/db/schema/index.js';
import { ContactKeys } from '../../src/contacts/contact-keys.js';
import { ContactsRepo, type NewContact } from '../../src/contacts/contacts.repo.js';
import { ContactsImportTarget } from '../../src/contacts/import/contacts.target.js';

/**
 * The keys a contact is found by (name, numbers, e-mails) live in tables of their own: triggers
 * keep them for every connection but the import's bulk writer, whose import files them itself
 * (`ContactKeys`).
 */
describe('contact keys', () => {
  let dir: string;
  let database: Database_;
  let tenantId: number;
  let bookId: number;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atende-keys-'));
    database = openDatabase(join(dir, 'atende.db'));
    tenantId = database.db.insert(tenants).values({ legalName: 'Empresa', cnpj: '11222333000181' }).returning({ id: tenants.id }).get().id;
    bookId = database.db.insert(contactBooks).values({ tenantId, name: 'Clientes', isDefault: true, createdAt: 0, updatedAt: 0 }).returning({ id: contactBooks.id }).get().id;
  });
  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const contact = (i: number, numbers: string[]): NewContact => ({
    bookId, name: `Pessoa ${i}`, nameKey: `pessoa ${i}`, document: null, company: null, street: null, streetNumber: null, complement: null,
    district: null, city: null, state: null, postalCode: null, custom: {}, phones: numbers.map((number) => ({ number, kind: 'mobile' as const })), emails: [`p${i}@example.com`],
  });
  const found = (repo: ContactsRepo, number: string) => repo.lookupByPhone(tenantId, number).map((m) => m.name);
  const count = (table: string) => (database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

  it('a contact written on the daemon\'s connection is found at once; edited, by its new number only; deleted, not at all', () => {
    const repo = new ContactsRepo(database.sqlite);
    const id = database.sqlite.prepare(`INSERT INTO contacts (tenant_id, book_id, name, name_key, custom, created_at, updated_at) VALUES (?, ?, 'Ana', 'ana', '{}', 0, 0)`).run(tenantId, bookId).lastInsertRowid;
    database.sqlite.prepare(`INSERT INTO contact_phones (tenant_id, contact_id, book_id, number, kind, position) VALUES (?, ?, ?, '5511987654321', 'mobile', 0)`).run(tenantId, id, bookId);
    expect(found(repo, '5511987654321')).toEqual(['Ana']);
    database.sqlite.prepare(`UPDATE contact_phones SET number = '5511912345678' WHERE contact_id = ?`).run(id);
    expect(found(repo, '5511987654321')).toEqual([]);
    expect(found(repo, '5511912345678')).toEqual(['Ana']);
    database.sqlite.prepare('UPDATE contacts SET name_key = ? WHERE id = ?').run('ana maria', id);
    expect(database.sqlite.prepare('SELECT name_key FROM contact_name_keys').all()).toEqual([{ name_key: 'ana maria' }]);
    // Deleting the contact deletes its phones (foreign key), and each phone its key.
    database.sqlite.prepare('DELETE FROM contacts WHERE id = ?').run(id);
    expect(found(repo, '5511912345678')).toEqual([]);
    expect([count('contact_phone_keys'), count('contact_name_keys')]).toEqual([0, 0]);
  });

  it("an import's numbers are found once their generation is filed, sorted; names and e-mails once the file is read; an earlier row's number is known before", () => {
    const bulk = database.bulkWrites();
    const scratch = join(dir, 'import.scratch');
    try {
      const { sqlite } = bulk.writer;
      const writer = new ContactsRepo(sqlite);
      const reader = new ContactsRepo(database.sqlite);
      // Generations of 12 keys: 3 contacts of two phones, a name and an e-mail each.
      const keys = new ContactKeys(sqlite, tenantId, scratch, 12);
      const batch = (from: number) => sqlite.transaction(() => {
        writer.insertMany(tenantId, [0, 1].map((k) => contact(from + k, [`55119870000${String(from + k).padStart(2, '0')}`, `55219870000${String(from + k).padStart(2, '0')}`])), 1, 0, keys);
        return keys.file(5);
      })();
      // 8 keys written: less than a generation, none filed.
      expect(batch(0)).toBe(8);
      expect(found(reader, '5511987000000')).toEqual([]);
      expect(keys.holdsNumber('5511987000000')).toBe(true);
      expect(keys.holdsNumber('5511987000099')).toBe(false);
      // 16: a generation is sorted; its names and e-mails wait in the scratch file, 5 of its
      // numbers are filed, the smallest first, whatever the order the rows came in.
      expect(batch(2)).toBe(11);
      expect(existsSync(scratch)).toBe(true);
      expect(count('contact_name_keys') + count('contact_email_keys')).toBe(0);
      expect(found(reader, '5511987000003')).toEqual(['Pessoa 3']);
      expect(found(reader, '5521987000000')).toEqual(['Pessoa 0']);
      expect(found(reader, '5521987000001')).toEqual([]);
      expect(keys.holdsNumber('5521987000001')).toBe(true);
      // The next generation fills while the numbers of this one are filed.
      expect(batch(4)).toBe(16);
      expect(found(reader, '5521987000003')).toEqual(['Pessoa 3']);
      expect(found(reader, '5511987000004')).toEqual([]);
      // The last of them: everything, whatever the size of what is left; the scratch file goes.
      while (sqlite.transaction(() => keys.file(3, true))() > 0);
      expect(keys.pending).toBe(0);
      expect(existsSync(scratch)).toBe(false);
      expect(found(reader, '5511987000000')).toEqual(['Pessoa 0']);
      expect(found(reader, '5521987000005')).toEqual(['Pessoa 5']);
      expect([count('contact_phone_keys'), count('contact_email_keys'), count('contact_name_keys')]).toEqual([12, 6, 6]);
      expect(database.sqlite.prepare('SELECT contact_id FROM contact_name_keys WHERE tenant_id = ? AND name_key = ?').all(tenantId, 'pessoa 5')).toEqual([{ contact_id: 6 }]);
      expect(keys.holdsNumber('5511987000000')).toBe(false);
      expect(reader.existing('numbers', tenantId, bookId, ['5511987000003', '5511900000000'])).toEqual(new Map([['5511987000003', { contactId: 4, bookId, importId: 1 }]]));
    } finally {
      bulk.close();
    }
  });

  it('an import that ends before filing its names and e-mails (cancelled, failed) leaves no scratch file', () => {
    const bulk = database.bulkWrites();
    const scratch = join(dir, 'import.scratch');
    try {
      const keys = new ContactKeys(bulk.writer.sqlite, tenantId, scratch, 4);
      bulk.writer.sqlite.transaction(() => {
        new ContactsRepo(bulk.writer.sqlite).insertMany(tenantId, [contact(1, ['5511987000001']), contact(2, ['5511987000002'])], 1, 0, keys);
        keys.file(100);
      })();
      expect([existsSync(scratch), keys.pending]).toEqual([true, 4]);
      keys.close();
      expect(existsSync(scratch)).toBe(false);
    } finally {
      bulk.close();
    }
  });

  it('imports at once: a number one has written and not filed yet is a duplicate for another of its book, until it ends, and reported to one of another book', () => {
    const bulk = database.bulkWrites();
    try {
      const target = new ContactsImportTarget(() => bookId);
      const header = ['nome', 'telefone1'];
      const w = (importId: number) => ({ db: bulk.writer.db, sqlite: bulk.writer.sqlite, tenantId, importId, now: 0, scratch: join(dir, `${importId}.scratch`) });
      const a = target.begin(database.db, tenantId, { bookId }, header);
      const b = target.begin(database.db, tenantId, { bookId }, header);
      const write = (session: typeof a, importId: number, name: string, phone: string) =>
        bulk.writer.sqlite.transaction(() => session.write([session.prepare([name, phone]).record!], w(importId)))();
      expect(write(a, 1, 'Ana', '11987000001')).toEqual([]);
      expect(write(b, 2, 'Bruno', '11987000001').map((f) => [f.problem.code, f.problem.message])).toEqual([
        ['duplicate', 'the phone is being imported into this book by import 1'],
        ['duplicate', 'every phone of the row is already in the book; the contact was not imported'],
      ]);
      // Into another book, the number is imported and reported, as one filed there would be: books are separate lists.
      const otherBook = database.db.insert(contactBooks).values({ tenantId, name: 'Outros', createdAt: 0, updatedAt: 0 }).returning({ id: contactBooks.id }).get().id;
      const c = target.begin(database.db, tenantId, { bookId: otherBook }, header);
      expect(write(c, 3, 'Carla', '11987000001').map((f) => [f.problem.code, f.problem.message])).toEqual([
        ['in_other_book', 'the phone is also being imported into the book "Clientes" by import 1; imported all the same'],
      ]);
      // Import 1 ended without filing (cancelled: undone); its numbers no longer count, but import 3's, into the other book, do.
      a.end();
      expect(write(b, 2, 'Bruno', '11987000001').map((f) => f.problem.message)).toEqual(['the phone is also being imported into the book "Outros" by import 3; imported all the same']);
      b.end();
      c.end();
    } finally {
      bulk.close();
    }
  });

  it('a phone edited on the daemon\'s connection before its import files its key is found by its new number, never by the old', () => {
    const bulk = database.bulkWrites();
    try {
      const keys = new ContactKeys(bulk.writer.sqlite, tenantId, join(dir, 'import.scratch'), 1000);
      bulk.writer.sqlite.transaction(() => new ContactsRepo(bulk.writer.sqlite).insertMany(tenantId, [contact(1, ['5511987000001'])], 1, 0, keys))();
      database.sqlite.prepare(`UPDATE contact_phones SET number = '5511987000002'`).run();
      while (bulk.writer.sqlite.transaction(() => keys.file(100, true))() > 0);
      const reader = new ContactsRepo(database.sqlite);
      expect(found(reader, '5511987000001')).toEqual([]);
      expect(found(reader, '5511987000002')).toEqual(['Pessoa 1']);
    } finally {
      bulk.close();
    }
  });
});

describe('migration 0017: a database that has contacts gets their keys', () => {
  it('the contacts stored before the key tables existed are found by phone, by e-mail and sorted by name after it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-keys-migration-'));
    try {
      // The migrations up to 0016, as a database made before the key tables holds them.
      const before = join(dir, 'migrations');
      mkdirSync(join(before, 'meta'), { recursive: true });
      const journal = JSON.parse(readFileSync(join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; tag: string }[] };
      journal.entries = journal.entries.filter((e) => e.idx <= 16);
      writeFileSync(join(before, 'meta', '_journal.json'), JSON.stringify(journal));
      for (const e of journal.entries) copyFileSync(join(migrationsFolder, `${e.tag}.sql`), join(before, `${e.tag}.sql`));
      const file = join(dir, 'atende.db');
      const old = new Database(file);
      migrate(drizzle(old), { migrationsFolder: before });
      old.exec(`INSERT INTO tenants (legal_name, cnpj, active, created_at, updated_at) VALUES ('Empresa', '11222333000181', 1, 0, 0);
        INSERT INTO contact_books (tenant_id, name, is_default, active, created_at, updated_at) VALUES (1, 'Clientes', 1, 1, 0, 0);
        INSERT INTO contacts (tenant_id, book_id, name, name_key, custom, created_at, updated_at) VALUES (1, 1, 'Zuleica', 'zuleica', '{}', 0, 0), (1, 1, 'Ana', 'ana', '{}', 0, 0);
        INSERT INTO contact_phones (tenant_id, contact_id, book_id, number, kind, position) VALUES (1, 1, 1, '5511987654321', 'mobile', 0), (1, 2, 1, '554834322422', 'landline', 0);
        INSERT INTO contact_emails (tenant_id, contact_id, email, position) VALUES (1, 2, 'ana@example.com', 0);`);
      old.close();
      const database = openDatabase(file);
      try {
        const repo = new ContactsRepo(database.sqlite);
        expect(repo.lookupByPhone(1, '5511987654321').map((m) => m.name)).toEqual(['Zuleica']);
        expect(repo.lookupByPhone(1, '554834322422').map((m) => m.name)).toEqual(['Ana']);
        expect(database.sqlite.prepare('SELECT email_id FROM contact_email_keys WHERE tenant_id = 1 AND email = ?').all('ana@example.com')).toEqual([{ email_id: 1 }]);
        expect(database.sqlite.prepare('SELECT contact_id FROM contact_name_keys WHERE tenant_id = 1 ORDER BY name_key').all()).toEqual([{ contact_id: 2 }, { contact_id: 1 }]);
        // The old indexes are gone: the key tables are the only ones.
        const indexes = (database.sqlite.prepare("SELECT name FROM sqlite_master WHERE type = 'index'").all() as { name: string }[]).map((r) => r.name);
        expect(indexes.filter((n) => /tenant_(number|email|name)_idx/.test(n))).toEqual([]);
      } finally {
        database.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ContactKeys: the order keys are filed in', () => {
  it('numbers sorted within each generation; names and e-mails merged from every generation into one order (bytes, then id), each filed once', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-keys-order-'));
    // Tables with row ids, unlike the real ones: a row's id says when it was filed.
    const sqlite = new Database(':memory:');
    sqlite.exec(`CREATE TABLE contact_name_keys (tenant_id, name_key, contact_id);
      CREATE TABLE contact_phone_keys (tenant_id, number, phone_id);
      CREATE TABLE contact_email_keys (tenant_id, email, email_id);`);
    try {
      const names = ['maria da silva souza', 'maria da silva santos', 'maria da silva', 'maria', 'mário', 'zé', 'ana', 'ñandu', '日本', 'maria da silva santos', 'ana', 'bruno', 'zuleica', 'álvaro', 'carla'];
      const keys = new ContactKeys(sqlite, 7, join(dir, 'scratch'), 9);
      names.forEach((name, i) => {
        keys.name(name, 100 - i);
        keys.phone(`55119870000${String(50 - i).padStart(2, '0')}`, i + 1);
        keys.email(`${name.replace(/ /g, '.')}@example.com`, i + 1);
        // A generation of 9 keys: three contacts; its numbers filed before the next is full.
        if (i % 3 === 2) keys.file(100);
      });
      expect(sqlite.prepare('SELECT count(*) AS n FROM contact_name_keys').get()).toEqual({ n: 0 });
      while (keys.file(4, true) > 0);
      const filed = (table: string, column: string, id: string) =>
        (sqlite.prepare(`SELECT tenant_id, ${column} AS key, ${id} AS id FROM ${table} ORDER BY rowid`).all() as { tenant_id: number; key: string; id: number }[]).map((r) => {
          expect(r.tenant_id).toBe(7);
          return [r.key, r.id] as [string, number];
        });
      const sorted = (list: [string, number][]) => [...list].sort(([a, x], [b, y]) => Buffer.compare(Buffer.from(a), Buffer.from(b)) || x - y);
      const allNames = names.map((n, i): [string, number] => [n, 100 - i]);
      expect(filed('contact_name_keys', 'name_key', 'contact_id')).toEqual(sorted(allNames));
      const allEmails = names.map((n, i): [string, number] => [`${n.replace(/ /g, '.')}@example.com`, i + 1]);
      expect(filed('contact_email_keys', 'email', 'email_id')).toEqual(sorted(allEmails));
      // The numbers run backwards: each generation of three is filed in its own order.
      const numbers = filed('contact_phone_keys', 'number', 'phone_id');
      const generations = [0, 3, 6, 9, 12].map((from) => sorted(names.slice(from, from + 3).map((_, k): [string, number] => [`55119870000${String(50 - from - k).padStart(2, '0')}`, from + k + 1])));
      expect(numbers).toEqual(generations.flat());
      expect(readdirSync(dir)).toEqual([]);
    } finally {
      sqlite.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
