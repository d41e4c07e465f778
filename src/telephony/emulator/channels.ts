/**
 * Channels of the emulated Asterisk: originate and its dial outcomes, hangup, answer, DTMF,
 * variables, music on hold, continue in dialplan (the AMD context), snoop, RTP statistics.
 */
import { randomBytes } from 'node:crypto';
import type { ChannelSnapshot } from '../call-control.js';
import { dialStatusFor, causeText } from './asterisk-text.js';
import { AMD_VARIABLES } from '../confgen/confgen.model.js';
import { amdResult, causeThroughSip, e2eContext, e2eSipLoop, localFarEnd } from './far-end.js';
import { AriError, type AriChannelJson, type RtcpEvent } from './types.js';
import type { Channel, ChannelHooks, DialTarget, World } from './world.js';

export interface OriginateParams {
  endpoint?: string;
  app?: string;
  appArgs?: string;
  callerId?: string;
  timeout?: number;
  variables?: Record<string, string>;
  channelId?: string;
  originator?: string;
  extension?: string;
  context?: string;
}

export class Channels implements ChannelHooks {
  constructor(private readonly w: World) {}

  /** Every channel, as the CallControl port describes them. */
  snapshots(): ChannelSnapshot[] {
    return [...this.w.chans.values()].map((c) => this.w.snapshot(c));
  }

  /** The live snoop channels: on which channel, and their directions. */
  snoops(): { id: string; of: string; spy: string; whisper: string }[] {
    return [...this.w.chans.values()].flatMap((c) => (c.snoopOf && c.snoopDirections && !c.hangingUp ? [{ id: c.id, of: c.snoopOf, ...c.snoopDirections }] : []));
  }

  list(): AriChannelJson[] {
    return [...this.w.chans.values()].map((c) => this.w.channelJson(c));
  }

  get(id: string): AriChannelJson {
    return this.w.channelJson(this.w.mustChannel(id));
  }

  // ---------------------------------------------------------------- the far end

