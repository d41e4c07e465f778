/**
 * Prompts through the real app: uploads of generated tones (MP3, OGG, WAV) and text to speech
 * become files Asterisk plays, the browser downloads them, and bad input is refused naming the
 * field with nothing written.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LightMyRequestResponse } from 'fastify';
import { parseWavHeader } from '../helpers/wav.js';
import { MP3, OGG_VORBIS, WAV_44K, listen, makeTone, sourceDurationMs } from '../helpers/audio.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

const fixtures = mkdtempSync(join(tmpdir(), 'atende-prompt-fixtures-'));
afterAll(() => rmSync(fixtures, { recursive: true, force: true }));

const tone = async (name: string, codec: string[], durationS = 3, frequency = 440) => {
  const path = join(fixtures, name);
  if (!existsSync(path)) await makeTone(path, { durationS, frequency, codec });
  return path;
};

/** A multipart body as a browser's FormData sends it. */
function form(fields: Record<string, string>, file?: { path?: string; bytes?: Buffer; name: string }): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  if (file) f.append('file', new Blob([file.bytes ?? readFileSync(file.path!)]), file.name);
  return f;
}

function send(t: TestApp, method: 'POST' | 'PUT', url: string, cookie: string, body: FormData | object): Promise<LightMyRequestResponse> {
  return body instanceof FormData
    ? t.app.inject({ method, url, headers: { cookie }, body: body as never })
    : t.request(method, url, { cookie, body });
}

const field = (res: LightMyRequestResponse) => res.json().error.details.field;
const scratchFiles = (t: TestApp) => {
  const dir = join(t.dataDir, 'tmp', 'prompts');
  return existsSync(dir) ? readdirSync(dir) : [];
};

