/**
 * Every kind of destination reached from the public network, over real sockets: the admin's
 * configuration made through the HTTP API and applied to the emulator, the production ARI
 * adapter, and the call flows wired as the daemon wires them (one inbound path: the DID's
 * route, the caller screened against the inbound blacklist, then the one destination runner).
 * Each test places an emulated PSTN call on a DID and checks what the caller notices. Then the
 * referential integrity (a referenced IVR or queue cannot be deleted) and the bad input of the
 * one destination type, named by field.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { TelephonyEvent } from '../../src/telephony/call-control.js';
import type { Emulator } from '../../src/telephony/emulator/index.js';
import type { LoggedIn, TestApp } from '../helpers/app.js';
import { EventLog } from '../helpers/events.js';
import { makePrompt } from '../helpers/prompts.js';
import { telephonyWorld, type TelephonyWorld } from '../helpers/telephony-world.js';
import { until } from '../helpers/until.js';

let world: TelephonyWorld;
let emulator: Emulator;
let t: TestApp;
let admin: LoggedIn;
let events: EventLog<TelephonyEvent>;
const ids = new Map<string, number>();

const request = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, body?: unknown) =>
  t.request(method, `/api/v1/${path}`, { cookie: admin.cookie, ...(body !== undefined ? { body } : {}) });
const api = async (method: 'GET' | 'POST' | 'PATCH', path: string, body?: unknown) => {
  const res = await request(method, path, body);
  if (res.statusCode >= 400) throw new Error(`${method} ${path}: ${res.statusCode} ${res.body}`);
  return res.json();
};
const route = async (name: string, did: string, destination: unknown) => {
  const created = await api('POST', 'telephony/inbound-routes', { name, did, destination });
  ids.set(name, created.id);
};

const channelOf = (prefix: string) => emulator.channels().find((c) => c.name.startsWith(prefix));
/** The answered leg Atende dialled out on the trunk for the caller (who came in on the same trunk). */
const trunkLeg = (caller: string) => emulator.channels().find((c) => c.name.startsWith('PJSIP/operadora-') && c.id !== caller && c.state === 'Up');
const ended = (id: string) => emulator.endedChannels().find((c) => c.id === id);
const bridged = (a: string, b: string) => emulator.bridges().some((x) => x.channels.includes(a) && x.channels.includes(b));
/** The files a channel heard, by name, one entry per play. */
const heard = (channelId: string) => world.plays.filter((p) => p.channelId === channelId).map((p) => p.media.map((m) => (m.kind === 'file' ? m.path.split('/').pop() : m.kind)).join('+'));
const callRecord = (channelId: string) =>
  t.deps.database.sqlite.prepare('SELECT * FROM calls WHERE channel_id = ?').get(channelId) as
    | { call_id: string; trunk_ref: string | null; answered_at: number | null; state: string; cause: number | null }
    | undefined;
const call = (did: string, from = '11987650000') => emulator.placeInboundCall({ did, from, via: { trunk: 'operadora' } });

