import { describe, expect, it } from 'vitest';
import { localize } from '../../src/http/messages/index.js';
import {
  destinationOf,
  evaluate,
  isCalendarDate,
  isTimeZone,
  localTime,
  openHoursProblem,
  periodsProblem,
  type Period,
  type TimeConditionRules,
} from '../../src/flows/index.js';

/** An instant given as São Paulo wall-clock time (UTC−3 since 2019). */
const sp = (date: string, time: string): number => Date.parse(`${date}T${time}:00-03:00`);

const MON_FRI = [1, 2, 3, 4, 5] as Period['weekdays'];
const office: Period = { weekdays: MON_FRI, start: '08:00', end: '18:00' };
const saturdayMorning: Period = { weekdays: [6], start: '08:00', end: '12:00' };
/** A night shift: Friday 22:00 to Saturday 06:00. */
const fridayNight: Period = { weekdays: [5], start: '22:00', end: '06:00', crossesMidnight: true };

const rules = (periods: Period[], over: Partial<TimeConditionRules> = {}): TimeConditionRules => ({
  timeZone: 'America/Sao_Paulo',
  periods,
  exceptions: [],
  ...over,
});

describe('evaluate: periods in São Paulo', () => {
  // 2026-01-05 is a Monday; 2026-01-09 a Friday; 2026-01-10 a Saturday.
  const cases: [string, Period[], number, 'open' | 'closed', string][] = [
    ['Monday 08:00 opens (start inclusive)', [office], sp('2026-01-05', '08:00'), 'open', 'period 0'],
    ['Monday 07:59 is before opening', [office], sp('2026-01-05', '07:59'), 'closed', 'no_period'],
    ['Monday 17:59 is still open', [office], sp('2026-01-05', '17:59'), 'open', 'period 0'],
    ['Monday 18:00 has closed (end exclusive)', [office], sp('2026-01-05', '18:00'), 'closed', 'no_period'],
    ['Saturday is not a weekday of the office', [office], sp('2026-01-10', '10:00'), 'closed', 'no_period'],
    ['the second period says which rule opened', [office, saturdayMorning], sp('2026-01-10', '10:00'), 'open', 'period 1'],
    ['Friday 23:30 is inside the night shift', [fridayNight], sp('2026-01-09', '23:30'), 'open', 'period 0'],
    ['Saturday 00:00 is still the Friday night shift', [fridayNight], sp('2026-01-10', '00:00'), 'open', 'period 0'],
    ['Saturday 05:59 is still the Friday night shift', [fridayNight], sp('2026-01-10', '05:59'), 'open', 'period 0'],
    ['Saturday 06:00 the night shift is over', [fridayNight], sp('2026-01-10', '06:00'), 'closed', 'no_period'],
    ['Saturday 23:00: the shift starts only on Fridays', [fridayNight], sp('2026-01-10', '23:00'), 'closed', 'no_period'],
    ['Friday 03:00 belongs to Thursday night, not selected', [fridayNight], sp('2026-01-09', '03:00'), 'closed', 'no_period'],
    ['a period with no day selectors is every day', [{ start: '00:00', end: '24:00' }], sp('2026-01-11', '23:59'), 'open', 'period 0'],
  ];
  it.each(cases)('%s', (_name, periods, instant, state, rule) => {
    const d = evaluate(rules(periods), instant);
    expect(d.state).toBe(state);
    expect(d.rule.kind === 'period' ? `period ${d.rule.index}` : d.rule.kind).toBe(rule);
  });
});

describe('evaluate: days of month and months', () => {
  const leapDay: Period = { monthDays: [29], months: [2], start: '00:00', end: '24:00' };
  const cases: [string, Period, number, 'open' | 'closed'][] = [
    ['29 February 2028 exists and matches', leapDay, sp('2028-02-29', '12:00'), 'open'],
    ['1 March 2027 (no 29 February that year) does not', leapDay, sp('2027-03-01', '12:00'), 'closed'],
    ['28 February 2027 does not', leapDay, sp('2027-02-28', '12:00'), 'closed'],
    ['day 1 of any month, 09:00–10:00', { monthDays: [1], start: '09:00', end: '10:00' }, sp('2026-07-01', '09:30'), 'open'],
    ['day 1 but in December only', { monthDays: [1], months: [12], start: '09:00', end: '10:00' }, sp('2026-07-01', '09:30'), 'closed'],
    [
      'a crossing period on the last day of the month runs into the 1st',
      { monthDays: [31], start: '22:00', end: '02:00', crossesMidnight: true },
      sp('2026-02-01', '01:00'),
      'open',
    ],
    [
      'a crossing period on 31 December runs into the new year',
      { monthDays: [31], months: [12], start: '20:00', end: '04:00', crossesMidnight: true },
      sp('2027-01-01', '03:59'),
      'open',
    ],
    [
      'a crossing period of 29 February runs into 1 March',
      { monthDays: [29], months: [2], start: '23:00', end: '01:00', crossesMidnight: true },
      sp('2028-03-01', '00:30'),
      'open',
    ],
  ];
  it.each(cases)('%s', (_name, period, instant, state) => {
    expect(evaluate(rules([period]), instant).state).toBe(state);
  });
});

