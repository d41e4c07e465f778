/**
 * The webphone: the logged-in user's own extension registered over SIP WebSocket (JsSIP),
 * with WebRTC media. One phone per tab, kept across page changes. The server hands the
 * credentials (GET /api/v1/webphone/account) to their owner only; they stay in memory.
 *
 * JsSIP reconnects a dropped WebSocket on its own (growing intervals) and registers again
 * once it is back, which is how the phone survives a network blip. DTMF goes as RFC 4733
 * events (JsSIP's default is SIP INFO, which a PJSIP endpoint with dtmf_mode=rfc4733 ignores).
 */
import { computed, reactive, readonly, watch } from 'vue';
import { C, UA, WebSocketInterface, debug as jssipDebug } from 'jssip';
import type { RTCSession } from 'jssip/lib/RTCSession';
import type { IncomingRTCSessionEvent, OutgoingRTCSessionEvent } from 'jssip/lib/UA';
import { api, ok, ApiError } from '@/api/client';
import { session as authSession } from '@/auth/session';
import { qualityOf, readStats, type CallStats } from './quality';
import { Ringer, playTestTone, setSink } from './sounds';

export type RegistrationState =
  /** Not started (no account asked for yet, or stopped at logout). */
  | 'off'
  | 'connecting'
  | 'registered'
  /** The server refused the password. */
  | 'auth_failed'
  /** The WebSocket cannot be reached (JsSIP keeps trying). */
  | 'unreachable'
  /** Registered before; the connection dropped and is being brought back. */
  | 'reconnecting'
  /** The user has no extension a browser can register as. */
  | 'no_extension'
  /** The server does not know where browsers reach the telephony server. */
  | 'not_configured'
  /** Another tab of this browser runs the phone (one phone per user, so that one tab rings). */
  | 'other_tab'
  | 'failed';

/** `ringing`: a call for this phone; `calling`: this phone dials out and waits for the answer. */
export type CallState = 'idle' | 'ringing' | 'calling' | 'connecting' | 'active' | 'ended';

export interface WebphoneState {
  registration: RegistrationState;
  /** What the server or the browser said, for the technician. */
  detail: string;
  extension: string;
  call: {
    state: CallState;
    direction: 'in' | 'out';
    /** The other party: the caller, or the number dialled. */
    from: string;
    fromName: string;
    /** The called party's phone is ringing (180 on an outgoing call). */
    ringback: boolean;
    held: boolean;
    muted: boolean;
    startedAt: number | null;
    digits: string;
    endedCause: string;
  };
  stats: CallStats | null;
  devices: { inputs: MediaDeviceInfo[]; outputs: MediaDeviceInfo[] };
  inputId: string;
  outputId: string;
}

/** The browser's name for the system's default microphone or speaker. */
export const DEFAULT_DEVICE = 'default';

const state = reactive<WebphoneState>({
  registration: 'off',
  detail: '',
  extension: '',
  call: { state: 'idle', direction: 'in', from: '', fromName: '', ringback: false, held: false, muted: false, startedAt: null, digits: '', endedCause: '' },
  stats: null,
  devices: { inputs: [], outputs: [] },
  inputId: localStorage.getItem('webphone.input') ?? DEFAULT_DEVICE,
  outputId: localStorage.getItem('webphone.output') ?? DEFAULT_DEVICE,
});

let ua: UA | undefined;
let sipDomain = '';
let session: RTCSession | undefined;
let everRegistered = false;
let statsTimer: number | undefined;
const ringer = new Ringer();
/** Remote audio is decoded only when attached to an <audio> element. */
const remoteAudio = new Audio();
remoteAudio.autoplay = true;

export const webphone = readonly(state);

/** Who is calling, as the phone and the agent's desk name them: the caller's name and number, or the number. */
export const callerLabel = computed(() => (state.call.fromName ? `${state.call.fromName} (${state.call.from})` : state.call.from));

jssipDebug.disable('JsSIP:*');

// Logging out (or a session that ended) takes the phone off the server.
watch(
  () => authSession.me,
  (me) => {
    if (!me) stopWebphone();
  },
);

/**
 * One tab runs the phone: it holds a Web Lock named after the user for as long as the phone
 * runs, so that two tabs of the same agent never both register (and ring). A second tab says
 * the phone is in another tab and waits for the lock: when the first tab closes, it takes over.
 */
let releaseLock: (() => void) | undefined;
let lockRequest = 0;

