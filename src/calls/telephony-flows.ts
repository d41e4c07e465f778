/**
 * The flows of provisioned telephony. A call from the public network is screened (the caller's
 * number normalised and kept, the inbound blacklist) and follows its DID's inbound route; a
 * call from a phone (`internal,<dialled>`) reaches another extension or a conference, runs a
 * feature code, or leaves through an outbound route with failover across its trunks. Every
 * destination runs in one place, the `DestinationRunner` (the call flows' runner): this file
 * gives it the two kinds it owns — ringing an extension and dialling an external number — as
 * `executors`. Legs Atende originates (`agent,<callId>`, `outbound,<callId>`) are left alone by
 * their own sessions: the flow that dialled them owns them.
 */
import type { Clock, TenantId } from '../kernel/index.js';
import type { ChannelId } from '../telephony/call-control.js';
import { talk, type ReplaceLeg, type TransferDialer } from './conversation.js';
import type { CallContext, CallHandler, CallHandlers, TrunkAttempt } from './calls.model.js';
import type { Destination } from './destination.model.js';
import type { PhoneExtension, TelephonyDirectory } from './directory.js';
import { featureOf } from './features.logic.js';
import { leaveAlone } from './handlers.js';
import { dial, hangupQuietly, type DialOutcome } from './legs.js';

/** Runs a call from a destination until it is over, whatever the kind (the call flows' runner). */
export interface DestinationRunner {
  run(call: CallContext, start: Destination): Promise<void>;
}

/** What one kind's step did: the call goes on to `next`, or it is over. */
/** Where a call goes after a step: on, over, or (an agent hung up first) to the survey of its path, if any. */
export type DestinationStep = { next: Destination } | { done: true } | { afterAgent: true };

export interface TelephonyFlowDeps {
  directory: TelephonyDirectory;
  destinations: DestinationRunner;
  /**
   * Runs before an inbound call's route (the caller's number normalised and kept, the inbound
   * blacklist): a Q.850 cause refuses the call unanswered.
   */
  screen: (call: CallContext) => Promise<number | undefined>;
  /** Seconds a phone rings before the call counts as not answered (default 30). */
  ringSeconds?: number;
  /** Seconds an outside number rings (default 60). */
  outboundRingSeconds?: number;
  /** Hears of the calls phones make outside (an agent's are its manual calls). */
  outsideCalls?: OutsideCallWatcher;
}

/** What a phone's call outside is, for whoever watches them. */
export interface OutsideCall {
  tenantId: TenantId;
  /** The phone's leg. */
  channelId: ChannelId;
  callId: string;
  extension: PhoneExtension;
  /** As dialled (before the route's strip and prefix). */
  number: string;
  /** The route that carries it asks for a tabulation of the agent's call. */
  requireTabulation: boolean;
}

/** Hears of calls phones make to numbers outside; what `began` returns hears of the answer and of the bridge the two talk in. */
export interface OutsideCallWatcher {
  began(call: OutsideCall): { answered(): void; bridged?(bridgeId: string, replace: ReplaceLeg): void } | undefined;
}

/** Who is calling, as the called phone shows it. */
interface Party {
  number: string;
  name: string;
}

/** Outcomes after which the next trunk of the route is tried: the network, not the called party, failed. */
export const FAILOVER_CAUSES: ReadonlySet<number> = new Set([3, 27, 34, 38, 41, 42, 44, 47, 58]);

const causeOf = (o: Exclude<DialOutcome, { kind: 'answered' }>): number => (o.kind === 'failed' ? o.cause : 16);
const outcomeName = (o: DialOutcome): string => (o.kind === 'answered' ? 'answered' : o.kind === 'failed' ? o.reason : 'caller_gone');

/** A phone that is ringing for some call, and how another phone takes that call over. */
interface Ringing {
  claim(picker: CallContext): boolean;
}

class Connector {
  readonly ringing = new Map<string, Ringing>();
  readonly directory: TelephonyDirectory;
  readonly ringSeconds: number;
  readonly outboundRingSeconds: number;
  readonly outsideCalls: OutsideCallWatcher | undefined;

  constructor(deps: TelephonyFlowDeps) {
    this.directory = deps.directory;
    this.outsideCalls = deps.outsideCalls;
    this.ringSeconds = deps.ringSeconds ?? 30;
    this.outboundRingSeconds = deps.outboundRingSeconds ?? 60;
  }

