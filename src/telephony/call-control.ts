/**
 * The port through which the engine drives calls. Adapters (ARI over a real Asterisk or the
 * emulator; an in-memory fake in engine tests) implement it. No ARI/AMI object crosses it:
 * only the plain types below.
 *
 * Ids are Asterisk's own channel / bridge / playback ids, passed through as strings; the
 * engine may choose them up front (originate, bridge, playback, snoop accept an `id`) so that
 * it can correlate events that arrive before the promise resolves.
 */

export type ChannelId = string;
export type BridgeId = string;
export type PlaybackId = string;

/** What to play. The adapter turns each item into an Asterisk media URI. */
export type Media =
  /** A file of Atende's own prompts, by absolute path without extension (Asterisk picks the format). */
  | { kind: 'file'; path: string }
  /** An indication tone, played until stopped: ring, busy, congestion, dial, … (tone zone `br`). */
  | { kind: 'tone'; tone: string }
  /** Digits read one by one (Asterisk's own digit sounds). */
  | { kind: 'digits'; digits: string }
  /** A stored recording by name. */
  | { kind: 'recording'; name: string };

export type PlaybackTarget = { channelId: ChannelId } | { bridgeId: BridgeId };
export type RecordTarget = PlaybackTarget;

export interface PlayOptions {
  /** Choose the playback id (for stopping before the promise resolves). */
  id?: PlaybackId;
  /** Language for `digits` (default the channel's). */
  lang?: string;
}

export interface RecordOptions {
  /** Recording name (unique); the file is `<name>.<format>` in Asterisk's recording directory. */
  name: string;
  format?: 'wav' | 'gsm' | 'ulaw' | 'alaw';
  /** 0 = no limit. */
  maxDurationSeconds?: number;
  /** 0 = no limit. */
  maxSilenceSeconds?: number;
  beep?: boolean;
  /** DTMF that ends the recording. */
  terminateOn?: 'none' | 'any' | '*' | '#';
  ifExists?: 'fail' | 'overwrite' | 'append';
}

export interface CollectDigitsOptions {
  maxDigits: number;
  /** Time allowed between two digits once the first has arrived. */
  interDigitTimeoutMs: number;
  /** Time allowed for the whole entry, counted from the call to `collectDigits`. */
  totalTimeoutMs: number;
  /** A digit that ends the entry early; it is not part of the result. */
  terminator?: string;
}

export type CollectDigitsResult =
  | { outcome: 'complete'; digits: string } // maxDigits reached
  | { outcome: 'terminated'; digits: string } // terminator pressed
  | { outcome: 'timeout'; digits: string } // inter-digit or total timeout (digits may be '')
  | { outcome: 'hangup'; digits: string }; // the channel went away

export interface OriginateRequest {
  /** Asterisk dial string: `PJSIP/1001`, `PJSIP/011999999999@trunk-x`, `DAHDI/g1/011…`, `Local/x@ctx`. */
  endpoint: string;
  /** Arguments the channel carries into the Stasis app (see calls/ for the convention). */
  appArgs: string[];
  callerId?: { number: string; name?: string };
  /** Seconds to wait for an answer. */
  timeoutSeconds?: number;
  variables?: Record<string, string>;
  /** Choose the channel id up front. */
  id?: ChannelId;
  /** Originate "on behalf of" another channel (for linked ids and codec choice). */
  originatorId?: ChannelId;
}

export type SnoopDirection = 'none' | 'both' | 'out' | 'in';

export interface SnoopRequest {
  /** What the snoop channel hears of the snooped one. */
  spy: SnoopDirection;
  /** What the snoop channel says into the snooped one. */
  whisper: SnoopDirection;
  appArgs: string[];
  id?: ChannelId;
}

