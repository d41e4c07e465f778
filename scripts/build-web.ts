/**
 * Builds the web app into `web/dist` with Vite, unless nothing it was built from has changed
 * (`npm start` runs this every time). After a build it writes `web/dist/.build-inputs.json`:
 * the hash of every source file the bundle was made of (as Vite reports them), of
 * `web/index.html`, `web/public/`, the Vite config and `package-lock.json`. Assets are also
 * written gzip- and brotli-compressed beside themselves, which the daemon serves as they are.
 *
 *   tsx scripts/build-web.ts            build if needed
 *   tsx scripts/build-web.ts --force    build anyway
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { build, type Rolldown } from 'vite';
import { projectRoot } from '../src/config/index.js';

const webDir = join(projectRoot, 'web');
const outDir = join(webDir, 'dist');
const stampFile = join(outDir, '.build-inputs.json');

const filesUnder = (dir: string): string[] =>
  existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(join(dir, e.name)) : [join(dir, e.name)]))
    : [];

const fixedInputs = (): string[] => [
  join(webDir, 'index.html'),
  join(webDir, 'vite.config.ts'),
  join(projectRoot, 'package-lock.json'),
  ...filesUnder(join(webDir, 'public')),
];

const hashOf = (file: string): string | null =>
  existsSync(file) ? createHash('sha256').update(readFileSync(file)).digest('hex') : null;

function fingerprint(files: string[]): Record<string, string | null> {
  return Object.fromEntries([...new Set(files)].sort().map((f) => [relative(projectRoot, f), hashOf(f)]));
}

function upToDate(): boolean {
  if (!existsSync(stampFile) || !existsSync(join(outDir, 'index.html'))) return false;
  const recorded = JSON.parse(readFileSync(stampFile, 'utf8')) as Record<string, string | null>;
  const files = [...Object.keys(recorded).map((f) => join(projectRoot, f)), ...fixedInputs()];
  const now = fingerprint(files);
  return Object.keys(now).length === Object.keys(recorded).length && Object.entries(now).every(([f, h]) => recorded[f] === h);
}

function precompress(): void {
  for (const file of filesUnder(join(outDir, 'assets'))) {
    if (!/\.(js|css|svg|json|woff|ttf|eot)$/.test(file) || statSync(file).size < 1024) continue;
    const body = readFileSync(file);
    writeFileSync(`${file}.gz`, gzipSync(body, { level: 9 }));
    writeFileSync(`${file}.br`, brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }));
  }
}

async function main(): Promise<void> {
  if (!process.argv.includes('--force') && upToDate()) {
    process.stdout.write('web app up to date (web/dist)\n');
    return;
  }
  const result = (await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' })) as Rolldown.RolldownOutput | Rolldown.RolldownOutput[];
  const outputs = Array.isArray(result) ? result : [result];
  const sources = outputs
    .flatMap((o) => o.output)
    .flatMap((chunk) => (chunk.type === 'chunk' ? chunk.moduleIds : []))
    .map((id) => id.split('?')[0]!)
    .filter((id) => id.startsWith(projectRoot) && !id.includes('/node_modules/') && existsSync(id));
  precompress();
  writeFileSync(stampFile, `${JSON.stringify(fingerprint([...sources, ...fixedInputs()]), null, 1)}\n`);
  process.stdout.write(`web app built into web/dist from ${sources.length} source files\n`);
}

await main();
