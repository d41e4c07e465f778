import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDatabase } from '../../src/db/client.js';

describe('database durability', () => {
  it('loses no committed row when the process is killed with SIGKILL mid-write', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'atende-db-')), 'atende.db');
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, '..', 'fixtures', 'writer.ts'), file], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const committed: number[] = [];
    let buffered = '';
    await new Promise<void>((resolve, reject) => {
      child.on('error', reject);
      child.stdout.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const l of lines) committed.push(Number(l));
        if (committed.length >= 500 && !child.killed) {
          child.kill('SIGKILL');
          resolve();
        }
      });
    });
    await new Promise((r) => child.once('exit', r));

    const reopened = openDatabase(file);
    try {
      expect(reopened.sqlite.pragma('integrity_check', { simple: true })).toBe('ok');
      const ids = new Set(
        (reopened.sqlite.prepare('select id from tenants').all() as { id: number }[]).map((r) => r.id),
      );
      const missing = committed.filter((id) => !ids.has(id));
      expect(missing).toEqual([]);
      expect(ids.size).toBeGreaterThanOrEqual(committed.length);
    } finally {
      reopened.close();
    }
  });
});
