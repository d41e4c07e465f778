/**
 * A discrete-event simulation of a campaign in virtual time that runs the real dialer core
 * (`stepDialer`) with a pacing policy under test. The world around it — the called parties,
 * trunks, agents talking and wrapping up — follows a scenario; every record's fate is drawn
 * once from the seed, so every policy dials the same list. No I/O, no wall clock.
 */
import { lifetimeFigures, ofcomRule } from './abandon.logic.js';
import { createDialer, stepDialer, type DialerState } from './dialer.logic.js';
import type { DialerCommand, DialerEvent, DialerSettings, Pacer, PacingMode } from './dialer.model.js';
import { drawRecord, fateOf, type Fate, type Scenario } from './scenario.logic.js';
import { wilsonInterval } from './stats.logic.js';

/** A policy the simulation can run: a mode and the pacer that serves it. */
export interface SimPolicy {
  readonly name: string;
  readonly mode: PacingMode;
  create(settings: DialerSettings, scenario: Scenario): Pacer | null;
}

export interface SimulationOptions {
  seed: number;
  /** How often the dialer is stepped with a Tick besides events (ms). */
  tickMs?: number;
  /** Where virtual time starts (epoch ms); 09:00 in São Paulo by default. */
  startAt?: number;
  /** Lines per agent the dialer may keep ringing at most. */
  maxLinesPerAgent?: number;
  /** Called after every dialer step (tests and diagnostics). */
  onStep?: (state: DialerState, at: number) => void;
}

export interface SimulationResult {
  policy: string;
  seed: number;
  /** (talk + wrap + machine handling) ÷ logged-in time. */
  utilisation: number;
  /** Talk with persons ÷ logged-in time. */
  talkShare: number;
  /** Persons connected to agents per logged-in agent-hour. */
  contactsPerAgentHour: number;
  dialsPerAgentHour: number;
  /** (dropped persons + persons detection hung up) ÷ persons who answered. */
  trueAbandonRate: number;
  trueAbandonLow: number;
  trueAbandonHigh: number;
  /** Drops ÷ (drops + calls put through to agents), what a dialer sees without knowing machines. */
  measuredDropRate: number;
  /** Attempts not completed or ending within `short_call` s of the answer ÷ attempts. */
  shortCallShare: number;
  /** Agents' idle seconds per person connected. */
  idleSecondsPerContact: number;
  /** Mean idle gap of an agent between one call and the next (s). */
  waitBetweenCalls: number;
  maxTrunksInUse: number;
  /** The dialer's own estimate of the abandon rate at the end (its ledger). */
  dialerAbandonEstimate: number;
  counts: {
    dials: number;
    failed: number;
    notAnswered: number;
    personsAnswered: number;
    personsConnected: number;
    personsDropped: number;
    personsRejectedByAmd: number;
    machinesAnswered: number;
    machinesToAgents: number;
    machinesDropped: number;
    shortCalls: number;
  };
  agentHours: number;
}

interface SimCall {
  fate: Fate;
  answeredAt: number | null;
  connectedAt: number | null;
  agent: string | null;
}

interface SimAgent {
  loginAt: number;
  busySince: number | null;
  busy: number;
  talk: number;
  connects: number;
}

type SimEvent =
  | { kind: 'login'; agent: string }
  | { kind: 'tick' }
  | { kind: 'wake' }
  | { kind: 'dialer'; event: DialerEvent }
  | { kind: 'talk_end'; callId: string }
  | { kind: 'wrap_end'; agent: string }
  | { kind: 'line_free'; callId: string };

/** A binary min-heap of timed events; ties keep their insertion order. */
class Agenda {
  private times: number[] = [];
  private seqs: number[] = [];
  private items: SimEvent[] = [];
  private seq = 0;

  get size(): number {
    return this.items.length;
  }

  push(at: number, item: SimEvent): void {
    this.times.push(at);
    this.seqs.push(this.seq++);
    this.items.push(item);
    let i = this.items.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.before(i, p)) break;
      this.swap(i, p);
      i = p;
    }
  }

  peekTime(): number {
    return this.times[0] ?? Number.POSITIVE_INFINITY;
  }

  pop(): { at: number; item: SimEvent } {
    const at = this.times[0] ?? 0;
    const item = this.items[0] as SimEvent;
    const last = this.items.length - 1;
    this.swap(0, last);
    this.times.pop();
    this.seqs.pop();
    this.items.pop();
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < this.items.length && this.before(l, m)) m = l;
      if (r < this.items.length && this.before(r, m)) m = r;
      if (m === i) break;
      this.swap(i, m);
      i = m;
    }
    return { at, item };
  }

  private before(a: number, b: number): boolean {
    const ta = this.times[a] ?? 0;
    const tb = this.times[b] ?? 0;
    return ta < tb || (ta === tb && (this.seqs[a] ?? 0) < (this.seqs[b] ?? 0));
  }

  private swap(a: number, b: number): void {
    const t = this.times[a] ?? 0;
    this.times[a] = this.times[b] ?? 0;
    this.times[b] = t;
    const q = this.seqs[a] ?? 0;
    this.seqs[a] = this.seqs[b] ?? 0;
    this.seqs[b] = q;
    const item = this.items[a] as SimEvent;
    this.items[a] = this.items[b] as SimEvent;
    this.items[b] = item;
  }
}

