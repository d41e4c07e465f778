/** The list filters the admin screens use: users by text and order, the audit log by who, what and when. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { createTestApp, TEST_PASSWORD, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;
let other: LoggedIn;

const user = (name: string, login: string, extra: Record<string, unknown> = {}) =>
  t.app.org.createUser({ actor: SYSTEM_ACTOR }, t.tenantA, { name, login, password: TEST_PASSWORD, level: 'agent', ...extra });

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  await user('Zélia Prado', 'zelia.prado', { email: 'zelia@example.com' });
  await user('ana maria', 'ana.maria', { employeeNumber: 'RH-100' });
  await user('Bruno 50% Off', 'bruno.costa');
  other = await t.loginAs('admin', { tenantId: t.createTenant('Outra') });
  await t.app.org.createUser({ actor: SYSTEM_ACTOR }, other.user.tenantId, { name: 'Ana Outra', login: 'ana.outra', password: TEST_PASSWORD, level: 'agent' });
});
afterAll(async () => {
  await t.close();
});

const users = async (query: Record<string, string | number>) => {
  const res = await t.request('GET', '/api/v1/users', { cookie: admin.cookie, query });
  return { status: res.statusCode, body: res.json() };
};

describe('GET /users', () => {
  it.each([
    [{ q: 'ANA' }, ['ana.maria']],
    [{ q: 'prado' }, ['zelia.prado']],
    [{ q: 'zelia@' }, ['zelia.prado']],
    [{ q: 'rh-1' }, ['ana.maria']],
    [{ q: '50%' }, ['bruno.costa']],
    [{ q: '%' }, ['bruno.costa']],
    [{ q: 'nobody' }, []],
  ])('finds %j in the name, login, e-mail or matrícula, literally, in the tenant only', async (query, logins) => {
    const { status, body } = await users(query);
    expect(status).toBe(200);
    expect(body.items.map((u: { login: string }) => u.login)).toEqual(logins);
    expect(body.total).toBe(logins.length);
  });

  it('sorts by name (any case) either way, and pages with the total', async () => {
    const asc = (await users({ sort: 'name' })).body;
    expect(asc.items.map((u: { name: string }) => u.name)).toEqual([admin.user.name, 'ana maria', 'Bruno 50% Off', 'Zélia Prado']);
    const desc = (await users({ sort: '-login', limit: 2 })).body;
    expect(desc.items.map((u: { login: string }) => u.login)).toEqual(['zelia.prado', 'bruno.costa']);
    expect(desc.total).toBe(4);
  });

  it('refuses an unknown sort or an empty search, naming the field', async () => {
    expect((await users({ sort: 'password' })).body.error.details.field).toBe('sort');
    expect((await users({ q: '' })).body.error.details.field).toBe('q');
  });
});

describe('GET /audit', () => {
  it('filters by who, what and when; sorts either way; refuses a period that ends before it starts', async () => {
    const start = new Date(t.clock.now()).toISOString();
    t.clock.advance(1000);
    const team = (await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: 'Equipe Filtros' } })).json();
    t.clock.advance(1000);
    await t.request('PATCH', `/api/v1/teams/${team.id}`, { cookie: admin.cookie, body: { description: 'x' } });
    const audit = (q: Record<string, string | number>) => t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: q });

    const byWho = (await audit({ actorUserId: admin.user.id, entity: 'team', from: start })).json();
    expect(byWho.items.map((r: { action: string }) => r.action)).toEqual(['update', 'create']);
    const oldestFirst = (await audit({ actorUserId: admin.user.id, entity: 'team', from: start, sort: 'at' })).json();
    expect(oldestFirst.items.map((r: { action: string }) => r.action)).toEqual(['create', 'update']);
    const onlyUpdate = (await audit({ entity: 'team', action: 'update', from: start })).json();
    expect(onlyUpdate.total).toBe(1);

    const bad = await audit({ from: start, to: start });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('to');
  });

  it('lists the entities, actions and people of the tenant’s log for the filter menus', async () => {
    const res = await t.request('GET', '/api/v1/audit/facets', { cookie: admin.cookie });
    expect(res.statusCode).toBe(200);
    const facets = res.json();
    expect(facets.entities).toEqual(expect.arrayContaining(['team', 'user']));
    expect(facets.actions).toEqual(expect.arrayContaining(['create', 'update']));
    expect(facets.actors).toContainEqual({ userId: admin.user.id, login: admin.user.login });
    const theirs = (await t.request('GET', '/api/v1/audit/facets', { cookie: other.cookie })).json();
    expect(theirs.actors).not.toContainEqual({ userId: admin.user.id, login: admin.user.login });
    expect(theirs.entities).not.toContain('team');
  });
});
