import { describe, expect, it } from 'vitest';
import { contentDisposition, parseRange } from '../../src/http/send-file.js';

describe('byte ranges of a download (seeking in the audio player)', () => {
  it.each([
    [undefined, undefined],
    ['bytes=0-99', { start: 0, end: 99 }],
    ['bytes=100-', { start: 100, end: 999 }],
    ['bytes=-100', { start: 900, end: 999 }],
    ['bytes=-5000', { start: 0, end: 999 }],
    ['bytes=900-5000', { start: 900, end: 999 }],
    ['bytes=1000-', 'unsatisfiable'],
    ['bytes=-0', 'unsatisfiable'],
    ['bytes=0-1,5-9', undefined],
    ['items=0-9', undefined],
    ['bytes=9-3', undefined],
  ] as const)('%s of 1000 bytes', (header, expected) => {
    expect(parseRange(header, 1000)).toEqual(expected);
  });

  it('names the file for the browser in ASCII and in UTF-8', () => {
    expect(contentDisposition('Saudação "URA".wav')).toBe(
      `inline; filename="Sauda__o _URA_.wav"; filename*=UTF-8''Sauda%C3%A7%C3%A3o%20%22URA%22.wav`,
    );
  });
});
