import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, validCnpj, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;
let superUser: LoggedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  superUser = await t.loginAs('super');
});
afterAll(async () => {
  await t.close();
});

describe('tenants', () => {
  it('a super user creates one from a masked CNPJ, stored as digits, and updates it', async () => {
    const cnpj = validCnpj(5150);
    const masked = `${cnpj.slice(0, 2)}.${cnpj.slice(2, 5)}.${cnpj.slice(5, 8)}/${cnpj.slice(8, 12)}-${cnpj.slice(12)}`;
    const res = await t.request('POST', '/api/v1/tenants', {
      cookie: superUser.cookie,
      body: { legalName: 'Call Center Nordeste S.A.', cnpj: masked, ddi: '55', ddd: '85', cnl: '85000', contactName: 'Maria' },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ legalName: 'Call Center Nordeste S.A.', cnpj, ddd: '85', cnl: '85000', active: true });
    const id = res.json().id;
    const patched = await t.request('PATCH', `/api/v1/tenants/${id}`, { cookie: superUser.cookie, body: { ddd: '11', active: false } });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({ ddd: '11', active: false });
  });

  it('an admin updates its own tenant but cannot deactivate it', async () => {
    const ok = await t.request('PATCH', `/api/v1/tenants/${t.tenantA}`, { cookie: admin.cookie, body: { contactName: 'Joana' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().contactName).toBe('Joana');
    const off = await t.request('PATCH', `/api/v1/tenants/${t.tenantA}`, { cookie: admin.cookie, body: { active: false } });
    expect(off.statusCode).toBe(403);
  });

  it('users of a deactivated tenant can no longer log in', async () => {
    const tenantId = t.createTenant('Soon closed');
    const { user, cookie } = await t.loginAs('agent', { tenantId });
    const res = await t.request('PATCH', `/api/v1/tenants/${tenantId}`, { cookie: superUser.cookie, body: { active: false } });
    expect(res.statusCode).toBe(200);
    expect((await t.request('GET', '/api/v1/me', { cookie })).statusCode).toBe(401);
    const again = await t.request('POST', '/api/v1/auth/login', { body: { login: user.login, password: 'test-password-1' } });
    expect(again.statusCode).toBe(401);
  });
});

describe('users', () => {
  it('creates a user with concurrency, flags, team and extension, and reads it back', async () => {
    const team = (await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: 'Suporte' } })).json();
    const res = await t.request('POST', '/api/v1/users', {
      cookie: admin.cookie,
      body: {
        name: 'Carlos Souza',
        login: 'carlos.souza',
        password: 'secret-123',
        email: 'carlos@example.com',
        level: 'agent',
        teamId: team.id,
        extension: '3001',
        concurrency: { voice: 1, chat: 4, email: 2 },
        flags: { chat: true, email: true },
      },
    });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({
      login: 'carlos.souza',
      teamId: team.id,
      extension: '3001',
      concurrency: { voice: 1, chat: 4, email: 2 },
      flags: { chat: true, email: true, callCenter: true, autoConnectChat: false },
      active: true,
      superUser: false,
      passwordChangeRequired: true,
    });
    expect(JSON.stringify(created)).not.toMatch(/password"|hash/i);
    const got = await t.request('GET', `/api/v1/users/${created.id}`, { cookie: admin.cookie });
    expect(got.json()).toEqual(created);
    const byTeam = await t.request('GET', '/api/v1/users', { cookie: admin.cookie, query: { teamId: team.id } });
    expect(byTeam.json().items.map((u: { id: number }) => u.id)).toEqual([created.id]);
  });

  it('paginates with limit and offset and reports the total', async () => {
    for (let i = 0; i < 3; i++) await t.loginAs('agent');
    const all = (await t.request('GET', '/api/v1/users', { cookie: admin.cookie, query: { limit: 500 } })).json();
    const page = (await t.request('GET', '/api/v1/users', { cookie: admin.cookie, query: { limit: 2, offset: 1 } })).json();
    expect(page.total).toBe(all.total);
    expect(page.limit).toBe(2);
    expect(page.offset).toBe(1);
    expect(page.items).toEqual(all.items.slice(1, 3));
  });
});

