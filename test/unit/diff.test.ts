import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../../src/provisioning/diff.logic.js';

describe('unifiedDiff', () => {
  it('is empty when nothing changed', () => {
    expect(unifiedDiff('a.conf', 'x\ny\n', 'x\ny\n')).toBe('');
  });

  it('shows a changed line with three lines of context', () => {
    const before = ['1', '2', '3', '4', '5', '6', '7', '8', '9'].join('\n') + '\n';
    const after = before.replace('5', 'five');
    expect(unifiedDiff('atende/pjsip-t1.conf', before, after)).toBe(
      ['--- a/atende/pjsip-t1.conf', '+++ b/atende/pjsip-t1.conf', '@@ -2,7 +2,7 @@', ' 2', ' 3', ' 4', '-5', '+five', ' 6', ' 7', ' 8', ''].join('\n'),
    );
  });

  it('keeps far-apart changes in separate hunks, close ones in one', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i + 1}`).join('\n') + '\n';
    const after = before.replace('l2\n', 'L2\n').replace('l18\n', 'L18\n');
    const diff = unifiedDiff('f', before, after);
    expect(diff.match(/^@@/gm)).toHaveLength(2);
    expect(diff).toContain('@@ -1,5 +1,5 @@');
    expect(diff).toContain('@@ -15,6 +15,6 @@');
    const close = before.replace('l5\n', 'L5\n').replace('l8\n', 'L8\n');
    expect(unifiedDiff('f', before, close).match(/^@@/gm)).toHaveLength(1);
  });

  it('a new file and a removed file', () => {
    expect(unifiedDiff('n', null, 'a\nb\n')).toBe('--- /dev/null\n+++ b/n\n@@ -0,0 +1,2 @@\n+a\n+b\n');
    expect(unifiedDiff('n', 'a\n', null)).toBe('--- a/n\n+++ /dev/null\n@@ -1,1 +0,0 @@\n-a\n');
  });
});
