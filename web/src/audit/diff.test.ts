import { describe, expect, it } from 'vitest';
import { diffSnapshots, shown } from './diff';

describe('audit before/after view', () => {
  it('lists changed fields first, nested ones as dotted paths', () => {
    const rows = diffSnapshots(
      { name: 'Ana', concurrency: { voice: 1, chat: 0 }, active: true },
      { name: 'Ana', concurrency: { voice: 1, chat: 3 }, active: false },
    );
    expect(rows.map((r) => [r.field, r.changed])).toEqual([
      ['concurrency.chat', true],
      ['active', true],
      ['name', false],
      ['concurrency.voice', false],
    ]);
  });

  it('shows a creation as every field new and a deletion as every field gone', () => {
    expect(diffSnapshots(null, { name: 'Vendas' })).toEqual([{ field: 'name', before: undefined, after: 'Vendas', changed: true }]);
    expect(diffSnapshots({ name: 'Vendas' }, null)).toEqual([{ field: 'name', before: 'Vendas', after: undefined, changed: true }]);
  });

  it('writes null as a dash and lists as JSON', () => {
    expect([shown(null), shown(undefined), shown('x'), shown([1, 2])]).toEqual(['—', '', 'x', '[1,2]']);
  });
});
