/**
 * Raw ARI JSON (as Asterisk sends it) and its mapping to the port's plain types. Only this
 * folder sees these shapes.
 */
import type { ChannelSnapshot, Media, PlaybackTarget } from '../call-control.js';

export interface RawCallerId {
  name?: string;
  number?: string;
}

export interface RawChannel {
  id: string;
  name?: string;
  state?: string;
  caller?: RawCallerId;
  connected?: RawCallerId;
  dialplan?: { context?: string; exten?: string; priority?: number; app_name?: string; app_data?: string };
  creationtime?: string;
}

export interface RawPlayback {
  id: string;
  target_uri?: string;
  state?: string;
}

export interface RawRecording {
  name: string;
  target_uri?: string;
  state?: string;
  duration?: number;
  cause?: string;
}

export interface RawEvent {
  type: string;
  application?: string;
  timestamp?: string;
  channel?: RawChannel;
  bridge?: { id: string };
  playback?: RawPlayback;
  recording?: RawRecording;
  args?: string[];
  digit?: string;
  duration_ms?: number;
  cause?: number;
  cause_txt?: string;
  variable?: string;
  value?: string;
  /** Dial events: the channel being dialled and how the dial went (BUSY, NOANSWER, …). */
  peer?: RawChannel;
  dialstatus?: string;
}

const STATES: ReadonlySet<string> = new Set<ChannelSnapshot['state']>([
  'Down',
  'Rsrvd',
  'OffHook',
  'Dialing',
  'Ring',
  'Ringing',
  'Up',
  'Busy',
  'Dialing Offhook',
  'Pre-ring',
  'Unknown',
]);

export function channelState(state: string | undefined): ChannelSnapshot['state'] {
  return state !== undefined && STATES.has(state) ? (state as ChannelSnapshot['state']) : 'Unknown';
}

/** Asterisk's timestamps look like `2026-01-05T09:00:00.123-0300` (offset without a colon). */
export function parseAsteriskTime(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const iso = text.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : ms;
}

export function toSnapshot(raw: RawChannel, fallbackCreatedAt: number): ChannelSnapshot {
  const d = raw.dialplan ?? {};
  return {
    id: raw.id,
    name: raw.name ?? '',
    state: channelState(raw.state),
    caller: { number: raw.caller?.number ?? '', name: raw.caller?.name ?? '' },
    connected: { number: raw.connected?.number ?? '', name: raw.connected?.name ?? '' },
    dialplan: {
      context: d.context ?? '',
      exten: d.exten ?? '',
      priority: d.priority ?? 0,
      appName: d.app_name ?? '',
      appData: d.app_data ?? '',
    },
    createdAt: parseAsteriskTime(raw.creationtime) ?? fallbackCreatedAt,
  };
}

/** `channel:<id>` / `bridge:<id>` as ARI reports playback and recording targets. */
export function parseTarget(uri: string | undefined): PlaybackTarget | undefined {
  if (!uri) return undefined;
  const colon = uri.indexOf(':');
  if (colon < 0) return undefined;
  const kind = uri.slice(0, colon);
  const id = uri.slice(colon + 1);
  if (kind === 'channel') return { channelId: id };
  if (kind === 'bridge') return { bridgeId: id };
  return undefined;
}

/** The tone zone for `tone:` media: Brazilian ring/busy/congestion cadences. */
export const TONE_ZONE = 'br';

export function mediaUri(media: Media): string {
  switch (media.kind) {
    case 'file':
      return `sound:${media.path}`;
    case 'tone':
      return media.tone.includes(';tonezone=') ? `tone:${media.tone}` : `tone:${media.tone};tonezone=${TONE_ZONE}`;
    case 'digits':
      return `digits:${media.digits}`;
    case 'recording':
      return `recording:${media.name}`;
  }
}

/** `Name <number>` as Asterisk's caller id parser reads it; just the number without a name. */
export function callerIdString(callerId: { number: string; name?: string }): string {
  const name = callerId.name?.replace(/[<>"]/g, '').trim();
  return name ? `${name} <${callerId.number}>` : callerId.number;
}
