/**
 * Media of the emulated Asterisk: playbacks (queued per channel or bridge, one at a time like
 * Asterisk's control queue) and recordings (real files in the recordings directory).
 */
import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, extname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AriError, type AriLiveRecordingJson, type AriPlaybackJson } from './types.js';
import { linearToAlaw, linearToUlaw, parseWavHeader, pcmTone, readWavInfo, wavHeader } from './wav.js';
import type { Bridge, Channel, LiveRecording, MediaHooks, MediaTarget, Playback, World } from './world.js';

const recordingFormats = new Set(['wav', 'sln', 'ulaw', 'alaw']);

export class Media implements MediaHooks {
  constructor(private readonly w: World) {}

  private playbackJson(p: Playback): AriPlaybackJson {
    const stateName = p.state === 'stopped' || p.state === 'canceled' ? 'done' : p.state;
    const json: AriPlaybackJson = {
      id: p.id,
      media_uri: p.media[p.index] ?? '',
      target_uri: 'channelId' in p.target ? `channel:${p.target.channelId}` : `bridge:${p.target.bridgeId}`,
      language: p.language,
      state: stateName,
    };
    const next = p.media[p.index + 1];
    if (next !== undefined) json.next_media_uri = next;
    return json;
  }

  private recordingJson(r: LiveRecording, extra: Partial<AriLiveRecordingJson> = {}): AriLiveRecordingJson {
    return {
      name: r.name,
      format: r.format,
      target_uri: 'channelId' in r.target ? `channel:${r.target.channelId}` : `bridge:${r.target.bridgeId}`,
      state: r.state,
      ...extra,
    };
  }

  // ---------------------------------------------------------------- what other resources ask

  dropPlaybacks(owner: Channel | Bridge, how: 'failed' | 'done'): void {
    if (owner.current) this.endItem(owner.current, how);
    for (const p of owner.queue) this.w.playbacks.delete(p.id);
    owner.queue = [];
  }

  interrupt(owner: Channel | Bridge): void {
    if (owner.current && owner.current.state !== 'queued') this.endItem(owner.current, 'stopped');
  }

  finishRecordingsOf(target: MediaTarget): void {
    for (const r of [...this.w.recordings.values()]) {
      const same = 'channelId' in target ? 'channelId' in r.target && r.target.channelId === target.channelId : 'bridgeId' in r.target && r.target.bridgeId === target.bridgeId;
      if (same) this.finishRecording(r, 'done');
    }
  }

  digitReceived(c: Channel, digit: string): void {
    for (const r of this.w.recordings.values()) {
      if ('channelId' in r.target && r.target.channelId === c.id && r.state === 'recording') {
        if (r.terminateOn === 'any' || r.terminateOn === digit) this.finishRecording(r, 'done');
      }
    }
  }

  // ---------------------------------------------------------------- playbacks

  // ---------------------------------------------------------------- playbacks

  play(target: MediaTarget, media: string[], p: { lang?: string; playbackId?: string }): AriPlaybackJson {
    const list = media.filter((m) => m !== '');
    if (list.length === 0) throw new AriError(400, 'Missing parameter media');
    let owner: Channel | Bridge;
    if ('channelId' in target) owner = this.w.mustStasisChannel(target.channelId);
    else owner = this.w.mustBridge(target.bridgeId);
    if (p.playbackId && this.w.playbacks.has(p.playbackId)) throw new AriError(409, 'Playback with given id already exists');
    const pb: Playback = {
      id: p.playbackId || randomUUID(),
      media: list,
      index: 0,
      state: 'queued',
      target,
      language: p.lang || ('language' in owner ? owner.language : 'en'),
      controllable: false,
    };
    this.w.playbacks.set(pb.id, pb);
    owner.queue.push(pb);
    const json = this.playbackJson(pb);
    setImmediate(() => this.pump(owner));
    return json;
  }

  /** Starts the next queued playback of a channel or bridge, one at a time like Asterisk's control queue. */
  private pump(owner: Channel | Bridge): void {
    if (this.w.closed || owner.current) return;
    if ('hangingUp' in owner && owner.hangingUp) return;
    const next = owner.queue.shift();
    if (!next) return;
    owner.current = next;
    if (next.state === 'canceled') {
      // A playback stopped while queued is reported finished ("done") when its turn comes.
      this.w.publish(this.w.targetApps(next.target), 'PlaybackFinished', { playback: this.playbackJson(next) });
      this.w.playbacks.delete(next.id);
      owner.current = undefined;
      this.pump(owner);
      return;
    }
    void this.startItem(next);
  }

