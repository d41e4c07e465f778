import type { Db } from '../../db/client.js';
import { invalidField } from '../../kernel/index.js';
import { bookInTenant, bookName } from '../books.resource.js';
import { ContactKeys } from '../contact-keys.js';
import { ContactsRepo, type Existing, type NewContact } from '../contacts.repo.js';
import { TenantNumbers } from '../tenant-numbers.js';
import { TEXT_MAX } from '../contacts.resource.js';
import { checkDocument } from '../document.logic.js';
import { activeFields, fieldRule } from '../fields.resource.js';
import { checkFieldValue, searchKey, type FieldRule } from '../fields.logic.js';
import { checkPhone, formatPhone } from '../phone.logic.js';
import { headerKey } from './csv.logic.js';
import type { ImportSession, ImportTarget, PreparedRow, RowProblem, WriteContext } from './importer.model.js';

type Builtin = 'name' | 'document' | 'company' | 'street' | 'streetNumber' | 'complement' | 'district' | 'city' | 'state' | 'postalCode';

/** Header names (compared by `headerKey`) for the contact's own fields, Portuguese first. */
const ALIASES: Record<string, Builtin> = {
  nome: 'name', name: 'name', nome_completo: 'name',
  documento: 'document', document: 'document', cpf: 'document', cnpj: 'document', cpf_cnpj: 'document',
  empresa: 'company', company: 'company', razao_social: 'company',
  logradouro: 'street', endereco: 'street', street: 'street', address: 'street',
  numero: 'streetNumber', street_number: 'streetNumber',
  complemento: 'complement', complement: 'complement',
  bairro: 'district', district: 'district',
  cidade: 'city', city: 'city',
  uf: 'state', estado: 'state', state: 'state',
  cep: 'postalCode', postal_code: 'postalCode',
};
/**
 * The model file's and an export's columns before the custom fields: the name, `phones` phone
 * columns and `emails` e-mail columns (the model has two and one; an export as many as its
 * contacts need), then the contact's data.
 */
export const contactColumns = (phones: number, emails: number): string[] => [
  'nome',
  ...Array.from({ length: phones }, (_, i) => `telefone${i + 1}`),
  ...Array.from({ length: emails }, (_, i) => (i === 0 ? 'email' : `email${i + 1}`)),
  'documento', 'empresa', 'logradouro', 'numero', 'complemento', 'bairro', 'cidade', 'uf', 'cep',
];
const PHONE_COLUMN = /^(telefone|phone|fone|tel|celular)_?\d{0,2}$/;
const EMAIL_COLUMN = /^e_?mail_?\d{0,2}$/;
const EMAIL = /^[^\s@;,]+@[^\s@;,]+\.[^\s@;,]+$/;

export interface ContactImportOptions {
  bookId: number;
}

type Column =
  | { kind: 'builtin'; field: Builtin }
  | { kind: 'phone' }
  | { kind: 'email' }
  | { kind: 'custom'; rule: FieldRule };

const problem = (field: string, value: string | null, code: string, message: string, rejected = false): RowProblem => ({ field, value, code, message, rejected });

/**
 * Contacts of a book from CSV. A row needs a name and at least one valid Brazilian phone;
 * invalid phones, e-mails, documents and optional custom values are reported and left out
 * while the row is kept; a repeated document or phones that all belong to another contact of
 * the book (or to an earlier row) reject the row as a duplicate.
 */
export class ContactsImportTarget implements ImportTarget<ContactImportOptions> {
  readonly name = 'contacts';

  /**
   * The imports of each tenant writing right now: a number one of them wrote and has not filed
   * yet (`ContactKeys`) is not in the key tables, so another import of the tenant asks them (a
   * duplicate in the same book, reported in another).
   */
  private readonly importing = new Map<number, Set<ContactsSession>>();

  constructor(private readonly defaultBook: (db: Db, tenantId: number) => number) {}

  options(db: Db, tenantId: number, raw: Record<string, unknown>): ContactImportOptions {
    const bookId = raw.bookId === undefined ? this.defaultBook(db, tenantId) : Number(raw.bookId);
    if (!bookInTenant(db, tenantId, bookId)) throw invalidField('bookId', 'bookId: no such contact book');
    return { bookId };
  }

