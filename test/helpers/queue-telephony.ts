/**
 * Queue calls over real sockets for integration tests: the emulator's ARI and AMI, the
 * production adapters, and a calls engine whose inbound calls go to one queue, its agent legs and
 * supervisors' legs to the routing engine's voice channel.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCallsApp, leaveAlone, type CallsApp } from '../../src/calls/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { seededRandom, silentLogger, systemClock, type EventPublisher } from '../../src/kernel/index.js';
import { createModules, type Modules } from '../../src/modules.js';
import { bootstrap, OrgService } from '../../src/org/index.js';
import type { OutsideDialler, QueueCallOutcome, RoutingService } from '../../src/routing/index.js';
import type { TelephonyEvent } from '../../src/telephony/call-control.js';
import { createAmiClient, type AmiClient } from '../../src/telephony/ami/index.js';
import { createAriCallControl, type AriCallControlHandle } from '../../src/telephony/ari/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { EventLog } from './events.js';

export interface RoutingWorld {
  dir: string;
  database: Database_;
  modules: Modules;
  routing: RoutingService;
  org: OrgService;
  close(): Promise<void>;
}

/** A bootstrapped database in a temporary data dir, with the modules on the real clock. */
export async function openRoutingWorld(prefix: string, seed: number, events?: EventPublisher): Promise<RoutingWorld> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const config = loadConfig({}, { dataDir: dir, log: { level: 'silent' }, seedDemo: false, adminPassword: 'admin-test-password' });
  const database = openDatabase(join(dir, 'atende.db'));
  await bootstrap({ config, database, logger: silentLogger, clock: systemClock });
  const modules = createModules({ config, database, clock: systemClock, logger: silentLogger, random: seededRandom(seed), ...(events ? { events } : {}) });
  return {
    dir,
    database,
    modules,
    routing: modules.routing.service,
    org: new OrgService(database, systemClock, modules.resources.audit),
    close: async () => {
      await modules.close();
      database.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface QueueTelephony {
  emulator: Emulator;
  ari: AriCallControlHandle;
  ami: AmiClient;
  calls: CallsApp;
  events: EventLog<TelephonyEvent>;
  /** The queue flow's outcome of each inbound call, by the caller's channel. */
  outcomes: Map<string, QueueCallOutcome>;
  close(): Promise<void>;
}

export async function startQueueTelephony(o: {
  dir: string;
  phones: string[];
  database: Database_;
  routing: RoutingService;
  tenantId: number;
  /** Where inbound calls wait: the queue of the moment (a test may switch it). */
  queueId: () => number;
  /** How numbers outside are dialled (the outbound routes' part); absent: not at all. */
  outside?: OutsideDialler;
}): Promise<QueueTelephony> {
  const emulator = await startEmulator({ recordingsDir: join(o.dir, 'spool'), speed: 20, phones: o.phones.map((ext) => ({ ext })) });
  const ari = createAriCallControl({ url: emulator.ariUrl, user: emulator.ariUser, password: emulator.ariPassword, app: 'atende', logger: silentLogger });
  const events = new EventLog<TelephonyEvent>((l) => ari.callControl.onEvent(l));
  const ami = createAmiClient({ port: emulator.amiPort, user: emulator.amiUser, secret: emulator.amiSecret, logger: silentLogger });
  o.routing.followPhones(ami);
  const voice = o.routing.attachVoice({ control: ari.callControl, dataDir: o.dir, ...(o.outside ? { outside: o.outside } : {}) });
  const outcomes = new Map<string, QueueCallOutcome>();
  const calls = createCallsApp({
    callControl: ari.callControl,
    database: o.database,
    logger: silentLogger,
    clock: systemClock,
    config: { asterisk: { ari: { app: 'atende' }, soundsDir: '' } },
    tenantResolver: { forInbound: () => o.tenantId as never, forEntry: () => o.tenantId as never },
    handlers: {
      agent: voice.agentHandler,
      snoop: voice.supervisionHandler,
      // Legs dialled outside are their dialler's (a consult's).
      outbound: leaveAlone,
      inbound: {
        name: 'test: DID to the queue',
        run: async (call) => {
          outcomes.set(call.channel.id, await o.routing.enqueue(call, o.queueId()));
        },
      },
    },
  });
  ari.start();
  ami.start();
  await events.waitFor((e) => e.type === 'ConnectionChanged' && e.link === 'ari' && e.state === 'up', 10_000, 'ARI up');
  await calls.start();
  return {
    emulator,
    ari,
    ami,
    calls,
    events,
    outcomes,
    close: async () => {
      await calls.stop(0);
      await ari.stop();
      await ami.stop();
      await emulator.close();
    },
  };
}
