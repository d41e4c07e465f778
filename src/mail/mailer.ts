/**
 * The SMTP adapter: the only file that imports nodemailer. One connection per message: the
 * platform sends a few mails an hour (resets, access links), not bulk.
 */
import nodemailer from 'nodemailer';
import { MailError, type Mailer, type MailSettings } from './mail.model.js';
import { transportOptions } from './mail.logic.js';

export interface SmtpMailerOptions {
  /** Extra certificate authorities to trust (a company's own CA, or a test's). */
  ca?: string | Buffer;
  timeoutMs?: number;
}

export function createSmtpMailer(o: SmtpMailerOptions = {}): Mailer {
  return {
    async send(settings: MailSettings, mail) {
      const transport = nodemailer.createTransport({
        ...transportOptions(settings, o.timeoutMs ?? 15_000),
        ...(o.ca ? { tls: { ca: o.ca } } : {}),
      });
      try {
        const info = await transport.sendMail({
          from: settings.senderName ? { name: settings.senderName, address: settings.senderAddress } : settings.senderAddress,
          to: mail.to,
          subject: mail.subject,
          text: mail.text,
        });
        return { messageId: info.messageId };
      } catch (err) {
        throw new MailError((err as Error).message);
      } finally {
        transport.close();
      }
    },
  };
}