  model(db: Db, tenantId: number): { header: string[]; example: string[] } {
    const custom = activeFields(db, tenantId, 'contact');
    return {
      header: [...contactColumns(2, 1), ...custom.map((f) => f.key)],
      example: [
        'Maria da Silva', '5548999999999', '554834322422', 'maria@example.com', '529.982.247-25', 'Exemplo Ltda', 'Rua das Flores', '100', 'sala 2', 'Centro',
        'Florianópolis', 'SC', '88010-000',
        ...custom.map((f) => (f.type === 'select' ? (f.options?.[0] ?? '') : f.type === 'date' ? '31/12/1990' : f.type === 'number' ? '1' : '')),
      ],
    };
  }

  begin(db: Db, tenantId: number, options: ContactImportOptions, header: readonly string[]): ImportSession<RowContact> {
    const custom = new Map(activeFields(db, tenantId, 'contact').map((f) => [f.key, fieldRule(f)]));
    const seen = new Set<string>();
    const columns: Column[] = header.map((h, i) => {
      const key = headerKey(h);
      if (key === '') throw invalidField('file', `file: column ${i + 1} of the header has no name`);
      const builtin = ALIASES[key];
      const column: Column | undefined = builtin
        ? { kind: 'builtin', field: builtin }
        : PHONE_COLUMN.test(key)
          ? { kind: 'phone' }
          : EMAIL_COLUMN.test(key)
            ? { kind: 'email' }
            : custom.has(key)
              ? { kind: 'custom', rule: custom.get(key)! }
              : undefined;
      if (!column) {
        const known = [...custom.keys()];
        throw invalidField('file', `file: unknown column "${h}"; the columns are nome, telefone1…, email, documento, empresa, logradouro, numero, complemento, bairro, cidade, uf, cep${known.length ? ` and the custom fields ${known.join(', ')}` : ' (no custom fields are defined)'}`);
      }
      const id = column.kind === 'builtin' ? column.field : column.kind === 'custom' ? `custom:${column.rule.key}` : key;
      if (seen.has(id)) throw invalidField('file', `file: column "${h}" appears twice`);
      seen.add(id);
      return column;
    });
    if (!columns.some((c) => c.kind === 'builtin' && c.field === 'name')) throw invalidField('file', 'file: no name column (nome)');
    if (!columns.some((c) => c.kind === 'phone')) throw invalidField('file', 'file: no phone column (telefone1, telefone2, …)');
    const missingRequired = [...custom.values()].find((r) => r.required && !columns.some((c) => c.kind === 'custom' && c.rule.key === r.key));
    if (missingRequired) throw invalidField('file', `file: no column for the required field ${missingRequired.key}`);
    return new ContactsSession(header, columns, options.bookId, this.importing);
  }

  undo(w: WriteContext, limit: number): number {
    return new ContactsRepo(w.sqlite).deleteImportedContacts(w.importId, limit);
  }
}

/** A contact as a row of the file gave it: each phone with the file's column it came from (to name it in a problem). */
type RowContact = Omit<NewContact, 'phones'> & { phones: (NewContact['phones'][number] & { column: string })[] };

/** Keys filed per batch at least (`ContactKeys`); at least twice as many as the batch brought, so that filing keeps ahead. */
const KEYS_PER_BATCH = 4000;
/** Keys filed per transaction once the file is read. */
const KEYS_AT_THE_END = 20_000;

class ContactsSession implements ImportSession<RowContact> {
  private repo: ContactsRepo | undefined;
  private keys: ContactKeys | undefined;
  /** The tenant's numbers, to look up only those it may have (made at the first batch, before its rows). */
  private tenantNumbers: TenantNumbers | undefined;
  private importId = 0;
  private tenantId = 0;
  private readonly bookNames = new Map<number, string>();
  /** The file's own names of the name and document columns, for the problems found in them. */
  private readonly nameColumn: string;
  private readonly documentColumn: string;

  constructor(
    private readonly header: readonly string[],
    private readonly columns: readonly Column[],
    private readonly bookId: number,
    private readonly importing: Map<number, Set<ContactsSession>>,
  ) {
    const named = (field: Builtin) => header[columns.findIndex((x) => x.kind === 'builtin' && x.field === field)];
    this.nameColumn = named('name')!;
    this.documentColumn = named('document') ?? 'documento';
  }

