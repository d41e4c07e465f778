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
import { formatStasisArgs, parseStasisArgs, type AmdStatus, type CallContext, type CallHandler } from '../calls/index.js';
import type { DialOutcome } from '../db/schema/index.js';
import { newId, type Clock, type Logger, type Timer } from '../kernel/index.js';
import type { CallControl, OriginateFailure } from '../telephony/call-control.js';
import { ofcomRule } from './abandon.logic.js';
import type { DialVerdict } from './compliance.logic.js';
import { countedAgents, createDialer, stepDialer, type DialerState } from './dialer.logic.js';
import type { AmdVerdict, DialFailure, DialerCommand, DialerEvent, DialerSettings } from './dialer.model.js';
import type { CampaignRow } from './dialer.repo.js';
import type { DialerService, NextMember } from './dialer.service.js';
import { pacerFor } from './pacing.logic.js';

/** An agent of the campaign's service, in the routing engine's words. */
export interface ServiceAgent {
  /** The routing engine's agent key (`u:<userId>`). */
  key: string;
  state: 'offline' | 'available' | 'offered' | 'busy' | 'wrap_up' | 'paused';
}

/** How a number leaves: the dial string of the route's first trunk and the route's caller id. */
export type DialRoute = { ok: true; endpoint: string; callerId: string | null } | { ok: false; reason: string };

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
  /** Puts the answered call in the service; resolves when its stay there (and the talk) is over. */
  handOff(call: CallContext, queueId: number): Promise<HandOffResult>;
  /** How often the facts are read when no call event comes. Default 1000 ms. */
  tickMs?: number;
  /** Lines one campaign may hold at once. Default 30 (one E1). */
  maxLines?: number;
}

/** An answered person with no free agent is connected within this or hung up (Brazil's and Ofcom's 2 s). */
const CONNECT_GRACE_MS = 2000;

interface Dial {
  readonly callId: string;
  readonly channelId: string;
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
  /** Members refused at dial time (window, blacklist, no route): not picked again before the next tick. */
  readonly refused: Set<number>;
  wake: Timer | null;
}

type Decision = 'connect' | 'drop' | 'machine';

/** The dialplan context that runs AMD() and brings the leg back (dialplan/atende.conf). */
const AMD_CONTEXT = { context: 'atende-amd', extension: 's', priority: 1 };

/** app_amd reports an answer that stays silent as MACHINE with cause INITIALSILENCE-…. */
function verdictOf(status: AmdStatus, cause: string): AmdVerdict {
  if (cause.startsWith('INITIALSILENCE')) return 'silence';
  return status === 'HUMAN' ? 'human' : status === 'MACHINE' ? 'machine' : 'notsure';
}

const failureOf = (r: OriginateFailure): DialFailure => (r === 'busy' ? 'busy' : r === 'no_answer' ? 'no_answer' : r === 'congestion' ? 'congestion' : 'failed');
const outcomeOf = (f: DialFailure): DialOutcome => (f === 'congestion' ? 'failed' : f);

export class DialerRunner {
  private readonly live = new Map<number, Live>();
  private readonly byChannel = new Map<string, { live: Live; dial: Dial }>();
  private readonly log: Logger;
  private timer: Timer | null = null;
  private unsubscribe: (() => void) | null = null;
  private readonly warned = new Set<string>();

  /** The flow of an answered dialer leg (`dialer,<campaignId>,<contactId>`). */
  readonly handler: CallHandler = { name: 'dialer', run: (call) => this.answered(call) };

  constructor(private readonly deps: DialerRunnerDeps) {
    this.log = deps.logger.child({ component: 'dialer' });
  }

