import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { startDaemon } from '../helpers/daemon.js';

// Each test starts the real daemon (TypeScript compiled on the fly, emulator, ARI, AMI): allow for a slow machine.
describe('daemon lifecycle', { timeout: 60_000 }, () => {
  it('starts, answers health checks, and stops cleanly on SIGTERM', async () => {
    const d = await startDaemon();
    const health = await fetch(`${d.url}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${d.url}/readyz`);
    const readiness = (await ready.json()) as { checks: Record<string, unknown> };
    expect(readiness.checks.database).toEqual({ ok: true });
    expect(await d.stop('SIGTERM')).toBe(0);
    expect(d.logs.map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    // A clean close checkpoints the WAL into the database file.
    const wal = join(d.dataDir, 'atende.db-wal');
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  });

  it('stops cleanly on SIGINT too', async () => {
    const d = await startDaemon();
    expect(await d.stop('SIGINT')).toBe(0);
  });

  it('refuses to start with a clear message naming a bad setting', async () => {
    await expect(startDaemon({ ATENDE_PORT: 'eighty' })).rejects.toThrow(/ATENDE_PORT: must be a whole number/);
  });

  it('logs JSON lines with request ids', async () => {
    const d = await startDaemon();
    await fetch(`${d.url}/api/v1/does-not-exist`);
    await d.stop();
    const completed = d.logs.find((l) => l.msg === 'request completed');
    expect(completed?.reqId).toEqual(expect.any(String));
  });
});
