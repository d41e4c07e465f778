/**
 * The contract between authentication (src/auth) and every route plugin.
 *
 * Every route under /api/v1 declares in its options either
 *   `config: { public: true }`                                 (login, health…), or
 *   `config: { access: { module: 'calls', action: 'read' } }`   (checked against the profile).
 * The auth plugin authenticates the session, puts the `Principal` on `request.principal`, and
 * answers 401/403 before the handler runs. A route that declares neither fails at start-up.
 */
export type AccessLevel = 'admin' | 'supervisor' | 'agent';
export type AccessAction = 'read' | 'write';

export interface Access {
  module: string;
  action: AccessAction;
}

export interface Principal {
  userId: number;
  tenantId: number;
  login: string;
  level: AccessLevel;
  /** Super users act across tenants. */
  superUser: boolean;
  /**
   * The tenant this session acts on when a request names none: the user's own, or for a super
   * user the one it chose with `PUT /api/v1/me/tenant`.
   */
  activeTenantId: number;
  /** The session this request came with (for logout / revocation). */
  sessionId: string;
}

/** Who is acting, with the permissions their profile (or level) grants. */
export interface Actor extends Principal {
  permissions: readonly string[];
}

/** Request facts the audit log keeps next to a change. */
export interface ChangeContext {
  actor: Actor;
  ip?: string | undefined;
  requestId?: string | undefined;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    public?: boolean;
    access?: Access;
    /** A public route whose success may end sessions (so open events sockets are checked again). */
    endsSessions?: boolean;
  }
  interface FastifyRequest {
    principal?: Principal;
  }
}
