/**
 * The campaign dialer core: `stepDialer(state, event, now) → { state, commands }`.
 *
 * It tracks the campaign's agents and calls, connects answered calls to agents (the one that
 * has waited longest), drops an answered call no agent took within the connect grace and
 * counts it abandoned, hangs up what answering-machine detection rejects, offers contacts in
 * preview mode, and asks its pacing policy how many calls to originate after every event.
 *
 * The state is owned by whoever steps it and is updated in place: a simulated shift steps it
 * hundreds of thousands of times, and copying every agent and call on each step would cost
 * more than the decisions themselves. Nothing else is shared; no I/O; time comes in as `now`.
 */
import { createLedger, reclassifyAsMachine, recordAnswered } from './abandon.logic.js';
import type {
  AgentEntry,
  AgentState,
  CallEntry,
  CallState,
  DialerCommand,
  DialerEvent,
  DialerSettings,
  DialerView,
  Pacer,
  PacingObservation,
} from './dialer.model.js';

export type CampaignStatus = 'running' | 'paused' | 'stopped';

export interface DialerState extends DialerView {
  readonly pacer: Pacer | null;
  status: CampaignStatus;
  readonly agents: Map<string, AgentEntry>;
  readonly calls: Map<string, CallEntry>;
  readonly agentCount: Record<AgentState, number>;
  readonly callCount: Record<CallState, number>;
  linesFree: number;
  contactsAvailable: number;
  /** Calls waiting for an agent, oldest first. */
  readonly waiting: string[];
  /** Agents whose pause takes effect when their call and wrap-up end. */
  readonly pauseAfterCall: Set<string>;
  nextCallSeq: number;
  readonly callIdPrefix: string;
  /** The grace deadline the engine was last asked to wake the core for. */
  wakeAt: number | null;
}

export interface StepResult {
  state: DialerState;
  commands: DialerCommand[];
}

const zeroAgents = (): Record<AgentState, number> => ({
  idle: 0,
  previewing: 0,
  dialing: 0,
  talking: 0,
  wrapping: 0,
  paused: 0,
});
const zeroCalls = (): Record<CallState, number> => ({ dialing: 0, screening: 0, waiting: 0, connected: 0, ending: 0 });

/** A new campaign dialer. `pacer` is required for progressive and predictive modes. */
export function createDialer(
  settings: DialerSettings,
  pacer: Pacer | null,
  options: { callIdPrefix?: string; status?: CampaignStatus } = {},
): DialerState {
  if (settings.mode !== 'preview' && !pacer) throw new Error(`${settings.mode} mode needs a pacing policy`);
  return {
    settings,
    pacer,
    status: options.status ?? 'running',
    agents: new Map(),
    calls: new Map(),
    agentCount: zeroAgents(),
    callCount: zeroCalls(),
    linesFree: settings.maxLines,
    contactsAvailable: Number.POSITIVE_INFINITY,
    ledger: createLedger(settings.abandon),
    waiting: [],
    pauseAfterCall: new Set(),
    nextCallSeq: 1,
    callIdPrefix: options.callIdPrefix ?? 'dial-',
    wakeAt: null,
  };
}

function setAgent(s: DialerState, agent: AgentEntry, state: AgentState, now: number): void {
  s.agentCount[agent.state] -= 1;
  s.agentCount[state] += 1;
  agent.state = state;
  agent.since = now;
}

function setCall(s: DialerState, call: CallEntry, state: CallState): void {
  s.callCount[call.state] -= 1;
  s.callCount[state] += 1;
  call.state = state;
}

function removeCall(s: DialerState, call: CallEntry): void {
  s.callCount[call.state] -= 1;
  s.calls.delete(call.id);
  s.linesFree += 1;
  if (call.state === 'waiting') {
    const i = s.waiting.indexOf(call.id);
    if (i >= 0) s.waiting.splice(i, 1);
  }
}

function observe(s: DialerState, o: PacingObservation, now: number): void {
  s.pacer?.observe(o, s, now);
}

/** An agent whose preview call ended without a person: back to taking calls. */
function releasePreviewAgent(s: DialerState, call: CallEntry, now: number): void {
  if (!call.forAgent) return;
  const agent = s.agents.get(call.forAgent);
  if (agent && agent.state === 'dialing' && agent.callId === call.id) {
    agent.callId = null;
    setAgent(s, agent, s.pauseAfterCall.delete(agent.id) ? 'paused' : 'idle', now);
  }
}

function makeWaiting(s: DialerState, call: CallEntry, now: number): void {
  setCall(s, call, 'waiting');
  call.readyAt = now;
  s.waiting.push(call.id);
}

