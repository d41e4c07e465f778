/**
 * The live dialer: each running campaign's pure core (`stepDialer`, the same code the
 * simulation runs) stepped over the telephony. The runner gives the core its facts — the
 * agents of the campaign's service as the routing engine sees them, the contacts it may dial
 * now, the campaign's state, the calls' answers and failures — on a tick and on every call
 * event, and carries out what the core asks: it dials the next contact on the campaign's
 * outbound route (after the checks made at dial time), hands an answered call to the
 * campaign's service through the routing engine, hangs up what no agent took within the
 * grace, and records every dial's outcome so that the strategy's retry rules apply.
 *
 * With answering-machine detection on, an answered leg goes through the dialplan's
 * `[atende-amd]` context first and comes back into the app with the verdict (see
 * dialplan/atende.conf): the core hangs up machines and silent answers, and sends people and
 * unsure verdicts to the agents.
 */
import { channel } from 'node:diagnostics_channel';
import { performance } from 'node:perf_hooks';
import { FAILOVER_CAUSES, formatStasisArgs, parseStasisArgs, type AmdStatus, type CallContext, type CallHandler } from '../calls/index.js';
import type { DialOutcome } from '../db/schema/index.js';
import { newId, type Clock, type Logger, type Timer } from '../kernel/index.js';
import { SOUNDS } from '../flows/index.js';
import type { ChangeContext } from '../resources/index.js';
import type { CallControl, Media, OriginateFailure } from '../telephony/call-control.js';
import { lifetimeFigures, ofcomRule } from './abandon.logic.js';
import type { DialVerdict } from './compliance.logic.js';
import { countedAgents, createDialer, stepDialer, type DialerState } from './dialer.logic.js';
import type { AmdVerdict, DialFailure, DialerCommand, DialerEvent, DialerSettings } from './dialer.model.js';
import { amdFalsePositiveRate, amdVariables } from './campaigns.resource.js';
import type { CampaignRow } from './dialer.repo.js';
import type { DialerService, LiveFigures, NextMember } from './dialer.service.js';
import { pacerFor, type PacingChoice } from './pacing.logic.js';

/** An agent of the campaign's service, in the routing engine's words. */
export interface ServiceAgent {
  /** The routing engine's agent key (`u:<userId>`). */
  key: string;
  state: 'offline' | 'available' | 'offered' | 'busy' | 'wrap_up' | 'paused';
}

/** How a number leaves: the dial strings of the route's trunks in failover order, and the route's caller id. */
export type DialRoute = { ok: true; trunks: { ref: string; endpoint: string }[]; callerId: string | null } | { ok: false; reason: string };

/** How an answered call's stay in the service ended. */
export interface HandOffResult {
  /** An agent took it (`agentUserId` when the agent is a user). */
  answered: boolean;
  agentUserId: number | null;
}

export interface DialerRunnerDeps {
  dialer: DialerService;
  control: Pick<CallControl, 'originate' | 'onEvent'>;
  clock: Clock;
  logger: Logger;
  /** The agents of a service (queue), as the routing engine has them now. */
  agentsOf(tenantId: number, queueId: number): ServiceAgent[];
  /** How the number leaves the tenant (its outbound routes; `routeId` when the campaign names one). */
  route(tenantId: number, number: string, routeId: number | null, now: number): DialRoute;
  /** A tenant's prompt as Asterisk plays it (the campaign's drop message); undefined when it is gone. */
  promptMedia?(tenantId: number, promptId: number): Media | undefined;
  /**
   * Puts the answered call in the service; resolves when its stay there (and the talk) is over.
   * `agentKey`: the agent offered it first — the one who accepted it in preview, or the one the
   * core connected it to. With `graceMs`, when that agent has not been offered it within the
   * grace (busy with another service's call, say), any agent of the service may take it.
   */
  handOff(call: CallContext, queueId: number, agentKey: string | null, graceMs?: number): Promise<HandOffResult>;
  /**
   * The calls the trunks of the campaign's route (every route of the tenant when null) carry at
   * once; null when a trunk has no limit.
   */
  routeLines(tenantId: number, routeId: number | null): number | null;
  /** How often the facts are read when no call event comes. Default 1000 ms. */
  tickMs?: number;
  /** Tuning of the predictive pacing (its warm-up, priors); default: the policy's own. */
  predictive?: PacingChoice['predictive'];
}

