import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, createTestApp, sessionCookie, type TestApp } from '../helpers/app.js';

function capture() {
  const lines: { level: number; msg: string; [k: string]: unknown }[] = [];
  const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l)) });
  return { logger, lines };
}
const WARN = 40;

describe('first start', () => {
  it('creates the super user admin with the password from the environment, no forced change', async () => {
    const t = await createTestApp();
    try {
      const res = await t.request('POST', '/api/v1/auth/login', { body: { login: 'admin', password: ADMIN_PASSWORD } });
      expect(res.statusCode).toBe(200);
      expect(res.json().user).toMatchObject({ login: 'admin', superUser: true, level: 'admin', passwordChangeRequired: false });
      expect(t.boot.adminPasswordFile).toBeUndefined();
    } finally {
      await t.close();
    }
  });

  it('without one, prints a random password once at warn, writes it to a 0600 file, and forces a change', async () => {
    const { logger, lines } = capture();
    let t: TestApp = await createTestApp({ config: { adminPassword: '' }, logger });
    try {
      const file = join(t.dataDir, 'admin-password.txt');
      expect(t.boot.adminPasswordFile).toBe(file);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const password = /password: (\S+)/.exec(readFileSync(file, 'utf8'))![1]!;
      expect(password.length).toBeGreaterThanOrEqual(16);
      const announced = lines.filter((l) => l.msg.includes(password));
      expect(announced).toHaveLength(1);
      expect(announced[0]!.level).toBe(WARN);

      const res = await t.request('POST', '/api/v1/auth/login', { body: { login: 'admin', password } });
      expect(res.statusCode).toBe(200);
      expect(res.json().user.passwordChangeRequired).toBe(true);
      const blocked = await t.request('GET', '/api/v1/tenants', { cookie: sessionCookie(res) });
      expect(blocked.json().error.code).toBe('password_change_required');

      // A second start neither creates another admin nor prints a password again.
      lines.length = 0;
      t = await t.restart();
      expect(t.boot.adminCreated).toBe(false);
      expect(lines.filter((l) => l.msg.includes('password'))).toHaveLength(0);
      expect(t.count('users')).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('demo data', () => {
  it('on an empty database: a tenant with an admin, a supervisor, five agents, two teams and four pauses', async () => {
    const { logger, lines } = capture();
    let t: TestApp = await createTestApp({ config: { seedDemo: true, http: { port: 8123 } }, logger });
    try {
      expect(t.boot.demo?.logins).toHaveLength(7);
      const announced = lines.find((l) => l.msg.startsWith('demo data created'))!;
      expect(announced.msg).toContain('http://127.0.0.1:8123');
      const password = /with password (\S+)/.exec(announced.msg)![1]!;
      expect(readFileSync(t.boot.demo!.passwordFile, 'utf8')).toContain(password);

      const cookie = await t.login('demo.admin', password);
      const users = (await t.request('GET', '/api/v1/users', { cookie })).json();
      expect(users.items.map((u: { level: string }) => u.level).sort()).toEqual([
        'admin',
        'agent',
        'agent',
        'agent',
        'agent',
        'agent',
        'supervisor',
      ]);
      const teams = (await t.request('GET', '/api/v1/teams', { cookie })).json();
      expect(teams.items.map((x: { name: string }) => x.name)).toEqual(['Atendimento', 'Vendas']);
      const pauses = (await t.request('GET', '/api/v1/pause-types', { cookie })).json();
      expect(pauses.items).toHaveLength(4);
      expect(pauses.items.filter((p: { wrapUp: boolean }) => p.wrapUp)).toHaveLength(1);
      await t.login('demo.agent5', password);
      await t.login('demo.supervisor', password);

      // Not seeded twice.
      const tenants = t.count('tenants');
      t = await t.restart();
      expect(t.boot.demo).toBeUndefined();
      expect(t.count('tenants')).toBe(tenants);
    } finally {
      await t.close();
    }
  });
});

describe('restart', () => {
  it('keeps every committed row and the open sessions', async () => {
    let t: TestApp = await createTestApp();
    try {
      const admin = await t.loginAs('admin');
      const team = (await t.request('POST', '/api/v1/teams', { cookie: admin.cookie, body: { name: 'Persistente' } })).json();
      const user = (
        await t.request('POST', '/api/v1/users', {
          cookie: admin.cookie,
          body: { name: 'Persist', login: 'persist.me', password: 'secret-123', level: 'agent', teamId: team.id },
        })
      ).json();
      const auditRows = t.count('audit_log');

      t = await t.restart();
      expect((await t.request('GET', `/api/v1/teams/${team.id}`, { cookie: admin.cookie })).json().name).toBe('Persistente');
      expect((await t.request('GET', `/api/v1/users/${user.id}`, { cookie: admin.cookie })).json()).toEqual(user);
      expect(t.count('audit_log')).toBe(auditRows);
      await t.login('persist.me', 'secret-123');
    } finally {
      await t.close();
    }
  });
});

describe('bad admin password', () => {
  it('refuses to start with an ATENDE_ADMIN_PASSWORD shorter than 6 characters', async () => {
    await expect(createTestApp({ config: { adminPassword: '12345' } })).rejects.toThrow(/ATENDE_ADMIN_PASSWORD: must have at least 6/);
  });
});
