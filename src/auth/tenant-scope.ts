import type { FastifyRequest } from 'fastify';
import type { Actor, ChangeContext, Principal } from '../http/principal.js';
import { notFound, unauthorized } from '../kernel/index.js';

/**
 * Tenant scoping for route handlers. Super users may act on another tenant by naming it
 * (`?tenantId=`) or by choosing it for the session (`PUT /api/v1/me/tenant`); everyone else
 * is pinned to their own tenant, and naming another tenant answers 404 so that a tenant's
 * existence is never revealed.
 */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw unauthorized();
  return request.principal;
}

/** The principal with the permissions its profile grants (set by the auth hook). */
export function actorOf(request: FastifyRequest): Actor {
  return { ...principalOf(request), permissions: request.permissions ?? [] };
}

/**
 * The tenant a list or create acts on: `requested` for super users (anyone else may name only
 * their own), else the session's active tenant (a super user's choice, everyone else's own).
 */
export function tenantScope(request: FastifyRequest, requested?: number): number {
  const p = principalOf(request);
  if (requested === undefined) return p.activeTenantId;
  if (requested === p.tenantId || p.superUser) return requested;
  throw notFound('tenant');
}

/** May this principal see rows of `tenantId`? Use it on rows fetched by id; answer 404 when false. */
export const canSeeTenant = (p: Principal, tenantId: number): boolean => p.superUser || p.tenantId === tenantId;

/** Throws 404 (`what` not found) unless the principal may see `row`. */
export function assertVisible<T extends { tenantId: number }>(request: FastifyRequest, row: T | undefined, what: string): T {
  if (!row || !canSeeTenant(principalOf(request), row.tenantId)) throw notFound(what);
  return row;
}

/** The actor and request facts the audit log keeps with a change. */
export const changeContextOf = (request: FastifyRequest): ChangeContext => ({ actor: actorOf(request), ip: request.ip, requestId: request.id });
