import { parsePhoneNumberFromString } from 'libphonenumber-js';
import { BRAZILIAN_DDDS } from '../org/index.js';

/**
 * Brazilian phone numbers as the dialer and the screen pop need them: DDI 55 + a DDD in
 * service + a landline (8 digits starting 2–5, 12 digits in all) or a mobile (9 digits
 * starting with 9, 13 in all). Spaces, dashes, dots, parentheses and a leading `+`, `0` or
 * `00` are accepted. The common forms are parsed here by hand (an import validates millions
 * of numbers); the rest — a long-distance carrier code (`0 21 11 …`), say — are handed to
 * libphonenumber-js, and what it returns must still pass the rules above.
 */
export type PhoneKind = 'mobile' | 'landline';

export type PhoneProblem = 'empty' | 'characters' | 'country' | 'length' | 'ddd' | 'ninth_digit' | 'landline';

export type PhoneCheck =
  | { ok: true; number: string; ddd: string; kind: PhoneKind }
  | { ok: false; problem: PhoneProblem; message: string };

const fail = (problem: PhoneProblem, message: string): PhoneCheck => ({ ok: false, problem, message });

export interface PhoneOptions {
  /**
   * An 8-digit number starting 6–9 is a mobile written without its ninth digit: put it back
   * (caller ids from older exchanges) instead of refusing it (imports, where the list is fixed).
   */
  restoreNinthDigit?: boolean;
}

/** Checks 55 + DDD + local digits against the Brazilian numbering rules. */
function checkFull(digits: string, options: PhoneOptions): PhoneCheck {
  const ddd = digits.slice(2, 4);
  const local = digits.slice(4);
  if (!BRAZILIAN_DDDS.has(ddd)) return fail('ddd', `DDD ${ddd} is not a Brazilian area code`);
  if (local.length === 9) {
    if (local[0] !== '9') return fail('ninth_digit', `a 9-digit number is a mobile and must start with 9 (got ${local[0]})`);
    return { ok: true, number: digits, ddd, kind: 'mobile' };
  }
  if (local.length === 8) {
    const first = local.charCodeAt(0) - 48;
    if (first >= 2 && first <= 5) return { ok: true, number: digits, ddd, kind: 'landline' };
    if (first >= 6 && options.restoreNinthDigit) return { ok: true, number: `55${ddd}9${local}`, ddd, kind: 'mobile' };
    if (first >= 6) return fail('ninth_digit', 'a mobile number needs the ninth digit: 9 before its 8 digits');
    return fail('landline', `a landline starts with 2, 3, 4 or 5 (got ${first})`);
  }
  return fail('length', `${local.length} digits after the DDD; a landline has 8 and a mobile 9`);
}

const SEPARATORS = /[\s\-().]/g;

export function checkPhone(input: string, options: PhoneOptions = {}): PhoneCheck {
  const raw = input.trim();
  if (raw === '') return fail('empty', 'no number');
  let digits = raw.replace(SEPARATORS, '');
  let international = false;
  if (digits.startsWith('+')) {
    international = true;
    digits = digits.slice(1);
  }
  if (!/^\d+$/.test(digits)) return fail('characters', 'only digits, spaces, dashes, dots, parentheses and a leading + are allowed');
  if (digits.startsWith('00')) {
    international = true;
    digits = digits.slice(2);
  } else if (!international && digits.startsWith('0')) digits = digits.slice(1);
  if (international) {
    if (!digits.startsWith('55')) return fail('country', `+${digits.slice(0, 3)}… is not a Brazilian number (DDI 55)`);
    return digits.length === 12 || digits.length === 13 ? checkFull(digits, options) : fail('length', `${digits.length} digits with the DDI; a landline has 12 and a mobile 13`);
  }
  if (digits.length === 10 || digits.length === 11) return checkFull(`55${digits}`, options);
  if ((digits.length === 12 || digits.length === 13) && digits.startsWith('55')) return checkFull(digits, options);
  if (digits.length > 11 && raw.replace(SEPARATORS, '').startsWith('0')) {
    // 0 + carrier code + DDD + number: the library knows how Brazilian carrier selection is written.
    const parsed = parsePhoneNumberFromString(raw, 'BR');
    if (parsed?.countryCallingCode === '55') return checkFull(`55${parsed.nationalNumber}`, options);
  }
  return fail('length', `${digits.length} digits; expected DDD + number (10 or 11) or 55 + DDD + number (12 or 13)`);
}

/** The number as a Brazilian reads it: `+55 (11) 98765-4321`. */
export function formatPhone(number: string): string {
  if (!/^55\d{10,11}$/.test(number)) return number;
  const local = number.slice(4);
  const cut = local.length - 4;
  return `+55 (${number.slice(2, 4)}) ${local.slice(0, cut)}-${local.slice(cut)}`;
}

/**
 * What a search for `input` should match: the full number when it normalises, else the digits
 * a number ends with (an agent typing `98765-4321` without the DDD). Null: no digits to search.
 */
export function phoneSearchKey(input: string): { exact: string } | { suffix: string } | null {
  const checked = checkPhone(input);
  if (checked.ok) return { exact: checked.number };
  const digits = input.replace(/\D/g, '');
  return digits.length >= 4 ? { suffix: digits } : null;
}
