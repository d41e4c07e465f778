export interface AuditActor {
  userId: number;
  login: string;
}

/** One admin change as the caller describes it. */
export interface AuditEntry {
  tenantId: number;
  /** Null for changes the system makes by itself (first start, demo data). */
  actor: AuditActor | null;
  entity: string;
  entityId: string | number;
  action: string;
  before?: unknown;
  after?: unknown;
  ip?: string | undefined;
  requestId?: string | undefined;
}

export interface AuditRecord {
  id: number;
  tenantId: number;
  actorUserId: number | null;
  actorLogin: string | null;
  entity: string;
  entityId: string;
  action: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  at: string;
  ip: string | null;
  requestId: string | null;
}

export interface AuditFilter {
  entity?: string | undefined;
  entityId?: string | undefined;
  actorUserId?: number | undefined;
  action?: string | undefined;
  /** Epoch milliseconds, inclusive. */
  from?: number | undefined;
  /** Epoch milliseconds, exclusive. */
  to?: number | undefined;
  /** Default: newest first. */
  oldestFirst?: boolean | undefined;
}

/** What the audit log of a tenant holds, for filter lists. */
export interface AuditFacets {
  entities: string[];
  actions: string[];
  actors: { userId: number; login: string }[];
}
