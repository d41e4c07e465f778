import { checkPhone } from './phone.logic.js';

/**
 * What a blacklist entry stores and matches. A whole number is kept as 55 + DDD + number when
 * it is a Brazilian number; an inbound entry may also be any caller ID of digits (a foreign or
 * short number). A prefix is digits that the normalised number starts with (`5511` blocks São
 * Paulo; `550800` the toll-free range).
 */
export type BlacklistKey = { ok: true; number: string } | { ok: false; message: string };

export function blacklistKey(direction: 'inbound' | 'outbound', match: 'number' | 'prefix', input: string): BlacklistKey {
  const digits = input.trim().replace(/[\s\-().+]/g, '');
  if (match === 'prefix') {
    return /^\d{2,13}$/.test(digits) ? { ok: true, number: digits } : { ok: false, message: 'a prefix is 2 to 13 digits, e.g. 5511' };
  }
  const phone = checkPhone(input);
  if (phone.ok) return { ok: true, number: phone.number };
  if (direction === 'inbound' && /^\d{3,20}$/.test(digits)) return { ok: true, number: digits };
  return { ok: false, message: phone.message };
}

/** The forms a dialled or calling number is compared in: normalised when it can be, raw digits too. */
export function candidateKeys(number: string): string[] {
  const phone = checkPhone(number);
  const digits = number.replace(/\D/g, '');
  return phone.ok && phone.number !== digits ? [phone.number, digits] : [digits];
}
