import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { changeContextOf, clientIp } from '../auth/index.js';
import type { AppDeps } from '../http/deps.js';
import { IdParams, closed } from '../http/schemas.js';
import { Password } from '../org/org.schemas.js';
import { AccountService } from './account.service.js';

const Token = Type.String({ minLength: 20, maxLength: 100, pattern: '^[A-Za-z0-9_-]+$', description: 'from the mailed link (after #token=)' });
const tags = ['auth'];
const open = { public: true } as const;

/**
 * Password links: "forgot password" (public, always the same answer), what a link is for,
 * setting the password through it (public), and an admin's first-access link for a user.
 */
export const accountRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const account = new AccountService(deps, instance.org, instance.auth, instance.mail, instance.audit);

  app.post(
    '/auth/password/forgot',
    {
      config: open,
      schema: {
        tags,
        summary: 'Forgot password: mail a reset link to the user this identifier names',
        description:
          'Always 202 with the same body, whether or not the identifier (login, e-mail, matrícula or CPF) names an active user with an e-mail: the answer never tells whether an account exists. The link opens <ATENDE_PUBLIC_URL>/reset-password#token=… and works once, for ATENDE_PASSWORD_RESET_MINUTES. 429 after 5 requests in 15 minutes from one address or for one identifier.',
        security: [],
        body: Type.Object({ login: Type.String({ minLength: 1, maxLength: 200, description: 'login name, e-mail, matrícula or CPF' }) }, closed),
        response: { 202: Type.Object({ accepted: Type.Literal(true), message: Type.String() }) },
      },
    },
    async (req, reply) => {
      account.requestReset(req.body.login, clientIp(req));
      return reply.status(202).send({
        accepted: true as const,
        message: 'if this identifies a user with an e-mail address, a link to choose a new password is on its way',
      });
    },
  );

  app.post(
    '/auth/password/link',
    {
      config: open,
      schema: {
        tags,
        summary: 'What a mailed link is for: whose password it sets, until when',
        description: '400 naming `token` when the link is unknown, used or expired (one message for all three).',
        security: [],
        body: Type.Object({ token: Token }, closed),
        response: {
          200: Type.Object({
            purpose: Type.Union([Type.Literal('reset'), Type.Literal('first_access')]),
            login: Type.String(),
            name: Type.String(),
            expiresAt: Type.String({ format: 'date-time' }),
          }),
        },
      },
    },
    async (req) => account.linkInfo(req.body.token, clientIp(req)),
  );

  app.post(
    '/auth/password/reset',
    {
      config: { ...open, endsSessions: true },
      schema: {
        tags,
        summary: 'Set the password through a mailed link (reset or first access); every session of the user ends',
        description:
          'The link works once. No change is required at the next login; a user with TOTP still gives the code. 400 naming `token` when the link is unknown, used or expired.',
        security: [],
        body: Type.Object({ token: Token, newPassword: Password }, closed),
        response: { 200: Type.Object({ login: Type.String({ description: 'to fill in the login form' }) }) },
      },
    },
    async (req) => account.setPassword(req.body.token, req.body.newPassword, clientIp(req)),
  );

  app.post(
    '/users/:id/access-link',
    {
      config: { access: { module: 'users', action: 'write' } },
      schema: {
        tags: ['users'],
        summary: 'Mail the user a first-access link to choose a password',
        description:
          'The link opens <ATENDE_PUBLIC_URL>/first-access#token=…, works once, for ATENDE_ACCESS_LINK_HOURS; a newer link replaces older ones. 400 naming `email` when the user has none; 409 `mail_not_configured` or `public_url_missing`; 502 `mail_failed` with the mail server’s answer (the link is then void).',
        params: IdParams,
        response: { 202: Type.Object({ sentTo: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }) },
      },
    },
    async (req, reply) => reply.status(202).send(await account.sendAccessLink(changeContextOf(req), req.params.id)),
  );
};
