import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../http/deps.js';
import { Id } from '../http/schemas.js';
import type { ChangeContext } from '../org/index.js';
import { IdParams, Password, UserView } from '../org/org.schemas.js';
import { SESSION_COOKIE, type LoginOutcome } from './auth.model.js';
import { clientIp } from './auth.plugin.js';
import { MODULES, ACTIONS, DEFAULT_PERMISSIONS } from './permissions.js';
import { actorOf, principalOf } from './tenant-scope.js';

const closed = { additionalProperties: false } as const;
const TenantRef = Type.Object({ id: Type.Integer(), legalName: Type.String(), active: Type.Boolean() });
const MeView = Type.Object({
  ...UserView.properties,
  permissions: Type.Array(Type.String(), { description: '"module:action" strings this user holds (super users may do everything)' }),
  totpEnabled: Type.Boolean(),
  tenant: Type.Object(TenantRef.properties, { description: 'the user’s own tenant' }),
  activeTenant: Type.Object(TenantRef.properties, {
    description: 'the tenant requests act on when they name none: a super user’s choice, else the own tenant',
  }),
  switchableTenants: Type.Optional(
    Type.Array(TenantRef, { description: 'super users only: every tenant, for PUT /api/v1/me/tenant' }),
  ),
});
const LoginAnswer = Type.Object({
  totpRequired: Type.Boolean({ description: 'true: send the code with `challenge` to /auth/login/totp' }),
  challenge: Type.Optional(Type.String()),
  user: Type.Optional(MeView),
});
const NoContent = { 204: Type.Null() };
const tags = ['auth'];
const self = (action: 'read' | 'write', allowWhilePasswordChangeRequired = false) => ({
  access: { module: 'self', action },
  ...(allowWhilePasswordChangeRequired ? { allowWhilePasswordChangeRequired } : {}),
});

const meta = (req: FastifyRequest) => ({ ip: clientIp(req), userAgent: req.headers['user-agent'] });
const ctxOf = (req: FastifyRequest): ChangeContext => ({ actor: actorOf(req), ip: req.ip, requestId: req.id });

