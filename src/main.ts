import { join, resolve } from 'node:path';
import { buildApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config/index.js';
import { openDatabase } from './db/client.js';
import { bootstrap } from './org/index.js';
import { createLogger, prepareDataDir, Readiness, systemClock, type Logger } from './kernel/index.js';
import { createCallsApp, type CallsApp } from './calls/index.js';
import { EventHub } from './events/index.js';
import { seedDemoTelephony } from './provisioning/demo.js';
import { startTelephony, type Telephony } from './telephony/runtime.js';
import { callFlows, createModules } from './modules.js';

/**
 * The composition root: config → database → adapters → engine → HTTP, and the way back down
 * on SIGTERM/SIGINT.
 */
export interface Running {
  url: string;
  telephony: Telephony;
  calls: CallsApp;
  stop(reason: string): Promise<void>;
}

export async function start(config: Config, logger: Logger): Promise<Running> {
  const dataDir = resolve(config.dataDir);
  prepareDataDir(dataDir, logger);
  const database = openDatabase(join(dataDir, 'atende.db'));
  const readiness = new Readiness();
  readiness.register('database', () => database.writable());
  const clock = systemClock;
  const boot = await bootstrap({ config, database, logger, clock });
  const telephony = await startTelephony({ config, logger, clock, readiness, dataDir });
  const events = new EventHub({ clock, logger });
  const modules = createModules({ config, database, clock, logger, events, asterisk: { ami: telephony.ami, configDir: telephony.configDir, webphoneUrl: telephony.webphoneUrl } });
  await modules.start();
  const flows = callFlows(modules, { control: telephony.callControl, dataDir, logger });
  const calls = createCallsApp({
    callControl: telephony.callControl,
    database,
    logger,
    clock,
    config,
    events,
    tenantResolver: flows.tenantResolver,
    handlers: flows.handlers,
    resumer: flows.resumer,
  });
  modules.routing.service.followPhones(telephony.ami);
  await calls.start();
  flows.dialer.start();
  const emulator = telephony.emulator;
  if (boot.demo && emulator) {
    // Rows now; the apply once the emulated Asterisk is reachable (the app need not wait for it).
    void seedDemoTelephony({
      provisioning: modules.provisioning,
      tenantId: boot.demo.tenantId,
      ami: telephony.ami,
      reloadDahdi: () => emulator.reload('chan_dahdi'),
      logger,
    }).catch((err: unknown) => logger.error({ err }, 'the demo telephony could not be set up'));
  }

  const app = await buildApp({ config, database, logger, clock, readiness, modules, extraRoutes: telephony.routes, connectSources: telephony.connectSources, events });
  const url = await app.listen({ host: config.http.host, port: config.http.port });

  let stopping: Promise<void> | undefined;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      logger.info({ reason, activeCalls: calls.activeCalls().length }, 'shutting down');
      flows.dialer.stop();
      // New calls are refused at once; live ones get the grace period, then are hung up.
      const draining = calls.stop(config.shutdownGraceMs);
      await app.close();
      await draining;
      await telephony.stop();
      await modules.close();
      database.close();
      logger.info('stopped');
    })());
  return { url, telephony, calls, stop };
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const logger = createLogger({ level: config.log.level, pretty: process.stdout.isTTY === true });
  const running = await start(config, logger);
  logger.info({ url: running.url }, 'Atende is listening');

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    process.once(signal, () => {
      const force = setTimeout(() => process.exit(1), config.shutdownGraceMs + 5000);
      force.unref();
      running.stop(signal).then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    });
  }
}

if (process.argv[1] && resolve(process.argv[1]).replace(/\.ts$/, '.js') === new URL(import.meta.url).pathname.replace(/\.ts$/, '.js')) {
  main().catch((err: unknown) => {
    process.stderr.write(`fatal: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
}
