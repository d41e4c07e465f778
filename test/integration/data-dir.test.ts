/**
 * The data directory holds password hashes and TOTP secrets: a fresh one is created private
 * (0700, files 0600) by the real daemon, whatever the umask, and a start on a wider existing one
 * says so in the log (main.ts calls prepareDataDir before opening the database).
 */
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareDataDir } from '../../src/kernel/index.js';
import { startDaemon } from '../helpers/daemon.js';

const modeOf = (path: string): string => (statSync(path).mode & 0o777).toString(8);

describe('data directory rights', { timeout: 60_000 }, () => {
  let root: string;
  let dataDir: string;
  let umask: number;

  beforeAll(() => {
    // The usual umask of a service account: without care, files would come out 0644.
    umask = process.umask(0o022);
    root = mkdtempSync(join(tmpdir(), 'atende-datadir-'));
    dataDir = join(root, 'var', 'atende');
  });
  afterAll(() => {
    process.umask(umask);
    rmSync(root, { recursive: true, force: true });
  });

  it('a fresh data dir is 0700 and every file the daemon writes in it 0600', async () => {
    const d = await startDaemon({}, dataDir);
    try {
      expect(existsSync(join(dataDir, 'atende.db-wal'))).toBe(true);
      expect(modeOf(dataDir)).toBe('700');
      const files = readdirSync(dataDir, { recursive: true, withFileTypes: true });
      expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['atende.db', 'atende.db-wal', 'atende.db-shm', 'admin-password.txt']));
      for (const f of files) {
        const path = join(f.parentPath, f.name);
        expect({ path, mode: modeOf(path) }).toEqual({ path, mode: f.isDirectory() ? '700' : '600' });
      }
      expect(d.logs.some((l) => /readable by other users/.test(String(l.msg)))).toBe(false);
    } finally {
      await d.stop();
    }
  });

  it('an existing data dir readable by others is named in a warning at start', () => {
    chmodSync(dataDir, 0o755);
    chmodSync(join(dataDir, 'atende.db'), 0o644);
    const lines: { level: number; msg: string }[] = [];
    prepareDataDir(dataDir, pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { level: number; msg: string }) }));
    const warnings = lines.filter((l) => l.level === 40).map((l) => l.msg);
    expect(warnings.some((m) => m.includes(dataDir) && m.includes('0755') && m.includes('chmod 700'))).toBe(true);
    expect(warnings.some((m) => m.includes('atende.db (0644)'))).toBe(true);
    // Nothing is changed behind the admin's back.
    expect(modeOf(dataDir)).toBe('755');
  });

});
