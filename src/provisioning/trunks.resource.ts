/**
 * Troncos SIP: a provider reached over SIP, with or without registration. Its name is the
 * PJSIP endpoint Asterisk knows and is unique on the server. The secret is never returned.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { Db } from '../db/client.js';
import { eq } from 'drizzle-orm';
import { sipTrunks } from '../db/schema/index.js';
import { Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import { stamps } from './views.js';
import type { ResourceDef } from '../resources/index.js';
import type { Codec } from '../telephony/confgen/index.js';
import { CodecList, DEFAULT_CODECS, reservedSipName, sipNameTaken } from './extensions.resource.js';
import { HOST_PATTERN, SECRET_PATTERN, parseExtraOptions, parseRegisterString } from './telephony.logic.js';

const Cause = Type.Integer({ minimum: 1, maximum: 127, description: 'Q.850 cause' });

export const TrunkBody = Type.Object(
  {
    name: RequiredText({ pattern: '^[A-Za-z][A-Za-z0-9_-]{0,39}$', maxLength: 40, description: 'PJSIP endpoint name, unique on the server' }),
    description: Type.Optional(Type.String({ maxLength: 200 })),
    host: Type.Optional(Type.String({ maxLength: 253, pattern: HOST_PATTERN, description: 'the provider’s address or host name' })),
    port: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 65535 }))),
    transport: Type.Optional(Type.Union([Type.Literal('udp'), Type.Literal('tcp')])),
    codecs: Type.Optional(CodecList),
    authUser: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 80, pattern: '^[^\\s:@;"\\\\]+$' }))),
    secret: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 80, pattern: SECRET_PATTERN }))),
    register: Type.Optional(Type.Boolean({ description: 'send REGISTER to the provider (needs authUser and secret)' })),
    contactUser: Type.Optional(Nullable(Type.String({ maxLength: 40, pattern: '^[A-Za-z0-9+*#_.-]+$', description: 'the /extension of the register string' }))),
    registerString: Type.Optional(Type.String({ maxLength: 300, description: 'user:secret@host[:port]/extension, as providers give it; fills the fields above' })),
    expirationSeconds: Type.Optional(Type.Integer({ minimum: 60, maximum: 3600 })),
    fromUser: Type.Optional(Nullable(Type.String({ maxLength: 80, pattern: '^[^\\s:@;"\\\\]+$' }))),
    fromDomain: Type.Optional(Nullable(Type.String({ maxLength: 253, pattern: HOST_PATTERN }))),
    outboundProxy: Type.Optional(Nullable(Type.String({ maxLength: 260, pattern: '^sips?:[A-Za-z0-9.-]+(:[0-9]{1,5})?$' }))),
    maxChannels: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 1000, description: 'simultaneous calls Atende allows on it' }))),
    extraOptions: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 30, description: 'more PJSIP endpoint options, one key=value each' })),
    unknownDidCause: Type.Optional(Nullable(Cause)),
  },
  closed,
);
export type TrunkInput = Static<typeof TrunkBody>;

export const TrunkView = Type.Object({
  id: Type.Integer(),
  tenantId: Type.Integer(),
  name: Type.String(),
  description: Type.String(),
  host: Type.String(),
  port: Nullable(Type.Integer()),
  transport: Type.String(),
  codecs: Type.Array(Type.String()),
  authUser: Nullable(Type.String()),
  secretSet: Type.Boolean(),
  register: Type.Boolean(),
  contactUser: Nullable(Type.String()),
  /** The register string without its secret: `user@host/extension`. */
  registration: Nullable(Type.String()),
  expirationSeconds: Type.Integer(),
  fromUser: Nullable(Type.String()),
  fromDomain: Nullable(Type.String()),
  outboundProxy: Nullable(Type.String()),
  maxChannels: Nullable(Type.Integer()),
  extraOptions: Type.Array(Type.String()),
  unknownDidCause: Nullable(Type.Integer()),
  ...Timestamps,
});
export type TrunkViewT = Static<typeof TrunkView>;

