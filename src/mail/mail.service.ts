import type { AuditService } from '../audit/index.js';
import type { Database_ } from '../db/client.js';
import type { ChangeContext } from '../http/principal.js';
import { AppError, forbidden, type Clock, type Logger } from '../kernel/index.js';
import { MailError, type Mailer, type MailSettings, type MailSettingsInput, type MailSettingsView, type OutgoingMail } from './mail.model.js';
import { MailRepo, type MailSettingsRow } from './mail.repo.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** The platform's outgoing mail. */
    mail: MailService;
  }
}

/** 409: nothing can be mailed before a super user configures the SMTP server. */
export const mailNotConfigured = () =>
  new AppError('mail_not_configured', 'outgoing mail is not configured: a super user sets it in PUT /api/v1/settings/mail', 409);

/** 502: the SMTP server was unreachable or refused; its answer is in the message. */
export const mailFailed = (why: string) => new AppError('mail_failed', `the mail server did not accept the message: ${why}`, 502);

const settingsOf = (r: MailSettingsRow): MailSettings => ({
  host: r.host,
  port: r.port,
  tls: r.tls,
  username: r.username,
  password: r.password,
  senderAddress: r.senderAddress,
  senderName: r.senderName,
});

const viewOf = (r: MailSettingsRow): MailSettingsView => {
  const { password, ...rest } = settingsOf(r);
  return { ...rest, passwordSet: Boolean(password), updatedAt: new Date(r.updatedAt).toISOString(), updatedBy: r.updatedBy };
};

/** The platform's outgoing mail: its settings (super users only) and sending through them. */
export class MailService {
  private readonly repo: MailRepo;

  constructor(
    private readonly deps: { database: Database_; clock: Clock; logger: Logger; audit: AuditService; mailer: Mailer },
  ) {
    this.repo = new MailRepo(deps.database.db);
  }

  private superUserOnly(ctx: ChangeContext | { actor: { superUser: boolean } }): void {
    if (!ctx.actor.superUser) throw forbidden('only a super user manages the platform’s mail settings');
  }

  /** The settings without the password; null when never configured. */
  settings(ctx: { actor: { superUser: boolean } }): MailSettingsView | null {
    this.superUserOnly(ctx);
    const row = this.repo.get();
    return row ? viewOf(row) : null;
  }

  configured(): boolean {
    return this.repo.get() !== undefined;
  }

  save(ctx: ChangeContext, input: MailSettingsInput): MailSettingsView {
    this.superUserOnly(ctx);
    return this.deps.database.sqlite.transaction(() => {
      const before = this.repo.get();
      const password = input.password === undefined ? (before?.password ?? null) : input.password;
      const row = this.repo.save({
        tenantId: ctx.actor.tenantId,
        host: input.host,
        port: input.port,
        tls: input.tls,
        username: input.username ?? null,
        password: input.username ? password : null,
        senderAddress: input.senderAddress,
        senderName: input.senderName ?? null,
        updatedAt: this.deps.clock.now(),
        updatedBy: ctx.actor.userId,
      });
      const after = viewOf(row);
      this.deps.audit.record({
        tenantId: ctx.actor.tenantId,
        actor: { userId: ctx.actor.userId, login: ctx.actor.login },
        entity: 'mail_settings',
        entityId: 1,
        action: before ? 'update' : 'create',
        before: before ? viewOf(before) : null,
        after,
        ip: ctx.ip,
        requestId: ctx.requestId,
      });
      return after;
    })();
  }

  /** Sends through the stored settings; 409 when there are none, 502 when the server refuses. */
  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const row = this.repo.get();
    if (!row) throw mailNotConfigured();
    try {
      const sent = await this.deps.mailer.send(settingsOf(row), mail);
      this.deps.logger.info({ to: mail.to, subject: mail.subject, messageId: sent.messageId }, 'mail sent');
      return sent;
    } catch (err) {
      if (err instanceof MailError) {
        this.deps.logger.warn({ to: mail.to, err: err.message, host: row.host, port: row.port }, 'mail not sent');
        throw mailFailed(err.message);
      }
      throw err;
    }
  }

  /** A test message to `to`, to check the settings. */
  sendTest(ctx: { actor: { superUser: boolean } }, to: string): Promise<{ messageId: string }> {
    this.superUserOnly(ctx);
    return this.send({
      to,
      subject: 'Atende: teste de e-mail / mail test',
      text: [
        'Esta é uma mensagem de teste do Atende: o envio de e-mails está funcionando.',
        '',
        'This is a test message from Atende: outgoing mail works.',
      ].join('\n'),
    });
  }
}
