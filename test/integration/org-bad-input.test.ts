import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, validCnpj, type LoggedIn, type TestApp } from '../helpers/app.js';

/**
 * Bad input gets a 4xx that names the field, and the database is left exactly as it was.
 */
let t: TestApp;
let admin: LoggedIn;
let superUser: LoggedIn;
const TABLES = ['tenants', 'users', 'teams', 'profiles', 'pause_types', 'audit_log'];
const counts = () => Object.fromEntries(TABLES.map((n) => [n, t.count(n)]));

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  superUser = await t.loginAs('super');
  const existing = await t.request('POST', '/api/v1/users', {
    cookie: admin.cookie,
    body: { name: 'Taken', login: 'taken.login', password: 'secret-123', level: 'agent', extension: '2001' },
  });
  expect(existing.statusCode).toBe(201);
});
afterAll(async () => {
  await t.close();
});

const user = { name: 'Ana Silva', login: 'ana.silva', password: 'secret-123', level: 'agent' };
const tenant = { legalName: 'Nova Empresa Ltda', cnpj: validCnpj(777), ddi: '55', ddd: '11' };

type Case = [string, string, Record<string, unknown> | string, number, string, string?];
const cases: Case[] = [
  // [what, url, body (string = raw), status, field, error code]
  ['malformed JSON', '/api/v1/users', '{"name": "Ana", ', 400, '', 'malformed_json'],
  ['missing login', '/api/v1/users', { ...user, login: undefined }, 400, 'login'],
  ['password null (omit it to send an access link instead)', '/api/v1/users', { ...user, password: null }, 400, 'password'],
  ['missing level', '/api/v1/users', { ...user, level: undefined }, 400, 'level'],
  ['login of 4 characters', '/api/v1/users', { ...user, login: 'abcd' }, 400, 'login'],
  ['login with spaces', '/api/v1/users', { ...user, login: 'ana silva' }, 400, 'login'],
  ['password of 5 characters', '/api/v1/users', { ...user, password: '12345' }, 400, 'password'],
  ['unknown field', '/api/v1/users', { ...user, isAdmin: true }, 400, 'isAdmin'],
  ['wrong type', '/api/v1/users', { ...user, name: 42 }, 400, 'name'],
  ['number as text', '/api/v1/users', { ...user, teamId: '3' }, 400, 'teamId'],
  ['unknown level', '/api/v1/users', { ...user, level: 'root' }, 400, 'level'],
  ['bad e-mail', '/api/v1/users', { ...user, email: 'not-an-email' }, 400, 'email'],
  ['nested unknown field', '/api/v1/users', { ...user, concurrency: { voice: 1, fax: 2 } }, 400, 'concurrency.fax'],
  ['negative concurrency', '/api/v1/users', { ...user, concurrency: { chat: -1 } }, 400, 'concurrency.chat'],
  ['no such team', '/api/v1/users', { ...user, teamId: 99999 }, 400, 'teamId'],
  ['duplicate login', '/api/v1/users', { ...user, login: 'taken.login' }, 409, 'login', 'conflict'],
  ['duplicate extension', '/api/v1/users', { ...user, extension: '2001' }, 409, 'extension', 'conflict'],
  ['tenant: invalid CNPJ', '/api/v1/tenants', { ...tenant, cnpj: '11.222.333/0001-82' }, 400, 'cnpj'],
  ['tenant: CNPJ with letters in check digits', '/api/v1/tenants', { ...tenant, cnpj: '112223330001AB' }, 400, 'cnpj'],
  ['tenant: missing legal name', '/api/v1/tenants', { ...tenant, legalName: undefined }, 400, 'legalName'],
  ['tenant: DDD not in Brazil', '/api/v1/tenants', { ...tenant, ddd: '20' }, 400, 'ddd'],
  ['tenant: CNL not 5 digits', '/api/v1/tenants', { ...tenant, cnl: '123' }, 400, 'cnl'],
  ['tenant: all-zero CNPJ', '/api/v1/tenants', { ...tenant, cnpj: '00.000.000/0000-00' }, 400, 'cnpj'],
  ['team: empty name', '/api/v1/teams', { name: '' }, 400, 'name'],
  ['team: supervisor id 0', '/api/v1/teams', { name: 'T', supervisorIds: [0] }, 400, 'supervisorIds.0'],
  ['profile: unknown permission', '/api/v1/profiles', { name: 'P', permissions: ['nuclear:write'] }, 400, 'permissions'],
  ['profile: permissions not a list', '/api/v1/profiles', { name: 'P', permissions: 'calls:read' }, 400, 'permissions'],
  ['pause: zero minutes', '/api/v1/pause-types', { reason: 'Lunch', maxDurationMinutes: 0 }, 400, 'maxDurationMinutes'],
  ['pause: team of nowhere', '/api/v1/pause-types', { reason: 'Lunch', teamIds: [424242] }, 400, 'teamIds'],
];

