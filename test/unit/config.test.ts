import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, usesEmulator } from '../../src/config/index.js';

const load = (env: Record<string, string>) => loadConfig(env as NodeJS.ProcessEnv);

describe('configuration', () => {
  it('defaults to loopback, port 8080, ./data and the emulator', () => {
    const c = load({});
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.http.port).toBe(8080);
    expect(c.dataDir).toBe('./data');
    expect(c.asterisk.ari.app).toBe('atende');
    expect(usesEmulator(c)).toBe(true);
  });

  it('takes the public URL without its trailing slash, and the link lifetimes', () => {
    const c = load({ ATENDE_PUBLIC_URL: 'https://atende.example.com/central/', ATENDE_PASSWORD_RESET_MINUTES: '30', ATENDE_ACCESS_LINK_HOURS: '24' });
    expect(c.http.publicUrl).toBe('https://atende.example.com/central');
    expect(c.auth).toMatchObject({ passwordResetMinutes: 30, accessLinkHours: 24 });
    expect(load({}).http.publicUrl).toBe('');
  });

  it('takes ATENDE_* overrides with their types', () => {
    const c = load({
      ATENDE_HOST: '0.0.0.0',
      ATENDE_PORT: '9090',
      ATENDE_COOKIE_SECURE: 'yes',
      ATENDE_CORS_ORIGINS: 'https://a.example, https://b.example',
      ATENDE_ARI_URL: 'http://10.0.0.5:8088',
      ATENDE_AMI_PORT: '5039',
    });
    expect(c.http).toMatchObject({ host: '0.0.0.0', port: 9090, cookieSecure: true });
    expect(c.http.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(c.asterisk.ami.port).toBe(5039);
    expect(usesEmulator(c)).toBe(false);
  });

  it.each([
    [{ ATENDE_PORT: 'eighty' }, 'ATENDE_PORT'],
    [{ ATENDE_PORT: '70000' }, 'ATENDE_PORT'],
    [{ ATENDE_COOKIE_SECURE: 'maybe' }, 'ATENDE_COOKIE_SECURE'],
    [{ ATENDE_LOG_LEVEL: 'loud' }, 'ATENDE_LOG_LEVEL'],
    [{ ATENDE_ARI_URL: 'not a url' }, 'ATENDE_ARI_URL'],
    [{ ATENDE_ARI_APP: 'has space' }, 'ATENDE_ARI_APP'],
    [{ ATENDE_PUBLIC_URL: 'atende.example.com' }, 'ATENDE_PUBLIC_URL'],
    [{ ATENDE_PUBLIC_URL: 'ftp://atende.example.com' }, 'ATENDE_PUBLIC_URL'],
    [{ ATENDE_PUBLIC_URL: 'https://atende.example.com/?x=1' }, 'ATENDE_PUBLIC_URL'],
    [{ ATENDE_PASSWORD_RESET_MINUTES: '1' }, 'ATENDE_PASSWORD_RESET_MINUTES'],
    [{ ATENDE_ACCESS_LINK_HOURS: '0' }, 'ATENDE_ACCESS_LINK_HOURS'],
  ])('rejects %j naming the key', (env, key) => {
    expect(() => load(env)).toThrow(ConfigError);
    try {
      load(env);
    } catch (e) {
      expect((e as ConfigError).key).toBe(key);
      expect((e as Error).message).toContain(key);
    }
  });

  it('reads secrets from a *_FILE only when it is private to its owner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-cfg-'));
    const file = join(dir, 'ari.secret');
    writeFileSync(file, 's3cret\n');
    chmodSync(file, 0o600);
    expect(load({ ATENDE_ARI_PASSWORD_FILE: file }).asterisk.ari.password).toBe('s3cret');
    chmodSync(file, 0o644);
    expect(() => load({ ATENDE_ARI_PASSWORD_FILE: file })).toThrow(/ATENDE_ARI_PASSWORD_FILE.*chmod 600/);
  });

  it('merges a JSON file named by ATENDE_CONFIG and rejects unknown keys in it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'atende-cfg-'));
    const file = join(dir, 'atende.json');
    writeFileSync(file, JSON.stringify({ http: { port: 7070 }, timezone: 'America/Manaus' }));
    const c = load({ ATENDE_CONFIG: file });
    expect(c.http.port).toBe(7070);
    expect(c.http.host).toBe('127.0.0.1');
    expect(c.timezone).toBe('America/Manaus');
    writeFileSync(file, JSON.stringify({ http: { prot: 7070 } }));
    expect(() => load({ ATENDE_CONFIG: file })).toThrow(/http/);
  });

  it('is frozen', () => {
    const c = load({});
    expect(() => {
      (c.http as { port: number }).port = 1;
    }).toThrow();
  });
});
