import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { convertForTelephony, locateFfmpeg, type ConvertInput } from '../../src/telephony/media/index.js';
import { isAppError } from '../../src/kernel/index.js';
import { MP3, OGG_OPUS, OGG_VORBIS, WAV_44K, alawMs, listen, makeTone, sourceDurationMs } from '../helpers/audio.js';

const dir = mkdtempSync(join(tmpdir(), 'atende-media-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ffmpeg = locateFfmpeg('');
const LIMIT = { maxDurationMs: 60_000, field: 'file' };

async function refusal(p: Promise<unknown>): Promise<{ status: number; field: unknown; message: string }> {
  try {
    await p;
  } catch (e) {
    if (isAppError(e)) return { status: e.status, field: e.details?.field, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('converting prompts for Asterisk', () => {
  it('uses the ffmpeg npm installed, or the configured one', () => {
    expect(ffmpeg?.origin).toBe('bundled');
    expect(locateFfmpeg('/opt/ffmpeg/bin/ffmpeg')).toEqual({ path: '/opt/ffmpeg/bin/ffmpeg', origin: 'configured' });
  });

  it.each([
    ['mp3', MP3, 44100, 2],
    ['ogg', OGG_VORBIS, 44100, 2],
    ['ogg', OGG_OPUS, 48000, 1],
    ['wav', WAV_44K, 44100, 2],
  ] as const)('a %s tone (%s) becomes an 8 kHz 16-bit mono WAV and an A-law file of the same length and pitch', async (format, codec, sampleRate, channels) => {
    const src = join(dir, `tone-${codec[1]}.${format}`);
    await makeTone(src, { durationS: 3, frequency: 440, sampleRate, channels, codec: [...codec] });
    const out = join(dir, `out-${codec[1]}`);
    const durationMs = await convertForTelephony(ffmpeg, { kind: 'file', path: src, format }, out, LIMIT);

    const wav = await listen(`${out}.wav`);
    expect(wav).toMatchObject({ formatTag: 1, sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    expect(Math.abs(wav.durationMs - (await sourceDurationMs(src)))).toBeLessThanOrEqual(50);
    expect(Math.abs(durationMs - 3000)).toBeLessThanOrEqual(50);
    expect(wav.durationMs).toBe(durationMs);
    expect(Math.round(await alawMs(`${out}.alaw`))).toBe(durationMs);
    expect(wav.frequency).toBeGreaterThan(430);
    expect(wav.frequency).toBeLessThan(450);
    expect(wav.rms).toBeGreaterThan(1000);
  });

  it('writes the same bytes for the same input (no timestamps or encoder tags)', async () => {
    const src = join(dir, 'same.mp3');
    await makeTone(src, { durationS: 1, codec: MP3 });
    await convertForTelephony(ffmpeg, { kind: 'file', path: src, format: 'mp3' }, join(dir, 'same-1'), LIMIT);
    await convertForTelephony(ffmpeg, { kind: 'file', path: src, format: 'mp3' }, join(dir, 'same-2'), LIMIT);
    expect((await readFile(join(dir, 'same-1.wav'))).equals(await readFile(join(dir, 'same-2.wav')))).toBe(true);
  });

  it('converts raw speech samples at any rate', async () => {
    const samples = Buffer.alloc(22050 * 2 * 2);
    for (let i = 0; i < samples.length / 2; i++) samples.writeInt16LE(Math.round(8000 * Math.sin((2 * Math.PI * 300 * i) / 22050)), i * 2);
    const input: ConvertInput = { kind: 'pcm', samples, sampleRate: 22050 };
    const durationMs = await convertForTelephony(ffmpeg, input, join(dir, 'pcm'), { ...LIMIT, field: 'text' });
    expect(durationMs).toBe(2000);
    const wav = await listen(join(dir, 'pcm.wav'));
    expect(Math.round(wav.frequency / 10)).toBe(30);
  });

  it('refuses a file longer than allowed, by its header, naming the field', async () => {
    const src = join(dir, 'long.mp3');
    await makeTone(src, { durationS: 5, codec: MP3 });
    const r = await refusal(convertForTelephony(ffmpeg, { kind: 'file', path: src, format: 'mp3' }, join(dir, 'long'), { maxDurationMs: 2000, field: 'file' }));
    expect(r).toMatchObject({ status: 400, field: 'file' });
    expect(r.message).toMatch(/longer than the 2 s/);
  });

  it('refuses speech longer than allowed (no header to read), naming the field', async () => {
    const samples = Buffer.alloc(8000 * 2 * 4);
    const r = await refusal(
      convertForTelephony(ffmpeg, { kind: 'pcm', samples, sampleRate: 8000 }, join(dir, 'long-pcm'), { maxDurationMs: 2000, field: 'text' }),
    );
    expect(r).toMatchObject({ status: 400, field: 'text' });
  });

  it('refuses bytes that only look like the format, naming the field', async () => {
    const fake = join(dir, 'fake.mp3');
    writeFileSync(fake, Buffer.concat([Buffer.from('ID3\x03\x00\x00\x00\x00\x00\x00'), Buffer.from('just some text, not audio\n'.repeat(50))]));
    const r = await refusal(convertForTelephony(ffmpeg, { kind: 'file', path: fake, format: 'mp3' }, join(dir, 'fake'), LIMIT));
    expect(r).toMatchObject({ status: 400, field: 'file' });
  });

  it('answers 503 naming the setting when the configured ffmpeg does not exist', async () => {
    const src = join(dir, 'x.wav');
    await makeTone(src, { durationS: 0.2, codec: WAV_44K });
    const r = await refusal(
      convertForTelephony({ path: join(dir, 'no-such-ffmpeg'), origin: 'configured' }, { kind: 'file', path: src, format: 'wav' }, join(dir, 'x'), LIMIT),
    );
    expect(r.status).toBe(503);
    expect(r.message).toMatch(/ffmpeg/);
  });
});
