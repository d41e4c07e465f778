import type { Database, Statement } from 'better-sqlite3';
import { numberHash } from './contact-keys.js';

/**
 * The numbers a tenant may already have, for an import's duplicate check: a number this says
 * the tenant certainly does not have is not looked up in the key table (`contact_phone_keys`),
 * where nearly every number of a new file is a probe of a random page that finds nothing.
 *
 * A Bloom filter (1 MiB, three bits per number): it may say "maybe" of a number the tenant does
 * not have (about 4 % of them with 1,000,000 numbers in it, 13 % with 2,000,000, more past
 * that), never "no" of one it has. It learns
 * - the numbers stored when the import began, from the key table, a chunk per batch from the
 *   smallest (until it has them all it says "maybe" of every number);
 * - the numbers the import writes (`written`);
 * - the numbers other connections write meanwhile: the phone rows after the last one it saw,
 *   read before each batch. The daemon never changes a phone's number in place (an edit
 *   replaces the contact's phones), so every number stored is in a row it sees.
 */
export class TenantNumbers {
  private readonly bits = new Int32Array(FILTER_BITS / 32);
  /** The largest number loaded from the key table so far; null once all of them are. */
  private loadedTo: string | null = '';
  /** Phone rows up to this id are known (stored before, or written by the import). */
  private lastPhoneId: number;
  private readonly load: Statement;
  private readonly since: Statement;
  private readonly lastId: Statement;

  constructor(
    sqlite: Database,
    private readonly tenantId: number,
    /** Stored numbers loaded per batch. */
    private readonly chunk = LOAD_CHUNK,
  ) {
    this.load = sqlite.prepare('SELECT number FROM contact_phone_keys WHERE tenant_id = ? AND number > ? ORDER BY number LIMIT ?').pluck();
    this.since = sqlite.prepare('SELECT id, number FROM contact_phones WHERE id > ? AND tenant_id = ?').raw();
    this.lastId = sqlite.prepare('SELECT max(id) FROM contact_phones').pluck();
    this.lastPhoneId = this.maxPhoneId();
  }

  /** Before a batch is checked (in its transaction): the next chunk of stored numbers, and those other connections wrote since. */
  refresh(): void {
    for (const [id, number] of this.since.iterate(this.lastPhoneId, this.tenantId) as Iterable<[number, string]>) {
      this.add(number);
      if (id > this.lastPhoneId) this.lastPhoneId = id;
    }
    if (this.loadedTo === null) return;
    const numbers = this.load.all(this.tenantId, this.loadedTo, this.chunk) as string[];
    for (const number of numbers) this.add(number);
    this.loadedTo = numbers.length < this.chunk ? null : numbers[numbers.length - 1]!;
  }

  /** False only for a number the tenant certainly does not have. */
  mayHold(number: string): boolean {
    return this.loadedTo !== null || this.bitsOf(number, false);
  }

  /** The numbers the import has just written (in the same transaction, after the check). */
  written(numbers: Iterable<string>): void {
    for (const number of numbers) this.add(number);
    this.lastPhoneId = this.maxPhoneId();
  }

  private add(number: string): void {
    this.bitsOf(number, true);
  }

  /** Whether the number's bits are all set; `set`, sets them. */
  private bitsOf(number: string, set: boolean): boolean {
    const n = Number(number);
    let h = numberHash(n);
    const step = hash2(n);
    let all = true;
    for (let k = 0; k < HASHES; k++, h = (h + step) | 0) {
      const bit = h & (FILTER_BITS - 1);
      const mask = 1 << (bit & 31);
      if ((this.bits[bit >>> 5]! & mask) !== 0) continue;
      if (!set) return false;
      all = false;
      this.bits[bit >>> 5]! |= mask;
    }
    return all;
  }

  private maxPhoneId(): number {
    return (this.lastId.get() as number | null) ?? 0;
  }
}

const FILTER_BITS = 2 ** 23;
const HASHES = 3;
const LOAD_CHUNK = 50_000;

/** A second hash of the number, odd, the step of the double hashing after `numberHash`. */
function hash2(n: number): number {
  const h = Math.imul(((n / 4294967296) | 0) ^ Math.imul(n >>> 0, 0xc2b2ae35), 0x27d4eb2f);
  return (h ^ (h >>> 13)) | 1;
}
