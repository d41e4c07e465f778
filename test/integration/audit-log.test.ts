import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;
beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
});
afterAll(async () => {
  await t.close();
});

const auditOf = async (entity: string, entityId: number) => {
  const res = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entity, entityId: String(entityId) } });
  expect(res.statusCode).toBe(200);
  return res.json().items as { action: string; actorUserId: number; actorLogin: string; before: unknown; after: unknown; at: string }[];
};

describe('audit log', () => {
  it('records who created and changed a user, when, with before and after but no password', async () => {
    const created = await t.request('POST', '/api/v1/users', {
      cookie: admin.cookie,
      body: { name: 'Paula', login: 'paula.audit', password: 'secret-pass', level: 'agent' },
    });
    const id = created.json().id;
    t.clock.advance(1000);
    await t.request('PATCH', `/api/v1/users/${id}`, { cookie: admin.cookie, body: { name: 'Paula Lima', extension: '4001' } });
    await t.request('POST', `/api/v1/users/${id}/password-reset`, { cookie: admin.cookie, body: { newPassword: 'reset-pass-1' } });

    const rows = await auditOf('user', id);
    expect(rows.map((r) => r.action)).toEqual(['password_reset', 'update', 'create']);
    const [reset, update, create] = rows;
    expect(create).toMatchObject({ actorUserId: admin.user.id, actorLogin: admin.user.login, before: null, after: { login: 'paula.audit', name: 'Paula' } });
    expect(update).toMatchObject({ before: { name: 'Paula', extension: null }, after: { name: 'Paula Lima', extension: '4001' } });
    expect(new Date(update!.at).getTime()).toBe(t.clock.now());
    expect(reset!.after).toMatchObject({ passwordChangeRequired: true });
    const raw = JSON.stringify(rows);
    expect(raw).not.toContain('secret-pass');
    expect(raw).not.toContain('reset-pass-1');
    expect(raw).not.toMatch(/argon2|passwordHash/);
  });

  it('records team, profile and pause type changes and deletions', async () => {
    const team = (await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: 'Auditada' } })).json();
    await t.request('DELETE', `/api/v1/teams/${team.id}`, { cookie: admin.cookie });
    const teamRows = await auditOf('team', team.id);
    expect(teamRows.map((r) => r.action)).toEqual(['delete', 'create']);
    expect(teamRows[0]).toMatchObject({ before: { name: 'Auditada' }, after: null });

    const profile = (await t.request('POST', '/api/v1/profiles', { cookie: admin.cookie, body: { name: 'Aud', permissions: [] } })).json();
    await t.request('PATCH', `/api/v1/profiles/${profile.id}`, { cookie: admin.cookie, body: { permissions: ['calls:read'] } });
    expect((await auditOf('profile', profile.id))[0]).toMatchObject({ before: { permissions: [] }, after: { permissions: ['calls:read'] } });

    const pause = (await t.request('POST', '/api/v1/pause-types', { cookie: admin.cookie, body: { reason: 'Aud' } })).json();
    expect((await auditOf('pause_type', pause.id)).map((r) => r.action)).toEqual(['create']);
  });

  it('records TOTP and self password changes without their secrets', async () => {
    const { cookie, user } = await t.loginAs('agent');
    await t.request('POST', '/api/v1/auth/password', { cookie, body: { currentPassword: 'test-password-1', newPassword: 'next-pass-9' } });
    const rows = await auditOf('user', user.id);
    expect(rows[0]).toMatchObject({ action: 'password_change', actorUserId: user.id });
    expect(JSON.stringify(rows)).not.toContain('next-pass-9');
  });

  it('writes nothing when a change is refused', async () => {
    const before = t.count('audit_log');
    await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: '' } });
    await t.request('POST', '/api/v1/users', { cookie: admin.cookie, body: { name: 'x', login: 'abc', password: 'secret-1', level: 'agent' } });
    expect(t.count('audit_log')).toBe(before);
  });

  it('filters by time and paginates', async () => {
    const from = new Date(t.clock.now() + 1).toISOString();
    t.clock.advance(10_000);
    await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: 'Later' } });
    const res = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { from, limit: 10 } });
    expect(res.json().items.map((r: { entity: string; after: { name: string } }) => `${r.entity}:${r.after.name}`)).toEqual(['team:Later']);
    const page = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { limit: 1, offset: 1 } });
    expect(page.json().items).toHaveLength(1);
    expect(page.json().total).toBeGreaterThan(5);
  });

  it('is closed to supervisors and agents', async () => {
    for (const level of ['supervisor', 'agent'] as const) {
      const { cookie } = await t.loginAs(level);
      expect((await t.request('GET', '/api/v1/audit', { cookie })).statusCode).toBe(403);
    }
  });
});
