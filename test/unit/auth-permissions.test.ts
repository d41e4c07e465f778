import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import {
  ALL_PERMISSIONS,
  DEFAULT_PERMISSIONS,
  allows,
  checkRouteDeclaration,
  isPermission,
  notCovered,
} from '../../src/auth/index.js';

describe('allows', () => {
  it('grants an action listed in the profile', () => {
    expect(allows(['users:read'], { module: 'users', action: 'read' })).toBe(true);
    expect(allows(['users:read'], { module: 'users', action: 'write' })).toBe(false);
  });
  it('lets write imply read, never the reverse', () => {
    expect(allows(['teams:write'], { module: 'teams', action: 'read' })).toBe(true);
  });
  it('always allows the own-account module', () => {
    expect(allows([], { module: 'self', action: 'write' })).toBe(true);
  });
});

describe('default rights by level', () => {
  const can = (level: keyof typeof DEFAULT_PERMISSIONS, module: string, action: 'read' | 'write') =>
    allows(DEFAULT_PERMISSIONS[level], { module, action });

  it('gives an admin everything', () => {
    expect(DEFAULT_PERMISSIONS.admin).toEqual(ALL_PERMISSIONS);
  });
  it('lets a supervisor read people and calls but not change users, teams or pauses', () => {
    for (const m of ['users', 'teams', 'pauses', 'calls', 'queues']) expect(can('supervisor', m, 'read')).toBe(true);
    for (const m of ['users', 'teams', 'pauses', 'profiles', 'tenants', 'telephony']) expect(can('supervisor', m, 'write')).toBe(false);
    expect(can('supervisor', 'supervision', 'write')).toBe(true);
    expect(can('supervisor', 'audit', 'read')).toBe(false);
  });
  it('keeps an agent to its own work', () => {
    expect(can('agent', 'agent', 'write')).toBe(true);
    expect(can('agent', 'interactions', 'write')).toBe(true);
    for (const m of ['users', 'teams', 'profiles', 'tenants', 'audit', 'telephony', 'reports', 'supervision', 'queues']) {
      expect(can('agent', m, 'read')).toBe(false);
    }
  });
  it('lists only known permissions', () => {
    for (const level of ['admin', 'supervisor', 'agent'] as const) {
      expect(DEFAULT_PERMISSIONS[level].filter((p) => !isPermission(p))).toEqual([]);
    }
  });
});

describe('notCovered', () => {
  it('names the permissions a holder cannot hand out', () => {
    expect(notCovered(['users:write', 'teams:read'], ['users:read', 'teams:write', 'audit:read'])).toEqual([
      'teams:write',
      'audit:read',
    ]);
  });
});

describe('route declarations', () => {
  const route = (config: unknown) => ({ method: 'GET', url: '/api/v1/things', config }) as Parameters<typeof checkRouteDeclaration>[0];

  it('accepts public routes, known access, and routes outside /api/v1', () => {
    expect(() => checkRouteDeclaration(route({ public: true }))).not.toThrow();
    expect(() => checkRouteDeclaration(route({ access: { module: 'calls', action: 'read' } }))).not.toThrow();
    expect(() => checkRouteDeclaration({ method: 'GET', url: '/healthz', config: {} } as never)).not.toThrow();
  });
  it('refuses a route that declares neither, or an unknown module or action', () => {
    expect(() => checkRouteDeclaration(route({}))).toThrow(/declare config.public or config.access/);
    expect(() => checkRouteDeclaration(route({ access: { module: 'nope', action: 'read' } }))).toThrow(/unknown access module "nope"/);
    expect(() => checkRouteDeclaration(route({ access: { module: 'calls', action: 'delete' } }))).toThrow(/read or write/);
  });
  it('makes start-up fail for an undeclared /api/v1 route', async () => {
    const app = Fastify();
    app.addHook('onRoute', checkRouteDeclaration);
    await expect(
      app.register(async (child) => {
        child.get('/things', async () => ({}));
      }, { prefix: '/api/v1' }),
    ).rejects.toThrow(/GET \/api\/v1\/things: declare config.public or config.access/);
    await app.close();
  });
});
