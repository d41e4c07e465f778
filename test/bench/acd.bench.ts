/**
 * `npm run bench:acd`: the routing engine at the size of a large site — 2,000 agents, 200
 * queues (each agent in 10), 5,000 interactions waiting — in virtual time, with the real
 * events hub and 200 supervisors' sockets (in-process transports that count bytes).
 *
 * Figures (printed): p50/p99 of
 * - pick: one new interaction enqueued where agents are free (strategy + offer);
 * - re-evaluation: one agent becomes available with 5,000 waiting across its 10 queues;
 *   (both timed on the engine alone: the sink delivers nothing meanwhile)
 * - events/s from the engine's sink through the hub to 200 subscribed supervisors, every
 *   agent coming back from a pause at once;
 * - heap used by the loaded engine.
 *
 *   npm run bench:acd                       # defaults above
 *   npm run bench:acd -- --agents 500 --queues 50 --waiting 1000
 */
import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import { EventHub, type Transport } from '../../src/events/index.js';
import { FakeClock, seededRandom, silentLogger } from '../../src/kernel/index.js';
import type { AcdSink, InteractionHandle } from '../../src/routing/acd.model.js';
import { AcdEngine } from '../../src/routing/acd.service.js';
import { agentView, queueLiveView } from '../../src/routing/routing.service.js';
import type { PauseTypeRules } from '../../src/routing/agent.logic.js';
import { interaction, queueSettings } from '../helpers/acd-sim.js';

const arg = (name: string, dflt: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : dflt;
};
const AGENTS = arg('agents', 2000);
const QUEUES = arg('queues', 200);
const WAITING = arg('waiting', 5000);
const SUPERVISORS = arg('supervisors', 200);
const QUEUES_PER_AGENT = 10;
const SAMPLES = arg('samples', 500);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const ms = (x: number) => `${x.toFixed(3)} ms`;

const TEAMS = Array.from({ length: 20 }, (_, i) => i + 1);
const clock = new FakeClock();
const hub = new EventHub({ clock, logger: silentLogger });
let bytes = 0;
let messages = 0;
for (let i = 0; i < SUPERVISORS; i++) {
  // A browser answers every ping: the hub keeps the socket across virtual-time jumps.
  let pong = () => undefined as void;
  const transport: Transport = {
    send: (t) => {
      bytes += t.length;
      messages++;
    },
    close: () => undefined,
    terminate: () => undefined,
    ping: () => pong(),
    buffered: () => 0,
  };
  // Each supervises every team (the agents are in 20): the worst case, every change to every socket.
  const viewer = { userId: 10_000 + i, tenantId: 1, level: 'supervisor', superUser: false, topics: ['queues', 'agents'], extension: null, supervisedTeams: TEAMS } as const;
  const conn = hub.connect(transport, viewer, `s${i}`, ['queues', 'agents']);
  pong = conn.pong;
}

// The sink the routing service gives the engine, minus the database: every agent change and
// every queue change (gathered per queue, 250 ms) goes out to the sockets.
let published = 0;
/** Off while the engine alone is timed (loading, picks, re-evaluations); on for the events figure. */
let deliver = false;
const pendingQueues = new Set<number>();
const sink: AcdSink = {
  agentState: (a) => {
    if (!deliver) return;
    published++;
    hub.publish('agents', a.tenantId, { type: 'agent.changed', data: { agent: agentView(a) as unknown as Record<string, unknown> }, teams: a.teamId === null ? [] : [a.teamId] });
  },
  queueChanged: (tenantId, queueId) => {
    if (!deliver || pendingQueues.has(queueId)) return;
    pendingQueues.add(queueId);
    clock.setTimeout(() => {
      pendingQueues.delete(queueId);
      const snap = engine.queueSnapshot(queueId);
      if (!snap) return;
      published++;
      hub.publish('queues', tenantId, { type: 'queue.changed', data: { queue: queueLiveView(snap, clock.now()) as unknown as Record<string, unknown> } });
    }, 250);
  },
};
// The sink's closures run only after this line.
const engine = new AcdEngine({ clock, random: seededRandom(42), logger: silentLogger, sink });

