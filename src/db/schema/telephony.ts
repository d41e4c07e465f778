import { index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { resourceColumns, tenantColumn, users } from './org.js';

/**
 * The telecom admin's "Telefonia" resources (src/provisioning). Every row carries its tenant;
 * names Asterisk sees (PJSIP endpoints, E1 span numbers, DAHDI groups, DIDs) are unique on the
 * whole server, because one Asterisk serves every tenant.
 */
/** The one destination type of everything that routes a call (src/provisioning/destination.ts). */
const destination = () => ({
  destKind: text('dest_kind', {
    enum: ['extension', 'announcement', 'conference', 'external', 'hangup', 'ivr', 'queue', 'time_condition', 'voicemail'],
  }).notNull(),
  /** The row the destination names (extension, announcement, conference, …). */
  destId: integer('dest_id'),
  /** An external number, for `external`. */
  destNumber: text('dest_number'),
  /** The Q.850 cause, for `hangup`. */
  destCause: integer('dest_cause'),
});

/** Span E1 (DAHDI). */
export const e1Spans = sqliteTable(
  'e1_spans',
  {
    ...resourceColumns(),
    /** The card's span number, unique on the server. */
    span: integer('span').notNull().unique(),
    description: text('description').notNull().default(''),
    timing: integer('timing').notNull(),
    lineBuildOut: integer('line_build_out').notNull().default(0),
    framing: text('framing', { enum: ['ccs', 'cas'] }).notNull(),
    coding: text('coding', { enum: ['hdb3', 'ami'] }).notNull(),
    crc4: integer('crc4', { mode: 'boolean' }).notNull(),
    signalling: text('signalling', { enum: ['pri_cpe', 'pri_net', 'mfcr2'] }).notNull(),
    switchtype: text('switchtype').notNull().default('euroisdn'),
    /** Absolute DAHDI channel numbers, `1-15,17-31`. */
    bchannels: text('bchannels').notNull(),
    dchannel: integer('dchannel'),
    channelGroup: integer('channel_group').notNull(),
    /** MFC/R2 options (JSON), only on an R2 span. */
    r2: text('r2', { mode: 'json' }).$type<Record<string, unknown>>(),
    echoCanceller: integer('echo_canceller', { mode: 'boolean' }).notNull().default(false),
    /** Q.850 cause for a call to a DID no inbound route knows; null: the server default. */
    unknownDidCause: integer('unknown_did_cause'),
  },
  (t) => [index('e1_spans_tenant_idx').on(t.tenantId)],
);

/** Tronco SIP. */
export const sipTrunks = sqliteTable(
  'sip_trunks',
  {
    ...resourceColumns(),
    /** The PJSIP endpoint name, unique on the server (shared namespace with extensions' SIP users). */
    name: text('name').notNull().unique(),
    description: text('description').notNull().default(''),
    host: text('host').notNull(),
    port: integer('port'),
    transport: text('transport', { enum: ['udp', 'tcp'] }).notNull(),
    codecs: text('codecs', { mode: 'json' }).$type<string[]>().notNull(),
    authUser: text('auth_user'),
    secret: text('secret'),
    register: integer('register', { mode: 'boolean' }).notNull().default(false),
    contactUser: text('contact_user'),
    expirationSeconds: integer('expiration_seconds').notNull().default(300),
    fromUser: text('from_user'),
    fromDomain: text('from_domain'),
    outboundProxy: text('outbound_proxy'),
    /** Simultaneous calls Atende allows on the trunk; null: no limit. */
    maxChannels: integer('max_channels'),
    extraOptions: text('extra_options', { mode: 'json' }).$type<[string, string][]>().notNull(),
    unknownDidCause: integer('unknown_did_cause'),
  },
  (t) => [index('sip_trunks_tenant_idx').on(t.tenantId)],
);

/** Ramal. */
export const extensions = sqliteTable(
  'extensions',
  {
    ...resourceColumns(),
    number: text('number').notNull(),
    /** PJSIP endpoint, auth user and AOR, unique on the server. */
    sipUser: text('sip_user').notNull().unique(),
    secret: text('secret').notNull(),
    displayName: text('display_name').notNull(),
    kind: text('kind', { enum: ['softphone', 'webrtc'] }).notNull(),
    codecs: text('codecs', { mode: 'json' }).$type<string[]>().notNull(),
    maxContacts: integer('max_contacts').notNull().default(1),
    userId: integer('user_id').references(() => users.id, { onDelete: 'set null' }),
    /** May this phone call outside (with its user's permission, see dialout in permissions.ts). */
    dialOut: integer('dial_out', { mode: 'boolean' }).notNull().default(true),
    outboundCallerId: text('outbound_caller_id'),
    /** Do not disturb, set from the phone with a feature code: internal calls get busy. */
    dnd: integer('dnd', { mode: 'boolean' }).notNull().default(false),
    /** Unconditional call forward, set from the phone with a feature code: the number calls go to. */
    forwardTo: text('forward_to'),
  },
  (t) => [uniqueIndex('extensions_tenant_number_unique').on(t.tenantId, t.number), index('extensions_user_idx').on(t.userId)],
);

/** Rota de entrada: a DID (and optionally a caller-id pattern) → a destination. */
export const inboundRoutes = sqliteTable(
  'inbound_routes',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    /** Normalised DID (national digits); the DID decides the tenant. */
    did: text('did').notNull(),
    /** Asterisk pattern or literal number the caller id must match; '' for any caller. */
    cidPattern: text('cid_pattern').notNull().default(''),
    ...destination(),
  },
  (t) => [uniqueIndex('inbound_routes_did_cid_unique').on(t.did, t.cidPattern), index('inbound_routes_tenant_idx').on(t.tenantId)],
);

