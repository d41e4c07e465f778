/** Typed inputs of the configuration renderers for tests: SIP settings and E1 spans as an installation has them. */
import type { SipSettings, SpanConf } from '../../src/telephony/confgen/index.js';

export const sipSettings = (extra: Partial<SipSettings> = {}): SipSettings => ({
  udpPort: 5060,
  tcpEnabled: true,
  wssEnabled: true,
  externalAddress: null,
  localNets: [],
  videoSupport: false,
  sessionTimers: 'no',
  language: 'pt_BR',
  phoneQualifySeconds: 30,
  trunkQualifySeconds: 60,
  ...extra,
});

/** Span 1, ISDN PRI (customer side, Euro-ISDN), all 30 bearer channels, group 1. */
export const priSpan = (extra: Partial<SpanConf> = {}): SpanConf => ({
  span: 1,
  description: 'Embratel PRI',
  timing: 1,
  lineBuildOut: 0,
  framing: 'ccs',
  coding: 'hdb3',
  crc4: true,
  signalling: 'pri_cpe',
  switchtype: 'euroisdn',
  bchannels: [
    { from: 1, to: 15 },
    { from: 17, to: 31 },
  ],
  dchannel: 16,
  group: 1,
  r2: null,
  echoCanceller: false,
  ...extra,
});

/** Span 2, MFC/R2 Brazil, group 2. */
export const r2Span = (extra: Partial<SpanConf> = {}): SpanConf => ({
  span: 2,
  description: 'Oi R2',
  timing: 2,
  lineBuildOut: 0,
  framing: 'cas',
  coding: 'hdb3',
  crc4: false,
  signalling: 'mfcr2',
  switchtype: 'euroisdn',
  bchannels: [
    { from: 32, to: 46 },
    { from: 48, to: 62 },
  ],
  dchannel: null,
  group: 2,
  r2: { variant: 'br', category: 'national_subscriber', maxAni: 20, maxDnis: 4, getAniFirst: false, allowCollectCalls: false, doubleAnswer: true },
  echoCanceller: false,
  ...extra,
});