describe('teams', () => {
  it('keeps supervisors, refuses agents as supervisors and duplicate names, and deletes only empty teams', async () => {
    const sup = await t.loginAs('supervisor');
    const agent = await t.loginAs('agent');
    const res = await t.request('POST', '/api/v1/teams', {
      cookie: admin.cookie,
      body: { name: 'Vendas', description: 'Ativo', takeoverMessage: 'Olá, sou um atendente', supervisorIds: [sup.user.id] },
    });
    expect(res.statusCode).toBe(201);
    const team = res.json();
    expect(team).toMatchObject({ name: 'Vendas', takeoverMessage: 'Olá, sou um atendente', supervisorIds: [sup.user.id] });

    const withAgent = await t.request('PATCH', `/api/v1/teams/${team.id}`, { cookie: admin.cookie, body: { supervisorIds: [agent.user.id] } });
    expect(withAgent.statusCode).toBe(400);
    expect(withAgent.json().error.details.field).toBe('supervisorIds');
    const dup = await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: 'Vendas' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('name');

    await t.request('PATCH', `/api/v1/users/${agent.user.id}`, { cookie: admin.cookie, body: { teamId: team.id } });
    expect((await t.request('DELETE', `/api/v1/teams/${team.id}`, { cookie: admin.cookie })).statusCode).toBe(409);
    await t.request('PATCH', `/api/v1/users/${agent.user.id}`, { cookie: admin.cookie, body: { teamId: null } });
    expect((await t.request('DELETE', `/api/v1/teams/${team.id}`, { cookie: admin.cookie })).statusCode).toBe(204);
    expect((await t.request('GET', `/api/v1/teams/${team.id}`, { cookie: admin.cookie })).statusCode).toBe(404);
  });
});

describe('profiles', () => {
  it('stores permissions, refuses a duplicate name, and cannot be deleted while assigned', async () => {
    const res = await t.request('POST', '/api/v1/profiles', {
      cookie: admin.cookie,
      body: { name: 'Qualidade', permissions: ['reports:read', 'calls:read', 'calls:read'] },
    });
    expect(res.statusCode).toBe(201);
    const profile = res.json();
    expect(profile.permissions).toEqual(['calls:read', 'reports:read']);
    expect((await t.request('POST', '/api/v1/profiles', { cookie: admin.cookie, body: { name: 'Qualidade', permissions: [] } })).statusCode).toBe(409);
    const agent = await t.loginAs('agent');
    await t.request('PATCH', `/api/v1/users/${agent.user.id}`, { cookie: admin.cookie, body: { profileId: profile.id } });
    expect((await t.request('DELETE', `/api/v1/profiles/${profile.id}`, { cookie: admin.cookie })).statusCode).toBe(409);
    await t.request('PATCH', `/api/v1/users/${agent.user.id}`, { cookie: admin.cookie, body: { profileId: null } });
    expect((await t.request('DELETE', `/api/v1/profiles/${profile.id}`, { cookie: admin.cookie })).statusCode).toBe(204);
  });

  it('publishes the catalogue of modules and the defaults per level', async () => {
    const res = await t.request('GET', '/api/v1/permissions', { cookie: admin.cookie });
    expect(res.statusCode).toBe(200);
    const modules = res.json().modules.map((m: { module: string }) => m.module);
    expect(modules).toEqual(expect.arrayContaining(['users', 'calls', 'emulator', 'audit']));
    expect(res.json().defaults.supervisor).not.toContain('users:write');
  });
});

