/**
 * What the Asterisk configuration is generated from: plain, already validated values. The
 * renderers in this folder are pure — same input, same bytes — and never read the database;
 * the provisioning service builds these inputs.
 */

/** Codecs Atende offers for phones and trunks (Asterisk format names). */
export const AUDIO_CODECS = ['alaw', 'ulaw', 'g722', 'g729', 'gsm', 'opus'] as const;
export type Codec = (typeof AUDIO_CODECS)[number];

/** The contexts of dialplan/atende.conf that generated objects point at. */
export const CONTEXTS = {
  phones: 'atende-from-phones',
  trunks: 'atende-from-trunk',
  pstn: 'atende-from-pstn',
} as const;

/**
 * The channel variables `[atende-amd]` (dialplan/atende.conf) passes to AMD(), in AMD()'s
 * argument order, each with the value the dialplan uses when it is empty (app_amd's own
 * defaults).
 */
export const AMD_VARIABLES = [
  ['ATENDE_AMD_INITIAL_SILENCE', 2500],
  ['ATENDE_AMD_GREETING', 1500],
  ['ATENDE_AMD_AFTER_GREETING_SILENCE', 800],
  ['ATENDE_AMD_TOTAL_ANALYSIS_TIME', 5000],
  ['ATENDE_AMD_MIN_WORD_LENGTH', 100],
  ['ATENDE_AMD_BETWEEN_WORDS_SILENCE', 50],
  ['ATENDE_AMD_MAX_WORDS', 3],
  ['ATENDE_AMD_SILENCE_THRESHOLD', 256],
  ['ATENDE_AMD_MAX_WORD_LENGTH', 5000],
] as const;

/** Generated object names that belong to Atende (transports, templates). */
export const TRANSPORTS = { udp: 'atende-udp', tcp: 'atende-tcp', wss: 'atende-wss' } as const;
export const TEMPLATES = {
  phone: 'atende-phone',
  phoneAor: 'atende-phone-aor',
  trunk: 'atende-trunk',
  trunkAor: 'atende-trunk-aor',
} as const;

/** PJSIP endpoint `timers` (session timers, RFC 4028). */
export type SessionTimers = 'no' | 'yes' | 'required' | 'always';

/** Server-wide SIP settings: transports and the defaults every phone and trunk inherits. */
export interface SipSettings {
  udpPort: number;
  tcpEnabled: boolean;
  /** The WebSocket transport the WebRTC webphone registers over (rides on Asterisk's HTTP server). */
  wssEnabled: boolean;
  /** Public address for signalling and media behind NAT; null when Asterisk is not behind NAT. */
  externalAddress: string | null;
  /** Networks that are not behind the NAT (CIDR), e.g. 192.168.0.0/16. */
  localNets: string[];
  videoSupport: boolean;
  sessionTimers: SessionTimers;
  /** Asterisk language of phones, trunks and spans, e.g. pt_BR. */
  language: string;
  /** Seconds between OPTIONS qualifies of phone contacts; 0 turns qualify off. */
  phoneQualifySeconds: number;
  /** Seconds between OPTIONS qualifies of trunks; 0 turns qualify off. */
  trunkQualifySeconds: number;
}

export interface ExtensionConf {
  number: string;
  /** The PJSIP endpoint, auth user and AOR name (unique on the server). */
  sipUser: string;
  secret: string;
  displayName: string;
  kind: 'softphone' | 'webrtc';
  codecs: Codec[];
  maxContacts: number;
}

export interface TrunkConf {
  /** The PJSIP endpoint name (unique on the server). */
  name: string;
  host: string;
  /** Null: the transport's default (5060). */
  port: number | null;
  transport: 'udp' | 'tcp';
  codecs: Codec[];
  /** Digest credentials the provider challenges with; null for a trunk authenticated by address. */
  auth: { username: string; secret: string } | null;
  /** REGISTER to the provider (needs `auth`); `contactUser` is the `/exten` of `user:secret@host/exten`. */
  registration: { contactUser: string | null; expirationSeconds: number } | null;
  fromUser: string | null;
  fromDomain: string | null;
  /** `sip:proxy.example.net` (loose routing is added). */
  outboundProxy: string | null;
  /** Extra endpoint options, already checked against the allowed names, in the admin's order. */
  extraOptions: [string, string][];
}

export type SpanSignalling = 'pri_cpe' | 'pri_net' | 'mfcr2';

export interface R2Options {
  /** openr2 variant; `br` for Brazil. */
  variant: string;
  category: 'national_subscriber' | 'national_priority_subscriber' | 'international_subscriber' | 'international_priority_subscriber' | 'collect_call';
  maxAni: number;
  maxDnis: number;
  getAniFirst: boolean;
  allowCollectCalls: boolean;
  doubleAnswer: boolean;
}

/** A closed range of DAHDI channel numbers (absolute, as system.conf numbers them). */
export interface ChannelRange {
  from: number;
  to: number;
}

export interface SpanConf {
  span: number;
  description: string;
  /** 0: never a clock source; 1 primary, 2 secondary… */
  timing: number;
  lineBuildOut: number;
  framing: 'ccs' | 'cas';
  coding: 'hdb3' | 'ami';
  crc4: boolean;
  signalling: SpanSignalling;
  /** Q.931 switch type for PRI, e.g. euroisdn. */
  switchtype: string;
  /** Bearer (voice) channels, absolute numbers. */
  bchannels: ChannelRange[];
  /** The D-channel (PRI only), absolute number. */
  dchannel: number | null;
  group: number;
  r2: R2Options | null;
  echoCanceller: boolean;
}

export interface MohClassConf {
  /** The class name Asterisk knows (unique on the server). */
  className: string;
  /** Absolute paths of the files, without extension, in playing order. */
  entries: string[];
  random: boolean;
}

/** One tenant's share of the configuration. */
export interface TenantConf {
  tenantId: number;
  /** Shown in the file's header. */
  tenantName: string;
  extensions: ExtensionConf[];
  trunks: TrunkConf[];
  spans: SpanConf[];
  mohClasses: MohClassConf[];
}

/** A file Atende writes below Asterisk's configuration directory. */
export interface GeneratedFile {
  /** Relative to the Asterisk configuration directory, e.g. `atende/pjsip-t3.conf`. */
  path: string;
  content: string;
  /** What Asterisk must do to read it. */
  module: 'pjsip' | 'dialplan' | 'moh' | 'dahdi';
  /** Null for the server-wide files every tenant includes. */
  tenantId: number | null;
}

/** The hints context of a tenant: desk phones subscribe here for the lamps (BLF) of their colleagues. */
export const hintsContext = (tenantId: number): string => `atende-hints-t${tenantId}`;
