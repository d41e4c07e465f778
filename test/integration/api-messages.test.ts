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
    expect(errorOf(pt)).toMatchObject({ code: 'conflict', message: 'já existe um cadastro de fila com name "Vendas"', details: { field: 'name' } });
    const en = await api('POST', '/queues', { name: 'Vendas', number: '702' });
    expect(errorOf(en).message).toBe('a queue with name "Vendas" already exists');
  });

  it('answers an unknown route in Portuguese', async () => {
    const pt = await t.request('GET', '/api/v1/nothing-here', { headers: PT });
    expect(pt.statusCode).toBe(404);
    expect(errorOf(pt).message).toBe('não existe a rota GET /api/v1/nothing-here');
  });
});
