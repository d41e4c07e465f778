/**
 * The telephony resources through the real app: creating what a telecom admin creates, every
 * bad input of the issue answered with a 4xx naming the field, references that block deletes,
 * names Asterisk sees kept unique on the server, and one tenant never seeing another's.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantId } from '../../src/kernel/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { makePrompt } from '../helpers/prompts.js';

let t: TestApp;
let admin: LoggedIn;
let otherAdmin: LoggedIn;
let superUser: LoggedIn;
let tenantB: number;

const post = (path: string, body: unknown, who: LoggedIn = admin) => t.request('POST', `/api/v1/telephony/${path}`, { cookie: who.cookie, body });
const patch = (path: string, body: unknown, who: LoggedIn = admin) => t.request('PATCH', `/api/v1/telephony/${path}`, { cookie: who.cookie, body });
const get = (path: string, who: LoggedIn = admin) => t.request('GET', `/api/v1/telephony/${path}`, { cookie: who.cookie });
const del = (path: string, who: LoggedIn = admin) => t.request('DELETE', `/api/v1/telephony/${path}`, { cookie: who.cookie });

/** The 4xx and the field it names. */
const refusal = (res: { statusCode: number; json: () => { error: { code: string; details?: { field?: string } } } }) => [res.statusCode, res.json().error.details?.field];

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  tenantB = t.createTenant('Tenant B');
  otherAdmin = await t.loginAs('admin', { tenantId: tenantB });
  superUser = await t.loginAs('super');
});
afterAll(async () => {
  await t.close();
});

describe('E1 spans', () => {
  it('creates an ISDN PRI span with the usual E1 defaults', async () => {
    const res = await post('spans', { span: 1, signalling: 'pri_cpe', group: 1, description: 'Embratel' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ span: 1, framing: 'ccs', coding: 'hdb3', crc4: true, switchtype: 'euroisdn', bchannels: '1-15,17-31', dchannel: 16, timing: 1, r2: null });
  });

  it('creates an MFC/R2 span with the Brazilian defaults', async () => {
    const res = await post('spans', { span: 2, signalling: 'mfcr2', group: 2, r2: { maxDnis: 4 } });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ framing: 'cas', crc4: false, bchannels: '32-46,48-62', dchannel: null, r2: { variant: 'br', category: 'national_subscriber', maxAni: 20, maxDnis: 4, doubleAnswer: true, allowCollectCalls: false } });
  });

  it.each([
    ['R2 options on a PRI span', { span: 3, signalling: 'pri_cpe', group: 3, r2: { maxDnis: 4 } }, 400, 'r2'],
    ['B-channels overlapping the D-channel', { span: 3, signalling: 'pri_cpe', group: 3, bchannels: '63-93' }, 400, 'bchannels'],
    ['B-channels of another span', { span: 3, signalling: 'pri_cpe', group: 3, bchannels: '30-31' }, 400, 'bchannels'],
    ['B-channels on timeslot 16 of an R2 span', { span: 3, signalling: 'mfcr2', group: 3, bchannels: '63-78' }, 400, 'bchannels'],
    ['CAS framing on a PRI span', { span: 3, signalling: 'pri_cpe', group: 3, framing: 'cas' }, 400, 'framing'],
    ['a span number already configured', { span: 1, signalling: 'pri_cpe', group: 9 }, 409, 'span'],
    ['a malformed channel list', { span: 3, signalling: 'pri_cpe', group: 3, bchannels: '63-' }, 400, 'bchannels'],
  ])('refuses %s', async (_what, body, status, field) => {
    const before = t.count('e1_spans');
    expect(refusal(await post('spans', body))).toEqual([status, field]);
    expect(t.count('e1_spans')).toBe(before);
  });

  it('a patch is checked whole: turning the R2 span into PRI without removing its R2 options is refused', async () => {
    const span = (await get('spans')).json().items.find((s: { span: number }) => s.span === 2);
    expect(refusal(await patch(`spans/${span.id}`, { signalling: 'pri_cpe', framing: 'ccs' }))).toEqual([400, 'r2']);
    const ok = await patch(`spans/${span.id}`, { signalling: 'pri_cpe', framing: 'ccs', r2: null });
    expect(ok.json()).toMatchObject({ signalling: 'pri_cpe', dchannel: 47, r2: null });
    await patch(`spans/${span.id}`, { signalling: 'mfcr2', framing: 'cas' });
  });

  it("another tenant's span group is taken, and its span number too", async () => {
    expect(refusal(await post('spans', { span: 5, signalling: 'pri_cpe', group: 1 }, otherAdmin))).toEqual([409, 'group']);
    expect(refusal(await post('spans', { span: 1, signalling: 'pri_cpe', group: 7 }, otherAdmin))).toEqual([409, 'span']);
  });
});

