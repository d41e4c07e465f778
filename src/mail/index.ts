/** The platform's outgoing mail (password resets, access links): settings, sending, the SMTP adapter. */
export { MailService, mailFailed, mailNotConfigured } from './mail.service.js';
export { createSmtpMailer, type SmtpMailerOptions } from './mailer.js';
export { transportOptions } from './mail.logic.js';
export { mailRoutes } from './mail.routes.js';
export { MailError, TLS_MODES, type Mailer, type MailSettings, type MailSettingsView, type OutgoingMail, type TlsMode } from './mail.model.js';
