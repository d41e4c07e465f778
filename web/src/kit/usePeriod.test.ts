import { describe, expect, it } from 'vitest';
import { csvHref, usePeriod } from './usePeriod';

describe('a report period', () => {
  it('starts as the last days up to today, the end taken to the end of its day', () => {
    const p = usePeriod(7);
    expect(p.problem.value).toBeNull();
    const { from, to } = p.range.value;
    expect(new Date(to).getTime() - new Date(from).getTime()).toBeGreaterThanOrEqual(7 * 86_400_000 - 3_600_000);
    expect(new Date(from).getHours()).toBe(0);
  });

  it('names the field of a missing day or of an end before the start, and keeps a range the API accepts', () => {
    const p = usePeriod(7);
    p.from.value = '';
    expect(p.problem.value).toEqual({ field: 'from', reason: 'missing' });
    expect(() => p.range.value).not.toThrow();
    p.from.value = '2026-03-10';
    p.to.value = '';
    expect(p.problem.value).toEqual({ field: 'to', reason: 'missing' });
    p.to.value = '2026-03-09';
    expect(p.problem.value).toEqual({ field: 'to', reason: 'endsBefore' });
    p.to.value = '2026-03-10';
    expect(p.problem.value).toBeNull();
    expect(new Date(p.range.value.to).getTime() - new Date(p.range.value.from).getTime()).toBe(86_400_000);
  });

  it('puts only the defined values in a CSV link', () => {
    expect(csvHref('/x.csv', { from: 'a b', queueId: 3, userId: undefined })).toBe('/x.csv?from=a+b&queueId=3');
  });
});
