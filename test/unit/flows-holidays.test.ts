import { describe, expect, it } from 'vitest';
import {
  easterSunday,
  holidayCatalog,
  holidayCities,
  holidayDays,
  holidayStates,
  isKnownRegion,
  ownDate,
  ownRuleProblem,
  type HolidayCalendarRules,
} from '../../src/flows/index.js';

const byName = (days: { date: string; name: string }[], name: string) => days.filter((d) => d.name === name).map((d) => d.date);

describe('the holiday catalogue (date-holidays)', () => {
  it('has the national holidays, the moveable ones computed from Easter', () => {
    const y2026 = holidayCatalog({}, 2026);
    expect(byName(y2026, 'Sexta-Feira Santa')).toEqual(['2026-04-03']);
    expect(byName(y2026, 'Dia de Tiradentes')).toEqual(['2026-04-21']);
    expect(y2026.find((h) => h.date === '2026-02-17')).toMatchObject({ name: 'Carnaval', rule: 'easter -47', scope: 'national' });
    expect(y2026.find((h) => h.date === '2026-06-04')).toMatchObject({ rule: 'easter 60' });
    // Easter 2027 is 28 March: Good Friday 26 March, Carnival Tuesday 9 February.
    const y2027 = holidayCatalog({}, 2027);
    expect(byName(y2027, 'Sexta-Feira Santa')).toEqual(['2027-03-26']);
    expect(y2027.filter((h) => h.rule === 'easter -47').map((h) => h.date)).toEqual(['2027-02-09']);
  });

  it('adds state and municipal days, saying where each comes from', () => {
    const sp = holidayCatalog({ state: 'SP' }, 2026);
    expect(sp.find((h) => h.date === '2026-07-09')).toMatchObject({ scope: 'state' });
    expect(sp.find((h) => h.date === '2026-01-25')).toBeUndefined();
    const spCity = holidayCatalog({ state: 'SP', city: 'SP' }, 2026);
    expect(spCity.find((h) => h.date === '2026-01-25')).toMatchObject({ scope: 'city' });
    expect(spCity.find((h) => h.date === '2026-12-25')).toMatchObject({ scope: 'national' });
  });

  it('lists the states and the cities it knows', () => {
    expect(Object.keys(holidayStates())).toHaveLength(27);
    expect(holidayCities('RJ')).toHaveProperty('RJ');
    expect(isKnownRegion({ state: 'SP', city: 'SP' })).toBe(true);
    expect(isKnownRegion({ state: 'SP', city: 'XX' })).toBe(false);
    expect(isKnownRegion({ state: 'ZZ' })).toBe(false);
    expect(isKnownRegion({ city: 'SP' })).toBe(false);
    expect(isKnownRegion({})).toBe(true);
  });
});

describe("a tenant's calendar", () => {
  const base: HolidayCalendarRules = { state: 'SP', city: 'SP', types: ['public'], excluded: [], own: [] };

  it('observes the library days of the chosen types, one entry per date, sorted', () => {
    const days = holidayDays(base, 2026);
    expect(days.map((d) => d.date)).toContain('2026-01-25');
    expect(days.map((d) => d.date)).not.toContain('2026-02-16'); // Carnival Monday is a bank day, not chosen
    expect(new Set(days.map((d) => d.date)).size).toBe(days.length);
    expect([...days.map((d) => d.date)].sort()).toEqual(days.map((d) => d.date));
    expect(days.every((d) => d.source === 'holiday' && d.openHours.length === 0)).toBe(true);
  });

  it('can add bank days (Carnival) and leave out a day it works', () => {
    const days = holidayDays({ ...base, types: ['public', 'bank'], excluded: ['07-09'] }, 2026);
    expect(byName(days, 'Carnaval')).toEqual(['2026-02-16', '2026-02-17']);
    expect(days.map((d) => d.date)).not.toContain('2026-07-09');
  });

  it('adds its own days: yearly, once, relative to Easter, with open hours', () => {
    const days = holidayDays(
      {
        ...base,
        own: [
          { name: 'Aniversário da empresa', rule: '03-19' },
          { name: 'Inventário', rule: '2026-08-14' },
          { name: 'Quarta de cinzas', rule: 'easter -46', openHours: [{ start: '12:00', end: '18:00' }] },
        ],
      },
      2027,
    );
    expect(byName(days, 'Aniversário da empresa')).toEqual(['2027-03-19']);
    expect(byName(days, 'Inventário')).toEqual([]);
    expect(days.find((d) => d.name === 'Quarta de cinzas')).toEqual({
      date: '2027-02-10',
      name: 'Quarta de cinzas',
      source: 'holiday',
      openHours: [{ start: '12:00', end: '18:00' }],
    });
  });

  it('an own day on the date of a library day replaces it (Christmas Eve half day)', () => {
    const days = holidayDays({ ...base, types: ['public', 'optional'], own: [{ name: 'Véspera', rule: '12-24', openHours: [{ start: '08:00', end: '12:00' }] }] }, 2026);
    expect(days.filter((d) => d.date === '2026-12-24')).toEqual([
      { date: '2026-12-24', name: 'Véspera', source: 'holiday', openHours: [{ start: '08:00', end: '12:00' }] },
    ]);
  });

  it('a yearly 29 February happens only in leap years', () => {
    expect(ownDate('02-29', 2028)).toBe('2028-02-29');
    expect(ownDate('02-29', 2027)).toBeUndefined();
  });
});

describe('own day rules', () => {
  it.each([
    ['12-25', undefined],
    ['2026-08-14', undefined],
    ['02-29', undefined],
    ['easter -2', undefined],
    ['easter +60', undefined],
    ['02-30', /not a calendar date/],
    ['2027-02-29', /not a calendar date/],
    ['25/12', /MM-DD/],
    ['easter -200', /at most 120/],
    ['1st sunday in May', /MM-DD/],
  ])('%s', (rule, problem) => {
    const p = ownRuleProblem(rule);
    if (problem) expect(p).toMatch(problem);
    else expect(p).toBeUndefined();
  });

  it("Easter matches the library’s across a century", () => {
    for (let year = 2000; year < 2100; year += 7) {
      const [m, d] = easterSunday(year);
      const goodFriday = new Date(Date.UTC(year, m - 1, d - 2)).toISOString().slice(0, 10);
      expect(ownDate('easter -2', year)).toBe(goodFriday);
      expect(byName(holidayCatalog({}, year), 'Sexta-Feira Santa')).toEqual([goodFriday]);
    }
  });
});
