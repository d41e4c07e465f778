import { closeSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { MultiRowInsert } from '../db/multi-row.js';

/**
 * The keys (name, phone numbers, e-mails) of the contacts an import writes, filed into the key
 * tables (`contact_name_keys`, `contact_phone_keys`, `contact_email_keys`) sorted instead of
 * one by one as each row is written.
 *
 * An index entry written at a random place of a B-tree changes a page of its own, and every
 * page a transaction changed is written to the log at its commit: an import's batches of a few
 * hundred rows wrote a page for nearly every key. Here the keys of many batches are gathered (a
 * *generation*) and sorted. The numbers are filed a few thousand per batch, each chunk a run of
 * neighbouring keys that changes a few pages, while the next generation is gathered: the
 * import's duplicate check must find them, and it holds in memory only the numbers of the
 * generations not yet filed. The names and e-mails are not checked: each sorted generation of
 * them goes to a file of the import's own (a *run*), and once the file is read, the runs are
 * merged and filed in one pass in key order, each page of their tables changed once (filed a
 * generation at a time, as the numbers are, a later generation changed again nearly every page
 * an earlier one had: 9 s of an import's 31 s on the main thread for 1,000,000 contacts).
 * The rows are written at once; a contact is found by its number once its generation is filed,
 * by its name and e-mail once the file is read, and by all of them before the import is said
 * to be done.
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
  private readonly inserts: Record<Kind, MultiRowInsert>;
  private readonly runs: RunFile;
  /** The runs of one kind being merged and filed, once every generation is sorted. */
  private merging: Merge | undefined;

  constructor(
    private readonly sqlite: Database,
    private readonly tenantId: number,
    /** The file the runs of names and e-mails wait in (made when the first is written, deleted by `close`). */
    scratch: string,
    /** Keys gathered before a generation is sorted and filed. */
    private readonly generationKeys = GENERATION_KEYS,
  ) {
    this.runs = new RunFile(scratch);
    const insert = (kind: Kind) => new MultiRowInsert(sqlite, (rows) => `INSERT OR IGNORE INTO ${TABLES[kind]} VALUES ${Array.from({ length: rows }, () => '(?, ?, ?)').join(',')}`, 3, INSERT_ROWS, false);
    this.inserts = { name: insert('name'), phone: insert('phone'), email: insert('email') };
  }

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
    return this.open.size + (this.filing?.left ?? 0) + this.runs.left;
  }

  /**
   * Files up to `limit` keys, inside the caller's transaction: the numbers of the generation
   * being filed, which is the one gathered so far once it is full (or, `last`, whatever its
   * size); with `last`, once every number is filed, the names and e-mails. Returns how many
   * keys are left to file.
   */
  file(limit: number, last = false): number {
    let budget = limit;
    while (budget > 0) {
      if (this.filing && this.filing.left > 0) {
        budget -= this.fileSome(this.filing, budget);
      } else if (this.open.size > 0 && (last || this.open.size >= this.generationKeys)) {
        this.filing = this.open.sorted();
        for (const kind of RUN_KINDS) {
          const part = this.filing.parts.find((p) => p.kind === kind)!;
          this.runs.write(kind, part.column, part.order);
          this.filing.left -= part.order.length;
          part.next = part.order.length;
        }
        this.open = this.spare ?? new Generation();
        this.spare = undefined;
      } else if (last && this.runs.left > 0) {
        this.merging ??= this.runs.merge();
        const n = this.fileMerged(this.merging, budget);
        budget -= n;
        if (n === 0) this.merging = undefined;
      } else {
        break;
      }
      if (this.filing?.left === 0) {
        this.spare = this.filing.generation.emptied();
        this.filing = undefined;
      }
    }
    if (this.runs.left === 0 && this.pending === 0) this.runs.close();
    return this.pending;
  }

  /** Deletes the runs' file (the import has ended: done, failed or cancelled). */
  close(): void {
    this.runs.close();
  }

  private fileSome(g: SortedGeneration, budget: number): number {
    const part = g.parts.find((p) => p.next < p.order.length)!;
    const n = Math.min(budget, part.order.length - part.next);
    // A statement's worth at a time: a few kilobytes of values, not one array of them all.
    const params: unknown[] = [];
    for (let done = 0; done < n; ) {
      const rows = Math.min(INSERT_ROWS, n - done);
      for (let i = part.next + done; i < part.next + done + rows; i++) {
        const at = part.order[i]!;
        params.push(this.tenantId, part.column.key(at), part.column.id(at));
      }
      this.inserts[part.kind].run(params, rows);
      params.length = 0;
      done += rows;
    }
    part.next += n;
    g.left -= n;
    return n;
  }

  /** Files up to `budget` keys of the runs being merged, in key order; 0 once they are all filed. */
  private fileMerged(merge: Merge, budget: number): number {
    const params: unknown[] = [];
    let filed = 0;
    while (filed < budget) {
      const rows = merge.take(Math.min(INSERT_ROWS, budget - filed), this.tenantId, params);
      if (rows === 0) break;
      this.inserts[merge.kind].run(params, rows);
      params.length = 0;
      filed += rows;
    }
    this.runs.left -= filed;
    return filed;
  }
}

