import { describe, expect, it } from 'vitest';
import { canManageLevel, formatCnpj, normaliseCnpj, normaliseCpf, validDdd } from '../../src/org/index.js';

describe('CNPJ', () => {
  it('accepts a valid number masked or bare, and stores the bare digits', () => {
    expect(normaliseCnpj('11.222.333/0001-81')).toBe('11222333000181');
    expect(normaliseCnpj('11222333000181')).toBe('11222333000181');
    expect(normaliseCnpj(' 11.222.333/0001-81 ')).toBe('11222333000181');
  });
  it('refuses wrong check digits', () => {
    expect(normaliseCnpj('11.222.333/0001-82')).toBeNull();
    expect(normaliseCnpj('11222333000191')).toBeNull();
  });
  it('refuses wrong lengths, letters in the check digits and repeated digits', () => {
    expect(normaliseCnpj('1122233300018')).toBeNull();
    expect(normaliseCnpj('112223330001812')).toBeNull();
    expect(normaliseCnpj('11222333000A81')).toBeNull();
    expect(normaliseCnpj('00000000000000')).toBeNull();
    expect(normaliseCnpj('11111111111111')).toBeNull();
    expect(normaliseCnpj('11.222.333/0001-8x')).toBeNull();
  });
  it('accepts the alphanumeric format (Receita Federal example 12.ABC.345/01DE-35)', () => {
    expect(normaliseCnpj('12.ABC.345/01DE-35')).toBe('12ABC34501DE35');
    expect(normaliseCnpj('12abc34501de35')).toBe('12ABC34501DE35');
    expect(normaliseCnpj('12.ABC.345/01DE-36')).toBeNull();
  });
  it('formats with the usual mask', () => {
    expect(formatCnpj('11222333000181')).toBe('11.222.333/0001-81');
  });
});

describe('CPF', () => {
  it('accepts a valid number masked or bare', () => {
    expect(normaliseCpf('529.982.247-25')).toBe('52998224725');
    expect(normaliseCpf('11144477735')).toBe('11144477735');
    // A first check digit that computes to 10 becomes 0.
    expect(normaliseCpf('12345678909')).toBe('12345678909');
  });
  it('refuses wrong check digits, lengths, letters and repeated digits', () => {
    expect(normaliseCpf('529.982.247-24')).toBeNull();
    expect(normaliseCpf('52998224735')).toBeNull();
    expect(normaliseCpf('5299822472')).toBeNull();
    expect(normaliseCpf('529982247250')).toBeNull();
    expect(normaliseCpf('5299822472a')).toBeNull();
    expect(normaliseCpf('00000000000')).toBeNull();
    expect(normaliseCpf('99999999999')).toBeNull();
  });
});

describe('DDD', () => {
  it('accepts Brazilian area codes in service when DDI is 55', () => {
    expect(validDdd('55', '11')).toBe(true);
    expect(validDdd('55', '85')).toBe(true);
    expect(validDdd('55', '20')).toBe(false);
    expect(validDdd('55', '10')).toBe(false);
  });
  it('accepts any short numeric area code for other countries', () => {
    expect(validDdd('1', '212')).toBe(true);
    expect(validDdd('1', '21a')).toBe(false);
  });
});

describe('canManageLevel', () => {
  it('lets nobody act on a level above their own, except a super user', () => {
    expect(canManageLevel({ level: 'admin', superUser: false }, 'admin')).toBe(true);
    expect(canManageLevel({ level: 'supervisor', superUser: false }, 'agent')).toBe(true);
    expect(canManageLevel({ level: 'supervisor', superUser: false }, 'admin')).toBe(false);
    expect(canManageLevel({ level: 'agent', superUser: false }, 'supervisor')).toBe(false);
    expect(canManageLevel({ level: 'agent', superUser: true }, 'admin')).toBe(true);
  });
});
