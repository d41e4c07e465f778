/**
 * The routing engine's behaviour, event by event, in virtual time: offers, ring time and the
 * next agent, ring-all, priorities widening with wait, sticky agents, queue priority, limits,
 * join/leave rules, capacity, pauses, wrap-up, unanswered offers, phones that go away.
 */
import { beforeEach, describe, expect, it } from 'vitest';
import { FakeClock, seededRandom, silentLogger, wallClock, type Clock } from '../../src/kernel/index.js';
import type { PauseTypeRules } from '../../src/routing/agent.logic.js';
import type { AcdSink, AgentSnapshot, InteractionHandle, InteractionRecord, Offer, OfferRecord, WithdrawReason } from '../../src/routing/acd.model.js';
import { AcdEngine } from '../../src/routing/acd.service.js';
import type { Interaction, QueueSettings } from '../../src/routing/routing.model.js';
import { interaction, queueSettings } from '../helpers/acd-sim.js';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

interface Call {
  id: string;
  offers: Offer[];
  withdrawn: { offer: Offer; reason: WithdrawReason; at: number }[];
  left: string[];
}

/**
 * `early`: the timers under the engine's clock fire this many ms before they are due (as
 * Node's may, by its loop's clock), the production clock (`wallClock`) over them.
 */
function world(early = 0) {
  const fake = new FakeClock(T0);
  const clock: Clock = wallClock(() => fake.now(), (fn, ms) => fake.setTimeout(fn, ms > early ? ms - early : ms));
  const records = new Map<string, InteractionRecord>();
  const offers: OfferRecord[] = [];
  const states: { agent: string; from: string; to: string; at: number }[] = [];
  const notices: { agent: string; code: string; reason?: string }[] = [];
  const sink: AcdSink = {
    interaction: (r) => records.set(r.id, { ...r }),
    offer: (o) => offers.push(o),
    agentState: (a: AgentSnapshot, from, at) => states.push({ agent: a.key, from, to: a.state, at }),
    agentNotice: (a, code, d) => notices.push({ agent: a.key, code, ...(d.reason ? { reason: d.reason } : {}) }),
  };
  const engine = new AcdEngine({ clock, random: seededRandom(1), logger: silentLogger, sink });
  const calls = new Map<string, Call>();
  let n = 0;

  const agent = (key: string, over: { capacity?: { voice: number; chat: number; email: number }; teamId?: number; skills?: string[]; extension?: string | null } = {}) => {
    engine.setAgent({
      key,
      tenantId: 1,
      userId: Number(key.replace(/\D/g, '')) || 1,
      name: key,
      extension: over.extension === undefined ? `10${key.replace(/\D/g, '')}` : over.extension,
      teamId: over.teamId ?? 1,
      capacity: over.capacity ?? { voice: 1, chat: 3, email: 2 },
      skills: over.skills ?? [],
    });
    engine.setRegistered(key, true);
  };
  const queue = (over: Partial<QueueSettings>, members: [string, number][]) =>
    engine.setQueue(queueSettings(over), members.map(([a, priority], order) => ({ agent: a, priority, order })));

  const handleFor = (c: Call): InteractionHandle => ({
    offer: (o) => c.offers.push(o),
    withdraw: (o, reason) => c.withdrawn.push({ offer: o, reason, at: clock.now() }),
    leave: (outcome) => c.left.push(outcome),
  });
  const call = (over: Partial<Interaction> = {}) => {
    const id = `i${++n}`;
    const c: Call = { id, offers: [], withdrawn: [], left: [] };
    calls.set(id, c);
    const result = engine.enqueue(interaction({ id, enteredAt: clock.now(), ...over }), handleFor(c));
    return { ...c, result, c };
  };
  const lastOffer = (c: { c: Call }) => c.c.offers.at(-1)!;
  const offeredTo = (c: { c: Call }) => c.c.offers.map((o) => o.agent.key);
  const answer = (c: { c: Call }, agentKey?: string) => {
    const o = agentKey ? c.c.offers.filter((x) => x.agent.key === agentKey).at(-1)! : lastOffer(c);
    return engine.offerAnswered(o.id);
  };
  const advance = (s: number) => fake.advance(s * 1000);
  const stateOf = (key: string) => engine.agentSnapshot(key)!.state;
  return { clock, engine, records, offers, states, notices, agent, queue, call, answer, advance, offeredTo, lastOffer, stateOf };
}

