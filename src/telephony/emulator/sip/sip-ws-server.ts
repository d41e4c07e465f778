/**
 * SIP over WebSocket (RFC 7118) as Asterisk's res_pjsip_transport_websocket + chan_pjsip
 * serve a WebRTC endpoint: REGISTER with digest authentication and expiry, INVITE both ways
 * (the browser calling into the app, the app calling the browser), CANCEL and BYE both ways,
 * re-INVITE hold, INFO and RFC 4733 DTMF, OPTIONS. Media is a real WebRTC leg per call
 * (webrtc-leg.ts).
 *
 * The server knows nothing of channels: a `SipHost` (the emulator's glue) answers who the
 * endpoints are and turns what the phone does into channel operations; the host tells the
 * server what the app did (answer, hang up) and when to ring a phone.
 *
 * The WebSocket is a reliable transport, so nothing is retransmitted (RFC 3261 §17: timers
 * A, E and G apply only to unreliable transports; the 2xx retransmission of §13.3.1.4 is
 * left out, a deliberate simplification).
 */
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { RawData, WebSocket } from 'ws';
import type { Clock, Timer } from '../../../kernel/clock.js';
import { causeForSipStatus, sipAnswerOfCause } from '../../causes.js';
import { challengeHeader, verifyDigest, DEFAULT_REALM, type DigestServer } from './digest.js';
import {
  cseq,
  formatNameAddr,
  formatUri,
  formatVia,
  header,
  headers,
  param,
  parseMessage,
  parseNameAddr,
  parseUri,
  parseVia,
  reasonOf,
  responseTo,
  serialize,
  withParam,
  type NameAddr,
  type SipMessage,
  type SipRequest,
  type SipResponse,
} from './message.js';
import { Registrar, type AorSettings, type Contact } from './registrar.js';
import { answerDirection, audioDirection, isHold, rewriteDirection, settleSetup } from './sdp.js';
import { WebRtcLeg, type LegStats, type WebRtcLegOptions } from './webrtc-leg.js';

export const SERVER_AGENT = 'Asterisk PBX 22.10.1';
const ALLOW = 'OPTIONS, REGISTER, SUBSCRIBE, NOTIFY, PUBLISH, INVITE, ACK, BYE, CANCEL, UPDATE, PRACK, MESSAGE, REFER';
const SUPPORTED = '100rel, timer, replaces, norefersub';

export interface SipEndpoint {
  /** The auth password; undefined: the endpoint has no auth and cannot register over WebSocket. */
  password?: string;
  aor: AorSettings;
  callerId: { name: string; number: string };
}

export interface SipHost {
  /** The PJSIP endpoint (same name as its auth user and AOR) or undefined when there is none. */
  endpoint(name: string): SipEndpoint | undefined;
  /** The AOR's contacts after a change (registration, expiry, a closed connection). */
  contactsChanged(aor: string, contacts: Contact[], change: { added: Contact[]; removed: Contact[] }): void;
  /** The phone dials `dialled`: a new channel in the app (`internal,<dialled>`); its id. Throws to refuse. */
  placeCall(aor: string, dialled: string): string;
  /** The phone rings (180) for the call the app placed to it. */
  ringing(channelId: string): void;
  /** The phone answered the call the app placed to it. */
  answered(channelId: string): void;
  /** The phone ended the call (BYE, CANCEL, a refusal, its connection gone) with this Q.850 cause. */
  ended(channelId: string, cause: number): void;
  hold(channelId: string, held: boolean): void;
  dtmf(channelId: string, digit: string, durationMs: number): void;
  /** 20 ms (or so) of what the phone's microphone sends, as 16-bit PCM. */
  audio(channelId: string, pcm: Buffer): void;
}

export interface SipWsServerOptions {
  host: SipHost;
  clock: Clock;
  logger: Logger;
  realm?: string;
  /** Host[:port] this server names itself with in Via and Contact. */
  serverHost: string;
  media?: WebRtcLegOptions;
}

interface Connection {
  id: string;
  ws: WebSocket;
  remote: { host: string; port: number };
}

type CallState = 'offering' | 'ringing' | 'up' | 'ending' | 'ended';

