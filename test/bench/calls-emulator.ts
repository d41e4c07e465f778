/**
 * The emulated Asterisk of the calls benchmark, in a process of its own so that its work does
 * not count against Atende's RSS and event loop. Forked by calls-atende.ts; driven over IPC.
 *
 * Every time it reports is on this process's clock (`performance.now()`): when a call was
 * placed, when the emulator handled Atende's answer request, when it handled the hangup. The
 * answer and hangup moments are taken from the emulator's own per-request debug log line
 * (through a pino hook, so nothing is serialised), which is written right after the request
 * changed the model — the channel is Up at that instant.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import pino from 'pino';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import type { EmulatedCall, EmulatorSetup, FromEmulator, PlaceCalls, ToEmulator } from './protocol.js';

const send = (m: FromEmulator) => process.send!(m);

const setup = JSON.parse(process.argv[2] ?? '{}') as EmulatorSetup;
const byChannel = new Map<string, EmulatedCall>();
const failedRequests: { method: string; url: string; status: number }[] = [];
let strayRequests = 0;
let redundantHangups = 0;
let cpuAtPlace = process.cpuUsage();

const answerPath = /\/channels\/([^/?]+)\/answer(?:\?|$)/;
const channelPath = /\/channels\/([^/?]+)(?:\?|$)/;

/** Sees each ARI request the emulator handled, at the moment it logs it. */
function onAriRequest(req: { method?: string; url?: string; status?: number }): void {
  const at = performance.now();
  const url = req.url ?? '';
  const status = req.status ?? 0;
  let id: string | undefined;
  let field: 'answeredAt' | 'hungUpAt' | undefined;
  if (req.method === 'POST' && answerPath.test(url)) {
    id = decodeURIComponent(answerPath.exec(url)![1]!);
    field = 'answeredAt';
  } else if (req.method === 'DELETE' && channelPath.test(url)) {
    id = decodeURIComponent(channelPath.exec(url)![1]!);
    field = 'hungUpAt';
  }
  const call = id ? byChannel.get(id) : undefined;
  if (status >= 400) {
    if (field === 'hungUpAt' && status === 404 && call?.hungUpAt !== undefined) redundantHangups++;
    else failedRequests.push({ method: req.method ?? '', url, status });
    return;
  }
  if (!field) return;
  if (!call) {
    strayRequests++;
    return;
  }
  call[field] ??= at;
}

const logger = pino({
  level: 'debug',
  hooks: {
    logMethod(args, method, level) {
      if (level === 20 && args[1] === 'emulator: ARI request') {
        onAriRequest(args[0] as { method?: string; url?: string; status?: number });
        return;
      }
      // Keep warnings and errors; drop the rest of the debug chatter unserialised.
      if (level >= 40) method.apply(this, args);
    },
  },
});

const dir = mkdtempSync(join(tmpdir(), 'atende-bench-emu-'));
let emulator: Emulator;

async function place(msg: PlaceCalls): Promise<void> {
  byChannel.clear();
  failedRequests.length = 0;
  strayRequests = 0;
  redundantHangups = 0;
  cpuAtPlace = process.cpuUsage();
  const placed: EmulatedCall[] = [];
  const record = (c: PlaceCalls['calls'][number], enteredAt: number, p: Promise<{ channelId: string }>) =>
    p.then(
      ({ channelId }) => {
        const call: EmulatedCall = { channelId, span: c.span, enteredAt };
        byChannel.set(channelId, call);
        placed.push(call);
      },
      (err: unknown) => {
        placed.push({ channelId: '', span: c.span, enteredAt, error: (err as Error).message });
      },
    );
  const pending: Promise<void>[] = [];
  if (msg.arrival === 'burst') {
    for (const c of msg.calls) pending.push(record(c, performance.now(), emulator.placeInboundCall({ did: c.did, from: c.from, via: { span: c.span } })));
  } else {
    const gapMs = 1000 / msg.arrival;
    const start = performance.now();
    for (let i = 0; i < msg.calls.length; i++) {
      const due = start + i * gapMs;
      const wait = due - performance.now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      const c = msg.calls[i]!;
      pending.push(record(c, performance.now(), emulator.placeInboundCall({ did: c.did, from: c.from, via: { span: c.span } })));
    }
  }
  await Promise.all(pending);
  send({ type: 'placed', calls: placed });
}

process.on('message', (raw) => {
  const msg = raw as ToEmulator;
  if (msg.type === 'place') {
    place(msg).catch((err: unknown) => send({ type: 'error', message: String(err) }));
  } else if (msg.type === 'report') {
    const cpu = process.cpuUsage(cpuAtPlace);
    send({
      type: 'report',
      calls: [...byChannel.values()],
      liveChannels: emulator.channels().length,
      strayRequests,
      failedRequests,
      redundantHangups,
      cpuMs: (cpu.user + cpu.system) / 1000,
    });
  } else if (msg.type === 'close') {
    void emulator.close().finally(() => {
      rmSync(dir, { recursive: true, force: true });
      process.exit(0);
    });
  }
});
process.on('disconnect', () => process.exit(0));

const spans = Array.from({ length: setup.spans }, (_, i) => ({ span: i + 1, signalling: 'pri_cpe' as const, group: 1 }));
startEmulator({ recordingsDir: join(dir, 'recordings'), speed: setup.speed, spans, trunks: [], phones: [], logger })
  .then((e) => {
    emulator = e;
    send({ type: 'ready', ariUrl: e.ariUrl, ariUser: e.ariUser, ariPassword: e.ariPassword });
  })
  .catch((err: unknown) => {
    send({ type: 'error', message: `emulator did not start: ${String(err)}` });
    process.exit(1);
  });
