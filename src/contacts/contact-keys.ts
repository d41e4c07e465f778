import type { Database, Statement } from 'better-sqlite3';

/**
 * The keys (name, phone numbers, e-mails) of the contacts an import writes, filed into the key
 * tables (`contact_name_keys`, `contact_phone_keys`, `contact_email_keys`) sorted instead of
 * one by one as each row is written.
 *
 * An index entry written at a random place of a B-tree changes a page of its own, and every
 * page a transaction changed is written to the log at its commit: an import's batches of a few
 * hundred rows wrote a page for nearly every key. Here the keys of many batches are gathered (a
 * *generation*), sorted, and filed a few thousand per batch, each chunk a run of neighbouring
 * keys that changes a few pages. The rows are written at once; a contact is found by its keys
 * once its generation is filed (all of them before the import is said to be done).
 *
 * Used with the bulk writer's connection, whose triggers leave these keys out
 * (`atende_keys_now()`). On a connection whose triggers file them too, the keys are already
 * there and filing them again changes nothing (`INSERT OR IGNORE`).
 */
export class ContactKeys {
  private open = new Generation();
  private filing: SortedGeneration | undefined;
  /** The generation last filed, emptied, to gather the next: its buffers are used again instead of left to the collector. */
  private spare: Generation | undefined;
  private readonly inserts = new Map<Kind, Statement>();

  constructor(
    private readonly sqlite: Database,
    private readonly tenantId: number,
    /** Keys gathered before a generation is sorted and filed. */
    private readonly generationKeys = GENERATION_KEYS,
  ) {}

  name(nameKey: string, contactId: number): void {
    this.open.add('name', nameKey, contactId);
  }

  /** `number` normalised (`55` + DDD + number, 12 or 13 digits: exact as a JavaScript number). */
  phone(number: string, phoneId: number): void {
    this.open.add('phone', number, phoneId);
    this.open.numbers.add(Number(number));
  }

  email(email: string, emailId: number): void {
    this.open.add('email', email, emailId);
  }

  /** Whether a row written earlier holds this number while its key is not filed yet. */
  holdsNumber(number: string): boolean {
    const n = Number(number);
    return this.open.numbers.has(n) || (this.filing?.numbers.has(n) ?? false);
  }

  /** Keys written and not yet filed. */
  get pending(): number {
    return this.open.size + (this.filing?.left ?? 0);
  }

  /**
   * Files up to `limit` keys, inside the caller's transaction: those of the generation being
   * filed, which is the one gathered so far once it is full (or, `last`, whatever its size).
   * Returns how many are left to file.
   */
  file(limit: number, last = false): number {
    let budget = limit;
    while (budget > 0) {
      if (!this.filing || this.filing.left === 0) {
        if (this.open.size === 0 || (!last && this.open.size < this.generationKeys)) break;
        this.filing = this.open.sorted();
        this.open = this.spare ?? new Generation();
        this.spare = undefined;
      }
      budget -= this.fileSome(this.filing, budget);
    }
    if (this.filing?.left === 0) {
      this.spare = this.filing.generation.emptied();
      this.filing = undefined;
    }
    return this.pending;
  }

  private fileSome(g: SortedGeneration, budget: number): number {
    const part = g.parts.find((p) => p.next < p.order.length)!;
    // Statements of INSERT_ROWS keys (prepared once per kind); what is left of the budget or of the part in one of its own.
    const n = Math.min(budget, part.order.length - part.next, INSERT_ROWS);
    const params: unknown[] = [];
    for (let i = part.next; i < part.next + n; i++) {
      const at = part.order[i]!;
      params.push(this.tenantId, part.column.key(at), part.column.id(at));
    }
    this.insert(part.kind, n).run(params);
    part.next += n;
    g.left -= n;
    return n;
  }

  private insert(kind: Kind, rows: number): Statement {
    const prepare = () => this.sqlite.prepare(`INSERT OR IGNORE INTO ${TABLES[kind]} VALUES ${Array.from({ length: rows }, () => '(?, ?, ?)').join(',')}`);
    if (rows !== INSERT_ROWS) return prepare();
    let statement = this.inserts.get(kind);
    if (!statement) {
      statement = prepare();
      this.inserts.set(kind, statement);
    }
    return statement;
  }
}

type Kind = 'name' | 'phone' | 'email';
const TABLES: Record<Kind, string> = { name: 'contact_name_keys', phone: 'contact_phone_keys', email: 'contact_email_keys' };
/**
 * About 12,500 contacts of two phones and an e-mail. A larger generation changes fewer pages per
 * key, but it is held twice (one gathered while the other is filed) and its sort holds the thread
 * longer. 1,000,000 contacts (4 Dec 2026): 50,000 keys, 32.0–33.9 s and a peak RSS of 290 MiB (307 profiled);
 * 100,000 keys, 31.6–32.3 s and 315–322 MiB; 200,000, 31.7 s and 352 MiB.
 */
const GENERATION_KEYS = 50_000;
/** Keys per `INSERT` (SQLite takes up to 32,766 values per statement). */
const INSERT_ROWS = 200;

