/**
 * The emulated Asterisk: one `World` (shared state and event fan-out) and its resources —
 * channels, bridges, media (playbacks and recordings), PJSIP endpoints, the PSTN (E1 spans and
 * the far ends) — each in its own file, with the event sequences a real Asterisk 22 produces
 * for them (see the README next to this file).
 *
 * The model knows nothing about HTTP or sockets. Its world emits:
 * - `'ari'` (app, event) for each ARI event an application should receive;
 * - `'span'`, `'contact'`, `'channel'`, `'rtcp'` for the AMI side (see types.ts).
 * Browsers registered over SIP WebSocket (sip/) attach to the world's `webphones` hooks.
 * Failures of operations are thrown as `AriError` with Asterisk's status and message.
 */
import type { Logger } from 'pino';
import { asteriskTime } from './asterisk-text.js';
import { Bridges } from './bridges.js';
import { BrowserCalls } from './browser-calls.js';
import { Channels } from './channels.js';
import { EmulatedConfig, dahdiSpans, dialplanHints, mohClasses, pjsipObjects, type ReloadModule, type ReloadRecord } from './config.js';
import { Endpoints } from './endpoints.js';
import { Media } from './media.js';
import { Pstn } from './pstn.js';
import { AriError, type PhoneConfig, type SpanConfig } from './types.js';
import { World } from './world.js';

export type { InboundCall } from './pstn.js';

export interface ModelOptions {
  recordingsDir: string;
  speed?: number;
  spans?: SpanConfig[];
  trunks?: string[];
  phones?: PhoneConfig[];
  /**
   * Asterisk's configuration directory. When given, phones, trunks, span signalling, MOH
   * classes and hints come from its files (read at `loadConfig()` and at every reload) instead
   * of `phones`/`trunks`/`spans`' settings; `spans` then only says which spans the card has.
   */
  configDir?: string;
  /** Music-on-hold classes without a configuration directory; default the one class Atende ships, `default`. */
  mohClasses?: string[];
  logger: Logger;
}

const RELOADABLE: Record<string, ReloadModule> = {
  res_pjsip: 'res_pjsip',
  pbx_config: 'pbx_config',
  res_musiconhold: 'res_musiconhold',
  chan_dahdi: 'chan_dahdi',
};

export class AsteriskModel {
  readonly world: World;
  readonly channels: Channels;
  readonly bridges: Bridges;
  readonly media: Media;
  readonly endpoints: Endpoints;
  readonly pstn: Pstn;
  /** What browsers registered over SIP WebSocket do to channels. */
  readonly browsers: BrowserCalls;
  readonly config: EmulatedConfig | undefined;
  /** Every reload asked of this Asterisk, in order. */
  readonly reloads: ReloadRecord[] = [];

  constructor(options: ModelOptions) {
    const w = new World(options);
    this.world = w;
    this.channels = new Channels(w);
    this.bridges = new Bridges(w);
    this.media = new Media(w);
    this.endpoints = new Endpoints(w, options);
    this.pstn = new Pstn(w, options);
    this.browsers = new BrowserCalls(w, this.channels, this.endpoints);
    w.channels = this.channels;
    w.bridgeOps = this.bridges;
    w.media = this.media;
    w.endpoints = this.endpoints;
    w.pstn = this.pstn;
    this.config = options.configDir === undefined ? undefined : new EmulatedConfig(options.configDir);
  }

  // ---------------------------------------------------------------- configuration

  /** At start, as Asterisk loads its modules: reads every file of the configuration directory. */
  async loadConfig(): Promise<void> {
    if (!this.config) return;
    await this.config.install();
    for (const module of Object.values(RELOADABLE)) await this.readModule(module);
  }

  private async readModule(module: ReloadModule): Promise<string[]> {
    const config = this.config;
    if (!config) return [];
    const sections = await config.read(module);
    const problems = [...config.lastProblems];
    switch (module) {
      case 'res_pjsip': {
        const objects = pjsipObjects(sections);
        problems.push(...objects.problems);
        this.endpoints.applyPjsip(objects);
        break;
      }
      case 'chan_dahdi':
        problems.push(...this.pstn.applyChanDahdi(dahdiSpans(sections)));
        break;
      case 'res_musiconhold':
        config.moh = mohClasses(sections);
        this.world.mohClassNames = new Set(config.moh.keys());
        break;
      case 'pbx_config':
        config.hints = dialplanHints(sections);
        break;
    }
    for (const problem of problems) this.world.log.warn({ module, problem }, 'emulator: configuration problem');
    return problems;
  }

  /**
   * `module reload <module>` (AMI `Reload`): false when no such module is loaded. Config errors
   * do not fail a reload in Asterisk either: the objects in error are just not loaded.
   */
  async reload(module: string): Promise<boolean> {
    const name = module.replace(/\.so$/, '');
    if (name === '') {
      for (const m of Object.values(RELOADABLE)) await this.reload(m);
      return true;
    }
    const known = RELOADABLE[name];
    if (!known) return false;
    const problems = await this.readModule(known);
    this.reloads.push({ module: known, at: Date.now(), problems });
    return true;
  }

