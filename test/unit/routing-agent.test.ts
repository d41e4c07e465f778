import { describe, expect, it } from 'vitest';
import {
  canTake,
  checkPause,
  displayState,
  offlineAgent,
  pauseSpecOf,
  stepAgent,
  type AgentEffect,
  type AgentEvent,
  type AgentState,
  type PauseTypeRules,
} from '../../src/routing/agent.logic.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);
const at = (s: number) => T0 + s * 1000;
const CAP = { voice: 1, chat: 3, email: 2 };

const lunch: PauseTypeRules = { id: 1, reason: 'Almoço', active: true, wrapUp: false, maxAgents: 2, maxDurationMinutes: 60, overrunAllowed: true, transferWhilePaused: true, teamIds: [] };
const coffee: PauseTypeRules = { id: 2, reason: 'Café', active: true, wrapUp: false, maxAgents: null, maxDurationMinutes: 10, overrunAllowed: false, transferWhilePaused: false, teamIds: [] };
const noAnswer = { after: 2, pause: pauseSpecOf({ id: 3, reason: 'Não atendeu', maxDurationMinutes: null, overrunAllowed: true, transferWhilePaused: false }) };

/** Steps through events given as [seconds, event]; returns the final state and every effect. */
function play(events: [number, AgentEvent][], start: AgentState = offlineAgent(T0)) {
  let s = start;
  const effects: (AgentEffect & { t: number })[] = [];
  for (const [t, e] of events) {
    const step = stepAgent(s, e, at(t));
    s = step.state;
    effects.push(...step.effects.map((x) => ({ ...x, t })));
  }
  return { s, effects, states: effects.filter((e) => e.type === 'StateChanged').map((e) => (e as { to: string }).to) };
}