/** Login, logout, /me, password change and reset, TOTP. */
export const authRoutes: FastifyPluginAsync<AppDeps> = async (instance, deps) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const auth = instance.auth;

  // The cookie that ends a session carries the same attributes as the one that opened it.
  const cookieOptions = { httpOnly: true, sameSite: 'strict', secure: deps.config.http.cookieSecure, path: '/' } as const;
  const answer = (reply: FastifyReply, outcome: LoginOutcome) => {
    if (outcome.kind === 'totp') return { totpRequired: true, challenge: outcome.challenge };
    void reply.setCookie(SESSION_COOKIE, outcome.token, cookieOptions);
    return { totpRequired: false, user: outcome.me };
  };

  app.post(
    '/auth/login',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Log in with an identifier and password; sets the session cookie, or asks for the TOTP code',
        description:
          'The identifier is a login name, e-mail, matrícula (employeeNumber) or CPF. A login name always names its user; otherwise the identifier must name exactly one user in all tenants — an identifier shared by several users is refused with the same 401 as a wrong password.',
        security: [],
        body: Type.Object(
          {
            login: Type.String({ minLength: 1, maxLength: 200, description: 'login name, e-mail, matrícula or CPF' }),
            password: Type.String({ minLength: 1, maxLength: 256 }),
          },
          closed,
        ),
        response: { 200: LoginAnswer },
      },
    },
    async (req, reply) => answer(reply, await auth.login(req.body.login, req.body.password, meta(req))),
  );

  app.post(
    '/auth/login/totp',
    {
      config: { public: true },
      schema: {
        tags,
        summary: 'Second login step: a TOTP code or an unused recovery code',
        security: [],
        body: Type.Object(
          { challenge: Type.String({ minLength: 1, maxLength: 100 }), code: Type.String({ minLength: 6, maxLength: 20 }) },
          closed,
        ),
        response: { 200: LoginAnswer },
      },
    },
    async (req, reply) => answer(reply, auth.loginTotp(req.body.challenge, req.body.code, meta(req))),
  );

  app.post(
    '/auth/logout',
    { config: self('write', true), schema: { tags, summary: 'End this session (server-side)', response: NoContent } },
    async (req, reply) => {
      auth.logout(principalOf(req));
      void reply.clearCookie(SESSION_COOKIE, cookieOptions);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/me',
    { config: self('read', true), schema: { tags, summary: 'The logged-in user and its permissions', response: { 200: MeView } } },
    async (req) => {
      const p = principalOf(req);
      return auth.me(p.userId, p.activeTenantId);
    },
  );

  app.put(
    '/me/tenant',
    {
      config: self('write'),
      schema: {
        tags,
        summary: 'Choose the tenant this session acts on (super users; anyone else may name only their own)',
        description:
          'Lists, creates and the events socket of this session then use that tenant when a request names none; `?tenantId=` still overrides it per request. Other sessions of the user are not affected.',
        body: Type.Object({ tenantId: Id }, closed),
        response: { 200: MeView },
      },
    },
    async (req) => auth.setActiveTenant(principalOf(req), req.body.tenantId),
  );

  app.post(
    '/auth/password',
    {
      config: self('write', true),
      schema: {
        tags,
        summary: 'Change your own password; your other sessions end',
        body: Type.Object({ currentPassword: Type.String({ minLength: 1, maxLength: 256 }), newPassword: Password }, closed),
        response: { 200: MeView },
      },
    },
    async (req) => auth.changePassword(ctxOf(req), req.body.currentPassword, req.body.newPassword, meta(req)),
  );

  app.post(
    '/auth/totp/enrol',
    {
      config: self('write'),
      schema: {
        tags,
        summary: 'Start TOTP enrolment (needs your password): a secret and its otpauth:// URI (show as QR code)',
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, closed),
        response: { 200: Type.Object({ secret: Type.String(), otpauthUri: Type.String() }) },
      },
    },
    async (req) => auth.enrolTotp(actorOf(req), req.body.password, meta(req)),
  );

  app.post(
    '/auth/totp/confirm',
    {
      config: self('write'),
      schema: {
        tags,
        summary: 'Activate TOTP with a first code; answers 10 one-time recovery codes, shown only now',
        body: Type.Object({ code: Type.String({ maxLength: 6, pattern: '^[0-9]{6}$' }) }, closed),
        response: { 200: Type.Object({ recoveryCodes: Type.Array(Type.String()) }) },
      },
    },
    async (req) => auth.confirmTotp(ctxOf(req), req.body.code),
  );

  app.post(
    '/auth/totp/disable',
    {
      config: self('write'),
      schema: {
        tags,
        summary: 'Turn TOTP off (needs your password)',
        body: Type.Object({ password: Type.String({ minLength: 1, maxLength: 256 }) }, closed),
        response: NoContent,
      },
    },
    async (req, reply) => {
      await auth.disableTotp(ctxOf(req), req.body.password, meta(req));
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/users/:id/password-reset',
    {
      config: { access: { module: 'users', action: 'write' } },
      schema: {
        tags: ['users'],
        summary: 'Admin reset: sets a password (generated when omitted) to be changed at next login; ends the user’s sessions',
        params: IdParams,
        body: Type.Object(
          { newPassword: Type.Optional(Password), disableTotp: Type.Optional(Type.Boolean({ description: 'also remove the second factor' })) },
          closed,
        ),
        response: { 200: Type.Object({ user: UserView, temporaryPassword: Type.Optional(Type.String()) }) },
      },
    },
    async (req) => auth.resetPassword(ctxOf(req), req.params.id, req.body),
  );

  app.get(
    '/permissions',
    {
      config: { access: { module: 'profiles', action: 'read' } },
      schema: {
        tags: ['profiles'],
        summary: 'The catalogue of modules and actions a profile can grant, and each level’s defaults',
        response: {
          200: Type.Object({
            modules: Type.Array(Type.Object({ module: Type.String(), description: Type.String(), actions: Type.Array(Type.String()) })),
            defaults: Type.Record(Type.String(), Type.Array(Type.String())),
          }),
        },
      },
    },
    async () => ({
      modules: Object.entries(MODULES).map(([module, description]) => ({ module, description, actions: [...ACTIONS] })),
      defaults: Object.fromEntries(Object.entries(DEFAULT_PERMISSIONS).map(([k, v]) => [k, [...v]])),
    }),
  );
};
