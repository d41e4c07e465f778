/**
 * A caller's number as carriers deliver it in Brazil, brought to E.164 so that routes, the
 * blacklist and reports compare one form. The raw value is kept beside it: a number that does
 * not normalise (an extension, "anonymous", a foreign short code) is still shown as it came.
 * The Brazilian rules are the contacts' (`checkPhone`), with a missing ninth digit put back.
 */
import { checkPhone } from '../contacts/phone.logic.js';

export interface CallerId {
  /** As the channel gave it. */
  raw: string;
  /** `+5511987654321`, or null when the number is not a valid public number. */
  e164: string | null;
}

/**
 * `tenantDdd` completes a local number (8 or 9 digits) the way a caller in the same area
 * dials it. Forms understood: `+55…`/`0055…`/`55…` with DDD, `0` + DDD + number, `0` + carrier
 * code + DDD + number, DDD + number, local number; other countries after `+` or `00`.
 */
export function normaliseCallerId(raw: string, tenantDdd: string | null): CallerId {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return { raw, e164: null };
  const digits = trimmed.replace(/\D/g, '');
  const international = trimmed.startsWith('+') || digits.startsWith('00');
  if (international) {
    const number = digits.replace(/^00/, '');
    if (!number.startsWith('55')) return { raw, e164: number.length >= 8 && number.length <= 15 && number[0] !== '0' ? `+${number}` : null };
  }
  const local = !international && (digits.length === 8 || digits.length === 9);
  if (local && !tenantDdd) return { raw, e164: null };
  const checked = checkPhone(local ? `${tenantDdd}${digits}` : trimmed, { restoreNinthDigit: true });
  return { raw, e164: checked.ok ? `+${checked.number}` : null };
}
