import { describe, expect, it } from 'vitest';
import { SeenCustomers } from './seen';

const waiting = (id: string, name: string) => ({ id, contact: { name } });

describe('customers seen waiting', () => {
  it('names a customer with the queue it last waited in', () => {
    const seen = new SeenCustomers<ReturnType<typeof waiting>>();
    seen.remember(1, [waiting('a', 'Maria')]);
    expect(seen.get('a')).toEqual({ id: 'a', contact: { name: 'Maria' }, queueId: 1 });
    // Moved on to another queue (an overflow): that queue is the one it is served in.
    seen.remember(2, [waiting('a', 'Maria')]);
    expect(seen.get('a')?.queueId).toBe(2);
    expect(seen.get('zz')).toBeNull();
  });

  it('forgets a customer at the second sweep that finds it neither waiting nor in service', () => {
    const seen = new SeenCustomers<ReturnType<typeof waiting>>();
    seen.remember(1, [waiting('a', 'Maria'), waiting('b', 'João'), waiting('c', 'Rita')]);
    // a still waits, b was taken by an agent, c hung up (or was taken before the agent's event came).
    seen.sweep(['a', 'b']);
    expect(seen.size).toBe(3);
    expect(seen.get('c')?.contact.name).toBe('Rita');
    // The agent's event names c after all: a seen customer found again is kept.
    seen.sweep(['a', 'b', 'c']);
    seen.sweep(['a', 'b']);
    expect(seen.size).toBe(3);
    // b's call ended: gone at two sweeps in a row, it is forgotten; c too.
    seen.sweep(['a']);
    expect(seen.get('b')).not.toBeNull();
    seen.sweep(['a']);
    expect(seen.get('b')).toBeNull();
    expect(seen.get('c')).toBeNull();
    expect(seen.get('a')?.contact.name).toBe('Maria');
    expect(seen.size).toBe(1);
  });

  it('keeps a customer seen waiting again between two sweeps', () => {
    const seen = new SeenCustomers<ReturnType<typeof waiting>>();
    seen.remember(1, [waiting('a', 'Maria')]);
    seen.sweep([]);
    // Back in a queue (transferred) before the next sweep, though no sweep has seen it alive.
    seen.remember(3, [waiting('a', 'Maria')]);
    seen.sweep([]);
    expect(seen.get('a')?.queueId).toBe(3);
    seen.sweep([]);
    expect(seen.get('a')).toBeNull();
  });
});
