import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createMediaService, type SpeechRequest } from '../../src/telephony/media/index.js';
import { FakeClock, isAppError, silentLogger } from '../../src/kernel/index.js';
import { listen } from '../helpers/audio.js';

const dir = mkdtempSync(join(tmpdir(), 'atende-tts-'));
const media = createMediaService({
  ffmpegPath: '',
  limits: { maxUploadBytes: 1024 * 1024, maxDurationMs: 60_000 },
  clock: new FakeClock(),
  logger: silentLogger,
});
afterAll(async () => {
  await media.close();
  rmSync(dir, { recursive: true, force: true });
});

const say = (text: string, more: Partial<SpeechRequest> = {}): SpeechRequest => ({ text, language: 'pt-BR', voice: 'female', rate: 150, ...more });

describe('built-in text to speech (eSpeak NG, no system package)', () => {
  it('speaks a pt-BR sentence as an 8 kHz mono WAV of plausible length', async () => {
    const sentence = 'Bem-vindo à central de atendimento. Por favor, aguarde enquanto transferimos a sua ligação.';
    const out = join(dir, 'welcome');
    const r = await media.speak(say(sentence), out, 'text');
    expect(r.source).toBe('speech');
    // 14 words at 150 words per minute, plus the pause at the full stop: about 5 to 8 seconds.
    expect(r.durationMs).toBeGreaterThan(4000);
    expect(r.durationMs).toBeLessThan(9000);
    const wav = await listen(`${out}.wav`);
    expect(wav).toMatchObject({ formatTag: 1, sampleRate: 8000, channels: 1, bitsPerSample: 16, durationMs: r.durationMs });
    expect(wav.rms).toBeGreaterThan(300);
  }, 60_000);

  it('speaks faster when asked, and the female voice differs from the male one', async () => {
    const text = 'Nosso horário de atendimento é de segunda a sexta-feira, das oito às dezoito horas.';
    const slow = await media.speak(say(text, { rate: 120 }), join(dir, 'slow'), 'text');
    const fast = await media.speak(say(text, { rate: 240 }), join(dir, 'fast'), 'text');
    expect(fast.durationMs).toBeLessThan(slow.durationMs * 0.75);
    await media.speak(say(text, { voice: 'male' }), join(dir, 'male'), 'text');
    await media.speak(say(text, { voice: 'female' }), join(dir, 'female'), 'text');
    const [male, female] = [await listen(join(dir, 'male.wav')), await listen(join(dir, 'female.wav'))];
    expect(female.frequency).toBeGreaterThan(male.frequency);
  }, 60_000);

  it('refuses empty text naming the field', async () => {
    const e = await media.speak(say('   \n '), join(dir, 'empty'), 'text').catch((x: unknown) => x);
    expect(isAppError(e) && e.status === 400 && e.details?.field === 'text').toBe(true);
  });

  it('refuses an upload that is text renamed to .mp3, naming the field', async () => {
    const path = join(dir, 'notes.mp3');
    writeFileSync(path, 'Lista de ramais\n2001 Recepção\n2002 Financeiro\n');
    const e = await media.convertUpload(path, join(dir, 'notes'), 'file').catch((x: unknown) => x);
    expect(isAppError(e) && e.status === 400 && e.details?.field === 'file').toBe(true);
  });
});
