/**
 * The webphone's own sounds, made with Web Audio (no sound files to ship): the ring of an
 * incoming call (425 Hz, 1 s on, 4 s off — the Brazilian ringing cadence) and a test tone,
 * each on the speaker the user chose.
 */
const RING_HZ = 425;

/** Routes an element's sound to a speaker, where the browser allows choosing one. */
export async function setSink(el: HTMLMediaElement, id: string): Promise<void> {
  const withSink = el as HTMLMediaElement & { setSinkId?: (id: string) => Promise<void> };
  if (withSink.setSinkId) await withSink.setSinkId(id).catch(() => undefined);
}

/** An element playing a Web Audio graph, so that the chosen speaker (setSinkId) applies. */
function output(ctx: AudioContext, sinkId: string): { node: AudioNode; el: HTMLAudioElement } {
  const dest = ctx.createMediaStreamDestination();
  const el = new Audio();
  el.srcObject = dest.stream;
  if (sinkId) void setSink(el, sinkId);
  void el.play().catch(() => undefined);
  return { node: dest, el };
}

function beep(ctx: AudioContext, to: AudioNode, hz: number, at: number, seconds: number): void {
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.frequency.value = hz;
  gain.gain.setValueAtTime(0, at);
  gain.gain.linearRampToValueAtTime(0.3, at + 0.02);
  gain.gain.setValueAtTime(0.3, at + seconds - 0.02);
  gain.gain.linearRampToValueAtTime(0, at + seconds);
  osc.connect(gain).connect(to);
  osc.start(at);
  osc.stop(at + seconds);
}

export class Ringer {
  private ctx?: AudioContext;
  private el?: HTMLAudioElement;
  private timer?: number;
  /** True while ringing (the page shows it too, for a muted speaker). */
  ringing = false;

  start(sinkId: string): void {
    this.stop();
    this.ringing = true;
    const ctx = new AudioContext();
    const out = output(ctx, sinkId);
    this.ctx = ctx;
    this.el = out.el;
    const ring = () => beep(ctx, out.node, RING_HZ, ctx.currentTime, 1);
    ring();
    this.timer = window.setInterval(ring, 5000);
  }

  stop(): void {
    this.ringing = false;
    window.clearInterval(this.timer);
    this.timer = undefined;
    this.el?.pause();
    this.el = undefined;
    void this.ctx?.close().catch(() => undefined);
    this.ctx = undefined;
  }
}

/** A one-second 440 Hz tone on the chosen speaker. */
export async function playTestTone(sinkId: string): Promise<void> {
  const ctx = new AudioContext();
  const out = output(ctx, sinkId);
  beep(ctx, out.node, 440, ctx.currentTime, 1);
  await new Promise<void>((resolve) => window.setTimeout(resolve, 1100));
  out.el.pause();
  await ctx.close().catch(() => undefined);
}