  private async startItem(p: Playback): Promise<void> {
    p.state = 'playing';
    const uri = p.media[p.index] ?? '';
    const apps = this.w.targetApps(p.target);
    this.w.publish(apps, 'PlaybackStarted', { playback: this.playbackJson(p) });
    if (/^(sound|recording|tone):/.test(uri)) p.controllable = true;
    const duration = await this.mediaDurationMs(uri, p.language);
    if (p.state !== 'playing') return; // stopped or hung up meanwhile
    if (duration === 'skip') {
      // Asterisk skips a missing recording or bad number without any final update.
      this.advance(p, 'skip');
      return;
    }
    if (duration === 'failed') {
      this.endItem(p, 'failed');
      return;
    }
    if (duration === 'forever') return;
    const wallMs = this.w.wall(duration);
    p.itemEndsAt = Date.now() + wallMs;
    p.timer = setTimeout(() => this.endItem(p, 'done'), wallMs);
  }

  /** The current media item ended: done, failed (file missing, hangup) or stopped by request. */
  private endItem(p: Playback, how: 'done' | 'failed' | 'stopped'): void {
    if (p.timer) clearTimeout(p.timer);
    p.timer = undefined;
    const owner = this.w.ownerOf(p.target);
    const hungUp = !!owner && 'hangingUp' in owner && owner.hangingUp;
    const last = p.index >= p.media.length - 1;
    if (how === 'stopped') {
      p.state = 'stopped';
    } else if (how === 'failed') {
      p.state = last || hungUp ? 'failed' : 'continuing';
    } else {
      p.state = last || hungUp ? 'done' : 'continuing';
    }
    const apps = this.w.targetApps(p.target);
    if (p.state === 'continuing') {
      this.w.publish(apps, 'PlaybackContinuing', { playback: this.playbackJson(p) });
      this.advance(p, 'next');
      return;
    }
    this.w.publish(apps, 'PlaybackFinished', { playback: this.playbackJson(p) });
    this.finishPlayback(p);
  }

  private advance(p: Playback, _why: 'next' | 'skip'): void {
    if (p.index >= p.media.length - 1) {
      this.finishPlayback(p);
      return;
    }
    p.index += 1;
    void this.startItem(p);
  }

  private finishPlayback(p: Playback): void {
    this.w.playbacks.delete(p.id);
    const owner = this.w.ownerOf(p.target);
    if (owner && owner.current === p) {
      owner.current = undefined;
      setImmediate(() => this.pump(owner));
    }
  }

  /** Modelled duration of one media URI: ms, 'forever' (tones), 'failed' (missing file), 'skip'. */
  private async mediaDurationMs(uri: string, _lang: string): Promise<number | 'forever' | 'failed' | 'skip'> {
    const colon = uri.indexOf(':');
    const scheme = colon > 0 ? uri.slice(0, colon) : '';
    const arg = uri.slice(colon + 1);
    switch (scheme) {
      case 'sound': {
        if (isAbsolute(arg)) {
          const info = await readWavInfo(`${arg}.wav`);
          return info ? info.durationMs : 'failed';
        }
        const silence = /^silence\/(\d+)$/.exec(arg);
        if (silence) return Number(silence[1]) * 1000;
        if (arg === 'beep') return 250;
        // Core and extra sound packages are not installed on the emulator (nor, perhaps, on a real box).
        return 'failed';
      }
      case 'recording': {
        const info = await readWavInfo(join(this.w.recordingsDir, `${arg}.wav`));
        return info ? info.durationMs : 'skip';
      }
      case 'tone':
        return 'forever';
      case 'digits':
        return arg.length * 500;
      case 'characters':
        return arg.length * 600;
      case 'number':
        return /^-?\d+$/.test(arg) ? Math.max(1, arg.replace('-', '').length) * 600 : 'skip';
      default:
        return 'skip';
    }
  }

  getPlayback(id: string): AriPlaybackJson {
    const p = this.w.playbacks.get(id);
    if (!p) throw new AriError(404, 'Playback not found');
    return this.playbackJson(p);
  }

  stopPlayback(id: string): void {
    const p = this.w.playbacks.get(id);
    if (!p) throw new AriError(404, 'Playback not found');
    if (p.state === 'queued') {
      p.state = 'canceled';
      return;
    }
    if (!p.controllable) throw new AriError(500, 'Playback operation failed');
    this.endItem(p, 'stopped');
  }

