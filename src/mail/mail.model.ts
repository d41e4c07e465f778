/** The platform's outgoing mail: settings, messages and the port the SMTP adapter implements. */

export type TlsMode = 'none' | 'starttls' | 'implicit';
export const TLS_MODES: readonly TlsMode[] = ['none', 'starttls', 'implicit'];

/** What is stored (the password included: it is needed to log in to the server). */
export interface MailSettings {
  host: string;
  port: number;
  tls: TlsMode;
  username: string | null;
  password: string | null;
  senderAddress: string;
  senderName: string | null;
}

/** What the API shows: never the password, only whether one is set. */
export interface MailSettingsView extends Omit<MailSettings, 'password'> {
  passwordSet: boolean;
  updatedAt: string;
  updatedBy: number | null;
}

/** A change from the API. `password`: omitted keeps it, null clears it. */
export interface MailSettingsInput extends Omit<MailSettings, 'password' | 'username' | 'senderName'> {
  username?: string | null;
  password?: string | null;
  senderName?: string | null;
}

export interface OutgoingMail {
  to: string;
  subject: string;
  text: string;
}

/** Sends one message through an SMTP server; rejects with `MailError` when the server refuses. */
export interface Mailer {
  send(settings: MailSettings, mail: OutgoingMail): Promise<{ messageId: string }>;
}

/** The SMTP server could not be reached or refused the message; `message` says what it answered. */
export class MailError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MailError';
  }
}
