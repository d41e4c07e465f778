/**
 * The call-flow API through the real app: time conditions with holiday calendars and override,
 * versioned IVRs, surveys, voicemail boxes; bad input named by field; references and loops
 * refused; one tenant never sees or uses another's rows.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { routedInteractions } from '../../src/db/schema/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { writeToneWav } from '../helpers/wav.js';

const hangup = { kind: 'hangup' as const, cause: 16 };
const weekdays = { weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' };

const twoLevelIvr = (over: Record<string, unknown> = {}) => ({
  name: 'Principal',
  definition: {
    root: 'main',
    nodes: [
      {
        id: 'main',
        kind: 'menu',
        prompt: [{ kind: 'sound', name: 'atende-welcome' }],
        options: [
          { digit: '1', target: { destination: hangup } },
          { digit: '2', target: { node: 'support' } },
        ] as { digit: string; target: unknown }[],
      },
      { id: 'support', kind: 'menu', prompt: [{ kind: 'sound', name: 'atende-please-hold' }], options: [{ digit: '0', target: { node: 'main' } }] },
    ],
  },
  ...over,
});

describe('call flows over HTTP', () => {
  let t: TestApp;
  let admin: LoggedIn;
  const post = (path: string, body: unknown, cookie = admin.cookie) => t.request('POST', `/api/v1/flows/${path}`, { cookie, body });
  const patch = (path: string, body: unknown, cookie = admin.cookie) => t.request('PATCH', `/api/v1/flows/${path}`, { cookie, body });
  const get = (path: string, query?: Record<string, string | number>, cookie = admin.cookie) => t.request('GET', `/api/v1/flows/${path}`, { cookie, query });
  const fieldOf = (res: { json(): { error: { details: { field: string } } } }) => res.json().error.details.field;

  beforeEach(async () => {
    t = await createTestApp();
    admin = await t.loginAs('admin');
  });
  afterEach(async () => t.close());

  describe('time conditions', () => {
    it('are created with periods and destinations, and say whether they are open at an instant', async () => {
      const res = await post('time-conditions', { name: 'Comercial', periods: [weekdays], openDestination: hangup, closedDestination: { kind: 'hangup', cause: 21 } });
      expect(res.statusCode).toBe(201);
      const tc = res.json();
      expect(tc).toMatchObject({ timeZone: 'America/Sao_Paulo', override: null, exceptions: [], calendarId: null });
      // Monday 5 January 2026, 10:00 in São Paulo = 13:00 UTC.
      const open = await get(`time-conditions/${tc.id}/status`, { at: '2026-01-05T13:00:00Z' });
      expect(open.json()).toMatchObject({ state: 'open', localTime: '2026-01-05 10:00', rule: { kind: 'period', index: 0 }, destination: hangup });
      const closed = await get(`time-conditions/${tc.id}/status`, { at: '2026-01-05T22:00:00Z' });
      expect(closed.json()).toMatchObject({ state: 'closed', rule: { kind: 'no_period' }, destination: { kind: 'hangup', cause: 21 } });
    });

    it.each([
      ['an end before the start that is not meant to cross midnight', { periods: [{ start: '22:00', end: '06:00' }] }, 'periods.0.end', /crossesMidnight/],
      ['a time zone that does not exist', { timeZone: 'America/Sao_Paolo' }, 'timeZone', /IANA/],
      ['an IVR that does not exist', { openDestination: { kind: 'ivr', id: 999 } }, 'openDestination.id', /no IVR 999/],
      ['an IVR destination without its id', { openDestination: { kind: 'ivr' } }, 'openDestination.id', /required/],
      ['a queue that does not exist', { closedDestination: { kind: 'queue', id: 999 } }, 'closedDestination.id', /no queue 999/],
      ['an external destination without its number', { closedDestination: { kind: 'external' } }, 'closedDestination.number', /required/],
      ['an unknown destination kind', { closedDestination: { kind: 'fax', id: 1 } }, 'closedDestination.kind', undefined],
      ['an exception on 30 February', { exceptions: [{ date: '2026-02-30', name: 'x' }] }, 'exceptions.0.date', /not a calendar date/],
      ['the same exception date twice', { exceptions: [{ date: '2026-03-02', name: 'a' }, { date: '2026-03-02', name: 'b' }] }, 'exceptions.1.date', /already exception 0/],
      ['a calendar that does not exist', { calendarId: 42 }, 'calendarId', /no holiday calendar 42/],
      ['an override that ended in the past', { override: { state: 'closed', until: '2020-01-01T00:00:00Z' } }, 'override.until', /future/],
    ])('refuse %s, naming the field', async (_name, over, field, message) => {
      const res = await post('time-conditions', { name: 'X', periods: [weekdays], openDestination: hangup, closedDestination: hangup, ...over });
      expect(res.statusCode).toBe(400);
      expect(fieldOf(res)).toBe(field);
      if (message) expect(res.json().error.message).toMatch(message);
      expect(t.count('time_conditions')).toBe(0);
    });

    it('follow a holiday calendar: a state holiday closes the day, with its own destination', async () => {
      const cal = await post('holiday-calendars', { name: 'São Paulo', state: 'SP', city: 'SP', types: ['public', 'bank'] });
      expect(cal.statusCode).toBe(201);
      const days = await get(`holiday-calendars/${cal.json().id}/days`, { year: 2026 });
      expect(days.json().map((d: { date: string }) => d.date)).toEqual(expect.arrayContaining(['2026-01-25', '2026-02-16', '2026-02-17', '2026-07-09']));
      const ann = { kind: 'hangup', cause: 31 };
      const tc = (
        await post('time-conditions', { name: 'Comercial', periods: [weekdays], calendarId: cal.json().id, openDestination: hangup, closedDestination: hangup, holidayDestination: ann })
      ).json();
      // Thursday 9 July 2026 (Revolução Constitucionalista), 10:00.
      const status = await get(`time-conditions/${tc.id}/status`, { at: '2026-07-09T13:00:00Z' });
      expect(status.json()).toMatchObject({ state: 'closed', rule: { kind: 'exception', source: 'holiday', date: '2026-07-09' }, destination: ann });
      // The calendar is in use: deleting it is refused with the list.
      const del = await t.request('DELETE', `/api/v1/flows/holiday-calendars/${cal.json().id}`, { cookie: admin.cookie });
      expect(del.statusCode).toBe(409);
      expect(del.json().error.details.referrers).toEqual([{ entity: 'time_condition', id: tc.id, name: 'Comercial' }]);
    });

    it('can be forced closed until a time, then follow the periods again; the change is audited', async () => {
      t.clock.advance(Date.parse('2026-01-05T12:00:00Z') - t.clock.now());
      const tc = (await post('time-conditions', { name: 'Comercial', periods: [weekdays], openDestination: hangup, closedDestination: hangup })).json();
      const until = '2026-01-05T15:00:00.000Z';
      const forced = await patch(`time-conditions/${tc.id}`, { override: { state: 'closed', until } });
      expect(forced.statusCode).toBe(200);
      expect(forced.json().override).toEqual({ state: 'closed', until });
      expect((await get(`time-conditions/${tc.id}/status`, { at: '2026-01-05T13:00:00Z' })).json()).toMatchObject({ state: 'closed', rule: { kind: 'override', until } });
      expect((await get(`time-conditions/${tc.id}/status`, { at: '2026-01-05T15:00:00Z' })).json()).toMatchObject({ state: 'open', rule: { kind: 'period' } });
      // A later edit of another field keeps the override, even once it has run out.
      t.clock.advance(6 * 3600_000);
      expect((await patch(`time-conditions/${tc.id}`, { name: 'Comercial SP' })).json().override).toEqual({ state: 'closed', until });
      const cleared = await patch(`time-conditions/${tc.id}`, { override: null });
      expect(cleared.json().override).toBeNull();
      const audit = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entity: 'time_condition' } });
      expect(audit.json().items.length).toBeGreaterThanOrEqual(4);
    });
  });

  it("list Atende's own prompts for the editors, each one a flow may play", async () => {
    const names: string[] = (await get('sounds')).json().names;
    expect(names).toContain('atende-welcome');
    expect(names).toContain('atende-num-20');
    const ivr = await post('ivrs', twoLevelIvr({ definition: { ...twoLevelIvr().definition, nodes: [{ ...twoLevelIvr().definition.nodes[0]!, greeting: names.map((name) => ({ kind: 'sound', name })).slice(0, 20) }, twoLevelIvr().definition.nodes[1]!] } }));
    expect(ivr.statusCode).toBe(201);
  });

  describe('holiday calendars', () => {
    it('offer the library catalogue for a region and year', async () => {
      const res = await get('holidays/catalog', { year: 2027, state: 'RJ', city: 'RJ' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body.states).toHaveProperty('SP', 'São Paulo');
      expect(body.cities).toHaveProperty('RJ');
      expect(body.holidays).toContainEqual(expect.objectContaining({ date: '2027-03-26', name: 'Sexta-Feira Santa', scope: 'national' }));
      expect((await get('holidays/catalog', { year: 2027, state: 'XX' })).statusCode).toBe(400);
    });

    it.each([
      [{ state: 'XX' }, 'state'],
      [{ city: 'SP' }, 'state'],
      [{ state: 'SP', city: 'RJ' }, 'city'],
      [{ own: [{ name: 'x', rule: '31/12' }] }, 'own.0.rule'],
      [{ own: [{ name: 'x', rule: '12-31', openHours: [{ start: '12:00', end: '08:00' }] }] }, 'own.0.openHours.0.end'],
    ])('refuse %j naming %s', async (over, field) => {
      const res = await post('holiday-calendars', { name: 'C', ...over });
      expect(res.statusCode).toBe(400);
      expect(fieldOf(res)).toBe(field);
    });
  });

  describe('IVRs', () => {
    it('are versioned: a new definition is a new version; a rename is not; an old one can be restored', async () => {
      const created = await post('ivrs', twoLevelIvr());
      expect(created.statusCode).toBe(201);
      const ivr = created.json();
      expect(ivr.version).toBe(1);
      expect(ivr.definition.nodes[0]).toMatchObject({ bargeIn: true, timeoutSeconds: 5, retries: 2, invalidPrompt: [{ kind: 'sound', name: 'atende-invalid-option' }] });
      const changed = twoLevelIvr().definition;
      changed.nodes[0]!.options!.push({ digit: '9', target: { destination: { kind: 'hangup', cause: 17 } } });
      expect((await patch(`ivrs/${ivr.id}`, { definition: changed })).json().version).toBe(2);
      expect((await patch(`ivrs/${ivr.id}`, { name: 'URA principal' })).json().version).toBe(2);
      const versionsRes = await get(`ivrs/${ivr.id}/versions`);
      expect(versionsRes.statusCode, versionsRes.body).toBe(200);
      const versions = versionsRes.json();
      expect(versions.map((v: { version: number; current: boolean }) => [v.version, v.current])).toEqual([
        [2, true],
        [1, false],
      ]);
      const restored = await t.request('POST', `/api/v1/flows/ivrs/${ivr.id}/versions/1/restore`, { cookie: admin.cookie });
      expect(restored.statusCode).toBe(200);
      expect(restored.json().version).toBe(3);
      expect(restored.json().definition).toEqual(ivr.definition);
      expect((await get(`ivrs/${ivr.id}/versions/3`)).json()).toMatchObject({ restoredFrom: 1, current: true });
      expect((await get(`ivrs/${ivr.id}/versions/9`)).statusCode).toBe(404);
    });

    const withNode = (node: Record<string, unknown>) => ({ name: 'X', definition: { root: 'main', nodes: [{ id: 'main', kind: 'menu', prompt: [{ kind: 'sound', name: 'atende-welcome' }], ...node }] } });
    it.each([
      [
        'duplicate option digits',
        withNode({ options: [{ digit: '1', target: { destination: hangup } }, { digit: '1', target: { destination: hangup } }] }),
        'definition.nodes.0.options.1.digit',
      ],
      ['an option to a missing node', withNode({ options: [{ digit: '1', target: { node: 'gone' } }] }), 'definition.nodes.0.options.0.target'],
      ['a prompt that does not exist', withNode({ options: [{ digit: '1', target: { destination: hangup } }], greeting: [{ kind: 'prompt', id: 77 }] }), 'definition.nodes.0.greeting.0'],
      ['a sound Atende does not ship', withNode({ options: [{ digit: '1', target: { destination: hangup } }], greeting: [{ kind: 'sound', name: 'nope' }] }), 'definition.nodes.0.greeting.0'],
      ['a destination that does not exist', withNode({ options: [{ digit: '1', target: { destination: { kind: 'time_condition', id: 5 } } }] }), 'definition.nodes.0.options.0.target.destination.id'],
      ['an option digit that is not a key', withNode({ options: [{ digit: 'A', target: { destination: hangup } }] }), 'definition.nodes.0.options.0.digit'],
      ['a survey that does not exist', { ...withNode({ options: [{ digit: '1', target: { destination: hangup } }] }), surveyId: 3 }, 'surveyId'],
    ])('refuse %s, naming the field', async (_name, body, field) => {
      const res = await post('ivrs', body);
      expect(res.statusCode).toBe(400);
      expect(fieldOf(res)).toBe(field);
      expect(t.count('ivrs')).toBe(0);
      expect(t.count('ivr_versions')).toBe(0);
    });

    it('refuse a loop a silent caller would go round: IVR → time condition → the same IVR', async () => {
      const ivr = (await post('ivrs', twoLevelIvr())).json();
      const tc = (await post('time-conditions', { name: 'TC', periods: [weekdays], openDestination: { kind: 'ivr', id: ivr.id }, closedDestination: hangup })).json();
      const def = twoLevelIvr().definition;
      (def.nodes[0] as Record<string, unknown>).onExhausted = { destination: { kind: 'time_condition', id: tc.id } };
      const res = await patch(`ivrs/${ivr.id}`, { definition: def });
      expect(res.statusCode).toBe(400);
      expect(fieldOf(res)).toBe('definition');
      expect(res.json().error.message).toContain(`ivr ${ivr.id} → time_condition ${tc.id} → ivr ${ivr.id}`);
      expect((await get(`ivrs/${ivr.id}`)).json().version).toBe(1);
      // Through an option the caller chooses, the same circle is fine.
      (def.nodes[0] as Record<string, unknown>).onExhausted = { destination: hangup };
      def.nodes[0]!.options!.push({ digit: '9', target: { destination: { kind: 'time_condition', id: tc.id } } });
      expect((await patch(`ivrs/${ivr.id}`, { definition: def })).statusCode).toBe(200);
      // Now the IVR points at the condition: it cannot be deleted.
      const del = await t.request('DELETE', `/api/v1/flows/time-conditions/${tc.id}`, { cookie: admin.cookie });
      expect(del.statusCode).toBe(409);
      expect(del.json().error.details.referrers).toEqual([{ entity: 'ivr', id: ivr.id, name: 'Principal' }]);
    });
  });

  it("an IVR plays the tenant's uploaded prompts; such a prompt cannot be deleted while the IVR uses it", async () => {
    const wav = join(t.dataDir, 'saudacao.wav');
    await writeToneWav(wav, 1500);
    const form = new FormData();
    form.append('name', 'Saudação');
    form.append('file', new Blob([readFileSync(wav)]), 'saudacao.wav');
    const prompt = (await t.app.inject({ method: 'POST', url: '/api/v1/telephony/prompts', headers: { cookie: admin.cookie }, body: form as never })).json();
    const ivr = await post('ivrs', twoLevelIvr({ name: 'Com áudio' }));
    const def = twoLevelIvr().definition;
    (def.nodes[0] as Record<string, unknown>).greeting = [{ kind: 'prompt', id: prompt.id }];
    expect((await patch(`ivrs/${ivr.json().id}`, { definition: def })).statusCode).toBe(200);
    const media = t.modules.flowRunner.resolverFor(t.tenantA)([{ kind: 'prompt', id: prompt.id }], 'pt-BR');
    expect(media.missing).toEqual([]);
    expect(media.media).toEqual([t.modules.prompts.media(t.tenantA, prompt.id)]);
    const del = await t.request('DELETE', `/api/v1/telephony/prompts/${prompt.id}`, { cookie: admin.cookie });
    expect(del.statusCode).toBe(409);
    expect(del.json().error.details.referrers).toEqual([{ entity: 'ivr', id: ivr.json().id, name: 'Com áudio' }]);
  });

  describe('surveys and voicemail boxes', () => {
    const question = (over: Record<string, unknown> = {}) => ({ alias: 'Atendimento', prompt: [{ kind: 'sound', name: 'atende-survey-intro' }], min: 1, max: 5, ...over });
    it('a survey keeps its questions; an empty range or a repeated alias is refused naming the field', async () => {
      const ok = await post('surveys', { name: 'CSAT', questions: [question(), question({ alias: 'Resolvido', min: 1, max: 2 })] });
      expect(ok.statusCode).toBe(201);
      expect(ok.json()).toMatchObject({ language: 'pt-BR', retries: 1, thanks: [{ kind: 'sound', name: 'atende-survey-thanks' }] });
      const empty = await post('surveys', { name: 'B', questions: [question({ min: 5, max: 1 })] });
      expect(empty.statusCode).toBe(400);
      expect(fieldOf(empty)).toBe('questions.0.max');
      const twice = await post('surveys', { name: 'C', questions: [question(), question({ alias: 'atendimento' })] });
      expect(fieldOf(twice)).toBe('questions.1.alias');
      const outOfKeys = await post('surveys', { name: 'D', questions: [question({ max: 10 })] });
      expect(fieldOf(outOfKeys)).toBe('questions.0.max');
    });

    it('a voicemail box is created with defaults and counts its messages', async () => {
      const res = await post('voicemail-boxes', { name: 'Recepção', number: '800' });
      expect(res.statusCode).toBe(201);
      expect(res.json()).toMatchObject({ maxMessageSeconds: 120, maxMessages: 100, messages: 0, unheard: 0, greeting: [{ kind: 'sound', name: 'atende-voicemail-greeting' }] });
      expect((await post('voicemail-boxes', { name: 'Outra', number: '800' })).statusCode).toBe(409);
    });
  });

  it('voicemail messages are listed, played, marked heard and deleted with their audio', async () => {
    const box = (await post('voicemail-boxes', { name: 'Recepção', number: '800' })).json();
    const flows = t.modules.flows;
    const wav = Buffer.concat([Buffer.from('RIFF'), Buffer.alloc(4), Buffer.from('WAVEfmt '), Buffer.from([16, 0, 0, 0, 1, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x80, 0x3e, 0, 0, 2, 0, 16, 0]), Buffer.from('data'), Buffer.from([0x80, 0x3e, 0, 0]), Buffer.alloc(16000)]);
    const file = flows.voicemail.save({ tenantId: t.tenantA, boxId: box.id }, wav);
    const m = flows.repo.insertMessage({ tenantId: t.tenantA, boxId: box.id, callId: 'call-1', fromNumber: '11987654321', fromName: null, durationMs: 1000, file, bytes: wav.length, recordedAt: t.clock.now() });
    const list = await get(`voicemail-boxes/${box.id}/messages`, { unheard: 'true' });
    expect(list.json()).toMatchObject({ total: 1, items: [{ id: m.id, from: '11987654321', heardAt: null, audioUrl: `/api/v1/flows/voicemail-boxes/${box.id}/messages/${m.id}/audio` }] });
    const audio = await t.request('GET', list.json().items[0].audioUrl, { cookie: admin.cookie });
    expect(audio.statusCode).toBe(200);
    expect(audio.headers['content-type']).toBe('audio/wav');
    expect(audio.rawPayload.equals(wav)).toBe(true);
    const heard = await patch(`voicemail-boxes/${box.id}/messages/${m.id}`, { heard: true });
    expect(heard.json()).toMatchObject({ heardBy: admin.user.id, heardAt: expect.any(String) });
    expect((await get(`voicemail-boxes/${box.id}/messages`, { unheard: 'true' })).json().total).toBe(0);
    expect((await get(`voicemail-boxes/${box.id}`)).json()).toMatchObject({ messages: 1, unheard: 0 });
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await t.request('GET', list.json().items[0].audioUrl, { cookie: other.cookie })).statusCode).toBe(404);
    expect((await patch(`voicemail-boxes/${box.id}/messages/${m.id}`, { heard: false }, other.cookie)).statusCode).toBe(404);
    expect((await t.request('DELETE', `/api/v1/flows/voicemail-boxes/${box.id}/messages/${m.id}`, { cookie: admin.cookie })).statusCode).toBe(204);
    expect((await t.request('GET', list.json().items[0].audioUrl, { cookie: admin.cookie })).statusCode).toBe(404);
    expect(existsSync(flows.voicemail.path({ tenantId: t.tenantA, boxId: box.id }, file))).toBe(false);
  });

  it("a call's flow record shows its IVR steps, collected values and answers", async () => {
    const repo = t.modules.flows.repo;
    repo.insertTrace({ tenantId: t.tenantA, callId: 'call-9', ivrId: 1, version: 2, node: 'main', event: 'option', digits: '3', destination: null, at: 0 });
    repo.setCallData(t.tenantA, 'call-9', 'cpf', '52998224725', 0);
    repo.saveAnswer(t.tenantA, 4, 'call-9', 'nota', 5, 0);
    const res = await t.request('GET', '/api/v1/flows/calls/call-9', { cookie: admin.cookie });
    expect(res.json()).toEqual({
      callId: 'call-9',
      traces: [{ ivrId: 1, version: 2, node: 'main', event: 'option', digits: '3', destination: null, at: '1970-01-01T00:00:00.000Z' }],
      data: { cpf: '52998224725' },
      answers: [{ surveyId: 4, alias: 'nota', value: 5, answeredAt: '1970-01-01T00:00:00.000Z' }],
    });
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await t.request('GET', '/api/v1/flows/calls/call-9', { cookie: other.cookie })).json()).toMatchObject({ traces: [], data: {}, answers: [] });
  });

  describe('the IVR report', () => {
    it('counts per IVR and node in a period, option by option, as JSON and CSV', async () => {
      const ivr = (await post('ivrs', { ...twoLevelIvr(), definition: { ...twoLevelIvr().definition, nodes: twoLevelIvr().definition.nodes.map((n, i) => (i === 0 ? { ...n, name: 'Menu; principal', options: [{ digit: '1', label: 'Vendas', target: { destination: hangup } }, { digit: '2', target: { node: 'support' } }] } : n)) } })).json();
      const repo = t.modules.flows.repo;
      const base = Date.parse('2026-03-02T12:00:00Z');
      const trace = (callId: string, node: string, event: 'entered' | 'option' | 'timeout' | 'invalid' | 'exit' | 'abandon', digits: string | null, minute: number) =>
        repo.insertTrace({ tenantId: t.tenantA, callId, ivrId: ivr.id, version: 1, node, event, digits, destination: event === 'exit' ? hangup : null, at: base + minute * 60_000 });
      trace('c1', 'main', 'entered', null, 0);
      trace('c1', 'main', 'option', '1', 1);
      trace('c1', 'main', 'exit', null, 1);
      trace('c2', 'main', 'entered', null, 2);
      trace('c2', 'main', 'timeout', null, 3);
      trace('c2', 'main', 'invalid', '7', 3);
      trace('c2', 'main', 'option', '2', 4);
      trace('c2', 'support', 'entered', null, 4);
      trace('c2', 'support', 'abandon', null, 5);
      trace('c3', 'main', 'entered', null, 60 * 24 * 40); // outside the period
      const query = { from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' };
      const res = await t.request('GET', '/api/v1/reports/ivr', { cookie: admin.cookie, query });
      expect(res.statusCode).toBe(200);
      expect(res.json().lines).toEqual([
        {
          ivrId: ivr.id,
          ivr: 'Principal',
          node: 'main',
          nodeName: 'Menu; principal',
          entries: 2,
          options: [
            { digit: '1', label: 'Vendas', count: 1 },
            { digit: '2', label: null, count: 1 },
          ],
          directDials: 0,
          collected: 0,
          timeouts: 1,
          invalids: 1,
          exhausted: 0,
          exits: 1,
          abandons: 0,
        },
        expect.objectContaining({ node: 'support', entries: 1, abandons: 1, options: [{ digit: '0', label: null, count: 0 }] }),
      ]);
      const csv = await t.request('GET', '/api/v1/reports/ivr.csv', { cookie: admin.cookie, query });
      expect(csv.statusCode).toBe(200);
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      expect(csv.headers['content-disposition']).toContain('ivr-report-2026-03-01-2026-03-31.csv');
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('ivr_id;ivr;node;node_name;entries;direct_dials;collected;timeouts;invalids;exhausted;exits;abandons;option_0;option_1;option_2;option_3;option_4;option_5;option_6;option_7;option_8;option_9;option_star;option_hash');
      expect(lines[1]).toBe(`${ivr.id};Principal;main;"Menu; principal";2;0;0;1;1;0;1;0;0;1;1;0;0;0;0;0;0;0;0;0`);
      const bad = await t.request('GET', '/api/v1/reports/ivr', { cookie: admin.cookie, query: { from: query.to, to: query.from } });
      expect(bad.statusCode).toBe(400);
      expect(fieldOf(bad)).toBe('to');
      const other = await t.loginAs('admin', { tenantId: t.createTenant() });
      expect((await t.request('GET', '/api/v1/reports/ivr', { cookie: other.cookie, query })).json().lines).toEqual([]);
      const agent = await t.loginAs('agent');
      expect((await t.request('GET', '/api/v1/reports/ivr', { cookie: agent.cookie, query })).statusCode).toBe(403);
    });
  });

  describe('the satisfaction survey report', () => {
    it('averages per question, weighted, per service and agent, one line per call as JSON and CSV (a column per question)', async () => {
      const survey = (await post('surveys', { name: 'CSAT', questions: [{ alias: 'nota', prompt: [{ kind: 'sound', name: 'atende-survey-intro' }], min: 1, max: 5 }, { alias: 'resolvido', prompt: [{ kind: 'sound', name: 'atende-survey-intro' }], min: 1, max: 2 }] })).json();
      const change = { actor: { kind: 'system' as const } };
      const vendas = t.modules.routing.service.queues.create(change as never, t.tenantA, { name: 'Vendas', number: '700' }).id;
      const ana = (await t.loginAs('agent')).user;
      const base = Date.parse('2026-03-02T12:00:00Z');
      // Call c1 visited Vendas twice: first unanswered (overflow), then answered by Ana; c2 never reached an agent.
      const visit = (id: string, callId: string, agentUserId: number | null, minute: number) =>
        t.deps.database.db
          .insert(routedInteractions)
          .values({ id, tenantId: t.tenantA, queueId: vendas, kind: 'voice_in', callId, contactAddress: '11999990000', priority: 0, enteredAt: base + minute * 60_000, joined: true, agentUserId, outcome: agentUserId ? 'answered' : 'timeout' })
          .run();
      visit('v1', 'c1', null, 0);
      visit('v2', 'c1', ana.id, 1);
      visit('v3', 'c2', null, 2);
      const repo = t.modules.flows.repo;
      repo.saveAnswer(t.tenantA, survey.id, 'c1', 'nota', 5, base + 5 * 60_000);
      repo.saveAnswer(t.tenantA, survey.id, 'c1', 'resolvido', 2, base + 5 * 60_000 + 1000);
      repo.saveAnswer(t.tenantA, survey.id, 'c2', 'nota', 2, base + 6 * 60_000);
      repo.saveAnswer(t.tenantA, survey.id, 'c3', 'nota', 1, base + 40 * 86_400_000); // outside the period
      const query = { surveyId: survey.id, from: '2026-03-01T00:00:00Z', to: '2026-03-31T00:00:00Z' };
      const res = await t.request('GET', '/api/v1/reports/survey', { cookie: admin.cookie, query });
      expect(res.statusCode).toBe(200);
      const r = res.json();
      expect(r).toMatchObject({ answers: 3, respondents: 2, weightedAverage: 3 });
      expect(r.questions.map((q: { alias: string; answers: number; average: number }) => [q.alias, q.answers, q.average])).toEqual([
        ['nota', 2, 3.5],
        ['resolvido', 1, 2],
      ]);
      expect(r.byAgent).toEqual([
        { userId: ana.id, name: ana.name, answers: 2, average: 3.5 },
        { userId: null, name: null, answers: 1, average: 2 },
      ]);
      expect(r.byService).toEqual([
        { queueId: vendas, name: 'Vendas', answers: 2, average: 3.5 },
        { queueId: null, name: null, answers: 1, average: 2 },
      ]);
      // One service only: the call no agent answered is not of it.
      expect((await t.request('GET', '/api/v1/reports/survey', { cookie: admin.cookie, query: { ...query, queueId: vendas } })).json()).toMatchObject({ answers: 2, respondents: 1 });

      const csv = await t.request('GET', '/api/v1/reports/survey.csv', { cookie: admin.cookie, query });
      expect(csv.headers['content-type']).toBe('text/csv; charset=utf-8');
      const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
      expect(lines[0]).toBe('data;hora;chamada;telefone;fila;agente;nota;resolvido');
      expect(lines.slice(1).map((l: string) => l.split(';').slice(2))).toEqual([
        ['c1', '', 'Vendas', ana.name, '5', '2'],
        ['c2', '', '', '', '2', ''],
      ]);

      const bad = await t.request('GET', '/api/v1/reports/survey', { cookie: admin.cookie, query: { ...query, from: query.to, to: query.from } });
      expect([bad.statusCode, fieldOf(bad)]).toEqual([400, 'to']);
      expect((await t.request('GET', '/api/v1/reports/survey', { cookie: admin.cookie, query: { ...query, surveyId: 9999 } })).statusCode).toBe(404);
      const other = await t.loginAs('admin', { tenantId: t.createTenant() });
      expect((await t.request('GET', '/api/v1/reports/survey', { cookie: other.cookie, query })).statusCode).toBe(404);
      expect((await t.request('GET', '/api/v1/reports/survey', { cookie: (await t.loginAs('agent')).cookie, query })).statusCode).toBe(403);
    });
  });

  it("one tenant can neither see another's flows nor route to them", async () => {
    const tc = (await post('time-conditions', { name: 'Comercial', periods: [weekdays], openDestination: hangup, closedDestination: hangup })).json();
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await get(`time-conditions/${tc.id}`, undefined, other.cookie)).statusCode).toBe(404);
    expect((await get(`time-conditions/${tc.id}/status`, undefined, other.cookie)).statusCode).toBe(404);
    expect((await patch(`time-conditions/${tc.id}`, { name: 'x' }, other.cookie)).statusCode).toBe(404);
    expect((await get('time-conditions', undefined, other.cookie)).json().total).toBe(0);
    const borrowing = await post('ivrs', { name: 'X', definition: { root: 'm', nodes: [{ id: 'm', kind: 'menu', prompt: [{ kind: 'sound', name: 'atende-welcome' }], options: [{ digit: '1', target: { destination: { kind: 'time_condition', id: tc.id } } }] }] } }, other.cookie);
    expect(borrowing.statusCode).toBe(400);
    expect(fieldOf(borrowing)).toBe('definition.nodes.0.options.0.target.destination.id');
    const ivr = (await post('ivrs', twoLevelIvr())).json();
    expect((await get(`ivrs/${ivr.id}/versions`, undefined, other.cookie)).statusCode).toBe(404);
    expect((await t.request('POST', `/api/v1/flows/ivrs/${ivr.id}/versions/1/restore`, { cookie: other.cookie })).statusCode).toBe(404);
  });
});
