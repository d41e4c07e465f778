/**
 * The CSV importer through the real app: streamed upload, header checks (4xx before anything
 * is stored), per-row problems with line and field, duplicates, encodings, progress and
 * history, the model file and the problems CSV; an import that fails or is cancelled is undone.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { withBeforeWrite } from '../helpers/import-targets.js';
import { openSocket } from '../helpers/socket.js';

describe('contacts: CSV import', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeEach(async () => {
    t = await createTestApp({ config: { contacts: { importMaxMb: 1 } } });
    admin = await t.loginAs('admin');
  });
  afterEach(async () => t.close());

  const upload = (csv: string | Buffer, query: Record<string, string | number> = {}, cookie = admin.cookie) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      query: Object.fromEntries(Object.entries({ target: 'contacts', fileName: 'lista.csv', ...query }).map(([k, v]) => [k, String(v)])),
      headers: { cookie, 'content-type': 'text/csv' },
      payload: csv,
    });
  const finished = async (id: number) => t.modules.contacts.importer.settled(id);
  /** What is left where uploads are spooled while they are imported. */
  const spooled = () => readdirSync(join(t.dataDir, 'imports'));
  const problems = async (id: number) =>
    (await t.request('GET', `/api/v1/imports/${id}/problems`, { cookie: admin.cookie, query: { limit: 500 } })).json().items as {
      line: number;
      field: string;
      value: string | null;
      code: string;
      message: string;
      rejected: boolean;
    }[];

  it('imports good rows, reports each bad one with its line, field and reason, and keeps the history', async () => {
    const csv = [
      'nome;telefone1;telefone2;email;documento;cidade',
      'Maria da Silva;(48) 99999-9999;48 3432-2422;maria@example.com;529.982.247-25;Florianópolis',
      'João Souza;+55 11 98765-4321;;joao@;;São Paulo',
      'Sem Telefone;(20) 98765-4321;(11) 88765-4321;;;',
      ';11987650000;;;;',
      'Ana Duplicada;11 98765 4321;;;;',
      '"Pereira; Carlos";"(21) 97777-0000";;;52998224726;"Rio de',
      'Janeiro"',
      '',
      'Última Linha;11 3456-7890;;;;',
    ].join('\r\n');
    const res = await upload(csv);
    expect(res.statusCode).toBe(202);
    const started = res.json();
    expect(started).toMatchObject({ state: 'running', target: 'contacts', fileName: 'lista.csv' });
    const done = await finished(started.id);
    expect(done).toMatchObject({ state: 'done', rows: 7, imported: 4, rejected: 3, percent: 100 });
    expect(spooled(), 'the upload is removed').toEqual([]);

    const p = await problems(started.id);
    const at = (line: number) => p.filter((x) => x.line === line);
    expect(at(3)).toEqual([expect.objectContaining({ field: 'email', code: 'email', rejected: false })]);
    expect(at(4).map((x) => x.code)).toEqual(['phone_ddd', 'phone_ninth_digit', 'no_valid_phone']);
    expect(at(4).find((x) => x.code === 'phone_ddd')!.message).toContain('DDD 20');
    expect(at(5).map((x) => [x.field, x.code])).toContainEqual(['nome', 'required']);
    expect(at(6).map((x) => x.code)).toEqual(['duplicate_in_file', 'duplicate']);
    expect(at(7)).toEqual([expect.objectContaining({ field: 'documento', code: 'document', rejected: false })]);

    const list = await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie, query: { sort: 'name' } });
    const names = list.json().items.map((c: { name: string }) => c.name);
    expect(names).toEqual(['João Souza', 'Maria da Silva', 'Pereira; Carlos', 'Última Linha']);
    const carlos = list.json().items.find((c: { name: string }) => c.name === 'Pereira; Carlos');
    expect(carlos.city).toBe('Rio de\nJaneiro');
    expect(carlos.document).toBeNull();
    const maria = list.json().items.find((c: { name: string }) => c.name === 'Maria da Silva');
    expect(maria.phones.map((x: { number: string; kind: string }) => [x.number, x.kind])).toEqual([
      ['5548999999999', 'mobile'],
      ['554834322422', 'landline'],
    ]);

    expect(p.filter((x) => x.line > 7)).toEqual([]);
    const csvErrors = await t.request('GET', `/api/v1/imports/${started.id}/problems.csv`, { cookie: admin.cookie });
    expect(csvErrors.headers['content-type']).toContain('text/csv');
    expect(csvErrors.body.split('\r\n')[0]).toBe('\ufeffline;field;value;code;message;row_rejected');
    expect(csvErrors.body).toContain('4;telefone1;(20) 98765-4321;phone_ddd;');

    const history = await t.request('GET', '/api/v1/imports', { cookie: admin.cookie });
    expect(history.json().items[0]).toMatchObject({ id: started.id, state: 'done', encoding: 'utf-8', delimiter: ';', createdBy: admin.user.login });
    const one = await t.request('GET', `/api/v1/imports/${started.id}`, { cookie: admin.cookie });
    expect(one.json()).toMatchObject({ imported: 4, rejected: 3 });
  });

  it('past the first hundred rows, each contact keeps its own phones and e-mails however many each row has', async () => {
    // Rows carry 1–3 phones and 0–2 e-mails in different rhythms, so the contacts, phones and
    // e-mails of a row fall at different places in their hundred-row inserts.
    const ROWS = 250;
    const phoneCount = (i: number) => 1 + (i % 3);
    const emailCount = (i: number) => (i * 7) % 5 % 3;
    const phone = (i: number, k: number) => `119${20_000_000 + i * 10 + k}`;
    const email = (i: number, k: number) => `pessoa${i}.${k}@example.com`;
    const line = (i: number) =>
      [`Pessoa ${i}`, ...[0, 1, 2].map((k) => (k < phoneCount(i) ? phone(i, k) : '')), ...[0, 1].map((k) => (k < emailCount(i) ? email(i, k) : ''))].join(';');
    const csv = ['nome;telefone1;telefone2;telefone3;email1;email2', ...Array.from({ length: ROWS }, (_, i) => line(i))].join('\n');
    const done = await finished((await upload(csv)).json().id);
    expect(done).toMatchObject({ state: 'done', rows: ROWS, imported: ROWS, rejected: 0 });
    expect(t.count('contact_phones')).toBe(Array.from({ length: ROWS }, (_, i) => phoneCount(i)).reduce((a, b) => a + b));

    for (const i of [0, 99, 100, 101, 137, 199, 200, 248, 249]) {
      const pop = (await t.request('GET', '/api/v1/contacts/lookup', { cookie: admin.cookie, query: { phone: phone(i, phoneCount(i) - 1) } })).json();
      expect(pop.matches.map((m: { name: string }) => m.name)).toEqual([`Pessoa ${i}`]);
      const contact = (await t.request('GET', `/api/v1/contacts/${pop.matches[0].contactId}`, { cookie: admin.cookie })).json();
      expect(contact.name).toBe(`Pessoa ${i}`);
      expect(contact.phones.map((p: { number: string }) => p.number)).toEqual(Array.from({ length: phoneCount(i) }, (_, k) => `55${phone(i, k)}`));
      expect(contact.emails).toEqual(Array.from({ length: emailCount(i) }, (_, k) => email(i, k)));
    }
  });

  it('progress is pushed on the imports topic of the events socket, to the tenant only', async () => {
    const base = await t.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `${base.replace(/^http/, 'ws')}/api/v1/events`;
    const mine = await openSocket(url, { cookie: admin.cookie, origin: base });
    const other = await openSocket(url, { cookie: (await t.loginAs('admin', { tenantId: t.createTenant() })).cookie, origin: base });
    for (const s of [mine, other]) {
      s.send({ type: 'subscribe', topics: ['imports'] });
      await s.waitFor((m) => m.type === 'subscribed');
    }
    const csv = 'nome;telefone\n' + Array.from({ length: 4500 }, (_, i) => `Contato ${i};1198${String(7000000 + i)}\n`).join('');
    const id = (await upload(csv)).json().id;
    await finished(id);
    const last = await mine.waitFor((m) => m.type === 'import.progressed' && (m.data as { import: { state: string } }).import.state === 'done');
    expect((last.data as { import: object }).import).toMatchObject({ id, imported: 4500, percent: 100 });
    const steps = mine.messages.filter((m) => m.type === 'import.progressed').map((m) => (m.data as { import: { imported: number } }).import.imported);
    expect(steps).toEqual([2000, 4000, 4500, 4500]);
    expect(other.messages.some((m) => m.type === 'import.progressed')).toBe(false);
    mine.close();
    other.close();
  });

  it('a second import reports the phones already in the book as duplicates', async () => {
    await finished((await upload('nome;telefone\nMaria;48999999999\n')).json().id);
    const second = await finished((await upload('nome;telefone;telefone2\nMaria de novo;48999999999\nOutra;48999999999;48988887777\n')).json().id);
    expect(second).toMatchObject({ imported: 1, rejected: 1 });
    const p = await problems(second.id);
    expect(p.find((x) => x.line === 2 && x.code === 'duplicate' && x.field === 'telefone')!.message).toMatch(/already belongs to contact \d+/);
    // The row kept without its repeated phone: its other phone is its first.
    const outra = t.deps.database.sqlite
      .prepare("SELECT p.number, p.position FROM contact_phones p JOIN contacts c ON c.id = p.contact_id WHERE c.name = 'Outra'")
      .all();
    expect(outra).toEqual([{ number: '5548988887777', position: 0 }]);
  });

  it("duplicates name the file's own columns; a phone or document of another book is reported and imported all the same", async () => {
    const first = await finished((await upload('nome;celular;cpf\nMaria;48999999999;529.982.247-25\n')).json().id);
    expect(first.imported).toBe(1);
    const maria = (await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie })).json().items[0] as { id: number };
    // The same book: the phone is a duplicate at "celular", the document at "cpf" (the row rejected).
    const again = await finished((await upload('nome;celular;cpf\nMaria de novo;48999999999;\nOutra Maria;48988887777;52998224725\n')).json().id);
    expect(again).toMatchObject({ imported: 0, rejected: 2 });
    expect((await problems(again.id)).map((x) => [x.line, x.field, x.code])).toEqual([
      [2, 'celular', 'duplicate'],
      [2, 'row', 'duplicate'],
      [3, 'cpf', 'duplicate'],
    ]);
    // Another book: both reported with the contact and its book, and the contact imported with them.
    const book = (await t.request('POST', '/api/v1/crm/books', { cookie: admin.cookie, body: { name: 'Campanha Março' } })).json() as { id: number };
    const other = await finished((await upload('nome;celular;cpf\nMaria;48999999999;52998224725\n', { bookId: book.id })).json().id);
    expect(other).toMatchObject({ imported: 1, rejected: 0 });
    const p = await problems(other.id);
    expect(p.map((x) => [x.field, x.code, x.rejected])).toEqual([
      ['cpf', 'in_other_book', false],
      ['celular', 'in_other_book', false],
    ]);
    expect(p[1]!.message).toBe(`the phone also belongs to contact ${maria.id} of the book "Contatos"; imported all the same`);
    const inBook = (await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie, query: { bookId: book.id } })).json().items;
    expect(inBook).toEqual([expect.objectContaining({ name: 'Maria', document: '52998224725' })]);
  });

  it('a phone repeated batches later, or stored by someone else while the file is imported, is a duplicate', async () => {
    // Batches of 500 rows: line 1,102 is in the third batch and repeats line 2 (the first).
    const rows = Array.from({ length: 1200 }, (_, i) => `Pessoa ${i};1198${String(7000000 + i)}`);
    rows[1100] = 'Repetida;11987000000';
    rows[1101] = 'Vizinha;11955550000;11987000001';
    // A contact created through the API once the import runs (between two of its batches).
    const id = (await upload(['nome;telefone1;telefone2', ...rows].join('\n'))).json().id;
    const manual = await t.request('POST', '/api/v1/contacts', { cookie: admin.cookie, body: { name: 'Criado à mão', phones: [{ number: '11955550000' }] } });
    expect(manual.statusCode).toBe(201);
    const done = await finished(id);
    expect(done).toMatchObject({ state: 'done', rows: 1200, rejected: 2, imported: 1198 });
    const p = await problems(id);
    expect(p.filter((x) => x.line === 1102).map((x) => x.code)).toEqual(['duplicate_in_file', 'duplicate']);
    expect(p.filter((x) => x.line === 1103).map((x) => [x.code, x.value])).toEqual([
      ['duplicate', '+55 (11) 95555-0000'],
      ['duplicate_in_file', '+55 (11) 98700-0001'],
      ['duplicate', null],
    ]);
    expect(p.find((x) => x.line === 1103 && x.code === 'duplicate')!.message).toBe(`the phone already belongs to contact ${manual.json().id}`);
  });

  it('a batch with thousands of problems keeps them all (each repeated row: its ten phones and the row)', async () => {
    // 5,489 problems in the first batch: more values than one SQLite statement takes.
    const phones = Array.from({ length: 10 }, (_, k) => `1198700000${k}`);
    const csv = [`nome;${phones.map((_, k) => `telefone${k + 1}`).join(';')}`, ...Array.from({ length: 600 }, (_, i) => `Pessoa ${i};${phones.join(';')}`)].join('\n');
    const done = await finished((await upload(csv)).json().id);
    expect(done).toMatchObject({ state: 'done', rows: 600, imported: 1, rejected: 599, problems: 599 * 11 });
    expect(t.count('import_errors')).toBe(599 * 11);
  });

  it('Latin-1 files, a BOM and comma-separated headers are read correctly', async () => {
    const latin1 = Buffer.from('nome;telefone\r\nJosé Conceição;11987654321\r\n', 'latin1');
    const a = await finished((await upload(latin1)).json().id);
    expect(a.imported).toBe(1);
    const bom = await finished((await upload('\ufeffnome,telefone\r\n"Silva, Ana",11912345678\r\n')).json().id);
    expect(bom.imported).toBe(1);
    const names = (await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie, query: { sort: 'name' } })).json().items.map((c: { name: string }) => c.name);
    expect(names).toEqual(['José Conceição', 'Silva, Ana']);
    const history = (await t.request('GET', '/api/v1/imports', { cookie: admin.cookie })).json().items;
    expect(history.map((h: { encoding: string; delimiter: string }) => [h.encoding, h.delimiter])).toEqual([
      ['utf-8', ','],
      ['windows-1252', ';'],
    ]);
  });

  it('custom fields are columns; their values are checked; unknown columns refuse the file', async () => {
    await t.request('POST', '/api/v1/crm/fields', { cookie: admin.cookie, body: { scope: 'contact', key: 'plano', label: 'Plano', type: 'select', options: ['Ouro', 'Prata'], required: true } });
    await t.request('POST', '/api/v1/crm/fields', { cookie: admin.cookie, body: { scope: 'contact', key: 'nascimento', label: 'Nascimento', type: 'date' } });
    const model = await t.request('GET', '/api/v1/imports/model', { cookie: admin.cookie, query: { target: 'contacts' } });
    expect(model.body.split('\r\n')[0]).toBe('\ufeffnome;telefone1;telefone2;email;documento;empresa;logradouro;numero;complemento;bairro;cidade;uf;cep;plano;nascimento');
    const unknown = await upload('nome;telefone;plano;cor\nA;11987654321;Ouro;azul\n');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error).toMatchObject({ details: { field: 'file' } });
    expect(unknown.json().error.message).toContain('unknown column "cor"');
    const done = await finished((await upload('nome;telefone;plano;nascimento\nA;11987654321;Ouro;31/02/1990\nB;11987654322;Bronze;\n')).json().id);
    expect(done).toMatchObject({ imported: 1, rejected: 1 });
    const p = await problems(done.id);
    expect(p.map((x) => [x.line, x.field, x.code, x.rejected])).toEqual([
      [2, 'nascimento', 'custom_field', false],
      [3, 'plano', 'required', true],
    ]);
    const a = (await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie })).json().items[0];
    expect(a.custom).toEqual({ plano: 'Ouro' });
  });

  it('a value longer than its field takes is cut to fit and reported at its column; the row is kept', async () => {
    const name = 'Maria '.repeat(40).trim();
    const done = await finished((await upload(`nome;telefone;numero;bairro\n${name};11987654321;${'1'.repeat(25)};Centro\n`)).json().id);
    expect(done).toMatchObject({ imported: 1, rejected: 0 });
    expect((await problems(done.id)).map((x) => [x.line, x.field, x.code, x.rejected])).toEqual([
      [2, 'nome', 'too_long', false],
      [2, 'numero', 'too_long', false],
    ]);
    const c = (await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie })).json().items[0];
    expect([c.name.length, c.streetNumber, c.district]).toEqual([200, '1'.repeat(20), 'Centro']);
    // Cut to what the API takes, the contact can be edited as imported.
    expect((await t.request('PATCH', `/api/v1/contacts/${c.id}`, { cookie: admin.cookie, body: { streetNumber: c.streetNumber, company: 'X' } })).statusCode).toBe(200);
  });

  it('a bad header, a wrong delimiter, a file that is not CSV or too large are refused before anything is stored', async () => {
    const cases: [string | Buffer, number, string][] = [
      ['telefone;email\n11987654321;a@b.co\n', 400, 'no name column'],
      ['nome\tTelefone\nA\t11987654321\n', 400, 'separated by tab'],
      ['nome|telefone\nA|11987654321\n', 400, 'separated by |'],
      ['', 400, 'empty'],
      [Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, 0x08, 0x00, 0x00, 0x00]), 415, 'not a CSV'],
      ['nome;telefone\n' + 'Fulano de Tal;11987654321\n'.repeat(45_000), 413, 'larger than the 1 MiB'],
    ];
    for (const [csv, status, message] of cases) {
      const res = await upload(csv);
      expect(res.statusCode, message).toBe(status);
      expect(res.json().error.details.field).toBe('file');
      expect(res.json().error.message).toContain(message);
    }
    expect(t.count('imports')).toBe(0);
    expect(t.count('contacts')).toBe(0);
    const notCsv = await t.request('POST', '/api/v1/imports', { cookie: admin.cookie, query: { target: 'contacts' }, body: { nome: 'x' } });
    expect(notCsv.statusCode).toBe(415);
    const badTarget = await upload('nome;telefone\n', { target: 'nada' });
    expect(badTarget.json().error.details.field).toBe('target');
  });

  it('an unclosed quote is reported at its line, naming the lines it made unreadable; the rows before it are kept', async () => {
    const done = await finished((await upload('nome;telefone\nA;11987654321\n"B;11987654322\nC;11987654323\n')).json().id);
    expect(done).toMatchObject({ rows: 2, imported: 1, rejected: 1 });
    const p = await problems(done.id);
    expect(p).toEqual([expect.objectContaining({ line: 3, field: 'row', code: 'csv_syntax', rejected: true })]);
    expect(p[0]!.message).toMatch(/quote/i);
    expect(p[0]!.message).toContain('lines 3 to 4');
  });

  it('a row that cannot be read between good rows is reported at its own line, and the rows around it at theirs', async () => {
    const csv = ['nome;telefone;email', 'A;11987654321;a@', 'B;1198765"4322;', '', 'C;11987654323;"c@\nd"', 'D;11987654324;d@', 'E;11987654325;', 'F;119876"543"26;'].join('\r\n');
    const done = await finished((await upload(csv)).json().id);
    expect(done).toMatchObject({ state: 'done', rows: 6, imported: 4, rejected: 2 });
    const p = await problems(done.id);
    expect(p.map((x) => [x.line, x.field, x.code])).toEqual([
      [2, 'email', 'email'],
      [3, 'row', 'csv_syntax'],
      [5, 'email', 'email'],
      [7, 'email', 'email'],
      // Two stray quotes in one row: one problem for the row.
      [9, 'row', 'csv_syntax'],
    ]);
  });

  it('a cancelled import is undone and says so', async () => {
    const csv = 'nome;telefone\n' + Array.from({ length: 5000 }, (_, i) => `Contato ${i};1198${String(7000000 + i)}\n`).join('');
    const res = await upload(csv);
    const id = res.json().id;
    expect((await t.request('POST', `/api/v1/imports/${id}/cancel`, { cookie: admin.cookie })).statusCode).toBe(202);
    const done = await finished(id);
    expect(done.state).toBe('cancelled');
    expect(done.error).toContain('nothing of this file was kept');
    const read = await t.request('GET', `/api/v1/imports/${id}`, { cookie: admin.cookie, headers: { 'accept-language': 'pt-BR' } });
    expect(read.json().error).toBe('cancelada; nada deste arquivo foi mantido');
    expect(spooled()).toEqual([]);
    expect(t.count('contacts')).toBe(0);
    expect(t.count('contact_phones')).toBe(0);
  });

  it('an import that fails part-way is undone and says at which line', async () => {
    // The contacts target, failing on its third batch (rows 1,001 to 1,500) as a full disk would.
    t.modules.contacts.importer.register(
      withBeforeWrite(t.modules.contacts.contactsImportTarget, 'failing', (n) => {
        if (n === 3) throw new Error('disk I/O error');
      }),
    );
    const csv = 'nome;telefone\n' + Array.from({ length: 5000 }, (_, i) => `Contato ${i};1198${String(7000000 + i)}\n`).join('');
    const started = await t.modules.contacts.importer.start({ tenantId: t.tenantA, userId: null, target: 'failing', options: {}, fileName: 'lista.csv', body: Readable.from([csv]) });
    const done = await finished(started.id);
    expect(done.state).toBe('failed');
    expect(done.error).toBe('failed at line 1501: disk I/O error; nothing of this file was kept');
    expect(spooled()).toEqual([]);
    expect(done.imported).toBe(0);
    expect(t.count('contacts')).toBe(0);
    expect(t.count('contact_phones')).toBe(0);
  });

  it('an import a stop of the daemon interrupted is undone at the next start, and what it left in the spool directory removed', async () => {
    const csv = 'nome;telefone;email\n' + Array.from({ length: 20 }, (_, i) => `Contato ${i};1198${String(7000000 + i)};c${i}@example.com\n`).join('');
    const id = (await upload(csv)).json().id;
    expect((await finished(id)).imported).toBe(20);
    // As a stop leaves it: the import still running, its upload and its scratch file behind.
    t.deps.database.sqlite.prepare("UPDATE imports SET state = 'running', finished_at = NULL WHERE id = ?").run(id);
    writeFileSync(join(t.dataDir, 'imports', 'upload.csv'), csv);
    writeFileSync(join(t.dataDir, 'imports', `${id}.scratch`), 'keys');
    await t.modules.contacts.start();
    const read = (await t.request('GET', `/api/v1/imports/${id}`, { cookie: admin.cookie })).json();
    expect(read).toMatchObject({ state: 'failed', imported: 0, error: 'interrupted by a stop of the daemon; nothing of this file was kept; import it again' });
    expect(spooled()).toEqual([]);
    expect([t.count('contacts'), t.count('contact_phones'), t.count('contact_phone_keys'), t.count('contact_name_keys'), t.count('contact_email_keys')]).toEqual([0, 0, 0, 0, 0]);
  });

  it('a book deleted before its file is written fails the import, which is undone: no contact is left in a book that does not exist', async () => {
    // The importer's writer does not enforce foreign keys; the target checks the book on each batch.
    const book = (await t.request('POST', '/api/v1/crm/books', { cookie: admin.cookie, body: { name: 'Apagada' } })).json() as { id: number };
    t.modules.contacts.importer.register(
      withBeforeWrite(t.modules.contacts.contactsImportTarget, 'book_deleted', () => {
        // As if an admin deleted the book (still empty) between the upload and the first batch.
        t.deps.database.sqlite.prepare('DELETE FROM contact_books WHERE id = ?').run(book.id);
      }),
    );
    const csv = 'nome;telefone\n' + Array.from({ length: 800 }, (_, i) => `Contato ${i};1198${String(7000000 + i)}\n`).join('');
    const started = await t.modules.contacts.importer.start({ tenantId: t.tenantA, userId: null, target: 'book_deleted', options: { bookId: book.id }, fileName: 'lista.csv', body: Readable.from([csv]) });
    const done = await finished(started.id);
    expect(done).toMatchObject({ state: 'failed', imported: 0, error: 'failed at line 501: the contact book was deleted during the import; nothing of this file was kept' });
    expect(t.count('contacts')).toBe(0);
    expect(t.count('contact_phones')).toBe(0);
  });

  it('the API keeps answering while a large file is imported, with its progress', async () => {
    const rows = 30_000;
    const csv = 'nome;telefone\n' + Array.from({ length: rows }, (_, i) => `Contato ${i};1198${String(7000000 + i)}\n`).join('');
    const id = (await upload(csv)).json().id as number;
    const seen: { state: string; rows: number }[] = [];
    for (;;) {
      const p = (await t.request('GET', `/api/v1/imports/${id}`, { cookie: admin.cookie })).json() as { state: string; rows: number };
      seen.push(p);
      if (p.state !== 'running') break;
      await new Promise((r) => setTimeout(r, 10));
    }
    const running = seen.filter((p) => p.state === 'running' && p.rows > 0 && p.rows < rows);
    // Answered between the batches, not once the file was done: the rows read grow from answer to answer.
    expect(running.length).toBeGreaterThanOrEqual(2);
    expect(new Set(running.map((p) => p.rows)).size).toBeGreaterThanOrEqual(2);
    expect(seen.at(-1)).toMatchObject({ state: 'done', rows });
    expect(t.count('contacts')).toBe(rows);
  });

  it('the blacklist target imports numbers of one direction', async () => {
    const res = await upload('numero;motivo;validade\n5548999999999;pediu;31/12/2030\n123;curto;\n5548999999999;repetido;\n', { target: 'blacklist', direction: 'outbound' });
    const done = await finished(res.json().id);
    expect(done).toMatchObject({ imported: 1, rejected: 2 });
    const check = await t.request('GET', '/api/v1/blacklist/check', { cookie: admin.cookie, query: { number: '(48) 99999-9999', direction: 'outbound' } });
    expect(check.json()).toMatchObject({ blacklisted: true, reason: 'pediu' });
    const inbound = await t.request('GET', '/api/v1/blacklist/check', { cookie: admin.cookie, query: { number: '5548999999999', direction: 'inbound' } });
    expect(inbound.json().blacklisted).toBe(false);
    const noDirection = await upload('numero\n5548999999999\n', { target: 'blacklist' });
    expect(noDirection.json().error.details.field).toBe('direction');
  });

  it("another tenant's import is 404; agents may not import", async () => {
    const id = (await upload('nome;telefone\nA;11987654321\n')).json().id;
    await finished(id);
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    for (const path of [`/api/v1/imports/${id}`, `/api/v1/imports/${id}/problems`, `/api/v1/imports/${id}/problems.csv`]) {
      expect((await t.request('GET', path, { cookie: other.cookie })).statusCode).toBe(404);
    }
    expect((await t.request('GET', '/api/v1/imports', { cookie: other.cookie })).json().total).toBe(0);
    const agent = await t.loginAs('agent');
    expect((await upload('nome;telefone\nA;11987654321\n', {}, agent.cookie)).statusCode).toBe(403);
  });

  it('the export is the import model: exported contacts import again into another book unchanged', async () => {
    await t.request('POST', '/api/v1/crm/fields', { cookie: admin.cookie, body: { scope: 'contact', key: 'plano', label: 'Plano', type: 'select', options: ['Ouro', 'Prata'] } });
    const first = await upload('nome;telefone1;telefone2;email;cidade;plano\n"Souza; Ana";11987654321;1134567890;ana@example.com;"São\nPaulo";Ouro\nBeto;21987654321;;;;\n');
    expect(await finished(first.json().id)).toMatchObject({ imported: 2, rejected: 0 });
    const exported = await t.request('GET', '/api/v1/contacts/export', { cookie: admin.cookie });
    expect(exported.headers['content-disposition']).toContain('attachment');
    const [header, ...rows] = exported.body.split('\r\n');
    expect(header).toBe('\ufeffnome;telefone1;telefone2;email;documento;empresa;logradouro;numero;complemento;bairro;cidade;uf;cep;plano');
    expect(rows.filter((r) => r !== '')).toHaveLength(2);

    const book = (await t.request('POST', '/api/v1/crm/books', { cookie: admin.cookie, body: { name: 'Cópia' } })).json();
    const again = await upload(exported.rawPayload, { bookId: book.id });
    // Each phone is reported as held in the first book too, and imported all the same.
    expect(await finished(again.json().id)).toMatchObject({ imported: 2, rejected: 0, problems: 3 });
    expect(new Set((await problems(again.json().id)).map((x) => x.code))).toEqual(new Set(['in_other_book']));
    const copy = (await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie, query: { bookId: book.id, sort: 'name' } })).json().items;
    expect(copy.map((c: { name: string; city: string | null; custom: object; emails: string[] }) => [c.name, c.city, c.custom, c.emails])).toEqual([
      ['Beto', null, {}, []],
      ['Souza; Ana', 'São\nPaulo', { plano: 'Ouro' }, ['ana@example.com']],
    ]);
    expect(copy[1].phones.map((p: { number: string }) => p.number)).toEqual(['5511987654321', '551134567890']);

    // A contact with more phones and e-mails than the model's columns exports them all.
    const many = await t.request('POST', '/api/v1/contacts', {
      cookie: admin.cookie,
      body: { name: 'Carla', bookId: book.id, phones: [{ number: '11911110001' }, { number: '11911110002' }, { number: '1133330003' }], emails: ['a@example.com', 'b@example.com'] },
    });
    expect(many.statusCode).toBe(201);
    const full = await t.request('GET', '/api/v1/contacts/export', { cookie: admin.cookie, query: { bookId: book.id } });
    expect(full.body.split('\r\n')[0]).toBe('\ufeffnome;telefone1;telefone2;telefone3;email;email2;documento;empresa;logradouro;numero;complemento;bairro;cidade;uf;cep;plano');
    const book2 = (await t.request('POST', '/api/v1/crm/books', { cookie: admin.cookie, body: { name: 'Cópia 2' } })).json();
    expect(await finished((await upload(full.rawPayload, { bookId: book2.id })).json().id)).toMatchObject({ imported: 3, rejected: 0, problems: 6 });
    const carla = (await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie, query: { bookId: book2.id, name: 'Carla' } })).json().items[0];
    expect(carla.phones.map((p: { number: string }) => p.number)).toEqual(['5511911110001', '5511911110002', '551133330003']);
    expect(carla.emails).toEqual(['a@example.com', 'b@example.com']);
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await t.request('GET', '/api/v1/contacts/export', { cookie: other.cookie, query: { bookId: book.id } })).statusCode).toBe(404);
  });
});
