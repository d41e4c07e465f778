/**
 * What a browser registered over SIP WebSocket does to the emulated Asterisk's channels: its
 * 180 and 200 to an INVITE, its BYE or CANCEL, RFC 4733 digits, hold re-INVITEs, and the calls
 * it places (an INVITE from the phone enters the dialplan like any phone's call). Also what
 * the party on a browser's channel hears, for the media sent to it.
 */
import type { Channels } from './channels.js';
import type { Endpoints } from './endpoints.js';
import type { Channel, World } from './world.js';

/** What a channel hears now, for the media sent to a browser. */
export type HeardAudio = { kind: 'voice' } | { kind: 'channel'; channelId: string } | { kind: 'silence' };

export class BrowserCalls {
  constructor(
    private readonly w: World,
    private readonly channels: Channels,
    private readonly endpoints: Endpoints,
  ) {}

  private live(channelId: string): Channel | undefined {
    const c = this.w.chans.get(channelId);
    return c && !c.hangingUp ? c : undefined;
  }

  /** The browser's 180 Ringing. */
  ringing(channelId: string): void {
    const c = this.live(channelId);
    if (c) this.channels.ringing(c);
  }

  /** The browser's 200 OK to Asterisk's INVITE, or Asterisk's 200 OK to the browser's. */
  answered(channelId: string): void {
    const c = this.live(channelId);
    if (!c) return;
    if (c.origin === 'originate') this.channels.answerOriginate(c);
    else this.w.setState(c, 'Up');
  }

  /** The browser ended the call (BYE, CANCEL, a refusal, its WebSocket gone). */
  ended(channelId: string, cause: number): void {
    const c = this.live(channelId);
    if (!c) return;
    if (!c.answered && c.origin === 'originate') this.channels.failOriginate(c, cause);
    else this.channels.hangup(c, cause, false);
  }

  /** An RFC 4733 event (or SIP INFO) from the browser. */
  dtmf(channelId: string, digit: string, durationMs: number): void {
    const c = this.live(channelId);
    if (c) this.channels.receiveDigit(c, digit, durationMs);
  }

  /** A re-INVITE with sendonly/inactive (hold) or back to sendrecv, from a browser or any phone. */
  hold(channelId: string, held: boolean): void {
    const c = this.live(channelId);
    if (c) this.w.channelEvent(c, held ? 'ChannelHold' : 'ChannelUnhold');
  }

  /**
   * The browser's INVITE: a channel of its endpoint in the phones' context, entering the app as
   * `internal,<dialled>` (dialplan/atende.conf). Its media leg belongs to the browser.
   */
  place(ext: string, dialled: string): { channelId: string } {
    const placed = this.endpoints.placeCall(ext, dialled);
    const c = this.w.chans.get(placed.channelId);
    if (c) c.webphone = true;
    return placed;
  }

  /**
   * An emulated colleague dials a phone directly (`Dial(PJSIP/<ext>)` from the internal
   * context, no app): rings the phone and, once answered, talks until either side hangs up.
   */
  callPhone(ext: string, from: { name: string; number: string }): { channelId: string } {
    const json = this.channels.originate({ endpoint: `PJSIP/${ext}`, context: 'from-internal', extension: ext, callerId: `"${from.name}" <${from.number}>`, timeout: 60 });
    const c = this.w.mustChannel(json.id);
    c.stayOnAnswer = true;
    return { channelId: c.id };
  }

  /** What the party on a channel hears: another browser's audio, an emulated voice or nothing. */
  heardBy(channelId: string): HeardAudio {
    const c = this.live(channelId);
    if (!c || !c.answered) return { kind: 'silence' };
    const bridge = c.bridgeId === undefined ? undefined : this.w.bridges.get(c.bridgeId);
    if (bridge) {
      const others = bridge.channels
        .filter((id) => id !== c.id)
        .map((id) => this.w.chans.get(id))
        .filter((o): o is Channel => o !== undefined);
      const browser = others.find((o) => o.webphone);
      if (browser) return { kind: 'channel', channelId: browser.id };
      if (others.length > 0 || bridge.current || bridge.moh) return { kind: 'voice' };
      return { kind: 'silence' };
    }
    // A prompt, music on hold, or the colleague of a direct call: the emulator has no sound files, so a voice-like tone.
    if (c.current || c.moh || c.stayOnAnswer) return { kind: 'voice' };
    return { kind: 'silence' };
  }
}
