/**
 * `npm run bench:dialer-live -- [--seconds 90] [--agents 200] [--spans 20] [--contacts 20000] [--talk 10,30] [--amd on|off] [--out <dir>] [--profile <dir>]`
 *
 * The live dialer at scale, over real sockets: the production daemon (`src/main.ts`, with
 * dialer-live-probe.ts loaded into it to read the dialer's trace channels and the process's
 * CPU and memory) drives the Asterisk emulator, which runs in this process with `--spans` E1
 * spans of 30 bearer channels in one group (600 lines with 20). Everything is arranged through
 * the daemon's REST API like an administrator would: a tenant, the spans and an outbound route
 * over their group, `--agents` agents with softphones (registered in the emulator, answering at
 * once) in one queue with 10 s of wrap-up, each logged in, a contact group of `--contacts`
 * imported as CSV, a strategy open around the clock, and a predictive campaign (AMD on,
 * 20 s ring, abandon target 2.5 %, maximum 3 %). The numbers' last digits choose what the
 * emulated network does (see `pstnFarEnd`): of every 20 contacts, 5 are people, 3 answering
 * machines, 2 busy, 8 never answer, 1 congested and 1 unallocated. A person talks for a time
 * drawn from `--talk` (seconds) and then hangs up.
 *
 * Figures, over `--seconds` of wall time after the campaign starts: from the daemon, its ticks,
 * steps and originates per second, tick → originate latency, CPU time and peak RSS; from the
 * emulator's own event times (its ARI events, stamped when they happen), a person's answer →
 * the bridge with an agent. Printed as JSON and written to `results/dialer-live-<time>.json`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import WebSocket from 'ws';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import type { ProbeReport } from './dialer-live-probe.js';
import { distribution } from './protocol.js';

const usage =
  'Usage: npm run bench:dialer-live -- [--seconds 90] [--agents 200] [--spans 20] [--contacts 20000] [--talk 10,30] [--amd on|off] [--out <dir>] [--profile <dir>]';
const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_PASSWORD = 'bench-super-senha-1';
const AGENT_PASSWORD = 'bench-agente-senha-1';
/** Last digits of every 20 contacts: 0–3 and 9 (a long ring) person, 4 machine, 5 busy, 6 no answer, 7 congestion, 8 unallocated. */
const DIGITS = [...'01239', ...'444', ...'55', ...'66666666', '7', '8'];

function options() {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      seconds: { type: 'string', default: '90' },
      agents: { type: 'string', default: '200' },
      spans: { type: 'string', default: '20' },
      contacts: { type: 'string', default: '20000' },
      talk: { type: 'string', default: '10,30' },
      amd: { type: 'string', default: 'on' },
      out: { type: 'string' },
      profile: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  const whole = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isInteger(n) || n < min || n > max) throw new Error(`--${name} must be a whole number from ${min} to ${max}: ${raw}`);
    return n;
  };
  const talk = values.talk.split(',').map(Number);
  if (talk.length !== 2 || !(talk[0]! > 0) || !(talk[1]! >= talk[0]!)) throw new Error(`--talk must be "min,max" seconds: ${values.talk}`);
  if (values.amd !== 'on' && values.amd !== 'off') throw new Error(`--amd must be on or off: ${values.amd}`);
  return {
    seconds: whole('seconds', values.seconds, 5, 3600),
    agents: whole('agents', values.agents, 1, 2000),
    spans: whole('spans', values.spans, 1, 64),
    contacts: whole('contacts', values.contacts, 100, 1_000_000),
    talk: talk as [number, number],
    amd: values.amd === 'on',
    out: values.out ?? fileURLToPath(new URL('./results/', import.meta.url)),
    profile: values.profile,
  };
}

type Options = ReturnType<typeof options>;

