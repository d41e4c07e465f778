/**
 * Who may read the files Atende writes, decided here and nowhere else. Everything in the data
 * dir is Atende's own (0700 directories, 0600 files); what Asterisk has to read (prompts in the
 * sounds directory) is readable by the directory's group too, never by others. Run Atende in
 * Asterisk's group, or give the sounds directory that group with the setgid bit
 * (`chown atende:asterisk DIR && chmod 2750 DIR`), so new files inherit the group.
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export type Audience = 'private' | 'asterisk';

export const FILE_MODES: Readonly<Record<Audience, { dir: number; file: number }>> = {
  private: { dir: 0o700, file: 0o600 },
  asterisk: { dir: 0o750, file: 0o640 },
};

/**
 * Creates `dir` and its missing parents with the audience's mode (whatever the umask); an
 * existing directory is left as it is.
 */
export function ensureDir(dir: string, audience: Audience): void {
  const target = resolve(dir);
  const first = mkdirSync(target, { recursive: true, mode: FILE_MODES[audience].dir });
  if (first === undefined) return;
  for (let d = target; ; d = dirname(d)) {
    chmodSync(d, FILE_MODES[audience].dir);
    if (d === resolve(first) || d === dirname(d)) break;
  }
}

/**
 * Puts the file at `from` at `to` with the audience's mode, atomically: a reader sees the old
 * file or the new one, never half of one. `move` renames when both are on one filesystem
 * (the source is gone afterwards); otherwise the file is copied beside the target first.
 * Synchronous, so that it can run inside the database transaction of the row it belongs to.
 */
export function placeFile(from: string, to: string, audience: Audience, how: 'move' | 'copy'): void {
  ensureDir(dirname(to), audience);
  const tmp = join(dirname(to), `.${randomUUID()}.tmp`);
  try {
    if (how === 'move') moveFile(from, tmp);
    else copyFileSync(from, tmp);
    // Explicitly, because the process umask may have narrowed or the source widened it.
    chmodSync(tmp, FILE_MODES[audience].file);
    renameSync(tmp, to);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

function moveFile(from: string, to: string): void {
  try {
    renameSync(from, to);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
    copyFileSync(from, to);
    rmSync(from, { force: true });
  }
}
