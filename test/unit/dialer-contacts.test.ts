import { describe, expect, it } from 'vitest';
import { alwaysOpen, weeklyWindow } from '../../src/dialer/calling-window.logic.js';
import {
  DEFAULT_RETRY_DELAYS_MS,
  applyDisposition,
  dueAt,
  nextDialsOf,
  nextToDial,
  phoneToDial,
  recordAttempt,
  type DialStrategy,
  type ListContact,
  type ListPhone,
  type NextDial,
} from '../../src/dialer/contacts.logic.js';

const SP = 'America/Sao_Paulo';
const MIN = 60_000;
const HOUR = 60 * MIN;
// Monday 5 January 2026, 10:00 in São Paulo.
const NOW = Date.UTC(2026, 0, 5, 13, 0);

const strategy = (over: Partial<DialStrategy> = {}): DialStrategy => ({
  maxAttemptsPerPhone: 3,
  maxAttemptsPerContact: 5,
  maxAttemptsPerDay: 2,
  retryDelayMs: DEFAULT_RETRY_DELAYS_MS,
  phoneOrder: 'as_listed',
  window: alwaysOpen,
  timeZone: SP,
  ...over,
});

const phone = (number: string, over: Partial<ListPhone> = {}): ListPhone => ({ number, kind: 'landline', invalid: false, attempts: 0, ...over });

const contact = (id: string, position: number, over: Partial<ListContact> = {}): ListContact => ({
  id,
  position,
  timeZone: null,
  phones: [phone(`5548300000${position}`)],
  attemptTimes: [],
  doNotCall: false,
  finished: false,
  retryAt: null,
  callbackAt: null,
  callbackAgentId: null,
  inFlight: false,
  ...over,
});

const none = () => false;
const pick = (d: NextDial) => (d.kind === 'dial' ? d.contactId : d.kind);