export interface ChannelSnapshot {
  id: ChannelId;
  name: string;
  state: 'Down' | 'Rsrvd' | 'OffHook' | 'Dialing' | 'Ring' | 'Ringing' | 'Up' | 'Busy' | 'Dialing Offhook' | 'Pre-ring' | 'Unknown';
  caller: { number: string; name: string };
  connected: { number: string; name: string };
  /** Dialplan location; for a channel in a Stasis app, app is 'Stasis' and appData 'app,arg1,arg2'. */
  dialplan: { context: string; exten: string; priority: number; appName: string; appData: string };
  createdAt: number;
}

/** Why a leg ended, as Q.850 plus who hung up as far as Atende can tell. */
export interface HangupInfo {
  cause: number;
  causeText: string;
  /** 'atende' when Atende hung it up; 'remote' when the other side or the network did. */
  by: 'atende' | 'remote';
}

export type ConnectionState = 'connecting' | 'up' | 'down';

export type MuteDirection = 'in' | 'out' | 'both';

export type TelephonyEvent =
  /** A channel entered the Stasis app: an inbound call, an answered originate, a snoop channel. */
  | {
      type: 'CallEntered';
      at: number;
      channel: ChannelSnapshot;
      args: string[];
      /** True for channels this adapter originated (or snooped) in this process. */
      originated: boolean;
    }
  | { type: 'CallStateChanged'; at: number; channelId: ChannelId; state: ChannelSnapshot['state'] }
  | { type: 'CallAnswered'; at: number; channelId: ChannelId }
  | { type: 'DtmfReceived'; at: number; channelId: ChannelId; digit: string; durationMs: number }
  /** The channel was put on hold or taken off it: by its phone (a re-INVITE) or through `hold`. */
  | { type: 'CallHeld'; at: number; channelId: ChannelId; held: boolean }
  | { type: 'PlaybackStarted'; at: number; playbackId: PlaybackId; target: PlaybackTarget }
  | {
      type: 'PlaybackFinished';
      at: number;
      playbackId: PlaybackId;
      target: PlaybackTarget;
      /** 'done' played to the end; 'stopped' by request or hangup; 'failed' (e.g. file missing). */
      reason: 'done' | 'stopped' | 'failed';
    }
  | { type: 'RecordingStarted'; at: number; name: string; target: RecordTarget }
  | {
      type: 'RecordingFinished';
      at: number;
      name: string;
      target: RecordTarget;
      durationSeconds: number;
      failed: boolean;
      cause?: string;
    }
  | { type: 'BridgeEntered'; at: number; bridgeId: BridgeId; channelId: ChannelId }
  | { type: 'BridgeLeft'; at: number; bridgeId: BridgeId; channelId: ChannelId }
  | { type: 'VariableSet'; at: number; channelId: ChannelId; name: string; value: string }
  /**
   * A leg is over: for a caller that entered from the dialplan this comes from StasisEnd (real
   * Asterisk sends no ChannelDestroyed for it); for originated legs from ChannelDestroyed.
   * Emitted once per channel; never for a channel that gets `OriginateFailed`.
   */
  | { type: 'CallEnded'; at: number; channelId: ChannelId; hangup: HangupInfo }
  /**
   * An originated channel that never answered (busy, no answer, congestion, unallocated…): it is
   * the only terminal event of that channel (no `CallEnded`).
   */
  | { type: 'OriginateFailed'; at: number; channelId: ChannelId; cause: number; reason: OriginateFailure }
  /**
   * `connecting` once after start; then `down` (with the reason) and `up`. `up` comes after the
   * events stream is open, so events are not missed by a reconciliation started on it.
   */
  | { type: 'ConnectionChanged'; at: number; link: 'ari' | 'ami'; state: ConnectionState; reason?: string };

export type OriginateFailure = 'busy' | 'no_answer' | 'congestion' | 'unallocated' | 'rejected' | 'failed';

export type TelephonyEventType = TelephonyEvent['type'];
export type EventOf<T extends TelephonyEventType> = Extract<TelephonyEvent, { type: T }>;

