import { describe, expect, it } from 'vitest';
import { brazilianDigits, localAreaIsDddSince, parseDialled } from '../../src/provisioning/br-numbering.logic.js';

const dec2026 = Date.parse('2026-12-01T12:00:00-03:00');

describe('parseDialled', () => {
  it.each([
    ['+5511987654321', { kind: 'national', ddd: '11', subscriber: '987654321' }],
    ['0211133334444', { kind: 'national', ddd: '11', subscriber: '33334444' }],
    ['01133334444', { kind: 'national', ddd: '11', subscriber: '33334444' }],
    ['11987654321', { kind: 'national', ddd: '11', subscriber: '987654321' }],
    ['(85) 3333-4444', { kind: 'national', ddd: '85', subscriber: '33334444' }],
    ['987654321', { kind: 'subscriber', subscriber: '987654321' }],
    ['33334444', { kind: 'subscriber', subscriber: '33334444' }],
    ['+12125551234', { kind: 'international', number: '12125551234' }],
    ['00211212555123', { kind: 'international', number: '1212555123' }],
    ['08007771234', { kind: 'special', digits: '08007771234' }],
    ['190', { kind: 'special', digits: '190' }],
    ['40041234', { kind: 'special', digits: '40041234' }],
    ['2033334444', null],
    ['1187654321', null],
    ['12345', null],
  ])('%s', (dialled, expected) => {
    expect(parseDialled(dialled)).toEqual(expected);
  });
});

describe('brazilianDigits from a tenant in DDD 11 with CSP 21', () => {
  const o = { ddd: '11', carrierCode: '21' };
  it.each([
    ['11987654321', '987654321', 'local'],
    ['+551133334444', '33334444', 'local'],
    ['33334444', '33334444', 'local'],
    ['21987654321', '02121987654321', 'long_distance'],
    ['085 3333-4444', '0218533334444', 'long_distance'],
    ['+442071234567', '0021442071234567', 'international'],
    ['08007771234', '08007771234', 'special'],
  ])('%s → %s (%s)', (dialled, digits, kind) => {
    expect(brazilianDigits(dialled, o, dec2026)).toEqual({ ok: true, digits, kind });
  });

  it('refuses what is not a number', () => {
    expect(brazilianDigits('12345', o, dec2026)).toEqual({ ok: false, reason: '12345 is not a Brazilian or international number' });
  });

  it('treats a same-DDD call as long distance before the DDD became one local area (São Paulo: 21 June 2026)', () => {
    expect(localAreaIsDddSince('11')).toBe(Date.parse('2026-06-21T00:00:00-03:00'));
    const before = Date.parse('2026-06-20T23:59:00-03:00');
    expect(brazilianDigits('1133334444', o, before)).toEqual({ ok: true, digits: '0211133334444', kind: 'long_distance' });
    expect(brazilianDigits('1133334444', o, Date.parse('2026-06-21T00:00:00-03:00'))).toMatchObject({ kind: 'local' });
  });

  it('knows all 67 DDDs', () => {
    const ddds = ['11', '19', '21', '22', '24', '27', '28', '31', '38', '41', '49', '51', '53', '55', '61', '69', '71', '79', '81', '89', '91', '99'];
    for (const ddd of ddds) expect(localAreaIsDddSince(ddd)).toBeTypeOf('number');
    for (const ddd of ['10', '20', '23', '25', '26', '29', '30', '36', '39', '40', '50', '52', '56', '60', '70', '72', '76', '78', '80', '90']) {
      expect(localAreaIsDddSince(ddd)).toBeUndefined();
    }
  });
});
