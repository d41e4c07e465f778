/**
 * Ramais: an agent's softphone, desk phone or WebRTC webphone. The SIP user (PJSIP endpoint,
 * auth and AOR name) is unique on the server, because one Asterisk serves every tenant; the
 * number is unique in the tenant. The secret is generated strong unless given, shown once in
 * the answer to the create, and never returned again.
 */
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import { extensions, sipTrunks, users } from '../db/schema/index.js';
import { Id, Nullable, RequiredText, Timestamps, closed } from '../http/schemas.js';
import { conflict, invalidField } from '../kernel/index.js';
import { stamps } from './views.js';
import type { ResourceDef, WriteContext } from '../resources/index.js';
import { AUDIO_CODECS, type Codec } from '../telephony/confgen/index.js';
import { assertNumberFree } from './numbering-plan.js';
import { SECRET_PATTERN, generateSecret, weakSecret } from './telephony.logic.js';

export const CodecList = Type.Array(Type.Union(AUDIO_CODECS.map((c) => Type.Literal(c))), {
  minItems: 1,
  maxItems: AUDIO_CODECS.length,
  uniqueItems: true,
  description: 'in order of preference; alaw first for Brazilian networks',
});
export const DEFAULT_CODECS: Codec[] = ['alaw', 'ulaw'];

const SIP_USER = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$';
/** Names Atende gives its own PJSIP objects (transports, templates). */
export const reservedSipName = (name: string): boolean => /^atende-/i.test(name);

export const ExtensionBody = Type.Object(
  {
    number: Type.String({ pattern: '^[0-9]{2,8}$', maxLength: 8, description: 'the number colleagues dial' }),
    sipUser: Type.Optional(Type.String({ pattern: SIP_USER, maxLength: 40, description: 'SIP user and auth name, unique on the server; default: the number' })),
    secret: Type.Optional(Type.String({ minLength: 12, maxLength: 64, pattern: SECRET_PATTERN, description: 'default: a strong generated one, shown once' })),
    displayName: RequiredText({ maxLength: 80, pattern: '^[^"<>\\\\\\r\\n]+$', description: 'caller name shown on other phones' }),
    kind: Type.Optional(Type.Union([Type.Literal('softphone'), Type.Literal('webrtc')], { description: 'softphone or desk phone, or the browser webphone (WSS, DTLS, ICE)' })),
    codecs: Type.Optional(CodecList),
    maxContacts: Type.Optional(Type.Integer({ minimum: 1, maximum: 10, description: 'devices registered at once' })),
    userId: Type.Optional(Nullable(Id)),
    dialOut: Type.Optional(Type.Boolean({ description: 'may call outside (its user also needs dialout:write)' })),
    outboundCallerId: Type.Optional(Nullable(Type.String({ pattern: '^\\+?[0-9]{4,20}$', maxLength: 21, description: 'number shown to the called party on outbound calls' }))),
    dnd: Type.Optional(Type.Boolean({ description: 'do not disturb (also *78 / *79 from the phone)' })),
    forwardTo: Type.Optional(Nullable(Type.String({ pattern: '^[0-9+*#]{2,40}$', maxLength: 40, description: 'forward every call to this number (also *72<number> / *73)' }))),
  },
  closed,
);
export type ExtensionInput = Static<typeof ExtensionBody>;

const extensionFields = {
  id: Type.Integer(),
  tenantId: Type.Integer(),
  number: Type.String(),
  sipUser: Type.String(),
  displayName: Type.String(),
  kind: Type.String(),
  codecs: Type.Array(Type.String()),
  maxContacts: Type.Integer(),
  userId: Nullable(Type.Integer()),
  dialOut: Type.Boolean(),
  outboundCallerId: Nullable(Type.String()),
  dnd: Type.Boolean(),
  forwardTo: Nullable(Type.String()),
  /** The secret is never shown after the create. */
  secretSet: Type.Boolean(),
  ...Timestamps,
};
export const ExtensionView = Type.Object(extensionFields);
export const ExtensionCreated = Type.Object({ ...extensionFields, secret: Type.String({ description: 'shown this once' }) });
export type ExtensionViewT = Static<typeof ExtensionView>;