  prepare(values: readonly string[]): PreparedRow<RowContact> {
    const problems: RowProblem[] = [];
    const c: RowContact = {
      bookId: this.bookId, name: '', nameKey: '', document: null, company: null, street: null, streetNumber: null, complement: null,
      district: null, city: null, state: null, postalCode: null, custom: {}, phones: [], emails: [],
    };
    let rejected = false;
    if (values.length > this.columns.length && values.slice(this.columns.length).some((v) => v.trim() !== '')) {
      problems.push(problem('row', null, 'extra_columns', `the row has ${values.length} values and the header ${this.columns.length} columns; the extra values were left out`));
    }
    // A plain loop (no closure per row): this runs once per row of files of millions of rows.
    for (let i = 0; i < this.columns.length; i++) {
      const col = this.columns[i]!;
      const field = this.header[i]!;
      const value = (values[i] ?? '').trim();
      if (col.kind === 'phone') {
        if (value === '') continue;
        const phone = checkPhone(value);
        if (!phone.ok) problems.push(problem(field, value, `phone_${phone.problem}`, phone.message));
        else if (!c.phones.some((p) => p.number === phone.number)) c.phones.push({ number: phone.number, kind: phone.kind, column: field });
        continue;
      }
      if (col.kind === 'email') {
        if (value === '') continue;
        if (EMAIL.test(value) && value.length <= 200) c.emails.push(value.toLowerCase());
        else problems.push(problem(field, value, 'email', 'not an e-mail address'));
        continue;
      }
      if (col.kind === 'custom') {
        const checked = checkFieldValue(col.rule, value);
        if (checked.ok) {
          if (checked.value !== null) c.custom[col.rule.key] = checked.value;
        } else {
          problems.push(problem(field, value, col.rule.required ? 'required' : 'custom_field', checked.message, col.rule.required));
          rejected ||= col.rule.required;
        }
        continue;
      }
      if (value === '') continue;
      switch (col.field) {
        case 'document': {
          const doc = checkDocument(value);
          if (doc.ok) c.document = doc.document;
          else problems.push(problem(field, value, 'document', doc.message));
          break;
        }
        case 'state':
          if (/^[A-Za-z]{2}$/.test(value)) c.state = value.toUpperCase();
          else problems.push(problem(field, value, 'state', 'a state (UF) has two letters, e.g. SP'));
          break;
        case 'postalCode':
          if (/^\d{5}-?\d{3}$/.test(value)) c.postalCode = `${value.replace('-', '').slice(0, 5)}-${value.replace('-', '').slice(5)}`;
          else problems.push(problem(field, value, 'postal_code', 'a CEP has 8 digits, e.g. 88010-000'));
          break;
        default: {
          const max = TEXT_MAX[col.field];
          if (value.length > max) problems.push(problem(field, value, 'too_long', `longer than ${max} characters; only the first ${max} were kept`));
          c[col.field] = value.length > max ? value.slice(0, max) : value;
        }
      }
    }
    if (c.name === '') {
      problems.push(problem(this.nameColumn, null, 'required', 'the name is required', true));
      rejected = true;
    }
    if (c.phones.length === 0) {
      problems.push(problem('row', null, 'no_valid_phone', 'the contact has no valid phone and was not imported', true));
      rejected = true;
    }
    c.nameKey = searchKey(c.name);
    return { record: rejected ? null : c, problems };
  }