describe('SIP trunks', () => {
  it('takes the register string a provider gives and never shows the secret', async () => {
    const res = await post('trunks', { name: 'operadora', registerString: '1133334444:Segredo-99@sip.provider.example.net/1133334444' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({
      name: 'operadora',
      host: 'sip.provider.example.net',
      authUser: '1133334444',
      register: true,
      contactUser: '1133334444',
      registration: '1133334444@sip.provider.example.net/1133334444',
      secretSet: true,
      codecs: ['alaw', 'ulaw'],
    });
    expect(res.body).not.toContain('Segredo-99');
    expect((await get(`trunks/${res.json().id}`)).body).not.toContain('Segredo-99');
  });

  it('creates a trunk authenticated by address', async () => {
    const res = await post('trunks', { name: 'sbc', host: '203.0.113.10', port: 5060, codecs: ['alaw'], maxChannels: 60 });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ register: false, authUser: null, secretSet: false, maxChannels: 60 });
  });

  it.each([
    ['an unknown codec', { name: 'x1', host: 'h.example.net', codecs: ['speex'] }, 400, 'codecs.0'],
    ['a chan_sip option', { name: 'x2', host: 'h.example.net', extraOptions: ['insecure=port,invite'] }, 400, 'extraOptions[0]'],
    ['an option PJSIP does not know', { name: 'x3', host: 'h.example.net', extraOptions: ['send_pai=yes', 'bogus=1'] }, 400, 'extraOptions[1]'],
    ['a registration without secret', { name: 'x4', host: 'h.example.net', register: true, authUser: 'u' }, 400, 'secret'],
    ['a malformed register string', { name: 'x5', registerString: 'user@host' }, 400, 'registerString'],
    ['a name already used on the server', { name: 'operadora', host: 'h.example.net' }, 409, 'name'],
  ])('refuses %s', async (_what, body, status, field) => {
    const res = await post('trunks', body);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.details.field).toBe(field);
  });

  it('a trunk name is unique across tenants (it is the PJSIP endpoint)', async () => {
    expect(refusal(await post('trunks', { name: 'sbc', host: 'h.example.net' }, otherAdmin))).toEqual([409, 'name']);
  });
});

