import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PromptStore } from '../../src/telephony/media/index.js';

let root: string;
let dataDir: string;
let soundsDir: string;
const mode = (p: string) => statSync(p).mode & 0o777;
const key = { tenantId: 3, promptId: 12 };

/** Two converted files in a scratch directory, as the media service leaves them. */
function converted(dir: string, wav: string, alaw: string): string {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'out.wav'), wav);
  writeFileSync(join(dir, 'out.alaw'), alaw);
  return join(dir, 'out');
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'atende-store-'));
  dataDir = join(root, 'data');
  soundsDir = join(root, 'sounds');
  mkdirSync(dataDir, { mode: 0o700 });
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('where prompt audio lives', () => {
  it('without a sounds directory, Asterisk plays the private master copy in the data dir', () => {
    const store = new PromptStore({ dataDir, soundsDir: '' });
    store.install(key, converted(join(root, 'scratch'), 'WAV1', 'ALAW1'));
    expect(store.mediaPath(key)).toBe(join(dataDir, 'prompts', 't3', '12'));
    expect(readFileSync(`${store.mediaPath(key)}.wav`, 'utf8')).toBe('WAV1');
    expect(readFileSync(`${store.mediaPath(key)}.alaw`, 'utf8')).toBe('ALAW1');
    expect(mode(`${store.mediaPath(key)}.wav`)).toBe(0o600);
    expect(mode(join(dataDir, 'prompts'))).toBe(0o700);
    expect(mode(join(dataDir, 'prompts', 't3'))).toBe(0o700);
    expect(existsSync(join(root, 'scratch', 'out.wav'))).toBe(false);
  });

  it('with a sounds directory, Asterisk plays a group-readable copy there; the master stays private', () => {
    const store = new PromptStore({ dataDir, soundsDir });
    store.install(key, converted(join(root, 'scratch'), 'WAV1', 'ALAW1'));
    const published = join(soundsDir, 'prompts', 't3', '12');
    expect(store.mediaPath(key)).toBe(published);
    expect(store.wavFile(key)).toBe(join(dataDir, 'prompts', 't3', '12.wav'));
    expect(mode(`${published}.wav`)).toBe(0o640);
    expect(mode(`${published}.alaw`)).toBe(0o640);
    expect(mode(join(soundsDir, 'prompts', 't3'))).toBe(0o750);
    expect(mode(store.wavFile(key))).toBe(0o600);
  });

  it('replacing the audio replaces both copies; removing removes both', () => {
    const store = new PromptStore({ dataDir, soundsDir });
    store.install(key, converted(join(root, 's1'), 'OLD', 'OLD'));
    store.install(key, converted(join(root, 's2'), 'NEW', 'NEW-A'));
    expect(readFileSync(`${store.mediaPath(key)}.alaw`, 'utf8')).toBe('NEW-A');
    expect(readFileSync(store.wavFile(key), 'utf8')).toBe('NEW');
    store.remove(key);
    expect(existsSync(`${store.mediaPath(key)}.wav`)).toBe(false);
    expect(existsSync(store.wavFile(key))).toBe(false);
  });

  it('at start, publishes what the sounds directory lacks and removes files of prompts that are gone', () => {
    new PromptStore({ dataDir, soundsDir: '' }).install(key, converted(join(root, 's1'), 'W', 'A'));
    new PromptStore({ dataDir, soundsDir: '' }).install({ tenantId: 3, promptId: 13 }, converted(join(root, 's2'), 'W2', 'A2'));
    const store = new PromptStore({ dataDir, soundsDir });
    const gone = { tenantId: 4, promptId: 99 };
    mkdirSync(join(soundsDir, 'prompts', 't4'), { recursive: true });
    writeFileSync(`${store.mediaPath(gone)}.wav`, 'stale');

    const r = store.reconcile([key, { tenantId: 5, promptId: 7 }]);
    expect(r.published).toBe(2);
    expect(r.missing).toEqual([{ tenantId: 5, promptId: 7 }]);
    // Prompt 13 has no row any more: its master files go; the stale published file of 99 too.
    expect(r.removed).toBe(3);
    expect(readFileSync(`${store.mediaPath(key)}.wav`, 'utf8')).toBe('W');
    expect(existsSync(join(dataDir, 'prompts', 't3', '13.wav'))).toBe(false);
    expect(existsSync(`${store.mediaPath(gone)}.wav`)).toBe(false);
    expect(store.reconcile([key]).published).toBe(0);
  });
});