const heapBefore = process.memoryUsage().heapUsed;
const t0 = performance.now();
for (let a = 1; a <= AGENTS; a++) {
  engine.setAgent({ key: `u:${a}`, tenantId: 1, userId: a, name: `Agente ${a}`, extension: String(10_000 + a), teamId: (a % 20) + 1, capacity: { voice: 1, chat: 0, email: 0 }, skills: [] });
  engine.setRegistered(`u:${a}`, true);
}
const strategies = ['longest_idle', 'fewest_calls', 'random', 'random_memory', 'round_robin_memory', 'linear', 'ring_all'] as const;
for (let q = 1; q <= QUEUES; q++) {
  const members: { agent: string; priority: number; order: number }[] = [];
  // Agent a works queues a, a+k, … (k = QUEUES / QUEUES_PER_AGENT): every queue gets AGENTS × 10 / QUEUES members.
  for (let a = 1; a <= AGENTS; a++) {
    if ((a - q + QUEUES) % (QUEUES / QUEUES_PER_AGENT) === 0) members.push({ agent: `u:${a}`, priority: 1 + (a % 3), order: members.length });
  }
  engine.setQueue(queueSettings({ id: q, name: `Fila ${q}`, strategy: strategies[q % strategies.length]!, priorityRules: [{ afterSeconds: 30, maxPriority: 3 }] }), members);
}
const pause: PauseTypeRules = { id: 1, reason: 'Café', active: true, wrapUp: false, maxAgents: null, maxDurationMinutes: null, overrunAllowed: true, transferWhilePaused: false, teamIds: [] };
for (let a = 1; a <= AGENTS; a++) engine.login(`u:${a}`);
for (let a = 1; a <= AGENTS; a++) engine.pause(`u:${a}`, pause);

const handle: InteractionHandle = { offer: () => undefined, withdraw: () => undefined, leave: () => undefined };
let n = 0;
for (let i = 0; i < WAITING; i++) {
  clock.advance(10);
  engine.enqueue(interaction({ id: `w${++n}`, queueId: 1 + (i % QUEUES), enteredAt: clock.now() }), handle);
}
const loadMs = performance.now() - t0;
clock.advance(1000);
const heapAfter = process.memoryUsage().heapUsed;

// Re-evaluation: one paused agent becomes available; the engine looks at every waiting
// interaction of its 10 queues and offers it the best one.
const reeval: number[] = [];
for (let i = 0; i < SAMPLES; i++) {
  const a = 1 + ((i * 7) % AGENTS);
  const start = performance.now();
  engine.unpause(`u:${a}`);
  reeval.push(performance.now() - start);
  engine.pause(`u:${a}`, pause);
}

// Pick: queues emptied of waiting interactions, agents available; one interaction enters.
const fresh = new AcdEngine({ clock, random: seededRandom(7), logger: silentLogger });
for (let a = 1; a <= AGENTS; a++) {
  fresh.setAgent({ key: `u:${a}`, tenantId: 1, userId: a, name: `Agente ${a}`, extension: String(10_000 + a), teamId: 1, capacity: { voice: 1, chat: 0, email: 0 }, skills: [] });
  fresh.setRegistered(`u:${a}`, true);
  fresh.login(`u:${a}`);
}
for (let q = 1; q <= QUEUES; q++) {
  const members: { agent: string; priority: number; order: number }[] = [];
  for (let a = 1; a <= AGENTS; a++) if ((a - q + QUEUES) % (QUEUES / QUEUES_PER_AGENT) === 0) members.push({ agent: `u:${a}`, priority: 1, order: members.length });
  fresh.setQueue(queueSettings({ id: q, strategy: strategies[q % strategies.length]! === 'ring_all' ? 'longest_idle' : strategies[q % strategies.length]! }), members);
}
const picks: number[] = [];
const freshOffers: string[] = [];
const freshHandle: InteractionHandle = { offer: (o) => freshOffers.push(o.id), withdraw: () => undefined, leave: () => undefined };
for (let i = 0; i < SAMPLES; i++) {
  const id = `p${i}`;
  const start = performance.now();
  fresh.enqueue(interaction({ id, queueId: 1 + (i % QUEUES), enteredAt: clock.now() }), freshHandle);
  picks.push(performance.now() - start);
  fresh.abandoned(id);
}

// Events: every agent comes back from its pause at once (each takes a waiting interaction):
// the changes go through the sink and the hub to every supervisor.
deliver = true;
published = 0;
messages = 0;
bytes = 0;
const e0 = performance.now();
for (let a = 1; a <= AGENTS; a++) engine.unpause(`u:${a}`);
clock.advance(1000);
const eventsMs = performance.now() - e0;

const out = {
  machine: `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`,
  size: { agents: AGENTS, queues: QUEUES, queuesPerAgent: QUEUES_PER_AGENT, waiting: WAITING, supervisors: SUPERVISORS },
  loadMs: Math.round(loadMs),
  pick: { p50: ms(pct(picks, 50)), p99: ms(pct(picks, 99)) },
  reevaluation: { p50: ms(pct(reeval, 50)), p99: ms(pct(reeval, 99)) },
  events: {
    published,
    deliveredMessages: messages,
    seconds: +(eventsMs / 1000).toFixed(3),
    publishedPerSecond: Math.round(published / (eventsMs / 1000)),
    deliveredPerSecond: Math.round(messages / (eventsMs / 1000)),
    megabytes: +(bytes / 1e6).toFixed(1),
  },
  heapMB: +((heapAfter - heapBefore) / 1e6).toFixed(1),
};
hub.stop();
process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
