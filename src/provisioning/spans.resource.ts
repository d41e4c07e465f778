/**
 * Spans E1 (DAHDI): ISDN PRI (Euro-ISDN, customer or network side) or MFC/R2 (Brazilian
 * variant). The span number, its DAHDI channels and its channel group belong to the card of
 * the one server, so they are unique across tenants.
 */
import { and, eq, ne } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../db/client.js';
import { e1Spans } from '../db/schema/index.js';
import { Nullable, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import { stamps } from './views.js';
import type { ResourceDef } from '../resources/index.js';
import type { R2Options } from '../telephony/confgen/index.js';
import { bearerProblem, defaultBearers, parseRanges, rangesText, signallingChannel } from './telephony.logic.js';

export const R2_CATEGORIES = ['national_subscriber', 'national_priority_subscriber', 'international_subscriber', 'international_priority_subscriber', 'collect_call'] as const;
/** openr2's variants; `br` is Brazil. */
export const R2_VARIANTS = ['br', 'ar', 'mx', 've', 'cn', 'cz', 'co', 'ec', 'ph', 'itu'] as const;
export const SWITCHTYPES = ['euroisdn', 'qsig', 'national', 'ni1', 'dms100', '4ess', '5ess'] as const;

const R2Body = Type.Object(
  {
    variant: Type.Optional(Type.Union(R2_VARIANTS.map((v) => Type.Literal(v)))),
    category: Type.Optional(Type.Union(R2_CATEGORIES.map((v) => Type.Literal(v)))),
    maxAni: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'caller-number digits to ask for' })),
    maxDnis: Type.Optional(Type.Integer({ minimum: 1, maximum: 20, description: 'called-number digits the telco sends (often 4)' })),
    getAniFirst: Type.Optional(Type.Boolean()),
    allowCollectCalls: Type.Optional(Type.Boolean({ description: 'accept collect calls (chamadas a cobrar)' })),
    doubleAnswer: Type.Optional(Type.Boolean({ description: 'answer twice to drop collect calls on exchanges that do not signal them' })),
  },
  closed,
);

export const SpanBody = Type.Object(
  {
    span: Type.Integer({ minimum: 1, maximum: 64, description: 'the card’s span number (dahdi_scan)' }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    signalling: Type.Union([Type.Literal('pri_cpe'), Type.Literal('pri_net'), Type.Literal('mfcr2')], { description: 'ISDN PRI customer side (usual), network side, or MFC/R2' }),
    timing: Type.Optional(Type.Integer({ minimum: 0, maximum: 8, description: 'clock source priority: 1 primary, 2 secondary…, 0 never' })),
    lineBuildOut: Type.Optional(Type.Integer({ minimum: 0, maximum: 7 })),
    framing: Type.Optional(Type.Union([Type.Literal('ccs'), Type.Literal('cas')], { description: 'CCS for PRI, CAS for R2' })),
    coding: Type.Optional(Type.Union([Type.Literal('hdb3'), Type.Literal('ami')])),
    crc4: Type.Optional(Type.Boolean()),
    switchtype: Type.Optional(Type.Union(SWITCHTYPES.map((s) => Type.Literal(s)))),
    bchannels: Type.Optional(Type.String({ maxLength: 100, pattern: '^[0-9, -]+$', description: 'DAHDI channel numbers, e.g. 1-15,17-31 for span 1' })),
    group: Type.Integer({ minimum: 0, maximum: 63, description: 'channel group outbound routes dial (DAHDI/g<group>)' }),
    r2: Type.Optional(Nullable(R2Body)),
    echoCanceller: Type.Optional(Type.Boolean()),
    unknownDidCause: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 127 }))),
  },
  closed,
);
export type SpanInput = Static<typeof SpanBody>;

export const SpanView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  span: Type.Integer(),
  description: Type.String(),
  signalling: Type.String(),
  timing: Type.Integer(),
  lineBuildOut: Type.Integer(),
  framing: Type.String(),
  coding: Type.String(),
  crc4: Type.Boolean(),
  switchtype: Type.String(),
  bchannels: Type.String(),
  dchannel: Nullable(Type.Integer()),
  group: Type.Integer(),
  r2: Nullable(Type.Object({}, { additionalProperties: true })),
  echoCanceller: Type.Boolean(),
  unknownDidCause: Nullable(Type.Integer()),
  ...Timestamps,
});
export type SpanViewT = Static<typeof SpanView>;

