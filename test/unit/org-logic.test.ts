import { describe, expect, it } from 'vitest';
import { canManageLevel, formatCnpj, normaliseCnpj, normaliseCpf, pickLoginUser, validDdd } from '../../src/org/index.js';
import { validCpf } from '../helpers/app.js';

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

describe('CPF', () => {
  it('accepts a valid number masked or bare, and keeps the 11 digits', () => {
    expect(normaliseCpf('529.982.247-25')).toBe('52998224725');
    expect(normaliseCpf('52998224725')).toBe('52998224725');
    expect(normaliseCpf(' 111.444.777-35 ')).toBe('11144477735');
  });
  it('refuses wrong check digits, wrong lengths, letters and repeated digits', () => {
    expect(normaliseCpf('529.982.247-26')).toBeNull();
    expect(normaliseCpf('529.982.247-15')).toBeNull();
    expect(normaliseCpf('5299822472')).toBeNull();
    expect(normaliseCpf('529982247250')).toBeNull();
    expect(normaliseCpf('5299822472a')).toBeNull();
    expect(normaliseCpf('111.111.111-11')).toBeNull();
    expect(normaliseCpf('')).toBeNull();
  });
  it('agrees with the test helper that makes valid numbers', () => {
    for (const seed of [1, 42, 123456789, 987654321]) expect(normaliseCpf(validCpf(seed))).toBe(validCpf(seed));
  });
});

describe('pickLoginUser', () => {
  it('takes the login name first, because logins are unique across tenants', () => {
    expect(pickLoginUser({ byLogin: { id: 7 }, byOther: [{ id: 8 }, { id: 9 }] })).toBe(7);
  });
  it('takes an e-mail, matrícula or CPF only when it names exactly one user', () => {
    expect(pickLoginUser({ byLogin: undefined, byOther: [{ id: 8 }] })).toBe(8);
    expect(pickLoginUser({ byLogin: undefined, byOther: [{ id: 8 }, { id: 8 }] })).toBe(8);
    expect(pickLoginUser({ byLogin: undefined, byOther: [{ id: 8 }, { id: 9 }] })).toBeUndefined();
    expect(pickLoginUser({ byLogin: undefined, byOther: [] })).toBeUndefined();
  });
});