  write(batch: readonly RowContact[], w: WriteContext): { index: number; problem: RowProblem }[] {
    if (!this.keys) {
      this.keys = new ContactKeys(w.sqlite, w.tenantId, w.scratch);
      this.tenantNumbers = new TenantNumbers(w.sqlite, w.tenantId);
      this.importId = w.importId;
      this.tenantId = w.tenantId;
      this.importing.set(w.tenantId, (this.importing.get(w.tenantId) ?? new Set()).add(this));
    }
    this.repo ??= new ContactsRepo(w.sqlite);
    const { repo, keys } = this;
    const tenantNumbers = this.tenantNumbers!;
    // The writer does not enforce foreign keys (`BulkWrites.writer`): the book is checked here, once per batch.
    if (!bookInTenant(w.db, w.tenantId, this.bookId)) throw new Error('the contact book was deleted during the import');
    const found: { index: number; problem: RowProblem }[] = [];
    // The tenant's contacts holding the batch's numbers and documents: one of this book is a
    // duplicate; one of another book only reported (books are separate lists, each looked up on its own).
    tenantNumbers.refresh();
    const numbers = repo.existing('numbers', w.tenantId, this.bookId, [...new Set(batch.flatMap((c) => c.phones.map((p) => p.number)))].filter((n) => tenantNumbers.mayHold(n)));
    const documents = repo.existing('documents', w.tenantId, this.bookId, [...new Set(batch.flatMap((c) => (c.document ? [c.document] : [])))]);
    const inBatch = new Set<string>();
    const docsInBatch = new Set<string>();
    const accepted: NewContact[] = [];
    batch.forEach((c, index) => {
      if (c.document) {
        const stored = documents.get(c.document);
        const other = stored?.bookId === this.bookId ? stored : undefined;
        if (other !== undefined || docsInBatch.has(c.document)) {
          const inFile = other === undefined || other.importId === w.importId;
          found.push({
            index,
            problem: problem(this.documentColumn, c.document, inFile ? 'duplicate_in_file' : 'duplicate', inFile ? 'the document repeats an earlier row of this file' : `the document already belongs to contact ${other.contactId}`, true),
          });
          return;
        }
        if (stored) found.push({ index, problem: this.elsewhere(w, this.documentColumn, c.document, 'document', stored) });
      }
      const phones = c.phones.filter((p) => {
        // Filed (a contact of this book if there is one), or written by this import and not filed yet.
        const stored = numbers.get(p.number);
        const earlier = inBatch.has(p.number) || keys.holdsNumber(p.number);
        if (earlier || stored?.bookId === this.bookId) {
          const inFile = earlier || stored?.importId === w.importId;
          found.push({
            index,
            problem: problem(p.column, formatPhone(p.number), inFile ? 'duplicate_in_file' : 'duplicate', inFile ? 'the phone repeats an earlier row of this file' : `the phone already belongs to contact ${stored!.contactId}`),
          });
          return false;
        }
        const other = this.beingImported(p.number);
        if (other?.bookId === this.bookId) {
          found.push({ index, problem: problem(p.column, formatPhone(p.number), 'duplicate', `the phone is being imported into this book by import ${other.importId}`) });
          return false;
        }
        if (stored) found.push({ index, problem: this.elsewhere(w, p.column, formatPhone(p.number), 'phone', stored) });
        else if (other) {
          found.push({
            index,
            problem: problem(p.column, formatPhone(p.number), 'in_other_book', `the phone is also being imported into the book "${this.bookNameOf(w, other.bookId)}" by import ${other.importId}; imported all the same`),
          });
        }
        return true;
      });
      if (phones.length === 0) {
        found.push({ index, problem: problem('row', null, 'duplicate', 'every phone of the row is already in the book; the contact was not imported', true) });
        return;
      }
      accepted.push(phones.length === c.phones.length ? c : { ...c, phones });
      for (const p of phones) inBatch.add(p.number);
      if (c.document) docsInBatch.add(c.document);
    });
    const before = keys.pending;
    repo.insertMany(w.tenantId, accepted, w.importId, w.now, keys);
    tenantNumbers.written(accepted.flatMap((c) => c.phones.map((p) => p.number)));
    keys.file(Math.max(KEYS_PER_BATCH, 2 * (keys.pending - before)));
    return found;
  }

  finish(): boolean {
    return (this.keys?.file(KEYS_AT_THE_END, true) ?? 0) > 0;
  }

  end(): void {
    this.keys?.close();
    const sessions = this.importing.get(this.tenantId);
    sessions?.delete(this);
    if (sessions?.size === 0) this.importing.delete(this.tenantId);
  }

  /** Another import of the tenant that wrote this number and has not filed it yet: one of this book if there is one. */
  private beingImported(number: string): ContactsSession | undefined {
    let found: ContactsSession | undefined;
    for (const other of this.importing.get(this.tenantId) ?? []) {
      if (other === this || !other.keys?.holdsNumber(number)) continue;
      if (other.bookId === this.bookId) return other;
      found ??= other;
    }
    return found;
  }

  /** A phone or document that a contact of another book holds: reported, and imported all the same. */
  private elsewhere(w: WriteContext, field: string, value: string, what: 'phone' | 'document', stored: Existing): RowProblem {
    return problem(field, value, 'in_other_book', `the ${what} also belongs to contact ${stored.contactId} of the book "${this.bookNameOf(w, stored.bookId)}"; imported all the same`);
  }

  private bookNameOf(w: WriteContext, bookId: number): string {
    let book = this.bookNames.get(bookId);
    if (book === undefined) {
      book = bookName(w.db, w.tenantId, bookId);
      this.bookNames.set(bookId, book);
    }
    return book;
  }
}
