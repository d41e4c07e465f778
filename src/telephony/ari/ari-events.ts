/**
 * Raw ARI events → the port's `TelephonyEvent`s. Keeps the little per-channel memory the
 * translation needs (who originated it, who asked for the hangup and with which cause,
 * whether it ever entered the app) and guarantees one terminal event per channel: `CallEnded`,
 * or `OriginateFailed` for an originated channel that never entered the app.
 */
import type { ChannelId, PlaybackId, TelephonyEvent } from '../call-control.js';
import { causeOfDialStatus, causeText, classifyCause } from '../causes.js';
import { parseTarget, toSnapshot, type RawEvent } from './ari-model.js';

interface ChannelTrack {
  originated: boolean;
  entered: boolean;
  answered: boolean;
  /** The cause Atende asked for when it hung the channel up. */
  ourCause: number | undefined;
  /** The cause Asterisk reported in ChannelHangupRequest (the remote side or the network). */
  remoteCause: number | undefined;
  hangupSeen: boolean;
  /** Sent back to the dialplan by Atende: its StasisEnd does not end the leg. */
  continued: boolean;
  /** The last non-empty `dialstatus` of a Dial event about this channel (originates). */
  dialStatus?: string;
}

const NORMAL_CLEARING = 16;
const NO_ANSWER = 19;
/** How many ended channel ids to remember, so that late events do not end a leg twice. */
const ENDED_MEMORY = 10_000;

export class AriEventTranslator {
  private readonly channels = new Map<ChannelId, ChannelTrack>();
  private readonly ended = new Set<ChannelId>();
  private readonly stopRequested = new Set<PlaybackId>();

  /** A channel this adapter is creating (originate or snoop); call before the request. */
  markOriginated(channelId: ChannelId): void {
    this.track(channelId).originated = true;
  }

  /** Atende asked Asterisk to hang the channel up with this cause. */
  markHangupRequested(channelId: ChannelId, cause: number): void {
    if (this.ended.has(channelId)) return;
    this.track(channelId).ourCause = cause;
  }

  /** Atende sent the channel back to the dialplan. */
  markContinued(channelId: ChannelId): void {
    if (this.ended.has(channelId)) return;
    this.track(channelId).continued = true;
  }

  markPlaybackStopRequested(playbackId: PlaybackId): void {
    this.stopRequested.add(playbackId);
  }

  /** A request that would have created the channel failed: forget it. */
  forget(channelId: ChannelId): void {
    this.channels.delete(channelId);
  }

  isEnded(channelId: ChannelId): boolean {
    return this.ended.has(channelId);
  }

  /** The channels tracked now: take this BEFORE listing Asterisk's channels for `retainOnly`. */
  trackedIds(): ReadonlySet<ChannelId> {
    return new Set(this.channels.keys());
  }

  /**
   * After a reconnect: drop the memory of channels Asterisk no longer has (their events were
   * lost). Only channels tracked before the list was requested are judged: one originated while
   * the list was in flight is missing from it but very much alive.
   */
  retainOnly(liveChannelIds: ReadonlySet<ChannelId>, trackedBeforeListing: ReadonlySet<ChannelId>): void {
    for (const id of trackedBeforeListing) if (!liveChannelIds.has(id)) this.channels.delete(id);
  }

  trackedCount(): number {
    return this.channels.size;
  }

