import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, otpauthUri, totp, verifyTotp } from '../../src/auth/totp.js';

// RFC 4226 appendix D and RFC 6238 appendix B use the ASCII secret "12345678901234567890".
const rfcKey = Buffer.from('12345678901234567890', 'ascii');

describe('HOTP (RFC 4226 test vectors)', () => {
  const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
  it.each(expected.map((code, counter) => [counter, code]))('counter %i → %s', (counter, code) => {
    expect(hotp(rfcKey, counter)).toBe(code);
  });
});

describe('TOTP (RFC 6238 SHA-1 test vectors, 8 digits)', () => {
  const vectors: [number, string][] = [
    [59, '94287082'],
    [1111111109, '07081804'],
    [1111111111, '14050471'],
    [1234567890, '89005924'],
    [2000000000, '69279037'],
    [20000000000, '65353130'],
  ];
  it.each(vectors)('T=%i s → %s', (seconds, code) => {
    expect(totp(rfcKey, seconds * 1000, 8)).toBe(code);
  });
  it('gives the last six digits with the default length', () => {
    expect(totp(rfcKey, 59_000)).toBe('287082');
  });
});

describe('base32', () => {
  it('encodes the RFC 4648 vectors', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Encode(Buffer.from('f'))).toBe('MY');
  });
  it('round-trips, ignoring case, spaces and padding', () => {
    const bytes = Buffer.from('12345678901234567890');
    const text = base32Encode(bytes);
    expect(base32Decode(text.toLowerCase().replace(/(.{4})/g, '$1 ') + '====')).toEqual(bytes);
  });
  it('refuses characters outside the alphabet', () => {
    expect(() => base32Decode('ABC1')).toThrow();
  });
});

describe('verifyTotp', () => {
  const secret = base32Encode(rfcKey);
  const now = 1_111_111_111_000;
  const at = (ms: number) => totp(rfcKey, ms);

  it('accepts the current code and one step either side, answering its step', () => {
    const step = Math.floor(now / 30_000);
    expect(verifyTotp(secret, at(now), now, null)).toBe(step);
    expect(verifyTotp(secret, at(now - 30_000), now, null)).toBe(step - 1);
    expect(verifyTotp(secret, at(now + 30_000), now, null)).toBe(step + 1);
  });
  it('refuses codes two steps away', () => {
    expect(verifyTotp(secret, at(now - 60_000), now, null)).toBeNull();
    expect(verifyTotp(secret, at(now + 60_000), now, null)).toBeNull();
  });
  it('refuses a code whose step was already used (no replay)', () => {
    const step = verifyTotp(secret, at(now), now, null)!;
    expect(verifyTotp(secret, at(now), now, step)).toBeNull();
  });
  it('refuses malformed codes', () => {
    expect(verifyTotp(secret, '12345', now, null)).toBeNull();
    expect(verifyTotp(secret, 'abcdef', now, null)).toBeNull();
  });
});

describe('otpauth URI', () => {
  it('carries the secret, issuer and the RFC 6238 defaults', () => {
    const text = otpauthUri('Atende', 'ana.silva', 'JBSWY3DPEHPK3PXP');
    expect(text.startsWith('otpauth://totp/Atende:ana.silva?')).toBe(true);
    const uri = new URL(text);
    expect(Object.fromEntries(uri.searchParams)).toEqual({
      secret: 'JBSWY3DPEHPK3PXP',
      issuer: 'Atende',
      algorithm: 'SHA1',
      digits: '6',
      period: '30',
    });
  });
});
