import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import { changeContextOf as ctxOf } from '../auth/index.js';
import { Nullable, closed } from '../http/schemas.js';
import type { MailService } from './mail.service.js';

const Tls = Type.Union([Type.Literal('none'), Type.Literal('starttls'), Type.Literal('implicit')], {
  description: 'none: plain text (never upgraded); starttls: STARTTLS required (usually port 587); implicit: TLS from the start (usually 465)',
});
const Host = Type.String({ minLength: 1, maxLength: 253, pattern: '^[A-Za-z0-9.:\\[\\]-]+$' });
const Email = Type.String({ format: 'email', maxLength: 200 });

const SettingsBody = Type.Object(
  {
    host: Host,
    port: Type.Integer({ minimum: 1, maximum: 65535 }),
    tls: Tls,
    username: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 200, description: 'omit or null: no authentication' }))),
    password: Type.Optional(
      Nullable(Type.String({ minLength: 1, maxLength: 500, description: 'write-only: omit to keep the stored one, null to clear it; never returned' })),
    ),
    senderAddress: Type.String({ format: 'email', maxLength: 200, description: 'the From address' }),
    senderName: Type.Optional(Nullable(Type.String({ minLength: 1, maxLength: 100 }))),
  },
  closed,
);
const SettingsView = Type.Object({
  configured: Type.Boolean(),
  settings: Nullable(
    Type.Object({
      host: Type.String(),
      port: Type.Integer(),
      tls: Tls,
      username: Nullable(Type.String()),
      passwordSet: Type.Boolean(),
      senderAddress: Type.String(),
      senderName: Nullable(Type.String()),
      updatedAt: Type.String({ format: 'date-time' }),
      updatedBy: Nullable(Type.Integer()),
    }),
  ),
});

const read = { access: { module: 'system', action: 'read' } } as const;
const write = { access: { module: 'system', action: 'write' } } as const;
const tags = ['settings'];

/** The platform's SMTP settings and a test mail; super users only. */
export const mailRoutes = (mail: MailService): FastifyPluginAsync => async (instance) => {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/settings/mail',
    { config: read, schema: { tags, summary: 'The outgoing mail server (super users); the password is never returned', response: { 200: SettingsView } } },
    async (req) => {
      const settings = mail.settings(ctxOf(req));
      return { configured: settings !== null, settings };
    },
  );

  app.put(
    '/settings/mail',
    { config: write, schema: { tags, summary: 'Set the outgoing mail server (super users)', body: SettingsBody, response: { 200: SettingsView } } },
    async (req) => ({ configured: true, settings: mail.save(ctxOf(req), req.body) }),
  );

  app.post(
    '/settings/mail/test',
    {
      config: write,
      schema: {
        tags,
        summary: 'Send a test message through the stored settings (super users)',
        description: '409 mail_not_configured before settings exist; 502 mail_failed with the server’s answer when it refuses or cannot be reached.',
        body: Type.Object({ to: Email }, closed),
        response: { 200: Type.Object({ sent: Type.Boolean(), messageId: Type.String() }) },
      },
    },
    async (req) => ({ sent: true, ...(await mail.sendTest(ctxOf(req), req.body.to)) }),
  );
};
