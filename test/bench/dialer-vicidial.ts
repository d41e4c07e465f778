/**
 * VICIdial's outbound pacing, re-implemented for comparison from how its two processes work
 * (AST_VDadapt.pl adjusts the campaign's dial level; AST_VDauto_dial.pl places calls):
 *
 * - Placing calls, every 2.5 s: goal = round(dial level × agents counted), where agents
 *   counted are those READY (idle) or INCALL (on a call); agents in the disposition screen
 *   after a call are PAUSED and not counted. Calls to place = goal − calls the campaign has
 *   (sent, ringing, answered and waiting, or with an agent), capped by the free trunks.
 * - Adapting, for ADAPT_* methods: a one-second sample of ready agents, answered calls waiting
 *   for an agent and logged-in agents, kept for the last 15 samples. Every 15 s the dial level
 *   is multiplied by 1 + (mean ready − mean waiting + dl-diff target) ÷ mean logged-in, the
 *   percentage change scaled by the intensity setting (positive changes × (1 + i/100),
 *   negative ones × |i/100 − 1|), capped at the maximum level, floored at 1.0.
 * - Drop rules on the stats it refreshes every 60 s: more than 20 calls in the last minute with
 *   over 50 % dropped halves the level; more than 50 calls today with drops ÷ human answers
 *   (drops included) above the dropped-percentage setting sets the level to 1.0
 *   (ADAPT_HARD_LIMIT), halves it (ADAPT_AVERAGE), or scales it by the share of the last
 *   thousand HHMM units left before the "latest server time" (ADAPT_TAPERED). The level is
 *   then floored at 1.0 again.
 * - RATIO keeps the dial level fixed.
 *
 * Its defaults: dial level 1.0 to start, maximum 3.0, dropped percentage 3, intensity 0,
 * dl-diff target 0, latest server time 2100. A "human answer" is a call an agent marked as a
 * person or a drop (VICIdial counts DROP as human-answered); machines hung up by detection or
 * marked by agents are not.
 */
import type { DialerView, Pacer, PacingObservation } from '../../src/dialer/index.js';

export type VicidialMethod = 'ADAPT_HARD_LIMIT' | 'ADAPT_AVERAGE' | 'ADAPT_TAPERED' | 'RATIO';

export interface VicidialSettings {
  method: VicidialMethod;
  dialLevel: number;
  maxLevel: number;
  droppedPercentage: number;
  intensity: number;
  dlDiffTarget: number;
  /** HHMM after which ADAPT_TAPERED stops allowing drops over the limit. */
  latestServerTime: number;
  /** Server time zone for HHMM. */
  timeZone: string;
}

export const VICIDIAL_DEFAULTS: Omit<VicidialSettings, 'method'> = {
  dialLevel: 1.0,
  maxLevel: 3.0,
  droppedPercentage: 3,
  intensity: 0,
  dlDiffTarget: 0,
  latestServerTime: 2100,
  timeZone: 'America/Sao_Paulo',
};

const DIAL_LOOP_MS = 2500;
const SAMPLE_MS = 1000;
const ADAPT_MS = 15_000;
const DROPS_MS = 60_000;
const SAMPLES = 15;

export class VicidialPacer implements Pacer {
  readonly name: string;
  private level: number;
  private readonly samples: { ready: number; waiting: number; total: number }[] = [];
  private lastSample = Number.NEGATIVE_INFINITY;
  private lastAdapt = Number.NEGATIVE_INFINITY;
  private lastDrops = Number.NEGATIVE_INFINITY;
  private lastDial = Number.NEGATIVE_INFINITY;
  private readonly dialTimes: number[] = [];
  private readonly dropTimes: number[] = [];
  private callsToday = 0;
  private answersToday = 0;
  private dropsToday = 0;
  private stats = { callsToday: 0, answersToday: 0, dropsToday: 0, callsMinute: 0, dropsMinute: 0 };
  private readonly hhmm: Intl.DateTimeFormat;

