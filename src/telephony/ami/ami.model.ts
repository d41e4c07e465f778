/**
 * Types of the AMI adapter. No `asterisk-manager` object crosses this boundary: packets are
 * normalised into `AmiMessage` and the events Atende cares about into the `AmiEvent` union.
 */
import type { ChannelSnapshot, ConnectionState } from '../call-control.js';
import { TelephonyError, type TelephonyErrorCode } from '../call-control.js';

/** One AMI packet with header names lower-cased (AMI headers are case-insensitive). */
export interface AmiMessage {
  /** The first value of each header. */
  readonly fields: Readonly<Record<string, string>>;
  /** Every value of each header, in order (`Output` lines of `Command`, repeated keys). */
  readonly values: Readonly<Record<string, readonly string[]>>;
  /** `Variable:` / `ChanVariable:` lines (`name=value`) by variable name. */
  readonly variables: Readonly<Record<string, string>>;
}

export interface AmiResponse extends AmiMessage {
  readonly actionId: string;
  /** `Response:` as sent: Success, Error, Goodbye, Follows. */
  readonly response: string;
  readonly ok: boolean;
  readonly message: string;
}

export interface AmiListResult {
  readonly response: AmiResponse;
  /** The item events in arrival order, without the closing `…Complete` event. */
  readonly events: readonly AmiMessage[];
  /** The closing event (`ListItems` etc.); absent when the list had no `EventList: start`. */
  readonly complete?: AmiMessage;
}

/** Header values for an action. A record value becomes one `Key: name=value` line per entry. */
export type AmiFields = Record<string, string | number | boolean | Record<string, string> | undefined>;

/** chan_dahdi alarms (alarm2str / build_alarm_info), normalised. */
export type SpanAlarmKind = 'red' | 'yellow' | 'blue' | 'recovering' | 'loopback' | 'not-open' | 'unknown';

/** PJSIP `ContactStatus` values (registrar: Created/Removed/Updated; qualify: the rest). */
export type ContactStatusKind =
  | 'Reachable'
  | 'Unreachable'
  | 'Created'
  | 'Removed'
  | 'Updated'
  | 'Unknown'
  | 'NonQualified';

export type AmiEvent =
  /** A span went into alarm (from `SpanAlarm`, or per-channel `Alarm` mapped to its span). */
  | { type: 'SpanAlarm'; at: number; span: number; alarm: SpanAlarmKind; channel?: number }
  /** A span is back in service. */
  | { type: 'SpanAlarmCleared'; at: number; span: number; channel?: number }
  /** An agent phone or trunk contact changed state. */
  | {
      type: 'ContactStatus';
      at: number;
      endpoint: string;
      aor: string;
      uri: string;
      status: ContactStatusKind;
      rttMs?: number;
    }
  /** One RTCP report (RTCPSent / RTCPReceived, first report block). */
  | {
      type: 'RtcpStats';
      at: number;
      direction: 'sent' | 'received';
      /** Asterisk channel name, e.g. `PJSIP/1001-00000001`. */
      channel: string;
      uniqueId: string;
      /** Interarrival jitter in ms, assuming an 8 kHz RTP clock (G.711). */
      jitterMs?: number;
      /** Fraction lost since the previous report, 0..1. */
      fractionLost?: number;
      cumulativeLost?: number;
      rttMs?: number;
    }
  /** A trunk's outbound registration changed state (`Registry`). */
  | { type: 'TrunkRegistration'; at: number; clientUri: string; serverUri: string; status: RegistrationStatus }
  | { type: 'ConnectionChanged'; at: number; link: 'ami'; state: ConnectionState; reason?: string };

/** res_pjsip_outbound_registration's status strings. */
export type RegistrationStatus = 'Registered' | 'Unregistered' | 'Rejected';

/** One contact of an AOR (PJSIPShowContacts). */
export interface AmiContact {
  /** The AOR (for Atende's objects, the endpoint's name). */
  aor: string;
  endpoint: string;
  uri: string;
  userAgent: string;
  status: ContactStatusKind;
  /** Absent when not qualified (`N/A`). */
  rttMs?: number;
}

/** One outbound registration (PJSIPShowRegistrationsOutbound). */
export interface AmiRegistration {
  id: string;
  endpoint: string;
  clientUri: string;
  serverUri: string;
  status: RegistrationStatus;
}

export type AmiEventType = AmiEvent['type'];
export type AmiEventOf<T extends AmiEventType> = Extract<AmiEvent, { type: T }>;

export interface AmiSpanStatus {
  span: number;
  inAlarm: boolean;
  /** Detailed alarms when DAHDIShowStatus knows them; [] when in service. */
  alarms: SpanAlarmKind[];
  /** False for a span DAHDI lists but nothing is configured on. */
  configured: boolean;
  description?: string;
  framing?: string;
  coding?: string;
  /** PRI spans only: the D-channel is up. */
  dchannelUp?: boolean;
}

export interface AmiEndpoint {
  name: string;
  /** Asterisk device state: `Not in use`, `In use`, `Ringing`, `Unavailable`, … */
  deviceState: string;
  aors: string[];
  contacts: { aor: string; uri: string }[];
  activeChannels: number;
}

export type { ChannelSnapshot };

/** An AMI action failed: `timeout`, `unavailable` (not logged in) or `failed` (Response: Error). */
export class AmiError extends TelephonyError {
  constructor(
    code: TelephonyErrorCode,
    message: string,
    readonly action: string,
    readonly response?: AmiResponse,
  ) {
    super(code, message, undefined, `AMI ${action}`);
    this.name = 'AmiError';
  }
}

export interface BackoffPolicy {
  initialMs: number;
  maxMs: number;
}
