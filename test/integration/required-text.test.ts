/**
 * Required text (names, titles, subjects, labels) across the API: blank text is a 400 naming
 * the field and nothing is stored; surrounding spaces are removed before the text is kept, so
 * that " Vendas " is stored as "Vendas" and, where the name is unique, "Vendas" again is a 409
 * rather than a second "Vendas" that looks the same in every list. Text typed in a text area (a
 * note, a FAQ answer, a message, a description, a text to speak) keeps its line breaks, which
 * one-line fields refuse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, validCnpj, type LoggedIn, type TestApp } from '../helpers/app.js';

let t: TestApp;
let admin: LoggedIn;
let superUser: LoggedIn;
const ids: Record<string, number> = {};

const api = (method: 'GET' | 'POST' | 'PATCH' | 'PUT', path: string, body?: unknown, as: LoggedIn = admin) =>
  t.request(method, `/api/v1${path}`, { cookie: as.cookie, ...(body === undefined ? {} : { body }) });
const created = async (path: string, body: unknown): Promise<number> => {
  const res = await api('POST', path, body);
  expect(res.statusCode, res.body).toBe(201);
  return res.json().id as number;
};

beforeAll(async () => {
  t = await createTestApp();
  admin = await t.loginAs('admin');
  superUser = await t.loginAs('super');
  ids.queue = await created('/queues', { name: 'Base', number: '700' });
  ids.strategy = await created('/dialer/strategies', { name: 'Base', maxAttemptsPerPhone: 3, maxAttemptsPerContact: 6, maxAttemptsPerDay: 2 });
  ids.trunk = await created('/telephony/trunks', { name: 'base', host: '203.0.113.10' });
  ids.group = await created('/tabulations/groups', { name: 'Base' });
  ids.contact = await created('/contacts', { name: 'Base', phones: [{ number: '11912345678' }] });
  ids.form = await created('/crm/forms', { name: 'Base', items: [{ source: 'contact', key: 'name' }] });
  ids.prompt = await created('/telephony/prompts', { name: 'Base', speech: { text: 'Olá' } });
});
afterAll(async () => {
  await t.close();
});

const hangup = { kind: 'hangup', cause: 16 };
const prompt = [{ kind: 'sound', name: 'atende-welcome' }];

interface Case {
  what: string;
  path: string;
  table: string;
  /** The field the 400 names (a dotted path for nested text). */
  field: string;
  /** A valid body holding `text` in that field; `n` tells cases' other unique values apart. */
  body: (text: string, n: number) => Record<string, unknown>;
  /** Where the answer shows the stored text; default: the field itself. */
  read?: (view: Record<string, unknown>) => unknown;
  /** Text without inner spaces where the field's pattern refuses them. */
  text?: string;
  /** Unique in the tenant (or server): the same text again is a 409 naming the field. */
  unique?: boolean;
  /** The top-level field can be changed alone with PATCH path/:id. */
  patch?: boolean;
  /** The row as the API shows it, where not at GET path/:id. */
  fetch?: (id: number) => Promise<Record<string, unknown>>;
  as?: () => LoggedIn;
}