  /** Rings the caller's phone while it waits, if the leg is not answered yet. */
  private async ringback(call: CallContext): Promise<void> {
    if (call.channel.state !== 'Up') await call.control.ring(call.channel.id).catch(() => undefined);
  }

  /** Dialling for a transfer keyed in on a phone: an extension of the tenant, or outside if that phone may dial out. */
  transferDialer(call: CallContext): TransferDialer {
    return async (by, number) => {
      const internal = this.directory.internalNumber(by.tenantId, number);
      const phone = internal?.kind === 'extension' ? this.directory.extension(by.tenantId, internal.id) : undefined;
      if (phone) return { endpoint: `PJSIP/${phone.sipUser}`, leg: 'agent', timeoutSeconds: this.ringSeconds };
      if (internal) return { refused: `${number} is a ${internal.kind}, not a phone` };
      if (!by.mayDialOut) return { refused: `extension ${by.number} may not dial out` };
      const plan = this.directory.outbound(by.tenantId, number, by, call.clock.now());
      if (!plan.ok) return { refused: plan.reason };
      return { endpoint: plan.trunks[0]!.endpoint, leg: 'outbound', timeoutSeconds: this.outboundRingSeconds };
    };
  }

  /** Who the called side sees: the phone that calls, or the caller from outside. */
  party(call: CallContext, me: PhoneExtension | null): Party {
    return me ? { number: me.number, name: me.displayName } : { number: call.channel.caller.number, name: call.channel.caller.name };
  }

  /** The phone a leg comes from, if it is one of the tenant's extensions. */
  phoneOf(call: CallContext): PhoneExtension | null {
    const me = this.directory.extensionOfChannel(call.channel.name);
    return me && me.tenantId === call.tenantId ? me : null;
  }

  /** The `extension` kind: rings it for whoever is on the leg. */
  async extensionStep(call: CallContext, d: Destination): Promise<DestinationStep> {
    const target = d.kind === 'extension' ? this.directory.extension(call.tenantId, d.id) : undefined;
    if (!target) {
      call.log.error({ destination: d }, 'extension no longer exists; hanging up');
      await call.hangup(1);
      return { done: true };
    }
    const me = this.phoneOf(call);
    return this.ringExtension(call, target, this.party(call, me), me);
  }

  /** The `external` kind: leaves through the outbound routes (as the phone on the leg, if any, would dial). */
  async externalStep(call: CallContext, d: Destination): Promise<DestinationStep> {
    if (d.kind !== 'external') return { done: true };
    const me = this.phoneOf(call);
    await this.dialOutside(call, d.number, me, this.party(call, me));
    return { done: true };
  }

  /**
   * Rings an extension: do-not-disturb and a phone already in a call are busy (17), forwarding
   * is followed, an unregistered phone is absent (20, SIP 480), no answer is 19; answered, the
   * two talk. The called phone shows the caller's name.
   */
  async ringExtension(call: CallContext, target: PhoneExtension, from: Party, me: PhoneExtension | null): Promise<DestinationStep> {
    const done = { done: true } as const;
    if (target.forwardTo !== null) {
      call.log.info({ extension: target.number, to: target.forwardTo }, 'extension forwards its calls');
      const internal = this.directory.internalNumber(target.tenantId, target.forwardTo);
      if (internal) return { next: internal };
      if (!target.mayDialOut) {
        await call.hangup(21);
        return done;
      }
      await this.dialOutside(call, target.forwardTo, target, from);
      return done;
    }
    if (target.dnd) {
      await call.hangup(17);
      return done;
    }
    const channels = await call.control.listChannels();
    if (channels.some((c) => c.name.startsWith(`PJSIP/${target.sipUser}-`))) {
      call.log.info({ extension: target.number }, 'extension busy in another call');
      await call.hangup(17);
      return done;
    }
    await this.ringback(call);
    let claimed!: (o: DialOutcome) => void;
    const claim = new Promise<DialOutcome>((resolve) => (claimed = resolve));
    this.ringing.set(target.sipUser, {
      claim: (picker) => {
        claimed({ kind: 'answered', channelId: picker.channel.id });
        return true;
      },
    });
    let outcome: DialOutcome;
    try {
      outcome = await dial(call, {
        endpoint: `PJSIP/${target.sipUser}`,
        leg: 'agent',
        callerId: { number: from.number, ...(from.name ? { name: from.name } : {}) },
        timeoutSeconds: this.ringSeconds,
        claim,
      });
    } finally {
      this.ringing.delete(target.sipUser);
    }
    if (outcome.kind === 'caller_gone') return done;
    if (outcome.kind === 'failed') {
      const cause = outcome.reason === 'unavailable' ? 20 : outcome.reason === 'busy' || outcome.reason === 'rejected' ? 17 : outcome.reason === 'no_answer' ? 19 : outcome.cause;
      call.log.info({ extension: target.number, outcome: outcome.reason, cause }, 'extension not reached');
      await call.hangup(cause);
      return done;
    }
    if ((await call.answer()) === 'gone') {
      outcome.early?.stop();
      await hangupQuietly(call, outcome.channelId);
      return done;
    }
    const phones = new Map<ChannelId, PhoneExtension>([[outcome.channelId, target]]);
    if (me) phones.set(call.channel.id, me);
    await talk(call, call.channel.id, outcome.channelId, phones, this.transferDialer(call), outcome.early);
    return done;
  }

