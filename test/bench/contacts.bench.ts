/**
 * `npm run bench:contacts -- [--contacts 1000000] [--lookups 100000] [--profile <dir>]`
 *
 * 1. Writes a `;`-separated CSV of N contacts with two Brazilian phones each (about 1 % of
 *    rows carry an invalid phone, so validation and the problems report are exercised), names,
 *    phones and e-mails in no order, as in a real customer base.
 * 2. Starts the daemon as `npm start` runs it (`node dist/main.js`, compiled by the npm script
 *    first; no TypeScript loader), against a standalone emulated Asterisk in its own process
 *    (as a real Asterisk would be), with a fresh data directory; uploads the file with
 *    `POST /api/v1/imports` and polls `GET /api/v1/imports/:id` until it ends. Reports the
 *    wall time from the upload's first byte to the end, the daemon's CPU time (user and system,
 *    from /proc) in that span, rows/s, and its peak RSS (the kernel's high-water mark, VmHWM:
 *    startup included) with its RSS before the upload, and how long the API took to answer
 *    the progress requests made while the import ran. The CPU time of its busiest threads (the
 *    main thread, which checks and writes the rows, and the reader's, which parses them) shows
 *    the import's critical path apart from the machine's load.
 * 3. Stops the daemon and, in a fresh process on the database the import filled, times
 *    screen-pop lookups of random imported numbers (and some unknown ones) through
 *    `ContactsService.caller` with no book named, the call the ACD makes on every queue call
 *    (the tenant's default book, then the number in it): p50/p99/max. Each pop must be the
 *    contact written with that number.
 * `--contacts 100000 --lookups 100000` runs a smaller import before the same lookups.
 * `--profile <dir>` writes a V8 CPU profile of the daemon there; `--node-flags "--max-semi-space-size=8"`
 * starts the daemon with those Node flags; `--dist <dir>` runs another build of it (relative to the
 * project: copy `dist` aside to compare two versions under the same load).
 * Fails loudly if the counts do not match what was written.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { once } from 'node:events';
import { createModules } from '../../src/modules.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase } from '../../src/db/client.js';
import { seededRandom, silentLogger, systemClock } from '../../src/kernel/index.js';
import { validCnpj } from '../helpers/app.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ADMIN_PASSWORD = 'bench-password';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    contacts: { type: 'string', default: '1000000' },
    lookups: { type: 'string', default: '100000' },
    profile: { type: 'string' },
    /** Node flags for the daemon (space-separated), to compare heap settings: `--node-flags=--max-semi-space-size=8`. */
    'node-flags': { type: 'string', default: '' },
    /** The compiled daemon to run (another build's output, to compare two versions under the same load). */
    dist: { type: 'string', default: 'dist' },
    /** Set by the parent for the lookups' process: the daemon's database file and the tenant. */
    child: { type: 'string' },
    tenant: { type: 'string' },
    invalid: { type: 'string', default: '0' },
  },
  strict: true,
});
const N = Number(values.contacts);
const LOOKUPS = Number(values.lookups);
const DDDS = ['11', '21', '31', '41', '47', '48', '51', '61', '71', '81', '85', '91'];
/**
 * The file looks like a real one: numbers, names and e-mails in no order (an index then takes
 * each row at a random place, as with a customer base, and not at the end, as numbered rows
 * would), yet each computed from the row's index, so that the lookups know what they must find.
 * The digits are an affine map of the index modulo 10^8 (10^7), one to one: no two rows share a
 * phone. Generated landlines start with 2–4; the lookups' unknown numbers start with 5.
 */