const pauseType = (over: Partial<PauseTypeRules> = {}): PauseTypeRules => ({
  id: 10,
  reason: 'Café',
  active: true,
  wrapUp: false,
  maxAgents: null,
  maxDurationMinutes: null,
  overrunAllowed: true,
  transferWhilePaused: false,
  teamIds: [],
  ...over,
});

let w: ReturnType<typeof world>;
beforeEach(() => {
  w = world();
});

describe('offering', () => {
  it('offers to one agent; answered → connected, the agent busy, the record answered', () => {
    w.agent('a1');
    w.queue({}, [['a1', 1]]);
    w.engine.login('a1');
    const c = w.call();
    expect(c.result).toEqual({ joined: true, position: 1 });
    expect(w.offeredTo(c)).toEqual(['a1']);
    expect(w.stateOf('a1')).toBe('offered');
    w.advance(4);
    expect(w.answer(c)).toBe(true);
    expect(w.stateOf('a1')).toBe('busy');
    expect(w.records.get(c.id)).toMatchObject({ outcome: 'answered', answeredAt: T0 + 4000, agent: 'a1', offers: 1, unansweredOffers: 0 });
    w.advance(60);
    w.engine.ended(c.id, { holdMs: 10_000 });
    expect(w.records.get(c.id)).toMatchObject({ endedAt: T0 + 64_000, talkMs: 50_000, holdMs: 10_000, handled: true });
    expect(w.stateOf('a1')).toBe('available');
  });

  it('not answered within the ring time: withdrawn and the next agent rings at the same instant', () => {
    w.agent('a1');
    w.agent('a2');
    w.queue({ strategy: 'linear', ringSeconds: 15 }, [['a1', 1], ['a2', 1]]);
    w.engine.login('a1');
    w.engine.login('a2');
    const c = w.call();
    expect(w.offeredTo(c)).toEqual(['a1']);
    w.advance(15);
    expect(c.c.withdrawn).toEqual([expect.objectContaining({ reason: 'ring_timeout', at: T0 + 15_000 })]);
    expect(w.offeredTo(c)).toEqual(['a1', 'a2']);
    expect(w.lastOffer(c).at).toBe(T0 + 15_000);
    expect(w.answer(c)).toBe(true);
    expect(w.records.get(c.id)).toMatchObject({ agent: 'a2', offers: 2, unansweredOffers: 1 });
    expect(w.offers.map((o) => [o.agent, o.outcome])).toEqual([
      ['a1', 'ring_timeout'],
      ['a2', 'answered'],
    ]);
  });

  it('a late answer after the ring time is refused (the channel hangs that leg up)', () => {
    w.agent('a1');
    w.queue({ ringSeconds: 10 }, [['a1', 1]]);
    w.engine.login('a1');
    const c = w.call();
    const first = w.lastOffer(c);
    w.advance(10);
    expect(w.engine.offerAnswered(first.id)).toBe(false);
  });

  it('ring-all rings every available agent; the first to answer wins, the others are withdrawn', () => {
    for (const a of ['a1', 'a2', 'a3']) w.agent(a);
    w.queue({ strategy: 'ring_all' }, [['a1', 1], ['a2', 1], ['a3', 2]]);
    for (const a of ['a1', 'a2', 'a3']) w.engine.login(a);
    const c = w.call();
    // Lowest priority number first: a3 (priority 2) waits while a1 and a2 are free.
    expect(w.offeredTo(c)).toEqual(['a1', 'a2']);
    w.advance(3);
    expect(w.answer(c, 'a2')).toBe(true);
    expect(c.c.withdrawn.map((x) => [x.offer.agent.key, x.reason])).toEqual([['a1', 'answered_elsewhere']]);
    expect(w.stateOf('a1')).toBe('available');
    expect(w.engine.agentSnapshot('a1')!.taken).toBe(0);
  });

  it('the caller hanging up while being offered withdraws the offer; the record is an abandon after an offer', () => {
    w.agent('a1');
    w.queue({}, [['a1', 1]]);
    w.engine.login('a1');
    const c = w.call();
    w.advance(5);
    w.engine.abandoned(c.id);
    expect(c.c.withdrawn.map((x) => x.reason)).toEqual(['interaction_left']);
    expect(w.records.get(c.id)).toMatchObject({ outcome: 'abandoned', leftAt: T0 + 5000, offers: 1 });
    expect(w.stateOf('a1')).toBe('available');
  });

  it('N unanswered offers in a row pause the agent with the queue’s reason', () => {
    w.agent('a1');
    w.agent('a2');
    w.engine.setPauseType(pauseType({ id: 77, reason: 'Não atendeu' }));
    w.queue({ strategy: 'linear', ringSeconds: 10, autoPauseAfter: 2, autoPauseTypeId: 77 }, [['a1', 1], ['a2', 2]]);
    w.engine.login('a1');
    const c1 = w.call();
    w.advance(10); // a1 misses, and is offered again (nobody else)
    expect(w.offeredTo(c1)).toEqual(['a1', 'a1']);
    w.advance(10);
    expect(w.stateOf('a1')).toBe('paused');
    expect(w.engine.agentSnapshot('a1')!.pause).toMatchObject({ reason: 'Não atendeu', cause: 'no_answer' });
    expect(w.notices).toContainEqual({ agent: 'a1', code: 'auto_paused', reason: 'Não atendeu' });
    // a2 logs in: it gets the call at once.
    w.engine.login('a2');
    expect(w.offeredTo(c1).at(-1)).toBe('a2');
  });
});