/** Rota de saída. */
export const outboundRoutes = sqliteTable(
  'outbound_routes',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    /** Order among the tenant's routes when two rules have the same pattern. */
    position: integer('position').notNull(),
    timeConditionId: integer('time_condition_id'),
    /** An agent's manual call through it opens an interaction that is finished only with a tabulation ("Exige tabulação"). */
    requireTabulation: integer('require_tabulation', { mode: 'boolean' }).notNull().default(false),
  },
  (t) => [uniqueIndex('outbound_routes_tenant_name_unique').on(t.tenantId, t.name)],
);

export const outboundRouteRules = sqliteTable(
  'outbound_route_rules',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    routeId: integer('route_id')
      .notNull()
      .references(() => outboundRoutes.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    pattern: text('pattern').notNull(),
    strip: integer('strip').notNull().default(0),
    prefix: text('prefix').notNull().default(''),
    callerId: text('caller_id'),
    forceCallerId: integer('force_caller_id', { mode: 'boolean' }).notNull().default(false),
    restrictTo: text('restrict_to', { mode: 'json' }).$type<string[]>().notNull(),
    /** Dial Brazilian numbers locally or as long distance from the tenant's DDD. */
    brazilFormat: integer('brazil_format', { mode: 'boolean' }).notNull().default(false),
    /** Carrier selection code (CSP) for long distance and international calls. */
    carrierCode: text('carrier_code'),
  },
  (t) => [index('outbound_route_rules_route_idx').on(t.routeId)],
);

/** The trunks of a route, in failover order: a SIP trunk or an E1 channel group. */
export const outboundRouteTrunks = sqliteTable(
  'outbound_route_trunks',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    tenantId: tenantColumn(),
    routeId: integer('route_id')
      .notNull()
      .references(() => outboundRoutes.id, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    trunkId: integer('trunk_id').references(() => sipTrunks.id),
    e1Group: integer('e1_group'),
  },
  (t) => [index('outbound_route_trunks_route_idx').on(t.routeId), index('outbound_route_trunks_trunk_idx').on(t.trunkId)],
);

/** Classe de música de espera: its prompts (by id, from the prompts module) in order. */
export const mohClasses = sqliteTable(
  'moh_classes',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    random: integer('random', { mode: 'boolean' }).notNull().default(false),
    promptIds: text('prompt_ids', { mode: 'json' }).$type<number[]>().notNull(),
  },
  (t) => [uniqueIndex('moh_classes_tenant_name_unique').on(t.tenantId, t.name)],
);

/** Anúncio: prompts played in order, then a destination. */
export const announcements = sqliteTable(
  'announcements',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    promptIds: text('prompt_ids', { mode: 'json' }).$type<number[]>().notNull(),
    ...destination(),
  },
  (t) => [uniqueIndex('announcements_tenant_name_unique').on(t.tenantId, t.name)],
);

/** Conferência. */
export const conferences = sqliteTable(
  'conferences',
  {
    ...resourceColumns(),
    name: text('name').notNull(),
    number: text('number').notNull(),
    pin: text('pin'),
    maxMembers: integer('max_members'),
  },
  (t) => [uniqueIndex('conferences_tenant_number_unique').on(t.tenantId, t.number)],
);

/**
 * SIP general settings: server-wide, one row (id 1). PJSIP transports and the defaults every
 * phone and trunk inherits belong to the one Asterisk, not to a tenant; only super users change them.
 */
export const sipSettings = sqliteTable('sip_settings', {
  id: integer('id').primaryKey(),
  udpPort: integer('udp_port').notNull().default(5060),
  tcpEnabled: integer('tcp_enabled', { mode: 'boolean' }).notNull().default(true),
  wssEnabled: integer('wss_enabled', { mode: 'boolean' }).notNull().default(true),
  externalAddress: text('external_address'),
  localNets: text('local_nets', { mode: 'json' }).$type<string[]>().notNull(),
  videoSupport: integer('video_support', { mode: 'boolean' }).notNull().default(false),
  sessionTimers: text('session_timers', { enum: ['no', 'yes', 'required', 'always'] }).notNull().default('no'),
  language: text('language').notNull().default('pt_BR'),
  phoneQualifySeconds: integer('phone_qualify_seconds').notNull().default(30),
  trunkQualifySeconds: integer('trunk_qualify_seconds').notNull().default(60),
  /** Q.850 cause for a call to a DID no inbound route knows (a span or trunk may override it). */
  unknownDidCause: integer('unknown_did_cause').notNull().default(1),
  /** Q.850 cause a caller on a tenant's inbound blacklist is refused with, before answer (21: call rejected, SIP 403). */
  blacklistCause: integer('blacklist_cause').notNull().default(21),
  updatedAt: integer('updated_at').notNull(),
});
