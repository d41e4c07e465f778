import { isAbsolute, join, relative, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { AuditService } from './audit/index.js';
import type { Config } from './config/index.js';
import { ContactsService, contactsRoutes, crmResourceRoutes, interactionsRoutes } from './contacts/index.js';
import type { Database_ } from './db/client.js';
import { DialerService, dialerRoutes } from './dialer/index.js';
import { soundsDirFor } from './calls/index.js';
import { FlowRunner, FlowsModule, flowsRoutes, type InboundRouter, type InboundScreen } from './flows/index.js';
import { mathRandom, noEvents, type Clock, type EventPublisher, type Logger, type Random } from './kernel/index.js';
import { createSmtpMailer, MailService, mailRoutes, type Mailer } from './mail/index.js';
import { createProvisioning, type Provisioning } from './provisioning/index.js';
import { PromptService, promptDef, promptRoutes } from './provisioning/prompts/index.js';
import { ChangeFeed, ReferenceRegistry, ResourceService, type ResourceContext } from './resources/index.js';
import { createRouting, type RoutingModule } from './routing/index.js';
import type { AmiClient } from './telephony/ami/index.js';
import { PromptStore, createMediaService } from './telephony/media/index.js';

/**
 * The feature modules, made once per process: main.ts hands the same instances to the HTTP app
 * and to the engines (calls, ACD, dialer), so that both act on one state. Add a module here.
 */
export interface Modules {
  /** What every resource service shares: audit, cross-module references, the change feed. */
  resources: ResourceContext;
  /** Contacts, CRM resources, the CSV importer, tabulations (screen pop and blacklist for the engines). */
  contacts: ContactsService;
  /** The platform's outgoing mail (password resets, access links). */
  mail: MailService;
  /** Queues/ACD: the routing engine, agents, queues. */
  routing: RoutingModule;
  /** Route plugins of the modules, mounted under /api/v1. */
  routes: FastifyPluginAsync[];
  /** IVRs, time conditions, surveys, voicemail: resources, destinations, traces, the IVR report. */
  flows: FlowsModule;
  /** Runs calls through destinations; the owners of extensions, queues and external numbers register their executors. */
  flowRunner: FlowRunner;
  /**
   * Where inbound calls go (provisioning's inbound routes, the contacts' inbound blacklist).
   * Until a router is set, inbound calls keep the calls engine's default flow.
   */
  inbound?: { router: InboundRouter; screen?: InboundScreen };
  /** Audio prompts: upload, text to speech, the files Asterisk plays. */
  prompts: PromptService;
  /** The telecom admin's resources and what Asterisk is configured from. */
  provisioning: Provisioning;
  /** Contact groups, dialing strategies, campaigns, the checks before each dial. */
  dialer: DialerService;
  /** Starts what runs in the background (undo of imports a stop interrupted). */
  start(): Promise<void>;
  /** Releases what the modules hold (running imports are cancelled and undone, the text-to-speech worker); the database stays open. */
  close(): Promise<void>;
}

export interface ModuleDeps {
  config: Config;
  database: Database_;
  clock: Clock;
  logger: Logger;
  /** The SMTP adapter; default: nodemailer with the system's certificate authorities. */
  mailer?: Mailer;
  /** Where services push live events (the events socket's hub); default: nowhere. */
  events?: EventPublisher;
  /** Default: Math.random (tests pass a seeded one). */
  random?: Random;
  /** The Asterisk the modules configure and watch; absent where there is none (tests of the resources alone). */
  asterisk?: {
    ami: AmiClient;
    /** Its configuration directory (ATENDE_ASTERISK_CONFIG_DIR, or the emulator's). */
    configDir: string | undefined;
    /** Where browsers reach its SIP WebSocket (ATENDE_WEBPHONE_WS_URL, or the emulator's). */
    webphoneUrl?: string | undefined;
  };
}

const NO_CONFIG_DIR = 'ATENDE_ASTERISK_CONFIG_DIR is not set: set it to Asterisk’s configuration directory (usually /etc/asterisk) so that Atende can write its files there';

export function createModules(deps: ModuleDeps): Modules {
  const events = deps.events ?? noEvents;
  const resources: ResourceContext = {
    database: deps.database,
    clock: deps.clock,
    audit: new AuditService(deps.database, deps.clock),
    references: new ReferenceRegistry(),
    changes: new ChangeFeed(deps.logger),
  };
  const contacts = new ContactsService({
    resources,
    logger: deps.logger,
    spoolDir: join(resolve(deps.config.dataDir), 'imports'),
    importMaxBytes: deps.config.contacts.importMaxMb * 1024 * 1024,
    // Progress is kept with the import (GET /imports/:id) and pushed on the `imports` topic.
    importPublisher: { publish: (progress) => events.publish('imports', progress.tenantId, { type: 'import.progressed', data: { import: progress } }) },
  });
  const mail = new MailService({ ...deps, audit: resources.audit, mailer: deps.mailer ?? createSmtpMailer() });

  const { config, logger } = deps;
  const media = createMediaService({
    ffmpegPath: config.media.ffmpegPath,
    limits: { maxUploadBytes: config.media.maxUploadBytes, maxDurationMs: config.media.maxDurationSeconds * 1000 },
    clock: deps.clock,
    logger,
  });
  const store = new PromptStore({ dataDir: config.dataDir, soundsDir: config.asterisk.soundsDir });
  const prompts = new PromptService(new ResourceService(promptDef(store), resources), media, store, resources, logger);
  const files = prompts.reconcileFiles();
  if (files.published + files.removed > 0) logger.info({ published: files.published, removed: files.removed }, 'prompt files brought in line');
  if (files.missing.length > 0) logger.warn({ missing: files.missing }, 'prompts whose audio files are missing from the data dir');

  const flows = new FlowsModule(resources, { dataDir: config.dataDir });
  const routing = createRouting({
    resources,
    logger,
    random: deps.random ?? mathRandom,
    events,
    timeZone: config.timezone,
  });

  const configDir = deps.asterisk?.configDir;
  const webphoneUrl = deps.asterisk?.webphoneUrl ?? (config.asterisk.webphoneUrl || undefined);
  const provisioning = createProvisioning({
    resources,
    logger,
    prompts,
    configDir: configDir ? { path: configDir, audience: isInside(configDir, config.dataDir) ? 'private' : 'asterisk' } : { missing: NO_CONFIG_DIR },
    ...(deps.asterisk ? { asterisk: deps.asterisk.ami } : {}),
    ...(webphoneUrl ? { webphoneUrl } : {}),
    ...(deps.events ? { events: deps.events } : {}),
    timeConditionOpen: (tenantId, id, now) => {
      const row = flows.timeConditions.row(tenantId, id);
      return row !== undefined && flows.decide(row, now).decision.state === 'open';
    },
  });
  flows.usePrompts({ exists: (tenantId, id) => prompts.resource.row(tenantId, id) !== undefined, mediaPath: (tenantId, id) => prompts.media(tenantId, id).path });
  const dialer = new DialerService({
    resources,
    contacts,
    flows,
    logger,
    refs: { routeExists: (tenantId, id) => provisioning.services.outboundRoutes.row(tenantId, id) !== undefined },
  });
  const flowRunner = new FlowRunner({ flows, soundsDir: soundsDirFor(config.asterisk.soundsDir), logger });

  return {
    resources,
    contacts,
    mail,
    routing,
    routes: [
      ...crmResourceRoutes(contacts),
      contactsRoutes(contacts),
      interactionsRoutes(contacts),
      mailRoutes(mail),
      promptRoutes(prompts, media.limits),
      flowsRoutes(flows, () => deps.clock.now()),
      ...provisioning.routes,
      ...dialerRoutes(dialer),
      ...routing.routes,
    ],
    prompts,
    provisioning,
    flows,
    flowRunner,
    dialer,
    start: () => contacts.start(),
    close: async () => {
      await contacts.stop();
      provisioning.status.stop();
      await provisioning.status.settled();
      await media.close();
    },
  };
}

/** Whether `path` is `dir` or lies below it. */
function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