/** An answered person with no free agent is connected within this or hung up (Brazil's and Ofcom's 2 s). */
const CONNECT_GRACE_MS = 2000;
/** Lines of a campaign whose trunks set no limit: the per-agent cap of the pacing is then the limit (the trunks' own maximum). */
const UNLIMITED_LINES = 1000;

interface Dial {
  readonly callId: string;
  /** The leg of the trunk being tried. */
  channelId: string;
  /** The route's trunks in failover order, and the one being tried. */
  readonly trunks: readonly { ref: string; endpoint: string }[];
  trunk: number;
  readonly callerId: string | null;
  /** The agent who accepted it in preview, who takes it. */
  readonly agentKey: string | null;
  /** The agent the core connected it to (progressive, predictive): the service offers it to them first. */
  connectTo: string | null;
  /** The far end is ringing (the network said so). */
  ringing: boolean;
  readonly memberId: number;
  readonly contactId: number;
  readonly phone: string;
  readonly startedAt: number;
  answeredAt: number | null;
  /** Resolves the answered leg's wait: an agent is free, the grace ran out, or detection said machine. */
  settle: ((to: Decision) => void) | null;
  done: boolean;
}

interface Live {
  readonly tenantId: number;
  readonly campaignId: number;
  row: CampaignRow;
  readonly core: DialerState;
  /** The dials in progress, by the core's call id. */
  readonly dials: Map<string, Dial>;
  /** Members the core may dial in this step, in order. */
  ready: NextMember[];
  /** When the list was last read for `ready`. */
  readAt: number;
  /** Members refused at dial time (window, blacklist, no route): not picked again before the next tick. */
  readonly refused: Set<number>;
  /** Preview: the contact each agent is shown (null until one is ready), by agent key. */
  readonly offers: Map<string, PreviewOffer>;
  /** Dial level and abandon rate over the last hour, for the monitor's charts. */
  readonly samples: LiveFigures['samples'];
  /** When the monitor was last pushed. */
  pushedAt: number;
  wake: Timer | null;
  /** Originates the PBX refused in a row (no channel was made), and nothing is dialled before `holdUntil`. */
  refusals: number;
  holdUntil: number;
}

type Decision = 'connect' | 'drop' | 'machine';

/** The monitor's chart points: one every 10 s over the last hour; its figures pushed every 2 s. */
const SAMPLE_MS = 10_000;
const SAMPLES_KEPT = 360;
const PUSH_MS = 2000;
/** The longest a campaign holds back its dials while the PBX refuses them. */
const MAX_HOLD_MS = 60_000;
/** How long contacts read from the list stay good for the steps that follow (see `facts`). */
const READ_MS = 1000;

/** Calls in progress per agent logged in and not paused (VICIdial's "dial level"). */
function dialLevelOf(live: Live): number | null {
  const { core } = live;
  const agents = core.agentCount.idle + core.agentCount.talking + core.agentCount.wrapping + core.agentCount.dialing + core.agentCount.previewing;
  return agents === 0 ? null : live.dials.size / agents;
}

/** Which member each agent is shown (`-` while it waits for one). */
const offerSignature = (live: Live): Map<string, string> => new Map([...live.offers].map(([key, o]) => [key, o.pick ? String(o.pick.memberId) : '-']));

/** A contact shown to an agent in preview, to accept or skip. */
export interface PreviewOffer {
  pick: NextMember | null;
  since: number;
}

/** The dialplan context that runs AMD() and brings the leg back (dialplan/atende.conf). */
const AMD_CONTEXT = { context: 'atende-amd', extension: 's', priority: 1 };

/** app_amd reports an answer that stays silent as MACHINE with cause INITIALSILENCE-…. */
function verdictOf(status: AmdStatus, cause: string): AmdVerdict {
  if (cause.startsWith('INITIALSILENCE')) return 'silence';
  return status === 'HUMAN' ? 'human' : status === 'MACHINE' ? 'machine' : 'notsure';
}

/**
 * What the runner does, for a benchmark or a profiler to watch (`node:diagnostics_channel`;
 * nothing is measured or published while nobody subscribes). Times are `performance.now()`.
 * - `atende.dialer.tick`: `{ startMs, ms, campaigns }`, each timer tick over every live campaign;
 * - `atende.dialer.step`: `{ campaignId, event, startMs, ms }`, each step of a campaign's core;
 * - `atende.dialer.originate`: `{ campaignId, event, stepStartMs, tickStartMs, atMs }`, each
 *   dial asked of the PBX, with the step that decided it (`event` null for a dial sent to the
 *   next trunk) and, when a timer tick did, when that tick began (before its reads).
 */
