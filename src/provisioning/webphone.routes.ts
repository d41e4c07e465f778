/**
 * The webphone's account: the SIP credentials of the logged-in user's own WebRTC extension
 * (Ramais, kind `webrtc`, linked to the user), for the browser to register over WebSocket.
 * Only that user gets them, and only through this route; the answer is never cached. Asterisk
 * checks them against the applied configuration, so an extension not applied yet is refused
 * by the phone's registration, as it would be on a real server.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../auth/index.js';
import { AppError } from '../kernel/errors.js';
import type { extensions } from '../db/schema/index.js';

type ExtensionRow = typeof extensions.$inferSelect;

export interface WebphoneRouteDeps {
  /** The tenant's extensions. */
  extensions(tenantId: number): ExtensionRow[];
  /** Where browsers reach Asterisk's SIP WebSocket; undefined when none is configured. */
  wsUrl: string | undefined;
}

const tags = ['webphone'];

const AccountView = Type.Object({
  sipUser: Type.String({ description: 'SIP user, auth user and AOR (chan_pjsip names all three alike)' }),
  password: Type.String(),
  wsUrl: Type.String({ description: 'res_pjsip_transport_websocket: wss://host:port/ws' }),
  domain: Type.String({ description: 'the SIP domain the phone registers in' }),
  extension: Type.String({ description: 'the number colleagues dial' }),
  displayName: Type.String(),
});

/** The user's WebRTC extension: the one numbered as the user's extension if several are linked. */
function webrtcExtensionOf(rows: readonly ExtensionRow[], userId: number, preferred: string | null): ExtensionRow | undefined {
  const mine = rows.filter((r) => r.kind === 'webrtc' && r.userId === userId);
  return mine.find((r) => r.number === preferred) ?? mine.sort((a, b) => (a.number < b.number ? -1 : 1))[0];
}

export function webphoneRoutes(deps: WebphoneRouteDeps): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/webphone/account',
      {
        config: { access: { module: 'self', action: 'read' } },
        schema: {
          tags,
          summary: 'The SIP credentials of my own WebRTC extension, for the webphone',
          description:
            '404 `no_extension` when no WebRTC extension is linked to the user; 503 `webphone_not_configured` when the address of Asterisk’s SIP WebSocket is not configured (ATENDE_WEBPHONE_WS_URL).',
          response: { 200: AccountView },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const user = instance.org.getUser(actor, actor.userId);
        const ext = webrtcExtensionOf(deps.extensions(actor.tenantId), actor.userId, user.extension);
        if (!ext) throw new AppError('no_extension', 'you have no WebRTC extension: ask an administrator to link one to your user', 404);
        if (!deps.wsUrl) throw new AppError('webphone_not_configured', 'the address of the telephony server’s SIP WebSocket is not configured (ATENDE_WEBPHONE_WS_URL)', 503);
        void reply.header('cache-control', 'no-store');
        return {
          sipUser: ext.sipUser,
          password: ext.secret,
          wsUrl: deps.wsUrl,
          domain: new URL(deps.wsUrl).hostname,
          extension: ext.number,
          displayName: ext.displayName,
        };
      },
    );
  };
}
