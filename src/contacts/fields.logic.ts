/**
 * Custom fields: what a value must look like for its definition (type, mask, options,
 * limits), and the value as stored. Pure; used by manual edits, forms and the CSV importer.
 */
export type FieldType = 'text' | 'number' | 'date' | 'select';

export interface FieldRule {
  key: string;
  label: string;
  type: FieldType;
  mask: string | null;
  required: boolean;
  options: readonly string[] | null;
  maxLength: number | null;
  min: number | null;
  max: number | null;
}

export type FieldValue = string | number;
export type FieldCheck = { ok: true; value: FieldValue | null } | { ok: false; message: string };

export const TEXT_MAX = 500;

/** `9` a digit, `A` a letter, `*` a letter or digit; any other character is literal. */
export function checkMask(mask: string): string | null {
  if (mask.length === 0 || mask.length > 60) return 'a mask has 1 to 60 characters';
  return /[9A*]/.test(mask) ? null : 'a mask needs at least one of 9 (digit), A (letter), * (either)';
}

const slotMatches = (slot: string, c: string): boolean =>
  slot === '9' ? /\d/.test(c) : slot === 'A' ? /\p{L}/u.test(c) : /[\p{L}\d]/u.test(c);
const isSlot = (m: string) => m === '9' || m === 'A' || m === '*';

/**
 * The value with the mask's literals in place, whether it was typed with them
 * (`01310-100`) or without (`01310100`); null if it does not fit.
 */
export function applyMask(mask: string, value: string): string | null {
  if (value.length === mask.length && [...mask].every((m, i) => (isSlot(m) ? slotMatches(m, value[i]!) : m === value[i]))) return value;
  const slots = [...mask].filter(isSlot);
  const bare = [...value];
  if (bare.length !== slots.length || !bare.every((c, i) => slotMatches(slots[i]!, c))) return null;
  let i = 0;
  return [...mask].map((m) => (isSlot(m) ? bare[i++] : m)).join('');
}

/** `2026-01-31` or `31/01/2026` → `2026-01-31` if the day exists. */
export function parseDate(value: string): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  const br = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(value);
  const [y, m, d] = iso ? [iso[1], iso[2], iso[3]] : br ? [br[3], br[2], br[1]] : [];
  if (!y || !m || !d) return null;
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d) ? `${y}-${m}-${d}` : null;
}

/** A number as JSON gives it, or as text with `.` or `,` before the decimals. */
function parseNumber(value: FieldValue): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (!/^-?\d{1,15}([.,]\d{1,6})?$/.test(value)) return null;
  return Number(value.replace(',', '.'));
}

/** Checks one value (absent values: `undefined`, `null` or blank text). */
export function checkFieldValue(rule: FieldRule, value: FieldValue | null | undefined): FieldCheck {
  const blank = value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  if (blank) return rule.required ? { ok: false, message: `"${rule.label}" is required` } : { ok: true, value: null };
  if (rule.type === 'number') {
    const n = parseNumber(typeof value === 'string' ? value.trim() : value);
    if (n === null) return { ok: false, message: `"${rule.label}" must be a number` };
    if (rule.min !== null && n < rule.min) return { ok: false, message: `"${rule.label}" must be at least ${rule.min}` };
    if (rule.max !== null && n > rule.max) return { ok: false, message: `"${rule.label}" must be at most ${rule.max}` };
    return { ok: true, value: n };
  }
  if (typeof value !== 'string') return { ok: false, message: `"${rule.label}" must be text` };
  const text = value.trim();
  if (rule.type === 'date') {
    const date = parseDate(text);
    return date ? { ok: true, value: date } : { ok: false, message: `"${rule.label}" must be a date (AAAA-MM-DD or DD/MM/AAAA)` };
  }
  if (rule.type === 'select') {
    return rule.options?.includes(text) ? { ok: true, value: text } : { ok: false, message: `"${rule.label}" must be one of: ${(rule.options ?? []).map((o) => `"${o}"`).join(', ')}` };
  }
  const limit = rule.maxLength ?? TEXT_MAX;
  if (text.length > limit) return { ok: false, message: `"${rule.label}" has more than ${limit} characters` };
  if (rule.mask) {
    const masked = applyMask(rule.mask, text);
    return masked === null ? { ok: false, message: `"${rule.label}" does not fit the mask ${rule.mask}` } : { ok: true, value: masked };
  }
  return { ok: true, value: text };
}

const ASCII = /^[\x20-\x7e]*$/;

/** Lower case without accents: what name search compares (plain ASCII, most names, skips the Unicode decomposition). */
export const searchKey = (s: string): string =>
  (ASCII.test(s) ? s : s.normalize('NFD').replace(/\p{M}/gu, ''))
    .toLowerCase()
    .trim();