describe('choosing the interaction', () => {
  it('a free agent takes the highest priority, then the longest waiting, across its queues', () => {
    w.agent('a1');
    w.queue({ id: 1 }, [['a1', 1]]);
    w.queue({ id: 2, priority: 5 }, [['a1', 1]]);
    const low = w.call({ queueId: 1 });
    w.advance(10);
    const high = w.call({ queueId: 2, priority: 5 });
    w.advance(1);
    const older = w.call({ queueId: 1 });
    void older;
    w.engine.login('a1');
    expect(w.offeredTo(high)).toEqual(['a1']);
    expect(w.offeredTo(low)).toEqual([]);
    w.answer(high);
    w.engine.ended(high.id);
    expect(w.offeredTo(low)).toEqual(['a1']);
  });

  it('priority rules widen with wait: priority 2 only after 30 s', () => {
    w.agent('a1');
    w.agent('a2');
    w.queue({ priorityRules: [{ afterSeconds: 0, maxPriority: 1 }, { afterSeconds: 30, maxPriority: 2 }] }, [['a1', 1], ['a2', 2]]);
    w.engine.login('a2');
    const c = w.call();
    expect(w.offeredTo(c)).toEqual([]);
    w.advance(29);
    expect(w.offeredTo(c)).toEqual([]);
    w.advance(1);
    expect(w.offeredTo(c)).toEqual(['a2']);
  });

  it('the sticky agent (owner) is the only one offered for N s, then everyone', () => {
    w.agent('a1');
    w.agent('a2');
    w.queue({ stickySeconds: 20, stickyMode: 'owner', strategy: 'linear' }, [['a1', 1], ['a2', 1]]);
    w.engine.login('a1');
    w.engine.login('a2');
    w.engine.pause('a2', pauseType());
    const c = w.call({ ownerAgent: 'a2' });
    expect(w.offeredTo(c)).toEqual([]);
    w.engine.unpause('a2');
    expect(w.offeredTo(c)).toEqual(['a2']);
    w.advance(15); // a2 lets it ring out: only a2 may take it until 20 s
    expect(w.offeredTo(c)).toEqual(['a2', 'a2']);
    w.advance(5);
    expect(w.offeredTo(c)).toEqual(['a2', 'a2']);
    w.advance(10);
    expect(w.offeredTo(c).at(-1)).toBe('a1');
  });

  it('a sticky agent who is not logged in does not hold the interaction back', () => {
    w.agent('a1');
    w.agent('a2');
    w.queue({ stickySeconds: 60 }, [['a1', 1], ['a2', 1]]);
    w.engine.login('a1');
    const c = w.call({ ownerAgent: 'a2' });
    expect(w.offeredTo(c)).toEqual(['a1']);
  });

  it('required skills', () => {
    w.agent('a1', { skills: ['es'] });
    w.agent('a2', { skills: ['en'] });
    w.queue({}, [['a1', 1], ['a2', 1]]);
    w.engine.login('a1');
    w.engine.login('a2');
    expect(w.offeredTo(w.call({ requiredSkills: ['en'] }))).toEqual(['a2']);
  });

  it('a transfer to an agent reaches only that agent, even in a pause that allows transfers', () => {
    w.agent('a1');
    w.agent('a9');
    w.queue({}, [['a1', 1]]);
    w.engine.login('a1');
    w.engine.login('a9');
    w.engine.pause('a9', pauseType({ transferWhilePaused: true }));
    const c = w.call({ targetAgent: 'a9' });
    expect(w.offeredTo(c)).toEqual(['a9']);
    w.engine.pause('a1', pauseType({ id: 11, reason: 'Reunião' }));
    const d = w.call({ targetAgent: 'a1' });
    expect(w.offeredTo(d)).toEqual([]);
  });
  it('a transfer to an agent who does not answer falls back to the queue’s own agents', () => {
    w.agent('a1');
    w.agent('a9');
    w.queue({ strategy: 'linear', ringSeconds: 10 }, [['a1', 1]]);
    w.engine.login('a1');
    w.engine.login('a9');
    const c = w.call({ targetAgent: 'a9' });
    expect(w.offeredTo(c)).toEqual(['a9']);
    w.advance(10);
    expect(w.offeredTo(c)).toEqual(['a9', 'a1']);
    expect(w.answer(c)).toBe(true);
    expect(w.records.get(c.id)).toMatchObject({ agent: 'a1', unansweredOffers: 1 });
  });

  it('a call for an agent with a grace: that agent gets it when free; busy past the grace, the queue’s own agents take it', () => {
    w.agent('a1');
    w.agent('a2');
    w.agent('a3');
    w.queue({ strategy: 'linear', ringSeconds: 10 }, [
      ['a1', 1],
      ['a2', 1],
      ['a3', 1],
    ]);
    w.engine.login('a1');
    w.engine.login('a2');
    w.engine.login('a3');
    // a2 is free: the call goes to a2, not to a1 whom the queue's order would pick.
    const c = w.call({ targetAgent: 'a2', targetGraceMs: 2000 });
    expect(w.offeredTo(c)).toEqual(['a2']);
    expect(w.answer(c)).toBe(true);
    // a2 is on that call: the next one for a2 waits the grace, then a1 takes it.
    const d = w.call({ targetAgent: 'a2', targetGraceMs: 2000 });
    expect(w.offeredTo(d)).toEqual([]);
    w.advance(1.9);
    expect(w.offeredTo(d)).toEqual([]);
    w.advance(0.1);
    expect(w.offeredTo(d)).toEqual(['a1']);
    expect(w.answer(d)).toBe(true);
    expect(w.records.get(d.id)).toMatchObject({ agent: 'a1', unansweredOffers: 0 });
    // Without a grace a call for a busy agent waits for that agent, a3 free or not.
    const e = w.call({ targetAgent: 'a2' });
    w.advance(30);
    expect(w.offeredTo(e)).toEqual([]);
  });

  it('a consult of an agent (target only) who does not answer or refuses leaves as empty, never offered to the queue’s agents', () => {
    w.agent('a1');
    w.agent('a9');
    w.queue({ strategy: 'linear', ringSeconds: 10 }, [['a1', 1]]);
    w.engine.login('a1');
    w.engine.login('a9');
    expect(w.engine.mayOfferTransfer('a9', 'voice_in')).toBe(true);
    const c = w.call({ targetAgent: 'a9', targetOnly: true });
    expect(w.offeredTo(c)).toEqual(['a9']);
    w.advance(10);
    expect(w.offeredTo(c)).toEqual(['a9']);
    expect(c.c.withdrawn.map((x) => x.reason)).toEqual(['ring_timeout']);
    expect(c.c.left).toEqual(['empty']);
    expect(w.records.get(c.id)).toMatchObject({ outcome: 'empty', agent: null, unansweredOffers: 1, endReason: 'a9 did not take it (ring_timeout)' });
    expect(w.stateOf('a1')).toBe('available');

    const d = w.call({ targetAgent: 'a9', targetOnly: true });
    w.engine.offerFailed(w.lastOffer(d).id, 'rejected');
    expect(d.c.left).toEqual(['empty']);
    expect(w.offeredTo(d)).toEqual(['a9']);
    // Busy with a call, the agent could not take a consult now.
    const e = w.call({ targetAgent: 'a9' });
    expect(w.answer(e)).toBe(true);
    expect(w.engine.mayOfferTransfer('a9', 'voice_in')).toBe(false);
  });
});

