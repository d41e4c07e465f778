import { describe, expect, it } from 'vitest';
import { alwaysOpen } from '../../src/dialer/calling-window.logic.js';
import {
  checkDial,
  isShortCall,
  legalHours,
  shortCallLevel,
  shortCallsByDay,
  timeZoneOfPhone,
  type DialFacts,
  type DialPolicy,
} from '../../src/dialer/compliance.logic.js';
import { applyDisposition, type ListContact } from '../../src/dialer/contacts.logic.js';
import { dispositionActions, type DispositionContext, type Tabulated } from '../../src/dialer/disposition.logic.js';

// Monday 5 January 2026, 13:00 UTC = 10:00 in São Paulo, 08:00 in Acre.
const MONDAY_10_SP = Date.UTC(2026, 0, 5, 13, 0);
const SP_MOBILE = '5511987654321';
const ACRE_MOBILE = '5568999887766';

const facts = (over: Partial<DialFacts> = {}): DialFacts => ({
  number: SP_MOBILE,
  phoneValid: true,
  phoneDoNotCall: false,
  contactDoNotCall: false,
  blacklisted: false,
  ...over,
});
const policy = (over: Partial<DialPolicy> = {}): DialPolicy => ({ window: legalHours, prefix0303: false, callerId: null, ...over });

describe('time zone by area code', () => {
  it.each([
    ['5511987654321', 'America/Sao_Paulo'],
    ['5568999887766', 'America/Rio_Branco'],
    ['5565999887766', 'America/Cuiaba'],
    ['5592999887766', 'America/Manaus'],
    ['558532221111', 'America/Fortaleza'],
    ['5548999887766', 'America/Sao_Paulo'],
    ['not a number', 'America/Sao_Paulo'],
  ])('%s is in %s', (number, zone) => expect(timeZoneOfPhone(number)).toBe(zone));
});

describe('checks at dial time', () => {
  it('dials a clean number inside the hours and says in which zone it judged them', () => {
    expect(checkDial(facts(), policy(), MONDAY_10_SP)).toEqual({ ok: true, number: SP_MOBILE, callerId: null, timeZone: 'America/Sao_Paulo' });
  });

  it.each([
    [{ blacklisted: true }, 'blacklisted'],
    [{ contactDoNotCall: true }, 'do_not_call'],
    [{ phoneDoNotCall: true }, 'phone_do_not_call'],
    [{ phoneValid: false }, 'invalid_phone'],
    [{ blacklisted: true, contactDoNotCall: true, phoneValid: false }, 'blacklisted'],
  ] as const)('never dials %o: %s', (over, reason) => {
    expect(checkDial(facts(over), policy({ window: alwaysOpen }), MONDAY_10_SP)).toEqual({ ok: false, reason, retryAt: null });
  });

  it("judges the hours in the contact's own zone: 10:00 in São Paulo is 08:00 in Acre, before 09:00", () => {
    const verdict = checkDial(facts({ number: ACRE_MOBILE }), policy(), MONDAY_10_SP);
    // The window opens at 09:00 in Rio Branco = 14:00 UTC.
    expect(verdict).toEqual({ ok: false, reason: 'outside_window', retryAt: Date.UTC(2026, 0, 5, 14, 0) });
    expect(checkDial(facts({ number: ACRE_MOBILE }), policy(), Date.UTC(2026, 0, 5, 14, 0)).ok).toBe(true);
  });

  it('keeps to the legal hours by default: not on a Sunday, Saturday only 10:00–16:00', () => {
    const sunday = Date.UTC(2026, 0, 4, 15, 0);
    const verdict = checkDial(facts(), policy(), sunday);
    expect(verdict).toEqual({ ok: false, reason: 'outside_window', retryAt: Date.UTC(2026, 0, 5, 12, 0) });
    expect(checkDial(facts(), policy(), Date.UTC(2026, 0, 3, 18, 59)).ok).toBe(true);
    expect(checkDial(facts(), policy(), Date.UTC(2026, 0, 3, 19, 0)).ok).toBe(false);
  });

  it('with the 0303 prefix on, dials only when the caller id is a 0303 number', () => {
    expect(checkDial(facts(), policy({ prefix0303: true, callerId: '1133334444' }), MONDAY_10_SP)).toEqual({ ok: false, reason: 'no_0303_caller_id', retryAt: null });
    expect(checkDial(facts(), policy({ prefix0303: true, callerId: '03031234567' }), MONDAY_10_SP)).toMatchObject({ ok: true, callerId: '03031234567' });
  });
});

