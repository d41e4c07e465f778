/**
 * A call-flow world for engine tests: a real SQLite file with one tenant, the modules made as
 * production makes them, the calls engine on the in-memory CallControl and a FakeClock, and
 * the call flows wired as main.ts wires them: an inbound call is screened (caller number,
 * blacklist), follows its DID's inbound route, and runs through destinations in the runner.
 *
 * Prompts play for `promptMs` each; a file missing on disk fails as Asterisk's playback would.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallsApp, type CallsApp } from '../../src/calls/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { prompts, tenants } from '../../src/db/schema/index.js';
import type { Destination } from '../../src/calls/index.js';
import type { FlowRunner, FlowRunnerDeps, FlowsModule } from '../../src/flows/index.js';
import { FakeClock, type Logger } from '../../src/kernel/index.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { callFlows, createModules, type Modules } from '../../src/modules.js';
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
  modules: Modules;
  tenantId: number;
  /** Routes a DID to a destination: an inbound route, checked as the API checks it. */
  route(did: string, destination: Destination): void;
  /**
   * A real announcement row (of a placeholder prompt whose audio is not on disk) going on to
   * `next`, so that destinations may name it; what it plays is the test's (`runner.announcements`).
   */
  announcement(name: string, next?: Destination): number;
  logs: LogLine[];
  change: { actor: typeof SYSTEM_ACTOR };
  /** Lets the engine's pending promises run. */
  settle(): Promise<void>;
  /** Moves the clock, letting the engine react between timers. */
  advance(ms: number, stepMs?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * A real announcement row of `tenantId` going on to `next`, whose one prompt is a row without
 * audio on disk: destinations may name it; what it plays is the test's (`runner.announcements`).
 */
export function placeholderAnnouncement(modules: Modules, database: Database_, tenantId: number, name: string, next: Destination = { kind: 'hangup', cause: 16 }): number {
  const now = Date.now();
  const prompt = database.db
    .insert(prompts)
    .values({ tenantId, name: `prompt of ${name}`, language: 'pt-BR', source: 'tts', ttsText: name, durationMs: 1000, wavBytes: 0, wavSha256: '', createdAt: now, updatedAt: now })
    .returning()
    .get();
  return modules.provisioning.services.announcements.create({ actor: SYSTEM_ACTOR }, tenantId, { name, promptIds: [prompt.id], destination: next }).id;
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
  const runner = modules.flowRunner;
  const flows = callFlows(modules, { control, dataDir: dir });
  if (opts.runner) runner.provide(opts.runner);
  const calls = createCallsApp({
    callControl: control,
    database,
    logger,
    clock,
    config: { asterisk: { ari: { app: 'atende' }, soundsDir: '' } },
    tenantResolver: flows.tenantResolver,
    handlers: flows.handlers,
  });
  const change = { actor: SYSTEM_ACTOR };
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
    modules,
    tenantId: 1,
    announcement: (name, next) => placeholderAnnouncement(modules, database, 1, name, next),
    route(did, destination) {
      modules.provisioning.services.inboundRoutes.create(change, 1, { name: `DID ${did}`, did, destination });
    },
    logs,
    change,
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