describe('extensions', () => {
  it('generates a strong secret, shows it once, and never again (not even in the audit log)', async () => {
    const res = await post('extensions', { number: '1001', displayName: 'Ana Souza' });
    expect(res.statusCode).toBe(201);
    const created = res.json();
    expect(created).toMatchObject({ number: '1001', sipUser: '1001', kind: 'softphone', maxContacts: 1, secretSet: true, dialOut: true });
    expect(created.secret).toMatch(/^(?=.*[a-z])(?=.*[A-Z])(?=.*[0-9]).{20}$/);
    const again = await get(`extensions/${created.id}`);
    expect(again.json()).not.toHaveProperty('secret');
    expect(again.body).not.toContain(created.secret);
    const audit = await t.request('GET', '/api/v1/audit', { cookie: admin.cookie, query: { entity: 'extension' } });
    expect(audit.statusCode).toBe(200);
    expect(audit.body).not.toContain(created.secret);
  });

  it('a WebRTC extension with the admin’s own secret', async () => {
    const res = await post('extensions', { number: '2001', displayName: 'Webphone', kind: 'webrtc', secret: 'Xy7#long-enough' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ kind: 'webrtc', maxContacts: 3, secret: 'Xy7#long-enough' });
  });

  it.each([
    ['a secret that is too short', { number: '1002', displayName: 'B', secret: 'Ab1-short' }, 400, 'secret'],
    ['a secret with only digits and lower case', { number: '1002', displayName: 'B', secret: 'abcdefgh12345678' }, 400, 'secret'],
    ['a secret containing the user name', { number: '1002', displayName: 'B', secret: 'X-1002-Password9' }, 400, 'secret'],
    ['a duplicate extension number', { number: '1001', displayName: 'B' }, 409, 'number'],
    ['a SIP user that is a trunk’s name', { number: '1003', sipUser: 'operadora', displayName: 'B' }, 409, 'sipUser'],
    ['a user of another tenant', { number: '1004', displayName: 'B', userId: 999_999 }, 400, 'userId'],
  ])('refuses %s', async (_what, body, status, field) => {
    expect(refusal(await post('extensions', body))).toEqual([status, field]);
  });

  it('the same number may exist in another tenant, but not the same SIP user', async () => {
    expect(refusal(await post('extensions', { number: '1001', displayName: 'B' }, otherAdmin))).toEqual([409, 'number']);
    const ok = await post('extensions', { number: '1001', sipUser: 'b1001', displayName: 'B' }, otherAdmin);
    expect(ok.statusCode).toBe(201);
  });
});

describe('inbound routes and destinations', () => {
  let ext1001: number;
  let routeId: number;

  beforeAll(async () => {
    ext1001 = (await get('extensions')).json().items.find((e: { number: string }) => e.number === '1001').id;
  });

  it('routes a DID to an extension, storing the DID normalised', async () => {
    const res = await post('inbound-routes', { name: 'Principal', did: '+55 (11) 3333-4444', destination: { kind: 'extension', id: ext1001 } });
    expect(res.statusCode).toBe(201);
    routeId = res.json().id;
    expect(res.json()).toMatchObject({ did: '1133334444', cidPattern: '', destination: { kind: 'extension', id: ext1001, label: 'extension 1001 (Ana Souza)' } });
  });

  it.each([
    ['an overlapping DID', { name: 'Dup', did: '01133334444', destination: { kind: 'hangup' } }, 409, 'did'],
    ['a caller-id pattern with a syntax error', { name: 'P', did: '1133335555', cidPattern: '_11[2', destination: { kind: 'hangup' } }, 400, 'cidPattern'],
    ['an IVR that does not exist', { name: 'P', did: '1133335555', destination: { kind: 'ivr', id: 987_654 } }, 400, 'destination.id'],
    ['a queue destination without its id', { name: 'P', did: '1133335555', destination: { kind: 'queue' } }, 400, 'destination.id'],
    ['a time condition that does not exist', { name: 'P', did: '1133335555', destination: { kind: 'time_condition', id: 987_654 } }, 400, 'destination.id'],
    ['a voicemail box that does not exist', { name: 'P', did: '1133335555', destination: { kind: 'voicemail', id: 987_654 } }, 400, 'destination.id'],
    ['an unknown kind of destination', { name: 'P', did: '1133335555', destination: { kind: 'fax', id: 1 } }, 400, 'destination.kind'],
    ['an extension that does not exist', { name: 'P', did: '1133335555', destination: { kind: 'extension', id: 987_654 } }, 400, 'destination.id'],
    ['an external destination without a number', { name: 'P', did: '1133335555', destination: { kind: 'external' } }, 400, 'destination.number'],
  ])('refuses %s', async (_what, body, status, field) => {
    expect(refusal(await post('inbound-routes', body))).toEqual([status, field]);
  });

  it('routes a DID to a queue of the tenant, never to another tenant’s', async () => {
    const queue = async (who: LoggedIn, number: string) => {
      const res = await t.request('POST', '/api/v1/queues', { cookie: who.cookie, body: { name: `Fila ${number}`, number, strategy: 'linear' } });
      expect(res.statusCode).toBe(201);
      return res.json<{ id: number }>().id;
    };
    const mine = await queue(admin, '700');
    const theirs = await queue(otherAdmin, '700');
    expect(refusal(await post('inbound-routes', { name: 'Fila alheia', did: '1133336000', destination: { kind: 'queue', id: theirs } }))).toEqual([400, 'destination.id']);
    const res = await post('inbound-routes', { name: 'Suporte', did: '1133336000', destination: { kind: 'queue', id: mine } });
    expect(res.statusCode).toBe(201);
    expect(res.json().destination).toEqual({ kind: 'queue', id: mine, label: 'queue 700 (Fila 700)' });
    expect((await del(`inbound-routes/${res.json().id}`)).statusCode).toBe(204);
  });

  it('the same DID with a caller-id pattern is another route; another tenant cannot take the DID', async () => {
    const vip = await post('inbound-routes', { name: 'VIP', did: '1133334444', cidPattern: '_119XXXXXXXX', destination: { kind: 'hangup', cause: 21 } });
    expect(vip.statusCode).toBe(201);
    expect(refusal(await post('inbound-routes', { name: 'Theirs', did: '1133334444', destination: { kind: 'hangup' } }, otherAdmin))).toEqual([409, 'did']);
  });

  it("a destination in another tenant's extension is refused as if it did not exist", async () => {
    const theirs = (await get('extensions', otherAdmin)).json().items[0].id;
    expect(refusal(await post('inbound-routes', { name: 'X', did: '1144445555', destination: { kind: 'extension', id: theirs } }))).toEqual([400, 'destination.id']);
  });

  it('deleting an extension a route points at is refused with the list of referrers', async () => {
    const res = await del(`extensions/${ext1001}`);
    expect(res.statusCode).toBe(409);
    expect(res.json().error.details.referrers).toEqual([{ entity: 'inbound_route', id: routeId, name: 'Principal (DID 1133334444)' }]);
    expect((await get(`extensions/${ext1001}`)).statusCode).toBe(200);
  });
});