  constructor(private readonly s: VicidialSettings) {
    this.level = s.dialLevel;
    this.name = s.method === 'RATIO' ? `vicidial-ratio-${s.dialLevel}` : `vicidial-${s.method.toLowerCase().replace(/_/g, '-')}`;
    this.hhmm = new Intl.DateTimeFormat('en-GB', { timeZone: s.timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  }

  get dialLevel(): number {
    return this.level;
  }

  observe(o: PacingObservation, _view: DialerView, now: number): void {
    switch (o.type) {
      case 'Dialled':
        this.callsToday++;
        this.dialTimes.push(now);
        return;
      case 'Abandoned':
        if (!o.dropped) return;
        this.dropsToday++;
        this.answersToday++;
        this.dropTimes.push(now);
        return;
      case 'TalkEnded':
        if (!o.machine) this.answersToday++;
        return;
      default:
        return;
    }
  }

  decide(view: DialerView, now: number): number {
    if (now - this.lastSample >= SAMPLE_MS) this.sample(view, now);
    if (now - this.lastDrops >= DROPS_MS) this.refreshDrops(now);
    if (this.s.method !== 'RATIO' && this.samples.length > 0 && now - this.lastAdapt >= ADAPT_MS) this.adapt(now);
    if (now - this.lastDial < DIAL_LOOP_MS) return 0;
    this.lastDial = now;
    const a = view.agentCount;
    const goal = Math.round(this.level * (a.idle + a.talking));
    const c = view.callCount;
    const existing = c.dialing + c.screening + c.waiting + c.connected;
    return Math.max(0, goal - existing);
  }

  private sample(view: DialerView, now: number): void {
    this.lastSample = now;
    const a = view.agentCount;
    this.samples.push({
      ready: a.idle,
      waiting: view.callCount.waiting,
      total: a.idle + a.talking + a.wrapping + a.paused + a.previewing + a.dialing,
    });
    if (this.samples.length > SAMPLES) this.samples.shift();
  }

  private refreshDrops(now: number): void {
    this.lastDrops = now;
    const minuteAgo = now - 60_000;
    while ((this.dialTimes[0] ?? now) < minuteAgo) this.dialTimes.shift();
    while ((this.dropTimes[0] ?? now) < minuteAgo) this.dropTimes.shift();
    this.stats = {
      callsToday: this.callsToday,
      answersToday: this.answersToday,
      dropsToday: this.dropsToday,
      callsMinute: this.dialTimes.length,
      dropsMinute: this.dropTimes.length,
    };
  }

  private adapt(now: number): void {
    this.lastAdapt = now;
    const n = this.samples.length;
    let ready = 0;
    let waiting = 0;
    let total = 0;
    for (const x of this.samples) {
      ready += x.ready;
      waiting += x.waiting;
      total += x.total;
    }
    const avgTotal = total / n;
    if (avgTotal <= 0) return;
    const differential = ready / n - waiting / n + this.s.dlDiffTarget;
    const pct = differential !== 0 ? (differential / avgTotal) * 100 : 0;
    const intensity = this.s.intensity / 100;
    const scaled = pct < 0 ? pct * Math.abs(intensity - 1) : pct * (intensity + 1);
    let level = this.level * (scaled / 100 + 1);
    if (level > this.s.maxLevel) level = this.s.maxLevel;
    if (level < 1) level = 1;

    const st = this.stats;
    if (st.callsMinute > 20 && (st.dropsMinute / st.callsMinute) * 100 > 50) level /= 2;
    const answers = Math.max(1, st.answersToday);
    if (st.callsToday > 50 && (st.dropsToday / answers) * 100 > this.s.droppedPercentage) {
      if (this.s.method === 'ADAPT_HARD_LIMIT') level = 1;
      else if (this.s.method === 'ADAPT_AVERAGE') level /= 2;
      else {
        const left = this.s.latestServerTime - this.serverHhmm(now);
        if (left < 0) level = 1;
        else level *= left > 1000 ? 1 : left / 1000;
      }
    }
    this.level = Math.max(1, Math.round(level * 1000) / 1000);
  }

  private serverHhmm(now: number): number {
    const parts = this.hhmm.formatToParts(new Date(now));
    const hour = Number(parts.find((p) => p.type === 'hour')?.value ?? 0);
    const minute = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
    return hour * 100 + minute;
  }
}

export const vicidial = (method: VicidialMethod, over: Partial<Omit<VicidialSettings, 'method'>> = {}) =>
  new VicidialPacer({ ...VICIDIAL_DEFAULTS, ...over, method });
