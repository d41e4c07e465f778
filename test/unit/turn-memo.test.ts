import { describe, expect, it } from 'vitest';
import { turnMemo } from '../../src/kernel/index.js';

describe('turnMemo', () => {
  it('reads once per key within one synchronous run, and afresh once the run is over', async () => {
    let value = 1;
    let reads = 0;
    const memo = turnMemo<string, number>();
    const read = () => memo('k', () => (reads++, value));
    expect([read(), read()]).toEqual([1, 1]);
    expect(memo('other', () => 9)).toBe(9);
    expect(reads).toBe(1);
    value = 2;
    await Promise.resolve();
    expect(read()).toBe(2);
    expect(reads).toBe(2);
  });
});
