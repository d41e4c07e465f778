import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { API_PREFIX, type AppDeps } from '../http/deps.js';
import { AuditService } from '../audit/index.js';
import { forbidden, unauthorized } from '../kernel/index.js';
import { OrgService, type OrgChange } from '../org/index.js';
import { AuthService, passwordChangeRequired } from './auth.service.js';
import { SESSION_COOKIE } from './auth.model.js';
import { ACTIONS, allows, isModule } from './permissions.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Login, sessions, TOTP (one per app: holds the failed-login counters). */
    auth: AuthService;
    /** Tenants, users, teams, profiles, pause types. */
    org: OrgService;
    /** `app.audit.record({...})` inside the transaction of an admin change. */
    audit: AuditService;
  }
  interface FastifyRequest {
    /** The permissions of `principal` (its profile's or its level's defaults). */
    permissions?: readonly string[];
  }
  interface FastifyContextConfig {
    /** Reachable while the user must still change their password (me, logout, change password). */
    allowWhilePasswordChangeRequired?: boolean;
  }
}

const API = API_PREFIX;
const isApi = (url: string): boolean => url === API || url.startsWith(`${API}/`);

/** Refuses, at start-up, an /api/v1 route that declares neither `public` nor a known `access`. */
export function checkRouteDeclaration(route: Pick<RouteOptions, 'url' | 'method' | 'config'>): void {
  if (!isApi(route.url)) return;
  const cfg = route.config as { public?: boolean; access?: { module: string; action: string } } | undefined;
  const name = `${String(route.method)} ${route.url}`;
  if (cfg?.public === true) return;
  if (!cfg?.access) throw new Error(`${name}: declare config.public or config.access (see src/http/principal.ts)`);
  if (!isModule(cfg.access.module)) {
    throw new Error(`${name}: unknown access module "${cfg.access.module}"; add it to src/auth/permissions.ts`);
  }
  if (!(ACTIONS as readonly string[]).includes(cfg.access.action)) {
    throw new Error(`${name}: access action must be read or write, got "${cfg.access.action}"`);
  }
}

/** The client address as the rate limiter and the audit log see it. */
export const clientIp = (req: FastifyRequest): string => req.ip || 'unknown';

/**
 * Authentication and authorisation for every /api/v1 route (contract: src/http/principal.ts).
 * Registered on the root instance (not encapsulated), before any route plugin, so that its
 * onRoute check sees every route and its onRequest hook runs for every request.
 */
async function authentication(app: FastifyInstance, deps: AppDeps & { orgChanged?: (c: OrgChange) => void }): Promise<void> {
  const audit = new AuditService(deps.database, deps.clock);
  const org = new OrgService(deps.database, deps.clock, audit, deps.orgChanged);
  const auth = new AuthService(deps, org, audit);
  app.decorate('audit', audit);
  app.decorate('org', org);
  app.decorate('auth', auth);
  app.decorateRequest('principal', undefined);
  app.decorateRequest('permissions', undefined);

  app.addHook('onRoute', checkRouteDeclaration);

  app.addHook('onRequest', async (req) => {
    const url = req.routeOptions.url;
    const cfg = req.routeOptions.config;
    if (!url || !isApi(url) || cfg.public === true) return;
    const found = auth.authenticate(req.cookies[SESSION_COOKIE]);
    if (!found) throw unauthorized('not logged in, or the session has expired or was ended');
    req.principal = found.principal;
    req.permissions = found.permissions;
    req.log = req.log.child({ userId: found.principal.userId, tenantId: found.principal.tenantId });
    if (found.passwordChangeRequired && cfg.allowWhilePasswordChangeRequired !== true) throw passwordChangeRequired();
    const access = cfg.access;
    if (!access) throw forbidden();
    if (!found.principal.superUser && !allows(found.permissions, access)) {
      throw forbidden(`your profile does not allow ${access.module}:${access.action}`);
    }
  });
}

// Same effect as wrapping in fastify-plugin: the hooks apply to the whole app, not a child context.
(authentication as unknown as Record<symbol, boolean>)[Symbol.for('skip-override')] = true;
export const authPlugin = authentication;