  controlPlayback(id: string, operation: string | undefined): void {
    const p = this.w.playbacks.get(id);
    if (!p) throw new AriError(404, 'Playback not found');
    if (!operation || !['restart', 'pause', 'unpause', 'reverse', 'forward'].includes(operation)) {
      throw new AriError(400, 'Invalid operation');
    }
    if (p.state !== 'playing' && p.state !== 'paused' && p.state !== 'continuing') throw new AriError(409, 'Playback not playing');
    if (!p.controllable) throw new AriError(500, 'Playback operation failed');
    if (operation === 'pause' && p.state !== 'paused') {
      if (p.timer) clearTimeout(p.timer);
      p.timer = undefined;
      p.remainingMs = p.itemEndsAt !== undefined ? Math.max(0, p.itemEndsAt - Date.now()) : undefined;
      p.state = 'paused';
      this.w.publish(this.w.targetApps(p.target), 'PlaybackStarted', { playback: { ...this.playbackJson(p), state: 'paused' } });
    } else if (operation === 'unpause' && p.state === 'paused') {
      p.state = 'playing';
      this.w.publish(this.w.targetApps(p.target), 'PlaybackStarted', { playback: this.playbackJson(p) });
      if (p.remainingMs !== undefined) {
        p.itemEndsAt = Date.now() + p.remainingMs;
        p.timer = setTimeout(() => this.endItem(p, 'done'), p.remainingMs);
      }
    }
  }

  // ---------------------------------------------------------------- recordings

  async record(
    target: MediaTarget,
    p: { name?: string; format?: string; maxDurationSeconds?: number; maxSilenceSeconds?: number; ifExists?: string; beep?: boolean; terminateOn?: string },
  ): Promise<AriLiveRecordingJson> {
    if (!p.name) throw new AriError(400, 'Recording name is required');
    if (!p.format) throw new AriError(400, 'Recording format is required');
    if ('channelId' in target) this.w.mustStasisChannel(target.channelId);
    else this.w.mustBridge(target.bridgeId);
    const ifExists = (p.ifExists ?? 'fail') as LiveRecording['ifExists'];
    if (!['fail', 'overwrite', 'append'].includes(ifExists)) throw new AriError(400, 'ifExists invalid');
    const terminateOn = p.terminateOn ?? 'none';
    if (!['none', 'any', '*', '#'].includes(terminateOn)) throw new AriError(400, 'terminateOn invalid');
    if (!recordingFormats.has(p.format)) throw new AriError(422, 'Format not supported');
    const path = this.recordingPath(p.name, p.format);
    if (this.w.recordings.has(p.name)) throw new AriError(409, 'Recording with the same name already in progress');
    if (ifExists === 'fail' && (await exists(path))) throw new AriError(422, 'Recording with the same name already exists on the system');
    const r: LiveRecording = {
      name: p.name,
      format: p.format,
      target,
      state: 'queued',
      ifExists,
      terminateOn,
      startedAt: 0,
      pausedTotal: 0,
      maxSilence: p.maxSilenceSeconds ?? 0,
    };
    this.w.recordings.set(r.name, r);
    const json = this.recordingJson(r);
    const beepMs = p.beep ? 250 : 0;
    const maxMs = (p.maxDurationSeconds ?? 0) * 1000;
    const start = setTimeout(() => {
      this.w.globalTimers.delete(start);
      if (r.state !== 'queued') return;
      r.state = 'recording';
      r.startedAt = Date.now();
      this.w.publish(this.w.targetApps(r.target), 'RecordingStarted', { recording: this.recordingJson(r) });
      if (maxMs > 0) r.timer = setTimeout(() => this.finishRecording(r, 'done'), this.w.wall(maxMs));
    }, this.w.wall(beepMs));
    this.w.globalTimers.add(start);
    return json;
  }

  private recordingPath(name: string, format: string): string {
    const path = resolve(this.w.recordingsDir, `${name}.${format}`);
    const rel = relative(this.w.recordingsDir, path);
    if (rel.startsWith('..') || rel.split(sep).includes('..')) throw new AriError(400, 'Invalid recording name');
    return path;
  }

  /** Modelled seconds recorded so far. */
  private recordedMs(r: LiveRecording): number {
    if (!r.startedAt) return 0;
    const end = r.pausedAt ?? Date.now();
    return Math.max(0, (end - r.startedAt - r.pausedTotal) * this.w.speed);
  }