const cases: Case[] = [
  { what: 'team', path: '/teams', table: 'teams', field: 'name', body: (name) => ({ name }), unique: true, patch: true },
  { what: 'profile', path: '/profiles', table: 'profiles', field: 'name', body: (name) => ({ name, permissions: [] }), unique: true, patch: true },
  { what: 'pause type', path: '/pause-types', table: 'pause_types', field: 'reason', body: (reason) => ({ reason }), unique: true, patch: true },
  { what: "user's name", path: '/users', table: 'users', field: 'name', body: (name, n) => ({ name, login: `pessoa.${n}`, password: 'secret-123', level: 'agent' }), patch: true },
  { what: "tenant's legal name", path: '/tenants', table: 'tenants', field: 'legalName', body: (legalName, n) => ({ legalName, cnpj: validCnpj(900 + n) }), patch: true, as: () => superUser },
  { what: 'queue', path: '/queues', table: 'queues', field: 'name', body: (name, n) => ({ name, number: `${710 + n}` }), unique: true, patch: true },
  { what: 'SIP trunk', path: '/telephony/trunks', table: 'sip_trunks', field: 'name', body: (name) => ({ name, host: '203.0.113.11' }), text: 'vendas', unique: true, patch: true },
  { what: 'extension display name', path: '/telephony/extensions', table: 'extensions', field: 'displayName', body: (displayName, n) => ({ number: `${4100 + n}`, displayName }), patch: true },
  { what: 'inbound route', path: '/telephony/inbound-routes', table: 'inbound_routes', field: 'name', body: (name, n) => ({ name, did: `11333${30000 + n}`, destination: hangup }), patch: true },
  {
    what: 'outbound route',
    path: '/telephony/outbound-routes',
    table: 'outbound_routes',
    field: 'name',
    body: (name) => ({ name, rules: [{ pattern: '_0XX.' }], trunks: [{ trunkId: ids.trunk }] }),
    unique: true,
    patch: true,
  },
  { what: 'prompt', path: '/telephony/prompts', table: 'prompts', field: 'name', body: (name) => ({ name, speech: { text: 'Bom dia' } }), unique: true, patch: true },
  { what: 'music on hold class', path: '/telephony/moh-classes', table: 'moh_classes', field: 'name', body: (name) => ({ name, promptIds: [] }), unique: true, patch: true },
  { what: 'announcement', path: '/telephony/announcements', table: 'announcements', field: 'name', body: (name) => ({ name, promptIds: [ids.prompt], destination: hangup }), unique: true, patch: true },
  { what: 'conference', path: '/telephony/conferences', table: 'conferences', field: 'name', body: (name, n) => ({ name, number: `${5100 + n}` }), patch: true },
  {
    what: 'IVR',
    path: '/flows/ivrs',
    table: 'ivrs',
    field: 'name',
    body: (name) => ({ name, definition: { root: 'main', nodes: [{ id: 'main', kind: 'menu', prompt, options: [{ digit: '1', target: { destination: hangup } }] }] } }),
    unique: true,
    patch: true,
  },
  { what: 'survey', path: '/flows/surveys', table: 'surveys', field: 'name', body: (name) => ({ name, questions: [{ alias: 'Nota', prompt, min: 1, max: 5 }] }), unique: true, patch: true },
  {
    what: "survey question's alias",
    path: '/flows/surveys',
    table: 'surveys',
    field: 'questions.0.alias',
    body: (alias, n) => ({ name: `Pesquisa ${n}`, questions: [{ alias, prompt, min: 1, max: 5 }] }),
    read: (v) => (v.questions as { alias: string }[])[0]!.alias,
  },
  {
    what: 'time condition',
    path: '/flows/time-conditions',
    table: 'time_conditions',
    field: 'name',
    body: (name) => ({ name, periods: [{ weekdays: [1, 2, 3, 4, 5], start: '08:00', end: '18:00' }], openDestination: hangup, closedDestination: hangup }),
    unique: true,
    patch: true,
  },
  {
    what: "time condition's exception day",
    path: '/flows/time-conditions',
    table: 'time_conditions',
    field: 'exceptions.0.name',
    body: (name, n) => ({ name: `Horário ${n}`, periods: [], exceptions: [{ date: '2026-12-24', name }], openDestination: hangup, closedDestination: hangup }),
    read: (v) => (v.exceptions as { name: string }[])[0]!.name,
  },
  { what: 'holiday calendar', path: '/flows/holiday-calendars', table: 'holiday_calendars', field: 'name', body: (name) => ({ name }), unique: true, patch: true },
  {
    what: "holiday calendar's own holiday",
    path: '/flows/holiday-calendars',
    table: 'holiday_calendars',
    field: 'own.0.name',
    body: (name, n) => ({ name: `Calendário ${n}`, own: [{ name, rule: '03-19' }] }),
    read: (v) => (v.own as { name: string }[])[0]!.name,
  },
  { what: 'voicemail box', path: '/flows/voicemail-boxes', table: 'voicemail_boxes', field: 'name', body: (name, n) => ({ name, number: `${810 + n}` }), unique: true, patch: true },
  {
    what: 'dialing strategy',
    path: '/dialer/strategies',
    table: 'dialer_strategies',
    field: 'name',
    body: (name) => ({ name, maxAttemptsPerPhone: 3, maxAttemptsPerContact: 6, maxAttemptsPerDay: 2 }),
    unique: true,
    patch: true,
  },
  {
    what: 'campaign',
    path: '/dialer/campaigns',
    table: 'dialer_campaigns',
    field: 'name',
    body: (name) => ({ name, mode: 'predictive', strategyId: ids.strategy, queueId: ids.queue, ringTimeoutSeconds: 25, abandonTargetPercent: 2.5 }),
    unique: true,
    patch: true,
  },
  // A contact group keeps the name it was created with: no PATCH of the name.
  { what: 'contact group (dialer list)', path: '/dialer/lists', table: 'dialer_lists', field: 'name', body: (name) => ({ name }), unique: true },
  { what: 'contact book', path: '/crm/books', table: 'contact_books', field: 'name', body: (name) => ({ name }), unique: true, patch: true },
  { what: 'campaign type', path: '/crm/campaign-types', table: 'campaign_types', field: 'name', body: (name) => ({ name, formId: ids.form }), unique: true, patch: true },
  { what: 'form', path: '/crm/forms', table: 'contact_forms', field: 'name', body: (name) => ({ name, items: [{ source: 'contact', key: 'name' }] }), unique: true, patch: true },
  { what: "custom field's label", path: '/crm/fields', table: 'custom_fields', field: 'label', body: (label, n) => ({ scope: 'contact', key: `campo_${n}`, label, type: 'text' }), patch: true },
  {
    what: "custom field's option",
    path: '/crm/fields',
    table: 'custom_fields',
    field: 'options.1',
    body: (option, n) => ({ scope: 'contact', key: `lista_${n}`, label: 'Lista', type: 'select', options: ['Ouro', option] }),
    read: (v) => (v.options as string[])[1],
  },
  { what: 'status group', path: '/tabulations/groups', table: 'status_groups', field: 'name', body: (name) => ({ name }), unique: true, patch: true },
  { what: 'status', path: '/tabulations/statuses', table: 'statuses', field: 'name', body: (name) => ({ groupId: ids.group, name, category: 'positive', kinds: ['inbound'] }), patch: true },
  { what: 'tag', path: '/tabulations/tags', table: 'tags', field: 'title', body: (title) => ({ title, colour: '#00aa00', kinds: ['inbound'] }), patch: true },
  { what: "shortcut's text", path: '/crm/shortcuts', table: 'shortcuts', field: 'text', body: (text, n) => ({ prefix: `atalho${n}`, text }), patch: true },
  { what: "FAQ's question", path: '/crm/faq', table: 'faqs', field: 'question', body: (question) => ({ question, answer: 'Sim.' }), unique: true, patch: true },
  { what: "FAQ's answer", path: '/crm/faq', table: 'faqs', field: 'answer', body: (answer, n) => ({ question: `Pergunta ${n}?`, answer }), patch: true },
  { what: "contact's name", path: '/contacts', table: 'contacts', field: 'name', body: (name, n) => ({ name, phones: [{ number: `1191234${String(n).padStart(4, '0')}` }] }), patch: true },
  {
    what: "ticket's subject",
    path: '/tickets',
    table: 'tickets',
    field: 'subject',
    body: (subject) => ({ contactId: ids.contact, subject }),
    patch: true,
    fetch: async (id) => (await api('GET', `/contacts/${ids.contact}/tickets`)).json().items.find((x: { id: number }) => x.id === id),
  },
  {
    what: 'attendance in person',
    path: '/contacts/:contact/in-person',
    table: 'contact_interactions',
    field: 'description',
    body: (description) => ({ serviceName: 'Loja', description }),
    read: (v) => v.note,
  },
];

