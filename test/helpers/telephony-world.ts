/**
 * Provisioned telephony over real sockets, as the daemon runs it: the emulator (one PRI span,
 * config mode: only what an apply wrote exists), the HTTP app wired to its configuration
 * directory and AMI, the production ARI adapter, and the calls engine with the call flows of
 * `callFlows()`. Every play is noted (`plays`: which prompts a channel heard), and every
 * originate (`originates`).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallsApp, type CallsApp } from '../../src/calls/index.js';
import type { DialerRunner, DialerRunnerDeps } from '../../src/dialer/index.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';
import { callFlows } from '../../src/modules.js';
import type { Media, OriginateRequest } from '../../src/telephony/call-control.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { connectAmi } from './ami.js';
import { createTestApp, type LoggedIn, type TestApp } from './app.js';
import { notingPlays } from './emulator-ari.js';
import { until } from './until.js';

export interface TelephonyWorld {
  dir: string;
  emulator: Emulator;
  ari: AriCallControlHandle;
  t: TestApp;
  /** An admin of `t.tenantA`. */
  admin: LoggedIn;
  calls: CallsApp;
  dialer: DialerRunner;
  plays: { channelId: string; media: Media[] }[];
  /** Every originate the app asked for, in order. */
  originates: OriginateRequest[];
  /** A call of `/api/v1` as the admin; a refusal throws, with its status and body. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each test reads the JSON it expects
  api(method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<any>;
  /** One tick of the dialer (its timers run on the app's FakeClock). */
  tick(): void;
  /** Ticks until `probe` holds (the emulator answers in real time between ticks). */
  tickUntil<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>): Promise<T>;
  close(): Promise<void>;
}

export async function telephonyWorld(prefix: string, ring: { ringSeconds: number; outboundRingSeconds: number; predictive?: DialerRunnerDeps['predictive'] }): Promise<TelephonyWorld> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const configDir = join(dir, 'asterisk');
  const emulator = await startEmulator({ recordingsDir: join(dir, 'rec'), configDir, speed: 10, spans: [{ span: 1, signalling: 'pri_cpe', group: 1 }] });
  const ami = await connectAmi(emulator);
  const t = await createTestApp({ asterisk: { ami, configDir } });
  const admin = await t.loginAs('admin');
  const ari = createAriCallControl({ url: emulator.ariUrl, user: emulator.ariUser, password: emulator.ariPassword, app: 'atende', logger: silentLogger });
  ari.start();
  await until('ARI up', () => ari.callControl.connectionState() === 'up');
  const plays: TelephonyWorld['plays'] = [];
  const originates: OriginateRequest[] = [];
  const noted = notingPlays(ari.callControl, plays);
  const control: typeof noted = Object.assign(Object.create(noted) as typeof noted, {
    originate: (r: OriginateRequest) => {
      originates.push(r);
      return noted.originate(r);
    },
  });
  const flows = callFlows(t.modules, { control, dataDir: dir, ...ring });
  const calls = createCallsApp({
    callControl: control,
    database: t.deps.database,
    logger: silentLogger,
    clock: systemClock,
    config: { asterisk: { ari: { app: 'atende' }, soundsDir: '' } },
    handlers: flows.handlers,
    tenantResolver: flows.tenantResolver,
  });
  await calls.start();
  // Its ticks run on the app's FakeClock: a test moves them with `t.clock.advance`.
  flows.dialer.start();
  const tick = () => t.clock.advance(1000);
  const world: TelephonyWorld = {
    dir,
    emulator,
    ari,
    t,
    admin,
    calls,
    dialer: flows.dialer,
    plays,
    originates,
    async api(method, path, body) {
      // The admin of the moment: a test logs in again after moving the clock past its session.
      const res = await t.request(method, `/api/v1/${path}`, { cookie: world.admin.cookie, ...(body === undefined ? {} : { body }) });
      if (res.statusCode >= 400) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
      return res.json();
    },
    tick,
    tickUntil: (what, probe) =>
      until(what, async () => {
        const v = await probe();
        if (v === undefined || v === false) tick();
        return v;
      }),
    async close() {
      flows.dialer.stop();
      await calls.stop(0);
      await ari.stop();
      await t.close();
      await ami.stop();
      await emulator.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
