import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { pauseTypes, resourceColumns, tenantColumn, users } from './org.js';

/**
 * Serviço / fila: a queue of the routing engine (src/routing). Members are in `queue_members`.
 * The destination when the maximum wait is reached or nobody can serve the interaction
 * ("mensagem não atendida") is stored in the four destination columns every routing resource
 * uses (kind, id, number, cause).
 */
export const queues = sqliteTable(
  'queues',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    /** Digits, unique in the tenant (the reference platform's "Fila"). */
    number: text('number').notNull(),
    description: text('description'),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    strategy: text('strategy', {
      enum: ['ring_all', 'longest_idle', 'fewest_calls', 'random', 'random_memory', 'round_robin_memory', 'linear'],
    }).notNull(),
    priority: integer('priority').notNull().default(0),
    maxWaiting: integer('max_waiting').notNull().default(0),
    maxWaitSeconds: integer('max_wait_seconds').notNull().default(0),
    ringSeconds: integer('ring_seconds').notNull().default(15),
    autoPauseAfter: integer('auto_pause_after').notNull().default(0),
    /** Deleting the pause type (allowed while no agent has used it) leaves the rule without a pause: off. */
    autoPauseTypeId: integer('auto_pause_type_id').references(() => pauseTypes.id, { onDelete: 'set null' }),
    wrapUpSeconds: integer('wrap_up_seconds').notNull().default(0),
    stickySeconds: integer('sticky_seconds').notNull().default(0),
    stickyMode: text('sticky_mode', { enum: ['owner', 'last_agent', 'owner_or_last'] }).notNull().default('owner'),
    /** JSON `[{afterSeconds, maxPriority}]`, widening with wait time. */
    priorityRules: text('priority_rules', { mode: 'json' }).$type<{ afterSeconds: number; maxPriority: number }[]>().notNull(),
    joinRule: text('join_rule', { enum: ['always', 'agents_logged_in', 'agents_unpaused'] }).notNull().default('always'),
    leaveRule: text('leave_rule', { enum: ['never', 'no_agents_logged_in', 'no_agents_unpaused'] }).notNull().default('never'),
    /** Music-on-hold class; null: Asterisk's default. */
    mohClass: text('moh_class'),
    announcePosition: integer('announce_position', { mode: 'boolean' }).notNull().default(false),
    announceWait: integer('announce_wait', { mode: 'boolean' }).notNull().default(false),
    /** Seconds between announcements (the first after as long); 0: none. */
    announceEverySeconds: integer('announce_every_seconds').notNull().default(0),
    slaPercent: integer('sla_percent').notNull().default(80),
    slaSeconds: integer('sla_seconds').notNull().default(20),
    shortAbandonSeconds: integer('short_abandon_seconds').notNull().default(3),
    record: integer('record', { mode: 'boolean' }).notNull().default(false),
    /** Days recordings of this queue are kept; 0: for ever. */
    retentionDays: integer('retention_days').notNull().default(0),
    /** Whether it appears on the agent desktop (transfer list, filters). */
    showOnDesktop: integer('show_on_desktop', { mode: 'boolean' }).notNull().default(true),
    destKind: text('dest_kind').notNull().default('hangup'),
    destId: integer('dest_id'),
    destNumber: text('dest_number'),
    destCause: integer('dest_cause'),
  },
  (t) => [uniqueIndex('queues_tenant_number_unique').on(t.tenantId, t.number), uniqueIndex('queues_tenant_name_unique').on(t.tenantId, t.name)],
);

/** An agent (user) or a plain extension in a queue, with its priority there (1 first). */
export const queueMembers = sqliteTable(
  'queue_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    queueId: integer('queue_id')
      .notNull()
      .references(() => queues.id, { onDelete: 'cascade' }),
    userId: integer('user_id').references(() => users.id, { onDelete: 'cascade' }),
    /** A plain extension member (no login): rings while registered. */
    extension: text('extension'),
    priority: integer('priority').notNull().default(1),
    /** Order in the list (linear, round robin). */
    position: integer('position').notNull(),
  },
  (t) => [
    uniqueIndex('queue_members_queue_user_unique').on(t.queueId, t.userId),
    uniqueIndex('queue_members_queue_extension_unique').on(t.queueId, t.extension),
    index('queue_members_user_idx').on(t.userId),
  ],
);