describe('short calls (Anatel)', () => {
  const t0 = MONDAY_10_SP;
  it('counts calls never completed and calls up to 6 s after the answer', () => {
    expect(isShortCall({ startedAt: t0, answeredAt: null, endedAt: t0 + 30_000 })).toBe(true);
    expect(isShortCall({ startedAt: t0, answeredAt: t0 + 10_000, endedAt: t0 + 16_000 })).toBe(true);
    expect(isShortCall({ startedAt: t0, answeredAt: t0 + 10_000, endedAt: t0 + 16_001 })).toBe(false);
  });

  it('warns from 80 % and flags the 85 % limit', () => {
    expect(shortCallLevel(0, 0)).toEqual({ share: 0, level: 'ok' });
    expect(shortCallLevel(100, 79).level).toBe('ok');
    expect(shortCallLevel(100, 80).level).toBe('warning');
    expect(shortCallLevel(100, 85).level).toBe('limit');
  });

  it("counts per local day in the tenant's zone (a call at 23:30 in São Paulo belongs to that day)", () => {
    const lateMonday = Date.UTC(2026, 0, 6, 2, 30);
    const tuesday = Date.UTC(2026, 0, 6, 13, 0);
    const days = shortCallsByDay(
      [
        { startedAt: lateMonday, answeredAt: null, endedAt: lateMonday + 20_000 },
        { startedAt: t0, answeredAt: t0 + 5_000, endedAt: t0 + 100_000 },
        { startedAt: tuesday, answeredAt: tuesday + 5_000, endedAt: tuesday + 8_000 },
      ],
      'America/Sao_Paulo',
    );
    expect(days).toEqual([
      { date: '2026-01-05', calls: 2, short: 1, share: 0.5, level: 'ok' },
      { date: '2026-01-06', calls: 1, short: 1, share: 1, level: 'limit' },
    ]);
  });
});

describe('dispositions on the list', () => {
  const base: ListContact = {
    id: '7',
    position: 1,
    timeZone: null,
    phones: [
      { number: SP_MOBILE, kind: 'mobile', invalid: false, attempts: 1 },
      { number: '551133334444', kind: 'landline', invalid: false, attempts: 0 },
    ],
    attemptTimes: [MONDAY_10_SP],
    doNotCall: false,
    finished: true,
    retryAt: null,
    callbackAt: null,
    callbackAgentId: null,
    inFlight: false,
  };
  const status = (over: Partial<Tabulated> = {}): Tabulated => ({ schedulesCallback: false, setsOwner: false, ...over });
  const ctx: DispositionContext = { phone: SP_MOBILE, agentId: '42', ownerId: null, callbackAt: null };
  const apply = (t: Tabulated, c = ctx) => dispositionActions(t, c).reduce((x, a) => applyDisposition(x, a, MONDAY_10_SP), base);

  it('a plain status finishes the contact', () => {
    expect(dispositionActions(status(), ctx)).toEqual([{ kind: 'finish' }]);
    expect(apply(status()).finished).toBe(true);
  });

  it('redial brings the contact back after the delay', () => {
    const after = apply(status({ redialAfterMinutes: 30 }));
    expect(after).toMatchObject({ finished: false, retryAt: MONDAY_10_SP + 30 * 60_000 });
  });

  it('a callback goes to the same agent only when the contact is theirs', () => {
    const at = MONDAY_10_SP + 86_400_000;
    expect(apply(status({ schedulesCallback: true }), { ...ctx, callbackAt: at })).toMatchObject({ finished: false, callbackAt: at, callbackAgentId: null });
    expect(apply(status({ schedulesCallback: true }), { ...ctx, ownerId: '42', callbackAt: at })).toMatchObject({ callbackAgentId: '42' });
    expect(apply(status({ schedulesCallback: true, setsOwner: true }), { ...ctx, callbackAt: at })).toMatchObject({ callbackAgentId: '42' });
  });

  it('a wrong number is never dialled again, but the contact stays for its other phone', () => {
    const after = apply(status({ markPhoneInvalid: true }));
    expect(after.phones.map((p) => p.invalid)).toEqual([true, false]);
    expect(after).toMatchObject({ finished: false, retryAt: MONDAY_10_SP });
  });

  it('do-not-call wins over a redial and a callback', () => {
    const after = apply(status({ markContactDoNotCall: true, redialAfterMinutes: 10, schedulesCallback: true }), { ...ctx, callbackAt: MONDAY_10_SP + 1 });
    expect(after).toMatchObject({ doNotCall: true, finished: true, callbackAt: null });
  });
});
