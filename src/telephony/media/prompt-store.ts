import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ensureDir, placeFile } from '../../kernel/file-modes.js';
import { TELEPHONY_EXTENSIONS } from './media.model.js';

export interface PromptKey {
  tenantId: number;
  promptId: number;
}

export interface ReconcileResult {
  /** Files copied into the sounds directory. */
  published: number;
  /** Files removed because their prompt no longer exists. */
  removed: number;
  /** Prompts whose master copy is missing from the data dir. */
  missing: PromptKey[];
}

export interface PromptStoreOptions {
  dataDir: string;
  /** `config.asterisk.soundsDir`: where Asterisk reads Atende's audio; empty when it reads the data dir. */
  soundsDir: string;
}

const relative = (k: PromptKey) => join('prompts', `t${k.tenantId}`, String(k.promptId));

function sameBytes(a: string, b: string): boolean {
  try {
    return statSync(a).size === statSync(b).size && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/**
 * Where prompt audio lives. The master copy of each prompt is in the data dir
 * (`prompts/t<tenant>/<id>.wav` and `.alaw`, private like everything there, and in its
 * backups). With a sounds directory configured, Asterisk plays a published copy there (same
 * relative path, readable by Asterisk's group); without one it plays the master copy.
 */
export class PromptStore {
  private readonly dataDir: string;
  private readonly soundsDir: string | undefined;

  constructor(o: PromptStoreOptions) {
    this.dataDir = resolve(o.dataDir);
    this.soundsDir = o.soundsDir.trim() === '' ? undefined : resolve(o.soundsDir);
  }

  /** What Asterisk plays: an absolute path without extension (it picks `.alaw` or `.wav` per channel). */
  mediaPath(k: PromptKey): string {
    return join(this.soundsDir ?? this.dataDir, relative(k));
  }

  /** The 8 kHz WAV of a prompt, as the browser downloads it. */
  wavFile(k: PromptKey): string {
    return `${join(this.dataDir, relative(k))}.wav`;
  }

  /** A fresh private directory under the data dir for files on their way in; `closeScratch` removes it. */
  openScratch(): string {
    const dir = join(this.scratchRoot, randomUUID());
    ensureDir(dir, 'private');
    return dir;
  }

  async closeScratch(dir: string): Promise<void> {
    await rm(dir, { recursive: true, force: true });
  }

  /** Runs `fn` with a scratch directory, removed afterwards. */
  async scratch<T>(fn: (dir: string) => Promise<T>): Promise<T> {
    const dir = this.openScratch();
    try {
      return await fn(dir);
    } finally {
      await this.closeScratch(dir);
    }
  }

  private get scratchRoot(): string {
    return join(this.dataDir, 'tmp', 'prompts');
  }

  /**
   * Makes `<base>.wav` and `<base>.alaw` this prompt's audio, replacing what it had.
   * Synchronous: it runs inside the transaction that writes the prompt's row.
   */
  install(k: PromptKey, base: string): void {
    const master = join(this.dataDir, relative(k));
    for (const ext of TELEPHONY_EXTENSIONS) placeFile(`${base}.${ext}`, `${master}.${ext}`, 'private', 'move');
    if (!this.soundsDir) return;
    const published = join(this.soundsDir, relative(k));
    for (const ext of TELEPHONY_EXTENSIONS) placeFile(`${master}.${ext}`, `${published}.${ext}`, 'asterisk', 'copy');
  }

  remove(k: PromptKey): void {
    for (const root of [this.dataDir, this.soundsDir]) {
      if (!root) continue;
      for (const ext of TELEPHONY_EXTENSIONS) rmSync(`${join(root, relative(k))}.${ext}`, { force: true });
    }
  }

  /**
   * Brings the files in line with the prompts that exist (at start, e.g. after a restore of
   * the data dir or with a new sounds directory): publishes what is missing or different and
   * removes, in both places, the files of prompts that are gone.
   */
  reconcile(keys: readonly PromptKey[]): ReconcileResult {
    const result: ReconcileResult = { published: 0, removed: 0, missing: [] };
    // Uploads and conversions cut short by a stop.
    rmSync(this.scratchRoot, { recursive: true, force: true });
    const wanted = new Set(keys.flatMap((k) => TELEPHONY_EXTENSIONS.map((ext) => `${relative(k)}.${ext}`)));
    for (const k of keys) {
      const master = join(this.dataDir, relative(k));
      if (TELEPHONY_EXTENSIONS.some((ext) => !existsSync(`${master}.${ext}`))) {
        result.missing.push(k);
        continue;
      }
      if (!this.soundsDir) continue;
      for (const ext of TELEPHONY_EXTENSIONS) {
        const to = `${join(this.soundsDir, relative(k))}.${ext}`;
        if (sameBytes(`${master}.${ext}`, to)) continue;
        placeFile(`${master}.${ext}`, to, 'asterisk', 'copy');
        result.published++;
      }
    }
    for (const root of [this.dataDir, this.soundsDir]) {
      if (!root) continue;
      const prompts = join(root, 'prompts');
      const tenants = existsSync(prompts) ? readdirSync(prompts).filter((n) => /^t\d+$/.test(n)) : [];
      for (const t of tenants) {
        for (const file of readdirSync(join(prompts, t))) {
          if (wanted.has(join('prompts', t, file))) continue;
          rmSync(join(prompts, t, file), { force: true });
          result.removed++;
        }
      }
    }
    return result;
  }
}
