import type { FastifyPluginAsync } from 'fastify';
import { AuditService } from './audit/index.js';
import type { Database_ } from './db/client.js';
import type { Config } from './config/index.js';
import { mathRandom, noEvents, type Clock, type EventPublisher, type Logger, type Random } from './kernel/index.js';
import { createSmtpMailer, MailService, mailRoutes, type Mailer } from './mail/index.js';
import { PromptService, promptDef, promptRoutes } from './provisioning/prompts/index.js';
import { ChangeFeed, ReferenceRegistry, ResourceService, type ResourceContext } from './resources/index.js';
import { createRouting, type RoutingModule } from './routing/index.js';
import { PromptStore, createMediaService } from './telephony/media/index.js';

/**
 * The feature modules, made once per process: main.ts hands the same instances to the HTTP app
 * and to the engines (calls, ACD, dialer), so that both act on one state. Add a module here.
 */
export interface Modules {
  /** What every resource service shares: audit, cross-module references, the change feed. */
  resources: ResourceContext;
  /** The platform's outgoing mail (password resets, access links). */
  mail: MailService;
  /** Queues/ACD: the routing engine, agents, queues. */
  routing: RoutingModule;
  /** Route plugins of the modules, mounted under /api/v1. */
  routes: FastifyPluginAsync[];
  /** Audio prompts: upload, text to speech, the files Asterisk plays. */
  prompts: PromptService;
  /** Releases what the modules hold (the text-to-speech worker); the database stays open. */
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
}

export function createModules(deps: ModuleDeps): Modules {
  const resources: ResourceContext = {
    database: deps.database,
    clock: deps.clock,
    audit: new AuditService(deps.database, deps.clock),
    references: new ReferenceRegistry(),
    changes: new ChangeFeed(deps.logger),
  };
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

  const routing = createRouting({
    resources,
    logger,
    random: deps.random ?? mathRandom,
    events: deps.events ?? noEvents,
    timeZone: config.timezone,
  });

  return {
    resources,
    mail,
    routing,
    routes: [mailRoutes(mail), promptRoutes(prompts, media.limits), ...routing.routes],
    prompts,
    close: () => media.close(),
  };
}
