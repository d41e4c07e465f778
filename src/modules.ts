import { isAbsolute, join, relative, resolve } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { AuditService } from './audit/index.js';
import type { Config } from './config/index.js';
import { ContactsService, contactsRoutes, crmResourceRoutes, interactionsRoutes } from './contacts/index.js';
import type { Database_ } from './db/client.js';
import { DialerRunner, DialerService, dialerRoutes, type DialerRunnerDeps } from './dialer/index.js';
import { soundsDirFor } from './calls/index.js';
import { destinationFromColumns, telephonyHandlers, type CallHandlers, type CallResumer, type TenantResolver } from './calls/index.js';
import { FlowRunner, FlowsModule, flowsRoutes } from './flows/index.js';
import { mathRandom, noEvents, silentLogger, type TenantId, type Clock, type EventPublisher, type Logger, type Random } from './kernel/index.js';
import { createSmtpMailer, MailService, mailRoutes, type Mailer } from './mail/index.js';
import { createProvisioning, Destinations, telephonyTenantResolver, type Provisioning } from './provisioning/index.js';
import { PromptService, promptDef, promptRoutes } from './provisioning/prompts/index.js';
import { ChangeFeed, ReferenceRegistry, ResourceService, type ResourceContext } from './resources/index.js';
import { createRouting, type RoutingModule } from './routing/index.js';
import type { AmiClient } from './telephony/ami/index.js';
import type { CallControl } from './telephony/call-control.js';
import { PromptStore, createMediaService } from './telephony/media/index.js';
import { createJobs } from './kernel/jobs.js';

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
  /**
   * The one place calls run through destinations, whatever the kind; the telephony flows
   * (extension, external number) and the ACD's voice side (queue) register their executors
   * once the telephony is attached (main.ts).
   */
  flowRunner: FlowRunner;
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

  const destinations = new Destinations(deps.database.db);
  const flows = new FlowsModule(resources, { dataDir: config.dataDir, destinations, timeZone: config.timezone });
  const routing = createRouting({
    resources,
    destinations,
    logger,
    random: deps.random ?? mathRandom,
    events,
    timeZone: config.timezone,
    dataDir: config.dataDir,
    crm: {
      answered: (v) =>
        contacts.interactions.answered({
          tenantId: v.tenantId,
          visitId: v.visitId,
          kind: v.kind === 'voice_out' ? 'dialer' : v.kind === 'voice_in' ? 'inbound' : v.kind,
          channel: v.kind === 'chat' ? 'webchat' : v.kind === 'email' ? 'email' : 'voice',
          callId: v.callId,
          address: v.address,
          contactId: v.contactId,
          serviceId: v.queueId,
          agentUserId: v.agentUserId,
          startedAt: v.firstEnteredAt,
        }),
      manual: (c) => {
        contacts.interactions.open(c.tenantId, {
          kind: 'manual',
          channel: 'voice',
          address: c.address,
          contactId: c.contactId,
          agentUserId: c.agentUserId,
          callId: c.callId,
          requiresTabulation: c.requiresTabulation,
          details: { visitId: c.visitId },
          startedAt: c.startedAt,
        });
      },
    },
    callers: {
      find: (tenantId, number, bookId) => {
        const found = contacts.caller(tenantId, number, bookId);
        return found ? { contactId: found.contactId, name: found.name, ownerUserId: found.ownerUserId, ownerUntil: found.ownerUntil } : null;
      },
    },
  });
  // A wrap-up held for a tabulation ends when the agent tabulates (or leaves the interaction pending).
  contacts.interactions.onSettled((row) => {
    if (typeof row.details.visitId === 'string') routing.service.tabulated(row.tenantId, row.details.visitId);
  });
  const jobs = createJobs(logger, config.timezone);

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
    destinations,
    timeConditionOpen: (tenantId, id, now) => {
      const row = flows.timeConditions.row(tenantId, id);
      return row !== undefined && flows.decide(row, now).decision.state === 'open';
    },
  });
  // A queue nobody can serve sends its callers on by themselves: loop checks follow that exit.
  destinations.registerSilentExits('queue', (tenantId, id) => {
    const queue = routing.service.queues.row(tenantId, id);
    return queue ? [destinationFromColumns(queue)] : [];
  });
  flows.usePrompts({ exists: (tenantId, id) => prompts.resource.row(tenantId, id) !== undefined, mediaPath: (tenantId, id) => prompts.media(tenantId, id).path });
  const dialer = new DialerService({
    resources,
    events,
    timeZone: config.timezone,
    contacts,
    flows,
    logger,
    refs: {
      routeExists: (tenantId, id) => provisioning.services.outboundRoutes.row(tenantId, id) !== undefined,
      promptExists: (tenantId, id) => prompts.resource.row(tenantId, id) !== undefined,
      agentExtension: (tenantId, userId) => routing.service.agent(tenantId, userId).extension,
      queueExists: (tenantId, id) => routing.service.queues.row(tenantId, id) !== undefined,
      agentsLoggedIn: (tenantId, queueId) => {
        const live = routing.service.engine.queueSnapshot(queueId);
        return live?.tenantId === tenantId ? live.agents.loggedIn : 0;
      },
    },
  });
  const flowRunner = new FlowRunner({ flows, soundsDir: soundsDirFor(config.asterisk.soundsDir), logger });
  const { services, settings } = provisioning;
  // The server's default language in Asterisk's form (pt_BR) is the prompts' directory (pt-BR).
  const language = () => settings.settings().language.replace('_', '-');
  flowRunner.provide({
    extensions: (tenantId) => new Map(services.extensions.rows(tenantId).map((e) => [e.number, e.id])),
    announcements: (tenantId, id) => {
      const row = services.announcements.row(tenantId, id);
      return row && { prompts: row.promptIds.map((p) => ({ kind: 'prompt' as const, id: p })), language: language(), next: destinationFromColumns(row) };
    },
    conferences: (tenantId, id) => {
      const row = services.conferences.row(tenantId, id);
      return row && { pin: row.pin, maxMembers: row.maxMembers, language: language() };
    },
    blacklisted: (tenantId, number, now) => contacts.blacklisted(tenantId, 'inbound', number, now) !== null,
    blacklistCause: () => settings.blacklistCause(),
  });

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
    start: async () => {
      await contacts.start();
      // Every hour at :17 (not on the hour, when other sites' jobs run).
      jobs.every('17 * * * *', 'recordings retention purge', () => routing.recordings.purge(deps.clock.now()));
    },
    close: async () => {
      await jobs.stop();
      routing.service.close();
      await contacts.stop();
      provisioning.status.stop();
      await provisioning.status.settled();
      await media.close();
    },
  };
}

