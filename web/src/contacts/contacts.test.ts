import { describe, expect, it } from 'vitest';
import { contactBody, contactModel, type Contact } from './contact-form';
import { callSummary, type HistoryItem } from './history';
import { mergeProgress, type ImportProgress } from './imports';
import { bulkBody, bulkOps, refusalsByRow, type BulkFieldSpec, type EditRow, type Model } from './resource-page';

const t = (key: string, values?: Record<string, unknown>) => `${key}${values ? JSON.stringify(values) : ''}`;

describe('contact screens', () => {
  it("an edited contact's phones go with the type and do-not-call mark set on them; a number typed over another is checked afresh; extra phones and e-mails are kept", () => {
    const before = {
      id: 1,
      name: 'Ana',
      phones: [
        { id: 1, number: '5511987654321', display: '+55 (11) 98765-4321', kind: 'mobile', label: 'mobile', valid: false, invalidReason: 'x', doNotCall: true },
        { id: 2, number: '551134567890', display: '+55 (11) 3456-7890', kind: 'landline', label: null, valid: true, invalidReason: null, doNotCall: false },
        { id: 3, number: '551133334444', display: '+55 (11) 3333-4444', kind: 'landline', label: null, valid: true, invalidReason: null, doNotCall: false },
      ],
      emails: ['a@example.com', 'b@example.com'],
      custom: { plano: 'Ouro' },
      ownerUserId: null,
      ownerUntil: null,
      tagIds: [],
      doNotCall: false,
      active: true,
    } as unknown as Contact;
    const loaded = () => contactModel({ ...before, document: null, company: null, street: null, streetNumber: null, complement: null, district: null, city: null, state: null, postalCode: null } as Contact);
    const model = loaded();
    expect(model.phones[0]).toEqual({ number: '+55 (11) 98765-4321', label: 'mobile', valid: false, doNotCall: true });
    model.phones[1]!.number = '(21) 99999-0000';
    Object.assign(model.phones[0]!, { label: 'work', doNotCall: false, valid: true });
    model.custom.plano = '';
    const body = contactBody(model, before);
    expect(body.phones).toEqual([
      { number: '5511987654321', label: 'work', valid: true, doNotCall: false },
      { number: '(21) 99999-0000', label: null, doNotCall: false },
      { number: '551133334444', label: null, valid: true, doNotCall: false },
    ]);
    const retyped = loaded();
    retyped.phones[0]!.number = '(11) 91234-5678';
    expect(contactBody(retyped, before).phones![0]).toEqual({ number: '(11) 91234-5678', label: 'mobile', doNotCall: true });
    expect(body.emails).toEqual(['a@example.com', 'b@example.com']);
    expect(body.custom).toEqual({ plano: null });
  });

  it('the address, the owner and until when, the tags and the flags go back as they were edited; no owner, no end date', () => {
    const before = {
      id: 1,
      name: 'Ana',
      phones: [],
      emails: [],
      custom: {},
      document: null,
      company: null,
      street: 'Rua das Flores',
      streetNumber: '100',
      complement: null,
      district: 'Centro',
      city: 'Florianópolis',
      state: 'SC',
      postalCode: '88010-000',
      ownerUserId: 7,
      ownerUntil: '2026-03-01T12:00:00.000Z',
      tagIds: [3],
      doNotCall: false,
      active: true,
    } as unknown as Contact;
    const model = contactModel(before);
    expect(model.ownerUntil?.toISOString()).toBe('2026-03-01T12:00:00.000Z');
    Object.assign(model, { complement: ' sala 2 ', state: 'sc', tagIds: [3, 4], doNotCall: true, active: false });
    expect(contactBody(model, before)).toMatchObject({
      street: 'Rua das Flores',
      streetNumber: '100',
      complement: 'sala 2',
      district: 'Centro',
      state: 'SC',
      postalCode: '88010-000',
      ownerUserId: 7,
      ownerUntil: '2026-03-01T12:00:00.000Z',
      tagIds: [3, 4],
      doNotCall: true,
      active: false,
    });
    model.ownerUserId = null;
    expect(contactBody(model, before)).toMatchObject({ ownerUserId: null, ownerUntil: null });
  });

  it('a call in the timeline says whether it was answered and for how long; the IVR path and a recording show', () => {
    const item = (call: HistoryItem['call'], media: Pick<HistoryItem, 'ivrPath' | 'recordings'> = { ivrPath: [], recordings: [] }) => ({ call, details: {}, ...media }) as HistoryItem;
    const leg = { direction: 'inbound', from: '1', to: '2', cause: null, hangupBy: null };
    expect(callSummary(item({ ...leg, answeredAt: '2026-01-01T10:00:00Z', endedAt: '2026-01-01T10:01:05Z' }), t, (s) => `${s}s`)).toBe('contacts.history.answered{"duration":"65s"}');
    const recording = { id: 1, startedAt: '2026-01-01T10:00:00Z', durationSeconds: 30, audioUrl: '/api/v1/recordings/1/audio' };
    expect(callSummary(item({ ...leg, answeredAt: null, endedAt: '2026-01-01T10:00:30Z' }, { ivrPath: ['Menu', 'Financeiro'], recordings: [recording] }), t, (s) => `${s}s`)).toBe(
      'contacts.history.unanswered · contacts.history.ivr{"path":"Menu › Financeiro"} · contacts.history.recorded',
    );
    expect(callSummary(item(null), t, (s) => `${s}s`)).toBe('');
  });

  it('import progress never moves back when events arrive late', () => {
    const at = (bytesRead: number, state: ImportProgress['state'] = 'running') => ({ id: 1, bytesRead, state, percent: bytesRead, rows: bytesRead }) as ImportProgress;
    expect(mergeProgress(at(50), at(80)).rows).toBe(80);
    expect(mergeProgress(at(80), at(50)).rows).toBe(80);
    expect(mergeProgress(at(100, 'done'), at(90)).state).toBe('done');
    expect(mergeProgress(at(90), at(100, 'done')).state).toBe('done');
  });
});

