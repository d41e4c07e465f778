import { sql } from 'drizzle-orm';
import { index, integer, real, sqliteTable, text, uniqueIndex, type AnySQLiteColumn } from 'drizzle-orm/sqlite-core';
import { contactBooks, contacts, statusGroups } from './contacts.js';
import { timeConditions } from './flows.js';
import { resourceColumns, tenantColumn, users } from './org.js';

/**
 * The dialer (src/dialer): contact groups (lists) and their members' dialing state, dialing
 * strategies, campaigns, and one row per dial attempt. Times are epoch ms.
 */

/** Grupo de contatos: who a campaign calls. */
export const dialerLists = sqliteTable(
  'dialer_lists',
  {
    ...resourceColumns(),
    /** Fixed once created: reports and the import history name the list by it. */
    name: text('name').notNull(),
    description: text('description'),
    /** Where rows imported into this list become contacts. */
    bookId: integer('book_id')
      .notNull()
      .references(() => contactBooks.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /** The campaign that uses it; from then on the list is locked (no appends, no other campaign). */
    campaignId: integer('campaign_id').references((): AnySQLiteColumn => dialerCampaigns.id),
  },
  (t) => [uniqueIndex('dialer_lists_tenant_name_unique').on(t.tenantId, t.name), index('dialer_lists_campaign_idx').on(t.campaignId)],
);

export type DialOutcome = 'busy' | 'no_answer' | 'failed' | 'machine' | 'dropped' | 'connected';

/** A contact in a list, with where the dialer stands with it. */
export const dialerListMembers = sqliteTable(
  'dialer_list_members',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    listId: integer('list_id')
      .notNull()
      .references(() => dialerLists.id, { onDelete: 'cascade' }),
    contactId: integer('contact_id')
      .notNull()
      .references(() => contacts.id, { onDelete: 'cascade' }),
    /** Order within the list (import order). */
    position: integer('position').notNull(),
    /** The import that added it (an import that fails is undone by this). */
    importId: integer('import_id'),
    /** Attempts per phone number. */
    phoneAttempts: text('phone_attempts', { mode: 'json' }).$type<Record<string, number>>().notNull(),
    /** When each attempt was made, oldest first (the per-day limit counts them). */
    attemptTimes: text('attempt_times', { mode: 'json' }).$type<number[]>().notNull(),
    lastOutcome: text('last_outcome').$type<DialOutcome>(),
    retryAt: integer('retry_at'),
    callbackAt: integer('callback_at'),
    callbackUserId: integer('callback_user_id').references(() => users.id, { onDelete: 'set null' }),
    finished: integer('finished', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    uniqueIndex('dialer_list_members_list_contact_unique').on(t.listId, t.contactId),
    index('dialer_list_members_list_position_idx').on(t.listId, t.position),
    index('dialer_list_members_import_idx').on(t.importId),
    // The live dialer's reads, one per tier of `nextDials` (callbacks, retries, never tried): each
    // holds only the members of its tier still to do, in the order they are dialled.
    index('dialer_list_members_callback_idx').on(t.listId, t.callbackAt, t.position).where(sql`finished = 0 and callback_at is not null`),
    index('dialer_list_members_retry_idx').on(t.listId, t.retryAt, t.position).where(sql`finished = 0 and callback_at is null and retry_at is not null`),
    index('dialer_list_members_untried_idx').on(t.listId, t.position).where(sql`finished = 0 and callback_at is null and retry_at is null`),
  ],
);

/** Minutes to wait before trying a contact again, by what the last attempt came to. */
export interface RetryDelays {
  busy: number;
  no_answer: number;
  failed: number;
  machine: number;
  dropped: number;
}

/** Estratégia de discagem. */
export const dialerStrategies = sqliteTable(
  'dialer_strategies',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description'),
    maxAttemptsPerPhone: integer('max_attempts_per_phone').notNull(),
    maxAttemptsPerContact: integer('max_attempts_per_contact').notNull(),
    maxAttemptsPerDay: integer('max_attempts_per_day').notNull(),
    retryMinutes: text('retry_minutes', { mode: 'json' }).$type<RetryDelays>().notNull(),
    phoneOrder: text('phone_order', { enum: ['as_listed', 'mobile_first', 'landline_first'] }).notNull(),
    /** When contacts may be called, evaluated in each contact's own time zone; null: the legal default hours. */
    timeConditionId: integer('time_condition_id').references(() => timeConditions.id),
  },
  (t) => [uniqueIndex('dialer_strategies_tenant_name_unique').on(t.tenantId, t.name)],
);

