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

  phone(number: string, phoneId: number): void {
    this.open.add('phone', number, phoneId);
    this.open.numbers.add(number);
  }

  email(email: string, emailId: number): void {
    this.open.add('email', email, emailId);
  }

  /** Whether a row written earlier holds this number while its key is not filed yet. */
  holdsNumber(number: string): boolean {
    return this.open.numbers.has(number) || (this.filing?.numbers.has(number) ?? false);
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
        this.open = new Generation();
      }
      budget -= this.fileSome(this.filing, budget);
    }
    if (this.filing?.left === 0) this.filing = undefined;
    return this.pending;
  }

  private fileSome(g: SortedGeneration, budget: number): number {
    const part = g.parts.find((p) => p.next < p.order.length)!;
    // Statements of INSERT_ROWS keys (prepared once per kind); what is left of the budget or of the part in one of its own.
    const n = Math.min(budget, part.order.length - part.next, INSERT_ROWS);
    const params: unknown[] = [];
    for (let i = part.next; i < part.next + n; i++) {
      const at = part.order[i]!;
      params.push(this.tenantId, part.keys[at], part.ids[at]);
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
 * About 25,000 contacts of two phones and an e-mail. Larger generations change fewer pages per
 * key, but their sort holds the thread longer and keep more strings alive (200,000 keys: a peak RSS some 50 MiB higher).
 */
const GENERATION_KEYS = 100_000;
/** Keys per `INSERT` (SQLite takes up to 32,766 values per statement). */
const INSERT_ROWS = 200;

class Generation {
  readonly keys: Record<Kind, string[]> = { name: [], phone: [], email: [] };
  readonly ids: Record<Kind, number[]> = { name: [], phone: [], email: [] };
  readonly numbers = new Set<string>();
  size = 0;

  add(kind: Kind, key: string, id: number): void {
    this.keys[kind].push(key);
    this.ids[kind].push(id);
    this.size++;
  }

  sorted(): SortedGeneration {
    const parts = (Object.keys(TABLES) as Kind[]).map((kind) => {
      const keys = this.keys[kind];
      const ids = this.ids[kind];
      // The order SQLite keeps them in (the key, then the row's id); the code units' order is
      // the bytes' order for every character outside the surrogates' block, and the order
      // only decides how fast they are filed, not whether they are.
      const order = Uint32Array.from(keys, (_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : ids[a]! - ids[b]!));
      return { kind, keys, ids, order, next: 0 };
    });
    return { parts, numbers: this.numbers, left: this.size };
  }
}

interface SortedGeneration {
  parts: { kind: Kind; keys: string[]; ids: number[]; order: Uint32Array; next: number }[];
  numbers: Set<string>;
  left: number;
}
