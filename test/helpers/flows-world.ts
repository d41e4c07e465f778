/**
 * A call-flow world for engine tests: a real SQLite file with one tenant, the modules made as
 * production makes them, the calls engine on the in-memory CallControl and a FakeClock, and
 * the flow runner handling inbound calls through a DID table the test fills.
 *
 * Prompts play for `promptMs` each; a file missing on disk fails as Asterisk's playback would.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallsApp, type CallsApp } from '../../src/calls/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { tenants } from '../../src/db/schema/index.js';
import type { Destination, FlowRunner, FlowRunnerDeps, FlowsModule } from '../../src/flows/index.js';
import { FakeClock, type Logger } from '../../src/kernel/index.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { createModules } from '../../src/modules.js';
import type { Media } from '../../src/telephony/call-control.js';
import { FakeCallControl } from './fake-call-control.js';
import { capturingLogger, type LogLine } from './logs.js';

export interface FlowsWorld {
  dir: string;
  database: Database_;
  clock: FakeClock;
  control: FakeCallControl;
  calls: CallsApp;
  flows: FlowsModule;
  runner: FlowRunner;
  tenantId: number;
  /** DID → where its calls start. */
  routes: Map<string, Destination>;
  /** Blacklisted callers, E.164 → the cause they are rejected with. */
  blacklist: Map<string, number>;
  logs: LogLine[];
  change: { actor: typeof SYSTEM_ACTOR };
  /** Lets the engine's pending promises run. */
  settle(): Promise<void>;
  /** Moves the clock, letting the engine react between timers. */
  advance(ms: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

export async function flowsWorld(
  opts: { promptMs?: number; runner?: Pick<FlowRunnerDeps, 'announcements' | 'extensions'>; logger?: Logger } = {},
): Promise<FlowsWorld> {
  const promptMs = opts.promptMs ?? 2000;
  const dir = mkdtempSync(join(tmpdir(), 'atende-flows-'));
  const database = openDatabase(join(dir, 'atende.db'));
  database.db.insert(tenants).values({ legalName: 'Empresa', cnpj: '11222333000181' }).run();
  const clock = new FakeClock();
  const captured = capturingLogger();
  const logger = opts.logger ?? captured.logger;
  const { logs } = captured;
  const mediaDurationMs = (m: Media): number | 'missing' =>
    m.kind === 'file' && !['wav', 'alaw'].some((ext) => existsSync(`${m.path}.${ext}`)) ? 'missing' : promptMs;
  const control = new FakeCallControl({ clock, mediaDurationMs });
  const config = loadConfig({}, { dataDir: dir, log: { level: 'silent' } });
  const modules = createModules({ config, database, clock, logger });
  const routes = new Map<string, Destination>();
  const blacklist = new Map<string, number>();
  const runner = modules.flowRunner;
  if (opts.runner) runner.provide(opts.runner);
  const calls = createCallsApp({
    callControl: control,
    database,
    logger,
    clock,
    config: { asterisk: { ari: { app: 'atende' }, soundsDir: '' } },
    handlers: {
      inbound: runner.inboundHandler(
        (_tenant, did) => routes.get(did),
        (_tenant, caller) => (caller.e164 !== null && blacklist.has(caller.e164) ? { reject: blacklist.get(caller.e164)! } : undefined),
      ),
    },
  });
  await calls.start();
  const settle = () => control.flush(10);
  return {
    dir,
    database,
    clock,
    control,
    calls,
    flows: modules.flows,
    runner,
    tenantId: 1,
    routes,
    blacklist,
    logs,
    change: { actor: SYSTEM_ACTOR },
    settle,
    async advance(ms, stepMs = 250) {
      for (let done = 0; done < ms; done += stepMs) {
        clock.advance(Math.min(stepMs, ms - done));
        await settle();
      }
    },
    async close() {
      // Shutdown waits on the clock, which only moves when told to.
      let stopped = false;
      const stopping = calls.stop(0).then(() => (stopped = true));
      for (let i = 0; i < 20 && !stopped; i++) {
        clock.advance(1000);
        await settle();
      }
      await stopping;
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