let n = 0;
const pathOf = (c: Case) => c.path.replace(':contact', String(ids.contact));

describe('required text is trimmed and never blank', () => {
  it.each(cases)('$what: blank is a 400 naming $field, nothing stored; " X " is kept as "X"', async (c) => {
    const as = c.as?.() ?? admin;
    const text = c.text ?? 'Vendas Sul';
    const rows = t.count(c.table);
    const audits = t.count('audit_log');
    for (const blank of ['', '   ']) {
      const res = await api('POST', pathOf(c), c.body(blank, ++n), as);
      expect([res.statusCode, res.json().error.details.field], res.body).toEqual([400, c.field]);
      expect(res.json().error.message).toBe(`body.${c.field} must not be blank`);
    }
    expect([t.count(c.table), t.count('audit_log')]).toEqual([rows, audits]);

    const res = await api('POST', pathOf(c), c.body(`  ${text} `, ++n), as);
    expect(res.statusCode, res.body).toBe(201);
    const view = res.json() as Record<string, unknown>;
    expect((c.read ?? ((v) => v[c.field]))(view)).toBe(text);

    if (c.unique) {
      const again = await api('POST', pathOf(c), c.body(text, ++n), as);
      expect([again.statusCode, again.json().error.details.field], again.body).toEqual([409, c.field]);
      expect(t.count(c.table)).toBe(rows + 1);
    }
    if (c.patch) {
      const blank = await api('PATCH', `${pathOf(c)}/${String(view.id)}`, { [c.field]: ' ' }, as);
      expect([blank.statusCode, blank.json().error.details.field], blank.body).toEqual([400, c.field]);
      const id = view.id as number;
      const kept = c.fetch ? await c.fetch(id) : (await api('GET', `${pathOf(c)}/${id}`, undefined, as)).json();
      expect(kept[c.field]).toBe(text);
    }
  });

  it("an agent's skills are kept trimmed, once each; a blank one is refused naming it", async () => {
    const agent = await t.loginAs('agent');
    const path = `/agents/${agent.user.id}/settings`;
    const blank = await api('PUT', path, { skills: ['inglês', '  '], workingHours: [] });
    expect([blank.statusCode, blank.json().error.details.field]).toEqual([400, 'skills.1']);
    const saved = await api('PUT', path, { skills: [' inglês', 'inglês ', 'vendas'], workingHours: [] });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json().skills).toEqual(['inglês', 'vendas']);
  });
});

