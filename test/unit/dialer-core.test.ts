import { describe, expect, it } from 'vitest';
import { ofcomRule, windowFigures } from '../../src/dialer/abandon.logic.js';
import { createDialer, stepDialer, type DialerState } from '../../src/dialer/dialer.logic.js';
import type { DialerCommand, DialerEvent, DialerSettings, Pacer, PacingMode, PacingObservation } from '../../src/dialer/dialer.model.js';
import { progressivePacer } from '../../src/dialer/pacing.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

const settings = (over: Partial<DialerSettings> = {}): DialerSettings => ({
  mode: 'progressive',
  maxLines: 30,
  connectGraceMs: 2000,
  ringTimeoutMs: 25_000,
  amd: false,
  abandon: ofcomRule(0),
  maxLinesPerAgent: 3,
  ...over,
});

/** A pacer that dials what it is told and records what it observes. */
function scripted(): Pacer & { want: number; seen: PacingObservation[] } {
  return {
    name: 'scripted',
    want: 0,
    seen: [],
    observe(o) {
      this.seen.push(o);
    },
    decide() {
      const n = this.want;
      this.want = 0;
      return n;
    },
  };
}

function harness(mode: PacingMode = 'progressive', over: Partial<DialerSettings> = {}, pacer: Pacer | null = scripted()) {
  const state = createDialer(settings({ mode, ...over }), mode === 'preview' ? null : pacer);
  const at = (s: number) => T0 + s * 1000;
  const step = (s: number, event: DialerEvent): DialerCommand[] => stepDialer(state, event, at(s)).commands;
  return { state, step, at };
}

const of = <T extends DialerCommand['type']>(cmds: DialerCommand[], type: T) =>
  cmds.filter((c): c is Extract<DialerCommand, { type: T }> => c.type === type);

describe('connecting answered calls', () => {
  it('an answered call goes to the agent that has been idle longest', () => {
    const p = scripted();
    const { step } = harness('progressive', {}, p);
    step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    step(5, { type: 'AgentLoggedIn', agentId: 'bia' });
    p.want = 1;
    const dial = of(step(6, { type: 'Tick' }), 'Originate');
    expect(dial).toHaveLength(1);
    const cmds = step(15, { type: 'CallAnswered', callId: dial[0]!.callId });
    expect(of(cmds, 'Connect')).toEqual([{ type: 'Connect', callId: dial[0]!.callId, agentId: 'ana' }]);
  });

  it.each<[string, number, boolean]>([
    ['an agent freed 1.9 s after the answer takes the call', 1.9, true],
    ['an agent freed exactly at the 2 s grace still takes it', 2, true],
    ['after the grace the call was already dropped', 2.1, false],
  ])('%s', (_name, freedAfter, connected) => {
    const p = scripted();
    const { state, step } = harness('progressive', {}, p);
    step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    p.want = 2;
    const [a, b] = of(step(1, { type: 'Tick' }), 'Originate');
    step(10, { type: 'CallAnswered', callId: a!.callId });
    step(15, { type: 'CallEnded', callId: a!.callId });
    const answered = step(20, { type: 'CallAnswered', callId: b!.callId });
    // No agent: the core asks to be woken when the grace runs out.
    expect(of(answered, 'WakeAt')).toEqual([{ type: 'WakeAt', at: T0 + 22_000 }]);
    const seen: DialerCommand[] = [];
    if (freedAfter <= 2) seen.push(...step(20 + freedAfter, { type: 'AgentAvailable', agentId: 'ana' }), ...step(22, { type: 'Tick' }));
    else seen.push(...step(22, { type: 'Tick' }), ...step(20 + freedAfter, { type: 'AgentAvailable', agentId: 'ana' }));
    expect(of(seen, 'Connect').length).toBe(connected ? 1 : 0);
    expect(of(seen, 'DropCall').length).toBe(connected ? 0 : 1);
    expect(windowFigures(state.ledger, T0 + 60_000).dropped).toBe(connected ? 0 : 1);
  });

  /** One agent; two calls answered at 10 s and 11 s: the first gets her, the second waits. */
  function oneAgentTwoAnswers() {
    const p = scripted();
    const h = harness('progressive', {}, p);
    h.step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    p.want = 2;
    const [a, b] = of(h.step(1, { type: 'Tick' }), 'Originate');
    h.step(10, { type: 'CallAnswered', callId: a!.callId });
    h.step(11, { type: 'CallAnswered', callId: b!.callId });
    return { ...h, p, waiting: b!.callId };
  }

  it('drops at the grace, counts the abandon, and the line stays held through the drop message', () => {
    const { state, step, p, waiting } = oneAgentTwoAnswers();
    const b = { callId: waiting };
    const cmds = step(13, { type: 'Tick' });
    expect(of(cmds, 'DropCall')).toEqual([{ type: 'DropCall', callId: b.callId }]);
    expect(p.seen).toContainEqual({ type: 'Abandoned', callId: b.callId, waitedMs: 2000, dropped: true });
    expect(state.linesFree).toBe(28);
    step(19, { type: 'CallEnded', callId: b.callId });
    expect(state.linesFree).toBe(29);
    expect(state.calls.has(b.callId)).toBe(false);
  });

  it('a person who hangs up while waiting is abandoned too', () => {
    const { state, step, waiting } = oneAgentTwoAnswers();
    step(12, { type: 'CallEnded', callId: waiting });
    expect(windowFigures(state.ledger, T0 + 20_000)).toMatchObject({ hungUpWaiting: 1, abandoned: 1 });
  });
});

