/**
 * An agent's own figures for one day, from what was stored: its queue calls answered, the calls
 * it placed, and its activity rows (each state stretch, clipped to the day; the open one runs to
 * now). Pure: rows and instants in, figures out.
 */

export interface AnsweredVisitFacts {
  answeredAt: number;
  endedAt: number | null;
  talkMs: number;
  holdMs: number;
}

export interface PlacedCallFacts {
  answeredAt: number | null;
  endedAt: number | null;
}

export interface StateStretch {
  state: 'available' | 'offered' | 'busy' | 'wrap_up' | 'paused';
  pauseReason: string | null;
  startedAt: number;
  endedAt: number | null;
}

export interface AgentDay {
  answered: number;
  made: number;
  /** Talk on queue calls (hold apart) and on calls placed, in seconds. */
  talkSeconds: number;
  holdSeconds: number;
  /** Time logged in to the queues (any state but offline). */
  loggedSeconds: number;
  byState: Record<StateStretch['state'], number>;
  pauses: { reason: string; seconds: number; count: number }[];
}

const seconds = (ms: number) => Math.round(ms / 1000);

/** Figures of the day [from, now): stretches outside are clipped, calls in it counted. */
export function agentDay(input: { visits: readonly AnsweredVisitFacts[]; placed: readonly PlacedCallFacts[]; states: readonly StateStretch[]; from: number; now: number }): AgentDay {
  const { from, now } = input;
  let talkMs = 0;
  let holdMs = 0;
  for (const v of input.visits) {
    // A call still in conversation counts up to now (its stored talk is written when it ends).
    if (v.endedAt === null) talkMs += Math.max(0, now - v.answeredAt);
    else {
      talkMs += v.talkMs;
      holdMs += v.holdMs;
    }
  }
  for (const c of input.placed) if (c.answeredAt !== null) talkMs += Math.max(0, (c.endedAt ?? now) - c.answeredAt);
  const byState: AgentDay['byState'] = { available: 0, offered: 0, busy: 0, wrap_up: 0, paused: 0 };
  const pauses = new Map<string, { ms: number; count: number }>();
  let logged = 0;
  for (const s of input.states) {
    const ms = Math.max(0, Math.min(s.endedAt ?? now, now) - Math.max(s.startedAt, from));
    logged += ms;
    byState[s.state] += ms;
    if (s.state === 'paused') {
      const reason = s.pauseReason ?? '';
      const p = pauses.get(reason) ?? { ms: 0, count: 0 };
      pauses.set(reason, { ms: p.ms + ms, count: p.count + 1 });
    }
  }
  return {
    answered: input.visits.length,
    made: input.placed.length,
    talkSeconds: seconds(talkMs),
    holdSeconds: seconds(holdMs),
    loggedSeconds: seconds(logged),
    byState: { available: seconds(byState.available), offered: seconds(byState.offered), busy: seconds(byState.busy), wrap_up: seconds(byState.wrap_up), paused: seconds(byState.paused) },
    pauses: [...pauses.entries()].map(([reason, p]) => ({ reason, seconds: seconds(p.ms), count: p.count })).sort((a, b) => b.seconds - a.seconds),
  };
}