describe('lists edited in place', () => {
  const fields: BulkFieldSpec[] = [
    { key: 'prefix', label: 'p', kind: 'text', required: true },
    { key: 'text', label: 't', kind: 'textarea', required: true },
    { key: 'active', label: 'a', kind: 'bool' },
  ];
  const row = (id: number | null, original: Model | null, model: Model, removed = false): EditRow => ({ key: `k${id}`, id, original, model, removed, errors: {} });

  it('sends only what changed: new rows, the changed fields of edited rows, the rows marked for deletion', () => {
    const untouched = row(1, { prefix: 'a', text: 'A', active: true }, { prefix: 'a', text: 'A', active: true });
    const edited = row(2, { prefix: 'b', text: 'B', active: true }, { prefix: 'b', text: 'Bê', active: false });
    const gone = row(3, { prefix: 'c', text: 'C', active: true }, { prefix: 'c', text: 'changed, then deleted', active: true }, true);
    const added = row(null, null, { prefix: 'd', text: 'D', active: true });
    const addedThenDropped = row(null, null, { prefix: 'e', text: 'E', active: true }, true);
    const plan = bulkOps([untouched, edited, gone, added, addedThenDropped], fields);
    expect(plan.create).toEqual([added]);
    expect(plan.update).toEqual([{ row: edited, id: 2, patch: { text: 'Bê', active: false } }]);
    expect(plan.remove).toEqual([{ row: gone, id: 3 }]);
  });

  it('a save sends every field of a new row and the changed fields of an edited one, as the API takes them', () => {
    const withService: BulkFieldSpec[] = [...fields, { key: 'serviceId', label: 's', kind: 'select' }];
    const body = bulkBody(
      {
        create: [
          { prefix: ' oi ', text: 'Olá ', active: true, serviceId: 7 },
          { prefix: 'tchau', text: 'Até', active: false, serviceId: null },
        ],
        update: [{ id: 2, patch: { text: ' Bê ', serviceId: null } }],
        remove: [3],
      },
      withService,
    );
    expect(body).toEqual({
      create: [
        { prefix: 'oi', text: 'Olá', active: true, serviceId: 7 },
        { prefix: 'tchau', text: 'Até', active: false, serviceId: null },
      ],
      update: [{ id: 2, patch: { text: 'Bê', serviceId: null } }],
      remove: [3],
    });
  });

  it("puts each of the server's refusals on the row and field it names, the request schema's too", () => {
    const edited = row(2, { prefix: 'b', text: 'B', active: true }, { prefix: 'b', text: 'x', active: true });
    const first = row(null, null, { prefix: 'bom dia', text: 'T', active: true });
    const second = row(null, null, { prefix: 'ok', text: '{{x}}', active: true });
    const plan = bulkOps([edited, first, second], fields);
    const items = {
      message: 'create 1: prefix …',
      details: {
        items: [
          { op: 'create', index: 0, field: 'prefix', message: 'prefix: "bom dia" may hold only letters' },
          { op: 'create', index: 1, field: 'text', message: 'text: unknown variable {{x}}' },
          { op: 'update', index: 0, field: 'serviceId', message: 'serviceId: there is no service 9' },
          { op: 'create', index: 7, field: 'prefix', message: 'no such row' },
        ],
      },
    };
    expect(refusalsByRow(items, plan, fields)).toEqual([
      { row: first, field: 'prefix', message: 'prefix: "bom dia" may hold only letters' },
      { row: second, field: 'text', message: 'text: unknown variable {{x}}' },
      { row: edited, field: 'row', message: 'serviceId: there is no service 9' },
    ]);
    const schema = { message: 'body.create.1.text must NOT have more than 4000 characters', details: { fields: [{ field: 'create.1.text', problem: 'must NOT have more than 4000 characters' }, { field: 'update.0.patch.prefix', problem: 'is required' }] } };
    expect(refusalsByRow(schema, plan, fields)).toEqual([
      { row: second, field: 'text', message: 'text must NOT have more than 4000 characters' },
      { row: edited, field: 'prefix', message: 'prefix is required' },
    ]);
  });
});