describe('answering-machine detection', () => {
  it.each<[string, 'human' | 'machine' | 'silence' | 'notsure', DialerCommand['type']]>([
    ['a person goes to an agent', 'human', 'Connect'],
    ['an unsure verdict goes to an agent', 'notsure', 'Connect'],
    ['a machine is hung up', 'machine', 'HangUp'],
    ['silence is hung up', 'silence', 'HangUp'],
  ])('%s', (_name, verdict, expected) => {
    const p = scripted();
    const { state, step } = harness('progressive', { amd: true }, p);
    step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    p.want = 1;
    const [a] = of(step(1, { type: 'Tick' }), 'Originate');
    // Answered: screening first, no agent yet.
    expect(of(step(9, { type: 'CallAnswered', callId: a!.callId }), 'Connect')).toEqual([]);
    const cmds = step(11.5, { type: 'AmdResult', callId: a!.callId, verdict });
    expect(cmds.map((c) => c.type)).toContain(expected);
    if (expected === 'HangUp') {
      expect(of(cmds, 'HangUp')[0]?.reason).toBe(verdict === 'silence' ? 'amd_silence' : 'amd_machine');
      expect(windowFigures(state.ledger, T0 + 20_000).amdHangups).toBe(1);
    }
    expect(p.seen).toContainEqual({ type: 'Screened', callId: a!.callId, ringMs: 8000, screenMs: 2500, toAgent: expected === 'Connect' });
  });
});

describe('agents', () => {
  /** Ana on a call answered at 10 s. */
  function anaOnACall() {
    const p = scripted();
    const h = harness('progressive', {}, p);
    h.step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    p.want = 1;
    const [a] = of(h.step(1, { type: 'Tick' }), 'Originate');
    h.step(10, { type: 'CallAnswered', callId: a!.callId });
    return { ...h, p, a: a! };
  }

  it('talk ends → wrap-up → available; the pacer learns both durations', () => {
    const { state, step, p, a } = anaOnACall();
    step(130, { type: 'CallEnded', callId: a.callId });
    expect(state.agents.get('ana')?.state).toBe('wrapping');
    step(145, { type: 'AgentAvailable', agentId: 'ana' });
    expect(state.agents.get('ana')?.state).toBe('idle');
    expect(p.seen).toContainEqual({ type: 'TalkEnded', callId: a.callId, talkMs: 120_000, machine: false });
    expect(p.seen).toContainEqual({ type: 'WrapEnded', agentId: 'ana', wrapMs: 15_000 });
  });

  it('a pause asked for during a call starts after the wrap-up', () => {
    const { state, step, a } = anaOnACall();
    step(20, { type: 'AgentPaused', agentId: 'ana' });
    expect(state.agents.get('ana')?.state).toBe('talking');
    step(30, { type: 'CallEnded', callId: a.callId });
    step(40, { type: 'AgentAvailable', agentId: 'ana' });
    expect(state.agents.get('ana')?.state).toBe('paused');
    step(50, { type: 'AgentAvailable', agentId: 'ana' });
    expect(state.agents.get('ana')?.state).toBe('idle');
  });

  it('state counts follow every transition', () => {
    const p = scripted();
    const { state, step } = harness('progressive', {}, p);
    for (const id of ['a', 'b', 'c']) step(0, { type: 'AgentLoggedIn', agentId: id });
    step(0, { type: 'AgentPaused', agentId: 'c' });
    p.want = 2;
    const [x] = of(step(1, { type: 'Tick' }), 'Originate');
    step(9, { type: 'CallAnswered', callId: x!.callId });
    expect(state.agentCount).toMatchObject({ idle: 1, talking: 1, paused: 1 });
    expect(state.callCount).toMatchObject({ dialing: 1, connected: 1 });
    step(10, { type: 'AgentLoggedOut', agentId: 'c' });
    expect(state.agentCount.paused).toBe(0);
  });
});