describe('next contact to dial', () => {
  it.each<[string, ListContact[], string]>([
    ['list order for new contacts', [contact('b', 2), contact('a', 1)], 'a'],
    ['a due callback before everything', [contact('a', 1), contact('cb', 9, { callbackAt: NOW - MIN })], 'cb'],
    ['a callback not yet due waits', [contact('a', 1), contact('cb', 9, { callbackAt: NOW + HOUR })], 'a'],
    [
      'due retries before new contacts, longest waiting first',
      [contact('new', 1), contact('r2', 5, { retryAt: NOW - MIN, attemptTimes: [NOW - 3 * HOUR] }), contact('r1', 6, { retryAt: NOW - HOUR, attemptTimes: [NOW - 4 * HOUR] })],
      'r1',
    ],
    ['a retry not yet due waits', [contact('new', 2), contact('r', 1, { retryAt: NOW + MIN, attemptTimes: [NOW - HOUR] })], 'new'],
    ['do-not-call is never dialled', [contact('dnc', 1, { doNotCall: true }), contact('a', 2)], 'a'],
    ['finished contacts are skipped', [contact('done', 1, { finished: true }), contact('a', 2)], 'a'],
    ['a contact being dialled is not dialled twice', [contact('busy', 1, { inFlight: true }), contact('a', 2)], 'a'],
    ['all phones invalid: skipped', [contact('x', 1, { phones: [phone('1', { invalid: true })] }), contact('a', 2)], 'a'],
    ['attempts per contact used up', [contact('x', 1, { attemptTimes: [1, 2, 3, 4, 5] }), contact('a', 2)], 'a'],
    ['daily limit reached today', [contact('x', 1, { attemptTimes: [NOW - 2 * HOUR, NOW - HOUR] }), contact('a', 2)], 'a'],
    ['daily limit counts only today (local)', [contact('x', 1, { attemptTimes: [NOW - 24 * HOUR, NOW - 25 * HOUR] }), contact('a', 2)], 'x'],
    ['nothing left at all', [contact('dnc', 1, { doNotCall: true }), contact('done', 2, { finished: true })], 'exhausted'],
  ])('%s', (_name, list, want) => {
    expect(pick(nextToDial(list, strategy(), NOW, none))).toBe(want);
  });

  it('the outbound blacklist is checked at dial time', () => {
    const list = [contact('x', 1, { phones: [phone('111'), phone('222')] })];
    const d = nextToDial(list, strategy(), NOW, (n) => n === '111');
    expect(d).toEqual({ kind: 'dial', contactId: 'x', phone: '222', callbackAgentId: null });
    expect(nextToDial(list, strategy(), NOW, () => true)).toEqual({ kind: 'exhausted' });
  });

  it('nothing due now: wait until the first retry or callback', () => {
    const list = [contact('r', 1, { retryAt: NOW + 10 * MIN, attemptTimes: [NOW - HOUR] }), contact('c', 2, { callbackAt: NOW + 5 * MIN })];
    expect(nextToDial(list, strategy(), NOW, none)).toEqual({ kind: 'wait', until: NOW + 5 * MIN });
  });

  it('only calls in flight left: wait with no time', () => {
    expect(nextToDial([contact('a', 1, { inFlight: true })], strategy(), NOW, none)).toEqual({ kind: 'wait', until: null });
  });

  it('calling windows in the contact’s own zone', () => {
    const window = weeklyWindow([{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }]);
    // 10:00 in São Paulo is 08:00 in Rio Branco (UTC−5): that contact waits until 09:00 its time.
    const list = [contact('acre', 1, { timeZone: 'America/Rio_Branco' })];
    expect(nextToDial(list, strategy({ window }), NOW, none)).toEqual({ kind: 'wait', until: NOW + HOUR });
    expect(pick(nextToDial([...list, contact('sp', 2)], strategy({ window }), NOW, none))).toBe('sp');
  });

  it('the daily limit moves the next attempt to the next local day’s opening', () => {
    const window = weeklyWindow([{ days: [1, 2, 3, 4, 5], from: '09:00', to: '18:00' }]);
    const c = contact('x', 1, { attemptTimes: [NOW - 2 * HOUR, NOW - HOUR] });
    // Tuesday 09:00 in São Paulo.
    expect(dueAt(c, strategy({ window }), NOW)).toBe(Date.UTC(2026, 0, 6, 12, 0));
  });
});

describe('phone order', () => {
  const c = contact('x', 1, { phones: [phone('land', { kind: 'landline' }), phone('cell', { kind: 'mobile' })] });
  it.each<[DialStrategy['phoneOrder'], string]>([
    ['as_listed', 'land'],
    ['mobile_first', 'cell'],
    ['landline_first', 'land'],
  ])('%s → %s', (order, want) => {
    expect(phoneToDial(c, strategy({ phoneOrder: order }), none)?.number).toBe(want);
  });
  it('the phone tried least goes next, so a contact’s phones take turns', () => {
    const tried = contact('x', 1, { phones: [phone('a', { attempts: 1 }), phone('b')] });
    expect(phoneToDial(tried, strategy(), none)?.number).toBe('b');
  });
  it('a phone at its attempt limit is not tried again', () => {
    const spent = contact('x', 1, { phones: [phone('a', { attempts: 3 })] });
    expect(phoneToDial(spent, strategy(), none)).toBeNull();
  });
});