  start(): void {
    if (this.timer) return;
    this.unsubscribe = this.deps.control.onEvent((e) => {
      if (e.type === 'OriginateFailed') this.notAnswered(e.channelId, e.cause, failureOf(e.reason));
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

  private tick(): void {
    try {
      const rows = this.deps.dialer.repo.liveCampaigns();
      const seen = new Set<number>();
      for (const row of rows) {
        seen.add(row.id);
        const old = this.live.get(row.id);
        // Started again after a stop: a fresh core once the old calls are over.
        if (old?.core.status === 'stopped' && old.dials.size === 0) this.forget(old);
        const live = this.live.get(row.id) ?? this.open(row);
        if (!live) continue;
        live.row = row;
        live.refused.clear();
        this.step(live, { type: 'Tick' });
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
    this.timer = this.deps.clock.setTimeout(() => this.tick(), this.deps.tickMs ?? 1000);
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
    if (row.mode === 'preview') {
      this.warnOnce(`preview:${row.id}`, { campaignId: row.id }, 'preview campaigns are not dialled live yet');
      return undefined;
    }
    const settings: DialerSettings = {
      mode: row.mode,
      maxLines: this.deps.maxLines ?? 30,
      connectGraceMs: CONNECT_GRACE_MS,
      ringTimeoutMs: row.ringTimeoutSeconds * 1000,
      amd: row.amdEnabled,
      abandon: ofcomRule(0),
      maxLinesPerAgent: 3,
    };
    const pacer = pacerFor(settings, { targetAbandonRate: row.abandonTargetPercent / 100, maxAbandonRate: row.abandonMaxPercent / 100 });
    const live: Live = {
      tenantId: row.tenantId,
      campaignId: row.id,
      row,
      core: createDialer(settings, pacer, { callIdPrefix: `c${row.id}-`, status: row.state === 'paused' ? 'paused' : 'running' }),
      dials: new Map(),
      ready: [],
      refused: new Set(),
      wake: null,
    };
    this.live.set(row.id, live);
    return live;
  }

  /** The facts the core is told before each event: contacts dialable now, the campaign's state, its agents. */
  private facts(live: Live, now: number): DialerEvent[] {
    const out: DialerEvent[] = [];
    const { core, row } = live;
    const dialling = new Set([...live.refused, ...[...live.dials.values()].map((d) => d.memberId)]);
    const running = core.status === 'running' && row.state === 'running';
    // No more than the pacing could ask for now: every line, but not past what the agents can take.
    const wanted = Math.min(core.linesFree, Math.max(1, countedAgents(core)) * core.settings.maxLinesPerAgent);
    // The list is read only when a line could take a contact now: not on every event of a full campaign.
    const next = running && wanted > 0 ? this.deps.dialer.nextDials(live.tenantId, live.campaignId, dialling, wanted, now) : { dials: [], exhausted: false };
    live.ready = next.dials;
    out.push({ type: 'ContactsAvailable', count: next.dials.length });
    if (next.exhausted) this.deps.dialer.exhausted(live.tenantId, live.campaignId);
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
    const now = this.deps.clock.now();
    const commands: DialerCommand[] = [];
    try {
      for (const e of this.facts(live, now)) commands.push(...stepDialer(live.core, e, now).commands);
    } catch (err) {
      this.log.error({ err, campaignId: live.campaignId }, 'could not read the campaign’s facts');
    }
    commands.push(...stepDialer(live.core, event, now).commands);
    // A dial refused at dial time frees its line; the core may then take the next contact ready.
    const aborted: string[] = [];
    for (let i = 0; i < commands.length || aborted.length > 0; ) {
      if (i < commands.length) this.carryOut(live, commands[i++]!, now, aborted);
      else commands.push(...stepDialer(live.core, { type: 'DialAborted', callId: aborted.shift()! }, now).commands);
    }
  }

  private carryOut(live: Live, c: DialerCommand, now: number, aborted: string[]): void {
    switch (c.type) {
      case 'Originate': {
        const pick = live.ready.shift();
        if (!pick || !this.dial(live, c.callId, pick, now)) aborted.push(c.callId);
        return;
      }
      case 'Connect':
        live.dials.get(c.callId)?.settle?.('connect');
        return;
      case 'DropCall':
        live.dials.get(c.callId)?.settle?.('drop');
        return;
      case 'HangUp':
        live.dials.get(c.callId)?.settle?.('machine');
        return;
      case 'OfferPreview':
        return;
      case 'WakeAt':
        live.wake?.cancel();
        live.wake = this.deps.clock.setTimeout(() => this.step(live, { type: 'Tick' }), Math.max(0, c.at - now));
        return;
    }
  }

  /** Checks and originates one dial; false when it cannot be dialled now (nothing was). */
  private dial(live: Live, callId: string, pick: NextMember, now: number): boolean {
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
    const d: Dial = { callId, channelId: newId(), ...pick, startedAt: now, answeredAt: null, settle: null, done: false };
    live.dials.set(callId, d);
    this.byChannel.set(d.channelId, { live, dial: d });
    const callerId = verdict.callerId ?? route.callerId;
    this.deps.control
      .originate({
        endpoint: route.endpoint,
        appArgs: formatStasisArgs({ kind: 'dialer', campaignId: String(live.campaignId), contactId: String(pick.contactId) }),
        ...(callerId ? { callerId: { number: callerId } } : {}),
        timeoutSeconds: row.ringTimeoutSeconds,
        id: d.channelId,
      })
      .catch((err: unknown) => {
        // The PBX refused the originate itself (unknown trunk, no free channel): a network failure.
        this.log.warn({ err, campaignId: live.campaignId, endpoint: route.endpoint }, 'originate refused');
        this.notAnswered(d.channelId, null, 'failed');
      });
    return true;
  }

  private notAnswered(channelId: string, cause: number | null, failure: DialFailure): void {
    const hit = this.byChannel.get(channelId);
    if (!hit || hit.dial.done || hit.dial.answeredAt !== null) return;
    this.finish(hit.live, hit.dial, outcomeOf(failure), cause, null);
    this.step(hit.live, { type: 'CallNotAnswered', callId: hit.dial.callId, outcome: failure });
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
        const handed = await this.deps.handOff(call, live.row.queueId);
        if (handed.answered) outcome = 'connected';
        agentUserId = handed.agentUserId;
      } else if (first === 'drop') {
        call.log.info({ campaignId: live.campaignId }, 'no agent free within the grace: call dropped');
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