beforeAll(async () => {
  world = await telephonyWorld('atende-destinations-', { ringSeconds: 3, outboundRingSeconds: 20 });
  ({ emulator, t, admin } = world);
  events = new EventLog<TelephonyEvent>((l) => world.ari.callControl.onEvent(l));

  await api('PATCH', `tenants/${t.tenantA}`, { ddd: '11' });
  await api('POST', 'telephony/trunks', { name: 'operadora', host: '203.0.113.10' });
  const ana = await api('POST', 'telephony/extensions', { number: '1001', displayName: 'Ana' });
  ids.set('1001', ana.id);
  await api('POST', 'telephony/outbound-routes', {
    name: 'Brasil',
    rules: [{ pattern: '_0XX.', strip: 1, brazilFormat: true, carrierCode: '21' }],
    trunks: [{ trunkId: (await api('GET', 'telephony/trunks')).items[0].id }],
  });
  ids.set('vendas', (await api('POST', 'queues', { name: 'Vendas', number: '700', joinRule: 'always' })).id);
  ids.set('suporte', (await api('POST', 'queues', { name: 'Suporte', number: '710', joinRule: 'always' })).id);
  ids.set('box', (await api('POST', 'flows/voicemail-boxes', { name: 'Recepção', number: '800' })).id);
  const sound = (name: string) => ({ kind: 'sound', name });
  ids.set('ivr', (
    await api('POST', 'flows/ivrs', {
      name: 'Menu',
      definition: {
        root: 'main',
        nodes: [
          {
            id: 'main',
            kind: 'menu',
            greeting: [sound('atende-welcome')],
            prompt: [sound('atende-survey-intro')],
            options: [
              { digit: '1', target: { destination: { kind: 'external', number: '011987654320' } } },
              { digit: '2', target: { destination: { kind: 'queue', id: ids.get('vendas') } } },
              { digit: '3', target: { destination: { kind: 'queue', id: ids.get('suporte') } } },
            ],
          },
        ],
      },
    })
  ).id);
  ids.set('tc', (
    await api('POST', 'flows/time-conditions', {
      name: 'Sempre',
      periods: [{ start: '00:00', end: '24:00' }],
      openDestination: { kind: 'ivr', id: ids.get('ivr') },
      closedDestination: { kind: 'hangup', cause: 16 },
    })
  ).id);
  ids.set('prompt', await makePrompt(t, 'Aviso'));
  ids.set('announcement', (await api('POST', 'telephony/announcements', { name: 'Aviso', promptIds: [ids.get('prompt')], destination: { kind: 'hangup', cause: 16 } })).id);
  ids.set('conference', (await api('POST', 'telephony/conferences', { name: 'Sala', number: '5000' })).id);

  await route('URA', '1130001001', { kind: 'ivr', id: ids.get('ivr') });
  await route('Horário', '1130001002', { kind: 'time_condition', id: ids.get('tc') });
  await route('Caixa postal', '1130001003', { kind: 'voicemail', id: ids.get('box') });
  await route('Fila', '1130001004', { kind: 'queue', id: ids.get('vendas') });
  await route('Fora', '1130001005', { kind: 'external', number: '011987654320' });
  await route('Desligar', '1130001006', { kind: 'hangup', cause: 21 });
  await route('Ramal', '1130001007', { kind: 'extension', id: ids.get('1001') });
  await route('Aviso', '1130001008', { kind: 'announcement', id: ids.get('announcement') });
  await route('Sala', '1130001009', { kind: 'conference', id: ids.get('conference') });
  expect((await api('POST', 'telephony/apply', {})).ok).toBe(true);
  // The phone registers once Asterisk knows the extension (after the apply).
  emulator.setPhone('1001', { registered: true, password: ana.secret, behaviour: 'answer', answerAfterMs: 300, reachable: true });
});

beforeEach(async () => {
  for (const c of emulator.channels()) await emulator.hangup(c.id).catch(() => undefined);
  await until('no channel left', () => emulator.channels().length === 0);
});

afterAll(async () => world?.close());

describe('a call to a DID reaches each kind of destination', () => {
  it('IVR: the caller hears its greeting and menu', async () => {
    const { channelId } = await call('1130001001');
    await until('the menu plays', () => heard(channelId).length >= 2);
    expect(heard(channelId).slice(0, 2)).toEqual(['atende-welcome', 'atende-survey-intro']);
    expect(callRecord(channelId)?.answered_at).not.toBeNull();
  });

  it('time condition: open hours lead to the IVR', async () => {
    const { channelId } = await call('1130001002');
    await until('the greeting plays', () => heard(channelId).length >= 1);
    expect(heard(channelId)[0]).toBe('atende-welcome');
  });

  it('voicemail: the caller hears the greeting and the beep, speaks, presses #, and the message is kept', async () => {
    const { channelId } = await call('1130001003', '11912345678');
    await events.waitFor((e) => e.type === 'RecordingStarted' && 'channelId' in e.target && e.target.channelId === channelId, 10_000, 'recording');
    await new Promise((r) => setTimeout(r, 400)); // the caller speaks (4 s at the emulator's speed)
    await emulator.sendDtmf(channelId, '#');
    await until('the caller released', () => ended(channelId));
    const messages = await api('GET', `flows/voicemail-boxes/${ids.get('box')}/messages`);
    expect(messages.total).toBe(1);
    expect(messages.items[0]).toMatchObject({ from: '11912345678', callId: callRecord(channelId)!.call_id, heardAt: null });
    expect(heard(channelId)[0]).toBe('atende-voicemail-greeting+atende-beep');
  });

  it('queue: the caller waits in the queue with music on hold, as a waiting call', async () => {
    const { channelId } = await call('1130001004', '11955554444');
    const live = await until('waiting in Vendas', () => {
      const q = t.modules.routing.service.queueLive(t.tenantA, ids.get('vendas')!);
      return q.waiting.length === 1 ? q : undefined;
    });
    expect(live.waiting[0]!.contact.address).toBe('11955554444');
    // It waits alone in the queue's bridge until an agent is offered the call.
    expect(emulator.bridges().find((b) => b.channels.includes(channelId))?.channels).toEqual([channelId]);
    await emulator.hangup(channelId);
    await until('left the queue', () => t.modules.routing.service.queueLive(t.tenantA, ids.get('vendas')!).waiting.length === 0);
  });

  it('external number: the caller is put through to the number on the outbound route’s trunk', async () => {
    const { channelId } = await call('1130001005');
    const out = await until('the trunk leg answered', () => trunkLeg(channelId));
    // DDD 11 calling DDD 11: dialled as the subscriber number.
    expect(out.connected.number).toBe('987654320');
    await until('bridged', () => bridged(channelId, out.id));
    await until('routing recorded', () => callRecord(channelId)?.trunk_ref === 'trunk:operadora');
  });

  it('hang up: the call is refused with the cause, never answered', async () => {
    const { channelId } = await call('1130001006');
    expect((await until('released', () => ended(channelId))).cause).toBe(21);
    expect(callRecord(channelId)?.answered_at).toBeNull();
  });

  it('extension: the phone rings with the caller’s number and the two talk', async () => {
    const { channelId } = await call('1130001007', '11987650007');
    const phone = await until('1001 answered', () => channelOf('PJSIP/1001-'));
    expect(phone.caller.number).toBe('11987650007');
    await until('bridged', () => bridged(channelId, phone.id));
  });

  it('announcement: the caller hears the prompt, then the announcement’s destination hangs up', async () => {
    const { channelId } = await call('1130001008');
    expect((await until('released', () => ended(channelId), 20_000)).cause).toBe(16);
    const file = t.modules.prompts.media(t.tenantA, ids.get('prompt')!).path.split('/').pop();
    expect(heard(channelId)).toEqual([file]);
  });

  it('conference: callers of the DID join one room', async () => {
    const a = await call('1130001009', '11911110000');
    const b = await call('1130001009', '11922220000');
    await until('both in the conference', () => bridged(a.channelId, b.channelId));
  });
});

