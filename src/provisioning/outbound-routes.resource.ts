/**
 * Rotas de saída: ordered rules (dial pattern, digits to strip, prefix, caller id, extensions
 * allowed, Brazilian local/long-distance format) and the trunks to try in order — SIP trunks
 * or E1 channel groups. Which rule a number takes is decided by outbound.logic.ts.
 */
import { and, asc, eq, inArray } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../db/client.js';
import { e1Spans, extensions, outboundRouteRules, outboundRoutes, outboundRouteTrunks, sipTrunks, tenants, timeConditions } from '../db/schema/index.js';
import { Id, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { invalidField } from '../kernel/index.js';
import { stamps } from './views.js';
import type { ResourceDef } from '../resources/index.js';
import { checkPattern } from './dial-pattern.logic.js';

const RuleBody = Type.Object(
  {
    pattern: Type.String({ minLength: 1, maxLength: 80, description: 'Asterisk dial pattern (_0XX.) or a number' }),
    strip: Type.Optional(Type.Integer({ minimum: 0, maximum: 20, description: 'digits removed on the left' })),
    prefix: Type.Optional(Type.String({ maxLength: 20, pattern: '^[0-9*#+]*$', description: 'digits added in front (tech prefix)' })),
    callerId: Type.Optional(Nullable(Type.String({ pattern: '^\\+?[0-9]{2,20}$', maxLength: 21 }))),
    forceCallerId: Type.Optional(Type.Boolean({ description: 'use callerId even when the extension has its own' })),
    restrictTo: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9]{2,8}$', maxLength: 8 }), { maxItems: 200, uniqueItems: true, description: 'only these extensions; empty: all' })),
    brazilFormat: Type.Optional(Type.Boolean({ description: 'dial Brazilian numbers locally or as long distance from the tenant’s DDD' })),
    carrierCode: Type.Optional(Nullable(Type.String({ pattern: '^[0-9]{2}$', maxLength: 2, description: 'CSP for long distance and international calls, e.g. 21' }))),
  },
  closed,
);
const RouteTrunkBody = Type.Object(
  {
    trunkId: Type.Optional(Id),
    e1Group: Type.Optional(Type.Integer({ minimum: 0, maximum: 63 })),
  },
  { ...closed, description: 'a SIP trunk (trunkId) or an E1 channel group (e1Group)' },
);

export const OutboundRouteBody = Type.Object(
  {
    name: RequiredText({ maxLength: 80 }),
    position: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'order among routes when two rules have the same pattern' })),
    timeConditionId: Type.Optional(Nullable(Id)),
    requireTabulation: Type.Optional(Type.Boolean({ description: "agents' manual calls through it are finished only with a tabulation" })),
    rules: Type.Array(RuleBody, { minItems: 1, maxItems: 50 }),
    trunks: Type.Array(RouteTrunkBody, { minItems: 1, maxItems: 10, description: 'tried in this order: failover on congestion or unavailable' }),
  },
  closed,
);
export type OutboundRouteInput = Static<typeof OutboundRouteBody>;

const RuleView = Type.Object({
  pattern: Type.String(),
  strip: Type.Integer(),
  prefix: Type.String(),
  callerId: Nullable(Type.String()),
  forceCallerId: Type.Boolean(),
  restrictTo: Type.Array(Type.String()),
  brazilFormat: Type.Boolean(),
  carrierCode: Nullable(Type.String()),
});
const RouteTrunkView = Type.Object({
  trunkId: Nullable(Type.Integer()),
  e1Group: Nullable(Type.Integer()),
  /** `SIP trunk operadora` or `E1 group 1`. */
  label: Type.String(),
});
export const OutboundRouteView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  position: Type.Integer(),
  timeConditionId: Nullable(Type.Integer()),
  requireTabulation: Type.Boolean(),
  rules: Type.Array(RuleView),
  trunks: Type.Array(RouteTrunkView),
  ...Timestamps,
});
export type OutboundRouteViewT = Static<typeof OutboundRouteView>;

type RouteRow = typeof outboundRoutes.$inferSelect;
type RuleRow = typeof outboundRouteRules.$inferSelect;
type TrunkRow = typeof outboundRouteTrunks.$inferSelect;

export const rulesOf = (db: Db, routeId: number): RuleRow[] =>
  db.select().from(outboundRouteRules).where(eq(outboundRouteRules.routeId, routeId)).orderBy(asc(outboundRouteRules.position)).all();
