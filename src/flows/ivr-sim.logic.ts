/**
 * The IVR machine run in virtual time against a scripted caller, the way the runner runs it
 * against a channel: prompts take `promptMs` each, a stopped prompt reports its end at once
 * (as Asterisk's PlaybackFinished does), deadlines fire as ticks. No clock, no sleep. Tests
 * drive every path with it; the IVR editor uses it to show where a caller's keys lead.
 */
import type { Destination } from './destination.js';
import { startIvr, stepIvr } from './ivr.logic.js';
import type { IvrCommand, IvrDefinition, IvrEnvironment, IvrEvent, IvrTraceEvent, PromptRef } from './ivr.model.js';

export type CallerAction = { at: number; press: string } | { at: number; hangup: true };

export interface SimResult {
  traces: IvrTraceEvent[];
  /** Where the call left the IVR; undefined if it did not (hung up, or still inside at the end of the script). */
  exit: Destination | undefined;
  /** Every prompt list played, in order, with the virtual time it started. */
  played: { at: number; prompts: PromptRef[] }[];
  stopped: number;
  data: Record<string, string>;
  /** Virtual time when the call left or hung up. */
  endedAt: number;
}

export function simulateIvr(
  def: IvrDefinition,
  script: CallerAction[],
  opts: { promptMs?: number; env?: IvrEnvironment; horizonMs?: number } = {},
): SimResult {
  const promptMs = opts.promptMs ?? 3000;
  const horizon = opts.horizonMs ?? 10 * 60_000;
  const result: SimResult = { traces: [], exit: undefined, played: [], stopped: 0, data: {}, endedAt: 0 };
  let playing: { id: number; endsAt: number } | undefined;
  const immediate: IvrEvent[] = [];
  const pending = [...script].sort((a, b) => a.at - b.at);
  let done = false;
  let now = 0;

  const apply = (commands: IvrCommand[]) => {
    for (const c of commands) {
      switch (c.type) {
        case 'play':
          playing = { id: c.playId, endsAt: now + promptMs * c.prompts.length };
          result.played.push({ at: now, prompts: c.prompts });
          break;
        case 'stopPlay':
          if (playing?.id === c.playId) {
            playing = undefined;
            result.stopped++;
            immediate.push({ type: 'played', playId: c.playId });
          }
          break;
        case 'trace':
          result.traces.push(c.trace);
          break;
        case 'setData':
          result.data[c.name] = c.value;
          break;
        case 'exit':
          result.exit = c.destination;
          done = true;
          playing = undefined;
          break;
      }
    }
  };

  let step = startIvr(def, now, opts.env);
  apply(step.commands);
  let state = step.state;
  let wakeAt = step.wakeAt;
  const deliver = (event: IvrEvent) => {
    step = stepIvr(def, state, event, now, opts.env);
    state = step.state;
    wakeAt = step.wakeAt;
    apply(step.commands);
    if (event.type === 'hangup' || state.phase === 'done') done = true;
  };

  while (!done) {
    const queued = immediate.shift();
    if (queued) {
      deliver(queued);
      continue;
    }
    // Ties: a prompt ending, then the caller, then a deadline.
    const next = [
      playing ? { at: playing.endsAt, rank: 0 } : undefined,
      pending[0] ? { at: pending[0].at, rank: 1 } : undefined,
      wakeAt !== undefined ? { at: wakeAt, rank: 2 } : undefined,
    ]
      .filter((x): x is { at: number; rank: number } => x !== undefined)
      .sort((a, b) => a.at - b.at || a.rank - b.rank)[0];
    if (!next || next.at > horizon) break;
    now = Math.max(now, next.at);
    if (next.rank === 0) {
      const id = playing!.id;
      playing = undefined;
      deliver({ type: 'played', playId: id });
    } else if (next.rank === 1) {
      const action = pending.shift()!;
      if ('hangup' in action) deliver({ type: 'hangup' });
      else for (const d of action.press) deliver({ type: 'digit', digit: d });
    } else deliver({ type: 'tick' });
  }
  result.endedAt = now;
  return result;
}