describe('attempts and dispositions', () => {
  it.each<[Parameters<typeof recordAttempt>[2], number | null, boolean]>([
    ['busy', NOW + 15 * MIN, false],
    ['no_answer', NOW + 2 * HOUR, false],
    ['failed', NOW + 30 * MIN, false],
    ['machine', NOW + 4 * HOUR, false],
    ['dropped', NOW + 72 * HOUR, false],
    ['connected', null, true],
  ])('after %s: retry at %s, finished %s', (outcome, retryAt, finished) => {
    const c = recordAttempt(contact('x', 1, { inFlight: true, phones: [phone('554830000001')] }), '554830000001', outcome, NOW, strategy());
    expect(c).toMatchObject({ retryAt, finished, inFlight: false, attemptTimes: [NOW] });
    expect(c.phones[0]?.attempts).toBe(1);
  });

  it.each<[string, Parameters<typeof applyDisposition>[1], Partial<ListContact>]>([
    ['redial later', { kind: 'redial', afterMs: HOUR }, { finished: false, retryAt: NOW + HOUR }],
    ['callback to the same agent', { kind: 'callback', at: NOW + 3 * HOUR, agentId: 'ana' }, { callbackAt: NOW + 3 * HOUR, callbackAgentId: 'ana', finished: false }],
    ['do not call', { kind: 'do_not_call' }, { doNotCall: true }],
    ['finish', { kind: 'finish' }, { finished: true, retryAt: null }],
  ])('disposition: %s', (_name, action, want) => {
    const after = applyDisposition(contact('x', 1, { finished: true }), action, NOW);
    expect(after).toMatchObject(want);
  });

  it('marking a phone invalid stops it being dialled; the others remain', () => {
    const c = contact('x', 1, { phones: [phone('a'), phone('b')] });
    const after = applyDisposition(c, { kind: 'phone_invalid', phone: 'a' }, NOW);
    expect(after.phones.map((p) => p.invalid)).toEqual([true, false]);
    expect(phoneToDial(after, strategy(), none)?.number).toBe('b');
  });

  it('a scheduled callback goes ahead even when the attempts are used up, and goes to its agent', () => {
    const c = contact('x', 1, { attemptTimes: [1, 2, 3, 4, 5], callbackAt: NOW - MIN, callbackAgentId: 'ana', phones: [phone('a', { attempts: 3 })] });
    expect(nextToDial([c], strategy(), NOW, none)).toEqual({ kind: 'dial', contactId: 'x', phone: 'a', callbackAgentId: 'ana' });
  });
});

describe('nextDialsOf: the dials of one step from one pass over the list', () => {
  const list = () => [
    contact('new2', 9),
    contact('cb', 8, { callbackAt: NOW - MIN, attemptTimes: [NOW - 5 * HOUR] }),
    contact('new1', 3),
    contact('r2', 5, { retryAt: NOW - MIN, attemptTimes: [NOW - 3 * HOUR] }),
    contact('dnc', 1, { doNotCall: true }),
    contact('r1', 6, { retryAt: NOW - HOUR, attemptTimes: [NOW - 4 * HOUR] }),
    contact('later', 2, { retryAt: NOW + MIN, attemptTimes: [NOW - HOUR] }),
    contact('flying', 4, { inFlight: true }),
  ];

  it('gives the contacts in the order nextToDial gives them one after the other', () => {
    const one: string[] = [];
    const l = list();
    for (;;) {
      const d = nextToDial(l, strategy(), NOW, none);
      if (d.kind !== 'dial') break;
      one.push(d.contactId);
      l.find((c) => c.id === d.contactId)!.inFlight = true;
    }
    expect(one).toEqual(['cb', 'r1', 'r2', 'new1', 'new2']);
    expect(nextDialsOf(list(), strategy(), NOW, none, 10)).toEqual({ dials: one.map((id) => expect.objectContaining({ contactId: id })), exhausted: false });
    expect(nextDialsOf(list(), strategy(), NOW, none, 2).dials.map((d) => d.contactId)).toEqual(['cb', 'r1']);
  });

  it('says exhausted only when nothing can ever be dialled again', () => {
    expect(nextDialsOf([contact('dnc', 1, { doNotCall: true })], strategy(), NOW, none, 5)).toEqual({ dials: [], exhausted: true });
    expect(nextDialsOf([contact('later', 1, { retryAt: NOW + MIN, attemptTimes: [NOW - HOUR] })], strategy(), NOW, none, 5)).toEqual({ dials: [], exhausted: false });
  });
});
