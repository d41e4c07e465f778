import { describe, expect, it } from 'vitest';
import { alwaysOpen, isValidTimeZone, localDate, weeklyWindow, zonedTime } from '../../src/dialer/calling-window.logic.js';

const SP = 'America/Sao_Paulo';
const weekdays = [1, 2, 3, 4, 5];
// Monday 5 January 2026, 12:00 UTC = 09:00 in São Paulo (UTC−3, no daylight saving).
const MON_0900_SP = Date.UTC(2026, 0, 5, 12, 0);
const at = (day: number, hh: number, mm = 0, utcOffset = -3) => Date.UTC(2026, 0, day, hh - utcOffset, mm);

describe('weekdays and hours in the contact’s zone', () => {
  const business = weeklyWindow([
    { days: weekdays, from: '09:00', to: '20:00' },
    { days: [6], from: '10:00', to: '14:00' },
  ]);

  it.each<[string, number, string, boolean]>([
    ['Monday 09:00 São Paulo: opens', MON_0900_SP, SP, true],
    ['Monday 08:59 São Paulo: not yet', MON_0900_SP - 60_000, SP, false],
    ['Monday 20:00 São Paulo: closed (end is exclusive)', at(5, 20), SP, false],
    ['Saturday 11:00: the Saturday period', at(10, 11), SP, true],
    ['Saturday 15:00: closed', at(10, 15), SP, false],
    ['Sunday noon: closed', at(11, 12), SP, false],
    // Same instant, a contact in Manaus (UTC−4): 08:00 there.
    ['09:00 in São Paulo is 08:00 in Manaus: closed there', MON_0900_SP, 'America/Manaus', false],
    ['Monday 09:30 in Lisbon (UTC+0 in January)', Date.UTC(2026, 0, 5, 9, 30), 'Europe/Lisbon', true],
  ])('%s', (_name, instant, tz, open) => {
    expect(business.isOpen(instant, tz)).toBe(open);
  });

  it.each<[string, number, number]>([
    ['open now: now', MON_0900_SP + 3_600_000, MON_0900_SP + 3_600_000],
    ['early morning: 09:00 the same day', at(5, 7), at(5, 9)],
    ['Friday night: Saturday 10:00', at(9, 21), at(10, 10)],
    ['Saturday afternoon: Monday 09:00', at(10, 15), at(12, 9)],
  ])('next opening — %s', (_name, from, want) => {
    expect(business.nextOpen(from, SP)).toBe(want);
  });

  it('a period that runs past midnight', () => {
    const night = weeklyWindow([{ days: [5], from: '22:00', to: '02:00' }]);
    expect(night.isOpen(at(9, 23), SP)).toBe(true);
    expect(night.isOpen(at(10, 1, 30), SP)).toBe(true);
    expect(night.isOpen(at(10, 2), SP)).toBe(false);
  });

  it('no periods: never open, and no next opening', () => {
    const never = weeklyWindow([]);
    expect(never.isOpen(MON_0900_SP, SP)).toBe(false);
    expect(never.nextOpen(MON_0900_SP, SP)).toBeNull();
  });

  it('always open', () => {
    expect(alwaysOpen.isOpen(0, SP)).toBe(true);
    expect(alwaysOpen.nextOpen(123, SP)).toBe(123);
  });

  it('rejects a malformed hour', () => {
    expect(() => weeklyWindow([{ days: weekdays, from: '9h', to: '18:00' }])).toThrow(/HH:MM/);
  });
});

describe('local time helpers', () => {
  it('local date in the contact’s zone', () => {
    // 01:30 UTC on the 6th is still the 5th in São Paulo.
    expect(localDate(Date.UTC(2026, 0, 6, 1, 30), SP)).toBe('2026-01-05');
    expect(localDate(Date.UTC(2026, 0, 6, 1, 30), 'Europe/Lisbon')).toBe('2026-01-06');
  });
  it('wall-clock time to instant, across a daylight-saving change (New York, 8 March 2026)', () => {
    expect(zonedTime(2026, 3, 7, 9 * 60, 'America/New_York')).toBe(Date.UTC(2026, 2, 7, 14, 0));
    expect(zonedTime(2026, 3, 9, 9 * 60, 'America/New_York')).toBe(Date.UTC(2026, 2, 9, 13, 0));
  });
  it('knows valid zones', () => {
    expect(isValidTimeZone(SP)).toBe(true);
    expect(isValidTimeZone('Mars/Olympus')).toBe(false);
  });
});