type Row = typeof extensions.$inferSelect;

/** A PJSIP endpoint name is one namespace for extensions and trunks of every tenant. */
export function sipNameTaken(w: Pick<WriteContext<typeof extensions>, 'db'>, name: string, except: { extensionId?: number; trunkId?: number }): boolean {
  const ext = w.db.select({ id: extensions.id }).from(extensions).where(eq(extensions.sipUser, name)).get();
  if (ext && ext.id !== except.extensionId) return true;
  const trunk = w.db.select({ id: sipTrunks.id }).from(sipTrunks).where(eq(sipTrunks.name, name)).get();
  return trunk !== undefined && trunk.id !== except.trunkId;
}

export const extensionDef: ResourceDef<typeof extensions, ExtensionInput, ExtensionViewT> = {
  label: 'extension',
  entity: 'extension',
  table: extensions,
  unique: { number: extensions.number },
  search: [extensions.number, extensions.displayName, extensions.sipUser],
  sortable: { number: extensions.number, displayName: extensions.displayName },
  filter: (q) => [q.kind === undefined ? undefined : eq(extensions.kind, q.kind as Row['kind'])],
  toColumns(input, w) {
    const sipUser = input.sipUser ?? input.number;
    if (reservedSipName(sipUser)) throw invalidField('sipUser', 'sipUser: names starting with atende- are reserved');
    if (sipNameTaken(w, sipUser, { ...(w.before ? { extensionId: w.before.id } : {}) })) {
      throw conflict(`SIP user ${sipUser} is already used on this server (SIP users are shared by every tenant): choose another sipUser`, { field: input.sipUser === undefined ? 'number' : 'sipUser' });
    }
    assertNumberFree(w.db, w.tenantId, input.number, 'extension');
    const secret = input.secret ?? generateSecret(randomBytes(20));
    const weak = weakSecret(secret, sipUser);
    if (weak) throw invalidField('secret', weak);
    if (input.userId !== undefined && input.userId !== null) {
      const user = w.db.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, input.userId)).get();
      if (!user || user.tenantId !== w.tenantId) throw invalidField('userId', `userId: there is no user ${input.userId} in this tenant`);
    }
    const kind = input.kind ?? 'softphone';
    return {
      number: input.number,
      sipUser,
      secret,
      displayName: input.displayName,
      kind,
      codecs: input.codecs ?? DEFAULT_CODECS,
      // A browser user often opens the webphone in more than one tab.
      maxContacts: input.maxContacts ?? (kind === 'webrtc' ? 3 : 1),
      userId: input.userId ?? null,
      dialOut: input.dialOut ?? true,
      outboundCallerId: input.outboundCallerId ?? null,
      dnd: input.dnd ?? false,
      forwardTo: input.forwardTo ?? null,
    };
  },
  toInput: (row) => ({
    number: row.number,
    sipUser: row.sipUser,
    secret: row.secret,
    displayName: row.displayName,
    kind: row.kind,
    codecs: row.codecs as Codec[],
    maxContacts: row.maxContacts,
    userId: row.userId,
    dialOut: row.dialOut,
    outboundCallerId: row.outboundCallerId,
    dnd: row.dnd,
    forwardTo: row.forwardTo,
  }),
  toView: (row) => ({
    number: row.number,
    sipUser: row.sipUser,
    displayName: row.displayName,
    kind: row.kind,
    codecs: row.codecs,
    maxContacts: row.maxContacts,
    userId: row.userId,
    dialOut: row.dialOut,
    outboundCallerId: row.outboundCallerId,
    dnd: row.dnd,
    forwardTo: row.forwardTo,
    secretSet: row.secret !== '',
    ...stamps(row),
  }),
  revealOnCreate: (row) => ({ secret: row.secret }),
};
