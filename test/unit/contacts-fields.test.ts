import { describe, expect, it } from 'vitest';
import { applyMask, checkFieldValue, checkMask, parseDate, searchKey, type FieldRule } from '../../src/contacts/fields.logic.js';

const rule = (r: Partial<FieldRule>): FieldRule => ({
  key: 'f',
  label: 'Campo',
  type: 'text',
  mask: null,
  required: false,
  options: null,
  maxLength: null,
  min: null,
  max: null,
  ...r,
});

describe('custom field values', () => {
  it('masks: typed with or without literals, refused when they do not fit', () => {
    expect(applyMask('99999-999', '01310-100')).toBe('01310-100');
    expect(applyMask('99999-999', '01310100')).toBe('01310-100');
    expect(applyMask('99999-999', '0131010')).toBeNull();
    expect(applyMask('AA-99', 'SP-12')).toBe('SP-12');
    expect(applyMask('AA-99', '1P12')).toBeNull();
    expect(checkMask('abc')).not.toBeNull();
    expect(checkMask('(99) 9999-9999')).toBeNull();
  });

  it('dates in ISO or Brazilian order, real days only', () => {
    expect(parseDate('2026-02-28')).toBe('2026-02-28');
    expect(parseDate('28/02/2026')).toBe('2026-02-28');
    expect(parseDate('29/02/2026')).toBeNull();
    expect(parseDate('2026-13-01')).toBeNull();
  });

  it('each type checks and normalises its value', () => {
    expect(checkFieldValue(rule({ required: true }), '')).toEqual({ ok: false, message: '"Campo" is required' });
    expect(checkFieldValue(rule({}), undefined)).toEqual({ ok: true, value: null });
    expect(checkFieldValue(rule({ type: 'number', min: 0, max: 10 }), '7,5')).toEqual({ ok: true, value: 7.5 });
    expect(checkFieldValue(rule({ type: 'number', min: 0, max: 10 }), 11).ok).toBe(false);
    expect(checkFieldValue(rule({ type: 'number' }), 'dez').ok).toBe(false);
    expect(checkFieldValue(rule({ type: 'date' }), '31/01/2026')).toEqual({ ok: true, value: '2026-01-31' });
    expect(checkFieldValue(rule({ type: 'select', options: ['Ouro', 'Prata'] }), 'Ouro')).toEqual({ ok: true, value: 'Ouro' });
    expect(checkFieldValue(rule({ type: 'select', options: ['Ouro', 'Prata'] }), 'Bronze')).toEqual({ ok: false, message: '"Campo" must be one of: "Ouro", "Prata"' });
    expect(checkFieldValue(rule({ mask: '99999-999' }), '01310100')).toEqual({ ok: true, value: '01310-100' });
    expect(checkFieldValue(rule({ mask: '99999-999' }), 'abc')).toEqual({ ok: false, message: '"Campo" does not fit the mask 99999-999' });
    expect(checkFieldValue(rule({ maxLength: 3 }), 'abcd').ok).toBe(false);
    expect(checkFieldValue(rule({}), 5).ok).toBe(false);
  });

  it('search keys ignore case and accents', () => {
    expect(searchKey('  José da CONCEIÇÃO ')).toBe('jose da conceicao');
  });
});
