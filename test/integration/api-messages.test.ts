/**
 * The API answers its errors in the language the request asks for: Portuguese with
 * `Accept-Language: pt-BR` (as the web app sends it), English otherwise. The code, the field and
 * the user's own data in the message stay as they are.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;

const PT = { 'accept-language': 'pt-BR,pt;q=0.9,en;q=0.8' };
const EN = { 'accept-language': 'en-US,en;q=0.9' };

const api = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown, headers: Record<string, string> = {}) =>
  t.request(method, `/api/v1${path}`, { cookie: admin.cookie, headers, ...(body === undefined ? {} : { body }) });
const errorOf = (res: { json(): unknown }) => (res.json() as { error: { code: string; message: string; details: Record<string, unknown> } }).error;

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  expect((await api('POST', '/queues', { name: 'Vendas', number: '700' })).statusCode).toBe(201);
});
afterAll(async () => {
  await t.close();
});

describe('API errors in the language asked for', () => {
  it('words a rule of the schema in Portuguese, naming the same field', async () => {
    const pt = await api('POST', '/queues', { number: '701' }, PT);
    expect(pt.statusCode).toBe(400);
    expect(errorOf(pt)).toMatchObject({ code: 'invalid_field', message: 'body.name é obrigatório', details: { field: 'name' } });
    expect((errorOf(pt).details.fields as { problem: string; rule: string }[])[0]).toMatchObject({ problem: 'é obrigatório', rule: 'required' });

    const long = await api('POST', '/queues', { name: 'x'.repeat(200), number: '701' }, PT);
    expect(errorOf(long).message).toMatch(/^body\.name deve ter no máximo \d+ caracteres$/);

    const en = await api('POST', '/queues', { number: '701' }, EN);
    expect(errorOf(en)).toMatchObject({ code: 'invalid_field', message: 'body.name is required' });
    const none = await api('POST', '/queues', { number: '701' });
    expect(errorOf(none).message).toBe('body.name is required');
  });

  it("keeps the user's own words in a translated sentence", async () => {
    const pt = await api('POST', '/queues', { name: 'Vendas', number: '702' }, PT);
    expect(pt.statusCode).toBe(409);
    expect(errorOf(pt)).toMatchObject({ code: 'conflict', message: 'já existe um cadastro de fila com nome "Vendas"', details: { field: 'name' } });
    const en = await api('POST', '/queues', { name: 'Vendas', number: '702' });
    expect(errorOf(en).message).toBe('a queue with name "Vendas" already exists');
  });

  it('names the refused item of a bulk save and says nothing was saved, in Portuguese', async () => {
    expect((await api('POST', '/crm/faq', { question: 'Horário?', answer: 'Das 8h às 18h' })).statusCode).toBe(201);
    const bulk = { create: [{ question: 'Entrega?', answer: 'Em 3 dias' }, { question: 'Horário?', answer: 'Outra' }] };
    const pt = await t.request('PUT', '/api/v1/crm/faq', { cookie: admin.cookie, headers: PT, body: bulk });
    expect(pt.statusCode).toBe(409);
    expect(errorOf(pt).message).toBe('inclusão 2: já existe um cadastro de pergunta frequente com pergunta "Horário?"; nada foi salvo');
    const en = await t.request('PUT', '/api/v1/crm/faq', { cookie: admin.cookie, body: bulk });
    expect(errorOf(en).message).toBe('create 2: a FAQ entry with question "Horário?" already exists; nothing was saved');
  });

  it("words an import's row problems in Portuguese, on the screen's list and in the CSV", async () => {
    const csv = ['nome;telefone', 'Maria;(20) 98765-4321', 'Ana;(11) 98765-4321'].join('\r\n');
    const up = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      query: { target: 'contacts', fileName: 'lista.csv' },
      headers: { cookie: admin.cookie, 'content-type': 'text/csv' },
      payload: csv,
    });
    expect(up.statusCode).toBe(202);
    await t.modules.contacts.importer.settled(up.json().id);
    const problems = async (headers: Record<string, string>) =>
      (await t.request('GET', `/api/v1/imports/${up.json().id}/problems`, { cookie: admin.cookie, headers })).json().items as { code: string; message: string }[];
    const pt = await problems(PT);
    expect(pt.find((p) => p.code === 'phone_ddd')).toMatchObject({ message: 'o DDD 20 não existe no Brasil' });
    expect(pt.find((p) => p.code === 'no_valid_phone')).toMatchObject({ message: 'o contato não tem telefone válido e não foi importado' });
    expect((await problems(EN)).find((p) => p.code === 'phone_ddd')).toMatchObject({ message: 'DDD 20 is not a Brazilian area code' });
    const file = await t.request('GET', `/api/v1/imports/${up.json().id}/problems.csv`, { cookie: admin.cookie, headers: PT });
    expect(file.body).toContain('o DDD 20 não existe no Brasil');
    // A download link cannot send the header: it names the app's language, over the browser's.
    const linked = await t.request('GET', `/api/v1/imports/${up.json().id}/problems.csv?lang=pt-BR`, { cookie: admin.cookie, headers: EN });
    expect(linked.body).toContain('o DDD 20 não existe no Brasil');
    const english = await t.request('GET', `/api/v1/imports/${up.json().id}/problems.csv?lang=en`, { cookie: admin.cookie, headers: PT });
    expect(english.body).toContain('DDD 20 is not a Brazilian area code');
    const wrong = await t.request('GET', `/api/v1/imports/${up.json().id}/problems.csv?lang=fr`, { cookie: admin.cookie });
    expect(wrong.statusCode).toBe(400);
    expect(errorOf(wrong).details.field).toBe('lang');
  });

  it('answers an unknown route in Portuguese', async () => {
    const pt = await t.request('GET', '/api/v1/nothing-here', { headers: PT });
    expect(pt.statusCode).toBe(404);
    expect(errorOf(pt).message).toBe('não existe a rota GET /api/v1/nothing-here');
  });
});
