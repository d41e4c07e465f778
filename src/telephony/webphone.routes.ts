/**
 * The webphone's account: the SIP credentials of the logged-in user's own extension, for the
 * browser to register over WebSocket. Only that user gets them, and only through this route;
 * the answer is never cached.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { actorOf } from '../auth/index.js';
import { AppError } from '../kernel/errors.js';

export interface WebphoneAccount {
  /** SIP user, auth user and AOR (chan_pjsip names all three alike). */
  sipUser: string;
  password: string;
  /** `ws://host:port/ws` or `wss://…`: res_pjsip_transport_websocket. */
  wsUrl: string;
  /** The SIP domain the phone registers in. */
  domain: string;
  displayName: string;
}

/** Where an extension's credentials come from (the emulator, or the applied configuration). */
export interface WebphoneAccounts {
  forExtension(extension: string, displayName: string): WebphoneAccount | undefined;
}

const tags = ['webphone'];

const AccountView = Type.Object({
  sipUser: Type.String(),
  password: Type.String(),
  wsUrl: Type.String(),
  domain: Type.String(),
  displayName: Type.String(),
});

export function webphoneRoutes(accounts: WebphoneAccounts): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/webphone/account',
      {
        config: { access: { module: 'self', action: 'read' } },
        schema: {
          tags,
          summary: 'The SIP credentials of my own extension, for the webphone',
          description: '404 `no_extension` when the user has no extension, or it cannot register from a browser.',
          response: { 200: AccountView },
        },
      },
      async (req, reply) => {
        const actor = actorOf(req);
        const user = instance.org.getUser(actor, actor.userId);
        const account = user.extension ? accounts.forExtension(user.extension, user.name) : undefined;
        if (!account) throw new AppError('no_extension', 'you have no extension a browser can register as: ask an administrator for a WebRTC extension', 404);
        void reply.header('cache-control', 'no-store');
        return account;
      },
    );
  };
}
