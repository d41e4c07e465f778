/**
 * The SQL of call flows beyond the resource rows: traces, call data, survey answers, voicemail
 * messages and the IVR report. Synchronous (better-sqlite3): callers compose it in transactions.
 */
import { and, asc, count, desc, eq, gte, inArray, isNull, lt, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { callData, calls, ivrTraces, ivrs, queues, routedInteractions, surveyAnswers, tenants, users, voicemailMessages } from '../db/schema/index.js';
import type { Destination } from '../calls/index.js';
import type { IvrTraceKind } from './ivr.model.js';
import type { SurveyAnswerFact } from './survey-report.logic.js';

export interface TraceRow {
  tenantId: number;
  callId: string;
  ivrId: number;
  version: number;
  node: string;
  event: IvrTraceKind;
  digits: string | null;
  destination: Destination | null;
  at: number;
}

export type VoicemailMessageRow = typeof voicemailMessages.$inferSelect;
export type NewVoicemailMessage = Omit<typeof voicemailMessages.$inferInsert, 'id' | 'heardAt' | 'heardBy'>;

/** One line of the IVR report: an IVR's node and what happened there in the period. */
export interface IvrReportRow {
  ivrId: number;
  ivrName: string;
  node: string;
  entries: number;
  timeouts: number;
  invalids: number;
  exhausted: number;
  abandons: number;
  exits: number;
  collected: number;
  directDials: number;
  /** Times each option digit was chosen. */
  options: Record<string, number>;
}

type Counter = 'entries' | 'timeouts' | 'invalids' | 'exhausted' | 'abandons' | 'exits' | 'collected' | 'directDials';
const COUNTER: Record<Exclude<IvrTraceKind, 'option'>, Counter> = {
  entered: 'entries',
  timeout: 'timeouts',
  invalid: 'invalids',
  exhausted: 'exhausted',
  abandon: 'abandons',
  exit: 'exits',
  collected: 'collected',
  direct_dial: 'directDials',
};

export class FlowsRepo {
  private readonly insertTraceStmt;

  constructor(readonly db: Db) {
    this.insertTraceStmt = db
      .insert(ivrTraces)
      .values({
        tenantId: sql.placeholder('tenantId'),
        callId: sql.placeholder('callId'),
        ivrId: sql.placeholder('ivrId'),
        version: sql.placeholder('version'),
        node: sql.placeholder('node'),
        event: sql.placeholder('event'),
        digits: sql.placeholder('digits'),
        destination: sql.placeholder('destination'),
        at: sql.placeholder('at'),
      })
      .prepare();
  }

  insertTrace(t: TraceRow): void {
    this.insertTraceStmt.run({ ...t });
  }

  tracesOf(tenantId: number, callId: string): TraceRow[] {
    return this.db
      .select()
      .from(ivrTraces)
      .where(and(eq(ivrTraces.tenantId, tenantId), eq(ivrTraces.callId, callId)))
      .orderBy(asc(ivrTraces.id))
      .all()
      .map(({ id: _id, ...t }) => t);
  }

  setCallData(tenantId: number, callId: string, name: string, value: string, at: number): void {
    this.db
      .insert(callData)
      .values({ tenantId, callId, name, value, setAt: at })
      .onConflictDoUpdate({ target: [callData.callId, callData.name], set: { value, setAt: at } })
      .run();
  }

  /** The tenant's area code, which completes callers' local numbers. */
  tenantDdd(tenantId: number): string | null {
    return this.db.select({ ddd: tenants.ddd }).from(tenants).where(eq(tenants.id, tenantId)).get()?.ddd ?? null;
  }

  callDataOf(tenantId: number, callId: string): Record<string, string> {
    const rows = this.db.select().from(callData).where(and(eq(callData.tenantId, tenantId), eq(callData.callId, callId))).orderBy(asc(callData.id)).all();
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  saveAnswer(tenantId: number, surveyId: number, callId: string, alias: string, value: number, at: number): void {
    this.db
      .insert(surveyAnswers)
      .values({ tenantId, surveyId, callId, alias, value, answeredAt: at })
      .onConflictDoUpdate({ target: [surveyAnswers.callId, surveyAnswers.surveyId, surveyAnswers.alias], set: { value, answeredAt: at } })
      .run();
  }

  answersOf(tenantId: number, callId: string): { surveyId: number; alias: string; value: number; answeredAt: number }[] {
    return this.db
      .select({ surveyId: surveyAnswers.surveyId, alias: surveyAnswers.alias, value: surveyAnswers.value, answeredAt: surveyAnswers.answeredAt })
      .from(surveyAnswers)
      .where(and(eq(surveyAnswers.tenantId, tenantId), eq(surveyAnswers.callId, callId)))
      .orderBy(asc(surveyAnswers.id))
      .all();
  }

  /**
   * A survey's answers given in [from, to), each with the caller's number and the call's last
   * visit to a queue that an agent answered (the service and the agent the survey is about).
   */
  surveyFacts(tenantId: number, surveyId: number, from: number, to: number, queueId?: number): SurveyAnswerFact[] {
    const visit = sql`(select ${routedInteractions.id} from ${routedInteractions} where ${routedInteractions.tenantId} = ${surveyAnswers.tenantId} and ${routedInteractions.callId} = ${surveyAnswers.callId} and ${routedInteractions.agentUserId} is not null order by ${routedInteractions.enteredAt} desc limit 1)`;
    return this.db
      .select({
        callId: surveyAnswers.callId,
        alias: surveyAnswers.alias,
        value: surveyAnswers.value,
        answeredAt: surveyAnswers.answeredAt,
        caller: calls.fromNumber,
        queueId: routedInteractions.queueId,
        queueName: queues.name,
        agentUserId: routedInteractions.agentUserId,
        agentName: users.name,
      })
      .from(surveyAnswers)
      .leftJoin(routedInteractions, eq(routedInteractions.id, visit))
      .leftJoin(queues, eq(queues.id, routedInteractions.queueId))
      .leftJoin(users, eq(users.id, routedInteractions.agentUserId))
      .leftJoin(calls, eq(calls.callId, surveyAnswers.callId))
      .where(
        and(
          eq(surveyAnswers.tenantId, tenantId),
          eq(surveyAnswers.surveyId, surveyId),
          gte(surveyAnswers.answeredAt, from),
          lt(surveyAnswers.answeredAt, to),
          queueId === undefined ? undefined : eq(routedInteractions.queueId, queueId),
        ),
      )
      .orderBy(asc(surveyAnswers.answeredAt))
      .all();
  }

  insertMessage(m: NewVoicemailMessage): VoicemailMessageRow {
    return this.db.insert(voicemailMessages).values(m).returning().get();
  }

  messageCount(boxId: number): number {
    return this.db.select({ n: count() }).from(voicemailMessages).where(eq(voicemailMessages.boxId, boxId)).get()?.n ?? 0;
  }

  messages(boxId: number, opts: { unheardOnly: boolean; limit: number; offset: number }): { rows: VoicemailMessageRow[]; total: number } {
    const where = and(eq(voicemailMessages.boxId, boxId), opts.unheardOnly ? isNull(voicemailMessages.heardAt) : undefined);
    const rows = this.db.select().from(voicemailMessages).where(where).orderBy(desc(voicemailMessages.recordedAt), desc(voicemailMessages.id)).limit(opts.limit).offset(opts.offset).all();
    const total = this.db.select({ n: count() }).from(voicemailMessages).where(where).get()?.n ?? 0;
    return { rows, total };
  }

  message(boxId: number, id: number): VoicemailMessageRow | undefined {
    return this.db.select().from(voicemailMessages).where(and(eq(voicemailMessages.boxId, boxId), eq(voicemailMessages.id, id))).get();
  }

  markHeard(id: number, heard: boolean, by: number | null, at: number): VoicemailMessageRow {
    return this.db
      .update(voicemailMessages)
      .set(heard ? { heardAt: at, heardBy: by } : { heardAt: null, heardBy: null })
      .where(eq(voicemailMessages.id, id))
      .returning()
      .get();
  }

  deleteMessage(id: number): void {
    this.db.delete(voicemailMessages).where(eq(voicemailMessages.id, id)).run();
  }

  /** File names of a box's messages (to remove after the box is deleted). */
  messageFiles(boxId: number): string[] {
    return this.db.select({ file: voicemailMessages.file }).from(voicemailMessages).where(eq(voicemailMessages.boxId, boxId)).all().map((r) => r.file);
  }

  /** Every message file of a tenant's boxes (for start-up clean-up of orphans). */
  allMessageFiles(): Set<string> {
    return new Set(this.db.select({ file: voicemailMessages.file }).from(voicemailMessages).all().map((r) => r.file));
  }

  /** Per IVR and node, in `[from, to)`, optionally for some IVRs only. */
  ivrReport(tenantId: number, from: number, to: number, ivrIds?: number[]): IvrReportRow[] {
    const where = and(
      eq(ivrTraces.tenantId, tenantId),
      gte(ivrTraces.at, from),
      lt(ivrTraces.at, to),
      ivrIds && ivrIds.length > 0 ? inArray(ivrTraces.ivrId, ivrIds) : undefined,
    );
    // Only an option's digits split the counts; an invalid entry's digits do not.
    const optionDigits = sql<string | null>`case when ${ivrTraces.event} = 'option' then ${ivrTraces.digits} end`;
    const counts = this.db
      .select({ ivrId: ivrTraces.ivrId, node: ivrTraces.node, event: ivrTraces.event, digits: optionDigits, n: count() })
      .from(ivrTraces)
      .where(where)
      .groupBy(ivrTraces.ivrId, ivrTraces.node, ivrTraces.event, optionDigits)
      .all();
    const names = new Map(
      this.db
        .select({ id: ivrs.id, name: ivrs.name })
        .from(ivrs)
        .where(eq(ivrs.tenantId, tenantId))
        .all()
        .map((r) => [r.id, r.name]),
    );
    const rows = new Map<string, IvrReportRow>();
    for (const c of counts) {
      const key = `${c.ivrId}\u0000${c.node}`;
      let row = rows.get(key);
      if (!row) {
        row = {
          ivrId: c.ivrId,
          ivrName: names.get(c.ivrId) ?? `IVR ${c.ivrId}`,
          node: c.node,
          entries: 0,
          timeouts: 0,
          invalids: 0,
          exhausted: 0,
          abandons: 0,
          exits: 0,
          collected: 0,
          directDials: 0,
          options: {},
        };
        rows.set(key, row);
      }
      if (c.event === 'option') row.options[c.digits ?? ''] = (row.options[c.digits ?? ''] ?? 0) + c.n;
      else row[COUNTER[c.event]] += c.n;
    }
    return [...rows.values()].sort((a, b) => a.ivrName.localeCompare(b.ivrName) || a.ivrId - b.ivrId || a.node.localeCompare(b.node));
  }
}
