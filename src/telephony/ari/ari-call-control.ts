import { randomUUID } from 'node:crypto';
import type { AriClient, AriOperation } from 'ari-client';
import type { Clock, Logger } from '../../kernel/index.js';
import {
  TelephonyError,
  type BridgeId,
  type CallControl,
  type ChannelId,
  type ChannelSnapshot,
  type CollectDigitsOptions,
  type CollectDigitsResult,
  type ConnectionState,
  type Media,
  type MuteDirection,
  type OriginateRequest,
  type PlaybackId,
  type PlaybackTarget,
  type PlayOptions,
  type RecordOptions,
  type RecordTarget,
  type SnoopRequest,
  type TelephonyEvent,
} from '../call-control.js';
import { collectDigitsFromEvents } from '../digits.js';
import { toTelephonyError } from './ari-errors.js';
import type { AriEventTranslator } from './ari-events.js';
import { callerIdString, mediaUri, toSnapshot, type RawChannel } from './ari-model.js';

const NORMAL_CLEARING = 16;

/** What AriCallControl needs from the connection supervisor. */
export interface AriLink {
  currentClient(): AriClient | undefined;
  currentState(): ConnectionState;
  currentReason(): string | undefined;
}

export interface AriCallControlOptions {
  app: string;
  link: AriLink;
  translator: AriEventTranslator;
  clock: Clock;
  logger: Logger;
  /** Limit for one REST request; past it the operation fails with `timeout`. */
  requestTimeoutMs: number;
}

/** `CallControl` over ARI. Events are fed in by the factory through `dispatch`. */
export class AriCallControl implements CallControl {
  private readonly listeners = new Set<(event: TelephonyEvent) => void>();

  constructor(private readonly o: AriCallControlOptions) {}

  // ---- events -------------------------------------------------------------------------------

  onEvent(listener: (event: TelephonyEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Delivers an event to every listener; one listener throwing does not stop the others. */
  dispatch(event: TelephonyEvent): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (e) {
        this.o.logger.error({ err: e, event: event.type }, 'a telephony event listener threw');
      }
    }
  }

  connectionState(): ConnectionState {
    return this.o.link.currentState();
  }

  // ---- channels -----------------------------------------------------------------------------

  async answer(channelId: ChannelId): Promise<void> {
    await this.call('answer', 'channels', 'answer', { channelId });
  }

  async hangup(channelId: ChannelId, cause = NORMAL_CLEARING): Promise<void> {
    if (this.o.translator.isEnded(channelId)) return;
    this.o.translator.markHangupRequested(channelId, cause);
    await unlessGone(this.call('hangup', 'channels', 'hangup', { channelId, reason_code: String(cause) }));
  }

  async ring(channelId: ChannelId): Promise<void> {
    await this.call('ring', 'channels', 'ring', { channelId });
  }

  async stopRinging(channelId: ChannelId): Promise<void> {
    await this.call('stopRinging', 'channels', 'ringStop', { channelId });
  }

  async sendDtmf(channelId: ChannelId, digits: string): Promise<void> {
    await this.call('sendDtmf', 'channels', 'sendDTMF', { channelId, dtmf: digits });
  }

  async hold(channelId: ChannelId): Promise<void> {
    await this.call('hold', 'channels', 'hold', { channelId });
  }

  async unhold(channelId: ChannelId): Promise<void> {
    await this.call('unhold', 'channels', 'unhold', { channelId });
  }

  async mute(channelId: ChannelId, direction: MuteDirection): Promise<void> {
    await this.call('mute', 'channels', 'mute', { channelId, direction });
  }

  async unmute(channelId: ChannelId, direction: MuteDirection): Promise<void> {
    await this.call('unmute', 'channels', 'unmute', { channelId, direction });
  }

  collectDigits(channelId: ChannelId, options: CollectDigitsOptions): Promise<CollectDigitsResult> {
    return collectDigitsFromEvents(
      { onEvent: (l) => this.onEvent(l), clock: this.o.clock, isGone: (id) => this.o.translator.isEnded(id) },
      channelId,
      options,
    );
  }