const R2_DEFAULTS: R2Options = {
  variant: 'br',
  category: 'national_subscriber',
  maxAni: 20,
  maxDnis: 4,
  getAniFirst: false,
  allowCollectCalls: false,
  doubleAnswer: true,
};

/** The fields an input and the view share. */
const fieldsOf = (row: typeof e1Spans.$inferSelect) => ({
  span: row.span,
  description: row.description,
  signalling: row.signalling,
  timing: row.timing,
  lineBuildOut: row.lineBuildOut,
  framing: row.framing,
  coding: row.coding,
  crc4: row.crc4,
  bchannels: row.bchannels,
  group: row.channelGroup,
  echoCanceller: row.echoCanceller,
  unknownDidCause: row.unknownDidCause,
});

export const spanDef: ResourceDef<typeof e1Spans, SpanInput, SpanViewT> = {
  label: 'E1 span',
  entity: 'e1_span',
  table: e1Spans,
  search: [e1Spans.description],
  sortable: { span: e1Spans.span },
  toColumns(input, w) {
    const others = w.db
      .select()
      .from(e1Spans)
      .where(w.before ? ne(e1Spans.id, w.before.id) : undefined)
      .all();
    if (others.some((o) => o.span === input.span)) throw conflict(`span ${input.span} is already configured on this server`, { field: 'span' });
    if (others.some((o) => o.channelGroup === input.group && o.tenantId !== w.tenantId)) {
      throw conflict(`channel group ${input.group} is used by another tenant's span: choose another group`, { field: 'group' });
    }
    const pri = input.signalling !== 'mfcr2';
    const framing = input.framing ?? (pri ? 'ccs' : 'cas');
    if (pri && framing !== 'ccs') throw invalidField('framing', 'framing: ISDN PRI needs CCS framing (common-channel signalling on timeslot 16)');
    if (!pri && framing !== 'cas') throw invalidField('framing', 'framing: MFC/R2 needs CAS framing (channel-associated signalling)');
    if (pri && input.r2) throw invalidField('r2', 'r2: MFC/R2 options on an ISDN PRI span; set signalling to mfcr2 or leave r2 out');
    if (!pri && input.switchtype !== undefined && input.switchtype !== 'euroisdn') {
      throw invalidField('switchtype', 'switchtype is an ISDN PRI setting; an MFC/R2 span has none');
    }
    let bearers = defaultBearers(input.span);
    if (input.bchannels !== undefined) {
      const parsed = parseRanges(input.bchannels);
      if (typeof parsed === 'string') throw invalidField('bchannels', `bchannels: ${parsed}`);
      bearers = parsed;
    }
    const otherRanges = others.map((o) => {
      const parsed = parseRanges(o.bchannels);
      return { span: o.span, ranges: typeof parsed === 'string' ? [] : parsed };
    });
    const problem = bearerProblem(input.span, bearers, otherRanges);
    if (problem) throw invalidField('bchannels', `bchannels: ${problem}`);
    return {
      span: input.span,
      description: input.description ?? '',
      timing: input.timing ?? (input.span === 1 ? 1 : 0),
      lineBuildOut: input.lineBuildOut ?? 0,
      framing,
      coding: input.coding ?? 'hdb3',
      crc4: input.crc4 ?? pri,
      signalling: input.signalling,
      switchtype: pri ? (input.switchtype ?? 'euroisdn') : 'euroisdn',
      bchannels: rangesText(bearers),
      dchannel: pri ? signallingChannel(input.span) : null,
      channelGroup: input.group,
      r2: pri ? null : { ...R2_DEFAULTS, ...(input.r2 ?? {}) },
      echoCanceller: input.echoCanceller ?? false,
      unknownDidCause: input.unknownDidCause ?? null,
    };
  },
  toInput: (row) => ({
    ...fieldsOf(row),
    ...(row.signalling !== 'mfcr2' ? { switchtype: row.switchtype as (typeof SWITCHTYPES)[number] } : {}),
    r2: row.r2 as SpanInput['r2'],
  }),
  toView: (row) => ({ ...stamps(row), ...fieldsOf(row), switchtype: row.switchtype, dchannel: row.dchannel, r2: row.r2 }),
};

/** The tenant's spans in a channel group (outbound routes dial a group). */
export const spansOfGroup = (db: Db, tenantId: number, group: number) =>
  db.select().from(e1Spans).where(and(eq(e1Spans.tenantId, tenantId), eq(e1Spans.channelGroup, group))).all();
