import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productSoundsDir } from '../../src/calls/index.js';
import { SOUND_NAMES } from '../../src/flows/index.js';

describe("Atende's own prompts", () => {
  it.each([...SOUND_NAMES])('%s ships as an 8 kHz 16-bit mono WAV in pt-BR', (name) => {
    const file = join(productSoundsDir, 'pt-BR', `${name}.wav`);
    expect(existsSync(file)).toBe(true);
    const header = readFileSync(file).subarray(0, 44);
    expect(header.toString('ascii', 0, 4)).toBe('RIFF');
    expect(header.readUInt16LE(22)).toBe(1); // channels
    expect(header.readUInt32LE(24)).toBe(8000); // sample rate
    expect(header.readUInt16LE(34)).toBe(16); // bits per sample
  });
});
