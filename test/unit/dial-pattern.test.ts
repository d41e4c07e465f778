import { describe, expect, it } from 'vitest';
import { checkPattern, comparePatterns, matchesPattern } from '../../src/provisioning/dial-pattern.logic.js';

describe('checkPattern', () => {
  it.each([
    ['_0XX.', null],
    ['_NXXX-XXXX', null],
    ['_[2-5]XXXXXXX', null],
    ['_9[1-9]XXXXXXX', null],
    ['_00!', null],
    ['190', null],
    ['*45', null],
    ['', 'the pattern is empty'],
    ['_', 'the pattern is empty after _'],
    ['_0XX.X', "'.' may only end a pattern"],
    ['_0!9', "'!' may only end a pattern"],
    ['_[12', "'[' is never closed by ']'"],
    ['_[]X', 'empty set []'],
    ['_[5-2]X', "bad range '5-2'"],
    ['_0Y', "'Y' is not allowed in a pattern"],
    ['_[a]', "'a' cannot stand in a set (digits, *, # or +)"],
    ['0XX', "'X' is not a digit, *, # or + (a pattern starts with _)"],
  ])('%s → %s', (pattern, message) => {
    expect(checkPattern(pattern)?.message ?? null).toBe(message);
  });

  it('says where the problem is', () => {
    expect(checkPattern('_0XX.X')).toEqual({ position: 4, message: "'.' may only end a pattern" });
    expect(checkPattern('_0[12')).toEqual({ position: 2, message: "'[' is never closed by ']'" });
  });
});

describe('matchesPattern', () => {
  it.each([
    ['_0XX.', '01133334444', true],
    ['_0XX.', '011', false],
    ['_0XX.', '0113', true],
    ['_NXXXXXXX', '33334444', true],
    ['_NXXXXXXX', '13334444', false],
    ['_NXXXXXXX', '333344445', false],
    ['_9XXXXXXXX', '987654321', true],
    ['_[2-5]XXXXXXX', '63334444', false],
    ['_[2-5]XXXXXXX', '43334444', true],
    ['_[13]X', '31', true],
    ['_[13]X', '21', false],
    ['_00!', '00', true],
    ['_00!', '0012125551234', true],
    ['_XXX-XXXX', '1234567', true],
    ['_*45X', '*451', true],
    ['190', '190', true],
    ['190', '1900', false],
  ])('%s ~ %s → %s', (pattern, dialled, expected) => {
    expect(matchesPattern(pattern, dialled)).toBe(expected);
  });
});

describe('comparePatterns: Asterisk’s order, most specific first', () => {
  const sorted = (list: string[]) => [...list].sort(comparePatterns);

  it.each([
    // A literal extension before any pattern.
    [['_X.', '1234'], ['1234', '_X.']],
    // Position by position, the smaller set first: digit < N (8) < Z (9) < X (10).
    [['_X.', '_Z.', '_N.', '_0.'], ['_0.', '_N.', '_Z.', '_X.']],
    // A set of three before X; X before '.'; '.' before '!'.
    [['_0X.', '_0[123].', '_0!', '_0.'], ['_0[123].', '_0X.', '_0.', '_0!']],
    // A fixed length before a wildcard at the same position.
    [['_0XX.', '_0XXXXXXXXXX'], ['_0XXXXXXXXXX', '_0XX.']],
    // The end of a pattern weighs more than any set: the longer of two otherwise equal patterns first.
    [['_9XXXXXXX', '_9XXXXXXXX'], ['_9XXXXXXXX', '_9XXXXXXX']],
    // Same size of set: the one holding lower digits first.
    [['_[47]X', '_[36]X'], ['_[36]X', '_[47]X']],
  ])('%j → %j', (input, expected) => {
    expect(sorted(input)).toEqual(expected);
  });

  it('ignores eye-candy dashes', () => {
    expect(comparePatterns('_NXX-XXXX', '_NXXXXXX')).toBe(0);
  });
});
