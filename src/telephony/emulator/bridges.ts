/** Bridges of the emulated Asterisk: mixing/holding, channels in and out, music on hold. */
import { randomUUID } from 'node:crypto';
import { AriError, type AriBridgeJson } from './types.js';
import type { Bridge, BridgeHooks, Channel, World } from './world.js';

const bridgeTypes = ['mixing', 'holding', 'dtmf_events', 'proxy_media', 'video_sfu', 'video_single'];

export class Bridges implements BridgeHooks {
  constructor(private readonly w: World) {}

  list(): AriBridgeJson[] {
    return [...this.w.bridges.values()].map((b) => this.w.bridgeJson(b));
  }

  get(id: string): AriBridgeJson {
    return this.w.bridgeJson(this.w.mustBridge(id));
  }

  create(p: { type?: string; bridgeId?: string; name?: string }): AriBridgeJson {
    const types = (p.type || 'mixing').split(',').map((t) => t.trim());
    if (types.some((t) => !bridgeTypes.includes(t))) throw new AriError(400, 'Invalid bridge type');
    if (p.bridgeId && this.w.bridges.has(p.bridgeId)) throw new AriError(409, 'Bridge with given unique ID already exists');
    const b: Bridge = {
      id: p.bridgeId || randomUUID(),
      type: types.includes('holding') ? 'holding' : 'mixing',
      name: p.name ?? '',
      channels: [],
      created: Date.now(),
      subscribed: new Set(),
      queue: [],
    };
    this.w.bridges.set(b.id, b);
    this.w.publish([], 'BridgeCreated', { bridge: this.w.bridgeJson(b) });
    return this.w.bridgeJson(b);
  }

  destroy(id: string): void {
    const b = this.w.mustBridge(id);
    for (const cid of [...b.channels]) {
      const c = this.w.chans.get(cid);
      if (c) this.leaveBridge(c, b);
    }
    this.w.media.dropPlaybacks(b, 'done');
    this.w.media.finishRecordingsOf({ bridgeId: id });
    this.w.bridges.delete(id);
    this.w.publish(this.w.bridgeApps(b), 'BridgeDestroyed', { bridge: this.w.bridgeJson(b) });
  }

  add(id: string, channelIds: string[]): void {
    const { b, chans } = this.request(id, channelIds);
    for (const c of chans) if (!c.stasisApp) throw new AriError(422, 'Channel not in Stasis application');
    for (const c of chans) {
      if (c.bridgeId === b.id) continue;
      if (c.bridgeId) this.leaveBridge(c, this.w.bridges.get(c.bridgeId));
      // Joining a bridge interrupts what the channel was playing.
      this.w.media.interrupt(c);
      b.subscribed.add(c.stasisApp as string);
      b.channels.push(c.id);
      c.bridgeId = b.id;
      this.w.publish(new Set([...this.w.channelApps(c), ...this.w.bridgeApps(b)]), 'ChannelEnteredBridge', {
        bridge: this.w.bridgeJson(b),
        channel: this.w.channelJson(c),
      });
    }
  }

  /** The bridge and live channels an addChannel/removeChannel request names, checked in Asterisk's order. */
  private request(id: string, channelIds: string[]) {
    if (channelIds.length === 0) throw new AriError(400, 'Missing parameter channel');
    const b = this.w.mustBridge(id);
    const chans = channelIds.map((cid) => {
      const c = this.w.chans.get(cid);
      if (!c || c.hangingUp) throw new AriError(400, 'Channel not found');
      return c;
    });
    return { b, chans };
  }

  remove(id: string, channelIds: string[]): void {
    const { b, chans } = this.request(id, channelIds);
    for (const c of chans) if (c.bridgeId !== b.id) throw new AriError(422, 'Channel not in this bridge');
    for (const c of chans) this.leaveBridge(c, b);
  }

  leaveBridge(c: Channel, b: Bridge | undefined): void {
    c.bridgeId = undefined;
    if (!b) return;
    b.channels = b.channels.filter((x) => x !== c.id);
    this.w.publish(new Set([...this.w.channelApps(c), ...this.w.bridgeApps(b)]), 'ChannelLeftBridge', {
      bridge: this.w.bridgeJson(b),
      channel: this.w.channelJson(c),
    });
  }

  moh(id: string, mohClass: string | null): void {
    const b = this.w.mustBridge(id);
    b.moh = mohClass === null ? undefined : this.w.mohClassFor(mohClass || 'default', `bridge ${b.id}`);
  }
}