describe('pause types', () => {
  it('creates one with every rule, limited to some teams, and refuses a duplicate reason', async () => {
    const team = (await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: 'Cobrança' } })).json();
    const res = await t.request('POST', '/api/v1/pause-types', {
      cookie: admin.cookie,
      body: {
        reason: 'Almoço',
        description: 'Lunch',
        maxDurationMinutes: 60,
        maxAgents: 3,
        overrunAllowed: false,
        transferWhilePaused: true,
        wrapUp: false,
        hideOnPanels: true,
        teamIds: [team.id],
      },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      reason: 'Almoço',
      maxDurationMinutes: 60,
      maxAgents: 3,
      overrunAllowed: false,
      transferWhilePaused: true,
      hideOnPanels: true,
      teamIds: [team.id],
      active: true,
    });
    const dup = await t.request('POST', '/api/v1/pause-types', { cookie: admin.cookie, body: { reason: 'Almoço' } });
    expect(dup.statusCode).toBe(409);
    expect(dup.json().error.details.field).toBe('reason');
    const off = await t.request('PATCH', `/api/v1/pause-types/${res.json().id}`, {
      cookie: admin.cookie,
      body: { active: false, teamIds: [], maxDurationMinutes: null },
    });
    expect(off.json()).toMatchObject({ active: false, teamIds: [], maxDurationMinutes: null });
  });

  it('allows one active automatic wrap-up pause per tenant', async () => {
    const tenant = t.createTenant('Wrap-up Ltda');
    const superUser = await t.loginAs('super');
    const post = (body: object) =>
      t.request('POST', '/api/v1/pause-types', { cookie: superUser.cookie, query: { tenantId: tenant }, body });
    const first = await post({ reason: 'Pós-atendimento', wrapUp: true });
    expect(first.statusCode).toBe(201);
    const second = await post({ reason: 'Outra pós', wrapUp: true });
    expect(second.statusCode).toBe(409);
    expect(second.json().error.details.field).toBe('wrapUp');
    const plain = (await post({ reason: 'Café' })).json();
    const promote = await t.request('PATCH', `/api/v1/pause-types/${plain.id}`, { cookie: superUser.cookie, body: { wrapUp: true } });
    expect(promote.statusCode).toBe(409);
    // Retire the first one, and the other may take its place.
    await t.request('PATCH', `/api/v1/pause-types/${first.json().id}`, { cookie: superUser.cookie, body: { active: false } });
    expect((await t.request('PATCH', `/api/v1/pause-types/${plain.id}`, { cookie: superUser.cookie, body: { wrapUp: true } })).statusCode).toBe(200);
    const reactivate = await t.request('PATCH', `/api/v1/pause-types/${first.json().id}`, { cookie: superUser.cookie, body: { active: true } });
    expect(reactivate.statusCode).toBe(409);
  });

  it('cannot be deleted once agents used it', async () => {
    const p = (await t.request('POST', '/api/v1/pause-types', { cookie: admin.cookie, body: { reason: 'Banheiro' } })).json();
    const agent = await t.loginAs('agent');
    t.app.org.recordActivity(t.tenantA, agent.user.id, 'pause', p.id);
    const res = await t.request('DELETE', `/api/v1/pause-types/${p.id}`, { cookie: admin.cookie });
    expect(res.statusCode).toBe(409);
    expect((await t.request('GET', `/api/v1/pause-types/${p.id}`, { cookie: admin.cookie })).statusCode).toBe(200);
  });
});

describe('OpenAPI', () => {
  it('documents every organisation route under its area tag', async () => {
    const res = await t.request('GET', '/api/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    const tagsOf = (path: string, method: string) => doc.paths[path]?.[method]?.tags;
    expect(tagsOf('/api/v1/auth/login', 'post')).toEqual(['auth']);
    expect(tagsOf('/api/v1/tenants', 'post')).toEqual(['tenants']);
    expect(tagsOf('/api/v1/users/{id}', 'patch')).toEqual(['users']);
    expect(tagsOf('/api/v1/teams/{id}', 'delete')).toEqual(['teams']);
    expect(tagsOf('/api/v1/profiles', 'get')).toEqual(['profiles']);
    expect(tagsOf('/api/v1/pause-types', 'post')).toEqual(['pauses']);
    expect(tagsOf('/api/v1/audit', 'get')).toEqual(['audit']);
  });
});