const FIRST = ['Maria', 'José', 'Ana', 'João', 'Antônio', 'Francisca', 'Carlos', 'Paulo', 'Adriana', 'Lucas', 'Juliana', 'Marcos', 'Fernanda', 'Rafael', 'Patrícia', 'Luiz', 'Aline', 'Gabriel', 'Camila', 'Pedro', 'Letícia', 'Mateus', 'Beatriz', 'Thiago', 'Larissa', 'Felipe', 'Vanessa', 'Bruno', 'Jéssica', 'Diego'];
const LAST = ['Silva', 'Santos', 'Oliveira', 'Souza', 'Rodrigues', 'Ferreira', 'Alves', 'Pereira', 'Lima', 'Gomes', 'Costa', 'Ribeiro', 'Martins', 'Carvalho', 'Almeida', 'Lopes', 'Soares', 'Fernandes', 'Vieira', 'Barbosa', 'Rocha', 'Dias', 'Nascimento', 'Andrade', 'Moreira', 'Nunes', 'Marques', 'Machado', 'Mendes', 'Freitas'];
const PROVIDERS = ['gmail.com', 'hotmail.com', 'yahoo.com.br', 'outlook.com', 'uol.com.br', 'bol.com.br', 'terra.com.br'];
const mix = (i: number, a: number, b: number, m: number) => (i * a + b) % m;
const first = (i: number) => FIRST[mix(i, 7919, 13, FIRST.length)]!;
const name = (i: number) => `${first(i)} ${LAST[mix(i, 104_729, 7, LAST.length)]} ${LAST[mix(i, 15_485_863, 3, LAST.length)]}`;
const mobile = (i: number) => `55${DDDS[mix(i, 2_654_435, 1, DDDS.length)]}9${String(mix(i, 73_939_133, 12_345_678, 100_000_000)).padStart(8, '0')}`;
const landline = (i: number) => {
  const digits = String(mix(i, 9_999_991, 1_234_567, 10_000_000)).padStart(7, '0');
  return `(${DDDS[mix(i, 48_271, 5, DDDS.length)]}) ${2 + (i % 3)}${digits.slice(0, 3)}-${digits.slice(3)}`;
};
const email = (i: number) =>
  `${first(i).normalize('NFD').replace(/[^a-zA-Z]/g, '').toLowerCase()}.${String(mix(i, 2_147_483, 11, 1_000_000))}@${PROVIDERS[i % PROVIDERS.length]}`;

const out = (line: string) => process.stdout.write(`${line}\n`);
const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');

/** Starts `node <script> args` and resolves with the first stdout line `pick` accepts. */
async function startProcess<T>(what: string, args: string[], env: Record<string, string>, pick: (line: string) => T | undefined): Promise<{ child: ChildProcess; found: T }> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()));
  const found = await new Promise<T>((resolve, reject) => {
    let buf = '';
    let resolved = false;
    const late = setTimeout(() => reject(new Error(`${what} did not start within 60 s: ${stderr}`)), 60_000);
    child.once('exit', (code) => {
      clearTimeout(late);
      if (!resolved) reject(new Error(`${what} exited (${code}): ${stderr}`));
    });
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        // The daemon's warnings and errors are shown: a run that logs them is not a clean run.
        if (/"level":(4|5|6)\d/.test(line)) process.stderr.write(`${what}: ${line.slice(0, 600)}\n`);
        const v = resolved ? undefined : pick(line);
        if (v === undefined) continue;
        resolved = true;
        clearTimeout(late);
        resolve(v);
      }
    });
  });
  return { child, found };
}

/** CPU seconds (user, system) and memory (VmRSS, VmHWM in bytes) of a process, from /proc. */
function usageOf(pid: number): { user: number; system: number; rss: number; peak: number } {
  // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = 100; // USER_HZ on Linux
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
  return { user: Number(fields[11]) / ticks, system: Number(fields[12]) / ticks, rss: kib('VmRSS'), peak: kib('VmHWM') };
}