/** The fields an input and the view share (never the secret). */
const fieldsOf = (row: typeof sipTrunks.$inferSelect) => ({
  name: row.name,
  description: row.description,
  host: row.host,
  port: row.port,
  transport: row.transport,
  codecs: row.codecs as Codec[],
  authUser: row.authUser,
  register: row.register,
  contactUser: row.contactUser,
  expirationSeconds: row.expirationSeconds,
  fromUser: row.fromUser,
  fromDomain: row.fromDomain,
  outboundProxy: row.outboundProxy,
  maxChannels: row.maxChannels,
  extraOptions: row.extraOptions.map(([k, v]) => `${k}=${v}`),
  unknownDidCause: row.unknownDidCause,
});

export const trunkDef: ResourceDef<typeof sipTrunks, TrunkInput, TrunkViewT> = {
  label: 'SIP trunk',
  entity: 'sip_trunk',
  table: sipTrunks,
  search: [sipTrunks.name, sipTrunks.host, sipTrunks.description],
  sortable: { name: sipTrunks.name },
  toColumns(raw, w) {
    let input = raw;
    if (raw.registerString !== undefined) {
      const r = parseRegisterString(raw.registerString);
      if (typeof r === 'string') throw invalidField('registerString', r);
      input = { ...raw, authUser: r.user, secret: r.secret, host: r.host, port: r.port, contactUser: r.exten, register: true };
    }
    if (input.host === undefined) throw invalidField('host', 'host: the provider’s address is required');
    if (reservedSipName(input.name)) throw invalidField('name', 'name: names starting with atende- are reserved');
    if (sipNameTaken(w, input.name, { ...(w.before ? { trunkId: w.before.id } : {}) })) {
      throw conflict(`a SIP trunk or extension named ${input.name} already exists on this server`, { field: 'name' });
    }
    const register = input.register ?? false;
    if (register && !input.authUser) throw invalidField('authUser', 'authUser: a trunk that registers needs the user and secret the provider gave');
    if (register && !input.secret) throw invalidField('secret', 'secret: a trunk that registers needs the user and secret the provider gave');
    if ((input.authUser ? 1 : 0) !== (input.secret ? 1 : 0)) {
      throw invalidField(input.authUser ? 'secret' : 'authUser', 'authUser and secret go together');
    }
    const extra = parseExtraOptions(input.extraOptions ?? []);
    if ('problem' in extra) throw invalidField(`extraOptions[${extra.index}]`, `extraOptions[${extra.index}]: ${extra.problem}`);
    return {
      name: input.name,
      description: input.description ?? '',
      host: input.host,
      port: input.port ?? null,
      transport: input.transport ?? 'udp',
      codecs: input.codecs ?? DEFAULT_CODECS,
      authUser: input.authUser ?? null,
      secret: input.secret ?? null,
      register,
      contactUser: input.contactUser ?? null,
      expirationSeconds: input.expirationSeconds ?? 300,
      fromUser: input.fromUser ?? null,
      fromDomain: input.fromDomain ?? null,
      outboundProxy: input.outboundProxy ?? null,
      maxChannels: input.maxChannels ?? null,
      extraOptions: extra,
      unknownDidCause: input.unknownDidCause ?? null,
    };
  },
  toInput: (row) => ({ ...fieldsOf(row), secret: row.secret }),
  toView: (row) => ({
    ...stamps(row),
    ...fieldsOf(row),
    secretSet: row.secret !== null,
    registration: row.register && row.authUser ? `${row.authUser}@${row.host}${row.port ? `:${row.port}` : ''}${row.contactUser ? `/${row.contactUser}` : ''}` : null,
  }),
};

/** The trunk a PJSIP endpoint name belongs to, with its tenant. */
export const trunkByName = (db: Db, name: string) => db.select().from(sipTrunks).where(eq(sipTrunks.name, name)).get();
