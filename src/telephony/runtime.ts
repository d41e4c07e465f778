import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { usesEmulator, type Config } from '../config/index.js';
import { mathRandom, type Clock, type Logger, type Readiness } from '../kernel/index.js';
import type { CallControl } from './call-control.js';
import { createAmiClient, type AmiClient } from './ami/index.js';
import { createAriCallControl } from './ari/index.js';
import type { Emulator } from './emulator/index.js';

/**
 * Connects Atende to its Asterisk: the one named by `ATENDE_ARI_URL`, or, when none is, the
 * built-in emulator started on random loopback ports. Either way the same ARI and AMI adapters
 * are used, so everything above this point behaves identically.
 */
export interface Telephony {
  callControl: CallControl;
  ami: AmiClient;
  /** Present in emulator mode only. */
  emulator?: Emulator;
  /** Routes to mount under /api/v1 (the emulator's control surface in emulator mode). */
  routes: FastifyPluginAsync[];
  /** Asterisk's configuration directory, where apply writes; undefined when none is known. */
  configDir: string | undefined;
  /** Where browsers reach Asterisk's SIP WebSocket (the webphone); undefined when not configured. */
  webphoneUrl: string | undefined;
  /** Origins the web app may open connections to besides its own (the webphone's SIP WebSocket). */
  connectSources: string[];
  stop(): Promise<void>;
}

export interface TelephonyDeps {
  config: Config;
  logger: Logger;
  clock: Clock;
  readiness: Readiness;
  dataDir: string;
}

export async function startTelephony({ config, logger, clock, readiness, dataDir }: TelephonyDeps): Promise<Telephony> {
  let emulator: Emulator | undefined;
  let ari = { url: config.asterisk.ari.url, user: config.asterisk.ari.user, password: config.asterisk.ari.password };
  let ami = { ...config.asterisk.ami };
  const routes: FastifyPluginAsync[] = [];
  let configDir = config.asterisk.configDir === '' ? undefined : config.asterisk.configDir;
  let webphoneUrl = config.asterisk.webphoneUrl === '' ? undefined : config.asterisk.webphoneUrl;

  if (usesEmulator(config)) {
    // Loaded only in emulator mode: a production daemon never carries the fake Asterisk.
    const { startEmulator } = await import('./emulator/index.js');
    const { emulatorRoutes } = await import('./emulator/emulator.routes.js');
    const secret = randomBytes(12).toString('hex');
    // The emulated Asterisk reads its own configuration directory, where apply writes.
    configDir ??= join(dataDir, 'emulator', 'asterisk');
    const started = await startEmulator({
      configDir,
      recordingsDir: join(dataDir, 'emulator', 'recordings'),
      ari: { port: 0, user: 'atende', password: secret },
      ami: { port: 0, user: 'atende', secret },
      spans: [
        { span: 1, signalling: 'pri_cpe', group: 1 },
        { span: 2, signalling: 'mfcr2', group: 2 },
      ],
      logger,
    });
    emulator = started;
    ari = { url: started.ariUrl, user: started.ariUser, password: started.ariPassword };
    ami = { host: '127.0.0.1', port: started.amiPort, user: started.amiUser, secret: started.amiSecret };
    routes.push(async (app) => app.register(emulatorRoutes, { emulator: started }));
    webphoneUrl ??= started.sipWsUrl;
    readiness.register('asterisk', () => ({ ok: true, detail: 'emulator (no ATENDE_ARI_URL configured)' }));
    logger.warn(
      { ariUrl: started.ariUrl, amiPort: started.amiPort },
      'no Asterisk configured (ATENDE_ARI_URL is empty): running against the built-in Asterisk emulator',
    );
  } else {
    readiness.register('asterisk', () => ({ ok: true, detail: `real Asterisk at ${config.asterisk.ari.url}` }));
  }

  const ariHandle = createAriCallControl({ ...ari, app: config.asterisk.ari.app, logger, clock, random: mathRandom });
  const amiClient = createAmiClient({ ...ami, logger, clock, random: mathRandom });
  readiness.register('ari', ariHandle.readinessProbe);
  readiness.register('ami', () => amiClient.readinessProbe());

  // Readiness watchers (the events socket's `system` topic) hear of a link going up or down at once.
  ariHandle.callControl.onEvent((e) => {
    if (e.type === 'ConnectionChanged') readiness.changed();
  });
  amiClient.onEvent((e) => {
    if (e.type === 'ConnectionChanged') readiness.changed();
    else if (e.type === 'SpanAlarm') logger.warn({ span: e.span, alarm: e.alarm }, `E1 span ${e.span} in alarm: ${e.alarm}`);
    else if (e.type === 'SpanAlarmCleared') logger.info({ span: e.span }, `E1 span ${e.span} alarm cleared`);
    else if (e.type === 'ContactStatus') logger.info({ endpoint: e.endpoint, status: e.status }, 'phone contact status');
  });

  ariHandle.start();
  amiClient.start();

  return {
    callControl: ariHandle.callControl,
    ami: amiClient,
    emulator,
    routes,
    configDir,
    webphoneUrl,
    connectSources: webphoneUrl ? [new URL(webphoneUrl).origin] : [],
    async stop() {
      await Promise.allSettled([ariHandle.stop(), amiClient.stop()]);
      await emulator?.close();
    },
  };
}
