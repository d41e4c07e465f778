import { Type, type Static } from '@sinclair/typebox';
import { eq } from 'drizzle-orm';
import { dialerStrategies, timeConditions, type RetryDelays } from '../db/schema/index.js';
import { Id, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import type { ResourceDef } from '../resources/index.js';
import { DEFAULT_RETRY_DELAYS_MS } from './contacts.logic.js';

const Minutes = (description: string) => Type.Integer({ minimum: 1, maximum: 43_200, description });
const RetryMinutes = Type.Object(
  {
    busy: Minutes('after a busy line'),
    no_answer: Minutes('after no answer'),
    failed: Minutes('after congestion or another network failure'),
    machine: Minutes('after an answering machine'),
    dropped: Minutes('after a call the dialer dropped (no agent was free)'),
  },
  closed,
);
const PHONE_ORDERS = ['as_listed', 'mobile_first', 'landline_first'] as const;

export const StrategyBody = Type.Object(
  {
    name: RequiredText({ maxLength: 100 }),
    description: Type.Optional(Nullable(Type.String({ maxLength: 500 }))),
    maxAttemptsPerPhone: Type.Integer({ minimum: 1, maximum: 20 }),
    maxAttemptsPerContact: Type.Integer({ minimum: 1, maximum: 100 }),
    maxAttemptsPerDay: Type.Integer({ minimum: 1, maximum: 20, description: "attempts per contact per day, in the contact's time zone" }),
    retryMinutes: Type.Optional(Type.Partial(RetryMinutes, closed)),
    phoneOrder: Type.Optional(Type.Union(PHONE_ORDERS.map((o) => Type.Literal(o)))),
    timeConditionId: Type.Optional(Nullable(Id)),
  },
  closed,
);
export type StrategyInput = Static<typeof StrategyBody>;

export const StrategyView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Nullable(Type.String()),
  maxAttemptsPerPhone: Type.Integer(),
  maxAttemptsPerContact: Type.Integer(),
  maxAttemptsPerDay: Type.Integer(),
  retryMinutes: RetryMinutes,
  phoneOrder: Type.String(),
  timeConditionId: Nullable(Type.Integer()),
  ...Timestamps,
});
export type StrategyView = Static<typeof StrategyView>;

/** The dialer core's defaults, in the minutes the admin edits. */
export const DEFAULT_RETRY_MINUTES: RetryDelays = {
  busy: DEFAULT_RETRY_DELAYS_MS.busy / 60_000,
  no_answer: DEFAULT_RETRY_DELAYS_MS.no_answer / 60_000,
  failed: DEFAULT_RETRY_DELAYS_MS.failed / 60_000,
  machine: DEFAULT_RETRY_DELAYS_MS.machine / 60_000,
  dropped: DEFAULT_RETRY_DELAYS_MS.dropped / 60_000,
};

function strategyInput(row: typeof dialerStrategies.$inferSelect): Required<StrategyInput> & { retryMinutes: RetryDelays } {
  return {
    name: row.name,
    description: row.description,
    maxAttemptsPerPhone: row.maxAttemptsPerPhone,
    maxAttemptsPerContact: row.maxAttemptsPerContact,
    maxAttemptsPerDay: row.maxAttemptsPerDay,
    retryMinutes: row.retryMinutes,
    phoneOrder: row.phoneOrder,
    timeConditionId: row.timeConditionId,
  };
}

/** Dialing strategies: attempts, retry delays per outcome, phone order, calling hours. */
export const strategyDef: ResourceDef<typeof dialerStrategies, StrategyInput, StrategyView> = {
  label: 'dialing strategy',
  entity: 'dialer_strategy',
  table: dialerStrategies,
  unique: { name: dialerStrategies.name },
  search: [dialerStrategies.name, dialerStrategies.description],
  sortable: { name: dialerStrategies.name, createdAt: dialerStrategies.createdAt },
  toColumns(input, w) {
    const { name } = input;
    if (input.maxAttemptsPerDay > input.maxAttemptsPerContact) {
      throw invalidField('maxAttemptsPerDay', `maxAttemptsPerDay: at most maxAttemptsPerContact (${input.maxAttemptsPerContact})`);
    }
    const timeConditionId = input.timeConditionId ?? null;
    if (timeConditionId !== null) {
      const tc = w.db.select({ tenantId: timeConditions.tenantId }).from(timeConditions).where(eq(timeConditions.id, timeConditionId)).get();
      if (tc?.tenantId !== w.tenantId) throw invalidField('timeConditionId', 'timeConditionId: no such time condition');
    }
    return {
      name,
      description: input.description ?? null,
      maxAttemptsPerPhone: input.maxAttemptsPerPhone,
      maxAttemptsPerContact: input.maxAttemptsPerContact,
      maxAttemptsPerDay: input.maxAttemptsPerDay,
      // A patch names only the delays it changes: the others stay as stored (or the defaults, for a new strategy).
      retryMinutes: { ...DEFAULT_RETRY_MINUTES, ...w.before?.retryMinutes, ...input.retryMinutes },
      phoneOrder: input.phoneOrder ?? 'as_listed',
      timeConditionId,
    };
  },
  toInput: (row) => strategyInput(row),
  toView: (row) => ({
    id: row.id,
    tenantId: row.tenantId,
    ...strategyInput(row),
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
  }),
};
