/** Every event a `CallControl` emits, with a way to wait for the first one that matches. */
import type { CallControl, TelephonyEvent } from '../../src/telephony/call-control.js';

interface Waiter {
  match: (e: TelephonyEvent) => boolean;
  resolve: (e: TelephonyEvent) => void;
}

export class EventLog {
  readonly events: TelephonyEvent[] = [];
  private waiters = new Set<Waiter>();
  private readonly unsubscribe: () => void;

  constructor(callControl: CallControl) {
    this.unsubscribe = callControl.onEvent((event) => {
      this.events.push(event);
      for (const w of [...this.waiters]) {
        if (w.match(event)) {
          this.waiters.delete(w);
          w.resolve(event);
        }
      }
    });
  }

  /** Index to pass as `since` so that only later events count. */
  mark(): number {
    return this.events.length;
  }

  /** Resolves with the first event (already seen from `since`, or still to come) that matches. */
  waitFor<T extends TelephonyEvent>(
    what: string,
    match: (e: TelephonyEvent) => e is T,
    timeoutMs: number,
    since = 0,
  ): Promise<T> {
    const seen = this.events.slice(since).find(match);
    if (seen) return Promise.resolve(seen);
    return new Promise<T>((resolve, reject) => {
      const waiter: Waiter = {
        match,
        resolve: (e) => {
          clearTimeout(timer);
          resolve(e as T);
        },
      };
      const timer = setTimeout(() => {
        this.waiters.delete(waiter);
        const tail = this.events
          .slice(-15)
          .map((e) => JSON.stringify(e))
          .join('\n  ');
        reject(new Error(`no ${what} within ${timeoutMs} ms; last events:\n  ${tail}`));
      }, timeoutMs);
      this.waiters.add(waiter);
    });
  }

  close(): void {
    this.unsubscribe();
    this.waiters.clear();
  }
}

/** Type guards for `waitFor`, narrowed to one channel, bridge or playback. */
export const on = {
  entered: (channelId: string, firstArg?: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'CallEntered' }> =>
    e.type === 'CallEntered' && e.channel.id === channelId && (firstArg === undefined || e.args[0] === firstArg),
  ended: (channelId: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'CallEnded' }> =>
    e.type === 'CallEnded' && e.channelId === channelId,
  originateFailed: (channelId: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'OriginateFailed' }> =>
    e.type === 'OriginateFailed' && e.channelId === channelId,
  playbackFinished: (playbackId: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'PlaybackFinished' }> =>
    e.type === 'PlaybackFinished' && e.playbackId === playbackId,
  recordingStarted: (name: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'RecordingStarted' }> =>
    e.type === 'RecordingStarted' && e.name === name,
  recordingFinished: (name: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'RecordingFinished' }> =>
    e.type === 'RecordingFinished' && e.name === name,
  bridgeEntered: (bridgeId: string, channelId: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'BridgeEntered' }> =>
    e.type === 'BridgeEntered' && e.bridgeId === bridgeId && e.channelId === channelId,
  bridgeLeft: (bridgeId: string, channelId: string) => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'BridgeLeft' }> =>
    e.type === 'BridgeLeft' && e.bridgeId === bridgeId && e.channelId === channelId,
  ari: (state: 'up' | 'down' | 'connecting') => (e: TelephonyEvent): e is Extract<TelephonyEvent, { type: 'ConnectionChanged' }> =>
    e.type === 'ConnectionChanged' && e.link === 'ari' && e.state === state,
};