/** A user's routing profile: skills and working hours (enforced at login and at their end). */
export const agentSettings = sqliteTable('agent_settings', {
  userId: integer('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  tenantId: tenantColumn(),
  skills: text('skills', { mode: 'json' }).$type<string[]>().notNull(),
  /** JSON `[{days: [0-6], from: "HH:MM", to: "HH:MM"}]`; empty: no restriction. */
  workingHours: text('working_hours', { mode: 'json' }).$type<{ days: readonly number[]; from: string; to: string }[]>().notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * One interaction's visit to one queue, as the engine records it (src/routing/acd.model.ts
 * `InteractionRecord`): every metric of any period is recomputed from these rows.
 */
export const routedInteractions = sqliteTable(
  'routed_interactions',
  {
    id: text('id').primaryKey(),
    tenantId: tenantColumn(),
    queueId: integer('queue_id')
      .notNull()
      .references(() => queues.id),
    kind: text('kind', { enum: ['voice_in', 'voice_out', 'chat', 'email'] }).notNull(),
    callId: text('call_id'),
    contactAddress: text('contact_address').notNull(),
    contactName: text('contact_name'),
    contactId: integer('contact_id'),
    priority: integer('priority').notNull(),
    enteredAt: integer('entered_at').notNull(),
    joined: integer('joined', { mode: 'boolean' }).notNull(),
    outcome: text('outcome', { enum: ['answered', 'abandoned', 'timeout', 'full', 'empty', 'transferred', 'lost'] }),
    firstOfferAt: integer('first_offer_at'),
    answeredAt: integer('answered_at'),
    leftAt: integer('left_at'),
    agent: text('agent'),
    agentUserId: integer('agent_user_id').references(() => users.id),
    agentExtension: text('agent_extension'),
    endedAt: integer('ended_at'),
    talkMs: integer('talk_ms').notNull().default(0),
    holdMs: integer('hold_ms').notNull().default(0),
    wrapMs: integer('wrap_ms').notNull().default(0),
    handled: integer('handled', { mode: 'boolean' }).notNull().default(false),
    offers: integer('offers').notNull().default(0),
    unansweredOffers: integer('unanswered_offers').notNull().default(0),
    transferredFrom: text('transferred_from'),
    endReason: text('end_reason'),
  },
  (t) => [
    index('routed_interactions_tenant_entered_idx').on(t.tenantId, t.enteredAt),
    index('routed_interactions_queue_entered_idx').on(t.queueId, t.enteredAt),
    index('routed_interactions_call_idx').on(t.callId),
    index('routed_interactions_open_idx').on(t.handled),
  ],
);

/** Every offer of an interaction to an agent and how it ended. */
export const routedOffers = sqliteTable(
  'routed_offers',
  {
    id: text('id').primaryKey(),
    tenantId: tenantColumn(),
    interactionId: text('interaction_id').notNull(),
    queueId: integer('queue_id').notNull(),
    agent: text('agent').notNull(),
    agentUserId: integer('agent_user_id').references(() => users.id),
    offeredAt: integer('offered_at').notNull(),
    endedAt: integer('ended_at').notNull(),
    outcome: text('outcome').notNull(),
  },
  (t) => [index('routed_offers_tenant_offered_idx').on(t.tenantId, t.offeredAt), index('routed_offers_interaction_idx').on(t.interactionId)],
);

/**
 * Agent activity: one row per stretch of time a user spent in one state (offline rows are not
 * written: being logged out is the absence of rows). The open row (`ended_at` null) is the
 * current state, from which the engine is rebuilt after a restart.
 */
export const agentStates = sqliteTable(
  'agent_states',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    userId: integer('user_id')
      .notNull()
      .references(() => users.id),
    state: text('state', { enum: ['available', 'offered', 'busy', 'wrap_up', 'paused'] }).notNull(),
    pauseTypeId: integer('pause_type_id').references(() => pauseTypes.id),
    /** The pause reason as it read then (a later rename does not rewrite history). */
    pauseReason: text('pause_reason'),
    /** Who put the agent in the pause: itself, a supervisor, the unanswered-offers rule. */
    pauseCause: text('pause_cause', { enum: ['requested', 'forced', 'no_answer'] }),
    /** The pause ran past its maximum (overrun allowed). */
    overrun: integer('overrun', { mode: 'boolean' }).notNull().default(false),
    startedAt: integer('started_at').notNull(),
    endedAt: integer('ended_at'),
  },
  (t) => [
    index('agent_states_tenant_started_idx').on(t.tenantId, t.startedAt),
    index('agent_states_user_started_idx').on(t.userId, t.startedAt),
    index('agent_states_open_idx').on(t.endedAt),
  ],
);

/** A call recording moved into the data directory, linked to its call and interaction. */
export const recordings = sqliteTable(
  'recordings',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    callId: text('call_id').notNull(),
    interactionId: text('interaction_id'),
    queueId: integer('queue_id'),
    /** Relative to the data directory. */
    path: text('path').notNull(),
    format: text('format').notNull(),
    startedAt: integer('started_at').notNull(),
    durationSeconds: integer('duration_seconds').notNull(),
    sizeBytes: integer('size_bytes').notNull(),
    /** When the retention purge deletes it; null: kept. */
    expiresAt: integer('expires_at'),
  },
  (t) => [index('recordings_tenant_started_idx').on(t.tenantId, t.startedAt), index('recordings_call_idx').on(t.callId), index('recordings_expires_idx').on(t.expiresAt)],
);