describe('evaluate: time zones and daylight saving', () => {
  const weekdayMorning: Period = { weekdays: MON_FRI, start: '08:00', end: '18:00' };
  const cases: [string, string, string, 'open' | 'closed'][] = [
    // New York: DST began Sunday 2026-03-08. 12:30 UTC is 07:30 EST before, 08:30 EDT after.
    ['New York, Friday before DST, 12:30 UTC = 07:30 EST', 'America/New_York', '2026-03-06T12:30:00Z', 'closed'],
    ['New York, Monday after DST, 12:30 UTC = 08:30 EDT', 'America/New_York', '2026-03-09T12:30:00Z', 'open'],
    // New York: DST ended Sunday 2026-11-01. 22:30 UTC is 18:30 EDT before, 17:30 EST after.
    ['New York, Friday before the change back, 22:30 UTC = 18:30 EDT', 'America/New_York', '2026-10-30T22:30:00Z', 'closed'],
    ['New York, Monday after the change back, 22:30 UTC = 17:30 EST', 'America/New_York', '2026-11-02T22:30:00Z', 'open'],
    // São Paulo still had summer time in 2018 (from 4 November, UTC−2).
    ['São Paulo 2018, Friday before summer time, 10:30 UTC = 07:30', 'America/Sao_Paulo', '2018-11-02T10:30:00Z', 'closed'],
    ['São Paulo 2018, Monday in summer time, 10:30 UTC = 08:30', 'America/Sao_Paulo', '2018-11-05T10:30:00Z', 'open'],
    ['São Paulo 2026 (no summer time), 10:30 UTC = 07:30', 'America/Sao_Paulo', '2026-11-02T10:30:00Z', 'closed'],
    ['Manaus is an hour behind São Paulo: 11:30 UTC = 07:30', 'America/Manaus', '2026-11-03T11:30:00Z', 'closed'],
    ['Manaus 12:00 UTC = 08:00', 'America/Manaus', '2026-11-03T12:00:00Z', 'open'],
  ];
  it.each(cases)('%s', (_name, timeZone, iso, state) => {
    expect(evaluate({ timeZone, periods: [weekdayMorning], exceptions: [] }, Date.parse(iso)).state).toBe(state);
  });

  it('reads the wall clock of the zone, weekday included', () => {
    expect(localTime(Date.parse('2026-01-10T02:30:00Z'), 'America/Sao_Paulo')).toEqual({
      date: '2026-01-09',
      year: 2026,
      month: 1,
      day: 9,
      weekday: 5,
      minute: 23 * 60 + 30,
    });
    expect(localTime(Date.parse('2026-01-10T03:00:00Z'), 'America/Sao_Paulo').minute).toBe(0);
  });

  it('knows IANA zones and refuses made-up ones', () => {
    expect(isTimeZone('America/Sao_Paulo')).toBe(true);
    expect(isTimeZone('America/Noronha')).toBe(true);
    expect(isTimeZone('America/Sao_Paolo')).toBe(false);
    expect(isTimeZone('GMT-3')).toBe(false);
    expect(isTimeZone('')).toBe(false);
  });
});

describe('evaluate: exception days and holidays', () => {
  const christmasEve = { date: '2026-12-24', name: 'Véspera de Natal', source: 'holiday' as const, openHours: [{ start: '08:00', end: '12:00' }] };
  const carnival = { date: '2026-02-17', name: 'Carnaval', source: 'holiday' as const, openHours: [] };
  const inventory = { date: '2026-02-17', name: 'Inventário', source: 'exception' as const, openHours: [], destination: { kind: 'announcement' as const, id: 9 } };

  it('a holiday closes a day the periods would open, and says which', () => {
    const d = evaluate(rules([office], { exceptions: [carnival] }), sp('2026-02-17', '10:00'));
    expect(d).toEqual({ state: 'closed', rule: { kind: 'exception', source: 'holiday', date: '2026-02-17', name: 'Carnaval', index: 0 } });
  });
  it('a half day is open in its open hours and closed after them', () => {
    const r = rules([office], { exceptions: [christmasEve] });
    expect(evaluate(r, sp('2026-12-24', '11:59')).state).toBe('open');
    expect(evaluate(r, sp('2026-12-24', '12:00')).state).toBe('closed');
  });
  it('the day before and after a holiday follow the periods', () => {
    const r = rules([office], { exceptions: [carnival] });
    expect(evaluate(r, sp('2026-02-16', '10:00')).rule.kind).toBe('period');
    expect(evaluate(r, sp('2026-02-18', '10:00')).rule.kind).toBe('period');
  });
  it('the holiday governs its whole local day, even the part a crossing period would cover', () => {
    const saturdayHoliday = { date: '2026-01-10', name: 'Feriado', source: 'holiday' as const, openHours: [] };
    expect(evaluate(rules([fridayNight], { exceptions: [saturdayHoliday] }), sp('2026-01-10', '02:00')).state).toBe('closed');
  });
  it("the first matching exception wins (the condition's own come before the calendar's)", () => {
    const d = evaluate(rules([office], { exceptions: [inventory, carnival] }), sp('2026-02-17', '10:00'));
    expect(d.rule).toMatchObject({ kind: 'exception', source: 'exception', name: 'Inventário' });
  });

  const to = { open: { kind: 'ivr' as const, id: 1 }, closed: { kind: 'announcement' as const, id: 2 }, holiday: { kind: 'announcement' as const, id: 3 } };
  it('picks the destination: open, closed, holiday, or the exception day’s own', () => {
    const r = rules([office], { exceptions: [inventory, carnival] });
    expect(destinationOf(evaluate(r, sp('2026-02-16', '10:00')), r, to)).toEqual(to.open);
    expect(destinationOf(evaluate(r, sp('2026-02-16', '20:00')), r, to)).toEqual(to.closed);
    expect(destinationOf(evaluate(r, sp('2026-02-17', '10:00')), r, to)).toEqual({ kind: 'announcement', id: 9 });
    const onlyHoliday = rules([office], { exceptions: [carnival] });
    expect(destinationOf(evaluate(onlyHoliday, sp('2026-02-17', '10:00')), onlyHoliday, to)).toEqual(to.holiday);
    expect(destinationOf(evaluate(onlyHoliday, sp('2026-02-17', '10:00')), onlyHoliday, { open: to.open, closed: to.closed })).toEqual(to.closed);
  });
});

