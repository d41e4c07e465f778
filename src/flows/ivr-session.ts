/**
 * Runs the pure IVR machine on one leg: prompts become playbacks on the channel, DTMF and
 * playback ends become machine events, the machine's deadline becomes one clock timer. A
 * prompt that cannot be played is replaced by the fallback tone and logged: the caller never
 * waits in silence for a prompt that will not come.
 */
import { newId, type Timer } from '../kernel/index.js';
import { TelephonyError, type Media, type PlaybackId, type TelephonyEvent } from '../telephony/call-control.js';
import type { CallContext } from '../calls/index.js';
import type { Destination } from './destination.js';
import { startIvr, stepIvr } from './ivr.logic.js';
import type { IvrDefinition, IvrEnvironment, IvrEvent, IvrState, IvrStep, IvrTraceEvent, PromptRef } from './ivr.model.js';

/** Turns prompt references into media; `missing` lists those whose files are not there. */
export type PromptResolver = (refs: PromptRef[], language: string) => { media: Media[]; missing: PromptRef[] };

export interface IvrSink {
  trace(t: IvrTraceEvent, at: number): void;
  setData(name: string, value: string, at: number): void;
}

export interface IvrSessionResult {
  /** Where the call goes next; undefined when the caller hung up inside. */
  exit: Destination | undefined;
}

export function runIvrSession(
  call: CallContext,
  def: IvrDefinition,
  env: IvrEnvironment,
  resolve: PromptResolver,
  fallback: Media,
  sink: IvrSink,
): Promise<IvrSessionResult> {
  return new Promise((done) => {
    const { clock, control, log } = call;
    const channel = { channelId: call.channel.id };
    let state: IvrState;
    let timer: Timer | undefined;
    let finished = false;
    /** Playback id at Asterisk → the machine's play id, and whether it is the fallback for it. */
    const playbacks = new Map<PlaybackId, { playId: number; fallback: boolean }>();

    const finish = (exit: Destination | undefined) => {
      if (finished) return;
      finished = true;
      timer?.cancel();
      unsubscribe();
      for (const id of playbacks.keys()) void control.stopPlayback(id).catch(() => undefined);
      done({ exit });
    };

    const startPlayback = (playId: number, media: Media[], isFallback: boolean) => {
      const id = newId();
      playbacks.set(id, { playId, fallback: isFallback });
      control.play(channel, media, { id }).catch((err: unknown) => {
        if (!playbacks.has(id)) return;
        if (err instanceof TelephonyError && err.code === 'not_found') return; // the leg is gone; CallEnded follows
        log.warn({ err, media }, 'playback refused');
        ended(id, 'failed');
      });
    };

    /** A playback of ours ended: a failed prompt gets the fallback tone, then the machine hears of it. */
    const ended = (id: PlaybackId, reason: 'done' | 'stopped' | 'failed') => {
      const p = playbacks.get(id);
      if (!p) return;
      playbacks.delete(id);
      if (reason === 'failed' && !p.fallback) {
        log.warn({ playbackId: id }, 'prompt could not be played; playing the fallback tone');
        return startPlayback(p.playId, [fallback], true);
      }
      feed({ type: 'played', playId: p.playId });
    };

    const apply = (s: IvrStep) => {
      state = s.state;
      for (const c of s.commands) {
        switch (c.type) {
          case 'play': {
            const { media, missing } = resolve(c.prompts, def.language);
            if (missing.length > 0) log.warn({ missing }, 'prompt files missing; the fallback tone plays instead');
            startPlayback(c.playId, media, false);
            break;
          }
          case 'stopPlay':
            for (const [id, p] of playbacks) {
              if (p.playId !== c.playId) continue;
              playbacks.delete(id);
              void control.stopPlayback(id).catch((err: unknown) => log.debug({ err }, 'stop playback failed'));
            }
            break;
          case 'trace':
            sink.trace(c.trace, clock.now());
            break;
          case 'setData':
            sink.setData(c.name, c.value, clock.now());
            break;
          case 'exit':
            return finish(c.destination);
        }
      }
      timer?.cancel();
      timer = s.wakeAt === undefined ? undefined : clock.setTimeout(() => feed({ type: 'tick' }), Math.max(0, s.wakeAt - clock.now()));
      if (state.phase === 'done') finish(undefined);
    };

    function feed(event: IvrEvent): void {
      if (finished) return;
      const before = state.phase;
      apply(stepIvr(def, state, event, clock.now(), env));
      if (state.phase !== before) log.debug(`ivr ${before} —${event.type}→ ${state.phase} (${state.node})`);
    }

    const onEvent = (e: TelephonyEvent) => {
      if (e.type === 'DtmfReceived') feed({ type: 'digit', digit: e.digit });
      else if (e.type === 'PlaybackFinished') ended(e.playbackId, e.reason);
      else if (e.type === 'CallEnded') feed({ type: 'hangup' });
    };
    const unsubscribe = call.onEvent(onEvent);
    if (call.ended) {
      unsubscribe();
      return done({ exit: undefined });
    }
    apply(startIvr(def, clock.now(), env));
  });
}
