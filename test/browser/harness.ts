/**
 * The browser tests' harness: the production daemon (`dist/main.js`, web app in `web/dist`) in
 * emulator mode on a free port with a fresh data dir, and Debian's Chromium driven by
 * playwright-core (never a downloaded browser). One daemon and one browser per test file.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';
import { afterAll, afterEach } from 'vitest';
import { startDaemon, type Daemon } from '../helpers/daemon.js';

export const ROOT = resolve(import.meta.dirname, '..', '..');
export const CHROMIUM = process.env.ATENDE_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'docs', 'screenshots');

/** A port that was free a moment ago (kept across a restart of the daemon). */
export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

export interface Atende {
  url: string;
  dataDir: string;
  daemon: Daemon;
  /** The first super user's password as the first start wrote it. */
  adminPassword(): string;
  /** A REST session for arranging data (cookie kept). */
  api(login: string, password: string): Promise<Api>;
  /** Stops the daemon; `start()` brings it back on the same port and data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export interface Api {
  call<T = unknown>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }>;
  /** Like `call` but throws unless the status is 2xx. */
  must<T = unknown>(method: string, path: string, body?: unknown): Promise<T>;
}

/** `env` may depend on the daemon's own address (e.g. `ATENDE_PUBLIC_URL` for mailed links). */
export async function startAtende(env: Record<string, string> | ((url: string) => Record<string, string>) = {}): Promise<Atende> {
  if (!existsSync(join(ROOT, 'dist', 'main.js')) || !existsSync(join(ROOT, 'web', 'dist', 'index.html'))) {
    throw new Error('build first: npm run build (npm run test:browser does)');
  }
  const dataDir = mkdtempSync(join(tmpdir(), 'atende-browser-'));
  let url = '';
  let fullEnv: Record<string, string> = {};
  const boot = () => startDaemon(fullEnv, dataDir, { built: true });
  // A free port is only free until someone takes it: another test file may bind it between
  // `freePort()` and the daemon's listen. Then start again on another one.
  const firstBoot = async (attempt: number): Promise<Daemon> => {
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    fullEnv = { ATENDE_PORT: String(port), ATENDE_SEED_DEMO: 'false', ...(typeof env === 'function' ? env(url) : env) };
    try {
      return await boot();
    } catch (e) {
      if (attempt >= 5 || !String(e).includes('EADDRINUSE')) throw e;
      return firstBoot(attempt + 1);
    }
  };
  let daemon = await firstBoot(1);
  const atende: Atende = {
    url,
    dataDir,
    get daemon() {
      return daemon;
    },
    adminPassword: () => /^password: (.+)$/m.exec(readFileSync(join(dataDir, 'admin-password.txt'), 'utf8'))![1]!,
    async api(login, password) {
      let cookie = '';
      const call = async <T>(method: string, path: string, body?: unknown) => {
        const res = await fetch(`${url}${path}`, {
          method,
          headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(cookie ? { cookie } : {}) },
          body: body !== undefined ? JSON.stringify(body) : undefined,
        });
        const set = res.headers.getSetCookie().find((c) => c.startsWith('atende_session='));
        if (set) cookie = set.split(';')[0]!;
        const text = await res.text();
        return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
      };
      const login1 = await call('POST', '/api/v1/auth/login', { login, password });
      if (login1.status !== 200) throw new Error(`login ${login}: ${login1.status} ${JSON.stringify(login1.body)}`);
      return {
        call,
        async must<T>(method: string, path: string, body?: unknown) {
          const r = await call<T>(method, path, body);
          if (r.status >= 300) throw new Error(`${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
          return r.body;
        },
      };
    },
    async stop() {
      await daemon.stop();
    },
    async start() {
      daemon = await boot();
    },
    async close() {
      if (daemon.process.exitCode === null) await daemon.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return atende;
}

/** Chromium's fake microphone and camera, allowed without asking and playing without a click: for tests with a webphone. */
export const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];

/** `extraArgs`: e.g. `FAKE_MEDIA`. */
export async function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium (or set ATENDE_CHROMIUM)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      ...extraArgs,
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** The time zone every browser runs in, whatever the zone of the machine running the tests. */
export const BROWSER_ZONE = 'America/Sao_Paulo';

/**
 * A moment as the browser's clock reads it (in {@link BROWSER_ZONE}): the day, month and hour
 * its calendars and tables show. Node's own `getDate()` reads the machine's zone, which is
 * another day for hours of every night.
 */
export function browserClock(at: Date | number): { year: number; month: number; day: number; hour: number; minute: number; date: string; time: string } {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: BROWSER_ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(at));
  const p = Object.fromEntries(parts.map((x) => [x.type, x.value])) as Record<'year' | 'month' | 'day' | 'hour' | 'minute', string>;
  return {
    year: Number(p.year),
    month: Number(p.month),
    day: Number(p.day),
    hour: Number(p.hour),
    minute: Number(p.minute),
    /** dd/mm/yyyy, as the pt-BR date fields are typed. */
    date: `${p.day}/${p.month}/${p.year}`,
    /** HH:MM on the 24-hour clock. */
    time: `${p.hour}:${p.minute}`,
  };
}

/** A fresh browser profile (cookies, storage) at a desktop size, pt-BR. */
export async function newContext(browser: Browser, atende: Atende, size = { width: 1280, height: 800 }): Promise<BrowserContext> {
  return browser.newContext({ baseURL: atende.url, viewport: size, locale: 'pt-BR', timezoneId: BROWSER_ZONE });
}

/**
 * What went wrong in a page that a person would not see at once: console errors (a CSP
 * violation is one) and uncaught exceptions. Tests assert it stays empty.
 */
export function watchProblems(page: Page, allow: RegExp[] = []): string[] {
  const problems: string[] = [];
  const keep = (text: string) => {
    if (!allow.some((r) => r.test(text))) problems.push(text);
  };
  page.on('console', (m) => {
    // HTTP error statuses are the API answering (tests check what the page does with them).
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource: the server responded with a status of')) {
      keep(`console: ${m.text()}`);
    }
  });
  page.on('pageerror', (e) => keep(`exception: ${e.message}`));
  return problems;
}

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** axe-core on the page as it is now: the serious and critical violations (should be none). */
export async function seriousA11yViolations(page: Page): Promise<AxeViolation[]> {
  // A toast or dialog still fading in has the colours of half its opacity: axe would measure
  // those. Finite animations and transitions are let finish first (spinners run forever).
  await page.evaluate(
    `Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().endTime !== Infinity).map((a) => a.finished.catch(() => undefined))).then(() => true)`,
  );
  await page.evaluate(axeSource);
  // A string, not a function: it runs in the page, where `axe` and `document` exist.
  const violations = (await page.evaluate(
    `axe.run({ exclude: [['[class*="-leave-"]']] }, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })) })))`,
  )) as AxeViolation[];
  // An element that began leaving (a toast whose time ran out) while axe ran is fading away, not
  // shown: its half-transparent colours are not what anyone reads.
  const shown = (n: AxeViolation['nodes'][number]) => !JSON.stringify(n.target).includes('-leave-');
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({ ...v, nodes: v.nodes.filter(shown) }))
    .filter((v) => v.nodes.length > 0);
}

/** When a test fails, keeps what the page looked like (in the OS temp dir) and says where. */
export async function keepFailure(page: Page, name: string): Promise<void> {
  const file = join(tmpdir(), `atende-failed-${name.replace(/\W+/g, '-').slice(0, 60)}.png`);
  await page.screenshot({ path: file }).catch(() => undefined);
  console.error(`browser test failed at ${page.url()}; screenshot: ${file}`);
}

/**
 * Saves a screenshot of a main screen for the README (docs/screenshots/<name>.png) when
 * `npm run screenshots` asks for them; an ordinary test run leaves the tracked images alone.
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  if (process.env.ATENDE_SCREENSHOTS !== '1') return;
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/**
 * The dialog named `name` (or whose name matches it) once it has opened: it moves the focus to
 * its first field at the end of its opening animation, so typing before that may land in the
 * wrong field.
 */
export async function openedDialog(page: Page, name: string | RegExp): Promise<Locator> {
  const dialog = page.getByRole('dialog', { name });
  await dialog.waitFor();
  await page.locator('.p-dialog-enter-active').waitFor({ state: 'detached' });
  return dialog;
}

/** Picks an option from the list this select opened (another select's list may still be closing), and waits for the list to close. */
export async function chooseOption(page: Page, select: Locator, option: string): Promise<void> {
  await select.click();
  const list = page.locator(`#${await select.getAttribute('aria-controls')}`);
  await list.getByRole('option', { name: option, exact: true }).click();
  await list.waitFor({ state: 'hidden' });
}

