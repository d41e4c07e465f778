import { describe, expect, it } from 'vitest';
import { localDayStart, weeklySchedule, zonedTime } from '../../src/kernel/index.js';

const SP = 'America/Sao_Paulo';
// 2026-01-05 is a Monday.
const at = (day: number, hhmm: string) => zonedTime(2026, 1, day, Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3)), SP);

describe('weekly schedule: working hours', () => {
  const weekdays = [1, 2, 3, 4, 5];
  const office = weeklySchedule([
    { days: weekdays, from: '08:00', to: '12:00' },
    { days: weekdays, from: '12:00', to: '17:30' },
    { days: [6], from: '22:00', to: '02:00' },
  ]);

  it.each([
    ['Monday 07:59', at(5, '07:59'), false, null],
    ['Monday 08:00: adjoining periods run on to 17:30', at(5, '08:00'), true, at(5, '17:30')],
    ['Monday 13:00', at(5, '13:00'), true, at(5, '17:30')],
    ['Monday 17:30', at(5, '17:30'), false, null],
    ['Saturday 23:00: past midnight', at(10, '23:00'), true, at(11, '02:00')],
    ['Sunday 01:00: the night that began on Saturday', at(11, '01:00'), true, at(11, '02:00')],
    ['Sunday 03:00', at(11, '03:00'), false, null],
  ])('%s', (_name, instant, open, close) => {
    expect(office.isOpen(instant, SP)).toBe(open);
    expect(office.nextClose(instant, SP)).toBe(close);
  });

  it('next opening', () => {
    expect(office.nextOpen(at(5, '07:00'), SP)).toBe(at(5, '08:00'));
    expect(office.nextOpen(at(9, '18:00'), SP)).toBe(at(10, '22:00'));
  });

  it('open all week: no close within 14 days', () => {
    expect(weeklySchedule([{ days: [0, 1, 2, 3, 4, 5, 6], from: '00:00', to: '00:00' }]).nextClose(at(5, '10:00'), SP)).toBeNull();
  });
});

describe('local day start: "today" in the tenant\'s zone', () => {
  it('is local midnight, not UTC midnight: 01:00 UTC is still the evening before in São Paulo', () => {
    expect(localDayStart(Date.UTC(2026, 0, 6, 1, 0), SP)).toBe(Date.UTC(2026, 0, 5, 3, 0));
    expect(localDayStart(Date.UTC(2026, 0, 6, 3, 0), SP)).toBe(Date.UTC(2026, 0, 6, 3, 0));
    expect(localDayStart(Date.UTC(2026, 0, 6, 1, 0), 'Asia/Tokyo')).toBe(Date.UTC(2026, 0, 5, 15, 0));
  });

  it('a day whose midnight a clock change skipped starts at 01:00 (São Paulo, 2018-11-04)', () => {
    expect(localDayStart(Date.UTC(2018, 10, 4, 15, 0), SP)).toBe(Date.UTC(2018, 10, 4, 3, 0));
  });
});
