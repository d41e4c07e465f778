import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { contactBooks, tenants } from '../../src/db/schema/index.js';
import { TenantNumbers } from '../../src/contacts/tenant-numbers.js';

/** The filter an import asks before looking a number up: never "no" for a number the tenant has. */
describe('TenantNumbers', () => {
  let dir: string;
  let database: Database_;
  const tenant: Record<'a' | 'b', number> = { a: 0, b: 0 };
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'atende-numbers-'));
    database = openDatabase(join(dir, 'atende.db'));
    for (const [k, cnpj] of [['a', '11222333000181'], ['b', '11444777000161']] as const) {
      tenant[k] = database.db.insert(tenants).values({ legalName: k, cnpj }).returning({ id: tenants.id }).get().id;
      database.db.insert(contactBooks).values({ tenantId: tenant[k], name: 'Clientes', isDefault: true, createdAt: 0, updatedAt: 0 }).run();
    }
  });
  afterEach(() => {
    database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A contact stored through the daemon's connection (its triggers file the number's key). */
  const store = (tenantId: number, number: string) => {
    const { sqlite } = database;
    const book = (sqlite.prepare('SELECT id FROM contact_books WHERE tenant_id = ?').get(tenantId) as { id: number }).id;
    const id = sqlite.prepare(`INSERT INTO contacts (tenant_id, book_id, name, name_key, custom, created_at, updated_at) VALUES (?, ?, 'X', 'x', '{}', 0, 0)`).run(tenantId, book).lastInsertRowid;
    sqlite.prepare(`INSERT INTO contact_phones (tenant_id, contact_id, book_id, number, kind, position) VALUES (?, ?, ?, ?, 'mobile', 0)`).run(tenantId, id, book, number);
  };
  const numbers = (from: number, n: number) => Array.from({ length: n }, (_, i) => String(5511900000000 + (from + i) * 7919));

  it('says "maybe" of every number the tenant had, was written or another connection stored since, and "no" of the others', () => {
    const stored = numbers(0, 50);
    for (const n of stored) store(tenant.a, n);
    store(tenant.b, '5521987654321');
    const filter = new TenantNumbers(database.sqlite, tenant.a);
    filter.refresh();
    expect(stored.every((n) => filter.mayHold(n))).toBe(true);
    const unknown = numbers(1000, 2000);
    // Another tenant's number is not this tenant's.
    expect(filter.mayHold('5521987654321')).toBe(false);
    // A Bloom filter may err towards "maybe"; with 50 numbers in 8 million bits, not here.
    expect(unknown.filter((n) => filter.mayHold(n))).toEqual([]);
    // Stored by another connection after the import began: known at the next batch.
    store(tenant.a, unknown[0]!);
    expect(filter.mayHold(unknown[0]!)).toBe(false);
    filter.refresh();
    expect(filter.mayHold(unknown[0]!)).toBe(true);
    // Written by the import itself.
    filter.written([unknown[1]!]);
    expect(filter.mayHold(unknown[1]!)).toBe(true);
    expect(filter.mayHold(unknown[2]!)).toBe(false);
  });

  it('until all the stored numbers are loaded, a chunk per batch, every number is a "maybe"', () => {
    for (const n of numbers(0, 25)) store(tenant.a, n);
    const filter = new TenantNumbers(database.sqlite, tenant.a, 10);
    const unknown = numbers(5000, 1)[0]!;
    for (const loaded of [false, false, true]) {
      filter.refresh();
      expect(filter.mayHold(unknown)).toBe(!loaded);
    }
    expect(numbers(0, 25).every((n) => filter.mayHold(n))).toBe(true);
  });
});