describe('prompts: upload, text to speech, download', () => {
  let t: TestApp;
  let admin: LoggedIn;
  let soundsDir: string;
  /** Prompts named here are used by a pretend announcement. */
  const usedBy = new Map<number, string>();

  beforeAll(async () => {
    soundsDir = mkdtempSync(join(tmpdir(), 'atende-sounds-'));
    t = await createTestApp({
      config: { asterisk: { soundsDir } },
      extendModules(modules) {
        modules.resources.references.add('prompt', (_tenantId, id) =>
          usedBy.has(id) ? [{ entity: 'announcement', id: 5, name: usedBy.get(id)! }] : [],
        );
      },
    });
    admin = await t.loginAs('admin');
  });
  afterAll(async () => {
    await t.close();
    rmSync(soundsDir, { recursive: true, force: true });
  });

  const upload = (fields: Record<string, string>, file?: Parameters<typeof form>[1], cookie = admin.cookie) =>
    send(t, 'POST', '/api/v1/telephony/prompts', cookie, form(fields, file));

  it('an uploaded MP3 becomes a playable 8 kHz mono WAV whose duration matches the source within 50 ms', async () => {
    const mp3 = await tone('tone.mp3', MP3);
    const res = await upload({ name: 'Saudação', description: 'URA principal' }, { path: mp3, name: 'saudacao.mp3' });
    expect(res.statusCode).toBe(201);
    const prompt = res.json();
    expect(prompt).toMatchObject({
      name: 'Saudação',
      description: 'URA principal',
      language: 'pt-BR',
      source: 'upload',
      upload: { fileName: 'saudacao.mp3', format: 'mp3' },
      speech: null,
      audioUrl: `/api/v1/telephony/prompts/${prompt.id}/audio`,
    });
    const sourceMs = await sourceDurationMs(mp3);
    expect(Math.abs(prompt.durationMs - sourceMs)).toBeLessThanOrEqual(50);

    const audio = await t.request('GET', prompt.audioUrl, { cookie: admin.cookie });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect(Number(audio.headers['content-length'])).toBe(prompt.sizeBytes);
    const wav = parseWavHeader(audio.rawPayload, audio.rawPayload.length)!;
    expect(wav).toMatchObject({ sampleRate: 8000, channels: 1, bitsPerSample: 16 });
    expect(Math.abs(wav.durationMs - sourceMs)).toBeLessThanOrEqual(50);

    // What Asterisk plays: the same audio beside an A-law copy, readable by Asterisk's group.
    const played = join(soundsDir, 'prompts', `t${t.tenantA}`, String(prompt.id));
    const heard = await listen(`${played}.wav`);
    expect(heard.frequency).toBeGreaterThan(430);
    expect(heard.frequency).toBeLessThan(450);
    expect(statSync(`${played}.alaw`).size).toBe(wav.dataBytes / 2);
    expect(statSync(`${played}.wav`).mode & 0o777).toBe(0o640);
    expect(statSync(join(t.dataDir, 'prompts', `t${t.tenantA}`, `${prompt.id}.wav`)).mode & 0o777).toBe(0o600);
    expect(t.modules.prompts.media(t.tenantA, prompt.id)).toEqual({ kind: 'file', path: played });

    const audit = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entity: 'prompt' } });
    expect(audit.json().items.map((a: { action: string }) => a.action)).toContain('create');
    expect(scratchFiles(t)).toEqual([]);
  });

  it('the browser can seek (byte ranges) and revalidate (ETag)', async () => {
    const wav = await tone('seek.wav', WAV_44K, 1);
    const prompt = (await upload({ name: 'Seek' }, { path: wav, name: 'seek.wav' })).json();
    const part = await t.request('GET', prompt.audioUrl, { cookie: admin.cookie, headers: { range: 'bytes=44-143' } });
    expect(part.statusCode).toBe(206);
    expect(part.headers['content-range']).toBe(`bytes 44-143/${prompt.sizeBytes}`);
    expect(part.rawPayload.length).toBe(100);
    const whole = await t.request('GET', prompt.audioUrl, { cookie: admin.cookie });
    const again = await t.request('GET', prompt.audioUrl, { cookie: admin.cookie, headers: { 'if-none-match': String(whole.headers.etag) } });
    expect(again.statusCode).toBe(304);
    const beyond = await t.request('GET', prompt.audioUrl, { cookie: admin.cookie, headers: { range: `bytes=${prompt.sizeBytes}-` } });
    expect(beyond.statusCode).toBe(416);
  });

  it.each([
    ['ogg', OGG_VORBIS],
    ['wav', WAV_44K],
  ])('an uploaded %s tone is converted too', async (format, codec) => {
    const src = await tone(`tone.${format}`, codec, 2);
    const res = await upload({ name: `Tom ${format}`, language: 'en-US' }, { path: src, name: `tom.${format}` });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ language: 'en-US', upload: { format } });
    expect(Math.abs(res.json().durationMs - 2000)).toBeLessThanOrEqual(50);
  });

  it('text to speech in pt-BR gives a prompt of plausible length that plays in the browser', async () => {
    const text = 'Olá! Você ligou para a Central de Atendimento. Para falar com o financeiro, digite um.';
    const res = await t.request('POST', '/api/v1/telephony/prompts', { cookie: admin.cookie, body: { name: 'Menu', speech: { text } } });
    expect(res.statusCode).toBe(201);
    const prompt = res.json();
    expect(prompt).toMatchObject({ source: 'tts', language: 'pt-BR', upload: null, speech: { text, voice: 'female', rate: 150 } });
    expect(prompt.durationMs).toBeGreaterThan(3500);
    expect(prompt.durationMs).toBeLessThan(9000);
    const audio = await t.request('GET', prompt.audioUrl, { cookie: admin.cookie });
    expect(parseWavHeader(audio.rawPayload, audio.rawPayload.length)).toMatchObject({ sampleRate: 8000, channels: 1, durationMs: prompt.durationMs });
  }, 60_000);

  it.each([
    ['empty text', { name: 'X', speech: { text: '' } }, 'speech.text'],
    ['blank text', { name: 'X', speech: { text: '  \n\t ' } }, 'speech.text'],
    ['text over 2000 characters', { name: 'X', speech: { text: 'a'.repeat(2001) } }, 'speech.text'],
    ['a language the built-in voice does not speak', { name: 'X', language: 'de-DE', speech: { text: 'Hallo' } }, 'language'],
    ['an unknown voice', { name: 'X', speech: { text: 'Olá', voice: 'robot' } }, 'speech.voice'],
    ['a rate out of range', { name: 'X', speech: { text: 'Olá', rate: 1000 } }, 'speech.rate'],
    ['no name', { speech: { text: 'Olá' } }, 'name'],
    ['a blank name', { name: '   ', speech: { text: 'Olá' } }, 'name'],
  ])('text to speech refuses %s, naming the field', async (_what, body, expected) => {
    const before = t.count('prompts');
    const res = await t.request('POST', '/api/v1/telephony/prompts', { cookie: admin.cookie, body });
    expect(res.statusCode).toBe(400);
    expect(field(res)).toBe(expected);
    expect(t.count('prompts')).toBe(before);
  });

  it('a text file renamed to .mp3 is refused naming the field; nothing is kept', async () => {
    const before = t.count('prompts');
    const res = await upload({ name: 'Ramais' }, { bytes: Buffer.from('Lista de ramais\n2001 Recepção\n'), name: 'ramais.mp3' });
    expect(res.statusCode).toBe(400);
    expect(field(res)).toBe('file');
    expect(res.json().error.message).toMatch(/not WAV, MP3 or OGG/);
    expect(t.count('prompts')).toBe(before);
    expect(scratchFiles(t)).toEqual([]);
  });

  it('a form without a file, or with a file under another name, is refused naming the field', async () => {
    const none = await upload({ name: 'Sem arquivo' });
    expect(none.statusCode).toBe(400);
    expect(field(none)).toBe('file');
    const mp3 = await tone('tone.mp3', MP3);
    const f = form({ name: 'Outro campo' });
    f.append('audio', new Blob([readFileSync(mp3)]), 'a.mp3');
    const other = await send(t, 'POST', '/api/v1/telephony/prompts', admin.cookie, f);
    expect(other.statusCode).toBe(400);
    expect(field(other)).toBe('audio');
  });

  it('a duplicate name in the tenant is 409 naming the field, spaces at either end or not', async () => {
    const wav = await tone('dup.wav', WAV_44K, 0.5);
    const first = await upload({ name: ' Duplicado ' }, { path: wav, name: 'a.wav' });
    expect(first.statusCode).toBe(201);
    expect(first.json().name).toBe('Duplicado');
    const dup = await upload({ name: 'Duplicado' }, { path: wav, name: 'b.wav' });
    expect(dup.statusCode).toBe(409);
    expect(field(dup)).toBe('name');
  });

  it('new audio replaces the old under the same id and path; name and description stay', async () => {
    const first = await tone('first.wav', WAV_44K, 1, 440);
    const second = await tone('second.mp3', MP3, 2, 1000);
    const prompt = (await upload({ name: 'Troca', description: 'v1' }, { path: first, name: 'v1.wav' })).json();
    const etag = (await t.request('GET', prompt.audioUrl, { cookie: admin.cookie })).headers.etag;
    const res = await send(t, 'PUT', `/api/v1/telephony/prompts/${prompt.id}/audio`, admin.cookie, form({}, { path: second, name: 'v2.mp3' }));
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: prompt.id, name: 'Troca', description: 'v1', upload: { fileName: 'v2.mp3', format: 'mp3' } });
    expect(Math.abs(res.json().durationMs - 2000)).toBeLessThanOrEqual(50);
    const played = await listen(`${t.modules.prompts.media(t.tenantA, prompt.id).path}.wav`);
    expect(Math.round(played.frequency / 100)).toBe(10);
    expect((await t.request('GET', prompt.audioUrl, { cookie: admin.cookie })).headers.etag).not.toBe(etag);

    const spoken = await send(t, 'PUT', `/api/v1/telephony/prompts/${prompt.id}/audio`, admin.cookie, { speech: { text: 'Aguarde.', voice: 'male' } });
    expect(spoken.statusCode).toBe(200);
    expect(spoken.json()).toMatchObject({ source: 'tts', upload: null, speech: { text: 'Aguarde.', voice: 'male' } });
    const relabel = await t.request('PATCH', `/api/v1/telephony/prompts/${prompt.id}`, { cookie: admin.cookie, body: { language: 'en-US' } });
    expect(relabel.statusCode).toBe(400);
    expect(field(relabel)).toBe('language');
    const renamed = await t.request('PATCH', `/api/v1/telephony/prompts/${prompt.id}`, { cookie: admin.cookie, body: { name: 'Espera', description: null } });
    expect(renamed.json()).toMatchObject({ name: 'Espera', description: null, source: 'tts' });
  }, 60_000);

  it('a prompt in use is not deleted (409 listing who uses it); once free, its files go with it', async () => {
    const wav = await tone('del.wav', WAV_44K, 0.5);
    const prompt = (await upload({ name: 'Apagar' }, { path: wav, name: 'a.wav' })).json();
    const files = [join(soundsDir, 'prompts', `t${t.tenantA}`, `${prompt.id}.wav`), join(t.dataDir, 'prompts', `t${t.tenantA}`, `${prompt.id}.alaw`)];
    usedBy.set(prompt.id, 'Boas-vindas');
    const refused = await t.request('DELETE', `/api/v1/telephony/prompts/${prompt.id}`, { cookie: admin.cookie });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.referrers).toEqual([{ entity: 'announcement', id: 5, name: 'Boas-vindas' }]);
    expect(files.every((f) => existsSync(f))).toBe(true);
    usedBy.delete(prompt.id);
    expect((await t.request('DELETE', `/api/v1/telephony/prompts/${prompt.id}`, { cookie: admin.cookie })).statusCode).toBe(204);
    expect(files.some((f) => existsSync(f))).toBe(false);
    expect((await t.request('GET', prompt.audioUrl, { cookie: admin.cookie })).statusCode).toBe(404);
  });

  it("another tenant's prompts are 404 on every route and never listed", async () => {
    const wav = await tone('iso.wav', WAV_44K, 0.5);
    const prompt = (await upload({ name: 'Privado' }, { path: wav, name: 'a.wav' })).json();
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    const base = `/api/v1/telephony/prompts/${prompt.id}`;
    expect((await t.request('GET', base, { cookie: other.cookie })).statusCode).toBe(404);
    expect((await t.request('GET', `${base}/audio`, { cookie: other.cookie })).statusCode).toBe(404);
    expect((await t.request('PATCH', base, { cookie: other.cookie, body: { name: 'Meu' } })).statusCode).toBe(404);
    expect((await send(t, 'PUT', `${base}/audio`, other.cookie, form({}, { path: wav, name: 'b.wav' }))).statusCode).toBe(404);
    expect((await send(t, 'PUT', `${base}/audio`, other.cookie, { speech: { text: 'Olá' } })).statusCode).toBe(404);
    expect((await t.request('DELETE', base, { cookie: other.cookie })).statusCode).toBe(404);
    const list = await t.request('GET', '/api/v1/telephony/prompts', { cookie: other.cookie });
    expect(list.json().total).toBe(0);
    expect((await t.request('GET', base, { cookie: admin.cookie })).json().name).toBe('Privado');
    expect(scratchFiles(t)).toEqual([]);
  });

  it('agents may not manage prompts; supervisors may listen but not change them', async () => {
    const wav = await tone('perm.wav', WAV_44K, 0.5);
    const prompt = (await upload({ name: 'Permissões' }, { path: wav, name: 'a.wav' })).json();
    const agent = await t.loginAs('agent');
    const supervisor = await t.loginAs('supervisor');
    expect((await upload({ name: 'Agente' }, { path: wav, name: 'a.wav' }, agent.cookie)).statusCode).toBe(403);
    expect((await t.request('GET', prompt.audioUrl, { cookie: agent.cookie })).statusCode).toBe(403);
    expect((await t.request('GET', prompt.audioUrl, { cookie: supervisor.cookie })).statusCode).toBe(200);
    expect((await upload({ name: 'Supervisor' }, { path: wav, name: 'a.wav' }, supervisor.cookie)).statusCode).toBe(403);
  });

  it('lists with search and a source filter, and tells the browser the limits', async () => {
    const list = await t.request('GET', '/api/v1/telephony/prompts', { cookie: admin.cookie, query: { source: 'tts', sort: 'name' } });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.every((p: { source: string }) => p.source === 'tts')).toBe(true);
    const found = await t.request('GET', '/api/v1/telephony/prompts', { cookie: admin.cookie, query: { q: 'saud' } });
    expect(found.json().items.map((p: { name: string }) => p.name)).toEqual(['Saudação']);
    const settings = await t.request('GET', '/api/v1/telephony/prompts/settings', { cookie: admin.cookie });
    expect(settings.json()).toMatchObject({ maxUploadBytes: 52_428_800, maxDurationSeconds: 900, uploadFormats: ['wav', 'mp3', 'ogg'] });
    expect(settings.json().speech.languages).toContain('pt-BR');
  });

  it('documents both ways to create (upload and text to speech) and the audio download in OpenAPI', async () => {
    const doc = (await t.request('GET', '/api/docs/json')).json();
    const create = doc.paths['/api/v1/telephony/prompts'].post;
    expect(Object.keys(create.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
    expect(create.requestBody.content['multipart/form-data'].schema.properties.file).toMatchObject({ type: 'string', format: 'binary' });
    const audio = doc.paths['/api/v1/telephony/prompts/{id}/audio'];
    expect(Object.keys(audio.get.responses['200'].content)).toEqual(['audio/wav']);
    expect(Object.keys(audio.put.requestBody.content).sort()).toEqual(['application/json', 'multipart/form-data']);
  });
});