describe('agent state machine', () => {
  it('offline → available → offered → busy → wrap-up → available', () => {
    const { s, states, effects } = play([
      [0, { type: 'LogIn' }],
      [10, { type: 'Offered', channel: 'voice' }],
      [14, { type: 'OfferAnswered', channel: 'voice' }],
      [200, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: 30_000 }],
      [230, { type: 'WrapUpTimer' }],
    ]);
    expect(states).toEqual(['available', 'offered', 'busy', 'wrap_up', 'available']);
    expect(effects).toContainEqual({ type: 'WakeAt', at: at(230), reason: 'wrap_up', t: 200 });
    expect(s.taken).toBe(1);
    expect(s.idleSince).toBe(at(230));
  });

  it("an agent's own call makes it busy and takes no offer; it ends in the given wrap-up, and in a pause it stays paused", () => {
    const { s, states } = play([
      [0, { type: 'LogIn' }],
      [5, { type: 'OwnCallStarted', channel: 'voice' }],
    ]);
    expect(states).toEqual(['available', 'busy']);
    expect(canTake(s, 'voice', CAP)).toBe(false);
    expect(s.taken).toBe(0);
    const held = play([[90, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: 1 }]], s);
    expect(held.states).toEqual(['wrap_up']);
    const free = play([[90, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: 0 }]], s);
    expect(free.states).toEqual(['available']);
    const paused = play([
      [0, { type: 'LogIn' }],
      [1, { type: 'Pause', pause: pauseSpecOf(coffee), cause: 'requested' }],
      [2, { type: 'OwnCallStarted', channel: 'voice' }],
      [60, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: 0 }],
    ]);
    expect(paused.states).toEqual(['available', 'paused', 'busy', 'paused']);
  });

  it('voice excludes voice; chats have their own capacity beside a call', () => {
    let s = play([[0, { type: 'LogIn' }]]).s;
    expect(canTake(s, 'voice', CAP)).toBe(true);
    s = stepAgent(s, { type: 'Offered', channel: 'voice' }, at(1)).state;
    expect(canTake(s, 'voice', CAP)).toBe(false);
    expect(canTake(s, 'voice', { ...CAP, voice: 4 })).toBe(false);
    expect(canTake(s, 'chat', CAP)).toBe(true);
    for (let i = 0; i < 3; i++) s = stepAgent(stepAgent(s, { type: 'Offered', channel: 'chat' }, at(2)).state, { type: 'OfferAnswered', channel: 'chat' }, at(2)).state;
    expect(canTake(s, 'chat', CAP)).toBe(false);
    expect(canTake(s, 'email', CAP)).toBe(true);
    expect(canTake(s, 'email', { ...CAP, email: 0 })).toBe(false);
    expect(displayState(s)).toBe('busy');
  });

  it('an unanswered offer returns the agent to available; N in a row pause it automatically', () => {
    const { s, effects, states } = play([
      [0, { type: 'LogIn' }],
      [1, { type: 'Offered', channel: 'voice' }],
      [16, { type: 'OfferEnded', channel: 'voice', missed: true, autoPause: noAnswer }],
      [17, { type: 'Offered', channel: 'voice' }],
      // withdrawn (another agent answered a ring-all): does not count
      [20, { type: 'OfferEnded', channel: 'voice', missed: false, autoPause: noAnswer }],
      [21, { type: 'Offered', channel: 'voice' }],
      [36, { type: 'OfferEnded', channel: 'voice', missed: true, autoPause: noAnswer }],
    ]);
    expect(states).toEqual(['available', 'offered', 'available', 'offered', 'available', 'offered', 'paused']);
    expect(s.pause).toMatchObject({ pauseTypeId: 3, reason: 'Não atendeu', cause: 'no_answer' });
    expect(effects).toContainEqual({ type: 'Notice', code: 'auto_paused', pauseTypeId: 3, reason: 'Não atendeu', t: 36 });
    expect(s.missedInARow).toBe(0);
  });

  it('an answered offer resets the unanswered count', () => {
    const { s } = play([
      [0, { type: 'LogIn' }],
      [1, { type: 'Offered', channel: 'voice' }],
      [16, { type: 'OfferEnded', channel: 'voice', missed: true, autoPause: noAnswer }],
      [17, { type: 'Offered', channel: 'voice' }],
      [18, { type: 'OfferAnswered', channel: 'voice' }],
      [60, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: 0 }],
      [61, { type: 'Offered', channel: 'voice' }],
      [76, { type: 'OfferEnded', channel: 'voice', missed: true, autoPause: noAnswer }],
    ]);
    expect(s.status).toBe('available');
    expect(s.missedInARow).toBe(1);
  });

  it('a pause asked for while busy starts when the call and its wrap-up are over', () => {
    const { s, states } = play([
      [0, { type: 'LogIn' }],
      [1, { type: 'Offered', channel: 'voice' }],
      [2, { type: 'OfferAnswered', channel: 'voice' }],
      [50, { type: 'Pause', pause: pauseSpecOf(coffee), cause: 'requested' }],
      [100, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: 20_000 }],
      [120, { type: 'WrapUpTimer' }],
    ]);
    expect(states).toEqual(['available', 'offered', 'busy', 'wrap_up', 'paused']);
    expect(s.pause).toMatchObject({ reason: 'Café', startedAt: at(120) });
    // Nothing is offered while the pause is pending.
    const pending = play([
      [0, { type: 'LogIn' }],
      [1, { type: 'Offered', channel: 'chat' }],
      [2, { type: 'OfferAnswered', channel: 'chat' }],
      [3, { type: 'Pause', pause: pauseSpecOf(coffee), cause: 'requested' }],
    ]).s;
    expect(canTake(pending, 'voice', CAP)).toBe(false);
    expect(canTake(stepAgent(pending, { type: 'Unpause' }, at(4)).state, 'voice', CAP)).toBe(true);
  });

  it('a transfer addressed to the agent reaches it only in a pause that allows transfers', () => {
    const atLunch = play([[0, { type: 'LogIn' }], [1, { type: 'Pause', pause: pauseSpecOf(lunch), cause: 'requested' }]]).s;
    const atCoffee = play([[0, { type: 'LogIn' }], [1, { type: 'Pause', pause: pauseSpecOf(coffee), cause: 'requested' }]]).s;
    expect(canTake(atLunch, 'voice', CAP)).toBe(false);
    expect(canTake(atLunch, 'voice', CAP, true)).toBe(true);
    expect(canTake(atCoffee, 'voice', CAP, true)).toBe(false);
  });

  it('pausing while an offer rings withdraws the offer; ready ends the wrap-up early', () => {
    const a = play([
      [0, { type: 'LogIn' }],
      [1, { type: 'Offered', channel: 'voice' }],
      [3, { type: 'Pause', pause: pauseSpecOf(coffee), cause: 'requested' }],
    ]);
    expect(a.effects.map((e) => e.type)).toContain('WithdrawOffers');
    const b = play([
      [0, { type: 'LogIn' }],
      [1, { type: 'Offered', channel: 'voice' }],
      [2, { type: 'OfferAnswered', channel: 'voice' }],
      [10, { type: 'InteractionEnded', channel: 'voice', wrapUpMs: 60_000 }],
      [15, { type: 'Ready' }],
      // the stale timer is ignored
      [70, { type: 'WrapUpTimer' }],
    ]);
    expect(b.states).toEqual(['available', 'offered', 'busy', 'wrap_up', 'available']);
    expect(b.s.idleSince).toBe(at(15));
  });

  it('maximum pause without overrun: back to available at the limit, and told so', () => {
    const { s, effects, states } = play([
      [0, { type: 'LogIn' }],
      [5, { type: 'Pause', pause: pauseSpecOf(coffee), cause: 'requested' }],
      [300, { type: 'PauseLimitReached' }], // a stale or early wake-up changes nothing
      [605, { type: 'PauseLimitReached' }],
    ]);
    expect(effects).toContainEqual({ type: 'WakeAt', at: at(605), reason: 'pause_limit', t: 5 });
    expect(states).toEqual(['available', 'paused', 'available']);
    expect(effects).toContainEqual({ type: 'Notice', code: 'pause_limit_returned', pauseTypeId: 2, reason: 'Café', t: 605 });
    expect(s.status).toBe('available');
  });

  it('maximum pause with overrun allowed: stays paused, flagged once', () => {
    const { s, effects } = play([
      [0, { type: 'LogIn' }],
      [5, { type: 'Pause', pause: pauseSpecOf(lunch), cause: 'requested' }],
      [3605, { type: 'PauseLimitReached' }],
      [3700, { type: 'PauseLimitReached' }],
    ]);
    expect(s.status).toBe('paused');
    expect(s.pause?.overrun).toBe(true);
    expect(effects.filter((e) => e.type === 'Notice')).toEqual([{ type: 'Notice', code: 'pause_overrun', pauseTypeId: 1, reason: 'Almoço', t: 3605 }]);
  });

  it('switching pauses restarts the clock; logging out ends everything', () => {
    const { s, states } = play([
      [0, { type: 'LogIn' }],
      [5, { type: 'Pause', pause: pauseSpecOf(lunch), cause: 'requested' }],
      [50, { type: 'Pause', pause: pauseSpecOf(coffee), cause: 'requested' }],
      [60, { type: 'LogOut' }],
    ]);
    expect(states).toEqual(['available', 'paused', 'paused', 'offline']);
    expect(s.pause).toBeNull();
    expect(stepAgent(s, { type: 'Unpause' }, at(70)).effects).toEqual([]);
  });
});