describe('progressive pacing', () => {
  it.each<[string, number, number, number]>([
    // ratio, idle agents, calls already in flight → new calls
    ['one call per idle agent', 1, 3, 0],
    ['calls in flight cover idle agents', 1, 3, 2],
    ['ratio 2 keeps two calls per idle agent', 2, 3, 1],
  ])('%s', (_name, ratio, idle, inFlight) => {
    const pre = scripted();
    const state = createDialer(settings(), pre);
    for (let i = 0; i < idle; i++) stepDialer(state, { type: 'AgentLoggedIn', agentId: `a${i}` }, T0);
    pre.want = inFlight;
    stepDialer(state, { type: 'Tick' }, T0);
    const view: DialerState = state;
    expect(progressivePacer(ratio).decide(view, T0)).toBe(Math.max(0, ratio * idle - inFlight));
  });

  it('never more calls than free lines or contacts', () => {
    const { state, step } = harness('progressive', { maxLines: 2 }, progressivePacer(1));
    for (let i = 0; i < 5; i++) step(0, { type: 'AgentLoggedIn', agentId: `a${i}` });
    expect(state.callCount.dialing).toBe(2);
    const h = harness('progressive', {}, progressivePacer(1));
    h.step(0, { type: 'ContactsAvailable', count: 1 });
    for (let i = 0; i < 5; i++) h.step(0, { type: 'AgentLoggedIn', agentId: `a${i}` });
    expect(h.state.callCount.dialing).toBe(1);
  });

  it('nothing is dialled while the campaign is paused or stopped; resume dials again', () => {
    const { state, step } = harness('progressive', {}, progressivePacer(1));
    step(0, { type: 'CampaignPaused' });
    step(0, { type: 'AgentLoggedIn', agentId: 'a' });
    expect(state.callCount.dialing).toBe(0);
    step(1, { type: 'CampaignResumed' });
    expect(state.callCount.dialing).toBe(1);
    step(2, { type: 'CampaignStopped' });
    step(2, { type: 'AgentLoggedIn', agentId: 'b' });
    expect(state.callCount.dialing).toBe(1);
  });

  it('a dial the engine could not place frees its line and teaches the pacer nothing', () => {
    const p = scripted();
    const { state, step } = harness('progressive', {}, p);
    step(0, { type: 'AgentLoggedIn', agentId: 'a' });
    p.want = 1;
    const [x] = of(step(1, { type: 'Tick' }), 'Originate');
    step(1, { type: 'DialAborted', callId: x!.callId });
    expect(state.calls.size).toBe(0);
    expect(state.linesFree).toBe(30);
    expect(p.seen.map((o) => o.type)).toEqual(['Dialled', 'Withdrawn']);
  });
});

describe('preview', () => {
  it('offer → accept → dial for that agent → connect to that agent', () => {
    const { state, step } = harness('preview');
    const offered = step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    expect(offered).toEqual([{ type: 'OfferPreview', agentId: 'ana' }]);
    step(1, { type: 'AgentLoggedIn', agentId: 'bia' });
    const dial = step(5, { type: 'PreviewAccepted', agentId: 'bia' });
    expect(dial).toEqual([{ type: 'Originate', callId: 'dial-1', agentId: 'bia' }]);
    expect(state.agents.get('bia')?.state).toBe('dialing');
    // Even with another agent free, the call belongs to bia.
    expect(of(step(12, { type: 'CallAnswered', callId: 'dial-1' }), 'Connect')).toEqual([{ type: 'Connect', callId: 'dial-1', agentId: 'bia' }]);
  });

  it('an unanswered preview call returns the agent to a new offer', () => {
    const { state, step } = harness('preview');
    step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    step(1, { type: 'PreviewAccepted', agentId: 'ana' });
    const cmds = step(26, { type: 'CallNotAnswered', callId: 'dial-1', outcome: 'no_answer' });
    expect(cmds).toEqual([{ type: 'OfferPreview', agentId: 'ana' }]);
    expect(state.agents.get('ana')?.state).toBe('previewing');
  });

  it('skipping a contact brings the next one', () => {
    const { step } = harness('preview');
    step(0, { type: 'AgentLoggedIn', agentId: 'ana' });
    expect(step(3, { type: 'PreviewSkipped', agentId: 'ana' })).toEqual([{ type: 'OfferPreview', agentId: 'ana' }]);
  });
});
