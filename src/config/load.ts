import { readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Value } from '@sinclair/typebox/value';
import { ConfigSchema, type Config } from './schema.js';

/** The project root, found from this file whether it runs from `src/` or `dist/`. */
export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

type Kind = 'string' | 'integer' | 'boolean' | 'list';
interface EnvKey {
  env: string;
  path: string;
  kind: Kind;
  secret?: boolean;
}

/** Every environment variable the daemon reads. Documented in the README's configuration table. */
export const envKeys: readonly EnvKey[] = [
  { env: 'ATENDE_HOST', path: 'http.host', kind: 'string' },
  { env: 'ATENDE_PORT', path: 'http.port', kind: 'integer' },
  { env: 'ATENDE_CORS_ORIGINS', path: 'http.corsOrigins', kind: 'list' },
  { env: 'ATENDE_COOKIE_SECURE', path: 'http.cookieSecure', kind: 'boolean' },
  { env: 'ATENDE_TRUST_PROXY', path: 'http.trustProxy', kind: 'boolean' },
  { env: 'ATENDE_WEB_DIR', path: 'http.webDir', kind: 'string' },
  { env: 'ATENDE_PUBLIC_URL', path: 'http.publicUrl', kind: 'string' },
  { env: 'ATENDE_DATA_DIR', path: 'dataDir', kind: 'string' },
  { env: 'ATENDE_LOG_LEVEL', path: 'log.level', kind: 'string' },
  { env: 'ATENDE_TIMEZONE', path: 'timezone', kind: 'string' },
  { env: 'ATENDE_SESSION_TTL_MINUTES', path: 'auth.sessionTtlMinutes', kind: 'integer' },
  { env: 'ATENDE_LOGIN_MAX_FAILURES', path: 'auth.loginMaxFailures', kind: 'integer' },
  { env: 'ATENDE_LOGIN_MAX_FAILURES_PER_ADDRESS', path: 'auth.loginMaxFailuresPerAddress', kind: 'integer' },
  { env: 'ATENDE_LOGIN_WINDOW_SECONDS', path: 'auth.loginWindowSeconds', kind: 'integer' },
  { env: 'ATENDE_LOGIN_MAX_LOCKOUT_SECONDS', path: 'auth.loginMaxLockoutSeconds', kind: 'integer' },
  { env: 'ATENDE_PASSWORD_RESET_MINUTES', path: 'auth.passwordResetMinutes', kind: 'integer' },
  { env: 'ATENDE_ACCESS_LINK_HOURS', path: 'auth.accessLinkHours', kind: 'integer' },
  { env: 'ATENDE_ADMIN_PASSWORD', path: 'adminPassword', kind: 'string', secret: true },
  { env: 'ATENDE_SEED_DEMO', path: 'seedDemo', kind: 'boolean' },
  { env: 'ATENDE_SHUTDOWN_GRACE_MS', path: 'shutdownGraceMs', kind: 'integer' },
  { env: 'ATENDE_IMPORT_MAX_MB', path: 'contacts.importMaxMb', kind: 'integer' },
  { env: 'ATENDE_CLOSED_DESK_LOGOUT_SECONDS', path: 'routing.closedDeskLogoutSeconds', kind: 'integer' },
  { env: 'ATENDE_ARI_URL', path: 'asterisk.ari.url', kind: 'string' },
  { env: 'ATENDE_ARI_USER', path: 'asterisk.ari.user', kind: 'string' },
  { env: 'ATENDE_ARI_PASSWORD', path: 'asterisk.ari.password', kind: 'string', secret: true },
  { env: 'ATENDE_ARI_APP', path: 'asterisk.ari.app', kind: 'string' },
  { env: 'ATENDE_AMI_HOST', path: 'asterisk.ami.host', kind: 'string' },
  { env: 'ATENDE_AMI_PORT', path: 'asterisk.ami.port', kind: 'integer' },
  { env: 'ATENDE_AMI_USER', path: 'asterisk.ami.user', kind: 'string' },
  { env: 'ATENDE_AMI_SECRET', path: 'asterisk.ami.secret', kind: 'string', secret: true },
  { env: 'ATENDE_SOUNDS_DIR', path: 'asterisk.soundsDir', kind: 'string' },
  { env: 'ATENDE_ASTERISK_CONFIG_DIR', path: 'asterisk.configDir', kind: 'string' },
  { env: 'ATENDE_WEBPHONE_WS_URL', path: 'asterisk.webphoneUrl', kind: 'string' },
  { env: 'ATENDE_FFMPEG_PATH', path: 'media.ffmpegPath', kind: 'string' },
  { env: 'ATENDE_PROMPT_MAX_BYTES', path: 'media.maxUploadBytes', kind: 'integer' },
  { env: 'ATENDE_PROMPT_MAX_SECONDS', path: 'media.maxDurationSeconds', kind: 'integer' },
];