interface Call {
  channelId: string;
  aor: string;
  /** `in`: the phone called us; `out`: we called the phone. */
  direction: 'in' | 'out';
  conn: Connection;
  callId: string;
  localTag: string;
  remoteTag?: string;
  /** Our From/To as sent (out) or our To (in). */
  local: NameAddr;
  remote: NameAddr;
  /** Where in-dialog requests go: the phone's Contact. */
  remoteTarget: string;
  localSeq: number;
  remoteSeq: number;
  state: CallState;
  leg: WebRtcLeg;
  localSdp?: string;
  /** The phone's INVITE that is waiting for our final answer (in). */
  invite?: SipRequest;
  /** Our INVITE's Via branch and CSeq number (out). */
  inviteBranch?: string;
  inviteSeq?: number;
  inviteUri?: string;
  cancelled?: boolean;
  held: boolean;
}

const token = (bytes = 8) => randomBytes(bytes).toString('hex');
const branch = () => `z9hG4bK${token(10)}`;

export class SipWsServer {
  private readonly host: SipHost;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly digest: DigestServer;
  private readonly opaque = token(16);
  private readonly registrar = new Registrar();
  private readonly connections = new Map<string, Connection>();
  private readonly calls = new Map<string, Call>();
  private expiryTimer?: Timer;
  private connectionSeq = 0;
  private closed = false;

  constructor(private readonly o: SipWsServerOptions) {
    this.host = o.host;
    this.clock = o.clock;
    this.log = o.logger;
    this.digest = { realm: o.realm ?? DEFAULT_REALM, secret: token(16) };
  }

  // ---------------------------------------------------------------- connections

  /** A WebSocket upgraded with subprotocol `sip` from `remote`. */
  accept(ws: WebSocket, remote: { host: string; port: number }): void {
    const conn: Connection = { id: `ws-${++this.connectionSeq}`, ws, remote };
    this.connections.set(conn.id, conn);
    this.log.debug({ connection: conn.id, remote }, 'emulator: SIP WebSocket connected');
    ws.on('message', (data: RawData, isBinary: boolean) => {
      const text = Buffer.isBuffer(data) ? data.toString('utf8') : Array.isArray(data) ? Buffer.concat(data).toString('utf8') : Buffer.from(data).toString('utf8');
      if (!isBinary && text.trim() === '') return; // keep-alive (RFC 5626 CRLF)
      this.receive(conn, text);
    });
    ws.on('close', () => this.disconnected(conn));
    ws.on('error', (err) => this.log.debug({ err, connection: conn.id }, 'emulator: SIP WebSocket error'));
  }

  private disconnected(conn: Connection): void {
    if (!this.connections.delete(conn.id)) return;
    this.log.debug({ connection: conn.id }, 'emulator: SIP WebSocket closed');
    for (const call of [...this.calls.values()]) {
      if (call.conn !== conn) continue;
      // Nothing can reach the phone any more: the call ends as if it had not answered (408) or hung up.
      this.endCall(call, call.state === 'up' ? 16 : 18, true);
    }
    const removed = this.registrar.dropConnection(conn.id);
    this.announce(removed, []);
  }

  private send(conn: Connection, m: SipMessage): void {
    if (conn.ws.readyState !== conn.ws.OPEN) return;
    conn.ws.send(serialize(m));
  }

  private receive(conn: Connection, text: string): void {
    let m: SipMessage;
    try {
      m = parseMessage(text);
    } catch (err) {
      this.log.debug({ err, connection: conn.id }, 'emulator: unparsable SIP message dropped');
      return;
    }
    try {
      if (m.kind === 'request') this.request(conn, m);
      else this.response(conn, m);
    } catch (err) {
      this.log.error({ err }, 'emulator: SIP message handling failed');
      if (m.kind === 'request' && m.method !== 'ACK') this.reply(conn, m, 500);
    }
  }

  private reply(conn: Connection, req: SipRequest, status: number, opts: { reason?: string; toTag?: string; headers?: [string, string][]; body?: string } = {}): void {
    const extra: [string, string][] = [['Server', SERVER_AGENT], ...(opts.headers ?? [])];
    this.send(conn, responseTo(req, status, opts.reason ?? reasonOf(status), { toTag: opts.toTag ?? (status > 100 ? token(4) : undefined), headers: extra, ...(opts.body !== undefined ? { body: opts.body } : {}) }));
  }