/** Stable error codes for failed operations, with the HTTP status Asterisk answered if any. */
export type TelephonyErrorCode =
  | 'not_found' // the channel / bridge / playback / recording is gone (404)
  | 'conflict' // wrong state, e.g. channel not in Stasis or not answered (409/412)
  | 'bad_request' // Asterisk refused the arguments (400/422)
  | 'unavailable' // not connected to Asterisk
  | 'timeout' // no answer from Asterisk in time
  | 'failed'; // anything else (5xx, transport error)

export class TelephonyError extends Error {
  constructor(
    readonly code: TelephonyErrorCode,
    message: string,
    readonly status?: number,
    readonly operation?: string,
  ) {
    super(message);
    this.name = 'TelephonyError';
  }
}

export interface CallControl {
  answer(channelId: ChannelId): Promise<void>;
  /** Hang up with a Q.850 cause (default 16, normal clearing). A channel already gone is not an error. */
  hangup(channelId: ChannelId, cause?: number): Promise<void>;
  ring(channelId: ChannelId): Promise<void>;
  stopRinging(channelId: ChannelId): Promise<void>;

  /** Starts a playback of one or more media in sequence; resolves with its id once Asterisk accepted it. */
  play(target: PlaybackTarget, media: Media[], options?: PlayOptions): Promise<PlaybackId>;
  /** Stops a playback; one that already finished is not an error. */
  stopPlayback(playbackId: PlaybackId): Promise<void>;
  /** Collects DTMF under the given limits; resolves (never rejects) with what was entered. */
  collectDigits(channelId: ChannelId, options: CollectDigitsOptions): Promise<CollectDigitsResult>;
  sendDtmf(channelId: ChannelId, digits: string): Promise<void>;
  /**
   * Puts the channel on hold as if its phone had asked (ARI `POST /channels/{id}/hold`): the
   * other parties of its bridge hear music on hold from their own channel driver.
   */
  hold(channelId: ChannelId): Promise<void>;
  unhold(channelId: ChannelId): Promise<void>;
  /** Mutes the channel's audio `in` (what it says goes nowhere), `out` or `both`. */
  mute(channelId: ChannelId, direction: MuteDirection): Promise<void>;
  unmute(channelId: ChannelId, direction: MuteDirection): Promise<void>;

  record(target: RecordTarget, options: RecordOptions): Promise<void>;
  stopRecording(name: string): Promise<void>;
  /** The bytes of a finished recording. */
  getRecording(name: string): Promise<Buffer>;

  startMoh(target: PlaybackTarget, mohClass?: string): Promise<void>;
  stopMoh(target: PlaybackTarget): Promise<void>;

  /** Creates a channel; resolves with its id. Answer → `CallEntered`; failure → `OriginateFailed`. */
  originate(request: OriginateRequest): Promise<ChannelId>;

  createBridge(options?: { id?: BridgeId; name?: string }): Promise<BridgeId>;
  destroyBridge(bridgeId: BridgeId): Promise<void>;
  addToBridge(bridgeId: BridgeId, channelId: ChannelId): Promise<void>;
  removeFromBridge(bridgeId: BridgeId, channelId: ChannelId): Promise<void>;

  /** A snoop channel on `channelId` that enters the app (listen: spy both; whisper: whisper out). */
  snoop(channelId: ChannelId, request: SnoopRequest): Promise<ChannelId>;

  setVariable(channelId: ChannelId, name: string, value: string): Promise<void>;
  getVariable(channelId: ChannelId, name: string): Promise<string | undefined>;
  /**
   * Sends the channel back to the dialplan (e.g. the AMD context), leaving the app. The leg does
   * not end with it: when the dialplan hands the channel back to the app, a new `CallEntered`
   * (same channel id, new args) follows.
   */
  continueInDialplan(channelId: ChannelId, to: { context: string; extension: string; priority?: number }): Promise<void>;

  /** Every channel Asterisk has now (for reconciliation after a reconnect or restart). */
  listChannels(): Promise<ChannelSnapshot[]>;

  /** Subscribes to events; returns the unsubscribe function. */
  onEvent(listener: (event: TelephonyEvent) => void): () => void;
  connectionState(): ConnectionState;
}
