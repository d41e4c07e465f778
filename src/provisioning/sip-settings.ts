/**
 * SIP general settings: the PJSIP transports and the defaults every phone and trunk inherits
 * (NAT, video, session timers, language, qualify), and the cause for calls to unknown DIDs.
 * They belong to the one Asterisk, not to a tenant: every admin reads them, only a super user
 * changes them. One row (id 1), created with the defaults the first time it is read.
 */
import { eq } from 'drizzle-orm';
import { Type, type Static } from '@sinclair/typebox';
import { sipSettings } from '../db/schema/index.js';
import { DateTime, Nullable, closed } from '../http/schemas.js';
import { forbidden, invalidField } from '../kernel/index.js';
import type { ChangeContext, ResourceContext } from '../resources/index.js';
import type { SipSettings } from '../telephony/confgen/index.js';
import { causeText, sipAnswerOfCause } from '../telephony/index.js';

const CIDR = '^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])/([0-9]|[12][0-9]|3[0-2])$';
const IPV4 = '^((25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1?[0-9]?[0-9])$';

export const SipSettingsBody = Type.Object(
  {
    udpPort: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'SIP port for UDP (and TCP)' })),
    tcpEnabled: Type.Optional(Type.Boolean()),
    wssEnabled: Type.Optional(Type.Boolean({ description: 'the WebSocket transport of the WebRTC webphone' })),
    externalAddress: Type.Optional(Nullable(Type.String({ pattern: IPV4, maxLength: 15, description: 'public IP when Asterisk is behind NAT' }))),
    localNets: Type.Optional(Type.Array(Type.String({ pattern: CIDR, maxLength: 18 }), { maxItems: 20, description: 'networks not behind the NAT, e.g. 192.168.0.0/16' })),
    videoSupport: Type.Optional(Type.Boolean()),
    sessionTimers: Type.Optional(Type.Union([Type.Literal('no'), Type.Literal('yes'), Type.Literal('required'), Type.Literal('always')], { description: 'RFC 4028 session timers (no: refuse, as most call centres do)' })),
    language: Type.Optional(Type.String({ pattern: '^[a-z]{2}(_[A-Z]{2})?$', maxLength: 5, description: 'e.g. pt_BR' })),
    phoneQualifySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600, description: 'OPTIONS to phones; 0 turns it off (and phones are never seen unreachable)' })),
    trunkQualifySeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 3600 })),
    unknownDidCause: Type.Optional(Type.Integer({ minimum: 1, maximum: 127, description: 'Q.850 cause for a call to a DID no inbound route knows' })),
  },
  closed,
);
export type SipSettingsPatch = Static<typeof SipSettingsBody>;

export const SipSettingsView = Type.Object({
  udpPort: Type.Integer(),
  tcpEnabled: Type.Boolean(),
  wssEnabled: Type.Boolean(),
  externalAddress: Nullable(Type.String()),
  localNets: Type.Array(Type.String()),
  videoSupport: Type.Boolean(),
  sessionTimers: Type.String(),
  language: Type.String(),
  phoneQualifySeconds: Type.Integer(),
  trunkQualifySeconds: Type.Integer(),
  unknownDidCause: Type.Integer(),
  unknownDidSipAnswer: Type.Object(
    { code: Type.Integer(), reason: Type.String(), causeText: Type.String() },
    { description: 'what a caller on a SIP trunk receives for that cause (chan_pjsip); 603 Decline is final: carriers do not try another route' },
  ),
  updatedAt: DateTime(),
});
export type SipSettingsViewT = Static<typeof SipSettingsView>;

type Row = typeof sipSettings.$inferSelect;

export class SipSettingsService {
  constructor(private readonly ctx: ResourceContext) {}

  private row(): Row {
    const db = this.ctx.database.db;
    return (
      db.select().from(sipSettings).where(eq(sipSettings.id, 1)).get() ??
      db.insert(sipSettings).values({ id: 1, localNets: [], updatedAt: this.ctx.clock.now() }).returning().get()
    );
  }

  view(): SipSettingsViewT {
    const r = this.row();
    return {
      ...this.settings(r),
      unknownDidCause: r.unknownDidCause,
      unknownDidSipAnswer: { ...sipAnswerOfCause(r.unknownDidCause), causeText: causeText(r.unknownDidCause) },
      updatedAt: new Date(r.updatedAt).toISOString() };
  }

  /** What the renderers need. */
  settings(r: Row = this.row()): SipSettings {
    return {
      udpPort: r.udpPort,
      tcpEnabled: r.tcpEnabled,
      wssEnabled: r.wssEnabled,
      externalAddress: r.externalAddress,
      localNets: r.localNets,
      videoSupport: r.videoSupport,
      sessionTimers: r.sessionTimers,
      language: r.language,
      phoneQualifySeconds: r.phoneQualifySeconds,
      trunkQualifySeconds: r.trunkQualifySeconds,
    };
  }

  unknownDidCause(): number {
    return this.row().unknownDidCause;
  }

  update(change: ChangeContext, patch: SipSettingsPatch): SipSettingsViewT {
    if (!change.actor.superUser) throw forbidden('SIP settings belong to the whole server: only a super user changes them');
    const result = this.ctx.database.sqlite.transaction(() => {
      const before = this.view();
      const next = { ...this.row(), ...Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) } as Row;
      if (next.externalAddress !== null && next.localNets.length === 0) {
        throw invalidField('localNets', 'localNets: behind NAT Asterisk must know which networks are local (e.g. 192.168.0.0/16)');
      }
      this.ctx.database.db
        .update(sipSettings)
        .set({ ...patch, updatedAt: this.ctx.clock.now() })
        .where(eq(sipSettings.id, 1))
        .run();
      const after = this.view();
      this.ctx.audit.record({
        tenantId: change.actor.tenantId,
        actor: { userId: change.actor.userId, login: change.actor.login },
        entity: 'sip_settings',
        entityId: 1,
        action: 'update',
        before,
        after,
        ip: change.ip,
        requestId: change.requestId,
      });
      return after;
    })();
    this.ctx.changes.publish({ tenantId: change.actor.tenantId, entity: 'sip_settings', id: 1, action: 'update' });
    return result;
  }
}