  async originate(request: OriginateRequest): Promise<ChannelId> {
    const channelId = request.id ?? randomUUID();
    // Marked before the request: StasisStart or ChannelDestroyed may arrive before the answer.
    this.o.translator.markOriginated(channelId);
    try {
      await this.call('originate', 'channels', 'originate', {
        endpoint: request.endpoint,
        app: this.o.app,
        appArgs: request.appArgs.join(','),
        channelId,
        ...(request.callerId ? { callerId: callerIdString(request.callerId) } : {}),
        ...(request.timeoutSeconds !== undefined ? { timeout: request.timeoutSeconds } : {}),
        ...(request.variables && Object.keys(request.variables).length ? { variables: request.variables } : {}),
        ...(request.originatorId ? { originator: request.originatorId } : {}),
      });
    } catch (e) {
      this.o.translator.forget(channelId);
      throw e;
    }
    return channelId;
  }

  async snoop(channelId: ChannelId, request: SnoopRequest): Promise<ChannelId> {
    const snoopId = request.id ?? randomUUID();
    this.o.translator.markOriginated(snoopId);
    try {
      await this.call('snoop', 'channels', 'snoopChannel', {
        channelId,
        snoopId,
        spy: request.spy,
        whisper: request.whisper,
        app: this.o.app,
        appArgs: request.appArgs.join(','),
      });
    } catch (e) {
      this.o.translator.forget(snoopId);
      throw e;
    }
    return snoopId;
  }

  async setVariable(channelId: ChannelId, name: string, value: string): Promise<void> {
    await this.call('setVariable', 'channels', 'setChannelVar', { channelId, variable: name, value });
  }

  async getVariable(channelId: ChannelId, name: string): Promise<string | undefined> {
    try {
      const res = (await this.call('getVariable', 'channels', 'getChannelVar', { channelId, variable: name })) as {
        value?: string;
      };
      return res?.value;
    } catch (e) {
      // Asterisk answers 404 both for a missing channel and for an unset variable; only the
      // message tells them apart ("Provided variable was not found").
      if (e instanceof TelephonyError && e.code === 'not_found' && /variable/i.test(e.message) && !/channel/i.test(e.message)) {
        return undefined;
      }
      throw e;
    }
  }

  async continueInDialplan(
    channelId: ChannelId,
    to: { context: string; extension: string; priority?: number },
  ): Promise<void> {
    this.o.translator.markContinued(channelId);
    await this.call('continueInDialplan', 'channels', 'continueInDialplan', {
      channelId,
      context: to.context,
      extension: to.extension,
      priority: to.priority ?? 1,
    });
  }

  async listChannels(): Promise<ChannelSnapshot[]> {
    const list = (await this.call('listChannels', 'channels', 'list', {})) as RawChannel[];
    const now = this.o.clock.now();
    return (Array.isArray(list) ? list : []).map((c) => toSnapshot(c, now));
  }

  // ---- media --------------------------------------------------------------------------------

  async play(target: PlaybackTarget, media: Media[], options: PlayOptions = {}): Promise<PlaybackId> {
    if (media.length === 0) throw new TelephonyError('bad_request', 'play: nothing to play', undefined, 'play');
    const playbackId = options.id ?? randomUUID();
    const params = {
      playbackId,
      media: media.map(mediaUri),
      ...(options.lang ? { lang: options.lang } : {}),
    };
    await this.onTarget('play', target, 'play', params);
    return playbackId;
  }

  async stopPlayback(playbackId: PlaybackId): Promise<void> {
    this.o.translator.markPlaybackStopRequested(playbackId);
    await unlessGone(this.call('stopPlayback', 'playbacks', 'stop', { playbackId }));
  }

  async record(target: RecordTarget, options: RecordOptions): Promise<void> {
    const params = {
      name: options.name,
      format: options.format ?? 'wav',
      ...(options.maxDurationSeconds !== undefined ? { maxDurationSeconds: options.maxDurationSeconds } : {}),
      ...(options.maxSilenceSeconds !== undefined ? { maxSilenceSeconds: options.maxSilenceSeconds } : {}),
      ...(options.beep !== undefined ? { beep: options.beep } : {}),
      ...(options.terminateOn ? { terminateOn: options.terminateOn } : {}),
      ...(options.ifExists ? { ifExists: options.ifExists } : {}),
    };
    await this.onTarget('record', target, 'record', params);
  }