/** The daemon as its own process, with the probe loaded; resolves once it listens. */
async function startDaemon(env: Record<string, string>, profile?: string): Promise<{ child: ChildProcess; url: string; ask(type: 'start' | 'report'): Promise<unknown> }> {
  const probe = fileURLToPath(new URL('./dialer-live-probe.ts', import.meta.url));
  const child = fork(join(ROOT, 'src', 'main.ts'), [], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', ...env },
    execArgv: ['--import', 'tsx', '--import', probe, ...(profile ? ['--cpu-prof', `--cpu-prof-dir=${profile}`] : [])],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => {
    stderr += c.toString();
    process.stderr.write(c);
  });
  // The daemon's warnings and errors are shown: a run that logs them is not a clean run.
  let warned = 0;
  let pending = '';
  child.stdout!.on('data', (c: Buffer) => {
    pending += c.toString();
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (/"level":(4|5|6)\d/.test(line) && warned++ < 20) process.stderr.write(`daemon: ${line.slice(0, 600)}\n`);
  });
  const url = await new Promise<string>((resolve, reject) => {
    let buf = '';
    const late = setTimeout(() => reject(new Error(`the daemon did not listen within 90 s: ${stderr}`)), 90_000);
    child.once('exit', (code) => reject(new Error(`the daemon exited (${code}): ${stderr}`)));
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGTERM') console.error(`the daemon exited (${code ?? signal}): ${stderr.slice(-4000)}`);
    });
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('Atende is listening')) continue;
        clearTimeout(late);
        resolve((JSON.parse(line) as { url: string }).url);
      }
    });
  });
  const ask = (type: 'start' | 'report') =>
    new Promise<unknown>((resolve, reject) => {
      const late = setTimeout(() => reject(new Error(`the daemon's probe did not answer "${type}"`)), 120_000);
      child.once('message', (m) => {
        clearTimeout(late);
        resolve(m);
      });
      child.send({ type });
    });
  return { child, url, ask };
}