  private finishRecording(r: LiveRecording, how: 'done' | 'failed' | 'canceled', cause?: string): void {
    if (!this.w.recordings.has(r.name)) return;
    this.w.recordings.delete(r.name);
    if (r.timer) clearTimeout(r.timer);
    const apps = this.w.targetApps(r.target);
    const ms = this.recordedMs(r);
    r.state = how;
    if (how === 'done') {
      const seconds = Math.round(ms / 1000);
      const path = this.recordingPath(r.name, r.format);
      void this.writeRecording(path, r, ms)
        .then(() => {
          this.w.publish(apps, 'RecordingFinished', {
            recording: this.recordingJson(r, r.maxSilence > 0 ? { duration: seconds, talking_duration: seconds, silence_duration: 0 } : { duration: seconds }),
          });
        })
        .catch((err: unknown) => {
          this.w.log.error({ err, path }, 'emulator: could not write recording');
          r.state = 'failed';
          this.w.publish(apps, 'RecordingFailed', { recording: this.recordingJson(r, { cause: 'Could not write file' }) });
        });
    } else {
      this.w.publish(apps, 'RecordingFailed', { recording: this.recordingJson(r, cause ? { cause } : {}) });
    }
  }

  private async writeRecording(path: string, r: LiveRecording, ms: number): Promise<void> {
    // Recordings sit in Atende's private data directory in emulator mode: owner only.
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    // The far end "speaks": a quiet pulsed tone, so the file is not plain silence.
    const pcm = pcmTone(ms, 425, 1500, 400);
    let previous = Buffer.alloc(0);
    if (r.ifExists === 'append' && (await exists(path))) {
      const old = await readFile(path);
      if (r.format === 'wav') {
        const info = parseWavHeader(old, old.length);
        if (info) previous = old.subarray(old.length - info.dataBytes);
      } else {
        previous = old;
      }
    }
    let bytes: Buffer;
    switch (r.format) {
      case 'wav': {
        const data = Buffer.concat([previous, pcm]);
        bytes = Buffer.concat([wavHeader(data.length), data]);
        break;
      }
      case 'sln':
        bytes = Buffer.concat([previous, pcm]);
        break;
      default: {
        const encoded = Buffer.alloc(pcm.length / 2);
        for (let i = 0; i < encoded.length; i++) {
          encoded[i] = r.format === 'ulaw' ? linearToUlaw(pcm.readInt16LE(i * 2)) : linearToAlaw(pcm.readInt16LE(i * 2));
        }
        bytes = Buffer.concat([previous, encoded]);
      }
    }
    await writeFile(path, bytes, { mode: 0o600 });
  }

  getLiveRecording(name: string): AriLiveRecordingJson {
    const r = this.w.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    return this.recordingJson(r, { duration: Math.round(this.recordedMs(r) / 1000) });
  }

  stopRecording(name: string): void {
    const r = this.w.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    this.finishRecording(r, 'done');
  }

  cancelRecording(name: string): void {
    const r = this.w.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    this.finishRecording(r, 'canceled');
    void rm(this.recordingPath(r.name, r.format), { force: true });
  }

  pauseRecording(name: string, pause: boolean): void {
    const r = this.w.recordings.get(name);
    if (!r) throw new AriError(404, 'Recording not found');
    if (r.state !== 'recording' && r.state !== 'paused') throw new AriError(409, 'Recording not in session');
    if (pause && r.state === 'recording') {
      r.state = 'paused';
      r.pausedAt = Date.now();
    } else if (!pause && r.state === 'paused') {
      r.state = 'recording';
      r.pausedTotal += Date.now() - (r.pausedAt ?? Date.now());
      r.pausedAt = undefined;
    }
  }

  async listStored(): Promise<{ name: string; format: string }[]> {
    const out: { name: string; format: string }[] = [];
    const walk = async (dir: string) => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch {
        return;
      }
      for (const e of entries) {
        const full = join(dir, e.name);
        if (e.isDirectory()) await walk(full);
        else {
          const format = extname(e.name).slice(1);
          if (!recordingFormats.has(format)) continue;
          const name = relative(this.w.recordingsDir, full).slice(0, -(format.length + 1)).split(sep).join('/');
          if (!this.w.recordings.has(name)) out.push({ name, format });
        }
      }
    };
    await walk(this.w.recordingsDir);
    return out;
  }

  async getStored(name: string): Promise<{ name: string; format: string; path: string }> {
    if (this.w.recordings.has(name)) throw new AriError(404, 'Recording not found');
    for (const format of recordingFormats) {
      let path: string;
      try {
        path = this.recordingPath(name, format);
      } catch {
        throw new AriError(404, 'Recording not found');
      }
      if (await exists(path)) return { name, format, path };
    }
    throw new AriError(404, 'Recording not found');
  }

  async deleteStored(name: string): Promise<void> {
    const s = await this.getStored(name);
    await rm(s.path, { force: true });
  }

  async storedFile(name: string): Promise<{ bytes: Buffer; format: string }> {
    const s = await this.getStored(name);
    return { bytes: await readFile(s.path), format: s.format };
  }

}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