/** Fetches the account and registers; safe to call again (a second call is a fresh start). */
export async function startWebphone(): Promise<void> {
  const locks = 'locks' in navigator ? navigator.locks : undefined;
  if (!locks || releaseLock) return register();
  stopWebphone();
  const request = ++lockRequest;
  const name = `atende.webphone.${authSession.me?.id ?? 0}`;
  const hold = () =>
    new Promise<void>((resolve) => {
      releaseLock = resolve;
      void register();
    });
  state.registration = 'connecting';
  // Not awaited: the lock is held (its request pending) for as long as this tab runs the phone.
  void locks.request(name, { ifAvailable: true }, async (lock) => {
    if (request !== lockRequest) return;
    if (lock) return hold();
    state.registration = 'other_tab';
    state.detail = '';
    void locks.request(name, async () => {
      if (request === lockRequest) await hold();
    });
  });
}

async function register(): Promise<void> {
  stopPhone();
  state.registration = 'connecting';
  state.detail = '';
  let account;
  try {
    account = await ok(api.GET('/api/v1/webphone/account'));
  } catch (e) {
    state.registration = e instanceof ApiError && e.code === 'no_extension' ? 'no_extension' : e instanceof ApiError && e.code === 'webphone_not_configured' ? 'not_configured' : 'failed';
    state.detail = e instanceof Error ? e.message : String(e);
    return;
  }
  state.extension = account.extension;
  sipDomain = account.domain;
  everRegistered = false;
  const socket = new WebSocketInterface(account.wsUrl);
  const phone = new UA({
    sockets: [socket],
    uri: `sip:${account.sipUser}@${account.domain}`,
    password: account.password,
    display_name: account.displayName,
    register: true,
    register_expires: 300,
    session_timers: false,
    user_agent: 'Atende webphone',
    connection_recovery_min_interval: 2,
    connection_recovery_max_interval: 30,
  });
  ua = phone;
  phone.on('registered', () => {
    everRegistered = true;
    state.registration = 'registered';
    state.detail = '';
  });
  phone.on('unregistered', () => {
    if (state.registration === 'registered') state.registration = 'connecting';
  });
  phone.on('registrationFailed', (e: { cause?: string; response?: { status_code: number; reason_phrase: string } }) => {
    const status = e.response ? `${e.response.status_code} ${e.response.reason_phrase}` : (e.cause ?? '');
    state.detail = status;
    if (e.cause === 'Authentication Error') {
      state.registration = 'auth_failed';
      // A wrong secret stays wrong: stop knocking instead of retrying every few seconds.
      phone.stop();
    } else if (e.cause === 'Connection Error' || e.cause === 'Request Timeout') state.registration = everRegistered ? 'reconnecting' : 'unreachable';
    else state.registration = 'failed';
  });
  phone.on('disconnected', (e: { error?: boolean; code?: number; reason?: string }) => {
    if (phone !== ua || state.registration === 'auth_failed') return;
    state.registration = everRegistered ? 'reconnecting' : 'unreachable';
    state.detail = e.reason ?? (e.code ? `WebSocket ${e.code}` : '');
  });
  phone.on('newRTCSession', (e: IncomingRTCSessionEvent | OutgoingRTCSessionEvent) => {
    if (e.originator !== 'remote') return;
    // One call at a time: a second one while busy is refused as busy, as a desk phone with call waiting off does.
    if (session) {
      e.session.terminate({ status_code: 486, reason_phrase: 'Busy Here' });
      return;
    }
    track(e.session, 'in');
  });
  phone.start();
  void refreshDevices();
}

export function stopWebphone(): void {
  stopPhone();
  // A tab waiting for the phone stops waiting; the tab that had it lets another take it.
  lockRequest++;
  const release = releaseLock;
  releaseLock = undefined;
  release?.();
}

function stopPhone(): void {
  const old = ua;
  ua = undefined;
  if (session) endCallState('');
  old?.stop();
  state.registration = 'off';
}

