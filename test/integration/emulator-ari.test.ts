/**
 * The Asterisk emulator driven over real sockets with plain fetch + ws, the way Asterisk is
 * reached: Swagger listing, auth, the events WebSocket and the event sequences of calls.
 */
import { statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import pino from 'pino';
import WebSocket from 'ws';
import { startEmulator, type Emulator, type EmulatorOptions } from '../../src/telephony/emulator/index.js';
import { readWav, writeToneWav } from '../helpers/wav.js';

type Ev = { type: string; application: string; timestamp: string } & Record<string, unknown>;
type Chan = { id: string; name: string; state: string; caller: { number: string }; dialplan: { context: string; exten: string; app_name: string; app_data: string } };

/** A bare ARI client: REST through fetch, events through one WebSocket, waiting on events. */
class Ari {
  readonly events: Ev[] = [];
  private listeners: (() => void)[] = [];
  private constructor(
    readonly emu: Emulator,
    readonly ws: WebSocket,
  ) {
    ws.on('message', (data) => {
      this.events.push(JSON.parse(String(data)) as Ev);
      for (const l of this.listeners) l();
    });
  }

  static async connect(emu: Emulator, app = 'atende'): Promise<Ari> {
    const url = `${emu.ariUrl.replace('http', 'ws')}/ari/events?app=${app}&api_key=${emu.ariUser}:${emu.ariPassword}`;
    const ws = new WebSocket(url);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Ari(emu, ws);
  }

  async req(method: string, path: string, query: Record<string, string | number> = {}, body?: unknown) {
    const qs = new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const res = await fetch(`${this.emu.ariUrl}/ari${path}${qs ? `?${qs}` : ''}`, {
      method,
      headers: {
        authorization: `Basic ${Buffer.from(`${this.emu.ariUser}:${this.emu.ariPassword}`).toString('base64')}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const json = (res.headers.get('content-type') ?? '').includes('json') && bytes.length ? JSON.parse(bytes.toString()) : undefined;
    return { status: res.status, json, bytes, headers: res.headers };
  }

  /** Resolves with the first event (already received or coming) that matches. */
  waitFor(pred: (e: Ev) => boolean, what = 'event', timeoutMs = 5000): Promise<Ev> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.events.find(pred);
        if (found) {
          cleanup();
          resolve(found);
          return true;
        }
        return false;
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out waiting for ${what}; got ${this.events.map((e) => e.type).join(', ')}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== listener);
      };
      const listener = () => void check();
      this.listeners.push(listener);
      check();
    });
  }

  on(channelId: string, type: string): Promise<Ev> {
    return this.waitFor((e) => e.type === type && (e.channel as Chan | undefined)?.id === channelId, `${type} on ${channelId}`);
  }

  typesFor(channelId: string): string[] {
    return this.events.filter((e) => (e.channel as Chan | undefined)?.id === channelId || (e.peer as Chan | undefined)?.id === channelId).map((e) => e.type);
  }

  close(): void {
    this.ws.close();
  }
}

let dir: string;
let emu: Emulator;
let ari: Ari;

async function boot(extra: Partial<EmulatorOptions> = {}) {
  emu = await startEmulator({
    recordingsDir: join(dir, 'recordings'),
    speed: 20,
    spans: [
      { span: 1, signalling: 'pri_cpe', group: 1 },
      { span: 2, signalling: 'mfcr2', group: 2 },
    ],
    trunks: ['trunk1'],
    phones: [{ ext: '1001' }, { ext: '1002', behaviour: 'reject' }, { ext: '1003', behaviour: 'no-answer' }, { ext: '1004', registered: false }],
    ...extra,
  });
  ari = await Ari.connect(emu);
}

async function inboundAnswered(did = '4000', from = '11999990000') {
  const { channelId } = await emu.placeInboundCall({ did, from });
  await ari.on(channelId, 'StasisStart');
  expect((await ari.req('POST', `/channels/${channelId}/answer`)).status).toBe(204);
  return channelId;
}

async function originate(endpoint: string, extra: Record<string, string | number> = {}) {
  const r = await ari.req('POST', '/channels', { endpoint, app: 'atende', appArgs: 'dialer,7,42', ...extra });
  expect(r.status).toBe(200);
  return (r.json as Chan).id;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atende-emulator-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

afterEach(async () => {
  ari?.close();
  await emu?.close();
});

describe('ARI surface', () => {
  it('serves the Swagger listing and resource declarations ari-client loads', async () => {
    await boot();
    const listing = await ari.req('GET', '/api-docs/resources.json');
    expect(listing.status).toBe(200);
    expect(listing.json.basePath).toBe(`${emu.ariUrl}/ari`);
    const paths = (listing.json.apis as { path: string }[]).map((a) => a.path);
    expect(paths).toContain('/api-docs/channels.{format}');
    for (const p of paths) {
      const doc = await ari.req('GET', p.replace('{format}', 'json'));
      expect(doc.status).toBe(200);
      expect(doc.json.apis.length).toBeGreaterThan(0);
    }
    const events = await ari.req('GET', '/api-docs/events.json');
    expect(Object.keys(events.json.models)).toEqual(expect.arrayContaining(['StasisStart', 'ChannelDestroyed', 'PlaybackFinished']));
  });

  it('answers 401 to wrong credentials on REST and on the WebSocket, like Asterisk', async () => {
    await boot();
    const bad = await fetch(`${emu.ariUrl}/ari/api-docs/resources.json`, {
      headers: { authorization: `Basic ${Buffer.from(`${emu.ariUser}:wrong`).toString('base64')}` },
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ message: 'Authentication required' });
    expect((await fetch(`${emu.ariUrl}/ari/asterisk/info?api_key=${emu.ariUser}:wrong`)).status).toBe(401);
    expect((await fetch(`${emu.ariUrl}/ari/asterisk/info?api_key=${emu.ariUser}:${emu.ariPassword}`)).status).toBe(200);
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`${emu.ariUrl.replace('http', 'ws')}/ari/events?app=atende&api_key=${emu.ariUser}:nope`);
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(401);
  });

  it('answers errors as {"message"} with Asterisk status codes', async () => {
    await boot();
    const missing = await ari.req('POST', '/channels/nope/answer');
    expect(missing.status).toBe(404);
    expect(missing.json).toEqual({ message: 'Channel not found' });
    expect((await ari.req('POST', '/channels', { app: 'atende' })).status).toBe(400);
    const ringing = await originate('PJSIP/1003');
    const notInApp = await ari.req('POST', `/channels/${ringing}/answer`);
    expect(notInApp.status).toBe(409);
    const id = await inboundAnswered();
    expect((await ari.req('DELETE', `/channels/${id}`, { reason: 'nonsense' })).status).toBe(400);
    expect((await ari.req('GET', `/channels/${id}/variable`, { variable: 'NOPE' })).status).toBe(404);
    const bridge = (await ari.req('POST', '/bridges', { type: 'mixing' })).json as { id: string };
    expect((await ari.req('POST', `/bridges/${bridge.id}/addChannel`, { channel: ringing })).status).toBe(422);
  });
});

describe('inbound calls', () => {
  it('enters Stasis with inbound,<did>,<trunk> and answers', async () => {
    await boot();
    const { channelId } = await emu.placeInboundCall({ did: '1133334444', from: '11999990000', via: { span: 1 } });
    const start = await ari.on(channelId, 'StasisStart');
    const ch = start.channel as Chan;
    expect(start.args).toEqual(['inbound', '1133334444', 'span:1']);
    expect(ch.name).toBe('DAHDI/1-1');
    expect(ch.state).toBe('Ring');
    expect(ch.caller.number).toBe('11999990000');
    expect(ch.dialplan).toMatchObject({ context: 'atende-from-pstn', exten: '1133334444', app_name: 'Stasis', app_data: 'atende,inbound,1133334444,span:1' });
    expect(start.application).toBe('atende');
    expect(start.timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}[+-]\d{4}$/);
    expect((await ari.req('POST', `/channels/${channelId}/answer`)).status).toBe(204);
    const change = await ari.on(channelId, 'ChannelStateChange');
    expect((change.channel as Chan).state).toBe('Up');

    const viaTrunk = await emu.placeInboundCall({ did: '30001000', from: '2133334444', via: { trunk: 'trunk1' } });
    const s2 = await ari.on(viaTrunk.channelId, 'StasisStart');
    expect(s2.args).toEqual(['inbound', '30001000', 'trunk:trunk1']);
    expect((s2.channel as Chan).name).toMatch(/^PJSIP\/trunk1-[0-9a-f]{8}$/);
  });

  it('plays a real WAV for its duration, then PlaybackFinished done; a missing file fails', async () => {
    await boot();
    const prompt = join(dir, 'welcome');
    await writeToneWav(`${prompt}.wav`, 2000);
    const id = await inboundAnswered();
    const t0 = Date.now();
    const play = await ari.req('POST', `/channels/${id}/play`, { media: `sound:${prompt}` });
    expect(play.status).toBe(201);
    const pbId = (play.json as { id: string }).id;
    await ari.waitFor((e) => e.type === 'PlaybackStarted' && (e.playback as { id: string }).id === pbId);
    const done = await ari.waitFor((e) => e.type === 'PlaybackFinished' && (e.playback as { id: string }).id === pbId);
    // 2 s at speed 20 is 100 ms.
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect((done.playback as { state: string; target_uri: string }).state).toBe('done');
    expect((done.playback as { target_uri: string }).target_uri).toBe(`channel:${id}`);

    const bad = await ari.req('POST', `/channels/${id}/play/pb-missing`, { media: `sound:${join(dir, 'nope')}` });
    expect(bad.status).toBe(201);
    const failed = await ari.waitFor((e) => e.type === 'PlaybackFinished' && (e.playback as { id: string }).id === 'pb-missing');
    expect((failed.playback as { state: string }).state).toBe('failed');
  });

  it('a caller hanging up mid-prompt: HangupRequest, PlaybackFinished failed, StasisEnd and no ChannelDestroyed', async () => {
    await boot();
    const id = await inboundAnswered();
    await ari.req('POST', `/channels/${id}/play/pb-tone`, { media: 'tone:ring' });
    await ari.waitFor((e) => e.type === 'PlaybackStarted');
    await emu.hangup(id);
    await ari.on(id, 'StasisEnd');
    const order = ari.events.filter((e) => ['ChannelHangupRequest', 'PlaybackFinished', 'StasisEnd'].includes(e.type)).map((e) => e.type);
    expect(order).toEqual(['ChannelHangupRequest', 'PlaybackFinished', 'StasisEnd']);
    expect((ari.events.find((e) => e.type === 'PlaybackFinished')?.playback as { state: string }).state).toBe('failed');
    // Let a later call go all the way through before concluding nothing else came for the first.
    const next = await inboundAnswered('4001');
    await emu.hangup(next);
    await ari.on(next, 'StasisEnd');
    expect(ari.typesFor(id)).not.toContain('ChannelDestroyed');
    expect((await ari.req('GET', `/channels/${id}`)).status).toBe(404);
  });

  it('delivers DTMF from the caller in order', async () => {
    await boot();
    const id = await inboundAnswered();
    await emu.sendDtmf(id, '12#');
    await ari.waitFor((e) => e.type === 'ChannelDtmfReceived' && e.digit === '#');
    const digits = ari.events.filter((e) => e.type === 'ChannelDtmfReceived').map((e) => e.digit);
    expect(digits).toEqual(['1', '2', '#']);
    expect(ari.events.find((e) => e.type === 'ChannelDtmfReceived')?.duration_ms).toBe(100);
  });
});

describe('originate', () => {
  const failures: [string, number][] = [
    ['DAHDI/g1/1133335555', 17],
    ['DAHDI/g1/1133337777', 34],
    ['DAHDI/g1/1133338888', 1],
    ['DAHDI/g2/1133338888', 20],
    ['PJSIP/1133335555@trunk1', 17],
    ['PJSIP/1133337777@trunk1', 34],
    ['PJSIP/1133338888@trunk1', 1],
    ['Local/busy@atende-e2e', 17],
    ['Local/congestion@atende-e2e', 34],
    ['Local/unallocated@atende-e2e', 1],
    ['PJSIP/1002', 17],
  ];
  it.each(failures)('%s fails with cause %i: ChannelDestroyed, never StasisStart', async (endpoint, cause) => {
    await boot();
    const id = await originate(endpoint);
    const destroyed = await ari.on(id, 'ChannelDestroyed');
    expect(destroyed.cause).toBe(cause);
    expect(typeof destroyed.cause_txt).toBe('string');
    expect(ari.typesFor(id)).not.toContain('StasisStart');
  });

  it.each(['DAHDI/g1/1133336666', 'PJSIP/1003', 'Local/noanswer@atende-e2e'])('%s rings until the timeout: cause 19', async (endpoint) => {
    await boot();
    const id = await originate(endpoint, { timeout: 2 });
    const destroyed = await ari.on(id, 'ChannelDestroyed');
    expect(destroyed.cause).toBe(19);
    expect(ari.typesFor(id)).toContain('ChannelStateChange');
    expect(ari.typesFor(id)).not.toContain('StasisStart');
  });

  it.each(['DAHDI/g1/1133330000', 'DAHDI/g1/1133334444', 'DAHDI/g1/1133339999', 'PJSIP/1133331111@trunk1', 'PJSIP/1001', 'Local/answer@atende-e2e'])(
    '%s answers: StasisStart Up with the app args',
    async (endpoint) => {
      await boot();
      const id = await originate(endpoint);
      const start = await ari.on(id, 'StasisStart');
      expect(start.args).toEqual(['dialer', '7', '42']);
      expect((start.channel as Chan).state).toBe('Up');
      const dials = ari.events.filter((e) => e.type === 'Dial').map((e) => e.dialstatus);
      expect(dials).toContain('ANSWER');
    },
  );

  it('an offline phone cannot be dialled (chan_pjsip has no contact): 500 Allocation failed', async () => {
    await boot();
    const r = await ari.req('POST', '/channels', { endpoint: 'PJSIP/1004', app: 'atende' });
    expect(r.status).toBe(500);
    expect(r.json).toEqual({ message: 'Allocation failed' });
    emu.setPhone('1004', { registered: true });
    const id = await originate('PJSIP/1004');
    await ari.on(id, 'StasisStart');
  });

  it('a phone set to no-answer answers when told to', async () => {
    await boot();
    const id = await originate('PJSIP/1003');
    await ari.waitFor((e) => e.type === 'Dial' && e.dialstatus === 'RINGING');
    await emu.answerPhone('1003');
    const start = await ari.on(id, 'StasisStart');
    expect((start.channel as Chan).state).toBe('Up');
  });

  it('carries the channelId, callerId and variables given', async () => {
    await boot();
    const r = await ari.req('POST', '/channels', { endpoint: 'PJSIP/1001', app: 'atende', channelId: 'leg-1', callerId: '"Atende" <4000>' }, { variables: { CAMPAIGN: '7' } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ id: 'leg-1', caller: { name: 'Atende', number: '4000' } });
    await ari.on('leg-1', 'StasisStart');
    expect((await ari.req('GET', '/channels/leg-1/variable', { variable: 'CAMPAIGN' })).json).toEqual({ value: '7' });
  });

  it('an originated leg hung up by the app gets HangupRequest, StasisEnd and ChannelDestroyed 16', async () => {
    await boot();
    const id = await originate('PJSIP/1001');
    await ari.on(id, 'StasisStart');
    expect((await ari.req('DELETE', `/channels/${id}`)).status).toBe(204);
    const destroyed = await ari.on(id, 'ChannelDestroyed');
    expect(destroyed.cause).toBe(16);
    expect(ari.typesFor(id).slice(-3)).toEqual(['ChannelHangupRequest', 'StasisEnd', 'ChannelDestroyed']);
  });

  it('Local answer-dtmf sends 1234# and play-hangup hangs up with 16', async () => {
    await boot();
    const a = await originate('Local/answer-dtmf@atende-e2e');
    await ari.waitFor((e) => e.type === 'ChannelDtmfReceived' && e.digit === '#' && (e.channel as Chan).id === a);
    expect(ari.events.filter((e) => e.type === 'ChannelDtmfReceived').map((e) => e.digit).join('')).toBe('1234#');
    const b = await originate('Local/play-hangup@atende-e2e');
    await ari.on(b, 'StasisStart');
    expect((await ari.on(b, 'ChannelDestroyed')).cause).toBe(16);
  });

  it('AMD: continue to atende-amd returns to the app with amd,<STATUS>,<CAUSE>,<args>', async () => {
    await boot();
    for (const [endpoint, status] of [
      ['DAHDI/g1/1133334444', 'MACHINE'],
      ['Local/human@atende-e2e', 'HUMAN'],
    ] as const) {
      const id = await originate(endpoint);
      await ari.on(id, 'StasisStart');
      expect((await ari.req('POST', `/channels/${id}/variable`, { variable: 'ATENDE_AMD_ARGS', value: 'dialer,7,42' })).status).toBe(204);
      expect((await ari.req('POST', `/channels/${id}/continue`, { context: 'atende-amd', extension: 's', priority: 1 })).status).toBe(204);
      await ari.on(id, 'StasisEnd');
      const back = await ari.waitFor((e) => e.type === 'StasisStart' && (e.channel as Chan).id === id && (e.args as string[])[0] === 'amd');
      expect((back.args as string[]).slice(0, 2)).toEqual(['amd', status]);
      expect((back.args as string[]).slice(3)).toEqual(['dialer', '7', '42']);
      expect((await ari.req('GET', `/channels/${id}/variable`, { variable: 'AMDSTATUS' })).json).toEqual({ value: status });
    }
  });

  it('AMD: the arguments are the originate’s ATENDE_AMD_* variables, app_amd’s defaults where one is empty', async () => {
    await boot();
    const variables = { ATENDE_AMD_INITIAL_SILENCE: '3000', ATENDE_AMD_AFTER_GREETING_SILENCE: '1000', ATENDE_AMD_TOTAL_ANALYSIS_TIME: '2000', ATENDE_AMD_MAX_WORDS: '4' };
    const r = await ari.req('POST', '/channels', { endpoint: 'Local/human@atende-e2e', app: 'atende', appArgs: 'dialer,7,42' }, { variables });
    expect(r.status).toBe(200);
    const id = (r.json as Chan).id;
    await ari.on(id, 'StasisStart');
    expect((await ari.req('POST', `/channels/${id}/continue`, { context: 'atende-amd', extension: 's', priority: 1 })).status).toBe(204);
    const amd = await ari.waitFor((e) => e.type === 'ChannelDialplan' && (e.channel as Chan).id === id && e.dialplan_app === 'AMD');
    expect(amd.dialplan_app_data).toBe('3000,1500,1000,2000,100,50,4,256,5000');
    // A person's greeting (1.5 s) and 1 s of silence take longer than the 2 s of analysis allowed.
    const back = await ari.waitFor((e) => e.type === 'StasisStart' && (e.channel as Chan).id === id && (e.args as string[])[0] === 'amd');
    expect((back.args as string[]).slice(0, 3)).toEqual(['amd', 'NOTSURE', 'TOOLONG-2000']);
  });
});

describe('bridges, recordings, snoop', () => {
  it('bridges two channels and reports them entering and leaving', async () => {
    await boot();
    const a = await inboundAnswered();
    const b = await originate('PJSIP/1001');
    await ari.on(b, 'StasisStart');
    const bridge = (await ari.req('POST', '/bridges', { type: 'mixing', name: 'call-1' })).json as { id: string };
    expect((await ari.req('POST', `/bridges/${bridge.id}/addChannel`, { channel: `${a},${b}` })).status).toBe(204);
    await ari.on(a, 'ChannelEnteredBridge');
    await ari.on(b, 'ChannelEnteredBridge');
    expect(((await ari.req('GET', `/bridges/${bridge.id}`)).json as { channels: string[] }).channels.sort()).toEqual([a, b].sort());
    await emu.hangup(a);
    const left = await ari.on(a, 'ChannelLeftBridge');
    expect((left.bridge as { channels: string[] }).channels).toEqual([b]);
    expect((await ari.req('DELETE', `/bridges/${bridge.id}`)).status).toBe(204);
    await ari.on(b, 'ChannelLeftBridge');
    await ari.waitFor((e) => e.type === 'BridgeDestroyed');
  });

  it('records a real WAV with a valid header and a plausible duration', async () => {
    await boot();
    const id = await inboundAnswered();
    const rec = await ari.req('POST', `/channels/${id}/record`, { name: 'calls/rec-1', format: 'wav', beep: 'true' });
    expect(rec.status).toBe(201);
    await ari.waitFor((e) => e.type === 'RecordingStarted');
    // ~2 s of modelled time: a prompt of that length played meanwhile.
    const prompt = join(dir, 'two-seconds');
    await writeToneWav(`${prompt}.wav`, 2000);
    await ari.req('POST', `/channels/${id}/play/pb-2s`, { media: `sound:${prompt}` });
    await ari.waitFor((e) => e.type === 'PlaybackFinished' && (e.playback as { id: string }).id === 'pb-2s');
    expect((await ari.req('POST', '/recordings/live/calls%2Frec-1/stop')).status).toBe(204);
    const finished = await ari.waitFor((e) => e.type === 'RecordingFinished');
    const duration = (finished.recording as { duration: number }).duration;
    expect(duration).toBeGreaterThanOrEqual(2);
    expect(duration).toBeLessThan(10);
    const wav = await readWav(join(dir, 'recordings', 'calls', 'rec-1.wav'));
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    // Calls are private: readable by the owner only, whatever the umask.
    expect((statSync(join(dir, 'recordings', 'calls', 'rec-1.wav')).mode & 0o777).toString(8)).toBe('600');
    expect((statSync(join(dir, 'recordings', 'calls')).mode & 0o777).toString(8)).toBe('700');
    expect(Math.abs(wav.durationMs / 1000 - duration)).toBeLessThanOrEqual(1);
    const file = await ari.req('GET', '/recordings/stored/calls%2Frec-1/file');
    expect(file.status).toBe(200);
    expect(file.bytes.subarray(0, 4).toString()).toBe('RIFF');
    const stored = (await ari.req('GET', '/recordings/stored')).json as { name: string }[];
    expect(stored.map((s) => s.name)).toContain('calls/rec-1');
    expect((await ari.req('POST', `/channels/${id}/record`, { name: 'calls/rec-1', format: 'wav' })).status).toBe(422);
  });

  it('snoops a channel into the app and ends the snoop with it', async () => {
    await boot();
    const id = await inboundAnswered();
    const r = await ari.req('POST', `/channels/${id}/snoop`, { spy: 'both', app: 'atende', appArgs: 'snoop,listen' });
    expect(r.status).toBe(200);
    const snoopId = (r.json as Chan).id;
    const start = await ari.on(snoopId, 'StasisStart');
    expect(start.args).toEqual(['snoop', 'listen']);
    expect((start.channel as Chan).name).toMatch(new RegExp(`^Snoop/${id.replace('.', '\\.')}-`));
    await emu.hangup(id);
    await ari.on(snoopId, 'ChannelDestroyed');
  });
});

describe('resilience', () => {
  it('stopAri/startAri keeps the channels, on the same port', async () => {
    await boot();
    const id = await inboundAnswered();
    const closed = new Promise<void>((resolve) => ari.ws.once('close', () => resolve()));
    await emu.stopAri();
    await closed;
    await expect(fetch(`${emu.ariUrl}/ari/channels`)).rejects.toThrow();
    await emu.startAri();
    ari = await Ari.connect(emu);
    const list = (await ari.req('GET', '/channels')).json as Chan[];
    expect(list.map((c) => c.id)).toContain(id);
    await emu.hangup(id);
    await ari.on(id, 'StasisEnd');
  });

  it('an inbound call while no app is connected is hung up by the dialplan', async () => {
    await boot();
    ari.close();
    await vi.waitFor(async () => expect((await ari.req('GET', '/applications')).json).toEqual([]));
    await emu.placeInboundCall({ did: '4000', from: '1' });
    await vi.waitFor(() => expect(emu.channels()).toEqual([]));
    ari = await Ari.connect(emu);
    expect((await ari.req('GET', '/channels')).json).toEqual([]);
  });
});

describe('the dialplan when Atende is absent, through the e2e SIP loop', () => {
  it('answers a trunk call with a temporary failure: the calling leg sees 503 → cause 34, not 603', async () => {
    await boot();
    const probe = await Ari.connect(emu, 'probe');
    try {
      ari.close();
      await vi.waitFor(async () => expect(((await probe.req('GET', '/applications')).json as { name: string }[]).map((a) => a.name)).toEqual(['probe']));
      const r = await probe.req('POST', '/channels', { endpoint: 'PJSIP/1133334444@atende-e2e-loop', app: 'probe', appArgs: 'e2e' });
      const id = (r.json as Chan).id;
      const destroyed = await probe.on(id, 'ChannelDestroyed');
      expect(destroyed.cause).toBe(34);
      const dial = await probe.waitFor((e) => e.type === 'Dial' && (e.peer as Chan).id === id && e.dialstatus !== '' && e.dialstatus !== 'RINGING');
      expect(dial.dialstatus).toBe('CONGESTION');
    } finally {
      probe.close();
    }
  });

  it('puts the trunk call into the app when it is connected, and answering it answers the caller', async () => {
    await boot();
    const probe = await Ari.connect(emu, 'probe');
    try {
      const r = await probe.req('POST', '/channels', { endpoint: 'PJSIP/1133334444@atende-e2e-loop', app: 'probe', appArgs: 'e2e', callerId: '11987654321' });
      const caller = (r.json as Chan).id;
      const entered = await ari.waitFor((e) => e.type === 'StasisStart');
      expect(entered.args).toEqual(['inbound', '1133334444', 'trunk:atende-e2e-trunk']);
      const inbound = (entered.channel as Chan).id;
      expect((entered.channel as Chan).caller.number).toBe('11987654321');
      expect((await ari.req('POST', `/channels/${inbound}/answer`)).status).toBe(204);
      await probe.on(caller, 'StasisStart');
      expect((await ari.req('DELETE', `/channels/${inbound}`)).status).toBe(204);
      await probe.on(caller, 'ChannelDestroyed');
    } finally {
      probe.close();
    }
  });

});

describe('music on hold', () => {
  const capture = () => {
    const lines: { msg: string }[] = [];
    const logger = pino({ level: 'info' }, { write: (l: string) => void lines.push(JSON.parse(l) as { msg: string }) });
    return { lines, logger };
  };

  it('plays the default class; an unknown class is logged as Asterisk logs it and falls back to default', async () => {
    const { lines, logger } = capture();
    await boot({ logger });
    const id = await inboundAnswered();
    expect((await ari.req('POST', `/channels/${id}/moh`)).status).toBe(204);
    expect(emu.mohOf(id)).toBe('default');
    // ARI still answers 204: only the log tells that the class does not exist.
    expect((await ari.req('POST', `/channels/${id}/moh`, { mohClass: 'jazz' })).status).toBe(204);
    expect(lines.map((l) => l.msg)).toContain("emulator: Music on Hold class 'jazz' not found in memory. Verify your configuration.");
    expect(emu.mohOf(id)).toBe('default');
  });

  it('with no class configured (no musiconhold.conf) the caller hears silence and the log says why', async () => {
    const { lines, logger } = capture();
    await boot({ logger, mohClasses: [] });
    const id = await inboundAnswered();
    expect((await ari.req('POST', `/channels/${id}/moh`)).status).toBe(204);
    expect(emu.mohOf(id)).toBeUndefined();
    expect(lines.map((l) => l.msg)).toContain('emulator: Music class default requested but no musiconhold loaded.');
  });
});
