/**
 * `npm run bench:web`: what the browser pays, measured in Debian's Chromium against the
 * production build served by the real daemon (emulator mode).
 *
 * 1. JavaScript the login screen loads (every script the page requests), gzipped, and CSS.
 * 2. Time to interactive of the calls screen with 10,000 calls in the database: from the start
 *    of navigation until the first page of calls is on screen and the main thread has had no
 *    long task (> 50 ms) for 500 ms. Median of 5 cold loads (fresh browser context each).
 *
 *   npm run bench:web [-- --calls 10000 --runs 5]
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { openDatabase } from '../../src/db/client.js';
import { createCallsRepo } from '../../src/calls/calls.repo.js';
import type { CallId, TenantId } from '../../src/kernel/index.js';
import { launchBrowser, logIn, ROOT, startAtende } from '../browser/harness.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const CALLS = arg('calls', 10_000);
const RUNS = arg('runs', 5);
const PASSWORD = 'bench-admin-1';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const gzipped = (path: string) => gzipSync(readFileSync(join(ROOT, 'web', 'dist', path)), { level: 9 }).length;

/** Writes `n` finished calls of the last 30 days for `login`'s tenant straight into the database. */
function seedCalls(dataDir: string, login: string, n: number): void {
  const database = openDatabase(join(dataDir, 'atende.db'));
  const { tenant_id: tenantId } = database.sqlite.prepare('SELECT tenant_id FROM users WHERE login = ?').get(login) as { tenant_id: number };
  const repo = createCallsRepo(database.db);
  const now = Date.now();
  database.sqlite.transaction(() => {
    for (let i = 0; i < n; i++) {
      const startedAt = now - Math.floor((i / n) * 30 * 86_400_000);
      const callId = `bench-${i}` as CallId;
      repo.insert({
        callId,
        tenantId: tenantId as TenantId,
        parentCallId: null,
        channelId: `ch-${i}`,
        channelName: `DAHDI/${(i % 30) + 1}-1`,
        kind: 'inbound',
        direction: i % 5 === 0 ? 'outbound' : 'inbound',
        from: `1198765${String(i % 10_000).padStart(4, '0')}`,
        fromName: null,
        to: '1133334444',
        trunkRef: 'span:1',
        state: 'ringing',
        startedAt,
        answeredAt: null,
      });
      repo.markAnswered(callId, startedAt + 4000);
      repo.close(callId, { endedAt: startedAt + 4000 + (i % 300) * 1000, cause: 16, causeText: 'Normal Clearing', hangupBy: 'caller', endReason: 'hangup' });
    }
  })();
  database.close();
}

async function main(): Promise<void> {
  const atende = await startAtende({ ATENDE_ADMIN_PASSWORD: PASSWORD, ATENDE_LOG_LEVEL: 'info' });
  const browser = await launchBrowser();
  try {
    // 1. The login screen's JavaScript.
    const context = await browser.newContext({ baseURL: atende.url, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    const scripts = new Set<string>();
    const styles = new Set<string>();
    page.on('request', (r) => {
      const path = new URL(r.url()).pathname;
      if (r.resourceType() === 'script') scripts.add(path);
      if (r.resourceType() === 'stylesheet') styles.add(path);
    });
    await page.goto('/login');
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    await page.waitForLoadState('networkidle');
    const jsGz = [...scripts].reduce((sum, p) => sum + gzipped(p), 0);
    const cssGz = [...styles].reduce((sum, p) => sum + gzipped(p), 0);
    await context.close();

    // 2. The calls screen with many calls.
    await atende.stop();
    seedCalls(atende.dataDir, 'admin', CALLS);
    await atende.start();
    const times: number[] = [];
    const firstRows: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const ctx = await browser.newContext({ baseURL: atende.url, viewport: { width: 1280, height: 800 } });
      const p = await ctx.newPage();
      await logIn(p, 'admin', PASSWORD);
      await p.getByRole('navigation').first().waitFor();
      await p.goto('about:blank');
      // Strings, not functions: they run in the page (DOM types are not this program's).
      await p.addInitScript(
        `window.__longTaskEnd = 0; new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTaskEnd = Math.max(window.__longTaskEnd, e.startTime + e.duration); }).observe({ type: 'longtask', buffered: true });`,
      );
      await p.goto('/calls');
      await p.getByRole('row').nth(20).waitFor();
      const rowsAt = (await p.evaluate('performance.now()')) as number;
      let quietSince = Date.now();
      let lastEnd = 0;
      while (Date.now() - quietSince < 500) {
        await p.waitForTimeout(100);
        const end = (await p.evaluate('window.__longTaskEnd')) as number;
        if (end !== lastEnd) {
          lastEnd = end;
          quietSince = Date.now();
        }
      }
      firstRows.push(rowsAt);
      times.push(Math.max(rowsAt, lastEnd));
      await ctx.close();
    }
    const admin = await atende.api('admin', PASSWORD);
    const { total } = await admin.must<{ total: number }>('GET', '/api/v1/calls?limit=1');
    process.stdout.write(
      [
        `login screen: ${scripts.size} scripts, ${(jsGz / 1024).toFixed(1)} KB of JavaScript gzipped; CSS ${(cssGz / 1024).toFixed(1)} KB gzipped`,
        `calls screen with ${total} calls: first page on screen ${median(firstRows).toFixed(0)} ms, interactive ${median(times).toFixed(0)} ms (median of ${RUNS}; runs: ${times.map((t) => t.toFixed(0)).join(', ')})`,
        '',
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await atende.close();
  }
}

await main();