describe('outbound routes', () => {
  let trunkId: number;

  beforeAll(async () => {
    trunkId = (await get('trunks')).json().items.find((x: { name: string }) => x.name === 'operadora').id;
  });

  it('creates ordered rules with failover over a SIP trunk and an E1 group', async () => {
    const res = await post('outbound-routes', {
      name: 'Geral',
      rules: [
        { pattern: '_0XX.', strip: 1, prefix: '', callerId: '1133334444', forceCallerId: true },
        { pattern: '_[2-9]XXXXXXX', restrictTo: ['1001'] },
      ],
      trunks: [{ trunkId }, { e1Group: 1 }],
    });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'Geral', position: 0, trunks: [{ trunkId, label: 'SIP trunk operadora' }, { e1Group: 1, label: 'E1 group 1' }] });
    expect(res.json().rules).toHaveLength(2);
  });

  it.each([
    ['a pattern syntax error', { name: 'R', rules: [{ pattern: '_0XX.X' }], trunks: [{ e1Group: 1 }] }, 400, 'rules[0].pattern'],
    ['an unknown extension in restrictTo', { name: 'R', rules: [{ pattern: '_X.', restrictTo: ['4242'] }], trunks: [{ e1Group: 1 }] }, 400, 'rules[0].restrictTo'],
    ['a group with no span of the tenant', { name: 'R', rules: [{ pattern: '_X.' }], trunks: [{ e1Group: 40 }] }, 400, 'trunks[0].e1Group'],
    ['a trunk given twice', { name: 'R', rules: [{ pattern: '_X.' }], trunks: [{ e1Group: 1 }, { e1Group: 1 }] }, 400, 'trunks[1]'],
    ['a time condition that does not exist', { name: 'R', timeConditionId: 4242, rules: [{ pattern: '_X.' }], trunks: [{ e1Group: 1 }] }, 400, 'timeConditionId'],
    ['the Brazilian format without a carrier code', { name: 'R', rules: [{ pattern: '_X.', brazilFormat: true }], trunks: [{ e1Group: 1 }] }, 400, 'rules[0].carrierCode'],
  ])('refuses %s', async (_what, body, status, field) => {
    expect(refusal(await post('outbound-routes', body))).toEqual([status, field]);
  });

  it('a route with a time condition is there only while the time condition is open; that time condition cannot be deleted meanwhile', async () => {
    const flows = (method: 'POST' | 'DELETE', path: string, body?: unknown, who: LoggedIn = admin) =>
      t.request(method, `/api/v1/flows/${path}`, { cookie: who.cookie, ...(body === undefined ? {} : { body }) });
    const hangup = { kind: 'hangup', cause: 16 };
    const office = { name: 'Expediente', timeZone: 'America/Sao_Paulo', periods: [{ weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }], openDestination: hangup, closedDestination: hangup };
    const tc = await flows('POST', 'time-conditions', office);
    expect(tc.statusCode).toBe(201);
    const route = await post('outbound-routes', { name: 'Comercial', timeConditionId: tc.json().id, rules: [{ pattern: '_9XXXXXXXX' }], trunks: [{ trunkId }] });
    expect(route.statusCode).toBe(201);
    expect(route.json().timeConditionId).toBe(tc.json().id);

    const directory = t.modules.provisioning.directory;
    const tenant = t.tenantA as TenantId;
    // Tuesday 1 December 2026 in São Paulo (UTC-3): 10:00 is office hours, 20:00 is not.
    expect(directory.outbound(tenant, '987654321', null, Date.parse('2026-12-01T13:00:00Z'))).toMatchObject({ ok: true, route: 'Comercial', digits: '987654321' });
    const closed = directory.outbound(tenant, '987654321', null, Date.parse('2026-12-01T23:00:00Z'));
    expect(closed.ok).toBe(false);
    expect(!closed.ok && closed.reason).toContain('route "Comercial", rule _9XXXXXXXX: its time condition is closed');

    const refused = await flows('DELETE', `time-conditions/${tc.json().id}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.referrers).toEqual([expect.objectContaining({ entity: 'outbound_route', name: 'Comercial' })]);

    const theirs = await flows('POST', 'time-conditions', office, otherAdmin);
    expect(refusal(await patch(`outbound-routes/${route.json().id}`, { timeConditionId: theirs.json().id }))).toEqual([400, 'timeConditionId']);
    const always = await patch(`outbound-routes/${route.json().id}`, { timeConditionId: null });
    expect(always.json().timeConditionId).toBeNull();
    expect(directory.outbound(tenant, '987654321', null, Date.parse('2026-12-01T23:00:00Z'))).toMatchObject({ ok: true, route: 'Comercial' });
    expect((await flows('DELETE', `time-conditions/${tc.json().id}`)).statusCode).toBe(204);
  });

  it("a trunk of another tenant is not this tenant's", async () => {
    const theirs = await post('trunks', { name: 'deles', host: 'h.example.net' }, otherAdmin);
    expect(refusal(await post('outbound-routes', { name: 'R', rules: [{ pattern: '_X.' }], trunks: [{ trunkId: theirs.json().id }] }))).toEqual([400, 'trunks[0].trunkId']);
  });

  it('deleting a trunk, or the last span of a group, that a route uses is refused', async () => {
    const trunk = await del(`trunks/${trunkId}`);
    expect(trunk.statusCode).toBe(409);
    expect(trunk.json().error.details.referrers).toEqual([
      expect.objectContaining({ entity: 'outbound_route', name: 'Geral' }),
      expect.objectContaining({ entity: 'outbound_route', name: 'Comercial' }),
    ]);
    const span1 = (await get('spans')).json().items.find((s: { span: number }) => s.span === 1).id;
    expect((await del(`spans/${span1}`)).statusCode).toBe(409);
  });
});

describe('conferences, music on hold, announcements', () => {
  it('a conference number cannot be an extension number', async () => {
    expect(refusal(await post('conferences', { name: 'Sala', number: '1001' }))).toEqual([409, 'number']);
    const ok = await post('conferences', { name: 'Sala', number: '5000', pin: '1234' });
    expect(ok.json()).toMatchObject({ number: '5000', hasPin: true });
    expect(ok.body).not.toContain('1234');
  });

  it('a MOH class keeps its prompts in order and tells its Asterisk class; a prompt it plays cannot be deleted', async () => {
    const first = await makePrompt(t, 'Espera 1');
    const second = await makePrompt(t, 'Espera 2');
    const res = await post('moh-classes', { name: 'Espera', random: true, promptIds: [second, first] });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ promptIds: [second, first], random: true, asteriskClass: `atende-t${t.tenantA}-moh${res.json().id}` });
    const refused = await del(`prompts/${first}`);
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.referrers).toEqual([expect.objectContaining({ entity: 'moh_class', name: 'Espera' })]);
  });

  it('prompts that do not exist, or are another tenant\'s, are refused naming the field', async () => {
    const theirs = await makePrompt(t, 'Deles', tenantB);
    expect(refusal(await post('moh-classes', { name: 'Fantasma', promptIds: [999] }))).toEqual([400, 'promptIds']);
    expect(refusal(await post('announcements', { name: 'Alheio', promptIds: [theirs], destination: { kind: 'hangup' } }))).toEqual([400, 'promptIds']);
  });

  it('an announcement that would lead back to itself is refused', async () => {
    const p1 = await makePrompt(t, 'Aviso 1');
    const p2 = await makePrompt(t, 'Aviso 2');
    const a = (await post('announcements', { name: 'A', promptIds: [p1], destination: { kind: 'hangup' } })).json();
    const b = (await post('announcements', { name: 'B', promptIds: [p2], destination: { kind: 'announcement', id: a.id } })).json();
    expect(refusal(await patch(`announcements/${a.id}`, { destination: { kind: 'announcement', id: b.id } }))).toEqual([400, 'destination.id']);
  });
});

describe('SIP settings and tenancy', () => {
  it('every admin reads the server-wide SIP settings; only a super user changes them', async () => {
    expect((await get('sip-settings')).json()).toMatchObject({ udpPort: 5060, sessionTimers: 'no', language: 'pt_BR', unknownDidCause: 1, blacklistCause: 21, unknownDidSipAnswer: { code: 404, reason: 'Not Found' } });
    expect((await patch('sip-settings', { videoSupport: true })).statusCode).toBe(403);
    expect(refusal(await patch('sip-settings', { externalAddress: '198.51.100.20' }, superUser))).toEqual([400, 'localNets']);
    const ok = await patch('sip-settings', { externalAddress: '198.51.100.20', localNets: ['192.168.0.0/16'] }, superUser);
    expect(ok.json()).toMatchObject({ externalAddress: '198.51.100.20', localNets: ['192.168.0.0/16'] });
    const declined = await patch('sip-settings', { unknownDidCause: 41 }, superUser);
    expect(declined.json().unknownDidSipAnswer).toEqual({ code: 603, reason: 'Decline', causeText: 'Temporary failure' });
    // The cause a caller on the inbound blacklist is refused with (flows-engine shows it used).
    expect((await patch('sip-settings', { blacklistCause: 17 }, superUser)).json().blacklistCause).toBe(17);
    expect(refusal(await patch('sip-settings', { blacklistCause: 200 }, superUser))).toEqual([400, 'blacklistCause']);
  });

  it("one tenant cannot read or change another's telephony rows (404)", async () => {
    const mine = (await get('trunks')).json().items[0].id;
    expect((await get(`trunks/${mine}`, otherAdmin)).statusCode).toBe(404);
    expect((await patch(`trunks/${mine}`, { description: 'x' }, otherAdmin)).statusCode).toBe(404);
    expect((await del(`trunks/${mine}`, otherAdmin)).statusCode).toBe(404);
    expect((await get('trunks', otherAdmin)).json().items.map((x: { name: string }) => x.name)).toEqual(['deles']);
  });

  it('an agent cannot provision', async () => {
    const agent = await t.loginAs('agent');
    expect((await get('trunks', agent)).statusCode).toBe(403);
    expect((await post('extensions', { number: '7777', displayName: 'x' }, agent)).statusCode).toBe(403);
  });
});