export const DIALER_TRACE = {
  tick: channel('atende.dialer.tick'),
  step: channel('atende.dialer.step'),
  originate: channel('atende.dialer.originate'),
} as const;

const failureOf = (r: OriginateFailure): DialFailure => (r === 'busy' ? 'busy' : r === 'no_answer' ? 'no_answer' : r === 'congestion' ? 'congestion' : 'failed');
const outcomeOf = (f: DialFailure): DialOutcome => (f === 'congestion' ? 'failed' : f);

export class DialerRunner {
  private readonly live = new Map<number, Live>();
  private readonly byChannel = new Map<string, { live: Live; dial: Dial }>();
  private readonly log: Logger;
  private timer: Timer | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly warned = new Set<string>();
  /** The step being carried out, while it is traced. */
  private stepping: { event: DialerEvent['type']; startMs: number } | null = null;
  /** When the timer tick under way began, while it is traced. */
  private tickStartMs: number | null = null;

  /** The flow of an answered dialer leg (`dialer,<campaignId>,<contactId>`). */
  readonly handler: CallHandler = { name: 'dialer', run: (call) => this.answered(call) };

  constructor(private readonly deps: DialerRunnerDeps) {
    this.log = deps.logger.child({ component: 'dialer' });
    deps.dialer.attachLive(this);
  }

  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.deps.control.onEvent((e) => {
      if (e.type === 'OriginateFailed') this.notAnswered(e.channelId, e.cause, failureOf(e.reason));
      else if (e.type === 'CallStateChanged' && e.state === 'Ringing') {
        const hit = this.byChannel.get(e.channelId);
        if (hit) hit.dial.ringing = true;
      }
    });
    this.tick();
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    for (const live of this.live.values()) live.wake?.cancel();
  }

  /** What the core of a campaign sees now (for the live monitor and tests). */
  view(campaignId: number): Readonly<DialerState> | undefined {
    return this.live.get(campaignId)?.core;
  }

  /** The contact shown to an agent in a running preview campaign, if any. */
  previewOf(tenantId: number, userId: number): { campaignId: number; offer: PreviewOffer } | undefined {
    const key = `u:${userId}`;
    for (const live of this.live.values()) {
      const offer = live.tenantId === tenantId ? live.offers.get(key) : undefined;
      if (offer) return { campaignId: live.campaignId, offer };
    }
    return undefined;
  }

  /** The agent accepts the contact shown: it is dialled now and connected to that agent. */
  acceptPreview(tenantId: number, userId: number): boolean {
    const hit = this.previewOf(tenantId, userId);
    const live = hit && this.live.get(hit.campaignId);
    if (!live || !hit.offer.pick) return false;
    this.step(live, { type: 'PreviewAccepted', agentId: `u:${userId}` });
    return [...live.dials.values()].some((d) => d.agentKey === `u:${userId}`);
  }

  /** The agent skips the contact shown (it goes back to the list, see `DialerService.skipPreview`); the next one is shown. */
  skipPreview(change: ChangeContext, tenantId: number, reason: string): boolean {
    const userId = change.actor.userId;
    const hit = this.previewOf(tenantId, userId);
    const live = hit && this.live.get(hit.campaignId);
    if (!live || !hit.offer.pick) return false;
    this.deps.dialer.skipPreview(change, tenantId, live.campaignId, hit.offer.pick.memberId, reason);
    live.offers.delete(`u:${userId}`);
    this.step(live, { type: 'PreviewSkipped', agentId: `u:${userId}` });
    if (!live.offers.has(`u:${userId}`)) this.previewChanged(live, `u:${userId}`);
    return true;
  }

  private previewChanged(live: Live, agentKey: string): void {
    const userId = agentKey.startsWith('u:') ? Number(agentKey.slice(2)) : NaN;
    if (!Number.isInteger(userId)) return;
    try {
      this.deps.dialer.previewChanged(live.tenantId, userId);
    } catch (err) {
      this.log.warn({ err, campaignId: live.campaignId }, 'could not tell the agent’s desk about its preview');
    }
  }

  private takeOffer(live: Live, agentKey: string): NextMember | undefined {
    const offer = live.offers.get(agentKey);
    live.offers.delete(agentKey);
    return offer?.pick ?? undefined;
  }

  private tick(): void {
    const traced = DIALER_TRACE.tick.hasSubscribers;
    const startMs = traced || DIALER_TRACE.originate.hasSubscribers ? performance.now() : 0;
    this.tickStartMs = startMs;
    let campaigns = 0;
    try {
      const rows = this.deps.dialer.repo.liveCampaigns();
      const now = this.deps.clock.now();
      const seen = new Set<number>();
      for (const row of rows) {
        // Its stop time came: it finishes, and its core stops below like any campaign no longer live.
        if (row.stopAt !== null && now >= row.stopAt) {
          this.deps.dialer.reachedStopTime(row.tenantId, row.id);
          continue;
        }
        this.deps.dialer.followConditions(row, now);
        seen.add(row.id);
        const old = this.live.get(row.id);
        // Started again after a stop: a fresh core once the old calls are over.
        if (old?.core.status === 'stopped' && old.dials.size === 0) this.forget(old);
        const live = this.live.get(row.id) ?? this.open(row);
        if (!live) continue;
        live.row = row;
        live.refused.clear();
        this.fitLines(live);
        this.step(live, { type: 'Tick' });
        this.sample(live, now);
        campaigns++;
      }
      for (const [id, live] of this.live) {
        if (seen.has(id)) continue;
        if (live.core.status !== 'stopped') {
          live.row = { ...live.row, state: 'stopped' };
          this.step(live, { type: 'CampaignStopped' });
        }
        if (live.dials.size === 0) this.forget(live);
      }
    } catch (err) {
      this.log.error({ err }, 'dialer tick failed');
    }
    this.tickStartMs = null;
    if (traced) DIALER_TRACE.tick.publish({ startMs, ms: performance.now() - startMs, campaigns });
    this.timer = this.deps.clock.setTimeout(() => this.tick(), this.deps.tickMs ?? 1000);
  }

  /** What the monitor shows of a live campaign now. */
  liveFigures(campaignId: number): LiveFigures | undefined {
    const live = this.live.get(campaignId);
    if (!live) return undefined;
    const { callCount: calls, agentCount: agents } = live.core;
    let ringing = 0;
    for (const d of live.dials.values()) if (d.answeredAt === null && d.ringing) ringing++;
    return {
      dialing: calls.dialing - ringing,
      ringing,
      screening: calls.screening,
      waiting: calls.waiting,
      connected: calls.connected,
      agents: { waiting: agents.idle, talking: agents.talking + agents.dialing, wrapping: agents.wrapping, paused: agents.paused, previewing: agents.previewing },
      dialLevel: dialLevelOf(live),
      lines: live.core.settings.maxLines,
      samples: live.samples,
    };
  }

  /** A point of the monitor's charts every few seconds, and the monitor pushed to its watchers. */
  private sample(live: Live, now: number): void {
    const last = live.samples.at(-1);
    if (!last || now - last.at >= SAMPLE_MS) {
      // The estimate the pacing keeps under the campaign's cap (the persons detection hung up included).
      const abandon = lifetimeFigures(live.core.ledger);
      live.samples.push({ at: now, dialLevel: dialLevelOf(live), abandonRate: abandon.persons > 0 ? abandon.rate : null });
      if (live.samples.length > SAMPLES_KEPT) live.samples.splice(0, live.samples.length - SAMPLES_KEPT);
    }
    if (now - live.pushedAt < PUSH_MS) return;
    live.pushedAt = now;
    try {
      this.deps.dialer.publishMonitor(live.tenantId, live.campaignId);
    } catch (err) {
      this.log.warn({ err, campaignId: live.campaignId }, 'could not push the campaign’s monitor');
    }
  }

  private lineLimit(row: CampaignRow): number {
    return this.deps.routeLines(row.tenantId, row.outboundRouteId) ?? UNLIMITED_LINES;
  }

  /** The trunks of the route may have changed (a trunk added, its limit raised): the campaign's lines follow. */
  private fitLines(live: Live): void {
    const lines = this.lineLimit(live.row);
    const { core } = live;
    if (lines === core.settings.maxLines) return;
    core.linesFree += lines - core.settings.maxLines;
    core.settings.maxLines = lines;
  }

  private forget(live: Live): void {
    live.wake?.cancel();
    this.live.delete(live.campaignId);
  }

  private warnOnce(key: string, fields: Record<string, unknown>, message: string): void {
    if (this.warned.has(key)) return;
    this.warned.add(key);
    this.log.warn(fields, message);
  }

  private open(row: CampaignRow): Live | undefined {
    const settings: DialerSettings = {
      mode: row.mode,
      maxLines: this.lineLimit(row),
      connectGraceMs: CONNECT_GRACE_MS,
      ringTimeoutMs: row.ringTimeoutSeconds * 1000,
      amd: row.amdEnabled,
      // The pacing keeps the true-abandon estimate under the campaign's target: detection's false positives count.
      abandon: ofcomRule(amdFalsePositiveRate(row)),
      maxLinesPerAgent: 3,
    };
    const pacer = pacerFor(settings, {
      targetAbandonRate: row.abandonTargetPercent / 100,
      maxAbandonRate: row.abandonMaxPercent / 100,
      ...(this.deps.predictive ? { predictive: this.deps.predictive } : {}),
    });
    const live: Live = {
      tenantId: row.tenantId,
      campaignId: row.id,
      row,
      core: createDialer(settings, pacer, { callIdPrefix: `c${row.id}-`, status: row.state === 'paused' ? 'paused' : 'running' }),
      dials: new Map(),
      ready: [],
      readAt: Number.NEGATIVE_INFINITY,
      refused: new Set(),
      offers: new Map(),
      samples: [],
      pushedAt: Number.NEGATIVE_INFINITY,
      wake: null,
      refusals: 0,
      holdUntil: Number.NEGATIVE_INFINITY,
    };
    this.live.set(row.id, live);
    return live;
  }

  /** The facts the core is told before each event: contacts dialable now, the campaign's state, its agents. */
  private facts(live: Live, now: number): DialerEvent[] {
    const out: DialerEvent[] = [];
    const { core, row } = live;
    const offered = [...live.offers.values()].flatMap((o) => (o.pick ? [o.pick.memberId] : []));
    const dialling = new Set([...live.refused, ...offered, ...[...live.dials.values()].map((d) => d.memberId)]);
    const running = core.status === 'running' && row.state === 'running';
    // No more than the pacing could ask for now: every line, but not past what the agents can take.
    // In preview, a contact for each agent free or previewing (who may skip to the next one).
    const fits =
      core.settings.mode === 'preview'
        ? core.agentCount.idle + core.agentCount.previewing
        : Math.min(core.linesFree, Math.max(1, countedAgents(core)) * core.settings.maxLinesPerAgent);
    // While the PBX refuses the campaign's dials nothing is dialled, then one dial tries it again.
    const wanted = now < live.holdUntil ? 0 : live.refusals > 0 ? Math.min(1, fits) : fits;
    // The list is read only when a line could take a contact now: not on every event of a full
    // campaign. Contacts read less than a second ago and not dialled since are still good (each is
    // checked again at dial time): a large list is not read again on every call event.
    if (!running || wanted <= 0) {
      live.ready = [];
    } else if (live.ready.length > 0 && now - live.readAt < READ_MS) {
      live.ready = live.ready.filter((m) => !dialling.has(m.memberId)).slice(0, wanted);
    } else {
      const next = this.deps.dialer.nextDials(live.tenantId, live.campaignId, dialling, wanted, now);
      live.ready = next.dials;
      live.readAt = now;
      if (next.exhausted) this.deps.dialer.exhausted(live.tenantId, live.campaignId);
    }
    out.push({ type: 'ContactsAvailable', count: live.ready.length });
    if (row.state === 'paused' && core.status === 'running') out.push({ type: 'CampaignPaused' });
    if (row.state === 'running' && core.status === 'paused') out.push({ type: 'CampaignResumed' });
    const agents = new Map(
      this.deps
        .agentsOf(live.tenantId, row.queueId)
        .filter((a) => a.state !== 'offline')
        .map((a) => [a.key, a.state]),
    );
    for (const a of core.agents.values()) if (!agents.has(a.id)) out.push({ type: 'AgentLoggedOut', agentId: a.id });
    for (const [key, state] of agents) {
      const mine = core.agents.get(key);
      if (!mine) {
        out.push({ type: 'AgentLoggedIn', agentId: key });
        if (state !== 'available') out.push({ type: 'AgentPaused', agentId: key });
      } else if (state === 'available' && (mine.state === 'paused' || mine.state === 'wrapping')) {
        out.push({ type: 'AgentAvailable', agentId: key });
      } else if (state !== 'available' && mine.state === 'idle') {
        // Busy with a call of another service, offered one, or paused: not free for the dialer.
        out.push({ type: 'AgentPaused', agentId: key });
      }
    }
    return out;
  }

  private step(live: Live, event: DialerEvent): void {
    if (!DIALER_TRACE.step.hasSubscribers && !DIALER_TRACE.originate.hasSubscribers) return this.stepOnce(live, event);
    const outer = this.stepping;
    const startMs = performance.now();
    this.stepping = { event: event.type, startMs };
    try {
      this.stepOnce(live, event);
    } finally {
      this.stepping = outer;
      DIALER_TRACE.step.publish({ campaignId: live.campaignId, event: event.type, startMs, ms: performance.now() - startMs });
    }
  }

  private stepOnce(live: Live, event: DialerEvent): void {
    const now = this.deps.clock.now();
    const shown = offerSignature(live);
    const commands: DialerCommand[] = [];
    try {
      for (const e of this.facts(live, now)) commands.push(...stepDialer(live.core, e, now).commands);
    } catch (err) {
      this.log.error({ err, campaignId: live.campaignId }, 'could not read the campaign’s facts');
    }
    // Preview agents still waiting for a contact get the first ones ready.
    for (const offer of live.offers.values()) if (offer.pick === null) offer.pick = live.ready.shift() ?? null;
    commands.push(...stepDialer(live.core, event, now).commands);
    // A dial refused at dial time frees its line; the core may then take the next contact ready.
    const aborted: string[] = [];
    for (let i = 0; i < commands.length || aborted.length > 0; ) {
      if (i < commands.length) this.carryOut(live, commands[i++]!, now, aborted);
      else commands.push(...stepDialer(live.core, { type: 'DialAborted', callId: aborted.shift()! }, now).commands);
    }
    // An offer ends with its agent's preview (logged out, paused, or the accepted call dialled).
    for (const key of live.offers.keys()) if (live.core.agents.get(key)?.state !== 'previewing') live.offers.delete(key);
    const after = offerSignature(live);
    for (const key of new Set([...shown.keys(), ...after.keys()])) if (shown.get(key) !== after.get(key)) this.previewChanged(live, key);
  }

  private carryOut(live: Live, c: DialerCommand, now: number, aborted: string[]): void {
    switch (c.type) {
      case 'Originate': {
        const pick = c.agentId ? this.takeOffer(live, c.agentId) : live.ready.shift();
        if (!pick || !this.dial(live, c.callId, pick, now, c.agentId ?? null)) aborted.push(c.callId);
        return;
      }
      case 'Connect': {
        const d = live.dials.get(c.callId);
        if (d) d.connectTo = c.agentId;
        d?.settle?.('connect');
        return;
      }
      case 'DropCall':
        live.dials.get(c.callId)?.settle?.('drop');
        return;
      case 'HangUp':
        live.dials.get(c.callId)?.settle?.('machine');
        return;
      case 'OfferPreview':
        live.offers.set(c.agentId, { pick: live.ready.shift() ?? null, since: now });
        return;
      case 'WakeAt':
        live.wake?.cancel();
        live.wake = this.deps.clock.setTimeout(() => this.step(live, { type: 'Tick' }), Math.max(0, c.at - now));
        return;
    }
  }

  /** Checks and originates one dial; false when it cannot be dialled now (nothing was). */
  private dial(live: Live, callId: string, pick: NextMember, now: number, agentKey: string | null): boolean {
    const { row } = live;
    let verdict: DialVerdict;
    try {
      verdict = this.deps.dialer.checkBeforeDial(live.tenantId, live.campaignId, pick.contactId, pick.phone, now);
    } catch (err) {
      // The contact was deleted since it was picked.
      this.log.warn({ err, campaignId: live.campaignId, memberId: pick.memberId }, 'not dialled: the contact is gone');
      live.refused.add(pick.memberId);
      return false;
    }
    if (!verdict.ok) {
      this.log.debug({ campaignId: live.campaignId, memberId: pick.memberId, reason: verdict.reason }, 'not dialled: refused at dial time');
      live.refused.add(pick.memberId);
      return false;
    }
    const route = this.deps.route(live.tenantId, verdict.number, row.outboundRouteId, now);
    if (!route.ok) {
      this.warnOnce(`route:${live.campaignId}:${route.reason}`, { campaignId: live.campaignId, reason: route.reason }, 'no outbound route for the campaign’s number');
      live.refused.add(pick.memberId);
      return false;
    }
    const d: Dial = {
      callId,
      channelId: newId(),
      trunks: route.trunks,
      trunk: 0,
      callerId: verdict.callerId ?? route.callerId,
      agentKey,
      connectTo: null,
      ringing: false,
      ...pick,
      startedAt: now,
      answeredAt: null,
      settle: null,
      done: false,
    };
    live.dials.set(callId, d);
    this.originate(live, d);
    return true;
  }

  /** Originates the dial on its current trunk. */
  private originate(live: Live, d: Dial): void {
    const trunk = d.trunks[d.trunk]!;
    this.byChannel.set(d.channelId, { live, dial: d });
    if (DIALER_TRACE.originate.hasSubscribers) {
      DIALER_TRACE.originate.publish({
        campaignId: live.campaignId,
        event: this.stepping?.event ?? null,
        stepStartMs: this.stepping?.startMs ?? null,
        tickStartMs: this.tickStartMs,
        atMs: performance.now(),
      });
    }
    this.deps.control
      .originate({
        endpoint: trunk.endpoint,
        appArgs: formatStasisArgs({ kind: 'dialer', campaignId: String(live.campaignId), contactId: String(d.contactId) }),
        ...(d.callerId ? { callerId: { number: d.callerId } } : {}),
        timeoutSeconds: live.row.ringTimeoutSeconds,
        // What [atende-amd] passes to AMD() if the answer is screened: the campaign's own parameters.
        ...(live.row.amdEnabled ? { variables: amdVariables(live.row.amd) } : {}),
        id: d.channelId,
      })
      .then(
        () => this.pbxTakes(live),
        (err: unknown) => {
          // The PBX refused the originate itself (a trunk it does not have, no channel to allocate):
          // the route's next trunk, if any; else nobody was dialled, and the campaign holds back.
          this.log.warn({ err, campaignId: live.campaignId, trunk: trunk.ref }, 'originate refused');
          if (d.trunk + 1 < d.trunks.length) this.notAnswered(d.channelId, null, 'failed');
          else this.pbxRefused(live, d, err);
        },
      );
  }

  /**
   * Every trunk of the dial's route refused the originate: no channel, no call, so no attempt is
   * counted against the contact (a misconfigured trunk must not burn the list). The campaign
   * dials nothing for a while (1 s, doubling with each refusal in a row, up to a minute), then
   * one dial tries again; the campaign says why it waits until the PBX takes a dial.
   */
  private pbxRefused(live: Live, d: Dial, err: unknown): void {
    if (d.done) return;
    d.done = true;
    live.dials.delete(d.callId);
    this.byChannel.delete(d.channelId);
    live.refusals += 1;
    live.holdUntil = this.deps.clock.now() + Math.min(MAX_HOLD_MS, 1000 * 2 ** Math.min(16, live.refusals - 1));
    if (live.refusals === 1) {
      this.log.error({ err, campaignId: live.campaignId }, 'the PBX refuses the campaign’s dials: holding back (check the route’s trunks)');
      this.tell(live, () => this.deps.dialer.pbxRefusing(live.tenantId, live.campaignId, true));
    }
    this.step(live, { type: 'DialAborted', callId: d.callId });
  }

  /** The PBX took a dial: after refusals, the campaign dials as before. */
  private pbxTakes(live: Live): void {
    if (live.refusals === 0) return;
    live.refusals = 0;
    live.holdUntil = Number.NEGATIVE_INFINITY;
    this.log.info({ campaignId: live.campaignId }, 'the PBX takes the campaign’s dials again');
    this.tell(live, () => this.deps.dialer.pbxRefusing(live.tenantId, live.campaignId, false));
  }

  private tell(live: Live, write: () => void): void {
    try {
      write();
    } catch (err) {
      this.log.error({ err, campaignId: live.campaignId }, 'could not record why the campaign waits');
    }
  }

  private notAnswered(channelId: string, cause: number | null, failure: DialFailure): void {
    const hit = this.byChannel.get(channelId);
    if (!hit || hit.dial.done || hit.dial.answeredAt !== null) return;
    const { live, dial } = hit;
    // The network failed, not the called party (congestion, all circuits busy, a trunk down): the route's next trunk.
    if ((cause === null || FAILOVER_CAUSES.has(cause)) && dial.trunk + 1 < dial.trunks.length) {
      this.byChannel.delete(channelId);
      this.log.info({ campaignId: live.campaignId, trunk: dial.trunks[dial.trunk]!.ref, cause }, 'trunk failed; trying the route’s next trunk');
      dial.trunk += 1;
      dial.channelId = newId();
      this.originate(live, dial);
      return;
    }
    this.finish(live, dial, outcomeOf(failure), cause, null);
    this.step(live, { type: 'CallNotAnswered', callId: dial.callId, outcome: failure });
  }

  private finish(live: Live, d: Dial, outcome: DialOutcome, cause: number | null, agentUserId: number | null): void {
    d.done = true;
    live.dials.delete(d.callId);
    this.byChannel.delete(d.channelId);
    try {
      this.deps.dialer.recordAttempt(live.tenantId, {
        campaignId: live.campaignId,
        memberId: d.memberId,
        phone: d.phone,
        outcome,
        cause,
        startedAt: d.startedAt,
        answeredAt: d.answeredAt,
        endedAt: this.deps.clock.now(),
        agentUserId,
      });
    } catch (err) {
      this.log.error({ err, campaignId: live.campaignId, memberId: d.memberId }, 'could not record the attempt');
    }
  }

  /** An answered leg: wait for the core to give it an agent (or drop it), then the service takes it. */
  private async answered(call: CallContext): Promise<void> {
    const hit = this.byChannel.get(call.channel.id);
    if (!hit || hit.dial.done) {
      call.log.warn('a dialer leg no running campaign dialled; hanging up');
      await call.hangup(16);
      return;
    }
    const { live, dial } = hit;
    dial.answeredAt = this.deps.clock.now();
    const decided = new Promise<Decision>((resolve) => (dial.settle = resolve));
    this.step(live, { type: 'CallAnswered', callId: dial.callId });
    if (live.core.calls.get(dial.callId)?.state === 'screening') void this.screen(live, dial, call);
    let outcome: DialOutcome = 'dropped';
    let agentUserId: number | null = null;
    try {
      const first = await Promise.race([decided, call.whenEnded.then(() => 'gone' as const)]);
      dial.settle = null;
      if (first === 'connect') {
        // The agent the core chose, so that its agents and the service's stay the same ones.
        const handed = dial.agentKey
          ? await this.deps.handOff(call, live.row.queueId, dial.agentKey)
          : await this.deps.handOff(call, live.row.queueId, dial.connectTo, live.core.settings.connectGraceMs);
        if (handed.answered) outcome = 'connected';
        agentUserId = handed.agentUserId;
      } else if (first === 'drop') {
        call.log.info({ campaignId: live.campaignId }, 'no agent free within the grace: the drop message, then the hang-up');
        await call.play([this.dropMessage(live, call)]);
      } else if (first === 'machine') {
        outcome = 'machine';
      }
    } catch (err) {
      call.log.error({ err, campaignId: live.campaignId }, 'the answered call could not be handed to the service');
    } finally {
      dial.settle = null;
      if (!call.ended) await call.hangup(16).catch(() => undefined);
      const hangup = await call.whenEnded;
      this.finish(live, dial, outcome, hangup?.cause ?? null, agentUserId);
      this.step(live, { type: 'CallEnded', callId: dial.callId });
    }
  }

  /** The campaign's drop message; the built-in one (pt-BR) when it names none or its prompt is gone. */
  private dropMessage(live: Live, call: CallContext): Media {
    const id = live.row.dropPromptId;
    return (id === null ? undefined : this.deps.promptMedia?.(live.tenantId, id)) ?? call.prompt(SOUNDS.dialerDrop);
  }

  /** Sends the answered leg through AMD() and tells the core the verdict when it comes back. */
  private async screen(live: Live, dial: Dial, call: CallContext): Promise<void> {
    let off: () => void = () => undefined;
    const back = new Promise<AmdVerdict>((resolve) => {
      off = call.onEvent((e) => {
        if (e.type !== 'CallEntered') return;
        const entry = parseStasisArgs(e.args);
        if (entry.kind === 'amd') resolve(verdictOf(entry.status, entry.cause));
      });
    });
    let verdict: AmdVerdict | null;
    try {
      const args = formatStasisArgs({ kind: 'dialer', campaignId: String(live.campaignId), contactId: String(dial.contactId) });
      await call.control.setVariable(call.channel.id, 'ATENDE_AMD_ARGS', args.join(','));
      await call.control.continueInDialplan(call.channel.id, AMD_CONTEXT);
      verdict = await Promise.race([back, call.whenEnded.then(() => null)]);
    } catch (err) {
      // Detection could not run: a person may be there, so an agent takes the call.
      call.log.warn({ err, campaignId: live.campaignId }, 'answering-machine detection failed; the call goes to an agent');
      verdict = call.ended ? null : 'notsure';
    } finally {
      off();
    }
    if (verdict === null || dial.done) return;
    call.log.info({ campaignId: live.campaignId, verdict }, 'answering-machine detection');
    this.step(live, { type: 'AmdResult', callId: dial.callId, verdict });
  }
}