describe('text typed in a text area keeps its line breaks', () => {
  const TEXT = 'Primeira linha,\nsegunda linha.\r\n\nE um parágrafo.';
  const sent = async (method: 'POST' | 'PATCH', path: string, body: unknown) => {
    const res = await api(method, path, body);
    expect(res.statusCode, `${method} ${path}: ${res.body}`).toBeLessThan(300);
    return res.json();
  };

  it('in the CRM: FAQ answer, shortcut text, closing message, finish note, in-person description', async () => {
    expect((await sent('POST', '/crm/faq', { question: 'Como pago o boleto?', answer: TEXT })).answer).toBe(TEXT);
    expect((await sent('POST', '/crm/shortcuts', { prefix: 'ola', text: `Olá {{primeiro_nome}},\n${TEXT}` })).text).toBe(`Olá {{primeiro_nome}},\n${TEXT}`);
    const status = await sent('POST', '/tabulations/statuses', { groupId: ids.group, name: 'Resolvido', category: 'positive', kinds: ['inbound'], actions: { closingMessage: TEXT } });
    expect(status.actions.closingMessage).toBe(TEXT);
    const ix = await sent('POST', '/interactions', { contactId: ids.contact, address: '11912345678', kind: 'inbound', channel: 'voice' });
    expect((await sent('POST', `/interactions/${ix.id}/finish`, { statusId: status.id, note: TEXT })).interaction.note).toBe(TEXT);
    expect((await sent('POST', `/contacts/${ids.contact}/in-person`, { serviceName: 'Loja', description: TEXT })).details.description).toBe(TEXT);
    // A name is one line: the break is refused at the field.
    const named = await api('PATCH', `/contacts/${ids.contact}`, { name: 'Maria\nSouza' });
    expect([named.statusCode, named.json().error.details.field]).toEqual([400, 'name']);
  });

  it("in telephony and routing: a queue's and a prompt's description, a text to speak", async () => {
    expect((await sent('PATCH', `/queues/${ids.queue}`, { description: TEXT })).description).toBe(TEXT);
    const prompt = await sent('POST', '/telephony/prompts', { name: 'Boas-vindas', description: TEXT, speech: { text: 'Olá.\nBem-vindo.' } });
    expect([prompt.description, prompt.speech.text]).toEqual([TEXT, 'Olá.\nBem-vindo.']);
    expect((await sent('PATCH', `/telephony/prompts/${prompt.id}`, { description: `${TEXT}\nMais uma.` })).description).toBe(`${TEXT}\nMais uma.`);
  });
});
