/**
 * A caller's number as carriers deliver it in Brazil, brought to E.164 so that routes, the
 * blacklist and reports compare one form. The raw value is kept beside it: a number that does
 * not normalise (an extension, "anonymous", a foreign short code) is still shown as it came.
 */
import { BRAZILIAN_DDDS } from '../org/org.logic.js';

export interface CallerId {
  /** As the channel gave it. */
  raw: string;
  /** `+5511987654321`, or null when the number is not a valid public number. */
  e164: string | null;
}

/** DDD + local number (8-digit landline, 9-digit mobile starting 9) → E.164, or null. */
function national(digits: string): string | null {
  const ddd = digits.slice(0, 2);
  let local = digits.slice(2);
  if (!BRAZILIAN_DDDS.has(ddd)) return null;
  // A mobile sent without its ninth digit (older exchanges still do) gets it back.
  if (local.length === 8 && /^[6-9]/.test(local)) local = `9${local}`;
  if (local.length === 8 && !/^[2-5]/.test(local)) return null;
  if (local.length === 9 && local[0] !== '9') return null;
  if (local.length !== 8 && local.length !== 9) return null;
  return `+55${ddd}${local}`;
}

/**
 * `tenantDdd` completes a local number (8 or 9 digits) the way a caller in the same area
 * dials it. Forms understood: `+55…`/`0055…`/`55…` with DDD, `0` + DDD + number, `0` + carrier
 * code + DDD + number, DDD + number, local number; other countries after `+` or `00`.
 */
export function normaliseCallerId(raw: string, tenantDdd: string | null): CallerId {
  const trimmed = raw.trim();
  const international = trimmed.startsWith('+') || trimmed.replace(/\D/g, '').startsWith('00');
  if (!/^\+?[\d\s().-]+$/.test(trimmed)) return { raw, e164: null };
  let digits = trimmed.replace(/\D/g, '');
  if (international) {
    digits = digits.replace(/^00/, '');
    if (digits.startsWith('55')) return { raw, e164: national(digits.slice(2)) };
    return { raw, e164: digits.length >= 8 && digits.length <= 15 && digits[0] !== '0' ? `+${digits}` : null };
  }
  const n = digits.length;
  let e164: string | null = null;
  if (n === 8 || n === 9) e164 = tenantDdd ? national(`${tenantDdd}${digits}`) : null;
  else if (n === 10 || n === 11) e164 = digits[0] === '0' ? national(digits.slice(1)) : national(digits);
  else if (n === 12 || n === 13) {
    if (digits.startsWith('55')) e164 = national(digits.slice(2));
    // 0 + DDD + 9 digits, or 0 + carrier code + DDD + 8 digits.
    else if (digits[0] === '0') e164 = (n === 12 ? national(digits.slice(1)) : null) ?? national(digits.slice(3));
  } else if (n === 14 && digits[0] === '0') e164 = national(digits.slice(3));
  return { raw, e164 };
}