describe('queue limits and rules', () => {
  it('maximum waiting: the next one is refused as full and recorded as refused', () => {
    w.queue({ maxWaiting: 2, joinRule: 'always' }, []);
    w.call();
    w.call();
    const third = w.call();
    expect(third.result).toEqual({ joined: false, outcome: 'full' });
    expect(w.records.get(third.id)).toMatchObject({ joined: false, outcome: 'full' });
  });

  it('maximum wait: the interaction leaves for the queue’s destination', () => {
    w.queue({ maxWaitSeconds: 90 }, []);
    const c = w.call();
    w.advance(89);
    expect(c.c.left).toEqual([]);
    w.advance(1);
    expect(c.c.left).toEqual(['timeout']);
    expect(w.records.get(c.id)).toMatchObject({ outcome: 'timeout', leftAt: T0 + 90_000 });
    expect(w.engine.queueSnapshot(1)!.waiting).toEqual([]);
  });

  it('join rule: no agent logged in → refused as empty; leave rule: the last agent pauses → everyone leaves', () => {
    w.agent('a1');
    w.queue({ joinRule: 'agents_logged_in', leaveRule: 'no_agents_unpaused' }, [['a1', 1]]);
    expect(w.call().result).toEqual({ joined: false, outcome: 'empty' });
    w.engine.login('a1');
    const busy = w.call();
    w.answer(busy);
    const waiting = w.call();
    expect(waiting.result).toMatchObject({ joined: true });
    w.engine.pause('a1', pauseType()); // pending: a1 is on a call, still unpaused
    expect(waiting.c.left).toEqual([]);
    w.engine.ended(busy.id);
    expect(w.stateOf('a1')).toBe('paused');
    expect(waiting.c.left).toEqual(['empty']);
  });

  it('position and expected wait', () => {
    w.agent('a1');
    w.queue({}, [['a1', 1]]);
    w.engine.login('a1');
    w.answer(w.call());
    const second = w.call();
    const third = w.call();
    expect(w.engine.position(second.id)).toBe(1);
    expect(w.engine.position(third.id)).toBe(2);
    expect(w.engine.expectedWait(third.id)).toBe(2 * 180_000);
  });
});

