/**
 * What the supervisor's charts of a queue show, worked out apart from the charts: its agents by
 * state now (a slice per pause reason), and the names of the wait buckets.
 */

/** What the charts read of an agent (the `agents` list and the `agents` topic's pushes). */
export interface AgentNow {
  state: string;
  pause: { reason: string } | null;
  queueIds: number[];
}

export type StateSlice = { state: 'available' | 'offered' | 'busy' | 'wrap_up'; count: number } | { state: 'paused'; reason: string; count: number };

const WORKING = ['available', 'offered', 'busy', 'wrap_up'] as const;

/** The agents logged in to a queue by state (every working state, zeros too), then a slice per pause reason seen. */
export function agentSlices(agents: readonly AgentNow[], queueId: number): StateSlice[] {
  const of = agents.filter((a) => a.state !== 'offline' && a.queueIds.includes(queueId));
  const pauses = new Map<string, number>();
  for (const a of of) if (a.state === 'paused') pauses.set(a.pause?.reason ?? '', (pauses.get(a.pause?.reason ?? '') ?? 0) + 1);
  return [
    ...WORKING.map((state) => ({ state, count: of.filter((a) => a.state === state).length })),
    ...[...pauses.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([reason, count]) => ({ state: 'paused' as const, reason, count })),
  ];
}

const amount = (s: number) => (s % 60 === 0 && s >= 60 ? { n: s / 60, unit: 'min' } : { n: s, unit: 's' });

/** "0–10 s", "30 s–1 min", "1–2 min"; the last bucket, with no upper bound, through `over` ("> 5 min"). */
export function waitBucketLabel(b: { overSeconds: number; upToSeconds: number | null }, over: (amount: string) => string): string {
  const from = amount(b.overSeconds);
  if (b.upToSeconds === null) return over(`${from.n} ${from.unit}`);
  const to = amount(b.upToSeconds);
  return from.unit === to.unit || b.overSeconds === 0 ? `${from.n}–${to.n} ${to.unit}` : `${from.n} ${from.unit}–${to.n} ${to.unit}`;
}