  async stopRecording(name: string): Promise<void> {
    await this.call('stopRecording', 'recordings', 'stop', { recordingName: name });
  }

  async getRecording(name: string): Promise<Buffer> {
    const data = await this.call('getRecording', 'recordings', 'getStoredFile', { recordingName: name });
    if (Buffer.isBuffer(data)) return data;
    if (typeof data === 'string') return Buffer.from(data, 'binary');
    throw new TelephonyError('failed', 'getRecording: Asterisk sent no file', undefined, 'getRecording');
  }

  async startMoh(target: PlaybackTarget, mohClass?: string): Promise<void> {
    await this.onTarget('startMoh', target, 'startMoh', mohClass ? { mohClass } : {});
  }

  async stopMoh(target: PlaybackTarget): Promise<void> {
    await this.onTarget('stopMoh', target, 'stopMoh', {});
  }

  // ---- bridges ------------------------------------------------------------------------------

  async createBridge(options: { id?: BridgeId; name?: string } = {}): Promise<BridgeId> {
    const bridgeId = options.id ?? randomUUID();
    await this.call('createBridge', 'bridges', 'create', {
      type: 'mixing',
      bridgeId,
      ...(options.name ? { name: options.name } : {}),
    });
    return bridgeId;
  }

  async destroyBridge(bridgeId: BridgeId): Promise<void> {
    await unlessGone(this.call('destroyBridge', 'bridges', 'destroy', { bridgeId }));
  }

  async addToBridge(bridgeId: BridgeId, channelId: ChannelId): Promise<void> {
    await this.call('addToBridge', 'bridges', 'addChannel', { bridgeId, channel: channelId });
  }

  async removeFromBridge(bridgeId: BridgeId, channelId: ChannelId): Promise<void> {
    await this.call('removeFromBridge', 'bridges', 'removeChannel', { bridgeId, channel: channelId });
  }

  // ---- the one place that talks to ari-client -----------------------------------------------

  /** The same ARI operation exists on channels and bridges; the target says which. */
  private onTarget(operation: string, target: PlaybackTarget, nickname: string, params: Record<string, unknown>): Promise<unknown> {
    return 'channelId' in target
      ? this.call(operation, 'channels', nickname, { channelId: target.channelId, ...params })
      : this.call(operation, 'bridges', nickname, { bridgeId: target.bridgeId, ...params });
  }

  private async call(operation: string, resource: string, nickname: string, params: Record<string, unknown>): Promise<unknown> {
    const client = this.o.link.currentClient();
    if (!client) {
      const why = this.o.link.currentReason();
      throw new TelephonyError('unavailable', `${operation}: ARI not connected${why ? ` (${why})` : ''}`, undefined, operation);
    }
    const group = client[resource] as Record<string, AriOperation | undefined> | undefined;
    const fn = group?.[nickname];
    if (!fn) {
      throw new TelephonyError('failed', `${operation}: this Asterisk offers no ${resource}.${nickname}`, undefined, operation);
    }
    const timeoutMs = this.o.requestTimeoutMs;
    let timer: { cancel(): void } | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = this.o.clock.setTimeout(
        () => reject(new TelephonyError('timeout', `${operation}: no answer from ARI in ${timeoutMs} ms`, undefined, operation)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([Promise.resolve().then(() => fn(params)), timeout]);
    } catch (e) {
      throw toTelephonyError(e, operation);
    } finally {
      timer?.cancel();
    }
  }
}

/** Hanging up, stopping or destroying something Asterisk no longer has is already done. */
async function unlessGone(request: Promise<unknown>): Promise<void> {
  try {
    await request;
  } catch (e) {
    if (e instanceof TelephonyError && e.code === 'not_found') return;
    throw e;
  }
}