describe('from an IVR option', () => {
  it('an external number leaves through the outbound route, with the transformed digits', async () => {
    const { channelId } = await call('1130001001');
    await until('the menu plays', () => heard(channelId).length >= 2);
    await emulator.sendDtmf(channelId, '1');
    const out = await until('the trunk leg answered', () => trunkLeg(channelId));
    expect(out.connected.number).toBe('987654320');
    await until('bridged', () => bridged(channelId, out.id));
  });

  it('a queue takes the caller as a waiting call', async () => {
    const { channelId } = await call('1130001001', '11933332222');
    await until('the menu plays', () => heard(channelId).length >= 2);
    await emulator.sendDtmf(channelId, '3');
    const live = await until('waiting in Suporte', () => {
      const q = t.modules.routing.service.queueLive(t.tenantA, ids.get('suporte')!);
      return q.waiting.length === 1 ? q : undefined;
    });
    expect(live.waiting[0]!.contact.address).toBe('11933332222');
  });
});

describe('the inbound blacklist', () => {
  it('refuses a listed caller before answer, whatever form the carrier sends the number in', async () => {
    expect((await request('POST', 'blacklist', { direction: 'inbound', number: '(11) 91234-0000', reason: 'trote' })).statusCode).toBe(201);
    const { channelId } = await call('1130001001', '011912340000');
    expect((await until('refused', () => ended(channelId))).cause).toBe(21);
    expect(heard(channelId)).toEqual([]);
    expect(callRecord(channelId)?.answered_at).toBeNull();
  });
});

describe('referential integrity of destinations', () => {
  it('an IVR an inbound route points at cannot be deleted; the refusal names the route', async () => {
    const res = await request('DELETE', `flows/ivrs/${ids.get('ivr')}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.referrers).toEqual(
      expect.arrayContaining([
        { entity: 'inbound_route', id: ids.get('URA'), name: 'URA (DID 1130001001)' },
        { entity: 'time_condition', id: ids.get('tc'), name: 'Sempre' },
      ]),
    );
    expect((await request('GET', `flows/ivrs/${ids.get('ivr')}`)).statusCode).toBe(200);
  });

  it('a queue an IVR option points at cannot be deleted; the refusal names the IVR', async () => {
    const res = await request('DELETE', `queues/${ids.get('suporte')}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.referrers).toEqual([{ entity: 'ivr', id: ids.get('ivr'), name: 'Menu' }]);
  });

  it('a queue may overflow to any destination, an IVR too, shown with its label', async () => {
    const queue = await api('PATCH', `queues/${ids.get('vendas')}`, { destination: { kind: 'ivr', id: ids.get('ivr') } });
    expect(queue.destination).toEqual({ kind: 'ivr', id: ids.get('ivr'), label: 'IVR Menu' });
    expect((await request('DELETE', `flows/ivrs/${ids.get('ivr')}`)).json().error.details.referrers).toContainEqual({ entity: 'queue', id: ids.get('vendas'), name: 'Vendas' });
  });
});