/** Asterisk AMD() parameters, pinned per campaign (ms, except the word count and the threshold). */
export interface AmdParams {
  initialSilence: number;
  greeting: number;
  afterGreetingSilence: number;
  totalAnalysisTime: number;
  minimumWordLength: number;
  betweenWordsSilence: number;
  maximumNumberOfWords: number;
  silenceThreshold: number;
  maximumWordLength: number;
  /**
   * Not an AMD() argument: the share (%) of answering persons detection takes for machines or
   * silence, as measured by listening to a sample of its hang-ups; the abandon estimate adds
   * them (absent in campaigns saved before it existed: `AMD_FALSE_POSITIVE_DEFAULT`).
   */
  falsePositivePercent?: number;
}

export const CAMPAIGN_STATES = ['draft', 'running', 'paused', 'stopped', 'finished'] as const;
export type CampaignState = (typeof CAMPAIGN_STATES)[number];

/** Campanha do discador. */
export const dialerCampaigns = sqliteTable(
  'dialer_campaigns',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description'),
    mode: text('mode', { enum: ['preview', 'progressive', 'predictive'] }).notNull(),
    strategyId: integer('strategy_id')
      .notNull()
      .references(() => dialerStrategies.id),
    /** The service (queue) whose agents take the answered calls. */
    queueId: integer('queue_id').notNull(),
    /** The outbound route the calls leave by; null: the tenant's default routing. */
    outboundRouteId: integer('outbound_route_id'),
    /** Number presented to the called party; null: the route's. */
    callerId: text('caller_id'),
    ringTimeoutSeconds: integer('ring_timeout_seconds').notNull(),
    amdEnabled: integer('amd_enabled', { mode: 'boolean' }).notNull(),
    amd: text('amd', { mode: 'json' }).$type<AmdParams>().notNull(),
    /** The agent must tabulate each call, from this status group when set. */
    requireTabulation: integer('require_tabulation', { mode: 'boolean' }).notNull(),
    statusGroupId: integer('status_group_id').references(() => statusGroups.id),
    /** Percent of live answers; the pacer aims at the target and never passes the maximum. */
    abandonTargetPercent: real('abandon_target_percent').notNull(),
    abandonMaxPercent: real('abandon_max_percent').notNull(),
    /** Dial 0303 before the number (Anatel's prefix for telemarketing). */
    prefix0303: integer('prefix_0303', { mode: 'boolean' }).notNull(),
    /** Played to an answered person no agent took within the grace, before the hang-up; null: the built-in message. */
    dropPromptId: integer('drop_prompt_id'),
    stopWhenExhausted: integer('stop_when_exhausted', { mode: 'boolean' }).notNull(),
    /** Stop by itself at this instant. */
    stopAt: integer('stop_at'),
    state: text('state', { enum: CAMPAIGN_STATES }).notNull(),
    /** Why the campaign is in its state or dials nothing (e.g. `no_agents`, `exhausted`). */
    stateReason: text('state_reason'),
    startedAt: integer('started_at'),
    endedAt: integer('ended_at'),
  },
  (t) => [uniqueIndex('dialer_campaigns_tenant_name_unique').on(t.tenantId, t.name), index('dialer_campaigns_strategy_idx').on(t.strategyId)],
);

/** One dial: every originate has one, answered or not (the dialer report and short-call tracking read them). */
export const dialerAttempts = sqliteTable(
  'dialer_attempts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    campaignId: integer('campaign_id')
      .notNull()
      .references(() => dialerCampaigns.id, { onDelete: 'cascade' }),
    memberId: integer('member_id').references(() => dialerListMembers.id, { onDelete: 'set null' }),
    contactId: integer('contact_id').references(() => contacts.id, { onDelete: 'set null' }),
    phone: text('phone').notNull(),
    outcome: text('outcome').$type<DialOutcome>().notNull(),
    /** Q.850 cause Asterisk gave for the end of the call. */
    cause: integer('cause'),
    startedAt: integer('started_at').notNull(),
    answeredAt: integer('answered_at'),
    endedAt: integer('ended_at').notNull(),
    agentUserId: integer('agent_user_id').references(() => users.id, { onDelete: 'set null' }),
  },
  (t) => [index('dialer_attempts_tenant_started_idx').on(t.tenantId, t.startedAt), index('dialer_attempts_campaign_idx').on(t.campaignId, t.startedAt)],
);
