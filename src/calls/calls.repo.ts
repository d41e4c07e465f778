import { and, asc, desc, eq, gte, like, lt, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { calls, tenants, users } from '../db/schema/index.js';
import type { CallId, TenantId } from '../kernel/index.js';
import { SYSTEM_TENANT_CNPJ } from '../org/index.js';
import type { CallFilters, CallRecord, CallSort, CallState, TrunkAttempt } from './calls.model.js';

type Row = typeof calls.$inferSelect;

const ms = (d: Date | null): number | null => (d ? d.getTime() : null);

function toRecord(r: Row): CallRecord {
  return {
    callId: r.callId as CallId,
    tenantId: r.tenantId as TenantId,
    parentCallId: r.parentCallId,
    channelId: r.channelId,
    channelName: r.channelName,
    kind: r.kind,
    direction: r.direction,
    from: r.fromNumber,
    fromName: r.fromName,
    to: r.toNumber,
    trunkRef: r.trunkRef,
    state: r.state,
    startedAt: r.startedAt.getTime(),
    answeredAt: ms(r.answeredAt),
    endedAt: ms(r.endedAt),
    cause: r.cause,
    causeText: r.causeText,
    hangupBy: r.hangupBy,
    endReason: r.endReason,
    trunkAttempts: r.trunkAttempts ?? null,
  };
}

/** What a leg's record holds when it is opened: everything but how it ended. */
export type NewCall = Omit<CallRecord, 'state' | 'endedAt' | 'cause' | 'causeText' | 'hangupBy' | 'endReason' | 'trunkAttempts'> & {
  state: Exclude<CallState, 'ended'>;
};

/** How a leg ended. */
export type CallClosing = Pick<CallRecord, 'cause' | 'causeText' | 'hangupBy'> & { endedAt: number; endReason: string };

const sortColumns = {
  startedAt: calls.startedAt,
  answeredAt: calls.answeredAt,
  endedAt: calls.endedAt,
  duration: sql`(${calls.endedAt} - ${calls.startedAt})`,
  from: calls.fromNumber,
  to: calls.toNumber,
} as const;

/** ORDER BY for a list sort; rows without the value (a live call's end) come last either way. */
function orderOf(s: CallSort): SQL[] {
  const col = sortColumns[s.key];
  const dir = s.descending ? desc : asc;
  return [sql`${col} is null`, dir(col), dir(calls.id)];
}

/** A bound parameter of a prepared statement; timestamps are bound as epoch ms, as stored. */
const ph = (name: string) => sql`${sql.placeholder(name)}`;

/** Every query on the `calls` table. */
export function createCallsRepo(db: Db) {
  // The writes every call makes are prepared once: building the query each time cost more
  // than SQLite's own work (see the calls benchmark).
  const insertCall = db
    .insert(calls)
    .values({
      callId: ph('callId'),
      tenantId: ph('tenantId'),
      parentCallId: ph('parentCallId'),
      channelId: ph('channelId'),
      channelName: ph('channelName'),
      kind: ph('kind'),
      direction: ph('direction'),
      fromNumber: ph('from'),
      fromName: ph('fromName'),
      toNumber: ph('to'),
      trunkRef: ph('trunkRef'),
      state: ph('state'),
      startedAt: ph('startedAt'),
      answeredAt: ph('answeredAt'),
    })
    .prepare();
  const answerCall = db
    .update(calls)
    .set({ state: 'in_progress', answeredAt: ph('at') })
    .where(and(eq(calls.callId, ph('callId')), eq(calls.state, 'ringing')))
    .prepare();
  const closeCall = db
    .update(calls)
    .set({
      state: 'ended',
      endedAt: ph('endedAt'),
      cause: ph('cause'),
      causeText: ph('causeText'),
      hangupBy: ph('hangupBy'),
      endReason: ph('endReason'),
    })
    .where(and(eq(calls.callId, ph('callId')), ne(calls.state, 'ended')))
    .prepare();
  const markAlive = db
    .update(calls)
    .set({ aliveAt: ph('at') })
    .where(and(eq(calls.callId, ph('callId')), ne(calls.state, 'ended')))
    .prepare();
  const firstTenant = db
    .select({ id: tenants.id })
    .from(tenants)
    .where(eq(tenants.active, true))
    .orderBy(sql`${tenants.cnpj} = ${SYSTEM_TENANT_CNPJ}`, tenants.id)
    .limit(1)
    .prepare();

  return {
    insert(c: NewCall): void {
      insertCall.run({ ...c });
    },

    /** Marks a ringing leg answered; a leg already answered or ended is left as it is. */
    markAnswered(callId: CallId, at: number): void {
      answerCall.run({ callId, at });
    },

    /** Closes a leg; true only the first time (a record is closed exactly once). */
    close(callId: string, c: CallClosing): boolean {
      return closeCall.run({ callId, ...c }).changes === 1;
    },

    /** The trunk that carried an outbound call and every trunk it tried. */
    setRouting(callId: string, trunkRef: string | null, attempts: TrunkAttempt[]): void {
      db.update(calls).set({ trunkRef, trunkAttempts: attempts }).where(eq(calls.callId, callId)).run();
    },

    /** Records not yet ended, across tenants (for reconciliation), with when each was last known alive. */
    open(): { callId: string; channelId: string; startedAt: number; answeredAt: number | null; aliveAt: number | null }[] {
      return db
        .select({ callId: calls.callId, channelId: calls.channelId, startedAt: calls.startedAt, answeredAt: calls.answeredAt, aliveAt: calls.aliveAt })
        .from(calls)
        .where(ne(calls.state, 'ended'))
        .all()
        .map((r) => ({ ...r, startedAt: r.startedAt.getTime(), answeredAt: ms(r.answeredAt), aliveAt: ms(r.aliveAt) }));
    },

    /** The daemon's heartbeat: these legs are alive at `at` (one transaction for all). */
    markAlive(callIds: readonly string[], at: number): void {
      db.transaction(() => {
        for (const callId of callIds) markAlive.run({ callId, at });
      });
    },

    tenantOf(callId: string): TenantId | undefined {
      const r = db.select({ tenantId: calls.tenantId }).from(calls).where(eq(calls.callId, callId)).get();
      return r?.tenantId as TenantId | undefined;
    },

    get(tenantId: TenantId, callId: string): CallRecord | undefined {
      const r = db
        .select()
        .from(calls)
        .where(and(eq(calls.tenantId, tenantId), eq(calls.callId, callId)))
        .get();
      return r ? toRecord(r) : undefined;
    },

    /** A tenant's legs, newest first. */
    list(tenantId: TenantId, f: CallFilters): { items: CallRecord[]; total: number } {
      const where: SQL[] = [eq(calls.tenantId, tenantId)];
      if (f.from !== undefined) where.push(gte(calls.startedAt, new Date(f.from)));
      if (f.to !== undefined) where.push(lt(calls.startedAt, new Date(f.to)));
      if (f.direction) where.push(eq(calls.direction, f.direction));
      if (f.state) where.push(eq(calls.state, f.state));
      if (f.numbers && f.numbers.length > 0) {
        // Digits only (made so at the edge), so no LIKE wildcard can slip in.
        where.push(or(...f.numbers.flatMap((n) => [like(calls.fromNumber, `%${n}%`), like(calls.toNumber, `%${n}%`)]))!);
      }
      if (f.party !== undefined) where.push(or(eq(calls.fromNumber, f.party), eq(calls.toNumber, f.party))!);
      const cond = and(...where);
      const items = db
        .select()
        .from(calls)
        .where(cond)
        .orderBy(...orderOf(f.sort ?? { key: 'startedAt', descending: true }))
        .limit(f.limit)
        .offset(f.offset)
        .all()
        .map(toRecord);
      const total = db.select({ n: sql<number>`count(*)` }).from(calls).where(cond).get()?.n ?? 0;
      return { items, total };
    },

    /** A user's extension (agents see only the legs of their own phone). */
    extensionOf(tenantId: TenantId, userId: number): string | undefined {
      const r = db
        .select({ extension: users.extension })
        .from(users)
        .where(and(eq(users.tenantId, tenantId), eq(users.id, userId)))
        .get();
      return r?.extension ?? undefined;
    },

    /** The only/first active tenant (the default tenant resolver). */
    /** The first active tenant; the system tenant (the super user's home) only when it is the only one. */
    firstActiveTenant(): TenantId | undefined {
      const r = firstTenant.get();
      return r?.id as TenantId | undefined;
    },
  };
}

export type CallsRepo = ReturnType<typeof createCallsRepo>;