describe('prompts: size and length limits (configured)', () => {
  let t: TestApp;
  let admin: LoggedIn;
  beforeAll(async () => {
    t = await createTestApp({ config: { media: { maxUploadBytes: 64 * 1024, maxDurationSeconds: 2 } } });
    admin = await t.loginAs('admin');
  });
  afterAll(async () => t.close());

  const upload = (fields: Record<string, string>, file: Parameters<typeof form>[1]) =>
    send(t, 'POST', '/api/v1/telephony/prompts', admin.cookie, form(fields, file));

  it('a file over the size limit is refused with 413 naming the field; nothing is kept', async () => {
    const big = await tone('big.wav', WAV_44K, 1);
    const res = await upload({ name: 'Grande' }, { path: big, name: 'grande.wav' });
    expect(res.statusCode).toBe(413);
    expect(field(res)).toBe('file');
    expect(t.count('prompts')).toBe(0);
    expect(scratchFiles(t)).toEqual([]);
  });

  it('audio over the length limit is refused naming the field (a small MP3 of 3 s)', async () => {
    const mp3 = await tone('long-small.mp3', ['-c:a', 'libmp3lame', '-b:a', '32k'], 3);
    expect(statSync(mp3).size).toBeLessThan(64 * 1024);
    const res = await upload({ name: 'Longo' }, { path: mp3, name: 'longo.mp3' });
    expect(res.statusCode).toBe(400);
    expect(field(res)).toBe('file');
    expect(res.json().error.message).toMatch(/longer than the 2 s/);
    expect(t.count('prompts')).toBe(0);
  });

  it('text that would speak longer than the limit is refused naming the field', async () => {
    const text = 'Esta frase é longa demais para o limite de dois segundos configurado neste teste.';
    const res = await t.request('POST', '/api/v1/telephony/prompts', { cookie: admin.cookie, body: { name: 'Longo', speech: { text } } });
    expect(res.statusCode).toBe(400);
    expect(field(res)).toBe('speech.text');
  }, 60_000);
});
