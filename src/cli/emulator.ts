/**
 * `npm run emulator -- <command>`: drive the Asterisk emulator.
 *
 * - `serve` starts a standalone emulated Asterisk (ARI 8088, AMI 5038 by default) so Atende
 *   can run against it with ATENDE_ARI_URL as if it were a real one. It also serves the
 *   control routes on loopback (default port 8089, no login) for the commands below.
 * - The other commands talk to a running daemon's REST API (`ATENDE_URL`, default
 *   http://127.0.0.1:8080, logging in with ATENDE_LOGIN / ATENDE_PASSWORD), or, when
 *   ATENDE_EMULATOR_URL is set, to a standalone `serve` process.
 */
import { parseArgs } from 'node:util';
import Fastify from 'fastify';
import { installErrorHandling } from '../http/errors.js';
import { validatorCompiler } from '../http/validation.js';
import { createLogger } from '../kernel/logger.js';
import { emulatorRoutes } from '../telephony/emulator/emulator.routes.js';
import { startEmulator } from '../telephony/emulator/index.js';
import type { PhoneBehaviour, SpanSignalling } from '../telephony/emulator/types.js';

const usage = `Usage: npm run emulator -- <command> [options]

Commands (against a running daemon in emulator mode, or ATENDE_EMULATOR_URL):
  call <did> --from <number> [--span <n> | --trunk <name>]   place an inbound call
  dtmf <channelId> <digits>                                   the caller presses digits
  hangup <channelId> [--cause <q850>]                         the far end hangs up
  answer <ext>                                                a ringing agent phone answers
  phone <ext> [--registered yes|no] [--behaviour answer|reject|no-answer] [--answer-after <ms>]
  alarm <span> red|yellow|blue|clear                          raise or clear an E1 span alarm
  channels                                                    list the emulated channels

  serve [--ari-port 8088] [--ami-port 5038] [--control-port 8089] [--host 127.0.0.1]
        [--ari-user atende] [--ari-password atende-emulator] [--ami-user atende] [--ami-secret atende-emulator]
        [--recordings ./data/emulator/recordings] [--speed 1]
        [--spans 1:pri_cpe:1,2:mfcr2:2] [--trunks trunk1] [--phones 1001,1002,1003,1004]

Environment: ATENDE_URL (default http://127.0.0.1:8080), ATENDE_LOGIN, ATENDE_PASSWORD, ATENDE_EMULATOR_URL.`;

