import { describe, expect, it } from 'vitest';
import { normaliseCallerId } from '../../src/flows/index.js';

describe('caller id to E.164 with Brazilian rules', () => {
  it.each([
    ['+55 (11) 98765-4321', '11', '+5511987654321'],
    ['5511987654321', null, '+5511987654321'],
    ['005511987654321', null, '+5511987654321'],
    ['551133334444', null, '+551133334444'],
    ['11987654321', null, '+5511987654321'],
    ['1133334444', null, '+551133334444'],
    ['011987654321', null, '+5511987654321'],
    ['01133334444', null, '+551133334444'],
    ['0151133334444', null, '+551133334444'],
    ['01521987654321', null, '+5521987654321'],
    ['987654321', '21', '+5521987654321'],
    ['33334444', '21', '+552133334444'],
    ['1187654321', null, '+5511987654321'],
    ['+1 212 555 0100', null, '+12125550100'],
    ['00351213456789', null, '+351213456789'],
  ])('%s (tenant DDD %s) → %s', (raw, ddd, e164) => {
    expect(normaliseCallerId(raw, ddd)).toEqual({ raw, e164 });
  });

  it.each([
    ['anonymous', '11', 'not a number'],
    ['', '11', 'empty'],
    ['2001', '11', 'an extension'],
    ['987654321', null, 'a local number with no DDD to complete it'],
    ['2087654321', null, 'DDD 20 is not in service'],
    ['11887654321', null, 'a 9-digit number not starting with 9'],
    ['1113334444', null, 'a landline starting with 1'],
    ['+55 11 1234', null, 'too short after the DDI'],
  ])('%s (tenant DDD %s) has no E.164 form: %s', (raw, ddd, _why) => {
    expect(normaliseCallerId(raw, ddd)).toEqual({ raw, e164: null });
  });
});
