/**
 * Contacts, tabulations and after-call work through the real app: bad input named by field,
 * screen pop by any phone format, merge, tenancy, the finish of an interaction with its
 * tabulation rules and actions (do-not-call for the dialer), tickets and the history.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';

describe('contacts and after-call work', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeEach(async () => {
    t = await createTestApp();
    admin = await t.loginAs('admin');
  });
  afterEach(async () => t.close());

  const post = (url: string, body: object, cookie = admin.cookie) => t.request('POST', `/api/v1${url}`, { cookie, body });

  it('refuses bad contacts naming the field', async () => {
    await post('/crm/fields', { scope: 'contact', key: 'cep_cobranca', label: 'CEP de cobrança', type: 'text', mask: '99999-999' });
    const cases: [object, string][] = [
      [{ name: 'A', document: '529.982.247-26' }, 'document'],
      [{ name: 'A', phones: [{ number: '(20) 98765-4321' }] }, 'phones.0.number'],
      [{ name: 'A', phones: [{ number: '+1 415 555 2671' }] }, 'phones.0.number'],
      [{ name: 'A', custom: { cep_cobranca: 'abc' } }, 'custom.cep_cobranca'],
      [{ name: 'A', custom: { nada: 'x' } }, 'custom.nada'],
      [{ name: 'A', emails: ['not-an-email'] }, 'emails.0'],
      [{ name: 'A', phones: [{ number: '11987654321' }, { number: '+55 11 98765-4321' }] }, 'phones.1.number'],
    ];
    for (const [body, field] of cases) {
      const res = await post('/contacts', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json().error.details.field).toBe(field);
    }
    const shortcut = await post('/crm/shortcuts', { prefix: 'bom dia', text: 'Olá {{primeiro_nome}}' });
    expect(shortcut.json().error.details.field).toBe('prefix');
    const variable = await post('/crm/shortcuts', { prefix: 'ola', text: 'Olá {{apelido}}' });
    expect(variable.json().error.details.field).toBe('text');
    expect(t.count('contacts')).toBe(0);
  });

  it('creates a contact, finds it by any phone format, name without accents, document; merges a duplicate', async () => {
    await post('/crm/fields', { scope: 'contact', key: 'cep_cobranca', label: 'CEP de cobrança', type: 'text', mask: '99999-999' });
    const a = await post('/contacts', {
      name: 'José Conceição',
      phones: [{ number: '(11) 98765-4321', label: 'mobile' }],
      emails: ['Jose@Example.com'],
      document: '52998224725',
      custom: { cep_cobranca: '01310100' },
    });
    expect(a.statusCode).toBe(201);
    expect(a.json()).toMatchObject({ documentKind: 'cpf', emails: ['jose@example.com'], custom: { cep_cobranca: '01310-100' } });
    expect(a.json().phones[0]).toMatchObject({ number: '5511987654321', display: '+55 (11) 98765-4321', kind: 'mobile' });
    const pop = await t.request('GET', '/api/v1/contacts/lookup', { cookie: admin.cookie, query: { phone: '011 98765 4321' } });
    expect(pop.json()).toMatchObject({ number: '5511987654321', matches: [{ contactId: a.json().id, name: 'José Conceição' }] });
    const queries: Record<string, string>[] = [{ name: 'jose conc' }, { phone: '98765-4321' }, { document: '529.982.247-25' }, { email: 'JOSE@example.com' }];
    for (const query of queries) {
      const found = await t.request('GET', '/api/v1/contacts', { cookie: admin.cookie, query });
      expect(found.json().total, JSON.stringify(query)).toBe(1);
    }
    const dupDoc = await post('/contacts', { name: 'Outro', document: '529.982.247-25' });
    expect(dupDoc.statusCode).toBe(409);
    expect(dupDoc.json().error.details.field).toBe('document');

    const b = (await post('/contacts', { name: 'Zé', phones: [{ number: '11 3456-7890' }], company: 'Padaria' })).json();
    const merged = await post(`/contacts/${a.json().id}/merge`, { ids: [b.id] });
    expect(merged.statusCode).toBe(200);
    expect(merged.json().phones.map((p: { number: string }) => p.number)).toEqual(['5511987654321', '551134567890']);
    expect(merged.json().company).toBe('Padaria');
    expect((await t.request('GET', `/api/v1/contacts/${b.id}`, { cookie: admin.cookie })).statusCode).toBe(404);

    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await t.request('GET', `/api/v1/contacts/${a.json().id}`, { cookie: other.cookie })).statusCode).toBe(404);
    const otherPop = await t.request('GET', '/api/v1/contacts/lookup', { cookie: other.cookie, query: { phone: '11987654321' } });
    expect(otherPop.json().matches).toEqual([]);
  });

  it('finishing with a do-not-call status sets the flag the dialer checks, and runs the other actions', async () => {
    const group = (await post('/tabulations/groups', { name: 'Cobrança' })).json();
    const retention = (await post('/queues', { name: 'Retenção', number: '709' })).json();
    const unknownQueue = await post('/tabulations/statuses', { groupId: group.id, name: 'X', category: 'negative', kinds: ['dialer'], actions: { transferServiceId: 999_999 } });
    expect(unknownQueue.json().error.details.field).toBe('actions.transferServiceId');
    const dnc = (
      await post('/tabulations/statuses', {
        groupId: group.id,
        name: 'Não ligar mais',
        category: 'negative',
        kinds: ['dialer', 'inbound'],
        requiresProtocol: true,
        actions: { markContactDoNotCall: true, markPhoneInvalid: true, owner: 'clear', transferServiceId: retention.id },
      })
    ).json();
    const callback = (await post('/tabulations/statuses', { groupId: group.id, name: 'Retornar', category: 'neutral', kinds: ['dialer'], schedulesCallback: true })).json();
    const chatOnly = (await post('/tabulations/statuses', { groupId: group.id, name: 'Chat', category: 'neutral', kinds: ['chat'] })).json();
    const contact = (await post('/contacts', { name: 'Maria Souza', phones: [{ number: '48999999999' }, { number: '4834322422' }], ownerUserId: admin.user.id })).json();

    const ix = (await post('/interactions', { contactId: contact.id, address: '(48) 99999-9999', kind: 'dialer', channel: 'voice', requiresTabulation: true })).json();
    expect(ix.protocol).toMatch(/^\d{14}$/);
    const finish = (body: object) => post(`/interactions/${ix.id}/finish`, body);
    expect((await finish({})).json().error.details.field).toBe('statusId');
    expect((await finish({ statusId: chatOnly.id })).json().error.details.field).toBe('statusId');
    expect((await finish({ statusId: dnc.id })).json().error.details.field).toBe('externalProtocol');
    expect((await finish({ statusId: dnc.id, externalProtocol: '12345678901234' })).json().error.details.field).toBe('externalProtocol');
    expect((await finish({ statusId: callback.id })).json().error.details.field).toBe('nextContactAt');
    const pending = await finish({ pending: true, note: 'volto já' });
    expect(pending.json().interaction.state).toBe('pending');

    const done = await finish({ statusId: dnc.id, externalProtocol: 'ABC123', note: 'pediu para sair da lista' });
    expect(done.statusCode).toBe(200);
    expect(done.json().interaction).toMatchObject({ state: 'finished', statusName: 'Não ligar mais', groupName: 'Cobrança', externalProtocol: 'ABC123' });
    expect(done.json().commands).toEqual([{ type: 'transfer', serviceId: retention.id }]);
    const after = (await t.request('GET', `/api/v1/contacts/${contact.id}`, { cookie: admin.cookie })).json();
    expect(after.doNotCall).toBe(true);
    expect(after.ownerUserId).toBeNull();
    expect(after.phones.map((p: { valid: boolean }) => p.valid)).toEqual([false, true]);
    expect(t.modules.contacts.lookup(t.tenantA, '48999999999').matches[0]).toMatchObject({ doNotCall: true, phoneValid: false });
    expect((await finish({ statusId: dnc.id, externalProtocol: 'X' })).statusCode).toBe(409);

    const second = (await post('/interactions', { contactId: contact.id, kind: 'dialer', channel: 'voice' })).json();
    const due = new Date(t.clock.now() + 3_600_000).toISOString();
    const scheduled = await post(`/interactions/${second.id}/finish`, { statusId: callback.id, nextContactAt: due, nextContactSameAgent: true });
    expect(scheduled.json().callbackId).toBeGreaterThan(0);
    const mine = await t.request('GET', '/api/v1/callbacks', { cookie: admin.cookie, query: { mine: true, state: 'pending' } });
    expect(mine.json().items).toEqual([expect.objectContaining({ contactId: contact.id, dueAt: due, agentUserId: admin.user.id })]);
  });

  it("a status's and its tags' actions run together: the closing message on a digital channel, the owner set for some days, a redial; a status needing a tag, or in an inactive group, is refused", async () => {
    const agent = await t.loginAs('agent');
    const group = (await post('/tabulations/groups', { name: 'Atendimento' })).json();
    const thanks = (
      await post('/tabulations/statuses', { groupId: group.id, name: 'Resolvido', category: 'positive', kinds: ['chat', 'dialer'], requiresTag: true, actions: { closingMessage: 'Obrigado, {{primeiro_nome}}! Protocolo {{protocolo}}.' } })
    ).json();
    const later = (await post('/tabulations/statuses', { groupId: group.id, name: 'Ligar depois', category: 'neutral', kinds: ['dialer'], actions: { redialAfterMinutes: 90 } })).json();
    const vip = (await post('/tabulations/tags', { title: 'VIP', colour: '#aa0000', kinds: ['chat', 'dialer'], actions: { owner: 'set', ownerDays: 30, closingMessage: 'outra mensagem' } })).json();
    const contact = (await post('/contacts', { name: 'Joana Prado', phones: [{ number: '11912345678' }] })).json();

    const chat = (await post('/interactions', { contactId: contact.id, kind: 'chat', channel: 'whatsapp' }, agent.cookie)).json();
    const untagged = await post(`/interactions/${chat.id}/finish`, { statusId: thanks.id }, agent.cookie);
    expect(untagged.statusCode).toBe(400);
    expect(untagged.json().error.details.field).toBe('tagIds');
    const done = await post(`/interactions/${chat.id}/finish`, { statusId: thanks.id, tagIds: [vip.id] }, agent.cookie);
    expect(done.statusCode).toBe(200);
    // The status's message wins over the tag's; the tag makes the agent the owner for 30 days.
    expect(done.json().commands).toEqual([{ type: 'send_closing_message', text: `Obrigado, Joana! Protocolo ${chat.protocol}.` }]);
    const owned = await t.request('GET', `/api/v1/contacts/${contact.id}`, { cookie: admin.cookie });
    expect(owned.json()).toMatchObject({ ownerUserId: agent.user.id, ownerUntil: new Date(t.clock.now() + 30 * 86_400_000).toISOString() });

    // A voice call gets no closing message; a redial is handed to the dialer.
    const call = (await post('/interactions', { contactId: contact.id, kind: 'dialer', channel: 'voice' }, agent.cookie)).json();
    expect((await post(`/interactions/${call.id}/finish`, { statusId: later.id }, agent.cookie)).json().commands).toEqual([{ type: 'redial', afterMinutes: 90 }]);

    await t.request('PATCH', `/api/v1/tabulations/groups/${group.id}`, { cookie: admin.cookie, body: { active: false } });
    const again = (await post('/interactions', { contactId: contact.id, kind: 'dialer', channel: 'voice' }, agent.cookie)).json();
    const inactive = await post(`/interactions/${again.id}/finish`, { statusId: later.id }, agent.cookie);
    expect(inactive.statusCode).toBe(400);
    expect(inactive.json().error.details.field).toBe('statusId');
    expect((await t.request('GET', `/api/v1/interactions/${again.id}/tabulations`, { cookie: agent.cookie })).json().items).toEqual([]);
  });

  it('a tenant switch requires the external protocol on every finish; tickets open per interaction and keep their history', async () => {
    await t.request('PUT', '/api/v1/crm/settings', { cookie: admin.cookie, body: { requireProtocol: true } });
    const contact = (await post('/contacts', { name: 'Ana', phones: [{ number: '11912345678' }] })).json();
    const ix = (await post('/interactions', { contactId: contact.id, kind: 'inbound', channel: 'voice', serviceName: 'Suporte' })).json();
    expect((await post(`/interactions/${ix.id}/finish`, {})).json().error.details.field).toBe('externalProtocol');
    expect((await post(`/interactions/${ix.id}/finish`, { externalProtocol: 'P1' })).statusCode).toBe(200);

    const tickets = (await t.request('GET', `/api/v1/contacts/${contact.id}/tickets`, { cookie: admin.cookie })).json().items;
    expect(tickets).toEqual([expect.objectContaining({ interactionId: ix.id, status: 'open', subject: `Suporte ${ix.protocol}` })]);
    const blank = await t.request('PATCH', `/api/v1/tickets/${tickets[0].id}`, { cookie: admin.cookie, body: { subject: '  ', status: 'resolved' } });
    expect(blank.json().error.details.field).toBe('subject');
    expect((await post('/tickets', { contactId: contact.id, subject: ' ' })).json().error.details.field).toBe('subject');
    const changed = await t.request('PATCH', `/api/v1/tickets/${tickets[0].id}`, { cookie: admin.cookie, body: { status: 'resolved', interactionId: ix.id } });
    expect(changed.json().status).toBe('resolved');
    const history = (await t.request('GET', `/api/v1/tickets/${tickets[0].id}/history`, { cookie: admin.cookie })).json().items;
    expect(history.map((h: { changes: object }) => h.changes)).toEqual([{ status: { from: null, to: 'open' } }, { status: { from: 'open', to: 'resolved' } }]);

    await t.request('PUT', '/api/v1/crm/settings', { cookie: admin.cookie, body: { ticketMode: 'on_demand' } });
    await post('/interactions', { contactId: contact.id, kind: 'chat', channel: 'whatsapp' });
    expect((await t.request('GET', `/api/v1/contacts/${contact.id}/tickets`, { cookie: admin.cookie })).json().items).toHaveLength(1);

    expect((await post(`/contacts/${contact.id}/in-person`, { serviceName: 'Loja', description: '   ' })).json().error.details.field).toBe('description');
    const visit = await post(`/contacts/${contact.id}/in-person`, { serviceName: 'Loja', description: ' Trocou o aparelho ' });
    expect(visit.statusCode).toBe(201);
    expect(visit.json().note).toBe('Trocou o aparelho');
    const timeline = await t.request('GET', `/api/v1/contacts/${contact.id}/history`, { cookie: admin.cookie });
    expect(timeline.json().total).toBe(3);
    expect(timeline.json().items.map((i: { channel: string }) => i.channel).sort()).toEqual(['in_person', 'voice', 'whatsapp']);
    const onlyVoice = await t.request('GET', `/api/v1/contacts/${contact.id}/history`, { cookie: admin.cookie, query: { channel: 'voice' } });
    expect(onlyVoice.json().items).toEqual([expect.objectContaining({ externalProtocol: 'P1', state: 'finished' })]);

    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await t.request('GET', `/api/v1/contacts/${contact.id}/history`, { cookie: other.cookie })).statusCode).toBe(404);
    expect((await t.request('GET', `/api/v1/interactions/${ix.id}`, { cookie: other.cookie })).statusCode).toBe(404);
    expect((await t.request('PATCH', `/api/v1/tickets/${tickets[0].id}`, { cookie: other.cookie, body: { status: 'closed' } })).statusCode).toBe(404);
  });

  it('a contact holding a value of a custom field deactivated or deleted since stays editable and keeps the value; a ticket too', async () => {
    const plano = (await post('/crm/fields', { scope: 'contact', key: 'plano', label: 'Plano', type: 'text' })).json();
    const idade = (await post('/crm/fields', { scope: 'contact', key: 'idade', label: 'Idade', type: 'number' })).json();
    const lote = (await post('/crm/fields', { scope: 'ticket', key: 'lote', label: 'Lote', type: 'text' })).json();
    const contact = (await post('/contacts', { name: 'Rita', phones: [{ number: '11912345678' }], custom: { plano: 'Ouro', idade: 41 } })).json();
    const ticket = (await post('/tickets', { contactId: contact.id, subject: 'Boleto', custom: { lote: 'A1' } })).json();
    const duplicate = (await post('/contacts', { name: 'Rita S.', phones: [{ number: '11912345679' }], custom: { idade: 30 } })).json();
    await t.request('PATCH', `/api/v1/crm/fields/${plano.id}`, { cookie: admin.cookie, body: { active: false } });
    await t.request('DELETE', `/api/v1/crm/fields/${idade.id}`, { cookie: admin.cookie });
    await t.request('DELETE', `/api/v1/crm/fields/${lote.id}`, { cookie: admin.cookie });

    const edited = await t.request('PATCH', `/api/v1/contacts/${contact.id}`, { cookie: admin.cookie, body: { company: 'Padaria' } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json()).toMatchObject({ company: 'Padaria', custom: { plano: 'Ouro', idade: 41 } });
    // The edit screen sends back every value it was given, as text.
    const resent = await t.request('PATCH', `/api/v1/contacts/${contact.id}`, { cookie: admin.cookie, body: { custom: { plano: 'Ouro', idade: '41' } } });
    expect(resent.statusCode, resent.body).toBe(200);
    expect(resent.json().custom).toEqual({ plano: 'Ouro', idade: 41 });
    // A new value for a field that is not active is still refused; clearing it is not.
    const changed = await t.request('PATCH', `/api/v1/contacts/${contact.id}`, { cookie: admin.cookie, body: { custom: { plano: 'Prata' } } });
    expect(changed.json().error.details.field).toBe('custom.plano');
    const cleared = await t.request('PATCH', `/api/v1/contacts/${contact.id}`, { cookie: admin.cookie, body: { custom: { plano: 'Ouro', idade: null } } });
    expect(cleared.json().custom).toEqual({ plano: 'Ouro' });
    // A duplicate's value of a deleted field is not brought over by a merge, which goes through.
    const merged = await post(`/contacts/${contact.id}/merge`, { ids: [duplicate.id] });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().custom).toEqual({ plano: 'Ouro' });

    const ticketEdited = await t.request('PATCH', `/api/v1/tickets/${ticket.id}`, { cookie: admin.cookie, body: { status: 'closed', custom: {} } });
    expect(ticketEdited.statusCode, ticketEdited.body).toBe(200);
    expect(ticketEdited.json()).toMatchObject({ status: 'closed', custom: { lote: 'A1' } });
  });

  it('custom fields and forms: definitions are checked; a finish with a form enforces its required items', async () => {
    const bad: [object, string][] = [
      [{ scope: 'contact', key: 'plano', label: 'Plano', type: 'select' }, 'options'],
      [{ scope: 'contact', key: 'idade', label: 'Idade', type: 'number', mask: '99' }, 'mask'],
      [{ scope: 'contact', key: 'name', label: 'Nome', type: 'text' }, 'key'],
      [{ scope: 'contact', key: 'Plano X', label: 'Plano', type: 'text' }, 'key'],
      [{ scope: 'contact', key: 'cep', label: 'CEP', type: 'text', mask: 'xyz' }, 'mask'],
    ];
    for (const [body, field] of bad) expect((await post('/crm/fields', body)).json().error.details.field, JSON.stringify(body)).toBe(field);
    await post('/crm/fields', { scope: 'contact', key: 'plano', label: 'Plano', type: 'select', options: ['Ouro', 'Prata'] });
    await post('/crm/fields', { scope: 'interaction', key: 'motivo', label: 'Motivo', type: 'select', options: ['Dúvida', 'Reclamação'] });
    const unknownItem = await post('/crm/forms', { name: 'Atendimento', items: [{ source: 'interaction', key: 'plano' }] });
    expect(unknownItem.json().error.details.field).toBe('items.0.key');
    const form = await post('/crm/forms', {
      name: 'Atendimento',
      items: [{ source: 'contact', key: 'name' }, { source: 'contact', key: 'plano', required: true }, { source: 'interaction', key: 'motivo', required: true }],
    });
    expect(form.statusCode).toBe(201);
    expect(form.json().items.map((i: { key: string; label: string | null; type: string; required: boolean }) => [i.key, i.label, i.type, i.required])).toEqual([
      ['name', null, 'text', true],
      ['plano', 'Plano', 'select', true],
      ['motivo', 'Motivo', 'select', true],
    ]);
    const contact = (await post('/contacts', { name: 'Rita', phones: [{ number: '11912345678' }] })).json();
    const ix = (await post('/interactions', { contactId: contact.id, kind: 'inbound', channel: 'voice' })).json();
    const finish = (body: object) => post(`/interactions/${ix.id}/finish`, { formId: form.json().id, ...body });
    expect((await finish({ formValues: { motivo: 'Dúvida' } })).json().error.details.field).toBe('contact.plano');
    await t.request('PATCH', `/api/v1/contacts/${contact.id}`, { cookie: admin.cookie, body: { custom: { plano: 'Ouro' } } });
    expect((await finish({})).json().error.details.field).toBe('formValues.motivo');
    expect((await finish({ formValues: { motivo: 'Elogio' } })).json().error.details.field).toBe('formValues.motivo');
    const done = await finish({ formValues: { motivo: 'Dúvida' } });
    expect(done.statusCode).toBe(200);
    expect(done.json().interaction.formValues).toEqual({ motivo: 'Dúvida' });
  });

  it('blacklist entries: numbers or prefixes, moved between directions, expiring', async () => {
    const entry = (await post('/blacklist', { direction: 'inbound', number: '(11) 98765-4321', reason: 'trote' })).json();
    expect(entry.number).toBe('5511987654321');
    const check = (number: string, direction: string) => t.request('GET', '/api/v1/blacklist/check', { cookie: admin.cookie, query: { number, direction } }).then((r) => r.json().blacklisted);
    expect(await check('011987654321', 'inbound')).toBe(true);
    expect(await check('011987654321', 'outbound')).toBe(false);
    await t.request('PATCH', `/api/v1/blacklist/${entry.id}`, { cookie: admin.cookie, body: { direction: 'outbound' } });
    expect(await check('011987654321', 'inbound')).toBe(false);
    expect(await check('+55 11 98765-4321', 'outbound')).toBe(true);
    await post('/blacklist', { direction: 'outbound', match: 'prefix', number: '5521', expiresAt: new Date(t.clock.now() + 60_000).toISOString() });
    expect(await check('(21) 3456-7890', 'outbound')).toBe(true);
    t.clock.advance(61_000);
    expect(await check('(21) 3456-7890', 'outbound')).toBe(false);
    // Expired, it can still be edited without touching its date; a new date must be in the future.
    const expired = (await t.request('GET', '/api/v1/blacklist', { cookie: admin.cookie, query: { q: '5521' } })).json().items[0];
    const edited = await t.request('PATCH', `/api/v1/blacklist/${expired.id}`, { cookie: admin.cookie, body: { reason: 'campanha encerrada' } });
    expect([edited.statusCode, edited.json().expiresAt]).toEqual([200, expired.expiresAt]);
    const past = await t.request('PATCH', `/api/v1/blacklist/${expired.id}`, { cookie: admin.cookie, body: { expiresAt: new Date(t.clock.now() - 30_000).toISOString() } });
    expect([past.statusCode, past.json().error.details.field]).toEqual([400, 'expiresAt']);
    expect(await check('(21) 3456-7890', 'outbound')).toBe(false);
    expect(t.modules.contacts.blacklisted(t.tenantA, 'outbound', '5511987654321', t.clock.now())).toMatchObject({ id: entry.id });
    const badNumber = await post('/blacklist', { direction: 'outbound', number: '123' });
    expect(badNumber.json().error.details.field).toBe('number');
    // A number already listed in that direction is a conflict named at the number (or at the direction it is moved to), not a failure.
    const twice = await post('/blacklist', { direction: 'outbound', number: '+55 11 98765-4321' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.details.field).toBe('number');
    const inbound = (await post('/blacklist', { direction: 'inbound', number: '11987654321', reason: 'trote de novo' })).json();
    const moved = await t.request('PATCH', `/api/v1/blacklist/${inbound.id}`, { cookie: admin.cookie, body: { direction: 'outbound' } });
    expect(moved.statusCode).toBe(409);
    expect(moved.json().error.details.field).toBe('direction');
    expect((await t.request('GET', `/api/v1/blacklist/${inbound.id}`, { cookie: admin.cookie })).json()).toMatchObject({ direction: 'inbound', reason: 'trote de novo' });
    expect((await t.request('PATCH', `/api/v1/blacklist/${entry.id}`, { cookie: admin.cookie, body: { reason: 'trote, confirmado' } })).statusCode).toBe(200);
    // The dialer's matcher (entries read once, matched in memory) answers as the query does, prefixes included.
    await post('/blacklist', { direction: 'outbound', match: 'prefix', number: '551130' });
    const matches = t.modules.contacts.blacklistMatcher(t.tenantA, 'outbound', t.clock.now());
    for (const number of ['5511987654321', '011987654321', '(11) 3012-3456', '1130123456', '5511312345678', '(21) 3456-7890', '5521345678900', '']) {
      expect(matches(number), number).toBe(t.modules.contacts.blacklisted(t.tenantA, 'outbound', number, t.clock.now()) !== null);
    }
    expect(matches('(11) 3012-3456')).toBe(true);
    expect(matches('(21) 3456-7890')).toBe(false);
  });

  it('nested tags: a child needs a macro parent; deleting a macro with children needs confirmation', async () => {
    const macro = (await post('/tabulations/tags', { title: 'Vendas', colour: '#00AA00', kinds: ['inbound'] })).json();
    const child = (await post('/tabulations/tags', { title: 'Upgrade', colour: '#00aa00', kinds: ['inbound'], parentId: macro.id })).json();
    const grandchild = await post('/tabulations/tags', { title: 'X', colour: '#000000', kinds: ['inbound'], parentId: child.id });
    expect(grandchild.json().error.details.field).toBe('parentId');
    const refused = await t.request('DELETE', `/api/v1/tabulations/tags/${macro.id}`, { cookie: admin.cookie });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.details.children).toEqual([{ id: child.id, title: 'Upgrade' }]);
    const confirmed = await t.request('DELETE', `/api/v1/tabulations/tags/${macro.id}`, { cookie: admin.cookie, query: { withChildren: true } });
    expect(confirmed.statusCode).toBe(204);
    expect(t.count('tags')).toBe(0);
  });

  it('shortcuts and FAQ are saved in bulk', async () => {
    const saved = await t.request('PUT', '/api/v1/crm/shortcuts', {
      cookie: admin.cookie,
      body: { create: [{ prefix: 'ola', text: 'Olá {{primeiro_nome}}!' }, { prefix: 'tchau', text: 'Até logo' }] },
    });
    expect(saved.json().items.map((s: { prefix: string }) => s.prefix)).toEqual(['ola', 'tchau']);
    // A refusal names the refused row's field where the body has it, and lists every refused row.
    const [ola, tchau] = saved.json().items as { id: number }[];
    const refused = await t.request('PUT', '/api/v1/crm/shortcuts', {
      cookie: admin.cookie,
      body: { update: [{ id: tchau!.id, patch: { text: 'Até {{apelido}}' } }], create: [{ prefix: 'oi', text: 'Oi' }, { prefix: 'bom dia', text: 'Bom dia' }] },
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details).toMatchObject({
      field: 'update.0.patch.text',
      items: [
        { op: 'update', index: 0, id: tchau!.id, field: 'text' },
        { op: 'create', index: 1, field: 'prefix' },
      ],
    });
    const refusedCreate = await t.request('PUT', '/api/v1/crm/shortcuts', { cookie: admin.cookie, body: { remove: [ola!.id], create: [{ prefix: 'oi', text: 'Oi' }, { prefix: 'tchau', text: 'De novo' }] } });
    expect(refusedCreate.json().error.details.field).toBe('create.1.prefix');
    expect((await t.request('GET', '/api/v1/crm/shortcuts', { cookie: admin.cookie })).json().items.map((s: { prefix: string; text: string }) => [s.prefix, s.text])).toEqual([
      ['ola', 'Olá {{primeiro_nome}}!'],
      ['tchau', 'Até logo'],
    ]);
    const faq = await t.request('PUT', '/api/v1/crm/faq', { cookie: admin.cookie, body: { create: [{ question: 'Horário?', answer: '8h às 18h' }] } });
    expect(faq.statusCode).toBe(200);
    // The question is kept trimmed, and compared so: the same question with a trailing space is a conflict, a blank one is refused.
    const again = await post('/crm/faq', { question: 'Horário? ', answer: 'outra' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.details.field).toBe('question');
    expect((await post('/crm/faq', { question: '   ', answer: 'x' })).json().error.details.field).toBe('question');
    expect((await post('/crm/faq', { question: 'Pix?', answer: '  ' })).json().error.details.field).toBe('answer');
    expect((await post('/crm/shortcuts', { prefix: 'vazio', text: '   ' })).json().error.details.field).toBe('text');
    expect(t.count('faqs')).toBe(1);
    const agent = await t.loginAs('agent');
    expect((await t.request('GET', '/api/v1/crm/shortcuts', { cookie: agent.cookie })).json().total).toBe(2);
    expect((await t.request('PUT', '/api/v1/crm/faq', { cookie: agent.cookie, body: { create: [{ question: 'a', answer: 'b' }] } })).statusCode).toBe(403);
  });

  it('campaign types name the form the desktop shows; a book takes its type\'s form unless it names its own', async () => {
    const formA = (await post('/crm/forms', { name: 'Cobrança', items: [{ source: 'contact', key: 'name' }] })).json();
    const formB = (await post('/crm/forms', { name: 'Padrão', items: [{ source: 'contact', key: 'document' }], isDefault: true })).json();
    expect((await post('/crm/campaign-types', { name: 'Cobrança', formId: 999 })).json().error.details.field).toBe('formId');
    const type = await post('/crm/campaign-types', { name: 'Cobrança', formId: formA.id });
    expect(type.statusCode).toBe(201);
    expect(type.json()).toMatchObject({ formName: 'Cobrança', active: true });
    const book = (await post('/crm/books', { name: 'Carteira 2026', campaignTypeId: type.json().id })).json();
    const applicable = (query: Record<string, number>) => t.request('GET', '/api/v1/crm/forms/applicable', { cookie: admin.cookie, query }).then((r) => r.json().form?.name ?? null);
    expect(await applicable({ bookId: book.id })).toBe('Cobrança');
    expect(await applicable({})).toBe('Padrão');
    await t.request('PATCH', `/api/v1/crm/books/${book.id}`, { cookie: admin.cookie, body: { formId: formB.id } });
    expect(await applicable({ bookId: book.id })).toBe('Padrão');
    expect(await applicable({ bookId: book.id, campaignTypeId: type.json().id })).toBe('Cobrança');

    const inUse = await t.request('DELETE', `/api/v1/crm/forms/${formA.id}`, { cookie: admin.cookie });
    expect(inUse.statusCode).toBe(409);
    expect((await t.request('DELETE', `/api/v1/crm/campaign-types/${type.json().id}`, { cookie: admin.cookie })).statusCode).toBe(409);

    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await t.request('GET', `/api/v1/crm/campaign-types/${type.json().id}`, { cookie: other.cookie })).statusCode).toBe(404);
    const foreign = await t.request('POST', '/api/v1/crm/books', { cookie: other.cookie, body: { name: 'X', campaignTypeId: type.json().id } });
    expect(foreign.json().error.details.field).toBe('campaignTypeId');
  });

  it('an unknown caller becomes a contact from the call; the history shows the call with its IVR path and recordings; the tickets list names the contact', async () => {
    const ix = (await post('/interactions', { address: '(11) 3333-4444', kind: 'inbound', channel: 'voice', serviceName: 'SAC', callId: 'call-1' })).json();
    const lookup = () => t.request('GET', '/api/v1/contacts/lookup', { cookie: admin.cookie, query: { phone: '1133334444' } }).then((r) => r.json().matches);
    expect(await lookup()).toEqual([]);
    expect((await post(`/interactions/${ix.id}/contact`, { name: 'Novo', document: '111.111.111-11' })).json().error.details.field).toBe('document');
    const made = await post(`/interactions/${ix.id}/contact`, { name: 'Cliente Novo', phones: [{ number: '11 98888-7777' }] });
    expect(made.statusCode).toBe(201);
    expect(made.json().contact.phones.map((p: { number: string }) => p.number)).toEqual(['551133334444', '5511988887777']);
    expect(made.json().interaction.contactId).toBe(made.json().contact.id);
    expect((await lookup()).map((m: { name: string }) => m.name)).toEqual(['Cliente Novo']);
    expect((await post(`/interactions/${ix.id}/contact`, { name: 'De novo' })).statusCode).toBe(409);

    const started = t.clock.now();
    t.deps.database.sqlite
      .prepare(
        "insert into calls (tenant_id, call_id, channel_id, kind, direction, from_number, to_number, state, started_at, answered_at, ended_at, cause_text, hangup_by) values (?, 'call-1', 'ch-1', 'inbound', 'inbound', '1133334444', '4000', 'ended', ?, ?, ?, 'Normal Clearing', 'caller')",
      )
      .run(t.tenantA, started, started + 2_000, started + 62_000);
    // The caller went through the IVR (the version it ran names the nodes) and the queue recorded the call; another call's are not its.
    const menu = { kind: 'menu', prompt: [{ kind: 'sound', name: 'atende-welcome' }] };
    const ivr = (
      await post('/flows/ivrs', {
        name: 'Principal',
        definition: { root: 'main', nodes: [{ ...menu, id: 'main', name: 'Menu principal', options: [{ digit: '2', target: { node: 'billing' } }] }, { ...menu, id: 'billing', name: 'Financeiro', options: [{ digit: '0', target: { node: 'main' } }] }] },
      })
    ).json();
    const trace = t.deps.database.sqlite.prepare('insert into ivr_traces (tenant_id, call_id, ivr_id, version, node, event, digits, at) values (?, ?, ?, 1, ?, ?, ?, ?)');
    for (const [callId, node, event, digits] of [['call-1', 'main', 'entered', null], ['call-1', 'main', 'option', '2'], ['call-1', 'billing', 'entered', null], ['call-2', 'main', 'entered', null]]) {
      trace.run(t.tenantA, callId, ivr.id, node, event, digits, started);
    }
    const recording = t.deps.database.sqlite.prepare("insert into recordings (tenant_id, call_id, path, format, started_at, duration_seconds, size_bytes) values (?, ?, 'recordings/x.wav', 'wav', ?, ?, 1000)");
    const recorded = Number(recording.run(t.tenantA, 'call-1', started + 2_000, 60).lastInsertRowid);
    recording.run(t.tenantA, 'call-2', started, 10);
    const history = (await t.request('GET', `/api/v1/contacts/${made.json().contact.id}/history`, { cookie: admin.cookie })).json();
    expect(history.items).toEqual([
      expect.objectContaining({
        id: ix.id,
        channel: 'voice',
        call: { direction: 'inbound', from: '1133334444', to: '4000', answeredAt: new Date(started + 2_000).toISOString(), endedAt: new Date(started + 62_000).toISOString(), cause: 'Normal Clearing', hangupBy: 'caller' },
        ivrPath: ['Menu principal', 'Financeiro'],
        recordings: [{ id: recorded, startedAt: new Date(started + 2_000).toISOString(), durationSeconds: 60, audioUrl: `/api/v1/recordings/${recorded}/audio` }],
      }),
    ]);

    await post('/tickets', { contactId: made.json().contact.id, subject: 'Segunda via de boleto' });
    const list = (query: Record<string, string | number>, cookie = admin.cookie) => t.request('GET', '/api/v1/tickets', { cookie, query }).then((r) => r.json());
    const all = await list({});
    expect(all.total).toBe(2);
    expect(all.items.every((i: { contactName: string }) => i.contactName === 'Cliente Novo')).toBe(true);
    expect((await list({ q: 'boleto' })).items.map((i: { subject: string }) => i.subject)).toEqual(['Segunda via de boleto']);
    expect((await list({ q: '%' })).total).toBe(0);
    expect((await list({ status: 'closed' })).total).toBe(0);
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await list({}, other.cookie)).total).toBe(0);
    expect((await t.request('POST', `/api/v1/interactions/${ix.id}/contact`, { cookie: other.cookie, body: { name: 'X' } })).statusCode).toBe(404);
  });

  it("a contact made from a call goes into the book its service (queue) names, where the service's next call finds it", async () => {
    const book = (await post('/crm/books', { name: 'Clientes SAC' })).json();
    const queue = (await post('/queues', { number: '700', name: 'SAC', contactBookId: book.id })).json();
    const ix = (await post('/interactions', { address: '11 3333-4444', kind: 'inbound', channel: 'voice', serviceId: queue.id })).json();
    const made = await post(`/interactions/${ix.id}/contact`, { name: 'Cliente do SAC' });
    expect(made.statusCode).toBe(201);
    expect(made.json().contact.bookId).toBe(book.id);
    expect(t.modules.contacts.caller(t.tenantA, '1133334444', queue.contactBookId)?.name).toBe('Cliente do SAC');
    // The agent's own choice of book wins; a service naming no book leaves the default one.
    const plain = (await post('/queues', { number: '701', name: 'Vendas' })).json();
    const other = (await post('/interactions', { address: '11 3333-5555', kind: 'inbound', channel: 'voice', serviceId: plain.id })).json();
    const inDefault = (await post(`/interactions/${other.id}/contact`, { name: 'Cliente de Vendas' })).json();
    expect(inDefault.contact.bookId).toBe(t.modules.contacts.defaultBook(t.tenantA));
    const third = (await post('/interactions', { address: '11 3333-6666', kind: 'inbound', channel: 'voice', serviceId: queue.id })).json();
    const picked = (await post(`/interactions/${third.id}/contact`, { name: 'Escolhido', bookId: inDefault.contact.bookId })).json();
    expect(picked.contact.bookId).toBe(inDefault.contact.bookId);
  });

  it("the desk's screen pop for a queue's call searches the book that queue names, as the ACD does", async () => {
    const book = (await post('/crm/books', { name: 'Clientes SAC' })).json();
    const sac = (await post('/queues', { number: '702', name: 'SAC', contactBookId: book.id })).json();
    const vendas = (await post('/queues', { number: '703', name: 'Vendas' })).json();
    await post('/contacts', { name: 'Cliente do SAC', bookId: book.id, phones: [{ number: '11 98888-2222' }] });
    await post('/contacts', { name: 'Lead de Vendas', phones: [{ number: '11 98888-2222' }] });
    const pop = (query: Record<string, string | number>) => t.request('GET', '/api/v1/contacts/lookup', { cookie: admin.cookie, query: { phone: '11988882222', ...query } });
    const names = async (query: Record<string, string | number>) => (await pop(query)).json().matches.map((m: { name: string }) => m.name).sort();
    expect(await names({ serviceId: sac.id })).toEqual(['Cliente do SAC']);
    // A queue naming no book: the tenant's default, where the ACD looks too.
    expect(await names({ serviceId: vendas.id })).toEqual(['Lead de Vendas']);
    expect(await names({})).toEqual(['Cliente do SAC', 'Lead de Vendas']);
    const both = await pop({ serviceId: sac.id, bookId: book.id });
    expect([both.statusCode, both.json().error.details.field]).toEqual([400, 'serviceId']);
    const unknown = await pop({ serviceId: 999_999 });
    expect([unknown.statusCode, unknown.json().error.details.field]).toEqual([400, 'serviceId']);
  });

  it("an unknown caller linked to an existing contact gives it the call's number, so that its next call finds it; unless the agent says not to", async () => {
    const known = (await post('/contacts', { name: 'Cliente Antigo', phones: [{ number: '11 98888-1111', label: 'work', doNotCall: true }] })).json();
    const lookup = (phone: string) => t.request('GET', '/api/v1/contacts/lookup', { cookie: admin.cookie, query: { phone } }).then((r) => r.json().matches.map((m: { name: string }) => m.name));
    const ix = (await post('/interactions', { address: '(11) 3333-7777', kind: 'inbound', channel: 'voice' })).json();
    expect(await lookup('1133337777')).toEqual([]);
    const linked = await post(`/interactions/${ix.id}/link`, { contactId: known.id });
    expect(linked.statusCode).toBe(200);
    expect(linked.json().contactId).toBe(known.id);
    expect(await lookup('1133337777')).toEqual(['Cliente Antigo']);
    // Its other phone keeps its type and mark.
    const after = (await t.request('GET', `/api/v1/contacts/${known.id}`, { cookie: admin.cookie })).json();
    expect(after.phones.map((p: { number: string; kind: string; label: string | null; doNotCall: boolean }) => [p.number, p.kind, p.label, p.doNotCall])).toEqual([
      ['5511988881111', 'mobile', 'work', true],
      ['551133337777', 'landline', null, false],
    ]);

    // A switchboard's number is not the contact's: the agent links without adding it.
    const board = (await post('/interactions', { address: '11 3333-8888', kind: 'inbound', channel: 'voice' })).json();
    expect((await post(`/interactions/${board.id}/link`, { contactId: known.id, addAddress: false })).statusCode).toBe(200);
    expect(await lookup('1133338888')).toEqual([]);

    // A call from abroad: its number cannot be kept, which the refusal says; unticked, it links.
    const abroad = (await post('/interactions', { address: '+1 212 555 0100', kind: 'inbound', channel: 'voice' })).json();
    const foreign = await post(`/interactions/${abroad.id}/link`, { contactId: known.id });
    expect(foreign.statusCode).toBe(400);
    expect(foreign.json().error.details.field).toBe('addAddress');
    expect((await post(`/interactions/${abroad.id}/link`, { contactId: known.id, addAddress: false })).statusCode).toBe(200);

    // The contact has all the phones it may have: nothing is linked, and the refusal says why.
    const full = (await post('/contacts', { name: 'Empresa', phones: Array.from({ length: 10 }, (_, i) => ({ number: `11 3444-000${i}` })) })).json();
    const extra = (await post('/interactions', { address: '11 3333-9999', kind: 'inbound', channel: 'voice' })).json();
    const refused = await post(`/interactions/${extra.id}/link`, { contactId: full.id });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.field).toBe('addAddress');
    expect((await t.request('GET', `/api/v1/interactions/${extra.id}`, { cookie: admin.cookie })).json().contactId).toBeNull();
    expect(await lookup('1133339999')).toEqual([]);
  });

  it("the desktop is offered the team's status groups, the kind's statuses and the service's tags; shortcuts come with their variables filled", async () => {
    const sales = (await post('/teams', { name: 'Vendas' })).json();
    const support = (await post('/teams', { name: 'Suporte' })).json();
    const agent = await t.loginAs('agent', { teamId: support.id });
    const everyone = (await post('/tabulations/groups', { name: 'Geral' })).json();
    const salesOnly = (await post('/tabulations/groups', { name: 'Vendas', allTeams: false, teamIds: [sales.id] })).json();
    expect((await post('/tabulations/groups', { name: 'Ninguém', allTeams: false })).json().error.details.field).toBe('teamIds');
    const solved = (await post('/tabulations/statuses', { groupId: everyone.id, name: 'Resolvido', category: 'positive', kinds: ['inbound'] })).json();
    await post('/tabulations/statuses', { groupId: everyone.id, name: 'Só chat', category: 'neutral', kinds: ['chat'] });
    const sold = (await post('/tabulations/statuses', { groupId: salesOnly.id, name: 'Vendido', category: 'positive', kinds: ['inbound'] })).json();
    const fila7 = (await post('/queues', { name: 'Fila 7', number: '707' })).json();
    const fila3 = (await post('/queues', { name: 'Fila 3', number: '703', requireTabulation: true })).json();
    const otherTenantQueue = t.modules.routing.service.queues.create({ actor: SYSTEM_ACTOR }, t.createTenant(), { name: 'Outra', number: '707' });
    // A service that is not one of the tenant's queues is refused naming the field.
    expect((await post('/tabulations/tags', { title: 'X', colour: '#0000aa', kinds: ['inbound'], serviceIds: [fila7.id, otherTenantQueue.id] })).json().error.details.field).toBe('serviceIds.1');
    expect((await post('/crm/shortcuts', { prefix: 'x', text: 'y', serviceId: otherTenantQueue.id })).json().error.details.field).toBe('serviceId');
    await post('/tabulations/tags', { title: 'Elogio', colour: '#00aa00', kinds: ['inbound'] });
    await post('/tabulations/tags', { title: 'Fila 7', colour: '#0000aa', kinds: ['inbound'], serviceIds: [fila7.id] });
    await post('/tabulations/tags', { title: 'Chat', colour: '#aa0000', kinds: ['chat'] });
    await t.request('PUT', '/api/v1/crm/shortcuts', {
      cookie: admin.cookie,
      body: { create: [{ prefix: 'ola', text: 'Olá {{primeiro_nome}}, protocolo {{protocolo}}.' }, { prefix: 'ola7', text: 'Fila 7', serviceId: fila7.id }, { prefix: 'tchau', text: 'Até logo' }] },
    });

    const contact = (await post('/contacts', { name: 'Beatriz Lima', phones: [{ number: '11912345678' }] })).json();
    const ix = (await post('/interactions', { contactId: contact.id, kind: 'inbound', channel: 'voice', serviceId: fila3.id }, agent.cookie)).json();
    // The service names itself and demands a tabulation; a service of another tenant is refused.
    expect(ix).toMatchObject({ serviceId: fila3.id, serviceName: 'Fila 3', requiresTabulation: true });
    expect((await post(`/interactions/${ix.id}/finish`, {}, agent.cookie)).json().error.details.field).toBe('statusId');
    // The agent cannot lift the service's demand by asking for none.
    const lifted = (await post('/interactions', { contactId: contact.id, kind: 'inbound', channel: 'voice', serviceId: fila3.id, requiresTabulation: false }, agent.cookie)).json();
    expect(lifted.requiresTabulation).toBe(true);
    const untabulated = await post(`/interactions/${lifted.id}/finish`, {}, agent.cookie);
    expect(untabulated.statusCode).toBe(400);
    expect(untabulated.json().error.details.field).toBe('statusId');
    expect((await post(`/interactions/${lifted.id}/finish`, { statusId: solved.id }, agent.cookie)).statusCode).toBe(200);
    expect((await post('/interactions', { contactId: contact.id, kind: 'inbound', channel: 'voice', serviceId: otherTenantQueue.id }, agent.cookie)).json().error.details.field).toBe('serviceId');
    const offered = (await t.request('GET', `/api/v1/interactions/${ix.id}/tabulations`, { cookie: agent.cookie })).json();
    expect(offered.items.map((g: { name: string; statuses: { name: string }[] }) => [g.name, g.statuses.map((x) => x.name)])).toEqual([['Geral', ['Resolvido']]]);
    expect(offered.tags.map((x: { title: string }) => x.title)).toEqual(['Elogio']);
    const refused = await post(`/interactions/${ix.id}/finish`, { statusId: sold.id }, agent.cookie);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.details.field).toBe('statusId');

    const typed = await t.request('GET', `/api/v1/interactions/${ix.id}/shortcuts`, { cookie: agent.cookie, query: { prefix: '/ol' } });
    expect(typed.json().items).toEqual([expect.objectContaining({ prefix: 'ola', text: `Olá Beatriz, protocolo ${ix.protocol}.` })]);
    const all = await t.request('GET', `/api/v1/interactions/${ix.id}/shortcuts`, { cookie: agent.cookie });
    expect(all.json().items.map((x: { prefix: string }) => x.prefix)).toEqual(['ola', 'tchau']);
    expect((await post(`/interactions/${ix.id}/finish`, { statusId: solved.id }, agent.cookie)).statusCode).toBe(200);
  });
});