type Kind = 'name' | 'phone' | 'email';
/** The kinds whose keys wait in runs until the file is read (no duplicate check asks them). */
type RunKind = 'name' | 'email';
const RUN_KINDS: readonly RunKind[] = ['name', 'email'];
const TABLES: Record<Kind, string> = { name: 'contact_name_keys', phone: 'contact_phone_keys', email: 'contact_email_keys' };
/**
 * About 12,500 contacts of two phones and an e-mail: 25,000 numbers to file, 25,000 names and
 * e-mails to sort into runs. A larger generation changes fewer pages per number filed, but it is
 * held twice (one gathered while the other is filed) and its sort holds the thread longer.
 * Measured while the names and e-mails were filed as the numbers are (1,000,000 contacts, 4 Dec
 * 2026): 50,000 keys, 32.0–33.9 s and a peak RSS of 290 MiB (307 profiled); 100,000 keys,
 * 31.6–32.3 s and 315–322 MiB; 200,000, 31.7 s and 352 MiB.
 */
const GENERATION_KEYS = 50_000;
/** Keys per `INSERT` at most (SQLite takes up to 32,766 values per statement). */
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

  /** Writes key `i` as a run's record (`RunFile`) at `at` of `target`; returns where the record ends. */
  record(i: number, target: Buffer, at: number): number {
    const start = this.start(i);
    const length = this.ends[i]! - start;
    target.writeUInt16BE(length, at);
    this.bytes.copy(target, at + 2, start, start + length);
    return target.writeUIntBE(this.ids[i]!, at + 2 + length, 6);
  }

  /** The most bytes a record of this column's keys takes. */
  get longestRecord(): number {
    let longest = 0;
    for (let i = 0; i < this.size; i++) longest = Math.max(longest, this.ends[i]! - this.start(i));
    return longest + 8;
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

/** A hash of a phone number held as a number (up to 13 digits: its two 32-bit halves mixed). */
export function numberHash(n: number): number {
  const h = Math.imul((n >>> 0) ^ Math.imul((n / 4294967296) | 0, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
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
    let at = numberHash(n) >>> 0;
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

/**
 * The runs of names and e-mails: each a generation's keys of one kind, sorted, as records of
 * the key's length (2 bytes), its bytes and its id (6 bytes), one run after another in a file.
 */
class RunFile {
  private fd: number | undefined;
  private size = 0;
  private buffer = Buffer.allocUnsafe(64 * 1024);
  private readonly waiting: Record<RunKind, Run[]> = { name: [], email: [] };
  /** The longest record written. */
  private longest = 0;
  /** Keys in runs not filed yet. */
  left = 0;

  constructor(private readonly path: string) {}

  write(kind: RunKind, column: KeyColumn, order: Uint32Array): void {
    if (order.length === 0) return;
    const longest = column.longestRecord;
    this.longest = Math.max(this.longest, longest);
    if (longest > this.buffer.length) this.buffer = Buffer.allocUnsafe(longest);
    this.fd ??= openSync(this.path, 'w+', 0o600);
    const start = this.size;
    let at = 0;
    for (let k = 0; k < order.length; k++) {
      if (at + longest > this.buffer.length) {
        this.flush(at);
        at = 0;
      }
      at = column.record(order[k]!, this.buffer, at);
    }
    this.flush(at);
    this.waiting[kind].push({ start, end: this.size });
    this.left += order.length;
  }

  private flush(bytes: number): void {
    let written = 0;
    while (written < bytes) written += writeSync(this.fd!, this.buffer, written, bytes - written, this.size + written);
    this.size += bytes;
  }

  /** The runs of one kind (the first that has some) read back merged; they are no longer waiting. */
  merge(): Merge {
    const kind = RUN_KINDS.find((k) => this.waiting[k].length > 0);
    if (!kind || this.fd === undefined) throw new Error(`contact keys: ${this.left} keys left and no run to file them from`);
    const runs = this.waiting[kind];
    this.waiting[kind] = [];
    return new Merge(kind, this.fd, runs, this.longest);
  }

  close(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.path, { force: true });
  }
}

interface Run {
  start: number;
  end: number;
}

/** A run being read: a window of the file, the record at its head. */
class Cursor {
  /** The window: the head record's key is `bytes` from `keyStart` to `keyEnd`. */
  readonly bytes: Buffer;
  /** Where in the file `bytes` starts, and how much of it was read. */
  private from = 0;
  private read = 0;
  /** The file position of the head record, its key's bytes in `bytes`, its id. */
  private at: number;
  keyStart = 0;
  keyEnd = 0;
  id = 0;

  constructor(
    private readonly fd: number,
    private readonly run: Run,
    size: number,
  ) {
    this.bytes = Buffer.allocUnsafe(size);
    this.at = run.start;
    this.load();
  }

  get done(): boolean {
    return this.at >= this.run.end;
  }

  /** Moves to the next record. */
  next(): void {
    this.at += 2 + (this.keyEnd - this.keyStart) + 6;
    if (!this.done) this.load();
  }

  /** Reads the head record, from the window or (past its end) from the file. */
  private load(): void {
    let offset = this.at - this.from;
    if (offset + 2 > this.read || offset + 2 + this.bytes.readUInt16BE(offset) + 6 > this.read) {
      this.from = this.at;
      this.read = readSync(this.fd, this.bytes, 0, Math.min(this.bytes.length, this.run.end - this.at), this.at);
      offset = 0;
    }
    const length = this.bytes.readUInt16BE(offset);
    this.keyStart = offset + 2;
    this.keyEnd = this.keyStart + length;
    this.id = this.bytes.readUIntBE(this.keyEnd, 6);
  }
}

/** The bytes a cursor reads at once: 16 KiB, less with many runs (4 MiB for all, unless a record is longer). */
const CURSOR_BYTES = 16 * 1024;
const MERGE_BYTES = 4 * 1024 * 1024;

/** The runs of one kind merged: their keys in SQLite's order (bytes, then id), through a heap of cursors. */
class Merge {
  private readonly heap: Cursor[];

  constructor(
    readonly kind: RunKind,
    fd: number,
    runs: readonly Run[],
    /** The longest record in the runs: any window holds one. */
    longest: number,
  ) {
    const size = Math.max(longest, Math.min(CURSOR_BYTES, Math.floor(MERGE_BYTES / runs.length)));
    this.heap = runs.map((r) => new Cursor(fd, r, size));
    for (let i = (this.heap.length >> 1) - 1; i >= 0; i--) this.down(i);
  }

  /** Puts up to `n` keys, smallest first, as (tenant, key, id) into `params`; returns how many. */
  take(n: number, tenantId: number, params: unknown[]): number {
    let taken = 0;
    while (taken < n && this.heap.length > 0) {
      const top = this.heap[0]!;
      params.push(tenantId, top.bytes.toString('utf8', top.keyStart, top.keyEnd), top.id);
      taken++;
      top.next();
      if (top.done) {
        const last = this.heap.pop()!;
        if (this.heap.length === 0) break;
        this.heap[0] = last;
      }
      this.down(0);
    }
    return taken;
  }

  private less(a: Cursor, b: Cursor): boolean {
    const c = a.bytes.compare(b.bytes, b.keyStart, b.keyEnd, a.keyStart, a.keyEnd);
    return c < 0 || (c === 0 && a.id < b.id);
  }

  private down(i: number): void {
    const heap = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) return;
      const r = l + 1;
      const child = r < heap.length && this.less(heap[r]!, heap[l]!) ? r : l;
      if (!this.less(heap[child]!, heap[i]!)) return;
      [heap[i], heap[child]] = [heap[child]!, heap[i]!];
      i = child;
    }
  }
}
