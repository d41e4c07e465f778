import { describe, expect, it } from 'vitest';
import { limitConcurrency } from '../../src/kernel/index.js';

const deferred = () => {
  let resolve!: () => void;
  const promise = new Promise<void>((r) => (resolve = r));
  return { promise, resolve };
};

describe('limitConcurrency', () => {
  it('runs at most n tasks at once, the rest in the order they came, and frees a slot on failure', async () => {
    const run = limitConcurrency(1);
    const started: string[] = [];
    const gates = { a: deferred(), b: deferred(), c: deferred() };
    const task = (name: keyof typeof gates, fail = false) => () => {
      started.push(name);
      return gates[name].promise.then(() => {
        if (fail) throw new Error(name);
        return name;
      });
    };
    const a = run(task('a', true));
    const b = run(task('b'));
    const c = run(task('c'));
    await Promise.resolve();
    expect(started).toEqual(['a']);
    gates.a.resolve();
    await expect(a).rejects.toThrow('a');
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b']);
    gates.b.resolve();
    gates.c.resolve();
    expect(await Promise.all([b, c])).toEqual(['b', 'c']);
    expect(started).toEqual(['a', 'b', 'c']);
  });
});