describe('agents', () => {
  it('voice excludes voice, chats have their own capacity', () => {
    w.agent('a1', { capacity: { voice: 1, chat: 2, email: 0 } });
    w.queue({}, [['a1', 1]]);
    w.engine.login('a1');
    const v1 = w.call();
    w.answer(v1);
    const v2 = w.call();
    const c1 = w.call({ kind: 'chat' });
    const c2 = w.call({ kind: 'chat' });
    const c3 = w.call({ kind: 'chat' });
    const e1 = w.call({ kind: 'email' });
    expect([v2, c1, c2, c3, e1].map((c) => w.offeredTo(c).length)).toEqual([0, 1, 1, 0, 0]);
  });

  it('an agent whose phone is not registered is not offered calls; a phone lost while ringing hands the call on', () => {
    w.agent('a1');
    w.agent('a2');
    w.queue({ strategy: 'linear' }, [['a1', 1], ['a2', 1]]);
    w.engine.login('a1');
    w.engine.login('a2');
    w.engine.setRegistered('a1', false);
    const c = w.call();
    expect(w.offeredTo(c)).toEqual(['a2']);
    w.engine.setRegistered('a1', true);
    w.engine.setRegistered('a2', false);
    expect(c.c.withdrawn.map((x) => x.reason)).toEqual(['agent_unavailable']);
    expect(w.offeredTo(c)).toEqual(['a2', 'a1']);
  });

  it('an unreachable phone is marked unregistered and the call goes on to the next agent', () => {
    w.agent('a1');
    w.agent('a2');
    w.queue({ strategy: 'linear' }, [['a1', 1], ['a2', 1]]);
    w.engine.login('a1');
    w.engine.login('a2');
    const c = w.call();
    w.engine.offerFailed(w.lastOffer(c).id, 'unreachable');
    expect(w.engine.agentSnapshot('a1')!.registered).toBe(false);
    expect(w.notices).toContainEqual({ agent: 'a1', code: 'phone_unreachable' });
    expect(w.offeredTo(c)).toEqual(['a1', 'a2']);
  });

  it('wrap-up: no offers until it ends; ready ends it early; the record gets its wrap time', () => {
    w.agent('a1');
    w.engine.setWrapUpPause(1, { pauseTypeId: 5, reason: 'Pós-atendimento' });
    w.queue({ wrapUpSeconds: 30 }, [['a1', 1]]);
    w.engine.login('a1');
    const c = w.call();
    w.answer(c);
    w.advance(100);
    w.engine.ended(c.id);
    expect(w.stateOf('a1')).toBe('wrap_up');
    const next = w.call();
    expect(w.offeredTo(next)).toEqual([]);
    w.advance(30);
    expect(w.records.get(c.id)).toMatchObject({ wrapMs: 30_000, handled: true });
    expect(w.offeredTo(next)).toEqual(['a1']);
    w.answer(next);
    w.advance(50);
    w.engine.ended(next.id);
    w.advance(5);
    expect(w.engine.ready('a1')).toMatchObject({ ok: true });
    expect(w.records.get(next.id)).toMatchObject({ wrapMs: 5_000 });
  });

  it('pause rules: unknown or disabled, maximum agents in the pause, team', () => {
    for (const a of ['a1', 'a2', 'a3']) {
      w.agent(a, { teamId: a === 'a3' ? 2 : 1 });
      w.engine.login(a);
    }
    const lunch = pauseType({ id: 20, reason: 'Almoço', maxAgents: 1, teamIds: [1] });
    expect(w.engine.pause('a1', lunch)).toMatchObject({ ok: true });
    expect(w.engine.pause('a2', lunch)).toMatchObject({ ok: false, code: 'pause_full', message: '1 of 1 agents are already in the pause "Almoço"; try again later' });
    expect(w.engine.pause('a3', pauseType({ id: 21, teamIds: [1] }))).toMatchObject({ ok: false, code: 'pause_not_for_team' });
    expect(w.engine.pause('a3', pauseType({ id: 22, active: false }))).toMatchObject({ ok: false, code: 'pause_disabled' });
    expect(w.engine.pause('nobody', lunch)).toMatchObject({ ok: false, code: 'unknown_agent' });
    expect(w.engine.pause('a2', lunch, true)).toMatchObject({ ok: true });
  });

  it('a pause with a maximum and no overrun ends at the limit, and the agent is told', () => {
    w.agent('a1');
    w.engine.login('a1');
    w.engine.pause('a1', pauseType({ maxDurationMinutes: 10, overrunAllowed: false }));
    w.advance(599);
    expect(w.stateOf('a1')).toBe('paused');
    w.advance(1);
    expect(w.stateOf('a1')).toBe('available');
    expect(w.notices).toContainEqual({ agent: 'a1', code: 'pause_limit_returned', reason: 'Café' });
  });

  it('a timer that fires a millisecond early (as Node’s may) still ends the wrap-up and the pause at their time', () => {
    w = world(1);
    w.agent('a1');
    w.queue({ wrapUpSeconds: 10 }, [['a1', 1]]);
    w.engine.login('a1');
    const c = w.call();
    w.answer(c);
    w.advance(20);
    w.engine.ended(c.id);
    w.advance(9.999);
    expect(w.stateOf('a1')).toBe('wrap_up');
    w.advance(0.001);
    expect(w.stateOf('a1')).toBe('available');
    expect(w.records.get(c.id)).toMatchObject({ wrapMs: 10_000 });
    w.engine.pause('a1', pauseType({ maxDurationMinutes: 10, overrunAllowed: false }));
    w.advance(599.999);
    expect(w.stateOf('a1')).toBe('paused');
    w.advance(0.001);
    expect(w.stateOf('a1')).toBe('available');
  });

  it('every change of an agent’s state is reported with its time (activity)', () => {
    w.agent('a1');
    w.queue({}, [['a1', 1]]);
    w.engine.login('a1');
    const c = w.call();
    w.advance(2);
    w.answer(c);
    w.advance(10);
    w.engine.ended(c.id);
    w.engine.logout('a1');
    expect(w.states.filter((s) => s.agent === 'a1').map((s) => [s.from, s.to, (s.at - T0) / 1000])).toEqual([
      ['offline', 'offline', 0], // registered
      ['offline', 'available', 0],
      ['available', 'offered', 0],
      ['offered', 'busy', 2],
      ['busy', 'available', 12],
      ['available', 'offline', 12],
    ]);
  });
});
