import { chmodSync, closeSync, existsSync, openSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir, FILE_MODES } from './file-modes.js';
import type { Logger } from './logger.js';

/**
 * The data directory holds password hashes, TOTP secrets and recordings: nobody but the user
 * Atende runs as may read it. Everything Atende creates there is private (`FILE_MODES.private`).
 * What Asterisk must read (prompts, music on hold) is published outside it; see
 * `ATENDE_SOUNDS_DIR`.
 */
const { dir: PRIVATE_DIR_MODE, file: PRIVATE_FILE_MODE } = FILE_MODES.private;

/** Creates `dir` (and missing parents) readable by its owner only; an existing one is left as it is. */
export const ensurePrivateDir = (dir: string): void => ensureDir(dir, 'private');

/** Writes a file that only its owner may read, replacing any content. */
export function writePrivateFile(path: string, content: string | Buffer): void {
  writeFileSync(path, content, { mode: PRIVATE_FILE_MODE });
  chmodSync(path, PRIVATE_FILE_MODE);
}

/**
 * Creates an empty file readable by its owner only, unless it exists. SQLite gives the `-wal`
 * and `-shm` files it creates beside a database the database file's own mode.
 */
export function touchPrivateFile(path: string): void {
  if (existsSync(path)) return;
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  chmodSync(path, PRIVATE_FILE_MODE);
}

const wider = (mode: number, allowed: number): boolean => (mode & 0o777 & ~allowed) !== 0;
const octal = (mode: number): string => (mode & 0o777).toString(8).padStart(4, '0');

/**
 * Makes sure the data directory exists, created private. An existing directory (or a file
 * in it) that others may read is not changed behind the admin's back, but each start says so.
 */
export function prepareDataDir(dir: string, logger: Logger): void {
  if (!existsSync(dir)) {
    ensurePrivateDir(dir);
    return;
  }
  const mode = statSync(dir).mode;
  if (wider(mode, PRIVATE_DIR_MODE)) {
    logger.warn(
      { dataDir: dir, mode: octal(mode) },
      `the data directory ${dir} is readable by other users (mode ${octal(mode)}); it holds password hashes and TOTP secrets: chmod 700 it`,
    );
  }
  const exposed = readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isFile() && wider(statSync(join(dir, e.name)).mode, PRIVATE_FILE_MODE))
    .map((e) => `${e.name} (${octal(statSync(join(dir, e.name)).mode)})`);
  if (exposed.length > 0) {
    logger.warn({ dataDir: dir, files: exposed }, `files in the data directory are readable by other users: ${exposed.join(', ')}; chmod 600 them`);
  }
}