describe('bad input on create', () => {
  it.each(cases)('%s → 4xx naming the field, nothing written', async (_what, url, body, status, field, code) => {
    const before = counts();
    const cookie = url.includes('tenants') ? superUser.cookie : admin.cookie;
    const res =
      typeof body === 'string'
        ? await t.request('POST', url, { cookie, rawBody: body })
        : await t.request('POST', url, { cookie, body: JSON.parse(JSON.stringify(body)) });
    expect(res.statusCode, res.body).toBe(status);
    const error = res.json().error;
    expect(error.code).toBe(code ?? 'invalid_field');
    if (field) expect(error.details.field).toBe(field);
    expect(counts()).toEqual(before);
  });

  it('answers 409 naming cnpj for a CNPJ already used, masked or not', async () => {
    const first = await t.request('POST', '/api/v1/tenants', { cookie: superUser.cookie, body: tenant });
    expect(first.statusCode).toBe(201);
    expect(first.json().cnpj).toBe(tenant.cnpj);
    const before = counts();
    const masked = `${tenant.cnpj.slice(0, 2)}.${tenant.cnpj.slice(2, 5)}.${tenant.cnpj.slice(5, 8)}/${tenant.cnpj.slice(8, 12)}-${tenant.cnpj.slice(12)}`;
    const dup = await t.request('POST', '/api/v1/tenants', { cookie: superUser.cookie, body: { ...tenant, cnpj: masked } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('cnpj');
    expect(counts()).toEqual(before);
  });
});

describe('bad input on change', () => {
  it.each([
    ['/api/v1/users/:user', { login: 'abc' }, 'login'],
    ['/api/v1/users/:user', { password: 'new-password' }, 'password'],
    ['/api/v1/users/:user', { concurrency: { voice: 'one' } }, 'concurrency.voice'],
    ['/api/v1/users/:user', { login: 'taken.login' }, 'login'],
    ['/api/v1/tenants/:tenant', { cnpj: '12345678000100' }, 'cnpj'],
  ] as const)('PATCH %s %j → 4xx naming %s, row unchanged', async (url, body, field) => {
    const target = await t.loginAs('agent');
    const path = url.replace(':user', String(target.user.id)).replace(':tenant', String(t.tenantA));
    const before = (await t.request('GET', path, { cookie: admin.cookie })).json();
    const auditRows = t.count('audit_log');
    const res = await t.request('PATCH', path, { cookie: admin.cookie, body });
    expect([400, 409]).toContain(res.statusCode);
    expect(res.json().error.details.field).toBe(field);
    expect((await t.request('GET', path, { cookie: admin.cookie })).json()).toEqual(before);
    expect(t.count('audit_log')).toBe(auditRows);
  });

  it.each([
    ['/api/v1/users/abc', 'id'],
    ['/api/v1/users/0', 'id'],
    ['/api/v1/teams/1.5', 'id'],
  ])('GET %s → 400 naming %s', async (url, field) => {
    const res = await t.request('GET', url, { cookie: admin.cookie });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe(field);
  });

  it.each([
    [{ limit: 0 }, 'limit'],
    [{ limit: 100000 }, 'limit'],
    [{ offset: -1 }, 'offset'],
    [{ sort: 'password' }, 'sort'],
  ])('GET /users?%j → 400 naming %s', async (query, field) => {
    const res = await t.request('GET', '/api/v1/users', { cookie: admin.cookie, query });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe(field);
  });

  it('answers 404 JSON for an id that does not exist', async () => {
    const res = await t.request('GET', '/api/v1/users/999999', { cookie: admin.cookie });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
  });
});
