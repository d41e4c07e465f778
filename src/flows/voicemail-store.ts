/**
 * Where voicemail audio lives: `<dataDir>/voicemail/t<tenant>/b<box>/<file>.wav`, private to
 * Atende (browsers get it through the API; Asterisk never reads it back). One directory per box,
 * so that deleting a box removes its messages' files at once.
 */
import { randomUUID } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync, type ReadStream } from 'node:fs';
import { join, resolve } from 'node:path';

export interface BoxKey {
  tenantId: number;
  boxId: number;
}

export class VoicemailStore {
  readonly root: string;

  constructor(dataDir: string) {
    this.root = resolve(dataDir, 'voicemail');
  }

  private boxDir(k: BoxKey): string {
    return join(this.root, `t${k.tenantId}`, `b${k.boxId}`);
  }

  /** Writes a message's WAV (beside its place, then renamed: never half a file); returns its file name. */
  save(k: BoxKey, wav: Buffer): string {
    const dir = this.boxDir(k);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = `${randomUUID()}.wav`;
    const tmp = join(dir, `.${file}.tmp`);
    writeFileSync(tmp, wav, { mode: 0o600 });
    renameSync(tmp, join(dir, file));
    return file;
  }

  path(k: BoxKey, file: string): string {
    return join(this.boxDir(k), file);
  }

  open(k: BoxKey, file: string): { stream: ReadStream; size: number } | undefined {
    const path = this.path(k, file);
    if (!existsSync(path)) return undefined;
    return { stream: createReadStream(path), size: statSync(path).size };
  }

  remove(k: BoxKey, file: string): void {
    rmSync(this.path(k, file), { force: true });
  }

  removeBox(k: BoxKey): void {
    rmSync(this.boxDir(k), { recursive: true, force: true });
  }
}

/** Playing time of a PCM WAV from its header, or undefined if it is not one. */
export function wavDurationMs(wav: Buffer): number | undefined {
  if (wav.length < 44 || wav.toString('ascii', 0, 4) !== 'RIFF' || wav.toString('ascii', 8, 12) !== 'WAVE') return undefined;
  const byteRate = wav.readUInt32LE(28);
  if (byteRate === 0) return undefined;
  // Find the data chunk (a header may carry more chunks than the canonical 44 bytes).
  for (let at = 12; at + 8 <= wav.length; ) {
    const id = wav.toString('ascii', at, at + 4);
    const size = wav.readUInt32LE(at + 4);
    if (id === 'data') return Math.round((Math.min(size, wav.length - at - 8) / byteRate) * 1000);
    at += 8 + size + (size % 2);
  }
  return undefined;
}
