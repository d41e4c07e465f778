/**
 * The public network behind the emulated Asterisk: E1 spans (bearer channels, alarms), calls
 * that arrive from a span or a SIP trunk, and the far ends that outbound dials reach.
 */
import { randomBytes } from 'node:crypto';
import { e2eSipLoop, pstnFarEnd } from './far-end.js';
import { AriError, type SpanAlarm, type SpanConfig, type SpanEvent, type SpanInfo } from './types.js';
import type { DahdiSpanConfig } from './config.js';
import type { Channel, DialTarget, PstnHooks, World } from './world.js';

interface Span extends SpanConfig {
  alarm: SpanAlarm;
  busy: Set<number>;
  /** chan_dahdi has channels on it; a span without any takes no call. */
  configured: boolean;
  /** Timeslots of its bearer channels. */
  slots: number[];
}

export interface InboundCall {
  did: string;
  from: string;
  via?: { span: number } | { trunk: string };
  app?: string;
}

/** E1 timeslots that carry voice: 1–15 and 17–31 (16 is signalling). */
const bearerSlots = [...Array.from({ length: 15 }, (_, i) => i + 1), ...Array.from({ length: 15 }, (_, i) => i + 17)];

const channoOf = (span: number, slot: number): number => (span - 1) * 31 + slot;

export class Pstn implements PstnHooks {
  private readonly spansByNo = new Map<number, Span>();

  constructor(
    private readonly w: World,
    options: { spans?: SpanConfig[] },
  ) {
    for (const s of options.spans ?? []) this.spansByNo.set(s.span, { ...s, alarm: 'none', busy: new Set(), configured: true, slots: bearerSlots });
  }

  /**
   * chan_dahdi.conf as read at start or at `module reload chan_dahdi`: the card's spans take the
   * signalling, group and channels configured for them; channels on a span the card does not
   * have cannot be opened. Returns the problems chan_dahdi would log.
   */
  applyChanDahdi(configs: readonly DahdiSpanConfig[]): string[] {
    const problems: string[] = [];
    const wanted = new Map(configs.map((c) => [c.span, c]));
    for (const c of configs) {
      if (!this.spansByNo.has(c.span)) problems.push(`Unable to open channel ${c.channels[0] ?? ''}: No such device or address (no span ${c.span} on the card)`);
    }
    for (const s of this.spansByNo.values()) {
      const c = wanted.get(s.span);
      s.configured = c !== undefined;
      if (c) {
        s.signalling = c.signalling;
        s.group = c.group;
        s.slots = c.channels.map((ch) => ((ch - 1) % 31) + 1).filter((ts) => ts !== 16);
      } else s.slots = [];
    }
    return problems;
  }

  // ---------------------------------------------------------------- inbound calls (the far end calls us)

  placeInboundCall(call: InboundCall): { channelId: string } {
    if (!call.did) throw new AriError(400, 'did is required');
    const via = call.via ?? this.defaultVia();
    let name: string;
    let context: string;
    let trunkRef: string;
    let span: Channel['span'];
    let protocolId = '';
    if ('span' in via) {
      const s = this.spansByNo.get(via.span);
      if (!s) throw new AriError(404, `Span ${via.span} does not exist`);
      if (!s.configured) throw new AriError(409, `Span ${via.span} has no channels in chan_dahdi.conf`);
      if (s.alarm !== 'none') throw new AriError(409, `Span ${via.span} is in ${s.alarm} alarm`);
      const slot = s.slots.find((ts) => !s.busy.has(ts));
      if (slot === undefined) throw new AriError(409, `Span ${via.span} has no free channel`);
      s.busy.add(slot);
      const channo = channoOf(s.span, slot);
      span = { span: s.span, channo };
      name = `DAHDI/${channo}-1`;
      context = 'atende-from-pstn';
      trunkRef = `span:${s.span}`;
    } else {
      if (!this.w.endpoints.isTrunk(via.trunk) && via.trunk !== e2eSipLoop.in) throw new AriError(404, `Trunk ${via.trunk} does not exist`);
      name = `PJSIP/${via.trunk}-${this.w.names.next('PJSIP')}`;
      context = 'atende-from-trunk';
      trunkRef = `trunk:${via.trunk}`;
      protocolId = `${randomBytes(12).toString('hex')}@emulator`;
    }
    const c = this.w.newChannel({
      name,
      state: 'Ring',
      caller: { name: '', number: call.from },
      dialplan: { context, exten: call.did, priority: 2, app_name: '', app_data: '' },
      origin: 'dialplan',
      protocolId,
    });
    c.span = span;
    this.w.stasisFromDialplan(c, ['inbound', call.did, trunkRef], call.app);
    return { channelId: c.id };
  }

