/**
 * The emulator follows its configuration directory as Asterisk does: endpoints, registrations,
 * span signalling, MOH classes and hints exist only once the generated files are there and the
 * module is reloaded; phones register against configured endpoints with their password.
 * Checked through the production AMI adapter.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AmiClient, AmiEvent } from '../../src/telephony/ami/index.js';
import { renderAll, type TenantConf } from '../../src/telephony/confgen/index.js';
import { priSpan, sipSettings } from '../helpers/telephony-conf.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { connectAmi } from '../helpers/ami.js';
import { nextEvent as next } from '../helpers/events.js';

let dir: string;
let configDir: string;
let emulator: Emulator;
let client: AmiClient;
const nextEvent = (match: (e: AmiEvent) => boolean) => next((l) => client.onEvent(l), match);

const settings = sipSettings();
const tenant = (extra: Partial<TenantConf> = {}): TenantConf => ({
  tenantId: 3,
  tenantName: 'T',
  extensions: [
    { number: '1001', sipUser: '1001', secret: 'Secret-1001-abc', displayName: 'Ana', kind: 'softphone', codecs: ['alaw'], maxContacts: 1 },
    { number: '2001', sipUser: '2001', secret: 'Secret-2001-abc', displayName: 'Web', kind: 'webrtc', codecs: ['alaw'], maxContacts: 2 },
  ],
  trunks: [
    {
      name: 'operadora',
      host: 'sip.provider.example.net',
      port: null,
      transport: 'udp',
      codecs: ['alaw'],
      auth: { username: '1133334444', secret: 'Trunk-Secret-1' },
      registration: { contactUser: '1133334444', expirationSeconds: 300 },
      fromUser: null,
      fromDomain: null,
      outboundProxy: null,
      extraOptions: [],
    },
    {
      name: 'quebrado',
      host: 'sip.nowhere.invalid',
      port: null,
      transport: 'udp',
      codecs: ['alaw'],
      auth: { username: 'u', secret: 'Trunk-Secret-2' },
      registration: { contactUser: null, expirationSeconds: 300 },
      fromUser: null,
      fromDomain: null,
      outboundProxy: null,
      extraOptions: [],
    },
  ],
  spans: [priSpan()],
  mohClasses: [{ className: 'atende-t3-1', entries: ['/sounds/a'], random: false }],
  ...extra,
});

async function writeConfig(t: TenantConf): Promise<void> {
  for (const f of renderAll(settings, [t])) {
    const path = join(configDir, f.path);
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, f.content);
  }
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atende-emu-config-'));
  configDir = join(dir, 'asterisk');
  emulator = await startEmulator({
    recordingsDir: join(dir, 'recordings'),
    configDir,
    speed: 20,
    spans: [
      { span: 1, signalling: 'pri_cpe', group: 1 },
      { span: 2, signalling: 'pri_cpe', group: 1 },
    ],
  });
  client = await connectAmi(emulator);
});

afterEach(async () => {
  await client.stop();
  await emulator.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the emulator follows its configuration directory', () => {
  it('has no endpoint, registration or configured span before the files exist', async () => {
    expect(await client.endpoints()).toEqual([]);
    expect(await client.registrations()).toEqual([]);
    expect(() => emulator.setPhone('1001', { registered: true })).toThrow(/404 Not Found/);
    expect((await client.spanStatus()).map((s) => [s.span, s.configured])).toEqual([
      [1, false],
      [2, false],
    ]);
    await expect(emulator.placeInboundCall({ did: '1133334444', from: '11999990000', via: { span: 1 } })).rejects.toThrow(/no channels/);
  });

  it('loads endpoints and registrations at a res_pjsip reload; a registration to an unresolvable host is rejected', async () => {
    await writeConfig(tenant());
    expect(await client.endpoints()).toEqual([]);
    const registered = nextEvent((e) => e.type === 'TrunkRegistration' && e.status === 'Registered');
    const rejected = nextEvent((e) => e.type === 'TrunkRegistration' && e.status === 'Rejected');
    await client.reload('res_pjsip.so');
    expect((await client.endpoints()).map((e) => e.name).sort()).toEqual(['1001', '2001', 'operadora', 'quebrado']);
    expect(await registered).toMatchObject({ clientUri: 'sip:1133334444@sip.provider.example.net', serverUri: 'sip:sip.provider.example.net' });
    expect(await rejected).toMatchObject({ serverUri: 'sip:sip.nowhere.invalid' });
    expect((await client.registrations()).map((r) => [r.endpoint, r.status])).toEqual([
      ['operadora', 'Registered'],
      ['quebrado', 'Rejected'],
    ]);
    expect(emulator.reloads().map((r) => r.module)).toEqual(['res_pjsip']);
  });

  it('a phone registers with its secret, is qualified, and shows up unreachable when it stops answering', async () => {
    await writeConfig(tenant());
    await client.reload('res_pjsip.so');
    expect(() => emulator.setPhone('1001', { registered: true, password: 'wrong-password' })).toThrow(/401 Unauthorized/);
    const reachable = nextEvent((e) => e.type === 'ContactStatus' && e.endpoint === '1001' && e.status === 'Reachable');
    emulator.setPhone('1001', { registered: true, password: 'Secret-1001-abc', userAgent: 'Yealink T46U' });
    expect(await reachable).toMatchObject({ rttMs: 12 });
    const contacts = await client.contacts();
    expect(contacts.find((c) => c.endpoint === '1001')).toMatchObject({ status: 'Reachable', userAgent: 'Yealink T46U', rttMs: 12 });
    const unreachable = nextEvent((e) => e.type === 'ContactStatus' && e.endpoint === '1001' && e.status === 'Unreachable');
    emulator.setPhone('1001', { reachable: false });
    await unreachable;
    expect((await client.contacts()).find((c) => c.endpoint === '1001')?.status).toBe('Unreachable');
  });

  it('an extension removed from the files is gone after the reload, and its registered phone with it', async () => {
    await writeConfig(tenant());
    await client.reload('res_pjsip.so');
    emulator.setPhone('2001', { registered: true });
    await writeConfig(tenant({ extensions: tenant().extensions.slice(0, 1) }));
    const removed = nextEvent((e) => e.type === 'ContactStatus' && e.endpoint === '2001' && e.status === 'Removed');
    await client.reload('res_pjsip.so');
    await removed;
    expect((await client.endpoints()).map((e) => e.name)).not.toContain('2001');
  });

  it('refuses an endpoint with an option Asterisk does not know, and says so in the reload record', async () => {
    const t = tenant();
    await writeConfig({ ...t, trunks: [{ ...t.trunks[0]!, extraOptions: [['insecure', 'port,invite']] }] });
    await client.reload('res_pjsip.so');
    expect((await client.endpoints()).map((e) => e.name)).not.toContain('operadora');
    expect(emulator.reloads()[0]?.problems.join('\n')).toMatch(/Could not find option suitable for category 'operadora' named 'insecure'/);
  });

  it('hints and MOH classes appear at dialplan and MOH reloads; spans are configured at a chan_dahdi reload', async () => {
    await writeConfig(tenant());
    expect(await client.dialplanHints('atende-hints-t3')).toBeUndefined();
    await client.reload('pbx_config.so');
    await client.reload('res_musiconhold.so');
    expect(await client.dialplanHints('atende-hints-t3')).toEqual(
      new Map([
        ['1001', 'PJSIP/1001'],
        ['2001', 'PJSIP/2001'],
      ]),
    );
    expect(await client.mohClasses()).toEqual(['atende-t3-1']);
    expect((await client.spanStatus()).find((s) => s.span === 1)?.configured).toBe(false);
    await emulator.reload('chan_dahdi');
    expect((await client.spanStatus()).map((s) => [s.span, s.configured])).toEqual([
      [1, true],
      [2, false],
    ]);
  });

  it('a registered phone dials into the app as internal,<dialled>', async () => {
    await writeConfig(tenant());
    await client.reload('res_pjsip.so');
    await expect(emulator.placePhoneCall('1001', '1002')).rejects.toThrow(/not registered/);
    emulator.setPhone('1001', { registered: true });
    const { channelId } = await emulator.placePhoneCall('1001', '1002');
    const channel = emulator.channels().find((c) => c.id === channelId);
    expect(channel).toMatchObject({ name: expect.stringMatching(/^PJSIP\/1001-/), caller: { name: 'Ana', number: '1001' }, dialplan: { context: 'atende-from-phones', exten: '1002' } });
  });
});