  // ---------------------------------------------------------------- requests from the phone

  private request(conn: Connection, req: SipRequest): void {
    const inDialog = this.findCall(req);
    switch (req.method) {
      case 'REGISTER':
        return this.register(conn, req);
      case 'INVITE':
        return inDialog ? this.reinvite(conn, inDialog, req) : void this.invite(conn, req);
      case 'ACK':
        return; // for our 2xx (nothing to retransmit) or our error response (transaction over)
      case 'CANCEL':
        return this.cancel(conn, req);
      case 'BYE':
        if (!inDialog) return this.reply(conn, req, 481);
        this.reply(conn, req, 200, { toTag: inDialog.localTag });
        return this.endCall(inDialog, 16, true);
      case 'INFO':
        return this.info(conn, inDialog, req);
      case 'OPTIONS':
        return this.reply(conn, req, 200, { headers: [['Allow', ALLOW], ['Accept', 'application/sdp'], ['Supported', SUPPORTED]] });
      case 'UPDATE':
        if (!inDialog) return this.reply(conn, req, 481);
        return this.reply(conn, req, 200, { toTag: inDialog.localTag });
      default:
        return this.reply(conn, req, 405, { headers: [['Allow', ALLOW]] });
    }
  }

  /** The endpoint a request names by its From user, once its Authorization checks out; otherwise the challenge is sent. */
  private authenticate(conn: Connection, req: SipRequest): { aor: string; endpoint: SipEndpoint } | undefined {
    const from = parseNameAddr(header(req, 'From') ?? '');
    const user = from.uri.user ?? '';
    const endpoint = this.host.endpoint(user);
    const nowS = Math.floor(this.clock.now() / 1000);
    const verdict = verifyDigest(this.digest, header(req, 'Authorization'), req.method, user, endpoint?.password, nowS);
    if (verdict === 'ok' && endpoint) return { aor: user, endpoint };
    if (verdict === 'wrong') this.log.info({ user, method: req.method }, 'emulator: SIP authentication failed (wrong password or no such endpoint)');
    // Asterisk challenges again for a wrong answer too, so a name cannot be told from a password.
    this.reply(conn, req, 401, { headers: [['WWW-Authenticate', challengeHeader(this.digest, nowS, this.opaque, verdict === 'stale')]] });
    return undefined;
  }

  private register(conn: Connection, req: SipRequest): void {
    const auth = this.authenticate(conn, req);
    if (!auth) return;
    const star = headers(req, 'Contact').some((c) => c.trim() === '*');
    const contacts = headers(req, 'Contact')
      .filter((c) => c.trim() !== '*')
      .map((c) => {
        const na = parseNameAddr(c);
        const e = param(na.params, 'expires');
        return { uri: na.uri, ...(e !== undefined && /^\d+$/.test(e) ? { expires: Number(e) } : {}) };
      });
    const expiresRaw = header(req, 'Expires');
    const via = parseVia(header(req, 'Via') ?? '');
    const result = this.registrar.register(
      auth.aor,
      auth.endpoint.aor,
      {
        contacts,
        star,
        ...(expiresRaw !== undefined && /^\d+$/.test(expiresRaw.trim()) ? { expiresHeader: Number(expiresRaw.trim()) } : {}),
        callId: header(req, 'Call-ID') ?? '',
        userAgent: header(req, 'User-Agent') ?? '',
        connectionId: conn.id,
        source: conn.remote,
        transport: 'WS',
        viaAddress: `${via.host}:${via.port ?? 0}`,
      },
      this.clock.now(),
    );
    if (result.status !== 200) {
      this.log.info({ aor: auth.aor, status: result.status, reason: result.reason }, 'emulator: REGISTER refused');
      return this.reply(conn, req, result.status);
    }
    const now = this.clock.now();
    const contactHeaders: [string, string][] = result.contacts.map((c) => ['Contact', `<${c.uri}>;expires=${Math.max(0, Math.round((c.expiresAt - now) / 1000))}`]);
    this.reply(conn, req, 200, {
      headers: [
        ['Date', new Date(now).toUTCString()],
        ...contactHeaders,
        ...(result.expiresHeader !== undefined ? ([['Expires', String(result.expiresHeader)]] as [string, string][]) : []),
      ],
    });
    this.announce(result.removed, result.added);
    this.scheduleExpiry();
  }

