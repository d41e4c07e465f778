import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Runs the real daemon (`src/main.ts`) as a child process on a random port with its own data
 * directory, and collects its JSON log lines, for tests of start-up, signals and restarts.
 */
export interface Daemon {
  url: string;
  dataDir: string;
  process: ChildProcess;
  logs: Record<string, unknown>[];
  stderr: () => string;
  /** Sends a signal and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

const root = resolve(import.meta.dirname, '..', '..');

/** How long a daemon may take to listen before the test gives up on it (and kills it). */
const START_TIMEOUT_MS = 90_000;

// A test that fails or times out before `stop` must not leave its daemon running after the run.
const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

export interface DaemonOptions {
  /** Run the production build (`dist/main.js`, after `npm run build`) instead of the sources. */
  built?: boolean;
}

export async function startDaemon(
  env: Record<string, string> = {},
  dataDir = mkdtempSync(join(tmpdir(), 'atende-daemon-')),
  options: DaemonOptions = {},
): Promise<Daemon> {
  const entry = options.built ? [join(root, 'dist', 'main.js')] : ['--import', 'tsx', join(root, 'src', 'main.ts')];
  const child = spawn(process.execPath, entry, {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', ATENDE_PORT: '0', ATENDE_DATA_DIR: dataDir, ATENDE_LOG_LEVEL: 'info', ATENDE_SEED_DEMO: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  running.add(child);
  const logs: Record<string, unknown>[] = [];
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<number | null>((r) =>
    child.once('exit', (code) => {
      running.delete(child);
      r(code);
    }),
  );
  const url = await new Promise<string>((resolveUrl, reject) => {
    const late = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`daemon did not listen within ${START_TIMEOUT_MS / 1000} s: ${err}`));
    }, START_TIMEOUT_MS);
    void exited.finally(() => clearTimeout(late));
    let buf = '';
    child.stdout!.on('data', (c: Buffer) => {
      buf += c.toString();
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      for (const line of lines) {
        try {
          const entry = JSON.parse(line) as Record<string, unknown>;
          logs.push(entry);
          if (entry.msg === 'Atende is listening') {
            clearTimeout(late);
            resolveUrl(entry.url as string);
          }
        } catch {
          logs.push({ raw: line });
        }
      }
    });
    void exited.then((code) => reject(new Error(`daemon exited with ${code} before listening: ${err}`)));
  });
  return {
    url,
    dataDir,
    process: child,
    logs,
    stderr: () => err,
    async stop(signal = 'SIGTERM') {
      child.kill(signal);
      return exited;
    },
  };
}
