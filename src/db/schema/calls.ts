import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { tenantColumn } from './org.js';

/**
 * One row per call leg that entered the Stasis application (src/calls). A row is opened when
 * the leg enters, moves to `in_progress` on answer and is closed exactly once (`ended`), by the
 * leg's hangup, by reconciliation or by shutdown, with the reason in `end_reason`.
 */
export const calls = sqliteTable(
  'calls',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    callId: text('call_id').notNull().unique(),
    /** The call this leg was created for (agent, outbound and snoop legs). */
    parentCallId: text('parent_call_id'),
    channelId: text('channel_id').notNull(),
    channelName: text('channel_name'),
    /** Entry kind from the Stasis args: inbound, internal, dialer, agent, outbound, snoop, e2e. */
    kind: text('kind').notNull(),
    direction: text('direction', { enum: ['inbound', 'outbound', 'internal'] }).notNull(),
    fromNumber: text('from_number').notNull().default(''),
    fromName: text('from_name'),
    toNumber: text('to_number').notNull().default(''),
    /** `span:<n>` or `trunk:<name>` for legs from the public network. */
    trunkRef: text('trunk_ref'),
    state: text('state', { enum: ['ringing', 'in_progress', 'ended'] }).notNull(),
    startedAt: integer('started_at', { mode: 'timestamp_ms' }).notNull(),
    answeredAt: integer('answered_at', { mode: 'timestamp_ms' }),
    endedAt: integer('ended_at', { mode: 'timestamp_ms' }),
    /** Q.850 cause and its text. */
    cause: integer('cause'),
    causeText: text('cause_text'),
    hangupBy: text('hangup_by', { enum: ['caller', 'atende', 'far_end'] }),
    /**
     * Outbound legs: every trunk tried in failover order with the outcome (JSON), e.g. the first
     * congested, the second answered; `trunk_ref` names the one that carried the call.
     */
    trunkAttempts: text('trunk_attempts', { mode: 'json' }).$type<{ trunk: string; outcome: string; cause?: number }[]>(),
    endReason: text('end_reason'),
    /**
     * The last moment the daemon knew the leg was alive (its heartbeat while ARI was up). A leg
     * left open by a crash is closed with this as its end, not with the time of the next start.
     */
    aliveAt: integer('alive_at', { mode: 'timestamp_ms' }),
  },
  (t) => [
    index('calls_tenant_started_idx').on(t.tenantId, t.startedAt),
    index('calls_tenant_direction_started_idx').on(t.tenantId, t.direction, t.startedAt),
    index('calls_tenant_state_idx').on(t.tenantId, t.state),
    index('calls_state_idx').on(t.state),
    index('calls_channel_idx').on(t.channelId),
    index('calls_parent_idx').on(t.parentCallId),
  ],
);