  /**
   * Leaves through the tenant's outbound routes: the best rule for the number, then its trunks
   * in order; congestion or an unavailable trunk moves on to the next, anything the called
   * party did (busy, no answer, unallocated) ends the call. The call's record keeps the trunks.
   */
  async dialOutside(call: CallContext, number: string, me: PhoneExtension | null, from: Party): Promise<void> {
    const plan = this.directory.outbound(call.tenantId, number, me, call.clock.now());
    if (!plan.ok) {
      call.log.info({ number, reason: plan.reason }, 'no outbound route');
      call.recordRouting(null, []);
      await call.hangup(1);
      return;
    }
    call.log.info({ number, route: plan.route, pattern: plan.pattern, digits: plan.digits, passedOver: plan.passedOver }, 'outbound route chosen');
    const watched = me ? this.outsideCalls?.began({ tenantId: call.tenantId, channelId: call.channel.id, callId: call.callId, extension: me, number, requireTabulation: plan.requireTabulation }) : undefined;
    const attempts: TrunkAttempt[] = [];
    let lastCause = 34;
    for (const trunk of plan.trunks) {
      if (trunk.maxChannels !== null) {
        const inUse = (await call.control.listChannels()).filter((c) => c.name.startsWith(`PJSIP/${trunk.ref.slice('trunk:'.length)}-`)).length;
        if (inUse >= trunk.maxChannels) {
          attempts.push({ trunk: trunk.ref, outcome: `at_limit (${trunk.maxChannels} calls)` });
          continue;
        }
      }
      await this.ringback(call);
      const outcome = await dial(call, {
        endpoint: trunk.endpoint,
        leg: 'outbound',
        callerId: { number: plan.callerId ?? from.number, ...(from.name ? { name: from.name } : {}) },
        timeoutSeconds: this.outboundRingSeconds,
      });
      if (outcome.kind === 'caller_gone') {
        attempts.push({ trunk: trunk.ref, outcome: 'caller_gone' });
        call.recordRouting(null, attempts);
        return;
      }
      if (outcome.kind === 'answered') {
        attempts.push({ trunk: trunk.ref, outcome: 'answered' });
        call.recordRouting(trunk.ref, attempts);
        watched?.answered();
        if ((await call.answer()) === 'gone') {
          outcome.early?.stop();
          await hangupQuietly(call, outcome.channelId);
          return;
        }
        const phones = new Map<ChannelId, PhoneExtension>(me ? [[call.channel.id, me]] : []);
        await talk(call, call.channel.id, outcome.channelId, phones, this.transferDialer(call), outcome.early, (bridgeId, replace) => watched?.bridged?.(bridgeId, replace));
        return;
      }
      attempts.push({ trunk: trunk.ref, outcome: outcomeName(outcome), cause: outcome.cause });
      lastCause = causeOf(outcome);
      if (outcome.reason !== 'unavailable' && outcome.reason !== 'congestion' && !FAILOVER_CAUSES.has(outcome.cause)) break;
    }
    call.log.info({ number, attempts }, 'outbound call not completed');
    call.recordRouting(null, attempts);
    await call.hangup(lastCause);
  }
}