export interface CallFlows {
  handlers: CallHandlers;
  /** Dials the running campaigns; started once the calls engine takes calls. */
  dialer: DialerRunner;
  /** The DID decides an inbound call's tenant, the phone an internal call's. */
  tenantResolver: (fallback: TenantResolver) => TenantResolver;
  /** After a restart, callers found still waiting go back into their queue (and on from there). */
  resumer: CallResumer;
}

/**
 * The call flows of the provisioned telephony on `control`, for the calls engine: every call
 * runs through destinations in the flows' runner, with the telephony flows' extension and
 * external-number steps and the ACD's queue step registered there. `agent` legs are the ACD's
 * offers (or a supervisor's take over) or the legs that ring an extension: each owner takes its
 * own; `snoop` legs are the supervisors'.
 */
export function callFlows(
  modules: Modules,
  deps: { control: CallControl; dataDir: string; ringSeconds?: number; outboundRingSeconds?: number; logger?: Logger; predictive?: DialerRunnerDeps['predictive'] },
): CallFlows {
  const directory = modules.provisioning.directory;
  const voice = modules.routing.service.attachVoice({
    control: deps.control,
    dataDir: deps.dataDir,
    // An agent's consult leaves as a blind transfer to the number would: the tenant's outbound route, not the agent's phone's.
    outside: (tenantId, number, now) => {
      const plan = directory.outbound(tenantId as TenantId, number, null, now);
      if (!plan.ok) return plan;
      const trunk = plan.trunks[0];
      return trunk ? { ok: true, endpoint: trunk.endpoint, callerId: plan.callerId } : { ok: false, reason: `route ${plan.route} has no trunk` };
    },
    manual: {
      directory,
      contactName: (tenantId, id) => modules.contacts.contacts.row(tenantId, id)?.name,
      blocked: (tenantId, number, now) => {
        const hit = modules.contacts.blacklisted(tenantId, 'outbound', number, now);
        return hit ? `${hit.number} is on the outbound blacklist${hit.reason ? ` (${hit.reason})` : ''}` : null;
      },
    },
  });
  const runner = modules.flowRunner;
  const { handlers, executors } = telephonyHandlers({
    directory,
    destinations: runner,
    screen: (call) => runner.screen(call),
    ...(modules.routing.service.manualCalls ? { outsideCalls: modules.routing.service.manualCalls } : {}),
    ...(deps.ringSeconds !== undefined ? { ringSeconds: deps.ringSeconds } : {}),
    ...(deps.outboundRingSeconds !== undefined ? { outboundRingSeconds: deps.outboundRingSeconds } : {}),
  });
  runner.register('extension', executors.extension);
  runner.register('external', executors.external);
  runner.register('queue', (call, d) => voice.queueStep(call, d));
  const extensionLegs = handlers.agent;
  const routing = modules.routing.service;
  const dialer = new DialerRunner({
    dialer: modules.dialer,
    control: deps.control,
    clock: modules.resources.clock,
    logger: deps.logger ?? silentLogger,
    ...(deps.predictive ? { predictive: deps.predictive } : {}),
    agentsOf: (tenantId, queueId) =>
      routing.engine
        .agentsOf(tenantId)
        .filter((a) => a.queueIds.includes(queueId))
        .map((a) => ({ key: a.key, state: a.state })),
    route: (tenantId, number, routeId, now) => {
      const plan = directory.outbound(tenantId as TenantId, number, null, now);
      if (!plan.ok) return { ok: false, reason: plan.reason };
      const named = routeId === null ? undefined : modules.provisioning.services.outboundRoutes.row(tenantId, routeId);
      if (named && named.name !== plan.route) return { ok: false, reason: `the campaign's route ${named.name} does not serve ${number} (route ${plan.route} does)` };
      const trunks = plan.trunks.map((t) => ({ ref: t.ref, endpoint: t.endpoint }));
      return trunks.length > 0 ? { ok: true, trunks, callerId: plan.callerId } : { ok: false, reason: `route ${plan.route} has no trunk` };
    },
    routeLines: (tenantId, routeId) => directory.routeLines(tenantId as TenantId, routeId),
    promptMedia: (tenantId, id) => (modules.prompts.resource.row(tenantId, id) ? { kind: 'file', path: modules.prompts.media(tenantId, id).path } : undefined),
    handOff: async (call, queueId, agentKey, graceMs) => {
      const target = agentKey ? { targetAgent: agentKey, ...(graceMs !== undefined ? { targetGraceMs: graceMs } : {}) } : {};
      const outcome = await voice.enqueue(call, queueId, { kind: 'voice_out', ...target });
      if (outcome.result !== 'answered') return { answered: false, agentUserId: null };
      return { answered: true, agentUserId: routing.repo.interaction(call.tenantId, outcome.interactionId)?.agentUserId ?? null };
    },
  });
  return {
    handlers: {
      ...handlers,
      agent: { name: 'agent-leg', run: (leg) => (voice.owns(leg.channel.id) || !extensionLegs ? voice.agentHandler.run(leg) : extensionLegs.run(leg)) },
      dialer: dialer.handler,
      snoop: voice.supervisionHandler,
    },
    dialer,
    resumer: {
      resume: (callId, tenantId) => {
        const resumed = routing.resumeCaller(callId, tenantId);
        return resumed && { name: 'queue-resume', run: (call) => runner.run(call, { kind: 'queue', id: resumed.queueId }) };
      },
      settled: () => routing.settleResumed(),
    },
    tenantResolver: (fallback) => {
      const phones = telephonyTenantResolver(directory, fallback);
      return {
        ...phones,
        // A dialer leg belongs to its campaign's tenant.
        forEntry: (entry, channel) => {
          const base = entry.kind === 'amd' ? entry.original : entry;
          if (base.kind !== 'dialer') return phones.forEntry(entry, channel);
          return modules.dialer.campaigns.repo.get(Number(base.campaignId))?.tenantId as TenantId | undefined;
        },
      };
    },
  };
}

/** Whether `path` is `dir` or lies below it. */
function isInside(path: string, dir: string): boolean {
  const rel = relative(resolve(dir), resolve(path));
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}
