import type { OutgoingMail } from '../mail/index.js';
import type { LinkPurpose } from './account.model.js';

/**
 * The link mailed to a user: `<public URL>/reset-password#token=…` or `/first-access#token=…`.
 * The token rides in the fragment, which browsers never send to a server, so it stays out of
 * access logs and Referer headers; the page reads it and posts it to the API.
 */
export function linkFor(publicUrl: string, purpose: LinkPurpose, token: string): string {
  const page = purpose === 'reset' ? 'reset-password' : 'first-access';
  return `${publicUrl.replace(/\/+$/, '')}/${page}#token=${encodeURIComponent(token)}`;
}

const duration = (minutes: number): { pt: string; en: string } =>
  minutes % 60 === 0 && minutes >= 120
    ? { pt: `${minutes / 60} horas`, en: `${minutes / 60} hours` }
    : minutes === 60
      ? { pt: '1 hora', en: '1 hour' }
      : { pt: `${minutes} minutos`, en: `${minutes} minutes` };

/** The "forgot password" mail (Portuguese first, then English). */
export function resetMail(o: { to: string; name: string; login: string; link: string; validMinutes: number }): OutgoingMail {
  const d = duration(o.validMinutes);
  return {
    to: o.to,
    subject: 'Atende: redefinição de senha / password reset',
    text: [
      `Olá, ${o.name}.`,
      '',
      `Recebemos um pedido para redefinir a senha do usuário ${o.login} no Atende. Para escolher uma nova senha, abra o link abaixo. Ele vale por ${d.pt} e só pode ser usado uma vez:`,
      '',
      o.link,
      '',
      'Se você não fez esse pedido, ignore esta mensagem: sua senha continua a mesma.',
      '',
      '---',
      '',
      `Hello, ${o.name}. Someone asked to reset the password of the Atende user ${o.login}. To choose a new password, open the link above; it works once, for ${d.en}. If it was not you, ignore this message: your password has not changed.`,
    ].join('\n'),
  };
}

/** The first-access mail an admin sends to a new user. */
export function accessMail(o: { to: string; name: string; login: string; tenant: string; link: string; validHours: number }): OutgoingMail {
  const d = duration(o.validHours * 60);
  return {
    to: o.to,
    subject: 'Atende: seu acesso / your access',
    text: [
      `Olá, ${o.name}.`,
      '',
      `Você tem um usuário no Atende (${o.tenant}). Seu login é: ${o.login}`,
      '',
      `Para escolher sua senha e entrar, abra o link abaixo. Ele vale por ${d.pt} e só pode ser usado uma vez:`,
      '',
      o.link,
      '',
      '---',
      '',
      `Hello, ${o.name}. You have an Atende user (${o.tenant}); your login is ${o.login}. To choose your password, open the link above; it works once, for ${d.en}.`,
    ].join('\n'),
  };
}