/** A REST session (cookie kept); a status ≥ 300 throws with the body. */
async function session(url: string, login: string, password: string) {
  let cookie = '';
  const call = async <T>(method: string, path: string, body?: unknown, type = 'application/json'): Promise<T> => {
    const res = await fetch(`${url}/api/v1/${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': type } : {}), ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const set = res.headers.getSetCookie().find((c) => c.startsWith('atende_session='));
    if (set) cookie = set.split(';')[0]!;
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  await call('POST', 'auth/login', { login, password });
  return call;
}

type Call = Awaited<ReturnType<typeof session>>;

/** Runs `fn` over `items`, `n` at a time. */
async function inParallel<T>(items: T[], n: number, fn: (item: T, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  }));
}

const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 120_000): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
};

/** The tenant, lines, agents, list and campaign, as an administrator arranges them. */
async function arrange(o: Options, url: string, emulator: Emulator): Promise<{ manager: Call; campaignId: number }> {
  const root = await session(url, 'admin', ADMIN_PASSWORD);
  const tenant = (await root<{ id: number }>('POST', 'tenants', { legalName: 'Bench Cobrança Ltda', cnpj: '11222333000181', ddd: '11' })).id;
  await root('POST', `users?tenantId=${tenant}`, { name: 'Gerente', login: 'gerente.bench', level: 'admin', password: ADMIN_PASSWORD, passwordChangeRequired: false });
  const manager = await session(url, 'gerente.bench', ADMIN_PASSWORD);
  for (let span = 1; span <= o.spans; span++) await manager('POST', 'telephony/spans', { span, signalling: 'pri_cpe', group: 1 });
  const route = await manager<{ id: number }>('POST', 'telephony/outbound-routes', { name: 'Saída E1', rules: [{ pattern: '_X.' }], trunks: [{ e1Group: 1 }] });
  const agents = Array.from({ length: o.agents }, (_, i) => ({ login: `agente.${i + 1}`, extension: String(2000 + i), id: 0, secret: '' }));
  await inParallel(agents, 4, async (a) => {
    a.id = (
      await manager<{ id: number }>('POST', 'users', {
        name: `Agente ${a.extension}`,
        login: a.login,
        level: 'agent',
        password: AGENT_PASSWORD,
        passwordChangeRequired: false,
        extension: a.extension,
        flags: { callCenter: true },
        concurrency: { voice: 1 },
      })
    ).id;
    a.secret = (await manager<{ secret: string }>('POST', 'telephony/extensions', { number: a.extension, displayName: `Agente ${a.extension}`, userId: a.id })).secret;
  });
  const queue = await manager<{ id: number }>('POST', 'queues', { name: 'Cobrança', number: '700', wrapUpSeconds: 10, members: agents.map((a) => ({ userId: a.id })) });
  const applied = await manager<{ ok: boolean }>('POST', 'telephony/apply', {});
  if (!applied.ok) throw new Error(`apply failed: ${JSON.stringify(applied)}`);
  // What the apply asks the administrator to run on the Asterisk host for new spans.
  await emulator.reload('chan_dahdi');
  const lines = emulator.lines().spans.length;
  if (lines !== o.spans) throw new Error(`chan_dahdi has ${lines} of the ${o.spans} spans after the apply`);
  for (const a of agents) emulator.setPhone(a.extension, { registered: true, password: a.secret, behaviour: 'answer', answerAfterMs: 0, reachable: true });
  await inParallel(agents, 4, async (a) => {
    const agent = await session(url, a.login, AGENT_PASSWORD);
    await until(`${a.login}’s phone registered`, async () => ((await agent<{ registered: boolean }>('GET', 'agent')).registered ? true : undefined));
    await agent('POST', 'agent/login');
  });

  const list = await manager<{ id: number }>('POST', 'dialer/lists', { name: 'Atrasados' });
  const rows = Array.from({ length: o.contacts }, (_, i) => `Cliente ${i + 1};119${String(i).padStart(7, '0')}${DIGITS[i % DIGITS.length]}`);
  const imported = await manager<{ id: number }>('POST', `imports?target=dialer_list&listId=${list.id}&fileName=bench.csv`, ['nome;telefone1', ...rows].join('\n'), 'text/csv');
  const done = await until('the list imported', async () => {
    const i = await manager<{ state: string; imported: number }>('GET', `imports/${imported.id}`);
    return i.state === 'running' || i.state === 'queued' ? undefined : i;
  });
  if (done.state !== 'done' || done.imported !== o.contacts) throw new Error(`the list import ended ${JSON.stringify(done)}`);
  const always = await manager<{ id: number }>('POST', 'flows/time-conditions', {
    name: 'Sempre',
    periods: [{ start: '00:00', end: '24:00' }],
    openDestination: { kind: 'hangup', cause: 16 },
    closedDestination: { kind: 'hangup', cause: 16 },
  });
  const strategy = await manager<{ id: number }>('POST', 'dialer/strategies', { name: 'Uma vez', maxAttemptsPerPhone: 1, maxAttemptsPerContact: 1, maxAttemptsPerDay: 1, timeConditionId: always.id });
  const campaign = await manager<{ id: number }>('POST', 'dialer/campaigns', {
    name: 'Cobrança bench',
    mode: 'predictive',
    strategyId: strategy.id,
    queueId: queue.id,
    outboundRouteId: route.id,
    callerId: '1133334444',
    ringTimeoutSeconds: 20,
    amd: { enabled: o.amd },
    abandonTargetPercent: 2.5,
    abandonMaxPercent: 3,
    stopWhenExhausted: false,
    listIds: [list.id],
  });
  return { manager, campaignId: campaign.id };
}

interface AriEvent {
  type: string;
  timestamp: string;
  channel?: { id: string; name: string; state: string };
  bridge?: { channels: string[] };
  args?: string[];
}

/** Asterisk's `2026-12-02T10:00:00.123-0300` as epoch ms. */
const epochOf = (t: string) => Date.parse(t.replace(/([+-]\d\d)(\d\d)$/, '$1:$2'));

/**
 * Follows every channel through the emulator's ARI events (an app subscribed to all): when a
 * customer's leg answers, when detection's verdict brings it back, when it meets an agent in a
 * bridge; and hangs a customer up after a talk time once bridged.
 */
function watchCalls(emulator: Emulator, talk: [number, number]) {
  const answered = new Map<string, number>();
  const verdictAt = new Map<string, number>();
  const bridged = new Set<string>();
  const answerToBridge: number[] = [];
  const verdictToBridge: number[] = [];
  /** The agent's leg of each bridged call: first seen → answered → in the bridge (where the time goes). */
  const legCreated = new Map<string, number>();
  const legUp = new Map<string, number>();
  const beforeLeg: number[] = [];
  const legRing: number[] = [];
  const legToBridge: number[] = [];
  const names = new Map<string, string>();
  let measuring = false;
  const talkTimers = new Set<NodeJS.Timeout>();
  const ws = new WebSocket(`${emulator.ariUrl.replace(/^http/, 'ws')}/ari/events?app=bench&subscribeAll=true&api_key=${emulator.ariUser}:${emulator.ariPassword}`);
  ws.on('message', (raw: Buffer) => {
    const e = JSON.parse(raw.toString()) as AriEvent;
    const c = e.channel;
    if (c) names.set(c.id, c.name);
    // The first event of an agent's leg (the emulator sends no ChannelCreated to an app): it rings, or it is up.
    if (c?.name.startsWith('PJSIP/') && !legCreated.has(c.id)) legCreated.set(c.id, epochOf(e.timestamp));
    if (e.type === 'ChannelStateChange' && c?.state === 'Up' && c.name.startsWith('PJSIP/')) legUp.set(c.id, epochOf(e.timestamp));
    if (e.type === 'ChannelStateChange' && c?.state === 'Up' && c.name.startsWith('DAHDI/')) answered.set(c.id, epochOf(e.timestamp));
    else if (e.type === 'StasisStart' && c && e.args?.[0] === 'amd') verdictAt.set(c.id, epochOf(e.timestamp));
    else if (e.type === 'ChannelEnteredBridge' && e.bridge) {
      const customer = e.bridge.channels.find((id) => names.get(id)?.startsWith('DAHDI/'));
      const agent = e.bridge.channels.find((id) => names.get(id)?.startsWith('PJSIP/'));
      if (!customer || !agent || bridged.has(customer)) return;
      bridged.add(customer);
      const at = epochOf(e.timestamp);
      const from = answered.get(customer);
      if (measuring && from !== undefined) {
        answerToBridge.push(at - from);
        const v = verdictAt.get(customer);
        if (v !== undefined) verdictToBridge.push(at - v);
        const created = legCreated.get(agent);
        const up = legUp.get(agent);
        if (created !== undefined && up !== undefined) {
          beforeLeg.push(created - (v ?? from));
          legRing.push(up - created);
          legToBridge.push(at - up);
        }
      }
      const seconds = talk[0] + Math.random() * (talk[1] - talk[0]);
      const timer = setTimeout(() => {
        talkTimers.delete(timer);
        emulator.hangup(customer).catch(() => undefined);
      }, seconds * 1000);
      talkTimers.add(timer);
    } else if (e.type === 'ChannelDestroyed' && c) {
      answered.delete(c.id);
      verdictAt.delete(c.id);
      legCreated.delete(c.id);
      legUp.delete(c.id);
      bridged.delete(c.id);
      names.delete(c.id);
    }
  });
  return {
    opened: new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    }),
    measure() {
      measuring = true;
      answerToBridge.length = 0;
      verdictToBridge.length = 0;
      for (const list of [beforeLeg, legRing, legToBridge]) list.length = 0;
    },
    figures: () => ({
      bridged: answerToBridge.length,
      answerToBridgeMs: distribution(answerToBridge),
      verdictToBridgeMs: distribution(verdictToBridge),
      // The verdict (or the answer, without detection) → the agent's leg created → answered → bridged.
      toAgentLegMs: distribution(beforeLeg),
      agentLegRingMs: distribution(legRing),
      agentAnswerToBridgeMs: distribution(legToBridge),
    }),
    close() {
      for (const t of talkTimers) clearTimeout(t);
      ws.close();
    },
  };
}

async function main(): Promise<void> {
  const o = options();
  const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: `${process.platform} ${process.arch}` };
  const loadBefore = loadavg();
  console.error(`Live dialer benchmark: ${o.agents} agents, ${o.spans} E1 spans (${o.spans * 30} lines), ${o.seconds} s, AMD ${o.amd ? 'on' : 'off'}`);
  const dir = mkdtempSync(join(tmpdir(), 'atende-bench-dialer-'));
  const configDir = join(dir, 'asterisk');
  const emulator = await startEmulator({
    recordingsDir: join(dir, 'rec'),
    configDir,
    spans: Array.from({ length: o.spans }, (_, i) => ({ span: i + 1, signalling: 'pri_cpe' as const, group: 1 })),
  });
  const calls = watchCalls(emulator, o.talk);
  await calls.opened;
  const daemon = await startDaemon(
    {
      ATENDE_PORT: '0',
      ATENDE_DATA_DIR: join(dir, 'data'),
      ATENDE_LOG_LEVEL: 'info',
      ATENDE_SEED_DEMO: 'false',
      ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ATENDE_CLOSED_DESK_LOGOUT_SECONDS: '0',
      // The calls still up when the figures are taken are hung up at once (and a profile is written).
      ATENDE_SHUTDOWN_GRACE_MS: '1000',
      ATENDE_ARI_URL: emulator.ariUrl,
      ATENDE_ARI_USER: emulator.ariUser,
      ATENDE_ARI_PASSWORD: emulator.ariPassword,
      ATENDE_AMI_HOST: '127.0.0.1',
      ATENDE_AMI_PORT: String(emulator.amiPort),
      ATENDE_AMI_USER: emulator.amiUser,
      ATENDE_AMI_SECRET: emulator.amiSecret,
      ATENDE_ASTERISK_CONFIG_DIR: configDir,
    },
    o.profile,
  );
  try {
    const setupStart = Date.now();
    const { manager, campaignId } = await arrange(o, daemon.url, emulator);
    console.error(`arranged in ${((Date.now() - setupStart) / 1000).toFixed(1)} s; dialling for ${o.seconds} s…`);
    await daemon.ask('start');
    const cpuEmulator = process.cpuUsage();
    calls.measure();
    await manager('POST', `dialer/campaigns/${campaignId}/start`);
    await new Promise((r) => setTimeout(r, o.seconds * 1000));
    const probe = ((await daemon.ask('report')) as { report: ProbeReport }).report;
    const emulatorCpu = process.cpuUsage(cpuEmulator);
    const monitor = await manager<{ campaign: unknown; lines: number | null }>('GET', `dialer/campaigns/${campaignId}/monitor`);
    // The routing engine's own view of the agents, beside the campaign's (the monitor's `agents`).
    const routingAgents: Record<string, number> = {};
    for (const a of (await manager<{ items: { state: string }[] }>('GET', 'agents')).items) routingAgents[a.state] = (routingAgents[a.state] ?? 0) + 1;
    await manager('POST', `dialer/campaigns/${campaignId}/stop`);
    const per = (n: number) => Math.round((n / probe.seconds) * 100) / 100;
    const result = {
      date: new Date().toISOString(),
      command: `npm run bench:dialer-live -- ${process.argv.slice(2).join(' ')}`.trim().replace(/ --$/, ''),
      machine,
      loadAverage: { before: loadBefore, after: loadavg() },
      options: { seconds: o.seconds, agents: o.agents, spans: o.spans, lines: o.spans * 30, contacts: o.contacts, talkSeconds: o.talk, amd: o.amd },
      daemon: {
        ticksPerSecond: per(probe.ticks),
        stepsPerSecond: per(probe.steps),
        originatesPerSecond: per(probe.originates),
        ...probe,
        seconds: Math.round(probe.seconds * 10) / 10,
        cpuPercentOfOneCore: Math.round(((probe.cpuMs.user + probe.cpuMs.system) / 10 / probe.seconds) * 10) / 10,
      },
      calls: calls.figures(),
      emulatorCpuMs: Math.round((emulatorCpu.user + emulatorCpu.system) / 1000),
      monitor,
      routingAgents,
    };
    console.log(JSON.stringify(result, null, 2));
    mkdirSync(o.out, { recursive: true });
    const file = join(o.out, `dialer-live-${result.date.replace(/:\d\d\.\d+Z$/, 'Z').replace(':', '-')}.json`);
    writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
    console.error(`Written to ${relative(process.cwd(), file)}`);
  } finally {
    calls.close();
    const exited = new Promise((r) => daemon.child.once('exit', r));
    daemon.child.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 60_000))]);
    if (daemon.child.exitCode === null) daemon.child.kill('SIGKILL');
    await emulator.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? (err.stack ?? err.message) : err);
  process.exitCode = 1;
});