  /** The CLI commands of the modules Atende uses to apply and check configuration; undefined for others. */
  async cli(command: string): Promise<string[] | undefined> {
    const words = command.trim().split(/\s+/);
    const line = words.join(' ');
    if (line === 'dialplan reload') return (await this.reload('pbx_config')) ? ['Dialplan reloaded.'] : undefined;
    if (line === 'moh reload') return (await this.reload('res_musiconhold')) ? [] : undefined;
    if (words[0] === 'module' && words[1] === 'reload' && words[2]) {
      return (await this.reload(words[2])) ? [`Module '${words[2]}' reloaded successfully.`] : [`The module '${words[2]}' does not exist.`];
    }
    if (words[0] === 'dialplan' && words[1] === 'show' && words[2]) {
      const hints = this.config?.hints.get(words[2]);
      if (!hints) return [`There is no existence of '${words[2]}' context`];
      return [
        `[ Context '${words[2]}' created by 'pbx_config' ]`,
        ...[...hints].map(([exten, device]) => `  '${exten}' =>         hint: ${device}`),
        '',
        `-= ${hints.size} extension${hints.size === 1 ? '' : 's'} (0 priorities) in 1 context. =-`,
      ];
    }
    if (line === 'moh show classes') {
      const classes = this.config ? [...this.config.moh].map(([name, c]) => ({ name, mode: c.mode })) : [...this.world.mohClassNames].map((name) => ({ name, mode: 'files' }));
      return classes.flatMap((c) => [`Class: ${c.name}`, `\tMode: ${c.mode}`, '\tDirectory: <none>']);
    }
    return undefined;
  }

  /** The music-on-hold class a channel or bridge hears now, undefined for none (silence). */
  mohOf(id: string): string | undefined {
    return (this.world.chans.get(id) ?? this.world.bridges.get(id))?.moh;
  }

  get asteriskId(): string {
    return this.world.asteriskId;
  }

  get speed(): number {
    return this.world.speed;
  }

  // ---------------------------------------------------------------- applications

  /** A WebSocket subscribed to `name`; a later registration replaces an earlier one. */
  registerApp(name: string, subscribeAll: boolean): void {
    this.world.apps.set(name, { name, subscribeAll });
  }

  unregisterApp(name: string): void {
    this.world.apps.delete(name);
  }

  listApplications(): Record<string, unknown>[] {
    return [...this.world.apps.keys()].map((name) => this.applicationJson(name));
  }

  getApplication(name: string): Record<string, unknown> {
    if (!this.world.apps.has(name)) throw new AriError(404, 'Application does not exist');
    return this.applicationJson(name);
  }

  private applicationJson(name: string): Record<string, unknown> {
    const channelIds = [...this.world.chans.values()].filter((c) => c.stasisApp === name || c.subscribed.has(name)).map((c) => c.id);
    const bridgeIds = [...this.world.bridges.values()].filter((b) => b.subscribed.has(name)).map((b) => b.id);
    return { name, channel_ids: channelIds, bridge_ids: bridgeIds, endpoint_ids: [], device_names: [], events_allowed: [], events_disallowed: [] };
  }

  // ---------------------------------------------------------------- info

  asteriskInfo(only?: string[]): Record<string, unknown> {
    const all: Record<string, unknown> = {
      build: { os: 'Linux', kernel: '', machine: 'x86_64', options: 'emulator', date: '', user: 'atende' },
      system: { version: '22.10.1', entity_id: this.asteriskId },
      config: { name: 'atende-emulator', default_language: 'en', setid: { user: 'asterisk', group: 'asterisk' } },
      status: { startup_time: asteriskTime(this.world.startedAt), last_reload_time: asteriskTime(this.world.startedAt) },
    };
    if (!only || only.length === 0) return all;
    const out: Record<string, unknown> = {};
    for (const k of only) {
      if (!(k in all)) throw new AriError(400, `Invalid value for 'only': ${k}`);
      out[k] = all[k];
    }
    return out;
  }

  ping(): Record<string, unknown> {
    return { asterisk_id: this.asteriskId, ping: 'pong', timestamp: asteriskTime() };
  }

  // ---------------------------------------------------------------- shutdown

  close(): void {
    const w = this.world;
    w.closed = true;
    for (const t of w.globalTimers) clearTimeout(t);
    w.globalTimers.clear();
    for (const c of w.chans.values()) for (const t of c.timers) clearTimeout(t);
    for (const p of w.playbacks.values()) if (p.timer) clearTimeout(p.timer);
    for (const r of w.recordings.values()) if (r.timer) clearTimeout(r.timer);
    w.removeAllListeners();
  }
}
