/**
 * Apply against the emulator over real AMI: the diff first, atomic writes into the Asterisk
 * configuration directory, reloads of what changed, the objects checked, and the previous
 * configuration put back when Asterisk does not load the new one.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AmiClient } from '../../src/telephony/ami/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { connectAmi } from '../helpers/ami.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

let dir: string;
let configDir: string;
let emulator: Emulator;
let ami: AmiClient;
let t: TestApp;
let admin: LoggedIn;
const tenantFile = () => join(configDir, `atende/pjsip-t${t.tenantA}.conf`);

const api = (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) =>
  t.request(method, `/api/v1/telephony/${path}`, { cookie: admin.cookie, ...(body !== undefined ? { body } : {}) });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'atende-apply-'));
  configDir = join(dir, 'asterisk');
  emulator = await startEmulator({ recordingsDir: join(dir, 'rec'), configDir, spans: [{ span: 1, signalling: 'pri_cpe', group: 1 }] });
  ami = await connectAmi(emulator);
  t = await createTestApp({ asterisk: { ami, configDir } });
  admin = await t.loginAs('admin');
  expect((await api('POST', 'spans', { span: 1, signalling: 'pri_cpe', group: 1 })).statusCode).toBe(201);
  expect((await api('POST', 'trunks', { name: 'operadora', registerString: '1133334444:Segredo-1@sip.provider.example.net/1133334444' })).statusCode).toBe(201);
  expect((await api('POST', 'extensions', { number: '1001', displayName: 'Ana', secret: 'Ana-Secret-2024' })).statusCode).toBe(201);
  expect((await api('POST', 'extensions', { number: '2001', displayName: 'Web', kind: 'webrtc' })).statusCode).toBe(201);
});

afterAll(async () => {
  await t.close();
  await ami.stop();
  await emulator.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('apply', () => {
  it('shows what would change, file by file, without writing anything (dry run)', async () => {
    const preview = await api('GET', 'apply');
    expect(preview.statusCode).toBe(200);
    const body = preview.json();
    expect(body).toMatchObject({ dryRun: true, pending: true, ok: true });
    const pjsip = body.files.find((f: { path: string }) => f.path === `atende/pjsip-t${t.tenantA}.conf`);
    expect(pjsip).toMatchObject({ module: 'pjsip', change: 'created' });
    expect(pjsip.diff).toContain('+[1001](atende-phone)');
    expect(pjsip.diff).toContain('+type=registration');
    expect(body.notes.join(' ')).toMatch(/dahdi_cfg/);
    // In Portuguese for the web app, the commands to run kept as they are.
    const inPortuguese = await t.request('GET', '/api/v1/telephony/apply', { cookie: admin.cookie, headers: { 'accept-language': 'pt-BR' } });
    expect(inPortuguese.json().notes).toContainEqual(expect.stringMatching(/^Os spans E1 mudaram: o Atende não recarrega o DAHDI\. .*`dahdi_cfg -vv`/));
    const dry = await api('POST', 'apply', { dryRun: true });
    expect(dry.json().files).toEqual(body.files);
    await expect(readFile(tenantFile(), 'utf8')).rejects.toThrow(/ENOENT/);
    expect(emulator.reloads()).toEqual([]);
  });

  it('writes the files, reloads PJSIP, the dialplan and MOH, and checks what Asterisk loaded', async () => {
    const res = await api('POST', 'apply', {});
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ dryRun: false, ok: true, rolledBack: false, error: null });
    expect(body.modules).toEqual([
      { module: 'pjsip', reload: 'res_pjsip.so', accepted: true, problems: [] },
      { module: 'dialplan', reload: 'pbx_config.so', accepted: true, problems: [] },
      { module: 'moh', reload: 'res_musiconhold.so', accepted: true, problems: [] },
      { module: 'dahdi', reload: null, accepted: true, problems: [] },
    ]);
    expect(emulator.reloads().map((r) => r.module)).toEqual(['res_pjsip', 'pbx_config', 'res_musiconhold']);
    expect(await readFile(tenantFile(), 'utf8')).toContain('password=Ana-Secret-2024');
    // Secrets: Asterisk's group reads them (it runs as its own user), nobody else does.
    expect((statSync(tenantFile()).mode & 0o777).toString(8)).toBe('640');
    expect((await ami.endpoints()).map((e) => e.name).sort()).toEqual(['1001', '2001', 'operadora']);
    expect((await api('GET', 'apply')).json().pending).toBe(false);
    // The extension exists in Asterisk now: its phone registers with the secret.
    emulator.setPhone('1001', { registered: true, password: 'Ana-Secret-2024' });
  });

  it('an apply with nothing to change writes nothing and reloads nothing', async () => {
    const before = emulator.reloads().length;
    const res = await api('POST', 'apply', {});
    expect(res.json()).toMatchObject({ ok: true, pending: false, modules: [] });
    expect(emulator.reloads()).toHaveLength(before);
  });

  it('when Asterisk does not load the new objects, the previous files come back and are reloaded', async () => {
    const good = await readFile(tenantFile(), 'utf8');
    // An installation whose pjsip.conf does not include Atende's file: nothing generated loads.
    await writeFile(join(configDir, 'pjsip.conf'), '; no include here\n');
    await api('POST', 'extensions', { number: '1002', displayName: 'Bia', secret: 'Bia-Secret-2024' });
    const res = await api('POST', 'apply', {});
    const body = res.json();
    expect(body).toMatchObject({ ok: false, rolledBack: true, pending: true });
    expect(body.error).toMatch(/endpoint 1001 was not loaded/);
    expect(body.modules[0]).toMatchObject({ module: 'pjsip', accepted: false });
    expect(await readFile(tenantFile(), 'utf8')).toBe(good);
    expect(body.modules).toHaveLength(1);
    // The new PJSIP configuration, then the old one put back for PJSIP and the dialplan.
    expect(emulator.reloads().slice(-3).map((r) => r.module)).toEqual(['res_pjsip', 'res_pjsip', 'pbx_config']);
    // Fixed by the admin, the same apply goes through.
    await writeFile(join(configDir, 'pjsip.conf'), '#include atende/pjsip.conf\n');
    const again = await api('POST', 'apply', {});
    expect(again.json()).toMatchObject({ ok: true });
    expect((await ami.endpoints()).map((e) => e.name)).toContain('1002');
  });

  it('is refused with nothing written while AMI is down', async () => {
    await api('PATCH', `extensions/${(await api('GET', 'extensions')).json().items[0].id}`, { displayName: 'Ana Maria' });
    const before = await readFile(tenantFile(), 'utf8');
    await emulator.stopAmi();
    try {
      await new Promise<void>((resolve) => {
        const off = ami.onEvent((e) => {
          if (e.type === 'ConnectionChanged' && e.state === 'down') {
            off();
            resolve();
          }
        });
      });
      const res = await api('POST', 'apply', {});
      expect(res.statusCode).toBe(503);
      expect(await readFile(tenantFile(), 'utf8')).toBe(before);
    } finally {
      await emulator.startAmi();
    }
  });

  it('the apply is audited', async () => {
    const audit = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entity: 'telephony_apply' } });
    const actions = audit.json().items.map((a: { action: string }) => a.action);
    expect(actions).toContain('apply');
    expect(actions).toContain('apply_failed');
  });
});

describe('apply without a configuration directory', () => {
  it('answers 503 saying which setting is missing', async () => {
    const bare = await createTestApp();
    try {
      const who = await bare.loginAs('admin');
      const res = await bare.request('POST', '/api/v1/telephony/apply', { cookie: who.cookie, body: {} });
      expect(res.statusCode).toBe(503);
      expect(res.json().error.message).toMatch(/ATENDE_ASTERISK_CONFIG_DIR/);
    } finally {
      await bare.close();
    }
  });
});
