import { describe, expect, it } from 'vitest';
import { KeyColumn, NumberSet } from '../../src/contacts/contact-keys.js';

describe('KeyColumn: a generation of keys out of the heap', () => {
  const column = (keys: [string, number][]) => {
    const c = new KeyColumn();
    for (const [k, id] of keys) c.add(k, id);
    return c;
  };

  it('gives each key back with its id, however many and however long (the buffers grow)', () => {
    const keys: [string, number][] = Array.from({ length: 5000 }, (_, i) => [`josé da conceição ${i} ${'x'.repeat(i % 50)}`, 10_000_000_000 + i]);
    const c = column(keys);
    expect(c.size).toBe(5000);
    for (const i of [0, 1, 1023, 1024, 4999]) expect([c.key(i), c.id(i)]).toEqual(keys[i]);
    // Emptied, it is filled again from its start.
    c.size = 0;
    c.add('ana', 1);
    expect([c.size, c.key(0), c.id(0), [...c.order()]]).toEqual([1, 'ana', 1, [0]]);
  });

  it("orders keys as SQLite does (their UTF-8 bytes), then by id: past the 12 bytes the prefixes hold, with accents, prefixes of each other and repeats", () => {
    const keys: [string, number][] = [
      ['maria da silva souza', 7], ['maria da silva santos', 3], ['maria da silva', 9], ['maria', 2], ['mário', 1], ['zé', 4], ['', 8],
      ['5511987654321', 5], ['554834322422', 6], ['5511987654321', 1], ['maria da silva santos', 2], ['ana', 10], ['ñandu', 11], ['日本', 12],
    ];
    const c = column(keys);
    const sorted = [...c.order()].map((i) => [c.key(i), c.id(i)]);
    const expected = [...keys].sort(([a, x], [b, y]) => Buffer.compare(Buffer.from(a), Buffer.from(b)) || x - y);
    expect(sorted).toEqual(expected);
  });
});

describe('NumberSet', () => {
  it('knows the numbers added, 12 and 13 digits, and no other, as it grows', () => {
    const set = new NumberSet();
    const numbers = Array.from({ length: 3000 }, (_, i) => 5511900000000 + i * 7919);
    for (const n of numbers) set.add(n);
    set.add(554834322422);
    set.add(numbers[0]!); // twice: still one
    expect(numbers.every((n) => set.has(n))).toBe(true);
    expect(set.has(554834322422)).toBe(true);
    expect(set.has(5511900000001)).toBe(false);
    expect(set.has(554834322423)).toBe(false);
    set.clear();
    expect(set.has(554834322422)).toBe(false);
    set.add(5511987654321);
    expect([set.has(5511987654321), set.has(numbers[1]!)]).toEqual([true, false]);
  });
});
