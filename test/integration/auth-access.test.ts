import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_PERMISSIONS } from '../../src/auth/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let agent: LoggedIn;
let supervisor: LoggedIn;
let admin: LoggedIn;
beforeAll(async () => {
  t = await createTestApp();
  [agent, supervisor, admin] = [await t.loginAs('agent'), await t.loginAs('supervisor'), await t.loginAs('admin')];
});
afterAll(async () => {
  await t.close();
});

const newUser = (login: string, level = 'agent') => ({ name: 'New Person', login, password: 'secret-123', level });

describe('every /api/v1 route needs a session unless public', () => {
  it.each([
    ['GET', '/api/v1/users'],
    ['GET', '/api/v1/tenants'],
    ['POST', '/api/v1/teams'],
    ['GET', '/api/v1/audit'],
    ['GET', '/api/v1/me'],
  ] as const)('%s %s → 401 without a cookie', async (method, url) => {
    const res = await t.request(method, url, { body: method === 'POST' ? {} : undefined });
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('unauthorized');
  });
});

describe('an agent', () => {
  it.each([
    ['GET', '/api/v1/users'],
    ['POST', '/api/v1/users'],
    ['GET', '/api/v1/teams'],
    ['POST', '/api/v1/teams'],
    ['GET', '/api/v1/profiles'],
    ['POST', '/api/v1/profiles'],
    ['POST', '/api/v1/pause-types'],
    ['GET', '/api/v1/audit'],
    ['POST', '/api/v1/tenants'],
    ['GET', '/api/v1/permissions'],
  ] as const)('gets 403 on %s %s', async (method, url) => {
    const before = t.count('users') + t.count('teams') + t.count('profiles') + t.count('pause_types');
    const res = await t.request(method, url, { cookie: agent.cookie, body: method === 'POST' ? { name: 'x' } : undefined });
    expect(res.statusCode).toBe(403);
    expect(res.json().error.code).toBe('forbidden');
    expect(t.count('users') + t.count('teams') + t.count('profiles') + t.count('pause_types')).toBe(before);
  });

  it('may read pause types (to choose one) and its own /me', async () => {
    expect((await t.request('GET', '/api/v1/pause-types', { cookie: agent.cookie })).statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { cookie: agent.cookie })).statusCode).toBe(200);
  });
});

describe('a supervisor', () => {
  it('reads users but cannot create one with the default rights', async () => {
    expect((await t.request('GET', '/api/v1/users', { cookie: supervisor.cookie })).statusCode).toBe(200);
    const before = t.count('users');
    const res = await t.request('POST', '/api/v1/users', { cookie: supervisor.cookie, body: newUser('by.supervisor') });
    expect(res.statusCode).toBe(403);
    expect(t.count('users')).toBe(before);
  });

  it('cannot change teams or pauses with the default rights', async () => {
    expect((await t.request('POST', '/api/v1/teams', { cookie: supervisor.cookie, body: { name: 'Nope' } })).statusCode).toBe(403);
    expect((await t.request('POST', '/api/v1/pause-types', { cookie: supervisor.cookie, body: { reason: 'Nope' } })).statusCode).toBe(
      403,
    );
  });

  it('creates agents when its profile allows users:write, but no admin and no super user', async () => {
    const allowed = await t.loginAs('supervisor', { permissions: [...DEFAULT_PERMISSIONS.supervisor, 'users:write'] });
    const res = await t.request('POST', '/api/v1/users', { cookie: allowed.cookie, body: newUser('made.by.sup') });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ login: 'made.by.sup', level: 'agent', tenantId: t.tenantA, passwordChangeRequired: true });
    // The new agent can log in.
    await t.login('made.by.sup', 'secret-123');

    const before = t.count('users');
    const asAdmin = await t.request('POST', '/api/v1/users', { cookie: allowed.cookie, body: newUser('sup.made.admin', 'admin') });
    expect(asAdmin.statusCode).toBe(403);
    const asSuper = await t.request('POST', '/api/v1/users', {
      cookie: allowed.cookie,
      body: { ...newUser('sup.made.super'), superUser: true },
    });
    expect(asSuper.statusCode).toBe(403);
    expect(t.count('users')).toBe(before);
  });

  it('cannot change or reset the password of an admin even with users:write', async () => {
    const allowed = await t.loginAs('supervisor', { permissions: [...DEFAULT_PERMISSIONS.supervisor, 'users:write'] });
    const res = await t.request('PATCH', `/api/v1/users/${admin.user.id}`, { cookie: allowed.cookie, body: { name: 'Hijacked' } });
    expect(res.statusCode).toBe(403);
    const reset = await t.request('POST', `/api/v1/users/${admin.user.id}/password-reset`, { cookie: allowed.cookie, body: {} });
    expect(reset.statusCode).toBe(403);
    expect(t.app.org.repo.getUser(admin.user.id)?.name).toBe(admin.user.name);
  });

  it('cannot create a profile granting more than it holds', async () => {
    const allowed = await t.loginAs('supervisor', { permissions: [...DEFAULT_PERMISSIONS.supervisor, 'profiles:write'] });
    const ok = await t.request('POST', '/api/v1/profiles', {
      cookie: allowed.cookie,
      body: { name: 'Readers', permissions: ['calls:read', 'reports:read'] },
    });
    expect(ok.statusCode).toBe(201);
    const tooMuch = await t.request('POST', '/api/v1/profiles', {
      cookie: allowed.cookie,
      body: { name: 'Escalate', permissions: ['users:write'] },
    });
    expect(tooMuch.statusCode).toBe(403);
    expect(tooMuch.json().error.message).toContain('users:write');
  });
});

describe('an admin', () => {
  it('manages users of its tenant but cannot create tenants or grant the super-user flag', async () => {
    const res = await t.request('POST', '/api/v1/users', { cookie: admin.cookie, body: newUser('made.by.admin', 'supervisor') });
    expect(res.statusCode).toBe(201);
    expect(
      (await t.request('POST', '/api/v1/tenants', { cookie: admin.cookie, body: { legalName: 'X', cnpj: '11.222.333/0001-81' } }))
        .statusCode,
    ).toBe(403);
    const superFlag = await t.request('PATCH', `/api/v1/users/${res.json().id}`, { cookie: admin.cookie, body: { superUser: true } });
    expect(superFlag.statusCode).toBe(403);
  });

  it('sees a profile take effect at the next request', async () => {
    const { user, cookie } = await t.loginAs('agent');
    expect((await t.request('GET', '/api/v1/users', { cookie })).statusCode).toBe(403);
    const profile = await t.request('POST', '/api/v1/profiles', {
      cookie: admin.cookie,
      body: { name: 'Agent who reads users', permissions: [...DEFAULT_PERMISSIONS.agent, 'users:read'] },
    });
    expect(profile.statusCode).toBe(201);
    const patched = await t.request('PATCH', `/api/v1/users/${user.id}`, { cookie: admin.cookie, body: { profileId: profile.json().id } });
    expect(patched.statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/users', { cookie })).statusCode).toBe(200);
  });
});
