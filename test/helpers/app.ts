/**
 * The shared harness for integration tests: the real app (`buildApp`) on a real SQLite file in
 * a fresh temporary data dir, bootstrapped like production, with a `FakeClock`.
 *
 *   const t = await createTestApp();
 *   const { cookie } = await t.loginAs('admin');            // a new admin in t.tenantA
 *   const res = await t.request('GET', '/api/v1/users', { cookie });
 *   await t.close();                                        // closes and deletes the data dir
 *
 * `loginAs(level, { tenantId, permissions })` creates a fresh user (unique login, no forced
 * password change) and logs it in over HTTP, returning the `cookie` header to send.
 * `restart()` closes the app and database and builds them again on the same data dir.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { buildApp, type AppDeps } from '../../src/app.js';
import { EventHub } from '../../src/events/index.js';
import { createModules, type ModuleDeps, type Modules } from '../../src/modules.js';
import type { Mailer } from '../../src/mail/index.js';
import { loadConfig, type Config } from '../../src/config/index.js';
import { openDatabase } from '../../src/db/client.js';
import { FakeClock, Readiness, silentLogger, type Logger, type Random } from '../../src/kernel/index.js';
import { bootstrap, SYSTEM_ACTOR, type BootstrapResult, type User } from '../../src/org/index.js';
import type { AccessLevel } from '../../src/http/principal.js';

export const ADMIN_PASSWORD = 'admin-test-password';
export const TEST_PASSWORD = 'test-password-1';

export interface TestAppOptions {
  /** Deep overrides of the configuration (e.g. `{ auth: { loginMaxFailures: 3 } }`). */
  config?: Record<string, unknown>;
  /** Reuse a data dir (what `restart()` does); otherwise a fresh temporary one. */
  dataDir?: string;
  clock?: FakeClock;
  logger?: Logger;
  /** Adds to the modules before the app is built (e.g. a test resource's routes). */
  extendModules?: (modules: Modules) => void;
  /** An Asterisk (usually an emulator) the modules configure: its AMI client and configuration directory. */
  asterisk?: ModuleDeps['asterisk'];
  /** The SMTP adapter (e.g. one that trusts a test's certificate authority). */
  mailer?: Mailer;
  /** A seeded random for the routing engine's strategies. */
  random?: Random;
}

export interface RequestOptions {
  cookie?: string | undefined;
  body?: unknown;
  /** Sent as-is, for malformed-JSON tests. */
  rawBody?: string;
  query?: Record<string, string | number | boolean>;
  headers?: Record<string, string>;
  /** The client address the server sees (default 127.0.0.1), e.g. for rate-limit tests. */
  remoteAddress?: string;
}

export interface LoggedIn {
  cookie: string;
  user: User;
}

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  /** What the app pushes on the events socket (spy on `publish` to see it). */
  events: EventHub;
  modules: Modules;
  config: Config;
  clock: FakeClock;
  dataDir: string;
  boot: BootstrapResult;
  /** A tenant created for the test (valid CNPJ); `loginAs` puts users here by default. */
  tenantA: number;
  request(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, opts?: RequestOptions): Promise<LightMyRequestResponse>;
  /** Logs in over HTTP; returns the `cookie` header value, or throws with the response body. */
  login(login: string, password: string): Promise<string>;
  loginAs(level: AccessLevel | 'super', opts?: { tenantId?: number; permissions?: string[]; teamId?: number }): Promise<LoggedIn>;
  /** A new tenant (through the service, audited as the system). */
  createTenant(legalName?: string): number;
  /** Row count of a table, to prove a refused request changed nothing. */
  count(table: string): number;
  restart(): Promise<TestApp>;
  /** Closes the app and database; deletes the data dir unless `keepData`. */
  close(opts?: { keepData?: boolean }): Promise<void>;
}

/** A valid CNPJ derived from `seed` (distinct seeds give distinct numbers). */
export function validCnpj(seed: number): string {
  const base = String(seed % 1e8).padStart(8, '0') + '0001';
  const digits = [...base].map(Number);
  const check = (n: number) => {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += digits[i]! * (((n - 1 - i) % 8) + 2);
    const rest = sum % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  digits.push(check(12));
  digits.push(check(13));
  return digits.join('');
}

/** A valid CPF (11 digits) derived from `seed` (distinct seeds below 1e9 give distinct numbers). */
export function validCpf(seed: number): string {
  const digits = [...String(seed % 1e9).padStart(9, '0')].map(Number);
  if (digits.every((d) => d === digits[0])) digits[8] = (digits[8]! + 1) % 10;
  for (const n of [9, 10]) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += digits[i]! * (n + 1 - i);
    const rest = (sum * 10) % 11;
    digits.push(rest === 10 ? 0 : rest);
  }
  return digits.join('');
}

