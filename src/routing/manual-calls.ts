/**
 * An agent's own calls outside — manual calls. Placed from the desk (`dial`: Atende rings the
 * agent's phone, showing the number it will call; answered, the phone's leg dials that number
 * through the outbound routes exactly as if the phone had dialled it) or keyed in on the phone
 * itself (the telephony flows tell `began`). While one lasts the agent is busy and offered no
 * queue call. Answered by the far end, it opens the agent's `manual` interaction (the contact
 * found by the number, or the one the agent called from); when the route carrying it requires
 * a tabulation, the agent's wrap-up after it lasts until the agent tabulates it.
 */
import type { OutsideCall, OutsideCallWatcher, ReplaceLeg, TelephonyDirectory } from '../calls/index.js';
import { conflict, forbidden, invalidField, newId, unavailable, type Clock, type Logger, type TenantId } from '../kernel/index.js';
import type { CallControl, ChannelId, TelephonyEvent } from '../telephony/call-control.js';
import type { AcdEngine } from './acd.service.js';
import { agentKey, type CallerDirectory, type CrmInteractions } from './routing.model.js';
import type { SupervisedCall } from './voice.service.js';

/** Seconds the agent's own phone rings for a call placed from the desk. */
const PHONE_RING_SECONDS = 30;

/** What the number a desk dials may look like: digits with the usual separators, an optional leading +. */
const DIALLABLE = /^\+?[0-9*#]{2,20}$/;

/** The number as dialled, without its separators; a 400 naming `number` when it is not one. */
export function diallable(raw: string): string {
  const number = raw.replace(/[\s().-]/g, '');
  if (!DIALLABLE.test(number)) throw invalidField('number', 'number: give the number to call, digits only (spaces, dashes, dots, parentheses and a leading + are accepted)');
  return number;
}

export interface ManualCallDeps {
  control: CallControl;
  engine: AcdEngine;
  clock: Clock;
  logger: Logger;
  /** The tenant's phones and outbound routes (the provisioned telephony). */
  directory: Pick<TelephonyDirectory, 'extensionOfChannel' | 'outbound'>;
  /** Why a number may not be called now (the outbound blacklist), or null. */
  blocked?: (tenantId: number, number: string, now: number) => string | null;
  /** A contact's name; undefined when the tenant has no such contact. */
  contactName?: (tenantId: number, contactId: number) => string | undefined;
  callers?: CallerDirectory | undefined;
  crm?: CrmInteractions | undefined;
}

interface Live {
  tenantId: number;
  userId: number;
  contactId: number | null;
  /** The number called, and the contact's name when it is one's: what a supervisor's phone shows. */
  number: string;
  name: string | null;
  requireTabulation: boolean;
  answered: boolean;
  /** Once the phone's leg dials out: the call it is in, and the bridge it talks in once answered (and how its leg is replaced there). */
  callId: string | null;
  bridgeId: string | null;
  replace: ReplaceLeg | null;
  /** Settles when the call is over. */
  over: Promise<void>;
  end: () => void;
}

function live(fields: Omit<Live, 'callId' | 'bridgeId' | 'replace' | 'over' | 'end'>): Live {
  let end!: () => void;
  const over = new Promise<void>((resolve) => (end = resolve));
  return { ...fields, callId: null, bridgeId: null, replace: null, over, end };
}

export interface DialRequest {
  number: string;
  /** The contact the agent calls from (its card, a callback): the interaction is that contact's. */
  contactId?: number | null | undefined;
}

export class ManualCalls implements OutsideCallWatcher {
  /** By the agent's phone leg (the channel id is the own call's id in the engine). */
  private readonly live = new Map<ChannelId, Live>();
  private readonly log: Logger;

  constructor(private readonly deps: ManualCallDeps) {
    this.log = deps.logger.child({ component: 'manual-calls' });
    deps.control.onEvent((e) => this.onEvent(e));
  }

  /**
   * Places a call from the agent's desk: checks who may call what, rings the agent's phone and
   * leaves the rest to the phone's leg. The agent is busy from now on.
   */
  async dial(tenantId: number, userId: number, req: DialRequest): Promise<{ number: string; route: string }> {
    const number = diallable(req.number);
    const key = agentKey({ kind: 'agent', userId });
    const agent = this.deps.engine.agentSnapshot(key);
    if (!agent || agent.tenantId !== tenantId || agent.state === 'offline') throw conflict('log in to the desk first', { field: 'agent' });
    if (!agent.extension) throw conflict('you have no extension to call from: an administrator sets it on your user', { field: 'extension' });
    const phone = this.deps.directory.extensionOfChannel(`PJSIP/${agent.extension}-0`);
    if (!phone || phone.tenantId !== tenantId) throw conflict(`your extension ${agent.extension} is not one of this tenant's phones`, { field: 'extension' });
    if (!agent.registered) throw conflict(`your phone (extension ${agent.extension}) is not registered`, { field: 'extension' });
    // An own call in progress counts among the agent's active calls from its first ring.
    if (agent.active.voice + agent.offers.voice > 0) throw conflict('you are already on a call', { field: 'agent' });
    if (!phone.mayDialOut) throw forbidden(`extension ${phone.number} may not call outside`);
    const now = this.deps.clock.now();
    const plan = this.deps.directory.outbound(tenantId as TenantId, number, phone, now);
    if (!plan.ok) throw invalidField('number', `number: ${plan.reason}`);
    const blocked = this.deps.blocked?.(tenantId, number, now);
    if (blocked) throw invalidField('number', `number: ${blocked}`);
    let caller = req.contactId == null ? this.deps.callers?.find(tenantId, number, null) : undefined;
    if (req.contactId != null) {
      const name = this.deps.contactName?.(tenantId, req.contactId);
      if (name === undefined) throw invalidField('contactId', `contactId: there is no contact ${req.contactId} in this tenant`);
      caller = { contactId: req.contactId, name, ownerUserId: null, ownerUntil: null };
    }
    const contactId = caller?.contactId ?? null;

    const id = newId();
    this.live.set(id, live({ tenantId, userId, contactId, number, name: caller?.name ?? null, requireTabulation: plan.requireTabulation, answered: false }));
    this.deps.engine.ownCallStarted(key, id, number);
    try {
      await this.deps.control.originate({
        id,
        endpoint: `PJSIP/${agent.extension}`,
        appArgs: ['internal', number],
        callerId: { number, ...(caller?.name ? { name: caller.name } : {}) },
        timeoutSeconds: PHONE_RING_SECONDS,
      });
    } catch (err) {
      this.over(id);
      this.log.error({ err, userId }, 'could not ring the agent’s phone for a manual call');
      throw unavailable('the phone system cannot be reached now; try again');
    }
    this.log.info({ userId, extension: agent.extension, route: plan.route }, 'manual call placed from the desk');
    return { number, route: plan.route };
  }

  /** A phone dials outside (from the desk, or keyed in): an agent's call keeps the agent busy and opens its interaction when answered. */
  began(call: OutsideCall): ReturnType<OutsideCallWatcher['began']> {
    let c = this.live.get(call.channelId);
    if (c) c.requireTabulation = call.requireTabulation;
    else {
      const agent = this.deps.engine.agentsOf(call.tenantId).find((a) => a.userId !== null && (a.extension === call.extension.sipUser || a.extension === call.extension.number));
      if (!agent || agent.userId === null || !this.deps.engine.ownCallStarted(agent.key, call.channelId, call.number)) return undefined;
      const caller = this.deps.callers?.find(call.tenantId, call.number, null);
      c = live({ tenantId: call.tenantId, userId: agent.userId, contactId: caller?.contactId ?? null, number: call.number, name: caller?.name ?? null, requireTabulation: call.requireTabulation, answered: false });
      this.live.set(call.channelId, c);
    }
    c.callId = call.callId;
    const own = c;
    return {
      bridged: (bridgeId, replace) => {
        own.bridgeId = bridgeId;
        own.replace = replace;
      },
      answered: () => {
        if (own.answered) return;
        own.answered = true;
        try {
          this.deps.crm?.manual?.({
            tenantId: own.tenantId,
            visitId: call.channelId,
            callId: call.callId,
            address: call.number,
            contactId: own.contactId,
            agentUserId: own.userId,
            requiresTabulation: own.requireTabulation,
            startedAt: this.deps.clock.now(),
          });
        } catch (err) {
          this.log.error({ err, userId: own.userId }, 'could not open the interaction of a manual call');
        }
        this.deps.engine.ownCallAnswered(call.channelId);
      },
    };
  }

  /**
   * The agent's answered call outside, as a supervisor joins it (listen, whisper, barge: the
   * agent's phone leg is snooped on, the call's bridge joined; take over: the supervisor's leg
   * takes the phone's place, which is hung up, and the agent's call is over); undefined when
   * `id` is no such call in conversation.
   */
  supervisable(id: string): SupervisedCall | undefined {
    const c = this.live.get(id);
    if (!c?.answered || c.callId === null) return undefined;
    const { callId } = c;
    const on = () => this.live.get(id) === c;
    return {
      interactionId: id,
      callId,
      caller: { number: c.number, name: c.name ?? '' },
      originatorId: id,
      agentChannel: () => (on() ? id : null),
      // Set a moment after the answer, long before the supervisor's phone is answered.
      bridgeId: () => c.bridgeId,
      inConversation: on,
      over: c.over,
      handOver: (supervisorLeg) => on() && c.replace !== null && c.replace.replace(id, supervisorLeg),
      // Not bridged yet (a moment after the answer): it will be by the time the supervisor's phone answers.
      mayHandOver: () => on() && (c.replace === null || c.replace.possible(id)),
    };
  }

  private onEvent(e: TelephonyEvent): void {
    if ((e.type === 'CallEnded' || e.type === 'OriginateFailed') && this.live.has(e.channelId)) this.over(e.channelId);
  }

  private over(id: ChannelId): void {
    const c = this.live.get(id);
    if (!c) return;
    this.live.delete(id);
    c.end();
    this.deps.engine.ownCallEnded(id, { holdForTabulation: c.answered && c.requireTabulation });
  }
}
