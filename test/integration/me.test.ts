/**
 * `GET /api/v1/me` (what the browser's shell is built from) and a super user's choice of the
 * tenant its session acts on (`PUT /api/v1/me/tenant`).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { createTestApp, TEST_PASSWORD, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let tenantB: number;
let superUser: LoggedIn;

beforeAll(async () => {
  t = await createTestApp();
  tenantB = t.createTenant('Tenant B');
  superUser = await t.loginAs('super');
});
afterAll(async () => {
  await t.close();
});

const me = (cookie: string) => t.request('GET', '/api/v1/me', { cookie });
const switchTo = (cookie: string, tenantId: unknown) => t.request('PUT', '/api/v1/me/tenant', { cookie, body: { tenantId } });

describe('GET /me', () => {
  it('gives an agent its user, level, permissions and tenant, and no tenant switcher', async () => {
    const agent = await t.loginAs('agent');
    const res = await me(agent.cookie);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({
      id: agent.user.id,
      login: agent.user.login,
      level: 'agent',
      superUser: false,
      passwordChangeRequired: false,
      totpEnabled: false,
      tenant: { id: t.tenantA, legalName: 'Tenant A', active: true },
      activeTenant: { id: t.tenantA, legalName: 'Tenant A' },
    });
    expect(body.permissions).toEqual(expect.arrayContaining(['agent:write', 'calls:read']));
    expect(body.permissions).not.toContain('users:write');
    expect(body).not.toHaveProperty('switchableTenants');
    expect(body).not.toHaveProperty('passwordHash');
  });

  it('gives the permissions of a custom profile, not the level’s defaults', async () => {
    const sup = await t.loginAs('supervisor', { permissions: ['calls:read', 'audit:read'] });
    expect((await me(sup.cookie)).json().permissions).toEqual(['audit:read', 'calls:read']);
  });

  it('lists every tenant a super user may switch to', async () => {
    const body = (await me(superUser.cookie)).json();
    expect(body.superUser).toBe(true);
    const ids = body.switchableTenants.map((x: { id: number }) => x.id);
    expect(ids).toEqual(expect.arrayContaining([t.tenantA, tenantB]));
    expect(body.activeTenant.id).toBe(body.tenant.id);
  });

  it('is reachable while a password change is pending (the shell must show the change form)', async () => {
    await t.app.org.createUser({ actor: SYSTEM_ACTOR }, t.tenantA, {
      name: 'Nova',
      login: 'nova.operadora',
      password: TEST_PASSWORD,
      level: 'agent',
    });
    const cookie = await t.login('nova.operadora', TEST_PASSWORD);
    expect((await t.request('GET', '/api/v1/users', { cookie })).statusCode).toBe(403);
    const res = await me(cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ login: 'nova.operadora', passwordChangeRequired: true });
  });
});

describe('PUT /me/tenant', () => {
  it('lets a super user act on another tenant by default, in this session only', async () => {
    const other = await t.login(superUser.user.login, TEST_PASSWORD);
    const res = await switchTo(superUser.cookie, tenantB);
    expect(res.statusCode).toBe(200);
    expect(res.json().activeTenant).toMatchObject({ id: tenantB, legalName: 'Tenant B' });
    expect((await me(superUser.cookie)).json().activeTenant.id).toBe(tenantB);

    const created = await t.request('POST', '/api/v1/teams', { cookie: superUser.cookie, body: { name: 'Equipe B' } });
    expect(created.json().tenantId).toBe(tenantB);
    const teams = await t.request('GET', '/api/v1/teams', { cookie: superUser.cookie });
    expect(teams.json().items.map((x: { name: string }) => x.name)).toEqual(['Equipe B']);
    // ?tenantId= still names a tenant explicitly.
    const teamsA = await t.request('GET', '/api/v1/teams', { cookie: superUser.cookie, query: { tenantId: t.tenantA } });
    expect(teamsA.json().items.every((x: { tenantId: number }) => x.tenantId === t.tenantA)).toBe(true);
    // The user's other session still acts on its own tenant.
    expect((await me(other)).json().activeTenant.id).toBe(superUser.user.tenantId);

    expect((await switchTo(superUser.cookie, superUser.user.tenantId)).json().activeTenant.id).toBe(superUser.user.tenantId);
    expect((await t.request('GET', '/api/v1/teams', { cookie: superUser.cookie })).json().items).toEqual([]);
  });

  it('answers 404 for a tenant that does not exist, and 400 naming tenantId for a bad one', async () => {
    expect((await switchTo(superUser.cookie, 999_999)).statusCode).toBe(404);
    const bad = await switchTo(superUser.cookie, 'two');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('tenantId');
  });

  it('lets anyone else name only their own tenant (another answers 404 and changes nothing)', async () => {
    const admin = await t.loginAs('admin');
    expect((await switchTo(admin.cookie, tenantB)).statusCode).toBe(404);
    expect((await switchTo(admin.cookie, t.tenantA)).statusCode).toBe(200);
    expect((await me(admin.cookie)).json().activeTenant.id).toBe(t.tenantA);
  });

  it('stops applying when the user is no longer a super user', async () => {
    const s = await t.loginAs('super');
    expect((await switchTo(s.cookie, tenantB)).statusCode).toBe(200);
    await t.request('PATCH', `/api/v1/users/${s.user.id}`, { cookie: superUser.cookie, body: { superUser: false } });
    const body = (await me(s.cookie)).json();
    expect(body.activeTenant.id).toBe(s.user.tenantId);
    expect(body).not.toHaveProperty('switchableTenants');
  });
});