/** CPU seconds (user + system) of each thread of a process, by thread id, from /proc. */
function threadsOf(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(tid, (Number(fields[11]) + Number(fields[12])) / 100);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** A REST session with the daemon (cookie kept); a status ≥ 300 throws with the body. */
async function session(url: string) {
  let cookie = '';
  const call = async <T>(method: string, path: string, body?: unknown, type = 'application/json'): Promise<T> => {
    const stream = body instanceof Readable;
    const res = await fetch(`${url}/api/v1/${path}`, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': type } : {}), ...(cookie ? { cookie } : {}) },
      body: body === undefined ? undefined : stream ? (Readable.toWeb(body) as ReadableStream) : JSON.stringify(body),
      ...(stream ? { duplex: 'half' } : {}),
    } as RequestInit);
    const set = res.headers.getSetCookie().find((c) => c.startsWith('atende_session='));
    if (set) cookie = set.split(';')[0]!;
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${text}`);
    return (text ? JSON.parse(text) : null) as T;
  };
  await call('POST', 'auth/login', { login: 'admin', password: ADMIN_PASSWORD });
  return call;
}

interface ImportView {
  id: number;
  state: string;
  rows: number;
  imported: number;
  problems: number;
}

/** Writes the CSV, imports it into the daemon, then runs the lookups in a child process. */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atende-bench-contacts-'));
  const children: ChildProcess[] = [];
  try {
    const random = seededRandom(42);
    const csvFile = join(dir, 'contacts.csv');
    const file = createWriteStream(csvFile);
    let invalid = 0;
    file.write('nome;telefone1;telefone2;email;cidade\n');
    for (let i = 0; i < N; i++) {
      const bad = random.next() < 0.01;
      if (bad) invalid++;
      const line = `${name(i)};${mobile(i)};${bad ? '(20) 3456-7890' : landline(i)};${email(i)};Cidade ${mix(i, 7, 3, 500)}\n`;
      if (!file.write(line)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
    const size = statSync(csvFile).size;

    const emulator = await startProcess(
      'the emulated Asterisk',
      [join(ROOT, values.dist, 'cli', 'emulator.js'), 'serve', '--ari-port', '0', '--ami-port', '0', '--control-port', '0', '--ari-password', 'bench', '--ami-secret', 'bench', '--recordings', join(dir, 'recordings')],
      { ATENDE_LOG_LEVEL: 'warn' },
      (line) => {
        const m = /Point Atende at it with ATENDE_ARI_URL=(\S+) .*ATENDE_AMI_PORT=(\d+)/.exec(line);
        return m ? { ari: m[1]!, ami: m[2]! } : undefined;
      },
    );
    children.push(emulator.child);
    const daemon = await startProcess(
      'the daemon',
      [...values['node-flags'].split(' ').filter(Boolean), ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []), join(ROOT, values.dist, 'main.js')],
      {
        ATENDE_DATA_DIR: join(dir, 'data'),
        ATENDE_PORT: '0',
        ATENDE_ADMIN_PASSWORD: ADMIN_PASSWORD,
        ATENDE_SEED_DEMO: 'false',
        ATENDE_IMPORT_MAX_MB: '1024',
        ATENDE_ARI_URL: emulator.found.ari,
        ATENDE_ARI_PASSWORD: 'bench',
        ATENDE_AMI_HOST: '127.0.0.1',
        ATENDE_AMI_PORT: emulator.found.ami,
        ATENDE_AMI_SECRET: 'bench',
      },
      (line) => (line.includes('Atende is listening') ? (JSON.parse(line) as { url: string }).url : undefined),
    );
    children.push(daemon.child);
    const pid = daemon.child.pid!;
    const root = await session(daemon.found);
    const tenantId = (await root<{ id: number }>('POST', 'tenants', { legalName: 'Bench', cnpj: validCnpj(777) })).id;
    // Let the daemon's startup work (first AMI and ARI exchanges) settle before measuring.
    await new Promise((r) => setTimeout(r, 2000));
    const before = usageOf(pid);
    const threadsBefore = threadsOf(pid);
    const loadBefore = loadavg();

    const t0 = performance.now();
    const started = await root<ImportView>('POST', `imports?target=contacts&tenantId=${tenantId}&fileName=contacts.csv`, createReadStream(csvFile), 'text/csv');
    // The upload is spooled to a file before the rows are read: the peak up to then is its own.
    const spooled = usageOf(pid);
    let done = started;
    // Each poll is also a request the API must answer while it imports: its time is reported.
    const answers: number[] = [];
    // The CPU of each thread as last seen (the import's reader thread is gone once it ends).
    const threadsSeen = new Map<string, number>();
    while (done.state === 'running') {
      await new Promise((r) => setTimeout(r, 250));
      const asked = performance.now();
      done = await root<ImportView>('GET', `imports/${started.id}?tenantId=${tenantId}`);
      answers.push(performance.now() - asked);
      for (const [tid, cpu] of threadsOf(pid)) threadsSeen.set(tid, cpu);
    }
    for (const [tid, cpu] of threadsOf(pid)) threadsSeen.set(tid, cpu);
    const importMs = performance.now() - t0;
    const after = usageOf(pid);
    const loadAfter = loadavg();
    if (done.state !== 'done' || done.imported !== N || done.rows !== N || done.problems !== invalid) {
      throw new Error(`import incomplete or wrong (expected ${N} rows imported and ${invalid} problems): ${JSON.stringify(done)}`);
    }
    daemon.child.kill('SIGTERM');
    await once(daemon.child, 'exit');
    emulator.child.kill('SIGTERM');
    await once(emulator.child, 'exit');

    const user = after.user - before.user;
    const system = after.system - before.system;
    out(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}; the daemon: node ${values['node-flags'] ? `${values['node-flags']} ` : ''}${values.dist}/main.js`);
    out(`import: ${N} contacts (${(size / 2 ** 20).toFixed(1)} MiB, ${invalid} invalid phones reported) in ${(importMs / 1000).toFixed(1)} s wall = ${Math.round(N / (importMs / 1000))} rows/s; ${(user + system).toFixed(1)} s of the daemon's CPU (user ${user.toFixed(1)} s, system ${system.toFixed(1)} s; ${Math.round(N / (user + system))} rows per CPU second)`);
    out(`load average (1, 5, 15 min) when the import started: ${load(loadBefore)}; when it ended: ${load(loadAfter)}`);
    const busiest = [...threadsSeen]
      .map(([tid, cpu]) => cpu - (threadsBefore.get(tid) ?? 0))
      .sort((a, b) => b - a)
      .slice(0, 3);
    out(`the daemon's busiest threads in the import: ${busiest.map((c) => `${c.toFixed(1)} s`).join(', ')} of CPU (the import's wall time on an idle machine is at least the first)`);
    answers.sort((a, b) => a - b);
    const answer = (p: number) => (answers[Math.min(answers.length - 1, Math.floor(p * answers.length))] ?? NaN).toFixed(0);
    out(`the API during the import: ${answers.length} progress requests answered in p50 ${answer(0.5)} ms, p99 ${answer(0.99)} ms, max ${answer(1)} ms`);
    out(`peak RSS of the daemon: ${Math.round(after.peak / 2 ** 20)} MiB (before the upload ${Math.round(before.rss / 2 ** 20)} MiB, once it was spooled ${Math.round(spooled.peak / 2 ** 20)} MiB)`);

    const lookups = fork(fileURLToPath(import.meta.url), ['--child', join(dir, 'data', 'atende.db'), '--tenant', String(tenantId), '--invalid', String(invalid), '--contacts', String(N), '--lookups', String(LOOKUPS)]);
    children.push(lookups);
    const [code] = (await once(lookups, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the lookups' process exited with ${code}`);
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lookups' process: the imported database opened afresh, the phones counted, the pops timed. */
async function lookUp(dbFile: string, tenantId: number, invalid: number): Promise<void> {
  const random = seededRandom(43);
  const config = loadConfig({}, { dataDir: join(dbFile, '..'), log: { level: 'silent' }, seedDemo: false, adminPassword: ADMIN_PASSWORD });
  const database = openDatabase(dbFile);
  const modules = createModules({ config, database, clock: systemClock, logger: silentLogger });
  const phones = (database.sqlite.prepare('SELECT count(*) AS n FROM contact_phones WHERE tenant_id = ?').get(tenantId) as { n: number }).n;
  if (phones !== 2 * N - invalid) throw new Error(`expected ${2 * N - invalid} phones, got ${phones}`);

  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const k = Math.floor(random.next() * N);
    const unknown = i % 10 === 9;
    const caller = unknown ? `0${DDDS[k % DDDS.length]}5${String(k).padStart(7, '0')}` : `0${mobile(k).slice(2)}`;
    const s = performance.now();
    const pop = modules.contacts.caller(tenantId, caller);
    times.push(performance.now() - s);
    if (pop === undefined) continue;
    if (unknown || pop.name !== name(k)) throw new Error(`${caller} popped ${pop.name}, expected ${unknown ? 'nobody' : name(k)}`);
    found++;
  }
  const expectedFound = LOOKUPS - Math.floor(LOOKUPS / 10);
  if (found !== expectedFound) throw new Error(`lookups found ${found}, expected ${expectedFound}`);
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);
  out(`screen pop: ${LOOKUPS} lookups (10 % unknown numbers): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times[times.length - 1]!.toFixed(3)} ms; load average ${load(loadavg())}`);
  await modules.close();
  database.close();
}

(values.child ? lookUp(values.child, Number(values.tenant), Number(values.invalid)) : main()).catch((e: unknown) => {
  process.stderr.write(`bench:contacts failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
