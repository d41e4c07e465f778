/**
 * The files Atende owns below Asterisk's configuration directory: read them, write them
 * atomically (a temporary file beside the target, flushed, then renamed over it, so Asterisk
 * never reads half a file), and put back what was there before.
 */
import { randomBytes } from 'node:crypto';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { ensureDir, FILE_MODES, type Audience } from '../kernel/index.js';

export class ConfigFiles {
  /**
   * `audience` is `asterisk` for a real Asterisk's directory (its group reads the files) and
   * `private` for the emulator's, which lives in Atende's own data directory.
   */
  constructor(
    readonly dir: string,
    private readonly audience: Audience = 'asterisk',
  ) {}

  /** The current content, or null when the file does not exist. */
  async read(path: string): Promise<string | null> {
    try {
      return await readFile(join(this.dir, path), 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw err;
    }
  }

  /** Writes `content`, or removes the file for null. Secrets live in these files: owner and group only. */
  async write(path: string, content: string | null): Promise<void> {
    const target = join(this.dir, path);
    if (content === null) {
      await rm(target, { force: true });
      return;
    }
    ensureDir(dirname(target), this.audience);
    const temp = `${target}.${randomBytes(6).toString('hex')}.tmp`;
    const handle = await open(temp, 'w', FILE_MODES[this.audience].file);
    try {
      // Explicitly, because the process umask may have narrowed the mode given to open.
      await handle.chmod(FILE_MODES[this.audience].file);
      await handle.writeFile(content, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await rename(temp, target);
    } catch (err) {
      await rm(temp, { force: true });
      throw err;
    }
  }
}
