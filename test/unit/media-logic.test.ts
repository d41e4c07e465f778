import { describe, expect, it } from 'vitest';
import { alawDurationMs, espeakVoice, parseFfmpegDuration, sniffAudio } from '../../src/telephony/media/index.js';

const bytes = (...parts: (string | number[])[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)));

describe('sniffing an upload by its first bytes', () => {
  it.each([
    ['a WAV (RIFF/WAVE)', bytes('RIFF', [0x24, 0x08, 0, 0], 'WAVEfmt '), 'wav'],
    ['an OGG page', bytes('OggS', [0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 'ogg'],
    ['an MP3 with an ID3v2 tag', bytes('ID3', [4, 0, 0, 0, 0, 0x23, 0x76]), 'mp3'],
    ['an MP3 frame (MPEG-1 layer III, 128 kbit/s, 44.1 kHz)', bytes([0xff, 0xfb, 0x90, 0x64]), 'mp3'],
    ['an MPEG-2 layer III frame', bytes([0xff, 0xf3, 0x40, 0xc4]), 'mp3'],
  ] as const)('recognises %s', (_what, head, format) => {
    expect(sniffAudio(head)).toBe(format);
  });

  it.each([
    ['plain text', bytes('Lista de ramais\n2001 Recepção')],
    ['a PDF', bytes('%PDF-1.7\n%âãÏÓ')],
    ['a PNG', bytes([0x89], 'PNG', [0x0d, 0x0a, 0x1a, 0x0a])],
    ['a RIFF that is not WAVE (AVI)', bytes('RIFF', [0, 0, 0, 0], 'AVI LIST')],
    ['AAC in ADTS (layer bits 00)', bytes([0xff, 0xf1, 0x50, 0x80])],
    ['a frame with the reserved bitrate', bytes([0xff, 0xfb, 0xf0, 0x64])],
    ['a frame with the reserved sample rate', bytes([0xff, 0xfb, 0x9c, 0x64])],
    ['an empty file', bytes()],
    ['a truncated WAV header', bytes('RIFF')],
  ])('refuses %s', (_what, head) => {
    expect(sniffAudio(head)).toBeUndefined();
  });
});

describe('durations', () => {
  it('reads ffmpeg durations', () => {
    expect(parseFfmpegDuration('00:00:03.01')).toBe(3010);
    expect(parseFfmpegDuration('01:02:03.5')).toBe(3_723_500);
    expect(parseFfmpegDuration('N/A')).toBeUndefined();
    expect(parseFfmpegDuration(undefined)).toBeUndefined();
  });

  it('takes the exact length from A-law bytes (8000 per second)', () => {
    expect(alawDurationMs(24_000)).toBe(3000);
    expect(alawDurationMs(8)).toBe(1);
  });
});

describe('voices', () => {
  it('maps language and voice to an eSpeak voice', () => {
    expect(espeakVoice('pt-BR', 'male')).toBe('roa/pt-BR');
    expect(espeakVoice('pt-BR', 'female')).toBe('roa/pt-BR+f3');
    expect(espeakVoice('en-US', 'female')).toBe('gmw/en-US+f3');
  });
});