  private defaultVia(): { span: number } | { trunk: string } {
    const span = this.spansByNo.keys().next();
    if (!span.done) return { span: span.value };
    const trunk = this.w.endpoints.firstTrunk();
    if (trunk !== undefined) return { trunk };
    throw new AriError(400, 'No span or trunk configured');
  }

  // ---------------------------------------------------------------- dialling out

  dialTrunk(resource: string): DialTarget | undefined {
    const at = resource.indexOf('@');
    const uri = /^([^/]+)\/sips?:([^@;]+)/.exec(resource);
    const [trunk, number] = at > 0 ? [resource.slice(at + 1), resource.slice(0, at)] : uri ? [uri[1] ?? '', uri[2] ?? ''] : ['', ''];
    if (!trunk || !this.w.endpoints.isTrunk(trunk)) return undefined;
    const state = this.w.endpoints.trunkState(trunk);
    // A congested provider answers 503 (→ 34); one whose host does not resolve never gets the INVITE (PJSIP reports 503 too).
    const far = state === 'ok' ? pstnFarEnd(number, 1) : { ringAfterMs: 0, fail: { cause: 34, afterMs: 200 }, amd: 'NOTSURE' as const, afterAnswer: { kind: 'stay' as const } };
    return { name: `PJSIP/${trunk}-${this.w.names.next('PJSIP')}`, number, far };
  }

  dialSpan(resource: string): DialTarget {
    const allocationFailed = () => new AriError(500, 'Allocation failed');
    const m = /^(?:([gGrR])(\d+)|(\d+))\/(.+)$/.exec(resource);
    if (!m) throw allocationFailed();
    const number = m[4] ?? '';
    let found: { s: Span; slot: number } | undefined;
    if (m[2] !== undefined) {
      const group = Number(m[2]);
      const descending = m[1] === 'G' || m[1] === 'R';
      const spans = [...this.spansByNo.values()].filter((s) => s.configured && s.group === group && s.alarm === 'none');
      if (descending) spans.reverse();
      for (const s of spans) {
        const slots = descending ? [...s.slots].reverse() : s.slots;
        const slot = slots.find((ts) => !s.busy.has(ts));
        if (slot !== undefined) {
          found = { s, slot };
          break;
        }
      }
    } else {
      const channo = Number(m[3]);
      const s = this.spansByNo.get(Math.floor((channo - 1) / 31) + 1);
      const slot = ((channo - 1) % 31) + 1;
      if (s && s.configured && s.alarm === 'none' && s.slots.includes(slot) && !s.busy.has(slot)) found = { s, slot };
    }
    // No free, alarm-free bearer channel: chan_dahdi refuses the request (congestion).
    if (!found) throw allocationFailed();
    found.s.busy.add(found.slot);
    const channo = channoOf(found.s.span, found.slot);
    // MFC/R2 signals "unallocated number" as cause 20 (ASTERISK-FACTS); ISDN keeps 1.
    const unallocated = found.s.signalling === 'mfcr2' ? 20 : 1;
    return { name: `DAHDI/${channo}-1`, number, far: pstnFarEnd(number, unallocated), span: { span: found.s.span, channo } };
  }

  releaseBearer(c: Channel): void {
    if (c.span) this.spansByNo.get(c.span.span)?.busy.delete(c.span.channo - (c.span.span - 1) * 31);
  }

  // ---------------------------------------------------------------- the line

  setSpanAlarm(span: number, alarm: 'red' | 'yellow' | 'blue' | 'clear'): void {
    const s = this.spansByNo.get(span);
    if (!s) throw new AriError(404, `Span ${span} does not exist`);
    const next: SpanAlarm = alarm === 'clear' ? 'none' : alarm;
    if (s.alarm === next) return;
    s.alarm = next;
    const ev: SpanEvent = { span, alarm: next };
    this.w.emit('span', ev);
    if (next !== 'none') {
      // Calls on a span that lost its line are cut (network out of order).
      for (const c of [...this.w.chans.values()]) {
        if (c.span?.span === span && !c.hangingUp) {
          if (!c.answered && c.origin === 'originate') this.w.channels.failOriginate(c, 38);
          else this.w.channels.hangup(c, 38, false);
        }
      }
    }
  }

  spans(): SpanInfo[] {
    return [...this.spansByNo.values()].map((s) => ({
      span: s.span,
      alarm: s.alarm,
      signalling: s.signalling,
      group: s.group,
      configured: s.configured,
      channels: s.slots.length,
      activeChannels: s.busy.size,
      firstChannel: channoOf(s.span, 1),
    }));
  }
}
