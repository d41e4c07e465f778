import { describe, expect, it } from 'vitest';
import { checkPhone, formatPhone, phoneSearchKey } from '../../src/contacts/phone.logic.js';
import { checkDocument, formatDocument } from '../../src/contacts/document.logic.js';

describe('Brazilian phone numbers', () => {
  it.each([
    ['5511987654321', '5511987654321', 'mobile'],
    ['+55 (11) 98765-4321', '5511987654321', 'mobile'],
    ['(11) 98765-4321', '5511987654321', 'mobile'],
    ['011 98765 4321', '5511987654321', 'mobile'],
    ['0055 11 98765 4321', '5511987654321', 'mobile'],
    ['554734322422', '554734322422', 'landline'],
    ['47 3432-2422', '554734322422', 'landline'],
    ['(48) 2.345.6789', '554823456789', 'landline'],
    ['0 21 11 98765-4321', '5511987654321', 'mobile'],
  ])('%s is %s (%s)', (input, number, kind) => {
    expect(checkPhone(input)).toMatchObject({ ok: true, number, kind });
  });

  it.each([
    ['', 'empty'],
    ['11 9876-543x', 'characters'],
    ['+1 415 555 2671', 'country'],
    ['5520987654321', 'ddd'],
    ['(10) 3456-7890', 'ddd'],
    ['(11) 88765-4321', 'ninth_digit'],
    ['(11) 8765-4321', 'ninth_digit'],
    ['(11) 1765-4321', 'landline'],
    ['(11) 987654', 'length'],
    ['5511987654321000', 'length'],
    ['+55 11 987', 'length'],
  ])('%s is refused: %s', (input, problem) => {
    const r = checkPhone(input);
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.problem).toBe(problem);
      expect(r.message.length).toBeGreaterThan(5);
    }
  });

  it('puts back the ninth digit of a mobile written without it only when asked (caller ids), never for a landline', () => {
    expect(checkPhone('(11) 8765-4321', { restoreNinthDigit: true })).toMatchObject({ ok: true, number: '5511987654321', kind: 'mobile' });
    expect(checkPhone('+55 21 6543 2100', { restoreNinthDigit: true })).toMatchObject({ ok: true, number: '5521965432100', kind: 'mobile' });
    expect(checkPhone('(11) 3456-7890', { restoreNinthDigit: true })).toMatchObject({ ok: true, number: '551134567890', kind: 'landline' });
    expect(checkPhone('(11) 1765-4321', { restoreNinthDigit: true })).toMatchObject({ ok: false, problem: 'landline' });
    expect(checkPhone('(11) 88765-4321', { restoreNinthDigit: true })).toMatchObject({ ok: false, problem: 'ninth_digit' });
  });

  it('formats for reading and builds search keys', () => {
    expect(formatPhone('5511987654321')).toBe('+55 (11) 98765-4321');
    expect(formatPhone('554734322422')).toBe('+55 (47) 3432-2422');
    expect(phoneSearchKey('(11) 98765-4321')).toEqual({ exact: '5511987654321' });
    expect(phoneSearchKey('8765-4321')).toEqual({ suffix: '87654321' });
    expect(phoneSearchKey('12')).toBeNull();
  });
});

describe('CPF and CNPJ', () => {
  it('accepts valid documents with or without mask and refuses bad check digits', () => {
    expect(checkDocument('529.982.247-25')).toEqual({ ok: true, document: '52998224725', kind: 'cpf' });
    expect(checkDocument('52998224726').ok).toBe(false);
    expect(checkDocument('111.111.111-11').ok).toBe(false);
    expect(checkDocument('11.222.333/0001-81')).toEqual({ ok: true, document: '11222333000181', kind: 'cnpj' });
    expect(checkDocument('11.222.333/0001-82').ok).toBe(false);
    expect(checkDocument('1234').ok).toBe(false);
    expect(formatDocument('52998224725')).toBe('529.982.247-25');
    expect(formatDocument('11222333000181')).toBe('11.222.333/0001-81');
  });
});