function apply(s: DialerState, event: DialerEvent, now: number, out: DialerCommand[]): void {
  switch (event.type) {
    case 'Tick':
      return;
    case 'AgentLoggedIn': {
      if (s.agents.has(event.agentId)) return;
      s.agents.set(event.agentId, { id: event.agentId, state: 'idle', since: now, callId: null });
      s.agentCount.idle += 1;
      return;
    }
    case 'AgentLoggedOut': {
      const agent = s.agents.get(event.agentId);
      if (!agent) return;
      s.agentCount[agent.state] -= 1;
      s.agents.delete(agent.id);
      s.pauseAfterCall.delete(agent.id);
      return;
    }
    case 'AgentPaused': {
      const agent = s.agents.get(event.agentId);
      if (!agent || agent.state === 'paused') return;
      if (agent.state === 'talking' || agent.state === 'wrapping' || agent.state === 'dialing') {
        s.pauseAfterCall.add(agent.id);
        return;
      }
      setAgent(s, agent, 'paused', now);
      return;
    }
    case 'AgentAvailable': {
      const agent = s.agents.get(event.agentId);
      if (!agent) return;
      if (agent.state === 'wrapping') {
        observe(s, { type: 'WrapEnded', agentId: agent.id, wrapMs: now - agent.since }, now);
        setAgent(s, agent, s.pauseAfterCall.delete(agent.id) ? 'paused' : 'idle', now);
      } else if (agent.state === 'paused') {
        s.pauseAfterCall.delete(agent.id);
        setAgent(s, agent, 'idle', now);
      }
      return;
    }
    case 'PreviewAccepted': {
      const agent = s.agents.get(event.agentId);
      if (!agent || agent.state !== 'previewing' || s.linesFree <= 0 || s.status !== 'running') return;
      const call = originate(s, now, out, agent.id);
      agent.callId = call.id;
      setAgent(s, agent, 'dialing', now);
      return;
    }
    case 'PreviewSkipped': {
      const agent = s.agents.get(event.agentId);
      if (agent?.state === 'previewing') setAgent(s, agent, 'idle', now);
      return;
    }
    case 'DialAborted': {
      const call = s.calls.get(event.callId);
      if (!call) return;
      removeCall(s, call);
      observe(s, { type: 'Withdrawn', callId: call.id }, now);
      releasePreviewAgent(s, call, now);
      return;
    }
    case 'CallNotAnswered': {
      const call = s.calls.get(event.callId);
      if (!call || call.state !== 'dialing') return;
      removeCall(s, call);
      observe(s, { type: 'NotAnswered', callId: call.id, outcome: event.outcome, ringMs: now - call.dialledAt }, now);
      releasePreviewAgent(s, call, now);
      return;
    }
    case 'CallAnswered': {
      const call = s.calls.get(event.callId);
      if (!call || call.state !== 'dialing') return;
      call.answeredAt = now;
      const ringMs = now - call.dialledAt;
      observe(s, { type: 'Answered', callId: call.id, ringMs }, now);
      if (s.settings.amd && !call.forAgent) {
        setCall(s, call, 'screening');
        return;
      }
      observe(s, { type: 'Screened', callId: call.id, ringMs, screenMs: 0, toAgent: true }, now);
      makeWaiting(s, call, now);
      return;
    }
    case 'AmdResult': {
      const call = s.calls.get(event.callId);
      if (!call || call.state !== 'screening' || call.answeredAt === null) return;
      const toAgent = event.verdict === 'human' || event.verdict === 'notsure';
      observe(
        s,
        { type: 'Screened', callId: call.id, ringMs: call.answeredAt - call.dialledAt, screenMs: now - call.answeredAt, toAgent },
        now,
      );
      if (toAgent) {
        makeWaiting(s, call, now);
        return;
      }
      setCall(s, call, 'ending');
      recordAnswered(s.ledger, 'amd_hangup', now);
      out.push({ type: 'HangUp', callId: call.id, reason: event.verdict === 'silence' ? 'amd_silence' : 'amd_machine' });
      return;
    }
    case 'CallEnded': {
      const call = s.calls.get(event.callId);
      if (!call) return;
      callEnded(s, call, event.machine === true, now);
      return;
    }
    case 'ContactsAvailable':
      s.contactsAvailable = Math.max(0, event.count);
      return;
    case 'CampaignPaused':
      if (s.status === 'running') s.status = 'paused';
      return;
    case 'CampaignResumed':
      if (s.status === 'paused') s.status = 'running';
      return;
    case 'CampaignStopped':
      s.status = 'stopped';
      return;
  }
}

function callEnded(s: DialerState, call: CallEntry, machine: boolean, now: number): void {
  const state = call.state;
  removeCall(s, call);
  switch (state) {
    case 'dialing':
      observe(s, { type: 'NotAnswered', callId: call.id, outcome: 'failed', ringMs: now - call.dialledAt }, now);
      releasePreviewAgent(s, call, now);
      return;
    case 'screening':
    case 'waiting':
      // A person who answered and hung up before reaching an agent was abandoned by us.
      recordAnswered(s.ledger, 'hung_up_waiting', now);
      observe(s, { type: 'Abandoned', callId: call.id, waitedMs: now - (call.readyAt ?? now), dropped: false }, now);
      releasePreviewAgent(s, call, now);
      return;
    case 'connected': {
      if (machine && call.connectedAt !== null) reclassifyAsMachine(s.ledger, call.connectedAt, now);
      observe(s, { type: 'TalkEnded', callId: call.id, talkMs: now - (call.connectedAt ?? now), machine }, now);
      const agent = call.agentId ? s.agents.get(call.agentId) : undefined;
      if (agent && agent.callId === call.id) {
        agent.callId = null;
        setAgent(s, agent, 'wrapping', now);
      }
      return;
    }
    case 'ending':
      return;
  }
}

