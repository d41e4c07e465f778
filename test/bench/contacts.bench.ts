/**
 * `npm run bench:contacts -- [--contacts 1000000] [--lookups 100000] [--profile <dir>]`
 *
 * 1. Writes a `;`-separated CSV of N contacts with two Brazilian phones each (about 1 % of
 *    rows carry an invalid phone, so validation and the problems report are exercised).
 * 2. In a fresh process (as the daemon would: the CSV writer's memory is not counted), imports
 *    it through the production importer (spool, sniff, parse, validate, duplicate checks,
 *    batched writes) into a fresh SQLite file. Reports wall time, CPU time (user and system),
 *    rows/s and the process's peak RSS (the kernel's high-water mark).
 * 3. In that process, screen-pop lookups of random imported numbers (and some unknown ones)
 *    through `ContactsService.caller` with no book named, the call the ACD makes on every
 *    queue call (the tenant's default book, then the number in it): p50/p99/max. Each pop must
 *    be the contact written with that number.
 * `--contacts 100000 --lookups 100000` runs a smaller import before the same lookups.
 * `--profile <dir>` writes a V8 CPU profile of the importing process there.
 * Fails loudly if the counts do not match what was written.
 */
import { fork } from 'node:child_process';
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { once } from 'node:events';
import { createModules } from '../../src/modules.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase } from '../../src/db/client.js';
import { seededRandom, silentLogger, systemClock } from '../../src/kernel/index.js';
import { bootstrap, OrgService, SYSTEM_ACTOR } from '../../src/org/index.js';
import { validCnpj } from '../helpers/app.js';

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: {
    contacts: { type: 'string', default: '1000000' },
    lookups: { type: 'string', default: '100000' },
    profile: { type: 'string' },
    /** Set by the parent: the directory holding the CSV, and how many invalid phones it has. */
    child: { type: 'string' },
    invalid: { type: 'string', default: '0' },
  },
  strict: true,
});
const N = Number(values.contacts);
const LOOKUPS = Number(values.lookups);
const DDDS = ['11', '21', '31', '41', '47', '48', '51', '61', '71', '81', '85', '91'];
const mobile = (i: number) => `55${DDDS[i % DDDS.length]}9${String(10_000_000 + i).padStart(8, '0')}`;
const landline = (i: number) => {
  const digits = String(i).padStart(7, '0');
  return `(${DDDS[i % DDDS.length]}) 3${digits.slice(0, 3)}-${digits.slice(3)}`;
};

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Writes the CSV, then runs the import and the lookups in a child process. */
async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atende-bench-contacts-'));
  try {
    const random = seededRandom(42);
    const file = createWriteStream(join(dir, 'contacts.csv'));
    let invalid = 0;
    file.write('nome;telefone1;telefone2;email;cidade\n');
    for (let i = 0; i < N; i++) {
      const bad = random.next() < 0.01;
      if (bad) invalid++;
      const line = `Contato ${i} da Silva;${mobile(i)};${bad ? '(20) 3456-7890' : landline(i)};c${i}@example.com;Cidade ${i % 500}\n`;
      if (!file.write(line)) await once(file, 'drain');
    }
    file.end();
    await once(file, 'finish');
    const execArgv = [...process.execArgv, ...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [])];
    const child = fork(fileURLToPath(import.meta.url), ['--child', dir, '--invalid', String(invalid), '--contacts', String(N), '--lookups', String(LOOKUPS)], { execArgv });
    const [code] = (await once(child, 'exit')) as [number | null];
    if (code !== 0) throw new Error(`the importing process exited with ${code}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The importing process: a fresh daemon's modules, the import, then the lookups. */
async function importAndLookUp(dir: string, invalid: number): Promise<void> {
  const random = seededRandom(43);
  const csvFile = join(dir, 'contacts.csv');
  const size = statSync(csvFile).size;
  const config = loadConfig({}, { dataDir: dir, log: { level: 'silent' }, seedDemo: false, adminPassword: 'bench-password', contacts: { importMaxMb: 1024 } });
  const database = openDatabase(join(dir, 'atende.db'));
  await bootstrap({ config, database, logger: silentLogger, clock: systemClock });
  const modules = createModules({ config, database, clock: systemClock, logger: silentLogger });
  const org = new OrgService(database, systemClock, modules.resources.audit);
  const tenantId = org.createTenant({ actor: SYSTEM_ACTOR }, { legalName: 'Bench', cnpj: validCnpj(777) }).id;
  const rssBefore = process.memoryUsage().rss;
  const loadBefore = loadavg();

  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const started = await modules.contacts.importer.start({
    tenantId,
    userId: null,
    target: 'contacts',
    options: {},
    fileName: 'contacts.csv',
    body: createReadStream(csvFile),
  });
  const done = await modules.contacts.importer.settled(started.id);
  const importMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const importCpuS = (cpu.user + cpu.system) / 1e6;
  const loadAfter = loadavg();
  // The kernel's high-water mark of this process (KiB on Linux): module loading included.
  const importPeak = process.resourceUsage().maxRSS * 1024;
  if (done.state !== 'done' || done.imported !== N || done.rows !== N) {
    throw new Error(`import incomplete: ${JSON.stringify(done)}`);
  }
  const phones = (database.sqlite.prepare('SELECT count(*) AS n FROM contact_phones').get() as { n: number }).n;
  if (phones !== 2 * N - invalid || done.problems !== invalid) throw new Error(`expected ${2 * N - invalid} phones and ${invalid} problems, got ${phones} and ${done.problems}`);

  const times: number[] = [];
  let found = 0;
  for (let i = 0; i < LOOKUPS; i++) {
    const k = Math.floor(random.next() * N);
    const unknown = i % 10 === 9;
    const caller = unknown ? `0${DDDS[k % DDDS.length]}98${String(k).padStart(7, '0')}` : `0${mobile(k).slice(2)}`;
    const s = performance.now();
    const pop = modules.contacts.caller(tenantId, caller);
    times.push(performance.now() - s);
    if (pop === undefined) continue;
    if (unknown || pop.name !== `Contato ${k} da Silva`) throw new Error(`${caller} popped ${pop.name}, expected ${unknown ? 'nobody' : `Contato ${k} da Silva`}`);
    found++;
  }
  const expectedFound = LOOKUPS - Math.floor(LOOKUPS / 10);
  if (found !== expectedFound) throw new Error(`lookups found ${found}, expected ${expectedFound}`);
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);

  out(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
  out(`import: ${N} contacts (${(size / 2 ** 20).toFixed(1)} MiB, ${invalid} invalid phones reported) in ${(importMs / 1000).toFixed(1)} s wall = ${Math.round(N / (importMs / 1000))} rows/s; ${importCpuS.toFixed(1)} s of CPU (user ${(cpu.user / 1e6).toFixed(1)} s, system ${(cpu.system / 1e6).toFixed(1)} s; ${Math.round(N / importCpuS)} rows per CPU second)`);
  const load = (l: number[]) => l.map((x) => x.toFixed(1)).join(' ');
  out(`load average (1, 5, 15 min) when the import started: ${load(loadBefore)}; when it ended: ${load(loadAfter)}; after the lookups: ${load(loadavg())}`);
  out(`peak RSS of the importing process: ${Math.round(importPeak / 2 ** 20)} MiB (before the import ${Math.round(rssBefore / 2 ** 20)} MiB)`);
  out(`screen pop: ${LOOKUPS} lookups (10 % unknown numbers): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times[times.length - 1]!.toFixed(3)} ms`);
  await modules.close();
  database.close();
}

(values.child ? importAndLookUp(values.child, Number(values.invalid)) : main()).catch((e: unknown) => {
  process.stderr.write(`bench:contacts failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
