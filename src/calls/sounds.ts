import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { projectRoot } from '../config/index.js';
import { placeFile } from '../kernel/index.js';
import type { Media } from '../telephony/call-control.js';

/** The product's own prompts, shipped with it (`sounds/<lang>/<name>.wav`). */
export const productSoundsDir = resolve(projectRoot, 'sounds');

export const defaultPromptLang = 'pt-BR';

/**
 * The directory Atende's prompts are played from: `config.asterisk.soundsDir` when set (the
 * product's sounds are installed there at start), else the project's own `sounds/`. Either
 * way Asterisk must be able to read it, because media is played by absolute path.
 */
export const soundsDirFor = (configured: string): string => (configured.trim() === '' ? productSoundsDir : resolve(configured));

/** Media for one of Atende's prompts: by absolute path without extension (Asterisk picks the format). */
export const promptMedia = (soundsDir: string, name: string, lang = defaultPromptLang): Media => ({
  kind: 'file',
  path: join(soundsDir, lang, name),
});

function sameContent(a: string, b: string): boolean {
  try {
    const sa = statSync(a);
    const sb = statSync(b);
    return sa.size === sb.size && readFileSync(a).equals(readFileSync(b));
  } catch {
    return false;
  }
}

/**
 * Copies every file under `from` into `to` (same relative paths), skipping files already
 * identical there; each copy is placed atomically, so Asterisk never reads half a file.
 * Idempotent. Returns the relative paths it wrote.
 */
export function installSounds(from: string, to: string): string[] {
  const src = resolve(from);
  const dst = resolve(to);
  if (src === dst) return [];
  const written: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(src, rel), { withFileTypes: true })) {
      const relPath = join(rel, entry.name);
      if (entry.isDirectory()) {
        walk(relPath);
        continue;
      }
      if (!entry.isFile()) continue;
      const target = join(dst, relPath);
      if (sameContent(join(src, relPath), target)) continue;
      // Asterisk reads these through the directory's group (docs/real-asterisk.md).
      placeFile(join(src, relPath), target, 'asterisk', 'copy');
      written.push(relPath);
    }
  };
  walk('');
  return written;
}
