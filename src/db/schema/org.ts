import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/** Empresa. Every other domain row carries `tenant_id` referencing this table. */
export const tenants = sqliteTable('tenants', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  legalName: text('legal_name').notNull(),
  cnpj: text('cnpj').notNull().unique(),
  contactName: text('contact_name'),
  contactEmail: text('contact_email'),
  contactPhone: text('contact_phone'),
  ddi: text('ddi').notNull().default('55'),
  ddd: text('ddd'),
  cnl: text('cnl'),
  active: integer('active', { mode: 'boolean' }).notNull().default(true),
  createdAt: integer('created_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
  updatedAt: integer('updated_at', { mode: 'timestamp_ms' }).notNull().default(sql`(unixepoch('subsec') * 1000)`),
});

/** The `tenant_id` column every domain table carries. */
export const tenantColumn = () =>
  integer('tenant_id')
    .notNull()
    .references(() => tenants.id);

/**
 * The columns of every resource managed by src/resources (id, tenant, timestamps in epoch ms):
 * `sqliteTable('sip_trunks', { ...resourceColumns(), name: text('name').notNull(), … })`.
 */
export const resourceColumns = () => ({
  id: integer('id').primaryKey({ autoIncrement: true }),
  tenantId: tenantColumn(),
  createdAt: integer('created_at').notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * Perfil: the modules and actions a user may use. `permissions` is a JSON array of
 * `"module:action"` strings drawn from the catalogue in src/auth/permissions.ts.
 */
export const profiles = sqliteTable(
  'profiles',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    name: text('name').notNull(),
    description: text('description'),
    permissions: text('permissions', { mode: 'json' }).$type<string[]>().notNull(),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('profiles_tenant_name_unique').on(t.tenantId, t.name)],
);

/** Equipe. */
export const teams = sqliteTable(
  'teams',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    name: text('name').notNull(),
    description: text('description'),
    /** Sent to the customer when a human takes a chat over from a bot. */
    takeoverMessage: text('takeover_message'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('teams_tenant_name_unique').on(t.tenantId, t.name)],
);

export const users = sqliteTable(
  'users',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    name: text('name').notNull(),
    /** Unique across tenants: the login form does not ask for a tenant. */
    login: text('login').notNull().unique(),
    passwordHash: text('password_hash').notNull(),
    email: text('email'),
    /** Matrícula, as the tenant's HR system writes it; unique in its tenant; a login identifier. */
    employeeNumber: text('employee_number'),
    /** CPF, 11 digits (check digits validated); unique in its tenant; a login identifier. */
    cpf: text('cpf'),
    level: text('level', { enum: ['admin', 'supervisor', 'agent'] }).notNull(),
    /** Null: the built-in defaults of `level` apply (src/auth/permissions.ts). */
    profileId: integer('profile_id').references(() => profiles.id),
    teamId: integer('team_id').references(() => teams.id),
    extension: text('extension'),
    maxVoice: integer('max_voice').notNull().default(1),
    maxChat: integer('max_chat').notNull().default(3),
    maxEmail: integer('max_email').notNull().default(2),
    callCenter: integer('call_center', { mode: 'boolean' }).notNull().default(true),
    chat: integer('chat', { mode: 'boolean' }).notNull().default(false),
    autoConnectChat: integer('auto_connect_chat', { mode: 'boolean' }).notNull().default(false),
    emailChannel: integer('email_channel', { mode: 'boolean' }).notNull().default(false),
    internalChat: integer('internal_chat', { mode: 'boolean' }).notNull().default(true),
    auditor: integer('auditor', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    superUser: integer('super_user', { mode: 'boolean' }).notNull().default(false),
    mustChangePassword: integer('must_change_password', { mode: 'boolean' }).notNull().default(true),
    passwordChangedAt: integer('password_changed_at'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('users_tenant_extension_unique').on(t.tenantId, t.extension),
    index('users_tenant_idx').on(t.tenantId),
    // Led by the identifier: login looks users up by it across tenants.
    uniqueIndex('users_employee_number_tenant_unique').on(t.employeeNumber, t.tenantId),
    uniqueIndex('users_cpf_tenant_unique').on(t.cpf, t.tenantId),
    index('users_email_lower_idx').on(sql`lower(${t.email})`),
  ],
);

export const teamSupervisors = sqliteTable(
  'team_supervisors',
  {
    tenantId: tenantColumn(),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.teamId, t.userId] })],
);

/** Tipo de pausa. */
export const pauseTypes = sqliteTable(
  'pause_types',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    reason: text('reason').notNull(),
    description: text('description'),
    /** Null: no limit. */
    maxDurationMinutes: integer('max_duration_minutes'),
    /** Null: no limit. */
    maxAgents: integer('max_agents'),
    overrunAllowed: integer('overrun_allowed', { mode: 'boolean' }).notNull().default(true),
    transferWhilePaused: integer('transfer_while_paused', { mode: 'boolean' }).notNull().default(false),
    /** The pause an agent enters automatically after an interaction (wrap-up). */
    wrapUp: integer('wrap_up', { mode: 'boolean' }).notNull().default(false),
    hideOnPanels: integer('hide_on_panels', { mode: 'boolean' }).notNull().default(false),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [uniqueIndex('pause_types_tenant_reason_unique').on(t.tenantId, t.reason)],
);

/** Teams a pause type is offered to; none means every team. */
export const pauseTypeTeams = sqliteTable(
  'pause_type_teams',
  {
    tenantId: tenantColumn(),
    pauseTypeId: integer('pause_type_id')
      .notNull()
      .references(() => pauseTypes.id, { onDelete: 'cascade' }),
    teamId: integer('team_id')
      .notNull()
      .references(() => teams.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.pauseTypeId, t.teamId] })],
);

/** Every login, logout, pause and return of a user, for the activity report. */
export const agentActivity = sqliteTable(
  'agent_activity',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind', { enum: ['login', 'logout', 'pause', 'return'] }).notNull(),
    pauseTypeId: integer('pause_type_id').references(() => pauseTypes.id),
    /** Why, when the agent did not choose it (e.g. `desk_closed`: logged out of the queues after its desk closed). */
    reason: text('reason'),
    at: integer('at').notNull(),
  },
  (t) => [index('agent_activity_tenant_user_at_idx').on(t.tenantId, t.userId, t.at)],
);
