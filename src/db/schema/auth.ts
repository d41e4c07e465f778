import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenantColumn, tenants, users } from './org.js';

/** Server-side sessions. The cookie carries a random token; only its SHA-256 is stored. */
export const sessions = sqliteTable(
  'sessions',
  {
    id: text('id').primaryKey(),
    tenantId: tenantColumn(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    createdAt: integer('created_at').notNull(),
    lastSeenAt: integer('last_seen_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    revokedAt: integer('revoked_at'),
    /** The tenant a super user chose to act on (PUT /api/v1/me/tenant); null: its own. */
    activeTenantId: integer('active_tenant_id').references(() => tenants.id),
    ip: text('ip'),
    userAgent: text('user_agent'),
  },
  (t) => [index('sessions_user_idx').on(t.userId)],
);

/**
 * TOTP second factor. The shared secret must be readable to verify codes, so it is kept as
 * is (base32); `pendingSecret` holds an enrolment not yet confirmed by a code.
 */
export const userTotp = sqliteTable('user_totp', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id),
  tenantId: tenantColumn(),
  secret: text('secret'),
  pendingSecret: text('pending_secret'),
  enabledAt: integer('enabled_at'),
  /** Last accepted time step: a code is never accepted twice. */
  lastStep: integer('last_step'),
});

/** One-time recovery codes for TOTP users, stored as SHA-256 hashes. */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [index('recovery_codes_user_idx').on(t.userId)],
);

/**
 * Single-use links that let a user set a password: a reset the user asked for ("forgot
 * password") or a first access an admin sent. Only the SHA-256 of the token is stored; the
 * token itself exists only in the e-mail.
 */
export const passwordTokens = sqliteTable(
  'password_tokens',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    tokenHash: text('token_hash').notNull().unique(),
    purpose: text('purpose', { enum: ['reset', 'first_access'] }).notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    /** Set when the link was used, or when a newer link replaced it. */
    usedAt: integer('used_at'),
    /** The admin who sent a first-access link; null when the user asked for a reset. */
    createdBy: integer('created_by'),
  },
  (t) => [index('password_tokens_user_idx').on(t.userId)],
);

/** Who changed what, when, with the record before and after (secrets removed). */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    actorUserId: integer('actor_user_id'),
    actorLogin: text('actor_login'),
    entity: text('entity').notNull(),
    entityId: text('entity_id').notNull(),
    action: text('action').notNull(),
    before: text('before', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    after: text('after', { mode: 'json' }).$type<Record<string, unknown> | null>(),
    at: integer('at').notNull(),
    ip: text('ip'),
    requestId: text('request_id'),
  },
  (t) => [index('audit_log_tenant_at_idx').on(t.tenantId, t.at)],
);