const options = {
  from: { type: 'string' },
  span: { type: 'string' },
  trunk: { type: 'string' },
  cause: { type: 'string' },
  registered: { type: 'string' },
  behaviour: { type: 'string' },
  'answer-after': { type: 'string' },
  'ari-port': { type: 'string' },
  'ami-port': { type: 'string' },
  'control-port': { type: 'string' },
  host: { type: 'string' },
  'ari-user': { type: 'string' },
  'ari-password': { type: 'string' },
  'ami-user': { type: 'string' },
  'ami-secret': { type: 'string' },
  recordings: { type: 'string' },
  speed: { type: 'string' },
  spans: { type: 'string' },
  trunks: { type: 'string' },
  phones: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

class CliError extends Error {}

function int(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new CliError(`--${name} must be a whole number`);
  return Number(value);
}

/** A REST session with the daemon (cookie login) or with a standalone emulator (no login). */
class Api {
  private cookie?: string;
  private readonly base: string;
  private readonly standalone: boolean;

  constructor() {
    const emulatorUrl = process.env.ATENDE_EMULATOR_URL;
    this.standalone = !!emulatorUrl;
    this.base = (emulatorUrl ?? process.env.ATENDE_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
  }

  private async login(): Promise<void> {
    if (this.standalone || this.cookie) return;
    const login = process.env.ATENDE_LOGIN;
    const password = process.env.ATENDE_PASSWORD;
    if (!login || !password) throw new CliError('Set ATENDE_LOGIN and ATENDE_PASSWORD (or ATENDE_EMULATOR_URL for a standalone emulator).');
    const res = await fetch(`${this.base}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login, password }),
    });
    if (!res.ok) throw new CliError(`Login failed: ${res.status} ${await res.text()}`);
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('atende_session='));
    if (!cookie) throw new CliError('Login did not return a session (is a TOTP code required for this user?)');
    this.cookie = cookie.split(';')[0];
  }

  async call(method: string, path: string, body?: unknown): Promise<unknown> {
    await this.login();
    const headers: Record<string, string> = {};
    if (this.cookie) headers.cookie = this.cookie;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${this.base}/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (err) {
      throw new CliError(`Cannot reach ${this.base}: ${(err as Error).message}`);
    }
    const text = await res.text();
    if (res.status === 404 && text.includes('Route') && path.startsWith('/emulator')) {
      throw new CliError(`${this.base} has no emulator routes: is the daemon running in emulator mode?`);
    }
    if (!res.ok) {
      let message = text;
      try {
        message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
      } catch {
        // not JSON: show it as it came
      }
      throw new CliError(`${res.status}: ${message}`);
    }
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}

async function serve(v: Record<string, string | boolean | undefined>): Promise<void> {
  const str = (k: string) => v[k] as string | undefined;
  const logger = createLogger({ level: process.env.ATENDE_LOG_LEVEL ?? 'info', pretty: process.stdout.isTTY });
  const spans = str('spans')
    ?.split(',')
    .filter(Boolean)
    .map((s) => {
      const [span, signalling, group] = s.split(':');
      if (!span || !/^\d+$/.test(span) || !['pri_cpe', 'pri_net', 'mfcr2'].includes(signalling ?? 'pri_cpe')) {
        throw new CliError(`--spans entry "${s}" must look like 1:pri_cpe:1`);
      }
      return { span: Number(span), signalling: (signalling ?? 'pri_cpe') as SpanSignalling, group: Number(group ?? 1) };
    });
  const host = str('host') ?? '127.0.0.1';
  const emulator = await startEmulator({
    ari: { port: int(str('ari-port'), 'ari-port') ?? 8088, user: str('ari-user'), password: str('ari-password') },
    ami: { port: int(str('ami-port'), 'ami-port') ?? 5038, user: str('ami-user'), secret: str('ami-secret') },
    recordingsDir: str('recordings') ?? './data/emulator/recordings',
    speed: str('speed') ? Number(str('speed')) : 1,
    spans,
    trunks: str('trunks')?.split(',').filter(Boolean),
    phones: str('phones')
      ?.split(',')
      .filter(Boolean)
      .map((ext) => ({ ext })),
    logger,
  });
  const control = Fastify();
  control.setValidatorCompiler(validatorCompiler);
  installErrorHandling(control);
  await control.register(emulatorRoutes, { prefix: '/api/v1', emulator, superUserOnly: false });
  const controlPort = int(str('control-port'), 'control-port') ?? 8089;
  await control.listen({ host: '127.0.0.1', port: controlPort });
  console.log(`Asterisk emulator running.
  ARI:     ${emulator.ariUrl}  (user ${emulator.ariUser}, password ${emulator.ariPassword})
  AMI:     ${host}:${emulator.amiPort}  (user ${emulator.amiUser}, secret ${emulator.amiSecret})
  Control: http://127.0.0.1:${controlPort}/api/v1/emulator  (ATENDE_EMULATOR_URL=http://127.0.0.1:${controlPort})
Point Atende at it with ATENDE_ARI_URL=${emulator.ariUrl} ATENDE_ARI_USER=${emulator.ariUser} ATENDE_ARI_PASSWORD=… ATENDE_AMI_HOST=127.0.0.1 ATENDE_AMI_PORT=${emulator.amiPort} …
Ctrl-C to stop.`);
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await control.close();
    await emulator.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({ args: process.argv.slice(2), options, allowPositionals: true, strict: true });
  const [command, ...args] = positionals;
  if (values.help || !command) {
    console.log(usage);
    return;
  }
  if (command === 'serve') return serve(values);
  const api = new Api();
  const need = (i: number, what: string): string => {
    const a = args[i];
    if (!a) throw new CliError(`Missing ${what}.\n\n${usage}`);
    return a;
  };
  switch (command) {
    case 'call': {
      const did = need(0, '<did>');
      if (!values.from) throw new CliError('Missing --from <number>');
      if (values.span && values.trunk) throw new CliError('Give --span or --trunk, not both');
      const via = values.span ? { span: int(values.span, 'span') } : values.trunk ? { trunk: values.trunk } : undefined;
      const r = (await api.call('POST', '/emulator/calls', { did, from: values.from, ...(via ? { via } : {}) })) as { channelId: string };
      console.log(`Call placed: channel ${r.channelId}`);
      return;
    }
    case 'dtmf':
      await api.call('POST', `/emulator/calls/${encodeURIComponent(need(0, '<channelId>'))}/dtmf`, { digits: need(1, '<digits>') });
      console.log('Digits sent.');
      return;
    case 'hangup': {
      const cause = int(values.cause, 'cause');
      await api.call('DELETE', `/emulator/calls/${encodeURIComponent(need(0, '<channelId>'))}${cause ? `?cause=${cause}` : ''}`);
      console.log('Hung up.');
      return;
    }
    case 'answer':
      await api.call('POST', `/emulator/phones/${encodeURIComponent(need(0, '<ext>'))}/answer`);
      console.log('Answered.');
      return;
    case 'phone': {
      const ext = need(0, '<ext>');
      const body: { registered?: boolean; behaviour?: PhoneBehaviour; answerAfterMs?: number } = {};
      if (values.registered !== undefined) {
        if (!['yes', 'no'].includes(values.registered)) throw new CliError('--registered must be yes or no');
        body.registered = values.registered === 'yes';
      }
      if (values.behaviour !== undefined) {
        if (!['answer', 'reject', 'no-answer'].includes(values.behaviour)) throw new CliError('--behaviour must be answer, reject or no-answer');
        body.behaviour = values.behaviour as PhoneBehaviour;
      }
      const after = int(values['answer-after'], 'answer-after');
      if (after !== undefined) body.answerAfterMs = after;
      if (Object.keys(body).length === 0) throw new CliError('Give --registered, --behaviour or --answer-after');
      await api.call('PUT', `/emulator/phones/${encodeURIComponent(ext)}`, body);
      console.log(`Phone ${ext} updated.`);
      return;
    }
    case 'alarm': {
      const span = int(need(0, '<span>'), 'span');
      const alarm = need(1, 'red|yellow|blue|clear');
      if (!['red', 'yellow', 'blue', 'clear'].includes(alarm)) throw new CliError('The alarm must be red, yellow, blue or clear');
      await api.call('PUT', `/emulator/spans/${span}/alarm`, { alarm });
      console.log(`Span ${span}: ${alarm}.`);
      return;
    }
    case 'channels': {
      const list = (await api.call('GET', '/emulator/channels')) as { id: string; name: string; state: string; caller: { number: string }; dialplan: { exten: string; appData: string } }[];
      if (list.length === 0) {
        console.log('No channels.');
        return;
      }
      for (const c of list) console.log(`${c.id}\t${c.name}\t${c.state}\tfrom ${c.caller.number || '-'}\tto ${c.dialplan.exten}\t${c.dialplan.appData}`);
      return;
    }
    default:
      throw new CliError(`Unknown command "${command}".\n\n${usage}`);
  }
}

main().catch((err: unknown) => {
  if (err instanceof CliError || (err instanceof Error && 'code' in err && String((err as { code: unknown }).code).startsWith('ERR_PARSE_ARGS'))) {
    console.error(err.message);
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