  private announce(removed: Contact[], added: Contact[]): void {
    const aors = new Set([...removed, ...added].map((c) => c.aor));
    for (const aor of aors) {
      this.host.contactsChanged(aor, this.registrar.contacts(aor), {
        added: added.filter((c) => c.aor === aor),
        removed: removed.filter((c) => c.aor === aor),
      });
    }
  }

  private scheduleExpiry(): void {
    this.expiryTimer?.cancel();
    this.expiryTimer = undefined;
    const next = this.registrar.nextExpiry();
    if (next === undefined || this.closed) return;
    this.expiryTimer = this.clock.setTimeout(() => {
      this.expiryTimer = undefined;
      const removed = this.registrar.expire(this.clock.now());
      if (removed.length > 0) this.log.info({ contacts: removed.map((c) => c.uri) }, 'emulator: SIP contacts expired');
      this.announce(removed, []);
      this.scheduleExpiry();
    }, Math.max(0, next - this.clock.now()));
  }

  /** The phone calls: authenticate, 100 Trying, our answer SDP, a channel in the app; 200 OK waits for the app's answer. */
  private async invite(conn: Connection, req: SipRequest): Promise<void> {
    const auth = this.authenticate(conn, req);
    if (!auth) return;
    const ruri = parseUri(req.uri);
    const dialled = ruri.user ?? '';
    this.reply(conn, req, 100, { toTag: '' });
    if (!/^[+0-9*#]{1,40}$/.test(dialled)) return this.reply(conn, req, 404);
    if (req.body.trim() === '') return this.reply(conn, req, 488); // a WebRTC phone always offers
    const leg = new WebRtcLeg(this.o.media);
    let sdp: string;
    try {
      sdp = await leg.answer(req.body);
    } catch (err) {
      this.log.info({ err }, 'emulator: unusable SDP offer');
      await leg.close();
      return this.reply(conn, req, 488);
    }
    if (this.closed) return void leg.close();
    const from = parseNameAddr(header(req, 'From') ?? '');
    const to = parseNameAddr(header(req, 'To') ?? '');
    const localTag = token(6);
    let channelId: string;
    try {
      channelId = this.host.placeCall(auth.aor, dialled);
    } catch (err) {
      this.log.info({ err, aor: auth.aor, dialled }, 'emulator: call from phone refused');
      await leg.close();
      return this.reply(conn, req, 503, { toTag: localTag });
    }
    const call: Call = {
      channelId,
      aor: auth.aor,
      direction: 'in',
      conn,
      callId: header(req, 'Call-ID') ?? '',
      localTag,
      remoteTag: param(from.params, 'tag'),
      local: { ...to, params: withParam(to.params, 'tag', localTag) },
      remote: from,
      remoteTarget: formatUri(parseNameAddr(header(req, 'Contact') ?? formatNameAddr(from)).uri),
      localSeq: Math.floor(Math.random() * 10000) + 1,
      remoteSeq: cseq(req).seq,
      state: 'offering',
      leg,
      localSdp: sdp,
      invite: req,
      held: false,
    };
    this.calls.set(channelId, call);
    this.wireLeg(call);
  }

  private reinvite(conn: Connection, call: Call, req: SipRequest): void {
    if (call.state !== 'up') return this.reply(conn, req, 491, { toTag: call.localTag });
    call.remoteSeq = cseq(req).seq;
    const offered = req.body.trim() === '' ? 'sendrecv' : audioDirection(req.body);
    const held = isHold(offered);
    call.localSdp = rewriteDirection(call.localSdp ?? '', answerDirection(offered));
    this.reply(conn, req, 200, { toTag: call.localTag, headers: [['Contact', this.contact()], ['Content-Type', 'application/sdp'], ['Allow', ALLOW]], body: call.localSdp });
    if (held !== call.held) {
      call.held = held;
      this.host.hold(call.channelId, held);
    }
  }

  private cancel(conn: Connection, req: SipRequest): void {
    const branchOf = (m: SipMessage) => param(parseVia(header(m, 'Via') ?? '').params, 'branch');
    const call = [...this.calls.values()].find((c) => c.direction === 'in' && c.invite && c.callId === header(req, 'Call-ID') && branchOf(c.invite) === branchOf(req));
    if (!call || !call.invite || call.state !== 'offering') return this.reply(conn, req, 481);
    this.reply(conn, req, 200);
    this.reply(conn, call.invite, 487, { toTag: call.localTag });
    call.invite = undefined;
    // pjsip ends the session with 487, which chan_pjsip turns into cause 127.
    this.endCall(call, 127, true);
  }

  private info(conn: Connection, call: Call | undefined, req: SipRequest): void {
    if (!call) return this.reply(conn, req, 481);
    const type = (header(req, 'Content-Type') ?? '').toLowerCase();
    let digit: string | undefined;
    let duration = 100;
    if (type.startsWith('application/dtmf-relay')) {
      digit = /signal\s*=\s*([0-9A-Da-d*#])/i.exec(req.body)?.[1];
      const d = /duration\s*=\s*(\d+)/i.exec(req.body)?.[1];
      if (d) duration = Number(d);
    } else if (type.startsWith('application/dtmf')) {
      digit = /^\s*([0-9A-Da-d*#])/.exec(req.body)?.[1];
    }
    this.reply(conn, req, 200, { toTag: call.localTag });
    if (digit) this.host.dtmf(call.channelId, digit.toUpperCase(), duration);
  }

  // ---------------------------------------------------------------- responses from the phone

  private response(conn: Connection, res: SipResponse): void {
    const { method } = cseq(res);
    const b = param(parseVia(header(res, 'Via') ?? '').params, 'branch');
    const call = [...this.calls.values()].find((c) => c.direction === 'out' && c.inviteBranch === b && c.conn === conn);
    if (method !== 'INVITE' || !call) return; // answers to our BYE, CANCEL, OPTIONS need nothing more
    const to = parseNameAddr(header(res, 'To') ?? '');
    if (res.status < 200) {
      if (res.status >= 180 && call.state === 'offering') {
        call.state = 'ringing';
        this.host.ringing(call.channelId);
      }
      return;
    }
    call.remoteTag = param(to.params, 'tag');
    call.remote = to;
    if (res.status >= 300) {
      this.ackError(call, res);
      if (call.cancelled) return this.forget(call);
      this.log.info({ channel: call.channelId, status: res.status }, 'emulator: phone refused the call');
      return this.endCall(call, causeForSipStatus(res.status), true);
    }
    const contact = header(res, 'Contact');
    if (contact) call.remoteTarget = formatUri(parseNameAddr(contact).uri);
    this.sendInDialog(call, 'ACK', [], '', call.inviteSeq);
    if (call.cancelled || call.state === 'ending' || call.state === 'ended') {
      // Our CANCEL crossed the phone's 200 OK: the call is up for a moment, then we hang up.
      call.state = 'up';
      return this.endCall(call, 16, false);
    }
    call.state = 'up';
    // Later re-INVITEs from the phone get this SDP back as an answer.
    if (call.localSdp) call.localSdp = settleSetup(call.localSdp, res.body);
    void call.leg.accept(res.body).then(
      () => this.host.answered(call.channelId),
      (err: unknown) => {
        this.log.info({ err, channel: call.channelId }, 'emulator: unusable SDP answer from phone');
        this.endCall(call, 58, false);
      },
    );
  }

  private ackError(call: Call, res: SipResponse): void {
    const headersOut: [string, string][] = [
      ['Via', formatVia({ transport: 'WS', host: this.o.serverHost, params: [['branch', call.inviteBranch ?? branch()], ['rport', '']] })],
      ['Max-Forwards', '70'],
      ['From', formatNameAddr(call.local)],
      ['To', header(res, 'To') ?? formatNameAddr(call.remote)],
      ['Call-ID', call.callId],
      ['CSeq', `${call.inviteSeq ?? 1} ACK`],
    ];
    this.send(call.conn, { kind: 'request', method: 'ACK', uri: call.inviteUri ?? call.remoteTarget, headers: headersOut, body: '' });
  }

  // ---------------------------------------------------------------- what the app does

  /** Registered contacts of an AOR. */
  contacts(aor: string): Contact[] {
    return this.registrar.contacts(aor);
  }

  /** Every registered contact of every AOR. */
  allContacts(): Contact[] {
    return this.registrar.all();
  }

  /** The media counters of a call's leg. */
  callStats(channelId: string): LegStats | undefined {
    return this.calls.get(channelId)?.leg.stats;
  }

  leg(channelId: string): WebRtcLeg | undefined {
    const c = this.calls.get(channelId);
    return c && c.state === 'up' && !c.held ? c.leg : undefined;
  }

  isHeld(channelId: string): boolean {
    return this.calls.get(channelId)?.held ?? false;
  }

  /**
   * The app dialled `PJSIP/<aor>`: INVITE its first contact (chan_pjsip rings one contact of
   * the AOR, not all). False when the AOR has no contact on this server.
   */
  ring(channelId: string, aor: string, caller: { name: string; number: string }): boolean {
    const contact = this.registrar.contacts(aor)[0];
    const conn = contact ? this.connections.get(contact.connectionId) : undefined;
    if (!contact || !conn) return false;
    const leg = new WebRtcLeg(this.o.media);
    const localTag = token(6);
    const domain = this.o.serverHost;
    const call: Call = {
      channelId,
      aor,
      direction: 'out',
      conn,
      callId: `${token(12)}`,
      localTag,
      local: { ...(caller.name ? { display: caller.name } : {}), uri: { scheme: 'sip', user: caller.number || 'asterisk', host: domain, params: [] }, params: [['tag', localTag]] },
      remote: { uri: { scheme: 'sip', user: aor, host: domain, params: [] }, params: [] },
      remoteTarget: contact.uri,
      localSeq: Math.floor(Math.random() * 10000) + 1,
      remoteSeq: 0,
      state: 'offering',
      leg,
      held: false,
    };
    this.calls.set(channelId, call);
    this.wireLeg(call);
    void leg.offer().then(
      (sdp) => {
        if (call.state === 'ended' || call.cancelled) return;
        call.localSdp = sdp;
        call.inviteBranch = branch();
        call.inviteSeq = call.localSeq;
        call.inviteUri = contact.uri;
        this.send(conn, {
          kind: 'request',
          method: 'INVITE',
          uri: contact.uri,
          headers: [
            ['Via', formatVia({ transport: 'WS', host: domain, params: [['rport', ''], ['branch', call.inviteBranch]] })],
            ['From', formatNameAddr(call.local)],
            ['To', formatNameAddr(call.remote)],
            ['Contact', this.contact()],
            ['Call-ID', call.callId],
            ['CSeq', `${call.inviteSeq} INVITE`],
            ['Allow', ALLOW],
            ['Supported', SUPPORTED],
            ['Max-Forwards', '70'],
            ['User-Agent', SERVER_AGENT],
            ['Content-Type', 'application/sdp'],
          ],
          body: sdp,
        });
      },
      (err: unknown) => {
        this.log.error({ err, channel: channelId }, 'emulator: could not make an SDP offer');
        this.endCall(call, 58, true);
      },
    );
    return true;
  }

  /** The app answered the phone's call: 200 OK with our SDP. */
  answer(channelId: string): void {
    const call = this.calls.get(channelId);
    if (!call || call.direction !== 'in' || call.state !== 'offering' || !call.invite) return;
    this.reply(call.conn, call.invite, 200, {
      toTag: call.localTag,
      headers: [['Contact', this.contact()], ['Allow', ALLOW], ['Supported', SUPPORTED], ['Content-Type', 'application/sdp']],
      body: call.localSdp ?? '',
    });
    call.invite = undefined;
    call.state = 'up';
  }

  /** The app rang the phone's call (ARI ring): 180 Ringing. */
  ringing(channelId: string): void {
    const call = this.calls.get(channelId);
    if (!call || call.direction !== 'in' || call.state !== 'offering' || !call.invite) return;
    this.reply(call.conn, call.invite, 180, { toTag: call.localTag, headers: [['Contact', this.contact()]] });
  }

  /** The channel went away on our side (app hangup, ring timeout, the other party): BYE, CANCEL or a final error. */
  hangup(channelId: string, cause: number): void {
    const call = this.calls.get(channelId);
    if (call) this.endCall(call, cause, false);
  }

  /**
   * Ends a call. `byPhone`: the phone (or its transport) ended it, so the host is told and
   * nothing more is sent; otherwise the phone is told in the way the call's state asks.
   */
  private endCall(call: Call, cause: number, byPhone: boolean): void {
    if (call.state === 'ended') return;
    const was = call.state;
    call.state = 'ended';
    if (!byPhone) {
      if (was === 'up') this.sendInDialog(call, 'BYE', [['Reason', `Q.850;cause=${cause}`]]);
      else if (call.direction === 'in' && call.invite) {
        const answer = sipAnswerOfCause(cause);
        this.reply(call.conn, call.invite, answer.code, { reason: answer.reason, toTag: call.localTag });
      }
      else if (call.direction === 'out' && call.inviteBranch) {
        call.cancelled = true;
        call.state = 'ending';
        this.send(call.conn, {
          kind: 'request',
          method: 'CANCEL',
          uri: call.inviteUri ?? call.remoteTarget,
          headers: [
            ['Via', formatVia({ transport: 'WS', host: this.o.serverHost, params: [['rport', ''], ['branch', call.inviteBranch]] })],
            ['From', formatNameAddr(call.local)],
            ['To', formatNameAddr({ ...call.remote, params: call.remote.params.filter(([k]) => k !== 'tag') })],
            ['Call-ID', call.callId],
            ['CSeq', `${call.inviteSeq ?? 1} CANCEL`],
            ['Max-Forwards', '70'],
            ['Reason', `Q.850;cause=${cause}`],
          ],
          body: '',
        });
        void call.leg.close();
        // The 487 (or a crossing 200) still comes back; the call is forgotten then.
        return;
      }
    } else {
      this.host.ended(call.channelId, cause);
    }
    this.forget(call);
  }

  private forget(call: Call): void {
    call.state = 'ended';
    this.calls.delete(call.channelId);
    void call.leg.close();
  }

  private sendInDialog(call: Call, method: string, extra: [string, string][], body = '', seq?: number): void {
    const n = seq ?? ++call.localSeq;
    const remote = call.remoteTag !== undefined ? { ...call.remote, params: withParam(call.remote.params, 'tag', call.remoteTag) } : call.remote;
    this.send(call.conn, {
      kind: 'request',
      method,
      uri: call.remoteTarget,
      headers: [
        ['Via', formatVia({ transport: 'WS', host: this.o.serverHost, params: [['rport', ''], ['branch', branch()]] })],
        ['From', formatNameAddr(call.local)],
        ['To', formatNameAddr(remote)],
        ['Call-ID', call.callId],
        ['CSeq', `${n} ${method}`],
        ['Max-Forwards', '70'],
        ...extra,
      ],
      body,
    });
  }

  private contact(): string {
    return `<sip:asterisk@${this.o.serverHost};transport=ws>`;
  }

  private findCall(req: SipRequest): Call | undefined {
    const callId = header(req, 'Call-ID');
    const toTag = param(parseNameAddr(header(req, 'To') ?? '').params, 'tag');
    if (toTag === undefined) return undefined;
    return [...this.calls.values()].find((c) => c.callId === callId && c.localTag === toTag);
  }

  private wireLeg(call: Call): void {
    call.leg.onAudio((pcm) => {
      if (call.state === 'up') this.host.audio(call.channelId, pcm);
    });
    call.leg.onDtmf((digit, durationMs) => {
      if (call.state === 'up') this.host.dtmf(call.channelId, digit, durationMs);
    });
  }

  /** The network between the browsers and this server fails for a moment: every WebSocket is cut, as a TCP reset would. */
  dropConnections(): number {
    const all = [...this.connections.values()];
    for (const conn of all) conn.ws.terminate();
    return all.length;
  }

  /** Every connection dropped, every call's media closed. */
  async close(): Promise<void> {
    this.closed = true;
    this.expiryTimer?.cancel();
    for (const call of this.calls.values()) await call.leg.close();
    this.calls.clear();
    for (const conn of this.connections.values()) conn.ws.terminate();
    this.connections.clear();
  }
}