describe('pause rules', () => {
  const agent = { status: 'available' as const, teamId: 7, currentPauseTypeId: null };
  it.each<[string, PauseTypeRules, typeof agent | { status: 'offline'; teamId: number; currentPauseTypeId: null }, number, boolean, string | undefined]>([
    ['allowed', lunch, agent, 1, false, undefined],
    ['not logged in', lunch, { status: 'offline', teamId: 7, currentPauseTypeId: null }, 0, false, 'not_logged_in'],
    ['disabled', { ...lunch, active: false }, agent, 0, false, 'pause_disabled'],
    ['wrap-up pause is automatic only', { ...lunch, wrapUp: true }, agent, 0, false, 'pause_automatic'],
    ['not offered to the team', { ...lunch, teamIds: [8] }, agent, 0, false, 'pause_not_for_team'],
    ['maximum agents reached', lunch, agent, 2, false, 'pause_full'],
    ['a supervisor may force it past the maximum', lunch, agent, 2, true, undefined],
  ])('%s', (_name, type, who, others, forced, code) => {
    expect(checkPause(type, who, others, forced)?.code).toBe(code);
  });

  it('names the count in the refusal', () => {
    expect(checkPause(lunch, agent, 2, false)?.message).toBe('2 of 2 agents are already in the pause "Almoço"; try again later');
  });
});
