/**
 * `npm run bench:contacts -- [--contacts 1000000] [--lookups 100000]`
 *
 * 1. Writes a `;`-separated CSV of N contacts with two Brazilian phones each (about 1 % of
 *    rows carry an invalid phone, so validation and the problems report are exercised) and
 *    imports it through the production importer (spool, sniff, parse, validate, duplicate
 *    checks, batched writes) into a fresh SQLite file. Reports wall time, rows/s and the peak
 *    RSS of the process.
 * 2. Screen-pop lookups of random imported numbers (and some unknown ones) through
 *    `ContactsService.lookup`, the call the ACD makes on every inbound call: p50/p99/max.
 * Fails loudly if the counts do not match what was written.
 */
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
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
  options: { contacts: { type: 'string', default: '1000000' }, lookups: { type: 'string', default: '100000' } },
  strict: true,
});
const N = Number(values.contacts);
const LOOKUPS = Number(values.lookups);
const DDDS = ['11', '21', '31', '41', '47', '48', '51', '61', '71', '81', '85', '91'];

const out = (line: string) => process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'atende-bench-contacts-'));
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
  try {
    const random = seededRandom(42);
    const csvFile = join(dir, 'contacts.csv');
    const file = createWriteStream(csvFile);
    const mobile = (i: number) => `55${DDDS[i % DDDS.length]}9${String(10_000_000 + i).padStart(8, '0')}`;
    const landline = (i: number) => {
      const digits = String(i).padStart(7, '0');
      return `(${DDDS[i % DDDS.length]}) 3${digits.slice(0, 3)}-${digits.slice(3)}`;
    };
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
    const size = statSync(csvFile).size;

    const config = loadConfig({}, { dataDir: dir, log: { level: 'silent' }, seedDemo: false, adminPassword: 'bench-password', contacts: { importMaxMb: 1024 } });
    const database = openDatabase(join(dir, 'atende.db'));
    await bootstrap({ config, database, logger: silentLogger, clock: systemClock });
    const modules = createModules({ config, database, clock: systemClock, logger: silentLogger });
    const org = new OrgService(database, systemClock, modules.resources.audit);
    const tenantId = org.createTenant({ actor: SYSTEM_ACTOR }, { legalName: 'Bench', cnpj: validCnpj(777) }).id;
    const rssBefore = process.memoryUsage().rss;

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
    if (done.state !== 'done' || done.imported !== N || done.rows !== N) {
      throw new Error(`import incomplete: ${JSON.stringify(done)}`);
    }
    const phones = (database.sqlite.prepare('SELECT count(*) AS n FROM contact_phones').get() as { n: number }).n;
    if (phones !== 2 * N - invalid || done.problems !== invalid) throw new Error(`expected ${2 * N - invalid} phones and ${invalid} problems, got ${phones} and ${done.problems}`);
    const importPeak = peakRss;

    const times: number[] = [];
    let found = 0;
    for (let i = 0; i < LOOKUPS; i++) {
      const k = Math.floor(random.next() * N);
      const unknown = i % 10 === 9;
      const caller = unknown ? `0${DDDS[k % DDDS.length]}98${String(k).padStart(7, '0')}` : `0${mobile(k).slice(2)}`;
      const s = performance.now();
      const pop = modules.contacts.lookup(tenantId, caller);
      times.push(performance.now() - s);
      if (pop.matches.length > 0) found++;
    }
    const expectedFound = LOOKUPS - Math.floor(LOOKUPS / 10);
    if (found !== expectedFound) throw new Error(`lookups found ${found}, expected ${expectedFound}`);
    times.sort((a, b) => a - b);
    const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!.toFixed(3);

    out(`machine: ${cpus().length} × ${cpus()[0]?.model ?? '?'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`);
    out(`import: ${N} contacts (${(size / 2 ** 20).toFixed(1)} MiB, ${invalid} invalid phones reported) in ${(importMs / 1000).toFixed(1)} s wall = ${Math.round(N / (importMs / 1000))} rows/s; ${importCpuS.toFixed(1)} s of CPU (${Math.round(N / importCpuS)} rows per CPU second)`);
    out(`load average during the run: ${loadavg().map((l) => l.toFixed(1)).join(' ')}`);
    out(`peak RSS: ${Math.round(importPeak / 2 ** 20)} MiB (before the import ${Math.round(rssBefore / 2 ** 20)} MiB)`);
    out(`screen pop: ${LOOKUPS} lookups (10 % unknown numbers): p50 ${q(0.5)} ms, p99 ${q(0.99)} ms, max ${times[times.length - 1]!.toFixed(3)} ms`);
    await modules.close();
    database.close();
  } finally {
    clearInterval(sampler);
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`bench:contacts failed: ${(e as Error).stack ?? String(e)}\n`);
  process.exit(1);
});