  translate(raw: RawEvent, now: number): TelephonyEvent[] {
    const channel = raw.channel;
    switch (raw.type) {
      case 'StasisStart': {
        if (!channel) return [];
        const t = this.track(channel.id);
        t.entered = true;
        t.continued = false;
        const out: TelephonyEvent[] = [
          { type: 'CallEntered', at: now, channel: toSnapshot(channel, now), args: raw.args ?? [], originated: t.originated },
        ];
        if (channel.state === 'Up' && !t.answered) {
          t.answered = true;
          out.push({ type: 'CallAnswered', at: now, channelId: channel.id });
        }
        return out;
      }
      case 'ChannelStateChange': {
        if (!channel || this.ended.has(channel.id)) return [];
        const snapshot = toSnapshot(channel, now);
        const out: TelephonyEvent[] = [{ type: 'CallStateChanged', at: now, channelId: channel.id, state: snapshot.state }];
        const t = this.track(channel.id);
        if (snapshot.state === 'Up' && !t.answered) {
          t.answered = true;
          out.push({ type: 'CallAnswered', at: now, channelId: channel.id });
        }
        return out;
      }
      case 'ChannelDtmfReceived':
        if (!channel || raw.digit === undefined) return [];
        return [{ type: 'DtmfReceived', at: now, channelId: channel.id, digit: raw.digit, durationMs: raw.duration_ms ?? 0 }];
      case 'ChannelHold':
      case 'ChannelUnhold':
        if (!channel || this.ended.has(channel.id)) return [];
        return [{ type: 'CallHeld', at: now, channelId: channel.id, held: raw.type === 'ChannelHold' }];
      case 'ChannelHangupRequest': {
        if (!channel || this.ended.has(channel.id)) return [];
        const t = this.track(channel.id);
        t.hangupSeen = true;
        if (raw.cause !== undefined && raw.cause > 0) t.remoteCause = raw.cause;
        return [];
      }
      case 'StasisEnd': {
        if (!channel) return [];
        const t = this.channels.get(channel.id);
        if (t?.continued && !t.hangupSeen && t.ourCause === undefined) return [];
        return this.end(channel.id, undefined, now);
      }
      case 'ChannelDestroyed': {
        if (!channel || this.ended.has(channel.id)) return [];
        const t = this.channels.get(channel.id);
        if (t?.originated && !t.entered) {
          // Asterisk's dial core hangs a ringing channel up at the originate timeout without
          // setting a cause or publishing a dial status (it notes "no answer" only internally):
          // cause 0 with nothing else known, and not our own hangup, is that timeout.
          const cause =
            raw.cause || causeOfDialStatus(t.dialStatus) || (t.ourCause === undefined ? NO_ANSWER : t.ourCause);
          this.finish(channel.id);
          return [{ type: 'OriginateFailed', at: now, channelId: channel.id, cause, reason: classifyCause(cause) }];
        }
        return this.end(channel.id, raw.cause, now);
      }
      case 'Dial': {
        const t = raw.peer ? this.channels.get(raw.peer.id) : undefined;
        if (t && raw.dialstatus) t.dialStatus = raw.dialstatus;
        return [];
      }
      case 'PlaybackStarted': {
        const target = parseTarget(raw.playback?.target_uri);
        if (!raw.playback || !target) return [];
        return [{ type: 'PlaybackStarted', at: now, playbackId: raw.playback.id, target }];
      }
      case 'PlaybackFinished': {
        const playback = raw.playback;
        const target = parseTarget(playback?.target_uri);
        if (!playback || !target) return [];
        const stopped =
          this.stopRequested.delete(playback.id) ||
          ('channelId' in target &&
            (this.ended.has(target.channelId) || this.channels.get(target.channelId)?.hangupSeen === true));
        // Asterisk reports a stopped playback as "done" and one cut by a hangup as "failed":
        // only our own memory tells "stopped" apart.
        const reason = stopped ? 'stopped' : playback.state === 'failed' ? 'failed' : 'done';
        return [{ type: 'PlaybackFinished', at: now, playbackId: playback.id, target, reason }];
      }
      case 'RecordingStarted': {
        const target = parseTarget(raw.recording?.target_uri);
        if (!raw.recording || !target) return [];
        return [{ type: 'RecordingStarted', at: now, name: raw.recording.name, target }];
      }
      case 'RecordingFinished':
      case 'RecordingFailed': {
        const rec = raw.recording;
        const target = parseTarget(rec?.target_uri);
        if (!rec || !target) return [];
        const failed = raw.type === 'RecordingFailed' || rec.state === 'failed';
        return [
          {
            type: 'RecordingFinished',
            at: now,
            name: rec.name,
            target,
            durationSeconds: rec.duration ?? 0,
            failed,
            ...(failed && rec.cause ? { cause: rec.cause } : {}),
          },
        ];
      }
      case 'ChannelEnteredBridge':
        if (!channel || !raw.bridge) return [];
        return [{ type: 'BridgeEntered', at: now, bridgeId: raw.bridge.id, channelId: channel.id }];
      case 'ChannelLeftBridge':
        if (!channel || !raw.bridge) return [];
        return [{ type: 'BridgeLeft', at: now, bridgeId: raw.bridge.id, channelId: channel.id }];
      case 'ChannelVarset':
        // Global variables come without a channel: not a call's business.
        if (!channel || raw.variable === undefined) return [];
        return [{ type: 'VariableSet', at: now, channelId: channel.id, name: raw.variable, value: raw.value ?? '' }];
      default:
        return [];
    }
  }

  private end(channelId: ChannelId, destroyedCause: number | undefined, now: number): TelephonyEvent[] {
    if (this.ended.has(channelId)) return [];
    const t = this.channels.get(channelId);
    const byAtende = t?.ourCause !== undefined;
    const cause =
      t?.ourCause ?? t?.remoteCause ?? (destroyedCause !== undefined && destroyedCause > 0 ? destroyedCause : NORMAL_CLEARING);
    this.finish(channelId);
    return [
      {
        type: 'CallEnded',
        at: now,
        channelId,
        hangup: { cause, causeText: causeText(cause), by: byAtende ? 'atende' : 'remote' },
      },
    ];
  }

  private finish(channelId: ChannelId): void {
    this.channels.delete(channelId);
    this.ended.add(channelId);
    if (this.ended.size > ENDED_MEMORY) {
      const oldest = this.ended.values().next().value;
      if (oldest !== undefined) this.ended.delete(oldest);
    }
  }

  private track(channelId: ChannelId): ChannelTrack {
    let t = this.channels.get(channelId);
    if (!t) {
      t = {
        originated: false,
        entered: false,
        answered: false,
        ourCause: undefined,
        remoteCause: undefined,
        hangupSeen: false,
        continued: false,
      };
      this.channels.set(channelId, t);
    }
    return t;
  }
}
