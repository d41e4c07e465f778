/**
 * The Stasis application and call records. Other modules import calls/ only from here.
 */
import type { Config } from '../config/index.js';
import type { Database_ } from '../db/client.js';
import type { Clock, EventPublisher, Logger } from '../kernel/index.js';
import type { CallControl } from '../telephony/call-control.js';
import type { ActiveCall, CallHandlers, CallResumer, TenantResolver } from './calls.model.js';
import { createCallsRepo } from './calls.repo.js';
import { CallsEngine } from './calls.service.js';
import { defaultHandlers } from './handlers.js';
import { installSounds, productSoundsDir, soundsDirFor } from './sounds.js';
import { firstActiveTenantResolver } from './tenant-resolver.js';

export * from './calls.model.js';
export type * from './directory.js';
export * from './destination.model.js';
export * from './destination.js';
export * from './destination-graph.logic.js';
export type { ReplaceLeg } from './conversation.js';
export { FAILOVER_CAUSES, telephonyHandlers, type TelephonyFlowDeps, type OutsideCall, type OutsideCallWatcher, type TelephonyFlows, type DestinationRunner, type DestinationStep } from './telephony-flows.js';
export { FEATURE_CODES } from './features.logic.js';
export * from './stasis-args.js';
export { callsRoutes, Call as CallSchema } from './calls.routes.js';
export { callView, callEvent } from './calls.logic.js';
export { welcomeAndHangup, hangupWith, leaveAlone, defaultHandlers, WELCOME_PROMPT } from './handlers.js';
export { installSounds, productSoundsDir, promptMedia, soundsDirFor } from './sounds.js';
export { NUMBER_PROMPTS, numberPrompts } from './number-prompts.logic.js';
export { dial, whenLegEnds, type DialOutcome } from './legs.js';
export { firstActiveTenantResolver } from './tenant-resolver.js';

export interface CallsAppDeps {
  callControl: CallControl;
  database: Database_;
  logger: Logger;
  clock: Clock;
  config: { asterisk: { ari: Pick<Config['asterisk']['ari'], 'app'>; soundsDir: string } };
  /** Which tenant owns a call; default: the only/first active tenant. A function gets that default to fall back on. */
  tenantResolver?: TenantResolver | ((fallback: TenantResolver) => TenantResolver);
  /** Flows by entry kind, over the defaults (inbound: welcome prompt then hang up). */
  handlers?: CallHandlers;
  /** Where call started / answered / ended go (the events hub); default: nowhere. */
  events?: EventPublisher;
  /** Legs of a previous run that carry on after a restart (a queue's waiting callers). */
  resumer?: CallResumer;
  /** Overrides for tests. */
  tuning?: { playbackGuardMs?: number; hangupConfirmMs?: number };
}

export interface CallsApp {
  /** Installs the prompts (if `soundsDir` is set), subscribes to the port, reconciles. */
  start(): Promise<void>;
  /** Stops taking calls, lets live ones finish for up to `graceMs`, hangs up and closes the rest. */
  stop(graceMs: number): Promise<void>;
  /** Legs in the app right now. */
  activeCalls(): ActiveCall[];
  /** Reconciles against Asterisk's channels now (also done at start and after every ARI reconnect). */
  reconcile(): Promise<void>;
  /** The directory prompts are played from. */
  readonly soundsDir: string;
}

export function createCallsApp(deps: CallsAppDeps): CallsApp {
  const repo = createCallsRepo(deps.database.db);
  const soundsDir = soundsDirFor(deps.config.asterisk.soundsDir);
  const log = deps.logger.child({ component: 'calls' });
  const engine = new CallsEngine({
    control: deps.callControl,
    repo,
    logger: deps.logger,
    clock: deps.clock,
    app: deps.config.asterisk.ari.app,
    soundsDir,
    tenantResolver:
      typeof deps.tenantResolver === 'function' ? deps.tenantResolver(firstActiveTenantResolver(repo)) : (deps.tenantResolver ?? firstActiveTenantResolver(repo)),
    handlers: { ...defaultHandlers, ...deps.handlers },
    playbackGuardMs: deps.tuning?.playbackGuardMs,
    hangupConfirmMs: deps.tuning?.hangupConfirmMs,
    events: deps.events,
    resumer: deps.resumer,
  });
  return {
    soundsDir,
    async start() {
      if (soundsDir !== productSoundsDir) {
        const written = installSounds(productSoundsDir, soundsDir);
        log.info({ soundsDir, installed: written.length }, 'prompts installed where Asterisk reads them');
      } else log.info({ soundsDir }, "prompts played from the product's sounds directory");
      await engine.start();
    },
    stop: (graceMs) => engine.stop(graceMs),
    activeCalls: () => engine.activeCalls(),
    reconcile: () => engine.reconcile('requested'),
  };
}