/** Dials a number (an extension, or an outside number the server's outbound routes take). */
export function dial(number: string): void {
  const target = number.replace(/[^0-9*#+]/g, '');
  if (!ua || session || state.registration !== 'registered' || target === '') return;
  const s = ua.call(`sip:${target}@${sipDomain}`, {
    mediaConstraints: { audio: audioConstraints(), video: false },
    pcConfig: { iceServers: [] },
  });
  track(s, 'out', target);
  // JsSIP made the outgoing call's peer connection inside call(), before any listener could hear of it.
  s.connection.addEventListener('track', (ev: RTCTrackEvent) => playRemote(ev.streams[0] ?? new MediaStream([ev.track])));
}

function track(s: RTCSession, direction: 'in' | 'out', dialled = ''): void {
  session = s;
  const from = s.remote_identity;
  Object.assign(state.call, {
    state: direction === 'in' ? 'ringing' : 'calling',
    direction,
    from: direction === 'in' ? (from.uri.user ?? '') : dialled,
    fromName: direction === 'in' ? (from.display_name ?? '') : '',
    ringback: false,
    held: false,
    muted: false,
    startedAt: null,
    digits: '',
    endedCause: '',
  });
  state.stats = null;
  if (direction === 'in') {
    ringer.start(state.outputId);
    // JsSIP makes an incoming call's peer connection when it is answered.
    s.on('peerconnection', (e: { peerconnection: RTCPeerConnection }) => {
      e.peerconnection.addEventListener('track', (ev: RTCTrackEvent) => playRemote(ev.streams[0] ?? new MediaStream([ev.track])));
    });
  } else {
    s.on('progress', () => {
      state.call.ringback = true;
    });
  }
  s.on('accepted', () => {
    ringer.stop();
    state.call.state = 'active';
    state.call.startedAt = Date.now();
    startStats(s);
  });
  s.on('confirmed', () => {
    state.call.state = 'active';
  });
  s.on('hold', () => {
    state.call.held = s.isOnHold().local;
  });
  s.on('unhold', () => {
    state.call.held = s.isOnHold().local;
  });
  s.on('muted', () => {
    state.call.muted = true;
  });
  s.on('unmuted', () => {
    state.call.muted = false;
  });
  s.on('ended', (e) => endCallState(e.cause ?? ''));
  s.on('failed', (e) => endCallState(e.cause ?? ''));
}

function playRemote(stream: MediaStream): void {
  remoteAudio.srcObject = stream;
  void setSink(remoteAudio, state.outputId).then(() => remoteAudio.play().catch(() => undefined));
}

function endCallState(cause: string): void {
  ringer.stop();
  window.clearInterval(statsTimer);
  statsTimer = undefined;
  session = undefined;
  remoteAudio.srcObject = null;
  state.call.state = 'ended';
  state.call.endedCause = cause;
}

function startStats(s: RTCSession): void {
  window.clearInterval(statsTimer);
  let previous: CallStats | null = null;
  const sample = async () => {
    const pc = s.connection;
    if (!pc || session !== s) return;
    const now = await readStats(pc);
    now.quality = qualityOf(now, previous);
    previous = now;
    state.stats = now;
  };
  void sample();
  statsTimer = window.setInterval(() => void sample(), 1000);
}

function audioConstraints(): MediaTrackConstraints | boolean {
  return state.inputId === DEFAULT_DEVICE ? true : { deviceId: { exact: state.inputId } };
}

export function answer(): void {
  if (!session || state.call.state !== 'ringing') return;
  ringer.stop();
  state.call.state = 'connecting';
  session.answer({ mediaConstraints: { audio: audioConstraints(), video: false }, pcConfig: { iceServers: [] } });
}

export function hangUp(): void {
  session?.terminate();
}

export function toggleHold(): void {
  if (!session || state.call.state !== 'active') return;
  if (state.call.held) session.unhold();
  else session.hold();
}

export function toggleMute(): void {
  if (!session || state.call.state !== 'active') return;
  if (state.call.muted) session.unmute({ audio: true });
  else session.mute({ audio: true });
}

export function sendDigit(digit: string): void {
  if (!session || state.call.state !== 'active') return;
  session.sendDTMF(digit, { transportType: C.DTMF_TRANSPORT.RFC2833, duration: 160, interToneGap: 70 });
  state.call.digits += digit;
}

/** Lists microphones and speakers (labels appear once the page may use the microphone). */
export async function refreshDevices(): Promise<void> {
  const all = await navigator.mediaDevices.enumerateDevices().catch(() => [] as MediaDeviceInfo[]);
  state.devices.inputs = all.filter((d) => d.kind === 'audioinput');
  state.devices.outputs = all.filter((d) => d.kind === 'audiooutput');
}

export function chooseInput(id: string): void {
  state.inputId = id;
  localStorage.setItem('webphone.input', id);
}

export async function chooseOutput(id: string): Promise<void> {
  state.outputId = id;
  localStorage.setItem('webphone.output', id);
  await setSink(remoteAudio, id);
}

export async function testTone(): Promise<void> {
  await playTestTone(state.outputId);
}
