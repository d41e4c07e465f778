import { describe, expect, it } from 'vitest';
import { groupBy } from '../../src/kernel/index.js';

describe('groupBy', () => {
  const rows = [
    { team: 2, user: 7 },
    { team: 1, user: 3 },
    { team: 2, user: 5 },
  ];

  it('keeps the groups in the order first met and each group in the rows\' order', () => {
    expect([...groupBy(rows, (r) => r.team).entries()]).toEqual([
      [2, [rows[0], rows[2]]],
      [1, [rows[1]]],
    ]);
  });

  it('takes only what `value` picks of each row', () => {
    expect(groupBy(rows, (r) => r.team, (r) => r.user).get(2)).toEqual([7, 5]);
  });

  it('groups nothing into an empty map', () => {
    expect(groupBy([], () => 0).size).toBe(0);
  });
});