/** Opens this select's list and gives its options (Escape closes it again). */
export async function openOptions(page: Page, select: Locator): Promise<Locator> {
  await select.click();
  return page.locator(`#${await select.getAttribute('aria-controls')}`).getByRole('option');
}

/** Fills the login screen and presses Entrar. */
export async function logIn(page: Page, login: string, password: string, opts: { stay?: boolean } = {}): Promise<void> {
  // `stay`: the login page is already open (with where to return afterwards in its URL).
  if (!opts.stay) await page.goto('/login');
  await page.getByLabel(/Login, e-mail/).fill(login);
  await page.getByLabel('Senha', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
}

/** A test file's browser: the profile, the signed-in page, and what went wrong in that page (see `watchProblems`). */
export interface Session {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  problems: string[];
}

/**
 * What every browser test file does around its tests, called once at the file's top (it
 * registers the hooks): `start` brings up the daemon and a REST session of its first super user;
 * `open` launches Chromium (`media`: with the fake microphone) and logs a user in on a fresh
 * page (`allow`: console errors the file expects). A failing test keeps a screenshot; after the
 * file the browser and the daemon are closed.
 */
export function browserTestFile(): {
  start(adminPassword: string): Promise<{ atende: Atende; root: Api }>;
  open(login: string, password: string, o?: { media?: boolean; allow?: RegExp[] }): Promise<Session>;
} {
  let atende: Atende | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  afterEach(async (ctx) => {
    if (ctx.task.result?.state === 'fail' && page) await keepFailure(page, ctx.task.name);
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await atende?.close();
  });
  return {
    async start(adminPassword) {
      atende = await startAtende({ ATENDE_ADMIN_PASSWORD: adminPassword });
      return { atende, root: await atende.api('admin', adminPassword) };
    },
    async open(login, password, o = {}) {
      if (!atende) throw new Error('start the daemon first');
      browser = await launchBrowser(o.media ? FAKE_MEDIA : []);
      context = await newContext(browser, atende);
      page = await context.newPage();
      const problems = watchProblems(page, o.allow);
      await logIn(page, login, password);
      return { browser, context, page, problems };
    },
  };
}