export const trunksOf = (db: Db, routeId: number): TrunkRow[] =>
  db.select().from(outboundRouteTrunks).where(eq(outboundRouteTrunks.routeId, routeId)).orderBy(asc(outboundRouteTrunks.position)).all();

export const ruleFields = (x: RuleRow) => ({
  pattern: x.pattern,
  strip: x.strip,
  prefix: x.prefix,
  callerId: x.callerId,
  forceCallerId: x.forceCallerId,
  restrictTo: x.restrictTo,
  brazilFormat: x.brazilFormat,
  carrierCode: x.carrierCode,
});

function checkRules(db: Db, tenantId: number, input: OutboundRouteInput): void {
  const tenant = db.select({ ddd: tenants.ddd }).from(tenants).where(eq(tenants.id, tenantId)).get();
  const numbers = new Set(
    db
      .select({ number: extensions.number })
      .from(extensions)
      .where(eq(extensions.tenantId, tenantId))
      .all()
      .map((e) => e.number),
  );
  for (const [i, rule] of input.rules.entries()) {
    const field = `rules[${i}]`;
    const problem = checkPattern(rule.pattern);
    if (problem) throw invalidField(`${field}.pattern`, `${field}.pattern: ${problem.message} (at position ${problem.position + 1})`);
    const unknown = (rule.restrictTo ?? []).find((n) => !numbers.has(n));
    if (unknown) throw invalidField(`${field}.restrictTo`, `${field}.restrictTo: there is no extension ${unknown} in this tenant`);
    if (rule.brazilFormat && !rule.carrierCode) throw invalidField(`${field}.carrierCode`, `${field}.carrierCode: the Brazilian format needs the carrier code (CSP) for long distance`);
    if (rule.brazilFormat && !tenant?.ddd) throw invalidField(`${field}.brazilFormat`, `${field}.brazilFormat: the tenant has no DDD; set it on the tenant first`);
  }
}

function checkTrunks(db: Db, tenantId: number, input: OutboundRouteInput): void {
  const seen = new Set<string>();
  for (const [i, t] of input.trunks.entries()) {
    const field = `trunks[${i}]`;
    if ((t.trunkId === undefined) === (t.e1Group === undefined)) throw invalidField(field, `${field}: give either trunkId or e1Group`);
    const key = t.trunkId !== undefined ? `t${t.trunkId}` : `g${t.e1Group}`;
    if (seen.has(key)) throw invalidField(field, `${field}: listed twice`);
    seen.add(key);
    if (t.trunkId !== undefined) {
      const trunk = db.select({ id: sipTrunks.id }).from(sipTrunks).where(and(eq(sipTrunks.id, t.trunkId), eq(sipTrunks.tenantId, tenantId))).get();
      if (!trunk) throw invalidField(`${field}.trunkId`, `${field}.trunkId: there is no SIP trunk ${t.trunkId} in this tenant`);
    } else {
      const span = db.select({ id: e1Spans.id }).from(e1Spans).where(and(eq(e1Spans.channelGroup, t.e1Group!), eq(e1Spans.tenantId, tenantId))).get();
      if (!span) throw invalidField(`${field}.e1Group`, `${field}.e1Group: no E1 span of this tenant is in group ${t.e1Group}`);
    }
  }
}

function trunkLabel(db: Db, t: TrunkRow): string {
  if (t.trunkId === null) return `E1 group ${t.e1Group}`;
  const trunk = db.select({ name: sipTrunks.name }).from(sipTrunks).where(eq(sipTrunks.id, t.trunkId)).get();
  return `SIP trunk ${trunk?.name ?? t.trunkId}`;
}

const timeConditionExists = (db: Db, tenantId: number, id: number): boolean =>
  db
    .select({ id: timeConditions.id })
    .from(timeConditions)
    .where(and(eq(timeConditions.id, id), eq(timeConditions.tenantId, tenantId)))
    .get() !== undefined;

/** Routes open only while a time condition is (deleting it is refused while they exist). */
export const routesTimedBy = (db: Db, tenantId: number, timeConditionId: number) =>
  db
    .select({ id: outboundRoutes.id, name: outboundRoutes.name })
    .from(outboundRoutes)
    .where(and(eq(outboundRoutes.tenantId, tenantId), eq(outboundRoutes.timeConditionId, timeConditionId)))
    .all();

