import { describe, expect, it } from 'vitest';
import { contactBody, contactModel, type Contact } from './contact-form';
import { callSummary, type HistoryItem } from './history';
import { mergeProgress, type ImportProgress } from './imports';

const t = (key: string, values?: Record<string, unknown>) => `${key}${values ? JSON.stringify(values) : ''}`;

describe('contact screens', () => {
  it('an edited contact keeps the marks of the phones it still has, and its extra phones and e-mails', () => {
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
    } as unknown as Contact;
    const model = contactModel({ ...before, document: null, company: null, city: null, state: null } as Contact);
    model.phones[1] = '(21) 99999-0000';
    model.custom.plano = '';
    const body = contactBody(model, before);
    expect(body.phones).toEqual([
      { number: '5511987654321', label: 'mobile', valid: false, doNotCall: true },
      { number: '(21) 99999-0000' },
      { number: '551133334444', label: null, valid: true, doNotCall: false },
    ]);
    expect(body.emails).toEqual(['a@example.com', 'b@example.com']);
    expect(body.custom).toEqual({ plano: null });
  });

  it('a call in the timeline says whether it was answered and for how long; the IVR path and a recording show', () => {
    const item = (call: HistoryItem['call'], details: Record<string, unknown> = {}) => ({ call, details }) as HistoryItem;
    const leg = { direction: 'inbound', from: '1', to: '2', cause: null, hangupBy: null };
    expect(callSummary(item({ ...leg, answeredAt: '2026-01-01T10:00:00Z', endedAt: '2026-01-01T10:01:05Z' }), t, (s) => `${s}s`)).toBe('contacts.history.answered{"duration":"65s"}');
    expect(callSummary(item({ ...leg, answeredAt: null, endedAt: '2026-01-01T10:00:30Z' }, { ivrPath: ['Menu', '2'], recording: 'r.wav' }), t, (s) => `${s}s`)).toBe(
      'contacts.history.unanswered · contacts.history.ivr{"path":"Menu › 2"} · contacts.history.recorded',
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