export class ConfigError extends Error {
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`configuration error: ${key}: ${message}`);
    this.name = 'ConfigError';
  }
}

function parseValue(k: EnvKey, raw: string): unknown {
  switch (k.kind) {
    case 'string':
      return raw;
    case 'integer': {
      if (!/^-?\d+$/.test(raw.trim())) throw new ConfigError(k.env, `must be a whole number, got "${raw}"`);
      return Number(raw.trim());
    }
    case 'boolean': {
      const v = raw.trim().toLowerCase();
      if (['1', 'true', 'yes', 'on'].includes(v)) return true;
      if (['0', 'false', 'no', 'off'].includes(v)) return false;
      throw new ConfigError(k.env, `must be true or false, got "${raw}"`);
    }
    case 'list':
      return raw
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
  }
}

/** Secrets may come from `<NAME>_FILE`, a file readable by its owner only. */
function readSecretFile(env: string, path: string): string {
  let mode: number;
  try {
    mode = statSync(path).mode;
  } catch {
    throw new ConfigError(`${env}_FILE`, `cannot read ${path}`);
  }
  if ((mode & 0o077) !== 0) throw new ConfigError(`${env}_FILE`, `${path} must not be readable by group or others (chmod 600)`);
  return readFileSync(path, 'utf8').trim();
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const p of parts.slice(0, -1)) cur = (cur[p] ??= {}) as Record<string, unknown>;
  cur[parts[parts.length - 1]!] = value;
}

function readJson(path: string, key: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  } catch (e) {
    throw new ConfigError(key, `cannot read ${path}: ${(e as Error).message}`);
  }
}

function deepMerge(base: Record<string, unknown>, over: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) {
    const b = out[k];
    out[k] =
      v && typeof v === 'object' && !Array.isArray(v) && b && typeof b === 'object' && !Array.isArray(b)
        ? deepMerge(b as Record<string, unknown>, v as Record<string, unknown>)
        : v;
  }
  return out;
}

function keyFor(instancePath: string): string {
  const path = instancePath.replace(/^\//, '').replace(/\//g, '.');
  return envKeys.find((k) => k.path === path)?.env ?? (path || '(root)');
}

/**
 * Loads `config/default.json`, then the JSON file named by `ATENDE_CONFIG` (if any), then
 * `ATENDE_*` variables; validates the result against one schema and freezes it. The first
 * invalid key is named in the thrown `ConfigError`.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, overrides: Record<string, unknown> = {}): Config {
  let raw = readJson(resolve(projectRoot, 'config', 'default.json'), 'config/default.json');
  if (env.ATENDE_CONFIG) raw = deepMerge(raw, readJson(env.ATENDE_CONFIG, 'ATENDE_CONFIG'));
  for (const k of envKeys) {
    const fileVar = k.secret ? env[`${k.env}_FILE`] : undefined;
    const value = fileVar ? readSecretFile(k.env, fileVar) : env[k.env];
    if (value !== undefined) setPath(raw, k.path, parseValue(k, value));
  }
  raw = deepMerge(raw, overrides);
  const first = [...Value.Errors(ConfigSchema, raw)][0];
  if (first) throw new ConfigError(keyFor(first.path), first.message);
  const config = raw as Config;
  if (config.http.publicUrl !== '') {
    let url: URL | undefined;
    try {
      url = new URL(config.http.publicUrl);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
      throw new ConfigError('ATENDE_PUBLIC_URL', `must be an http:// or https:// address without query or fragment, got "${config.http.publicUrl}"`);
    }
    config.http.publicUrl = config.http.publicUrl.replace(/\/+$/, '');
  }
  if (config.asterisk.ari.url !== '') {
    try {
      new URL(config.asterisk.ari.url);
    } catch {
      throw new ConfigError('ATENDE_ARI_URL', `not a URL: "${config.asterisk.ari.url}"`);
    }
  }
  return deepFreeze(config);
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object') {
    for (const v of Object.values(o)) deepFreeze(v);
    Object.freeze(o);
  }
  return o;
}