export const outboundRouteDef: ResourceDef<typeof outboundRoutes, OutboundRouteInput, OutboundRouteViewT> = {
  label: 'outbound route',
  entity: 'outbound_route',
  table: outboundRoutes,
  unique: { name: outboundRoutes.name },
  search: [outboundRoutes.name],
  sortable: { name: outboundRoutes.name, position: outboundRoutes.position },
  toColumns(input, w) {
    const timeConditionId = input.timeConditionId ?? null;
    if (timeConditionId !== null && !timeConditionExists(w.db, w.tenantId, timeConditionId)) {
      throw invalidField('timeConditionId', `timeConditionId: there is no time condition ${timeConditionId} in this tenant`);
    }
    checkRules(w.db, w.tenantId, input);
    checkTrunks(w.db, w.tenantId, input);
    const last = w.db
      .select({ position: outboundRoutes.position })
      .from(outboundRoutes)
      .where(eq(outboundRoutes.tenantId, w.tenantId))
      .all()
      .reduce((max, r) => Math.max(max, r.position), -1);
    return { name: input.name, position: input.position ?? w.before?.position ?? last + 1, timeConditionId, requireTabulation: input.requireTabulation ?? false };
  },
  afterWrite(row, input, w) {
    w.db.delete(outboundRouteRules).where(eq(outboundRouteRules.routeId, row.id)).run();
    w.db.delete(outboundRouteTrunks).where(eq(outboundRouteTrunks.routeId, row.id)).run();
    for (const [position, r] of input.rules.entries()) {
      w.db
        .insert(outboundRouteRules)
        .values({
          tenantId: w.tenantId,
          routeId: row.id,
          position,
          pattern: r.pattern,
          strip: r.strip ?? 0,
          prefix: r.prefix ?? '',
          callerId: r.callerId ?? null,
          forceCallerId: r.forceCallerId ?? false,
          restrictTo: r.restrictTo ?? [],
          brazilFormat: r.brazilFormat ?? false,
          carrierCode: r.carrierCode ?? null,
        })
        .run();
    }
    for (const [position, t] of input.trunks.entries()) {
      w.db
        .insert(outboundRouteTrunks)
        .values({ tenantId: w.tenantId, routeId: row.id, position, trunkId: t.trunkId ?? null, e1Group: t.e1Group ?? null })
        .run();
    }
  },
  toInput: (row, r) => ({
    name: row.name,
    position: row.position,
    timeConditionId: row.timeConditionId,
    requireTabulation: row.requireTabulation,
    rules: rulesOf(r.db, row.id).map(ruleFields),
    trunks: trunksOf(r.db, row.id).map((t) => (t.trunkId !== null ? { trunkId: t.trunkId } : { e1Group: t.e1Group! })),
  }),
  toView: (row: RouteRow, r) => ({
    name: row.name,
    position: row.position,
    timeConditionId: row.timeConditionId,
    requireTabulation: row.requireTabulation,
    rules: rulesOf(r.db, row.id).map(ruleFields),
    trunks: trunksOf(r.db, row.id).map((t) => ({ trunkId: t.trunkId, e1Group: t.e1Group, label: trunkLabel(r.db, t) })),
    ...stamps(row),
  }),
};

/** Routes of a tenant that use a trunk or an E1 group, for referential integrity. */
export function routesUsing(db: Db, tenantId: number, use: { trunkId: number } | { e1Group: number }): RouteRow[] {
  const cond = 'trunkId' in use ? eq(outboundRouteTrunks.trunkId, use.trunkId) : eq(outboundRouteTrunks.e1Group, use.e1Group);
  const ids = db
    .select({ routeId: outboundRouteTrunks.routeId })
    .from(outboundRouteTrunks)
    .where(and(eq(outboundRouteTrunks.tenantId, tenantId), cond))
    .all()
    .map((x) => x.routeId);
  return ids.length === 0 ? [] : db.select().from(outboundRoutes).where(inArray(outboundRoutes.id, [...new Set(ids)])).all();
}

/** Routes whose rules name an extension in restrictTo. */
export function routesRestrictedTo(db: Db, tenantId: number, number: string): RouteRow[] {
  const ids = db
    .select({ routeId: outboundRouteRules.routeId, restrictTo: outboundRouteRules.restrictTo })
    .from(outboundRouteRules)
    .where(eq(outboundRouteRules.tenantId, tenantId))
    .all()
    .filter((x) => x.restrictTo.includes(number))
    .map((x) => x.routeId);
  return ids.length === 0 ? [] : db.select().from(outboundRoutes).where(inArray(outboundRoutes.id, [...new Set(ids)])).all();
}