export const DEFAULT_SIM_START = Date.UTC(2026, 0, 5, 12, 0, 0);

/** The dialer settings a scenario implies. */
export function settingsFor(s: Scenario, mode: PacingMode, maxLinesPerAgent = 3): DialerSettings {
  return {
    mode,
    maxLines: s.trunks,
    connectGraceMs: s.connect_grace * 1000,
    ringTimeoutMs: s.dial_timeout * 1000,
    amd: s.amd,
    abandon: ofcomRule(s.amd ? s.amd_false_pos : 0),
    maxLinesPerAgent,
  };
}

export function simulate(scenario: Scenario, policy: SimPolicy, options: SimulationOptions): SimulationResult {
  const t0 = options.startAt ?? DEFAULT_SIM_START;
  const end = t0 + scenario.hours * 3_600_000;
  const tickMs = options.tickMs ?? 1000;
  const settings = settingsFor(scenario, policy.mode, options.maxLinesPerAgent);
  const dialer = createDialer(settings, policy.create(settings, scenario));
  const agenda = new Agenda();
  const calls = new Map<string, SimCall>();
  const agents = new Map<string, SimAgent>();
  let nextRecord = 0;
  let trunks = 0;
  let maxTrunks = 0;
  const c = {
    dials: 0,
    failed: 0,
    notAnswered: 0,
    personsAnswered: 0,
    personsConnected: 0,
    personsDropped: 0,
    personsRejectedByAmd: 0,
    machinesAnswered: 0,
    machinesToAgents: 0,
    machinesDropped: 0,
    shortCalls: 0,
  };
  const ms = (seconds: number) => seconds * 1000;

  for (let i = 0; i < scenario.agents; i++) {
    const at = t0 + ms(i * scenario.login_stagger);
    if (at < end) agenda.push(at, { kind: 'login', agent: `agent-${i + 1}` });
  }
  agenda.push(t0, { kind: 'tick' });

  const shortIfWithin = (answeredAt: number, endedAt: number) => {
    if (endedAt - answeredAt <= ms(scenario.short_call)) c.shortCalls++;
  };

  const releaseLine = (callId: string) => {
    if (calls.delete(callId)) trunks--;
  };

  const run = (commands: DialerCommand[], now: number) => {
    for (const cmd of commands) {
      switch (cmd.type) {
        case 'Originate': {
          const fate = fateOf(scenario, drawRecord(scenario, options.seed, nextRecord++), (now - t0) / 1000);
          calls.set(cmd.callId, { fate, answeredAt: null, connectedAt: null, agent: null });
          trunks++;
          maxTrunks = Math.max(maxTrunks, trunks);
          c.dials++;
          if (fate.kind === 'failed' || fate.kind === 'no_answer') {
            const outcome = fate.kind === 'failed' ? 'busy' : 'no_answer';
            agenda.push(now + ms(fate.endsAt), { kind: 'dialer', event: { type: 'CallNotAnswered', callId: cmd.callId, outcome } });
          } else {
            const answerAt = now + ms(fate.answersAt);
            agenda.push(answerAt, { kind: 'dialer', event: { type: 'CallAnswered', callId: cmd.callId } });
            if (fate.amd && !cmd.agentId)
              agenda.push(answerAt + ms(fate.amd.after), {
                kind: 'dialer',
                event: { type: 'AmdResult', callId: cmd.callId, verdict: fate.amd.verdict },
              });
          }
          break;
        }
        case 'Connect': {
          const call = calls.get(cmd.callId);
          const agent = agents.get(cmd.agentId);
          if (!call || !agent || call.fate.kind === 'failed' || call.fate.kind === 'no_answer') break;
          call.connectedAt = now;
          call.agent = cmd.agentId;
          agent.busySince = now;
          agent.connects++;
          if (call.fate.kind === 'person') c.personsConnected++;
          else c.machinesToAgents++;
          agenda.push(now + ms(call.fate.talk), { kind: 'talk_end', callId: cmd.callId });
          break;
        }
        case 'DropCall': {
          const call = calls.get(cmd.callId);
          if (!call) break;
          if (call.fate.kind === 'person') c.personsDropped++;
          else c.machinesDropped++;
          agenda.push(now + ms(scenario.drop_message), { kind: 'line_free', callId: cmd.callId });
          break;
        }
        case 'HangUp': {
          const call = calls.get(cmd.callId);
          if (!call) break;
          if (call.fate.kind === 'person') c.personsRejectedByAmd++;
          agenda.push(now, { kind: 'line_free', callId: cmd.callId });
          break;
        }
        case 'WakeAt':
          agenda.push(cmd.at, { kind: 'wake' });
          break;
        case 'OfferPreview':
          agenda.push(now, { kind: 'dialer', event: { type: 'PreviewAccepted', agentId: cmd.agentId } });
          break;
      }
    }
  };

  const step = (event: DialerEvent, now: number) => {
    run(stepDialer(dialer, event, now).commands, now);
    options.onStep?.(dialer, now);
  };

  while (agenda.size > 0 && agenda.peekTime() < end) {
    const { at, item } = agenda.pop();
    switch (item.kind) {
      case 'login':
        agents.set(item.agent, { loginAt: at, busySince: null, busy: 0, talk: 0, connects: 0 });
        step({ type: 'AgentLoggedIn', agentId: item.agent }, at);
        break;
      case 'tick':
        step({ type: 'Tick' }, at);
        agenda.push(at + tickMs, { kind: 'tick' });
        break;
      case 'wake':
        step({ type: 'Tick' }, at);
        break;
      case 'dialer': {
        const ev = item.event;
        if (ev.type === 'CallNotAnswered') {
          const call = calls.get(ev.callId);
          if (call) {
            if (ev.outcome === 'no_answer') c.notAnswered++;
            else c.failed++;
            c.shortCalls++;
            releaseLine(ev.callId);
          }
        } else if (ev.type === 'CallAnswered') {
          const call = calls.get(ev.callId);
          if (call) {
            call.answeredAt = at;
            if (call.fate.kind === 'person') c.personsAnswered++;
            else c.machinesAnswered++;
          }
        }
        step(ev, at);
        break;
      }
      case 'talk_end': {
        const call = calls.get(item.callId);
        if (!call || call.fate.kind === 'failed' || call.fate.kind === 'no_answer') break;
        const agent = call.agent ? agents.get(call.agent) : undefined;
        if (agent && call.connectedAt !== null) {
          if (call.fate.kind === 'person') agent.talk += at - call.connectedAt;
          agenda.push(at + ms(call.fate.wrap), { kind: 'wrap_end', agent: call.agent ?? '' });
        }
        if (call.answeredAt !== null) shortIfWithin(call.answeredAt, at);
        releaseLine(item.callId);
        step({ type: 'CallEnded', callId: item.callId, machine: call.fate.kind === 'machine' }, at);
        break;
      }
      case 'wrap_end': {
        const agent = agents.get(item.agent);
        if (agent && agent.busySince !== null) {
          agent.busy += at - agent.busySince;
          agent.busySince = null;
        }
        step({ type: 'AgentAvailable', agentId: item.agent }, at);
        break;
      }
      case 'line_free': {
        const call = calls.get(item.callId);
        if (call?.answeredAt != null) shortIfWithin(call.answeredAt, at);
        releaseLine(item.callId);
        step({ type: 'CallEnded', callId: item.callId }, at);
        break;
      }
    }
  }

  let loggedIn = 0;
  let busy = 0;
  let talk = 0;
  let connects = 0;
  for (const a of agents.values()) {
    loggedIn += end - a.loginAt;
    busy += a.busy + (a.busySince !== null ? end - a.busySince : 0);
    talk += a.talk;
    connects += a.connects;
  }
  for (const call of calls.values()) {
    if (call.fate.kind !== 'person' || call.connectedAt === null || !call.agent) continue;
    const a = agents.get(call.agent);
    if (a) talk += end - call.connectedAt;
  }
  const persons = c.personsAnswered;
  const abandoned = c.personsDropped + c.personsRejectedByAmd;
  const ci = wilsonInterval(abandoned, persons);
  const agentHours = loggedIn / 3_600_000;
  const idle = (loggedIn - busy) / 1000;
  const answeredToAgents = c.personsConnected + c.machinesToAgents;
  const drops = c.personsDropped + c.machinesDropped;
  return {
    policy: policy.name,
    seed: options.seed,
    utilisation: loggedIn > 0 ? busy / loggedIn : 0,
    talkShare: loggedIn > 0 ? talk / loggedIn : 0,
    contactsPerAgentHour: agentHours > 0 ? c.personsConnected / agentHours : 0,
    dialsPerAgentHour: agentHours > 0 ? c.dials / agentHours : 0,
    trueAbandonRate: persons > 0 ? abandoned / persons : 0,
    trueAbandonLow: ci.low,
    trueAbandonHigh: ci.high,
    measuredDropRate: drops + answeredToAgents > 0 ? drops / (drops + answeredToAgents) : 0,
    shortCallShare: c.dials > 0 ? c.shortCalls / c.dials : 0,
    idleSecondsPerContact: c.personsConnected > 0 ? idle / c.personsConnected : idle,
    waitBetweenCalls: connects > 0 ? idle / connects : idle,
    maxTrunksInUse: maxTrunks,
    dialerAbandonEstimate: lifetimeFigures(dialer.ledger).rate,
    counts: c,
    agentHours,
  };
}
