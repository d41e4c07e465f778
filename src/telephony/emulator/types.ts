/** Shapes shared by the emulator's model, its ARI server and the AMI server. */
import type { ChannelSnapshot } from '../call-control.js';

/** An error the ARI server answers with `{"message": ...}` and this HTTP status. */
export class AriError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'AriError';
  }
}

export type SpanSignalling = 'pri_cpe' | 'pri_net' | 'mfcr2';
export type SpanAlarm = 'none' | 'red' | 'yellow' | 'blue';
export type PhoneBehaviour = 'answer' | 'reject' | 'no-answer';

export interface SpanConfig {
  span: number;
  signalling: SpanSignalling;
  group: number;
}

export interface PhoneConfig {
  ext: string;
  registered?: boolean;
  answerAfterMs?: number;
  behaviour?: PhoneBehaviour;
  /** PJSIP auth password: the phone registers over SIP WebSocket (a browser) and starts unregistered. */
  password?: string;
}

/** What the AMI side reads about a span. */
export interface SpanInfo {
  span: number;
  alarm: SpanAlarm;
  signalling: SpanSignalling;
  group: number;
  /** chan_dahdi has channels on it. */
  configured: boolean;
  /** Bearer channels (30 on a full E1). */
  channels: number;
  /** Bearer channels carrying a call now. */
  activeChannels: number;
  /** First DAHDI channel number of the span (1, 32, 63…). */
  firstChannel: number;
}

export interface EndpointInfo {
  name: string;
  kind: 'phone' | 'trunk';
  registered: boolean;
  rttMs?: number;
}

export type ContactStatus = 'Reachable' | 'Unreachable' | 'Removed' | 'Created' | 'NonQualified';

export interface SpanEvent {
  span: number;
  alarm: SpanAlarm;
}

export interface ContactEvent {
  endpoint: string;
  status: ContactStatus;
  rttMs?: number;
}

/** A registered contact, as PJSIPShowContacts lists it. */
export interface ContactInfo {
  aor: string;
  endpoint: string;
  /** Asterisk names a contact `<aor>;@<hash>`. */
  hash: string;
  uri: string;
  userAgent: string;
  status: 'Reachable' | 'Unreachable' | 'NonQualified' | 'Unknown';
  rttMs?: number;
}

/** An outbound registration of a trunk, as PJSIPShowRegistrationsOutbound lists it. */
export interface RegistrationInfo {
  id: string;
  endpoint: string;
  clientUri: string;
  serverUri: string;
  status: 'Registered' | 'Unregistered' | 'Rejected';
}

/** A registration changed state (AMI `Registry`). */
export interface RegistryEvent {
  clientUri: string;
  serverUri: string;
  status: RegistrationInfo['status'];
}

export interface ChannelEvent {
  kind: 'created' | 'state' | 'hangup';
  snapshot: ChannelSnapshot;
  /** Q.850 cause, on hangup. */
  cause?: number;
  causeText?: string;
}

/** One RTCP report on a PJSIP channel (the AMI side turns it into RTCPSent / RTCPReceived). */
export interface RtcpEvent {
  channelId: string;
  channelName: string;
  direction: 'sent' | 'received';
  jitterMs: number;
  /** Fraction of packets lost since the previous report, 0..1. */
  fractionLost: number;
  cumulativeLost: number;
  rttMs?: number;
}

/** ARI JSON objects as Asterisk serialises them. */
export interface AriChannelJson {
  id: string;
  name: string;
  state: ChannelSnapshot['state'];
  protocol_id: string;
  caller: { name: string; number: string };
  connected: { name: string; number: string };
  accountcode: string;
  dialplan: { context: string; exten: string; priority: number; app_name: string; app_data: string };
  creationtime: string;
  language: string;
}

export interface AriBridgeJson {
  id: string;
  technology: string;
  bridge_type: string;
  bridge_class: string;
  creator: string;
  name: string;
  channels: string[];
  creationtime: string;
  video_mode: string;
}

export interface AriPlaybackJson {
  id: string;
  media_uri: string;
  next_media_uri?: string;
  target_uri: string;
  language: string;
  state: string;
}

export interface AriLiveRecordingJson {
  name: string;
  format: string;
  target_uri: string;
  state: string;
  duration?: number;
  talking_duration?: number;
  silence_duration?: number;
  cause?: string;
}

export type AriEvent = { type: string } & Record<string, unknown>;