/** The `atende_session=...` cookie header from a login response, or undefined. */
export function sessionCookie(res: LightMyRequestResponse): string | undefined {
  const c = res.cookies.find((x) => x.name === 'atende_session');
  return c && c.value ? `atende_session=${c.value}` : undefined;
}

let seq = 0;

export async function createTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'atende-test-'));
  const config = loadConfig(
    {},
    {
      dataDir,
      log: { level: 'silent' },
      seedDemo: false,
      adminPassword: ADMIN_PASSWORD,
      ...opts.config,
    },
  );
  const clock = opts.clock ?? new FakeClock();
  const logger = opts.logger ?? silentLogger;
  const database = openDatabase(join(dataDir, 'atende.db'));
  const readiness = new Readiness();
  readiness.register('database', () => database.writable());
  // One hub for the modules and the app, as in main.ts: what services push reaches the sockets.
  const events = new EventHub({ clock, logger });
  const modules = createModules({
    config,
    database,
    clock,
    logger,
    events,
    ...(opts.mailer ? { mailer: opts.mailer } : {}),
    ...(opts.asterisk ? { asterisk: opts.asterisk } : {}),
  });
  opts.extendModules?.(modules);
  const deps: AppDeps & { modules: Modules; events: EventHub } = { config, database, logger, clock, readiness, modules, events };
  let boot: BootstrapResult;
  let app: FastifyInstance;
  try {
    boot = await bootstrap({ config, database, logger, clock });
    app = await buildApp({ ...deps, events });
    await app.ready();
  } catch (e) {
    database.close();
    if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }

  const existing = app.org.repo.tenantByCnpj(validCnpj(4242));
  const tenantA =
    existing?.id ?? app.org.createTenant({ actor: SYSTEM_ACTOR }, { legalName: 'Tenant A', cnpj: validCnpj(4242) }).id;

  const t: TestApp = {
    app,
    deps,
    events,
    modules,
    config,
    clock,
    dataDir,
    boot,
    tenantA,
    request(method, url, r = {}) {
      const headers: Record<string, string> = { ...r.headers };
      if (r.cookie) headers.cookie = r.cookie;
      if (r.rawBody !== undefined) headers['content-type'] ??= 'application/json';
      return app.inject({
        method,
        url,
        headers,
        ...(r.remoteAddress ? { remoteAddress: r.remoteAddress } : {}),
        ...(r.query ? { query: Object.fromEntries(Object.entries(r.query).map(([k, v]) => [k, String(v)])) } : {}),
        ...(r.rawBody !== undefined ? { payload: r.rawBody } : r.body !== undefined ? { payload: r.body as object } : {}),
      });
    },
    async login(login, password) {
      const res = await t.request('POST', '/api/v1/auth/login', { body: { login, password } });
      const cookie = sessionCookie(res);
      if (res.statusCode !== 200 || !cookie) throw new Error(`login ${login} failed: ${res.statusCode} ${res.body}`);
      return cookie;
    },
    async loginAs(level, o = {}) {
      const tenantId = o.tenantId ?? tenantA;
      const ctx = { actor: SYSTEM_ACTOR };
      const n = ++seq;
      const profileId = o.permissions
        ? app.org.createProfile(ctx, tenantId, { name: `profile-${n}`, permissions: o.permissions }).id
        : null;
      const user = await app.org.createUser(ctx, tenantId, {
        name: `${level} ${n}`,
        login: `${level}.${n}`,
        password: TEST_PASSWORD,
        level: level === 'super' ? 'admin' : level,
        superUser: level === 'super',
        profileId,
        teamId: o.teamId ?? null,
        passwordChangeRequired: false,
      });
      return { cookie: await t.login(user.login, TEST_PASSWORD), user };
    },
    createTenant(legalName = `Tenant ${++seq}`) {
      return app.org.createTenant({ actor: SYSTEM_ACTOR }, { legalName, cnpj: validCnpj(10_000 + ++seq) }).id;
    },
    count(table) {
      if (!/^[a-z][a-z0-9_]*$/.test(table)) throw new Error(`bad table name ${table}`);
      return (database.sqlite.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
    },
    async restart() {
      await t.close({ keepData: true });
      return createTestApp({ ...opts, dataDir, clock });
    },
    async close(c = {}) {
      await app.close();
      await modules.close();
      database.close();
      if (!c.keepData) rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return t;
}