/**
 * The keys of a generation, one column per kind, kept out of the JavaScript heap: their bytes
 * in one buffer, their ids and sort prefixes in typed arrays. Kept as strings, a generation's
 * keys lived long enough to reach the heap's old space, where every generation filed became
 * garbage that the heap grew ahead of (a peak RSS of 464 MiB for 1,000,000 contacts against 290
 * with the heap bounded).
 */
export class KeyColumn {
  private bytes = Buffer.allocUnsafe(64 * 1024);
  /** Where each key's bytes end (the next one's start). */
  private ends = new Uint32Array(1024);
  private ids = new Float64Array(1024);
  /** Each key's first 6 bytes and next 6, as numbers: most comparisons of a sort end there. */
  private head = new Float64Array(1024);
  private tail = new Float64Array(1024);
  size = 0;

  add(key: string, id: number): void {
    const start = this.start(this.size);
    if (start + key.length * 3 > this.bytes.length) {
      const bigger = Buffer.allocUnsafe(Math.max(this.bytes.length * 2, start + key.length * 3));
      this.bytes.copy(bigger, 0, 0, start);
      this.bytes = bigger;
    }
    if (this.size === this.ids.length) {
      const grow = <A extends Uint32Array | Float64Array>(a: A): A => {
        const b = new (a.constructor as new (n: number) => A)(a.length * 2);
        b.set(a);
        return b;
      };
      this.ends = grow(this.ends);
      this.ids = grow(this.ids);
      this.head = grow(this.head);
      this.tail = grow(this.tail);
    }
    const end = start + this.bytes.write(key, start, 'utf8');
    this.ends[this.size] = end;
    this.ids[this.size] = id;
    this.head[this.size] = this.prefix(start, end);
    this.tail[this.size] = this.prefix(start + 6, end);
    this.size++;
  }

  key(i: number): string {
    return this.bytes.toString('utf8', this.start(i), this.ends[i]);
  }

  id(i: number): number {
    return this.ids[i]!;
  }

  /**
   * The keys' positions in the order SQLite keeps them (their bytes, then the row's id). The
   * order only decides how fast they are filed, never whether they are.
   */
  order(): Uint32Array {
    const { head, tail, ids, bytes } = this;
    return Uint32Array.from({ length: this.size }, (_, i) => i).sort(
      (a, b) => head[a]! - head[b]! || tail[a]! - tail[b]! || bytes.compare(bytes, this.start(b), this.ends[b], this.start(a), this.ends[a]) || ids[a]! - ids[b]!,
    );
  }

  private start(i: number): number {
    return i === 0 ? 0 : this.ends[i - 1]!;
  }

  /** Six bytes from `from` (fewer before `end`, the rest as zeros) as one number, in the bytes' order. */
  private prefix(from: number, end: number): number {
    let n = 0;
    for (let k = 0; k < 6; k++) n = n * 256 + (from + k < end ? this.bytes[from + k]! : 0);
    return n;
  }
}

/** A set of phone numbers (as numbers: 12 or 13 digits are exact) in a typed array: open addressing, 0 for an empty slot. */
export class NumberSet {
  private table = new Float64Array(1024);
  private count = 0;

  add(n: number): void {
    if ((this.count + 1) * 2 > this.table.length) this.rehash();
    const at = this.slot(this.table, n);
    if (this.table[at] === 0) {
      this.table[at] = n;
      this.count++;
    }
  }

  has(n: number): boolean {
    return this.table[this.slot(this.table, n)] === n;
  }

  clear(): void {
    this.table.fill(0);
    this.count = 0;
  }

  private slot(table: Float64Array, n: number): number {
    const mask = table.length - 1;
    let at = Math.imul((n >>> 0) ^ Math.imul((n / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1) >>> 0;
    for (;;) {
      at &= mask;
      const v = table[at]!;
      if (v === 0 || v === n) return at;
      at++;
    }
  }

  private rehash(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2);
    for (const v of old) if (v !== 0) this.table[this.slot(this.table, v)] = v;
  }
}

class Generation {
  readonly columns: Record<Kind, KeyColumn> = { name: new KeyColumn(), phone: new KeyColumn(), email: new KeyColumn() };
  readonly numbers = new NumberSet();
  size = 0;

  add(kind: Kind, key: string, id: number): void {
    this.columns[kind].add(key, id);
    this.size++;
  }

  sorted(): SortedGeneration {
    const parts = (Object.keys(TABLES) as Kind[]).map((kind) => ({ kind, column: this.columns[kind], order: this.columns[kind].order(), next: 0 }));
    return { generation: this, parts, numbers: this.numbers, left: this.size };
  }

  emptied(): this {
    for (const c of Object.values(this.columns)) c.size = 0;
    this.numbers.clear();
    this.size = 0;
    return this;
  }
}

interface SortedGeneration {
  generation: Generation;
  parts: { kind: Kind; column: KeyColumn; order: Uint32Array; next: number }[];
  numbers: NumberSet;
  left: number;
}
