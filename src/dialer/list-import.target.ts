import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { dialerLists } from '../db/schema/index.js';
import type { ImportSession, ImportTarget, ImportWriteContext, RowProblem } from '../contacts/index.js';
import { invalidField } from '../kernel/index.js';
import { DialerRepo } from './dialer.repo.js';
import { listLocked } from './lists.resource.js';

export interface ListImportOptions {
  listId: number;
  bookId: number;
}

/** What the contacts target prepares from a row: the parts that identify a contact. */
interface ContactRecord {
  document: string | null;
  phones: readonly { number: string }[];
}

/** The contact group `id`: when an import starts, and before each of its batches. */
const listRow = (db: Db, id: number) => db.select().from(dialerLists).where(eq(dialerLists.id, id)).get();

/**
 * CSV rows into a contact group. The contacts target reads and checks each row (the same
 * columns, the same Brazilian number rules, the same per-row problems) and stores new contacts
 * in the list's book; this target adds them to the list, and a row that repeats a contact the
 * book already has adds that contact instead of being refused. Appending is refused once a
 * campaign uses the list.
 */
export class ListImportTarget implements ImportTarget<ListImportOptions> {
  readonly name = 'dialer_list';

  constructor(private readonly contacts: ImportTarget<{ bookId: number }>) {}

  options(db: Db, tenantId: number, raw: Record<string, unknown>): ListImportOptions {
    if (raw.listId === undefined) throw invalidField('listId', 'listId: the contact group to fill is required');
    const list = listRow(db, Number(raw.listId));
    if (list?.tenantId !== tenantId) throw invalidField('listId', 'listId: no such contact group');
    if (list.campaignId !== null) throw listLocked(list.name, new DialerRepo(db).campaignName(list.campaignId));
    return { listId: list.id, bookId: list.bookId };
  }

  model(db: Db, tenantId: number, options: ListImportOptions): { header: string[]; example: string[] } {
    return this.contacts.model(db, tenantId, { bookId: options.bookId });
  }

  begin(db: Db, tenantId: number, options: ListImportOptions, header: readonly string[]): ImportSession<ContactRecord> {
    const inner = this.contacts.begin(db, tenantId, { bookId: options.bookId }, header) as ImportSession<ContactRecord>;
    let lastCreated = 0;
    return {
      prepare: (values) => inner.prepare(values),
      finish: () => inner.finish(),
      end: () => inner.end(),
      write(batch, w: ImportWriteContext) {
        const repo = new DialerRepo(w.db);
        // The writer does not enforce foreign keys: the group is checked here, once per batch.
        if (listRow(w.db, options.listId)?.tenantId !== w.tenantId) throw new Error('the contact group was deleted during the import');
        const reported = inner.write(batch, w);
        const existing = new Map<number, number>();
        for (const f of reported) {
          if (!f.problem.rejected || f.problem.code !== 'duplicate') continue;
          const record = batch[f.index]!;
          const contactId = repo.existingContact(w.tenantId, options.bookId, record.document, record.phones.map((p) => p.number), w.importId);
          if (contactId !== null) existing.set(f.index, contactId);
        }
        // A row that repeats a contact is that contact joining the group, not a duplicate.
        const found = reported.filter((f) => !(existing.has(f.index) && f.problem.code === 'duplicate'));
        // New contacts (they carry this import's id) join first, then the book's contacts rows repeated.
        const created = repo.contactsOfImport(w.importId, lastCreated);
        lastCreated = created.at(-1) ?? lastCreated;
        const repeats = [...existing.entries()].sort(([a], [b]) => a - b);
        const { already } = repo.addMembers(w.tenantId, options.listId, [...created, ...repeats.map(([, id]) => id)], w.importId, w.now);
        const joined = new Set<number>();
        for (const [index, id] of repeats) {
          const problem: RowProblem = already.has(id)
            ? { field: 'row', value: null, code: 'duplicate', message: `contact ${id} is already in this contact group`, rejected: true }
            : joined.has(id)
              ? { field: 'row', value: null, code: 'duplicate_in_file', message: `an earlier row of this file already added contact ${id}`, rejected: true }
              : { field: 'row', value: null, code: 'existing_contact', message: `the book already has this contact (${id}); it was added to the contact group`, rejected: false };
          joined.add(id);
          found.push({ index, problem });
        }
        return found;
      },
    };
  }

  undo(w: ImportWriteContext, limit: number): number {
    const members = new DialerRepo(w.db).deleteImportedMembers(w.importId, limit);
    return members > 0 ? members : this.contacts.undo(w, limit);
  }
}