describe('evaluate: manual override', () => {
  const until = sp('2026-01-05', '12:00');
  it('forced closed until a time, then the periods again', () => {
    const r = rules([office], { override: { state: 'closed', until } });
    expect(evaluate(r, sp('2026-01-05', '11:59'))).toEqual({ state: 'closed', rule: { kind: 'override', until } });
    expect(evaluate(r, until)).toEqual({ state: 'open', rule: { kind: 'period', index: 0 } });
  });
  it('forced open until cleared, even on a holiday at night', () => {
    const r = rules([office], {
      override: { state: 'open', until: null },
      exceptions: [{ date: '2026-02-17', name: 'Carnaval', source: 'holiday', openHours: [] }],
    });
    expect(evaluate(r, sp('2026-02-17', '23:00'))).toEqual({ state: 'open', rule: { kind: 'override', until: null } });
  });
});

describe('validation of periods', () => {
  const cases: [string, Period[], string | undefined, RegExp | undefined][] = [
    ['a normal day', [office], undefined, undefined],
    ['a crossing period that says so', [fridayNight], undefined, undefined],
    ['end before start without crossesMidnight', [{ start: '22:00', end: '06:00' }], 'periods.0.end', /set crossesMidnight/],
    ['end equal to start without crossesMidnight', [office, { start: '08:00', end: '08:00' }], 'periods.1.end', /not after the start/],
    ['crossesMidnight on a period that does not cross', [{ ...office, crossesMidnight: true }], 'periods.0.crossesMidnight', /does not cross midnight/],
    ['a start that is not a time', [{ start: '8h', end: '18:00' }], 'periods.0.start', /not a time of day/],
    ['24:00 as a start', [{ start: '24:00', end: '24:00', crossesMidnight: true }], 'periods.0.start', /00:00–23:59/],
    ['25:00 as an end', [{ start: '08:00', end: '25:00' }], 'periods.0.end', /not a time of day/],
    ['31 February', [{ monthDays: [31], months: [2], start: '08:00', end: '18:00' }], 'periods.0.monthDays', /day 31 never occurs in February/],
    ['31 in April and June', [{ monthDays: [1, 31], months: [4, 6], start: '08:00', end: '18:00' }], 'periods.0.monthDays', /day 31 never occurs in the months chosen \(30 days at most\)/],
    ['29 February is possible', [{ monthDays: [29], months: [2], start: '08:00', end: '18:00' }], undefined, undefined],
  ];
  it.each(cases)('%s', (_name, periods, field, message) => {
    const p = periodsProblem(periods);
    expect(p?.field).toBe(field);
    if (message) expect(p?.message).toMatch(message);
  });

  it('says in Portuguese which day never occurs, in one month or in several', () => {
    const said = (months: number[]) => localize(periodsProblem([{ monthDays: [31], months, start: '08:00', end: '18:00' }])!.message, 'pt-BR');
    expect(said([2])).toBe('periods.0.monthDays: o dia 31 não existe em fevereiro');
    expect(said([2, 4, 6])).toBe('periods.0.monthDays: o dia 31 não existe nos meses escolhidos (no máximo 30 dias)');
  });

  it('open hours of a day may not cross midnight', () => {
    expect(openHoursProblem([{ start: '08:00', end: '12:00' }], 'exceptions.0')).toBeUndefined();
    expect(openHoursProblem([{ start: '20:00', end: '02:00' }], 'exceptions.0')?.field).toBe('exceptions.0.openHours.0.end');
  });

  it('knows real calendar dates', () => {
    expect(isCalendarDate('2028-02-29')).toBe(true);
    expect(isCalendarDate('2027-02-29')).toBe(false);
    expect(isCalendarDate('2026-13-01')).toBe(false);
    expect(isCalendarDate('26-01-01')).toBe(false);
  });
});
