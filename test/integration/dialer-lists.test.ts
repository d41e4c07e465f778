/**
 * Contact groups through the real app: filled by the CRM's one CSV importer (same row rules,
 * per-row problems, history, undo) or from a filter over the tenant's contacts; fixed name,
 * counts and linked campaign, bulk (de)activation, locked once a campaign uses them.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { ListImportTarget } from '../../src/dialer/list-import.target.js';
import { createTestApp, type LoggedIn, type TestApp } from '../helpers/app.js';
import { withBeforeWrite } from '../helpers/import-targets.js';

describe('dialer: contact groups', () => {
  let t: TestApp;
  let admin: LoggedIn;

  beforeEach(async () => {
    t = await createTestApp();
    admin = await t.loginAs('admin');
  });
  afterEach(async () => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, body?: unknown, cookie = admin.cookie) =>
    t.request(method, `/api/v1${url}`, { cookie, ...(body === undefined ? {} : { body }) });
  const upload = (csv: string, listId: number) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      query: { target: 'dialer_list', listId: String(listId), fileName: 'grupo.csv' },
      headers: { cookie: admin.cookie, 'content-type': 'text/csv' },
      payload: csv,
    });
  const createList = async (name: string) => {
    const res = await api('POST', '/dialer/lists', { name });
    expect(res.statusCode).toBe(201);
    return res.json() as { id: number; bookId: number; contacts: number };
  };
  const strategy = async (name: string) => (await api('POST', '/dialer/strategies', { name, maxAttemptsPerPhone: 3, maxAttemptsPerContact: 6, maxAttemptsPerDay: 2 })).json().id as number;
  let queues = 0;
  /** A campaign with its own strategy and queue. */
  const campaign = async (name: string, listIds: number[]) => {
    const queueId = (await api('POST', '/queues', { name: `Fila ${name}`, number: String(800 + ++queues) })).json().id as number;
    return api('POST', '/dialer/campaigns', { name, mode: 'progressive', strategyId: await strategy(`Estratégia ${name}`), queueId, ringTimeoutSeconds: 25, abandonTargetPercent: 2, listIds });
  };

  it('imports a CSV into a group with the contacts rules, links contacts the book already has, and appends a second file', async () => {
    const existing = await api('POST', '/contacts', { name: 'Cliente Antigo', phones: [{ number: '11 98888-7777' }] });
    expect(existing.statusCode).toBe(201);
    const list = await createList('Cobrança março');

    const res = await upload(['nome;telefone1', 'Maria;(48) 99999-9999', 'Sem DDD válido;(20) 98765-4321', 'Antigo de novo;11988887777'].join('\n'), list.id);
    expect(res.statusCode).toBe(202);
    const done = await t.modules.contacts.importer.settled(res.json().id);
    expect(done).toMatchObject({ state: 'done', target: 'dialer_list', rows: 3, imported: 2, rejected: 1 });
    const problems = (await api('GET', `/imports/${done.id}/problems`)).json().items as { line: number; code: string; rejected: boolean }[];
    expect(problems.map((p) => [p.line, p.code, p.rejected])).toEqual([
      [3, 'phone_ddd', false],
      [3, 'no_valid_phone', true],
      [4, 'existing_contact', false],
    ]);

    const members = (await api('GET', `/dialer/lists/${list.id}/members`)).json();
    expect(members.items.map((m: { name: string }) => m.name)).toEqual(['Maria', 'Cliente Antigo']);
    expect(members.items[1].contactId).toBe(existing.json().id);

    const again = await t.modules.contacts.importer.settled((await upload('nome;telefone1\nJoão;11 3456-7890\nMaria;48999999999', list.id)).json().id);
    expect(again).toMatchObject({ imported: 1, rejected: 1 });
    expect((await api('GET', `/dialer/lists/${list.id}`)).json()).toMatchObject({ name: 'Cobrança março', contacts: 3, pending: 3, locked: false, campaignId: null });

    const history = (await api('GET', '/imports', undefined)).json().items as { target: string }[];
    expect(history.filter((h) => h.target === 'dialer_list')).toHaveLength(2);
  });

  it('a group deleted while its file is imported fails the import, which is undone: no member is left in a group that does not exist', async () => {
    const list = await createList('Apagado no meio');
    t.modules.contacts.importer.register(
      withBeforeWrite(new ListImportTarget(t.modules.contacts.contactsImportTarget), 'list_deleted', (n) => {
        // As if an admin deleted the group (its members go with it) after the first batch.
        if (n === 2) t.deps.database.sqlite.prepare('DELETE FROM dialer_lists WHERE id = ?').run(list.id);
      }),
    );
    const csv = 'nome;telefone\n' + Array.from({ length: 1200 }, (_, i) => `Contato ${i};1198${String(7000000 + i)}\n`).join('');
    const started = await t.modules.contacts.importer.start({ tenantId: t.tenantA, userId: null, target: 'list_deleted', options: { listId: list.id }, fileName: 'grupo.csv', body: Readable.from([csv]) });
    const done = await t.modules.contacts.importer.settled(started.id);
    expect(done).toMatchObject({ state: 'failed', imported: 0, error: 'failed at line 1001: the contact group was deleted during the import; nothing of this file was kept' });
    expect(t.count('dialer_list_members')).toBe(0);
    expect(t.count('contacts')).toBe(0);
  });

  it('checks the header before storing anything and names the group that does not exist', async () => {
    const list = await createList('Grupo');
    const bad = await upload('nome;cor\nMaria;azul', list.id);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.details.field).toBe('file');
    const none = await upload('nome;telefone1\nMaria;48999999999', 99_999);
    expect(none.statusCode).toBe(400);
    expect(none.json().error.details.field).toBe('listId');
    expect((await api('GET', `/dialer/lists/${list.id}`)).json().contacts).toBe(0);
  });

  it('fills a group from a filter over the contacts, without repeating those already in it', async () => {
    const tag = (await api('POST', '/tabulations/tags', { title: 'Inadimplente', colour: '#aa0000', kinds: ['dialer'] })).json().id as number;
    await api('POST', '/contacts', { name: 'Ana', phones: [{ number: '11987650001' }], tagIds: [tag] });
    await api('POST', '/contacts', { name: 'Bruno', phones: [{ number: '11987650002' }], tagIds: [tag] });
    await api('POST', '/contacts', { name: 'Carla', phones: [{ number: '11987650003' }] });
    const list = await createList('Inadimplentes');
    const first = await api('POST', `/dialer/lists/${list.id}/fill`, { filter: { tagId: tag } });
    expect(first.json()).toEqual({ matched: 2, added: 2, already: 0 });
    const second = await api('POST', `/dialer/lists/${list.id}/fill`, { filter: {} });
    expect(second.json()).toEqual({ matched: 3, added: 1, already: 2 });
    const names = (await api('GET', `/dialer/lists/${list.id}/members`)).json().items.map((m: { name: string }) => m.name);
    expect(names).toEqual(['Ana', 'Bruno', 'Carla']);
    const bad = await api('POST', `/dialer/lists/${list.id}/fill`, { filter: { color: 'blue' } });
    expect(bad.statusCode).toBe(400);
  });

  it('keeps the name it was created with', async () => {
    const list = await createList('Nome fixo');
    const res = await api('PATCH', `/dialer/lists/${list.id}`, { name: 'Outro' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.details.field).toBe('name');
    expect((await api('PATCH', `/dialer/lists/${list.id}`, { description: 'ok' })).json()).toMatchObject({ name: 'Nome fixo', description: 'ok' });
    expect((await api('POST', '/dialer/lists', { name: 'Nome fixo' })).statusCode).toBe(409);
  });

  it('activates and deactivates several groups at once, all or none, and filters by state and campaign', async () => {
    const a = await createList('A');
    const b = await createList('B');
    const off = await api('POST', '/dialer/lists/active', { ids: [a.id, b.id], active: false });
    expect(off.statusCode).toBe(200);
    expect(off.json().items.map((l: { active: boolean }) => l.active)).toEqual([false, false]);
    const refused = await api('POST', '/dialer/lists/active', { ids: [a.id, 99_999], active: true });
    expect(refused.statusCode).toBe(404);
    expect((await api('GET', '/dialer/lists?active=true')).json().total).toBe(0);
    const c = await campaign('Campanha', [a.id]);
    expect(c.statusCode).toBe(201);
    const byCampaign = (await api('GET', `/dialer/lists?campaignId=${c.json().id}`)).json();
    expect(byCampaign.items.map((l: { name: string; campaignName: string }) => [l.name, l.campaignName])).toEqual([['A', 'Campanha']]);
    expect((await api('GET', '/dialer/lists?locked=false')).json().items.map((l: { name: string }) => l.name)).toEqual(['B']);
  });

  it('is locked once a campaign uses it: no appends, no fills, no other campaign, no delete', async () => {
    const list = await createList('Travada');
    const c = await campaign('Primeira', [list.id]);
    expect((await api('GET', `/dialer/lists/${list.id}`)).json()).toMatchObject({ locked: true, campaignId: c.json().id, campaignName: 'Primeira' });

    const append = await upload('nome;telefone1\nMaria;48999999999', list.id);
    expect(append.statusCode).toBe(409);
    expect(append.json().error.details.field).toBe('listId');
    expect((await api('POST', `/dialer/lists/${list.id}/fill`, { filter: {} })).statusCode).toBe(409);
    const other = await campaign('Segunda', [list.id]);
    expect(other.statusCode).toBe(409);
    expect(other.json().error.details).toMatchObject({ field: 'listIds.0', code: 'list_locked' });
    expect((await api('DELETE', `/dialer/lists/${list.id}`)).statusCode).toBe(409);
    expect(t.count('dialer_campaigns')).toBe(1);
  });

  it("one tenant cannot see or change another's groups", async () => {
    const list = await createList('Minha');
    const other = await t.loginAs('admin', { tenantId: t.createTenant() });
    expect((await api('GET', `/dialer/lists/${list.id}`, undefined, other.cookie)).statusCode).toBe(404);
    expect((await api('PATCH', `/dialer/lists/${list.id}`, { active: false }, other.cookie)).statusCode).toBe(404);
    expect((await api('POST', `/dialer/lists/${list.id}/fill`, { filter: {} }, other.cookie)).statusCode).toBe(404);
    expect((await api('GET', `/dialer/lists/${list.id}/members`, undefined, other.cookie)).statusCode).toBe(404);
    expect((await api('GET', '/dialer/lists', undefined, other.cookie)).json().total).toBe(0);
  });
});