/** A short confirmation for a feature code, then the end of the call. */
async function confirm(call: CallContext, clock: Clock): Promise<void> {
  if ((await call.answer()) === 'gone') return;
  const id = await call.control.play({ channelId: call.channel.id }, [{ kind: 'tone', tone: '425/200,0/200' }]).catch(() => undefined);
  await new Promise<void>((resolve) => clock.setTimeout(resolve, 800));
  if (id) await call.control.stopPlayback(id).catch(() => undefined);
  await call.hangup(16);
}

export interface TelephonyFlows {
  handlers: CallHandlers;
  /** The steps of the kinds this file owns, for the destination runner. */
  executors: {
    extension: (call: CallContext, d: Destination) => Promise<DestinationStep>;
    external: (call: CallContext, d: Destination) => Promise<DestinationStep>;
  };
}

export function telephonyHandlers(deps: TelephonyFlowDeps): TelephonyFlows {
  const connector = new Connector(deps);
  const dir = deps.directory;
  const run = (call: CallContext, d: Destination) => deps.destinations.run(call, d);

  const inbound: CallHandler = {
    name: 'inbound-route',
    async run(call) {
      const entry = call.entry.kind === 'amd' ? call.entry.original : call.entry;
      if (entry.kind !== 'inbound') return;
      const refused = await deps.screen(call);
      if (refused !== undefined) {
        await call.hangup(refused);
        return;
      }
      const match = dir.inboundRoute(entry.did, call.channel.caller.number);
      if (!match) {
        // The DID is the tenant's, but no route of it takes this caller.
        const cause = dir.rejectCause(entry.trunkRef);
        call.log.warn({ did: entry.did, caller: call.channel.caller.number, cause }, 'no inbound route takes this caller; refusing the call');
        await call.hangup(cause);
        return;
      }
      call.log.info({ did: entry.did, route: match.route }, 'inbound route');
      await run(call, match.destination);
    },
  };

  const internal: CallHandler = {
    name: 'phone',
    async run(call) {
      if (call.entry.kind !== 'internal') return;
      const dialled = call.entry.exten;
      const me = dir.extensionOfChannel(call.channel.name);
      if (!me) {
        await call.hangup(21);
        return;
      }
      const feature = featureOf(dialled);
      if (feature) {
        switch (feature.kind) {
          case 'dnd':
            dir.setDnd(me, feature.on);
            call.log.info({ extension: me.number, dnd: feature.on }, 'do not disturb');
            return confirm(call, call.clock);
          case 'forward':
            if (feature.to !== null && !dir.internalNumber(me.tenantId, feature.to) && !me.mayDialOut) {
              await call.hangup(21);
              return;
            }
            dir.setForward(me, feature.to);
            call.log.info({ extension: me.number, forwardTo: feature.to }, 'call forwarding');
            return confirm(call, call.clock);
          case 'pickup': {
            const target = dir.extensionByNumber(me.tenantId, feature.extension);
            const ringing = target ? connector.ringing.get(target.sipUser) : undefined;
            if (!ringing || (await call.answer()) === 'gone' || !ringing.claim(call)) {
              await call.hangup(ringing ? 16 : 1);
              return;
            }
            // The caller's flow now talks with this phone: stay until the leg ends.
            await call.whenEnded;
            return;
          }
          case 'unknown':
            await call.hangup(1);
            return;
        }
      }
      const inside = dir.internalNumber(me.tenantId, dialled);
      if (inside) {
        if (inside.kind === 'extension' && inside.id === me.id) {
          await call.hangup(17);
          return;
        }
        return run(call, inside);
      }
      if (!me.mayDialOut) {
        call.log.info({ extension: me.number, dialled }, 'this phone may not dial out');
        await call.hangup(21);
        return;
      }
      return connector.dialOutside(call, dialled, me, connector.party(call, me));
    },
  };

  return {
    handlers: { inbound, internal, agent: leaveAlone, outbound: leaveAlone },
    executors: { extension: (call, d) => connector.extensionStep(call, d), external: (call, d) => connector.externalStep(call, d) },
  };
}