  /** The far end sends DTMF (RFC 4733 / in-band), one digit after another. */
  async farDtmf(channelId: string, digits: string): Promise<void> {
    const c = this.w.chans.get(channelId);
    if (!c || c.hangingUp) throw new AriError(404, 'Channel not found');
    if (!/^[0-9A-D*#]+$/i.test(digits)) throw new AriError(400, 'digits must be 0-9, A-D, * or #');
    for (const digit of digits.toUpperCase()) {
      if (c.hangingUp || this.w.closed) return;
      this.receiveDigit(c, digit, 100);
      await new Promise<void>((r) => setTimeout(r, this.w.wall(250)));
    }
  }

  /** A digit from the phone's side (RFC 4733, or SIP INFO from a browser). */
  receiveDigit(c: Channel, digit: string, durationMs: number): void {
    this.w.channelEvent(c, 'ChannelDtmfReceived', { digit, duration_ms: durationMs });
    this.w.media.digitReceived(c, digit);
  }

  /** The far end hangs up. */
  farHangup(channelId: string, cause = 16): void {
    const c = this.w.chans.get(channelId);
    if (!c || c.hangingUp) throw new AriError(404, 'Channel not found');
    if (!c.answered && c.origin === 'originate') {
      this.failOriginate(c, cause);
      return;
    }
    this.hangup(c, cause, false);
  }

  // ---------------------------------------------------------------- hangup

  hangup(c: Channel, cause: number, soft: boolean): void {
    if (c.hangingUp) return;
    this.w.channelEvent(c, 'ChannelHangupRequest', soft ? { cause, soft: true } : { cause });
    c.hangingUp = true;
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
    this.w.media.dropPlaybacks(c, 'failed');
    this.w.media.finishRecordingsOf({ channelId: c.id });
    for (const s of [...this.w.chans.values()]) if (s.snoopOf === c.id && !s.hangingUp) this.hangup(s, 16, false);
    if (c.bridgeId) this.w.bridgeOps.leaveBridge(c, this.w.bridges.get(c.bridgeId));
    this.w.leaveStasis(c);
    this.destroy(c, cause);
  }

  /** The channel is gone. Only apps still subscribed (originate/snoop, subscribeAll) hear ChannelDestroyed. */
  destroy(c: Channel, cause: number): void {
    for (const t of c.timers) clearTimeout(t);
    c.timers.clear();
    c.hangingUp = true;
    c.vars.set('HANGUPCAUSE', String(cause));
    if (c.name.startsWith('PJSIP/') && c.answered) {
      // The last RTCP reports of the call, while the channel still exists (AMI looks it up).
      const rttMs = this.w.endpoints.rttMsOf(c.phone);
      for (const direction of ['sent', 'received'] as const) {
        const rtcp: RtcpEvent = { channelId: c.id, channelName: c.name, direction, jitterMs: 2, fractionLost: 0, cumulativeLost: 0, rttMs };
        this.w.emit('rtcp', rtcp);
      }
    }
    this.w.publish(c.subscribed, 'ChannelDestroyed', { cause, cause_txt: causeText(cause), channel: this.w.channelJson(c) });
    this.w.chans.delete(c.id);
    if (c.webphone) this.w.webphones?.ended(c.id, cause);
    const peer = c.peerId === undefined ? undefined : this.w.chans.get(c.peerId);
    if (peer && !peer.hangingUp) {
      // The SIP loop: a call refused before its answer is a final response to the caller.
      if (!peer.answered && peer.origin === 'originate') this.failOriginate(peer, causeThroughSip(cause));
      else this.hangup(peer, cause, false);
    }
    this.w.recordEnded(c, cause);
    this.w.pstn.releaseBearer(c);
    this.w.emitAmiChannel('hangup', c, cause);
  }

  hangupChannel(id: string, reasonCode?: number): void {
    const c = this.w.mustChannel(id);
    const cause = reasonCode ?? 16;
    if (!c.answered && c.origin === 'originate') {
      // Cancelling a ringing originate: the dial is abandoned.
      this.failOriginate(c, cause, 'CANCEL');
      return;
    }
    this.hangup(c, cause, true);
  }

  // ---------------------------------------------------------------- originate

  originate(p: OriginateParams): AriChannelJson {
    if (!p.endpoint) throw new AriError(400, 'Endpoint must be specified');
    if (!p.app && !p.extension) throw new AriError(400, 'Application or extension must be specified');
    if (p.channelId && this.w.chans.has(p.channelId)) throw new AriError(409, 'Channel with given unique ID already exists');
    if (p.originator && !this.w.chans.has(p.originator)) throw new AriError(400, 'Provided originator channel was not found');
    const target = this.resolveDial(p.endpoint);
    const caller = parseCallerId(p.callerId);
    const c = this.w.newChannel({
      id: p.channelId || undefined,
      name: target.name,
      state: 'Down',
      caller,
      connected: { name: '', number: target.number },
      dialplan: { context: p.context ?? 'default', exten: p.extension ?? 's', priority: 1, app_name: '', app_data: '' },
      origin: 'originate',
      protocolId: target.name.startsWith('PJSIP/') ? `${randomBytes(12).toString('hex')}@emulator` : '',
    });
    c.far = target.far;
    c.span = target.span;
    c.phone = target.phone;
    for (const [k, v] of Object.entries(p.variables ?? {})) c.vars.set(k, String(v));
    if (p.app) c.subscribed.add(p.app);
    c.pending = { app: p.app, appArgs: p.appArgs ? p.appArgs.split(',') : [] };
    const dialstring = p.endpoint.slice(p.endpoint.indexOf('/') + 1);
    const far = target.far;
    this.w.later(c, 0, () => this.w.publish(c.subscribed, 'Dial', { peer: this.w.channelJson(c), dialstring, dialstatus: '' }));
    if (target.loopDid !== undefined) {
      const did = target.loopDid;
      this.w.later(c, 0, () => {
        // The dialplan's ATENDE_APP: the app other than the one placing the call (Atende's), when connected.
        const app = [...this.w.apps.keys()].find((a) => a !== p.app) ?? 'atende';
        const { channelId } = this.w.pstn.placeInboundCall({ did, from: caller.number, via: { trunk: e2eSipLoop.in }, app });
        c.peerId = channelId;
        const inbound = this.w.chans.get(channelId);
        if (inbound) inbound.peerId = c.id;
      });
    }
    if (target.webphone && target.phone) {
      const aor = target.phone;
      c.webphone = true;
      // chan_pjsip sends the INVITE; the browser's 180 and 200 drive the rest.
      this.w.later(c, 0, () => {
        if (!this.w.webphones?.ring(c.id, aor, caller)) this.failOriginate(c, 3);
      });
    } else if (far.fail) {
      if (far.ringAfterMs < far.fail.afterMs) this.w.later(c, far.ringAfterMs, () => this.ringing(c));
      const cause = far.fail.cause;
      this.w.later(c, far.fail.afterMs, () => this.failOriginate(c, cause));
    } else {
      this.w.later(c, far.ringAfterMs, () => this.ringing(c));
      if (far.answerAfterMs !== undefined) this.w.later(c, far.ringAfterMs + far.answerAfterMs, () => this.answerOriginate(c));
    }
    const timeout = p.timeout ?? 30;
    if (timeout > 0) this.w.later(c, timeout * 1000, () => !c.answered && this.failOriginate(c, 19));
    return this.w.channelJson(c);
  }

  ringing(c: Channel): void {
    if (c.answered || c.hangingUp) return;
    this.w.setState(c, 'Ringing');
    this.w.publish(c.subscribed, 'Dial', { peer: this.w.channelJson(c), dialstatus: 'RINGING' });
  }

  answerOriginate(c: Channel): void {
    if (c.answered || c.hangingUp) return;
    this.w.setState(c, 'Up');
    this.w.publish(c.subscribed, 'Dial', { peer: this.w.channelJson(c), dialstatus: 'ANSWER' });
    const pending = c.pending;
    c.pending = undefined;
    this.w.later(c, 20, () => {
      if (pending?.app) this.w.enterStasis(c, pending.app, pending.appArgs);
      else if (!c.stayOnAnswer) this.runDialplanAndHangup(c);
    });
    const after = c.far?.afterAnswer;
    if (after?.kind === 'dtmf') {
      this.w.later(c, after.afterMs, () => void this.farDtmf(c.id, after.digits).catch(() => undefined));
    } else if (after?.kind === 'hangup') {
      const cause = after.cause;
      this.w.later(c, after.afterMs, () => this.hangup(c, cause, false));
    }
  }

  /** An originate that never answered: Dial with the final status, then ChannelDestroyed (no StasisStart). */
  failOriginate(c: Channel, cause: number, dialstatus?: string): void {
    if (c.answered || c.hangingUp) return;
    this.w.publish(c.subscribed, 'Dial', { peer: this.w.channelJson(c), dialstatus: dialstatus ?? dialStatusFor(cause) });
    this.destroy(c, cause);
  }

  /** Originate to an extension without an app: the dialplan is not modelled, so it ends at once. */
  private runDialplanAndHangup(c: Channel): void {
    this.w.channelEvent(c, 'ChannelDialplan', { dialplan_app: '', dialplan_app_data: '' });
    this.hangup(c, 16, false);
  }

  /** Where a dial string leads; chan_pjsip / chan_dahdi refusing the request is ARI's 500 "Allocation failed". */
  private resolveDial(endpoint: string): DialTarget {
    const slash = endpoint.indexOf('/');
    const allocationFailed = () => new AriError(500, 'Allocation failed');
    if (slash <= 0) throw new AriError(400, 'Invalid endpoint');
    const tech = endpoint.slice(0, slash).toUpperCase();
    const rest = endpoint.slice(slash + 1);
    if (tech === 'PJSIP') {
      const at = rest.indexOf('@');
      if (at > 0 && rest.slice(at + 1) === e2eSipLoop.out) {
        // Rings until the far side (this same Asterisk's atende-from-trunk) answers or refuses.
        const number = rest.slice(0, at);
        return { name: `PJSIP/${e2eSipLoop.out}-${this.w.names.next('PJSIP')}`, number, far: { ringAfterMs: 0, amd: 'NOTSURE', afterAnswer: { kind: 'stay' } }, loopDid: number };
      }
      const target = this.w.pstn.dialTrunk(rest) ?? this.w.endpoints.dialPhone(rest);
      if (!target) throw allocationFailed();
      return target;
    }
    if (tech === 'DAHDI') return this.w.pstn.dialSpan(rest);
    if (tech === 'LOCAL') {
      const m = /^([^@]+)@([^/]+)(?:\/\w+)?$/.exec(rest);
      if (!m || m[2] !== e2eContext) throw allocationFailed();
      const far = localFarEnd(m[1] ?? '');
      if (!far) throw allocationFailed();
      return { name: `Local/${m[1]}@${m[2]}-${this.w.names.next('Local')};1`, number: m[1] ?? '', far };
    }
    throw allocationFailed();
  }

  // ---------------------------------------------------------------- simple channel operations

  answer(id: string): void {
    const c = this.w.mustStasisChannel(id);
    if (c.state !== 'Up') {
      this.w.setState(c, 'Up');
      // A browser's own call: chan_pjsip sends its 200 OK.
      if (c.webphone && c.origin === 'dialplan') this.w.webphones?.answered(c.id);
    }
    const peer = c.peerId === undefined ? undefined : this.w.chans.get(c.peerId);
    if (peer && !peer.answered) this.answerOriginate(peer);
  }

  ring(id: string): void {
    const c = this.w.mustStasisChannel(id);
    if (c.webphone && c.origin === 'dialplan' && !c.answered) this.w.webphones?.ringback(c.id);
  }

  ringStop(id: string): void {
    this.w.mustStasisChannel(id);
  }

  sendDtmf(id: string, dtmf: string | undefined): void {
    if (!dtmf) throw new AriError(400, 'DTMF is required');
    this.w.mustStasisChannel(id);
  }

  /**
   * ARI's hold queues a hold on the channel as if its phone had asked: apps hear ChannelHold
   * (ChannelUnhold), and the other parties of its bridge hear their own music on hold.
   */
  hold(id: string, held: boolean): void {
    const c = this.w.mustStasisChannel(id);
    if (c.held === held) return;
    c.held = held;
    this.w.channelEvent(c, held ? 'ChannelHold' : 'ChannelUnhold');
  }

  /** Mutes (or unmutes) the channel's audio in a direction; Asterisk sends no event for it. */
  mute(id: string, direction: string, on: boolean): void {
    if (direction !== 'in' && direction !== 'out' && direction !== 'both') throw new AriError(400, 'Invalid direction specified');
    const c = this.w.mustStasisChannel(id);
    const dirs: ('in' | 'out')[] = direction === 'both' ? ['in', 'out'] : [direction];
    for (const d of dirs) {
      if (on) c.muted.add(d);
      else c.muted.delete(d);
    }
  }

  startMoh(id: string, mohClass?: string): void {
    const c = this.w.mustStasisChannel(id);
    c.moh = this.w.mohClassFor(mohClass || 'default', c.name);
  }

  stopMoh(id: string): void {
    const c = this.w.mustStasisChannel(id);
    c.moh = undefined;
  }

  getVariable(id: string, variable: string | undefined): { value: string } {
    if (!variable) throw new AriError(400, 'Variable name is required');
    const c = this.w.mustChannel(id);
    const builtin: Record<string, string> = {
      'CALLERID(num)': c.caller.number,
      'CALLERID(name)': c.caller.name,
      'CALLERID(all)': c.caller.name ? `"${c.caller.name}" <${c.caller.number}>` : c.caller.number,
      UNIQUEID: c.id,
      'CHANNEL(name)': c.name,
      'CHANNEL(state)': c.state,
      'CHANNEL(language)': c.language,
    };
    const value = builtin[variable] ?? c.vars.get(variable);
    if (value === undefined) throw new AriError(404, 'Provided variable was not found');
    return { value };
  }

  setVariable(id: string, variable: string | undefined, value: string | undefined): void {
    if (!variable) throw new AriError(400, 'Variable name is required');
    const c = this.w.mustChannel(id);
    const v = value ?? '';
    if (variable === 'CALLERID(num)') c.caller = { ...c.caller, number: v };
    else if (variable === 'CALLERID(name)') c.caller = { ...c.caller, name: v };
    else if (variable === 'CHANNEL(language)') c.language = v;
    else c.vars.set(variable, v);
    this.w.channelEvent(c, 'ChannelVarset', { variable, value: v });
  }

  /** Leaves the app for the dialplan. The AMD context comes back with the result; others end the call. */
  continueInDialplan(id: string, to: { context?: string; extension?: string; priority?: number; label?: string }): void {
    const c = this.w.mustStasisChannel(id);
    const app = c.stasisApp as string;
    const context = to.context || c.dialplan.context;
    const exten = to.extension || c.dialplan.exten;
    const priority = to.priority ?? c.dialplan.priority + 1;
    this.w.later(c, 0, () => {
      if (c.bridgeId) this.w.bridgeOps.leaveBridge(c, this.w.bridges.get(c.bridgeId));
      this.w.leaveStasis(c);
      if (context === 'atende-amd') {
        // dialplan/atende.conf: s,1 NoOp, one Set per AMD() argument (its default when the
        // variable is empty), AMD(${ATENDE_AMD_…}), Stasis(app,amd,${AMDSTATUS},${AMDCAUSE},${ATENDE_AMD_ARGS}).
        const values = AMD_VARIABLES.map(([name, fallback]) => {
          const raw = c.vars.get(name) ?? '';
          // app_amd reads each argument with atoi(): anything that is not a number is 0.
          const value = raw === '' ? fallback : Number.parseInt(raw, 10) || 0;
          c.vars.set(name, String(value));
          return value;
        });
        const amdArgs = values.join(',');
        c.dialplan = { context, exten, priority: priority + AMD_VARIABLES.length + 1, app_name: 'AMD', app_data: amdArgs };
        this.w.channelEvent(c, 'ChannelDialplan', { dialplan_app: 'AMD', dialplan_app_data: amdArgs });
        const result = amdResult(c.far?.amd ?? 'NOTSURE', { greeting: values[1]!, afterGreetingSilence: values[2]!, totalAnalysisTime: values[3]! });
        this.w.later(c, result.afterMs, () => {
          this.setVariable(c.id, 'AMDSTATUS', result.status);
          this.setVariable(c.id, 'AMDCAUSE', result.cause);
          c.dialplan = { ...c.dialplan, priority: c.dialplan.priority + 1 };
          const carried = (c.vars.get('ATENDE_AMD_ARGS') ?? '').split(',');
          this.w.enterStasis(c, app, ['amd', result.status, result.cause, ...carried]);
        });
      } else {
        c.dialplan = { context, exten, priority, app_name: '', app_data: '' };
        this.w.channelEvent(c, 'ChannelDialplan', { dialplan_app: '', dialplan_app_data: '' });
        // Nothing else of the dialplan is modelled: the channel falls off the end and hangs up.
        this.w.later(c, 10, () => this.hangup(c, 16, false));
      }
    });
  }

  snoop(
    id: string,
    p: { spy?: string; whisper?: string; app?: string; appArgs?: string; snoopId?: string },
  ): AriChannelJson {
    const spy = p.spy ?? 'none';
    const whisper = p.whisper ?? 'none';
    const dirs = ['none', 'both', 'out', 'in'];
    if (!dirs.includes(spy) || !dirs.includes(whisper)) throw new AriError(400, 'Invalid direction specified');
    if (spy === 'none' && whisper === 'none') throw new AriError(400, 'Direction must be specified for at least spy or whisper');
    if (!p.app) throw new AriError(400, 'Application name is required');
    const target = this.w.mustChannel(id);
    if (p.snoopId && this.w.chans.has(p.snoopId)) throw new AriError(409, 'Channel with given unique ID already exists');
    const s = this.w.newChannel({
      id: p.snoopId || undefined,
      name: `Snoop/${target.id}-${this.w.names.next('Snoop')}`,
      state: 'Up',
      dialplan: { context: 'default', exten: 's', priority: 1, app_name: '', app_data: '' },
      origin: 'snoop',
    });
    s.snoopOf = target.id;
    s.snoopDirections = { spy, whisper };
    s.subscribed.add(p.app);
    const app = p.app;
    const args = p.appArgs ? p.appArgs.split(',') : [];
    this.w.later(s, 0, () => this.w.enterStasis(s, app, args));
    return this.w.channelJson(s);
  }

  rtpStatistics(id: string): Record<string, unknown> {
    const c = this.w.mustChannel(id);
    if (!c.name.startsWith('PJSIP/')) throw new AriError(404, 'Channel does not have RTP statistics');
    const packets = Math.round(((Date.now() - c.created) * this.w.speed) / 20);
    return {
      txcount: packets,
      rxcount: packets,
      txjitter: 0.002,
      rxjitter: 0.002,
      remote_maxjitter: 0.004,
      remote_minjitter: 0,
      remote_normdevjitter: 0.001,
      remote_stdevjitter: 0.001,
      local_maxjitter: 0.004,
      local_minjitter: 0,
      local_normdevjitter: 0.001,
      local_stdevjitter: 0.001,
      txploss: 0,
      rxploss: 0,
      remote_maxrxploss: 0,
      local_maxrxploss: 0,
      rtt: this.w.endpoints.rttMsOf(c.phone) / 1000,
      maxrtt: 0.03,
      minrtt: 0.01,
      normdevrtt: 0.001,
      stdevrtt: 0.001,
      local_ssrc: 1,
      remote_ssrc: 2,
      txoctetcount: packets * 160,
      rxoctetcount: packets * 160,
      channel_uniqueid: c.id,
    };
  }
}

function parseCallerId(raw: string | undefined): { name: string; number: string } {
  if (!raw) return { name: '', number: '' };
  const m = /^\s*"?([^"<]*?)"?\s*<([^>]*)>\s*$/.exec(raw);
  if (m) return { name: (m[1] ?? '').trim(), number: (m[2] ?? '').trim() };
  return { name: '', number: raw.trim() };
}