function originate(s: DialerState, now: number, out: DialerCommand[], forAgent: string | null): CallEntry {
  const id = `${s.callIdPrefix}${s.nextCallSeq++}`;
  const call: CallEntry = {
    id,
    state: 'dialing',
    dialledAt: now,
    answeredAt: null,
    readyAt: null,
    connectedAt: null,
    agentId: null,
    forAgent,
  };
  s.calls.set(id, call);
  s.callCount.dialing += 1;
  s.linesFree -= 1;
  if (Number.isFinite(s.contactsAvailable)) s.contactsAvailable = Math.max(0, s.contactsAvailable - 1);
  out.push(forAgent ? { type: 'Originate', callId: id, agentId: forAgent } : { type: 'Originate', callId: id });
  observe(s, { type: 'Dialled', callId: id }, now);
  return call;
}

/** The idle agent that has waited longest. */
function longestIdle(s: DialerState): AgentEntry | null {
  let best: AgentEntry | null = null;
  for (const a of s.agents.values()) if (a.state === 'idle' && (!best || a.since < best.since)) best = a;
  return best;
}

function connect(s: DialerState, call: CallEntry, agent: AgentEntry, now: number, out: DialerCommand[]): void {
  const waitedMs = now - (call.readyAt ?? now);
  setCall(s, call, 'connected');
  call.connectedAt = now;
  call.agentId = agent.id;
  agent.callId = call.id;
  setAgent(s, agent, 'talking', now);
  recordAnswered(s.ledger, 'connected', now);
  out.push({ type: 'Connect', callId: call.id, agentId: agent.id });
  observe(s, { type: 'Connected', callId: call.id, waitedMs }, now);
}

/** After every event: connect, drop what waited past the grace, offer previews, pace. */
function settle(s: DialerState, now: number, out: DialerCommand[]): void {
  for (let i = 0; i < s.waiting.length; ) {
    const call = s.calls.get(s.waiting[i] ?? '');
    if (!call) {
      s.waiting.splice(i, 1);
      continue;
    }
    const own = call.forAgent ? s.agents.get(call.forAgent) : undefined;
    const agent = own && own.callId === call.id ? own : s.agentCount.idle > 0 ? longestIdle(s) : null;
    if (agent) {
      s.waiting.splice(i, 1);
      connect(s, call, agent, now, out);
      continue;
    }
    i++;
  }
  const grace = s.settings.connectGraceMs;
  for (let i = 0; i < s.waiting.length; ) {
    const call = s.calls.get(s.waiting[i] ?? '');
    if (call && (call.readyAt ?? now) + grace <= now) {
      s.waiting.splice(i, 1);
      setCall(s, call, 'ending');
      recordAnswered(s.ledger, 'dropped', now);
      out.push({ type: 'DropCall', callId: call.id });
      observe(s, { type: 'Abandoned', callId: call.id, waitedMs: now - (call.readyAt ?? now), dropped: true }, now);
      continue;
    }
    i++;
  }
  if (s.status === 'running') {
    if (s.settings.mode === 'preview') offerPreviews(s, now, out);
    else pace(s, now, out);
  }
  let earliest: number | null = null;
  for (const id of s.waiting) {
    const call = s.calls.get(id);
    if (call?.readyAt != null && (earliest === null || call.readyAt + grace < earliest)) earliest = call.readyAt + grace;
  }
  if (earliest !== null && earliest !== s.wakeAt) out.push({ type: 'WakeAt', at: earliest });
  s.wakeAt = earliest;
}

function offerPreviews(s: DialerState, now: number, out: DialerCommand[]): void {
  if (s.agentCount.idle === 0 || s.contactsAvailable <= 0) return;
  for (const agent of s.agents.values()) {
    if (agent.state !== 'idle') continue;
    setAgent(s, agent, 'previewing', now);
    out.push({ type: 'OfferPreview', agentId: agent.id });
  }
}

function pace(s: DialerState, now: number, out: DialerCommand[]): void {
  if (!s.pacer || s.linesFree <= 0 || s.contactsAvailable <= 0) return;
  const wanted = s.pacer.decide(s, now);
  const n = Math.min(Math.floor(wanted), s.linesFree, s.contactsAvailable);
  for (let i = 0; i < n; i++) originate(s, now, out, null);
}

/** One step: apply the event, then settle. */
export function stepDialer(state: DialerState, event: DialerEvent, now: number): StepResult {
  const commands: DialerCommand[] = [];
  apply(state, event, now, commands);
  settle(state, now, commands);
  return { state, commands };
}

/** Agents the pacing counts on: taking calls or busy with one (not paused, not in preview). */
export function countedAgents(view: DialerView): number {
  return view.agentCount.idle + view.agentCount.talking + view.agentCount.wrapping;
}

/** Calls not yet with an agent that may still need one. */
export function callsInFlight(view: DialerView): number {
  return view.callCount.dialing + view.callCount.screening + view.callCount.waiting;
}
