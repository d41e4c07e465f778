import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

/** An admin of tenant A must get 404 — never 403 — for every id that belongs to tenant B. */
let t: TestApp;
let adminA: LoggedIn;
let adminB: LoggedIn;
let superUser: LoggedIn;
let tenantB: number;
const ids: Record<string, number> = {};

beforeAll(async () => {
  t = await createTestApp();
  tenantB = t.createTenant('Tenant B');
  adminA = await t.loginAs('admin');
  adminB = await t.loginAs('admin', { tenantId: tenantB });
  superUser = await t.loginAs('super');
  const post = async (url: string, body: unknown) => {
    const res = await t.request('POST', url, { cookie: adminB.cookie, body });
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as number;
  };
  ids.team = await post('/api/v1/teams', { name: 'B team' });
  ids.profile = await post('/api/v1/profiles', { name: 'B profile', permissions: ['calls:read'] });
  ids.pause = await post('/api/v1/pause-types', { reason: 'B lunch', maxDurationMinutes: 60 });
  ids.user = await post('/api/v1/users', { name: 'B agent', login: 'b.agent', password: 'secret-123', level: 'agent' });
  for (const [url, body] of [
    ['/api/v1/teams', { name: 'A team' }],
    ['/api/v1/profiles', { name: 'A profile', permissions: [] }],
    ['/api/v1/pause-types', { reason: 'A lunch' }],
  ] as const) {
    expect((await t.request('POST', url, { cookie: adminA.cookie, body })).statusCode).toBe(201);
  }
  const audit = await t.request('GET', '/api/v1/audit', { cookie: adminB.cookie });
  ids.audit = audit.json().items[0].id;
});
afterAll(async () => {
  await t.close();
});

const resources = [
  ['tenants', () => tenantB, { legalName: 'Taken over' }],
  ['users', () => ids.user!, { name: 'Taken over' }],
  ['teams', () => ids.team!, { name: 'Taken over' }],
  ['profiles', () => ids.profile!, { name: 'Taken over' }],
  ['pause-types', () => ids.pause!, { reason: 'Taken over' }],
] as const;

describe('tenant isolation', () => {
  it.each(resources)('GET /%s/:id of tenant B → 404 for the admin of A', async (path, id) => {
    const res = await t.request('GET', `/api/v1/${path}/${id()}`, { cookie: adminA.cookie });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('not_found');
    // The admin of B does see it: the id is real.
    expect((await t.request('GET', `/api/v1/${path}/${id()}`, { cookie: adminB.cookie })).statusCode).toBe(200);
  });

  it.each(resources)('PATCH /%s/:id of tenant B → 404 and nothing changes', async (path, id, body) => {
    const before = (await t.request('GET', `/api/v1/${path}/${id()}`, { cookie: adminB.cookie })).json();
    const res = await t.request('PATCH', `/api/v1/${path}/${id()}`, { cookie: adminA.cookie, body });
    expect(res.statusCode).toBe(404);
    expect((await t.request('GET', `/api/v1/${path}/${id()}`, { cookie: adminB.cookie })).json()).toEqual(before);
  });

  it.each(['teams', 'profiles', 'pause-types'])('DELETE /%s/:id of tenant B → 404 and the row stays', async (path) => {
    const id = { teams: ids.team, profiles: ids.profile, 'pause-types': ids.pause }[path]!;
    expect((await t.request('DELETE', `/api/v1/${path}/${id}`, { cookie: adminA.cookie })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/v1/${path}/${id}`, { cookie: adminB.cookie })).statusCode).toBe(200);
  });

  it('POST /users/:id/password-reset of tenant B → 404', async () => {
    const res = await t.request('POST', `/api/v1/users/${ids.user}/password-reset`, { cookie: adminA.cookie, body: {} });
    expect(res.statusCode).toBe(404);
  });

  it('GET /audit/:id of tenant B → 404', async () => {
    expect((await t.request('GET', `/api/v1/audit/${ids.audit}`, { cookie: adminA.cookie })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/v1/audit/${ids.audit}`, { cookie: adminB.cookie })).statusCode).toBe(200);
  });

  it.each(['users', 'teams', 'profiles', 'pause-types', 'audit'])('lists of /%s never show tenant B to the admin of A', async (path) => {
    const own = await t.request('GET', `/api/v1/${path}`, { cookie: adminA.cookie });
    expect(own.statusCode).toBe(200);
    expect(own.json().items.length).toBeGreaterThan(0);
    expect(own.json().items.every((i: { tenantId: number }) => i.tenantId === t.tenantA)).toBe(true);
    const asking = await t.request('GET', `/api/v1/${path}`, { cookie: adminA.cookie, query: { tenantId: tenantB } });
    expect(asking.statusCode).toBe(404);
  });

  it('lists only its own tenant under /tenants', async () => {
    const res = await t.request('GET', '/api/v1/tenants', { cookie: adminA.cookie });
    expect(res.json().items.map((x: { id: number }) => x.id)).toEqual([t.tenantA]);
  });

  it('cannot point its own users at a team or profile of tenant B', async () => {
    const before = t.count('users');
    const res = await t.request('POST', '/api/v1/users', {
      cookie: adminA.cookie,
      body: { name: 'X', login: 'cross.team', password: 'secret-123', level: 'agent', teamId: ids.team },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('teamId');
    const withProfile = await t.request('PATCH', `/api/v1/users/${adminA.user.id}`, {
      cookie: adminA.cookie,
      body: { profileId: ids.profile },
    });
    expect(withProfile.statusCode).toBe(400);
    expect(withProfile.json().error.details.field).toBe('profileId');
    expect(t.count('users')).toBe(before);
  });

  it('lets a super user act on tenant B by naming it', async () => {
    const list = await t.request('GET', '/api/v1/users', { cookie: superUser.cookie, query: { tenantId: tenantB } });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((u: { login: string }) => u.login)).toContain('b.agent');
    expect((await t.request('GET', `/api/v1/teams/${ids.team}`, { cookie: superUser.cookie })).statusCode).toBe(200);
    const created = await t.request('POST', '/api/v1/teams', {
      cookie: superUser.cookie,
      query: { tenantId: tenantB },
      body: { name: 'Made by super' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json().tenantId).toBe(tenantB);
    const tenants = await t.request('GET', '/api/v1/tenants', { cookie: superUser.cookie });
    expect(tenants.json().items.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([t.tenantA, tenantB]));
  });
});