describe('a loop a silent caller would go round is refused at save, whichever row closes it', () => {
  const refusal = (res: { statusCode: number; json(): { error: { message: string; details: { field: string } } } }) => [res.statusCode, res.json().error.details.field, res.json().error.message];

  it('an announcement leading to a time condition that leads back to it', async () => {
    const a = await api('POST', 'telephony/announcements', { name: 'Laço', promptIds: [ids.get('prompt')], destination: { kind: 'hangup' } });
    const tc = await api('POST', 'flows/time-conditions', { name: 'Laço', periods: [{ start: '00:00', end: '24:00' }], openDestination: { kind: 'announcement', id: a.id }, closedDestination: { kind: 'hangup' } });
    expect(refusal(await request('PATCH', `telephony/announcements/${a.id}`, { destination: { kind: 'time_condition', id: tc.id } }))).toEqual([
      400,
      'destination.id',
      expect.stringContaining(`announcement ${a.id} → time_condition ${tc.id} → announcement ${a.id}`),
    ]);
    expect((await api('GET', `telephony/announcements/${a.id}`)).destination).toMatchObject({ kind: 'hangup' });
  });

  it("a queue overflowing to itself, or to an announcement that leads back to it", async () => {
    const q = await api('POST', 'queues', { name: 'Laço', number: '720' });
    const a = await api('POST', 'telephony/announcements', { name: 'Volta', promptIds: [ids.get('prompt')], destination: { kind: 'queue', id: q.id } });
    expect(refusal(await request('PATCH', `queues/${q.id}`, { destination: { kind: 'queue', id: q.id } }))).toEqual([400, 'destination.id', expect.stringContaining(`queue ${q.id} → queue ${q.id}`)]);
    expect(refusal(await request('PATCH', `queues/${q.id}`, { destination: { kind: 'announcement', id: a.id } }))).toEqual([
      400,
      'destination.id',
      expect.stringContaining(`queue ${q.id} → announcement ${a.id} → queue ${q.id}`),
    ]);
  });
});

describe('bad destinations are refused naming the field', () => {
  it.each([
    ['an IVR without its id', 'telephony/inbound-routes', { name: 'X', did: '1130009999', destination: { kind: 'ivr' } }, 'destination.id'],
    ['a queue that does not exist', 'telephony/inbound-routes', { name: 'X', did: '1130009999', destination: { kind: 'queue', id: 987_654 } }, 'destination.id'],
    ['a voicemail box of nobody', 'telephony/inbound-routes', { name: 'X', did: '1130009999', destination: { kind: 'voicemail', id: 987_654 } }, 'destination.id'],
    ['an external number missing', 'queues', { name: 'X', number: '798', destination: { kind: 'external' } }, 'destination.number'],
    ['a number with letters', 'telephony/inbound-routes', { name: 'X', did: '1130009999', destination: { kind: 'external', number: '0800-ABC' } }, 'destination.number'],
    ['a kind that does not exist', 'queues', { name: 'X', number: '799', destination: { kind: 'fax' } }, 'destination.kind'],
    ['a hang-up with an id', 'telephony/inbound-routes', { name: 'X', did: '1130009999', destination: { kind: 'hangup', cause: 16, id: 3 } }, 'destination.id'],
    ['a queue with a number', 'queues', { name: 'X', number: '797', destination: { kind: 'queue', id: 1, number: '123' } }, 'destination.number'],
    ['an external number with a cause', 'telephony/inbound-routes', { name: 'X', did: '1130009999', destination: { kind: 'external', number: '011987654320', cause: 16 } }, 'destination.cause'],
    ['a time condition whose exit has a stray number', 'flows/time-conditions', { name: 'X', periods: [], openDestination: { kind: 'hangup', number: '1' }, closedDestination: { kind: 'hangup' } }, 'openDestination.number'],
    ['an IVR option whose destination has a stray cause', 'flows/ivrs', { name: 'X', definition: { root: 'm', nodes: [{ id: 'm', kind: 'menu', prompt: [{ kind: 'sound', name: 'atende-welcome' }], options: [{ digit: '1', target: { destination: { kind: 'ivr', id: 1, cause: 16 } } }] }] } }, 'definition.nodes.0.options.0.target.destination.cause'],
  ])('%s', async (_what, path, body, field) => {
    const res = await request('POST', path, body);
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe(field);
  });
});
