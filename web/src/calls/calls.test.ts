import { describe, expect, it } from 'vitest';
import { applyCallEvent as apply, matchesFilters, type Call } from './calls';

/** The page after the event, for the cases where the page can place the call itself. */
const applyCallEvent = (...args: Parameters<typeof apply>) => {
  const next = apply(...args);
  if (next === 'reload') throw new Error('expected the page to place the call itself');
  return next;
};

const call = (over: Partial<Call>): Call => ({
  callId: 'c1',
  parentCallId: null,
  channelId: 'ch1',
  channelName: 'DAHDI/1-1',
  kind: 'inbound',
  direction: 'inbound',
  from: '11987654321',
  fromName: null,
  to: '1133334444',
  trunkRef: 'span:1',
  state: 'ringing',
  startedAt: '2026-03-05T12:00:00.000Z',
  answeredAt: null,
  endedAt: null,
  durationSeconds: null,
  talkSeconds: null,
  cause: null,
  causeText: null,
  hangupBy: null,
  endReason: null,
  trunkAttempts: null,
  ...over,
});

describe('live call events on the calls screen', () => {
  it('puts a new call on top of the first page and keeps the page size', () => {
    const page = { items: [call({ callId: 'a' }), call({ callId: 'b' })], total: 7 };
    const next = applyCallEvent(page, call({ callId: 'n' }), { firstPage: true, rows: 2, filters: {} });
    expect(next.items.map((c) => c.callId)).toEqual(['n', 'a']);
    expect(next.total).toBe(8);
  });

  it('updates the row of a call it already shows, wherever it is', () => {
    const page = { items: [call({ callId: 'a' }), call({ callId: 'b' })], total: 2 };
    const ended = call({ callId: 'b', state: 'ended', durationSeconds: 30 });
    const next = applyCallEvent(page, ended, { firstPage: false, rows: 20, filters: { direction: 'outbound' } });
    expect(next.items[1]).toEqual(ended);
    expect(next.total).toBe(2);
  });

  it('leaves out a new call the filters exclude, and only counts one on a later page', () => {
    const page = { items: [call({ callId: 'a' })], total: 1 };
    expect(applyCallEvent(page, call({ callId: 'n' }), { firstPage: true, rows: 20, filters: { direction: 'outbound' } })).toBe(page);
    const later = applyCallEvent(page, call({ callId: 'n' }), { firstPage: false, rows: 20, filters: {} });
    expect(later.items.map((c) => c.callId)).toEqual(['a']);
    expect(later.total).toBe(2);
  });

  it('asks the server when it cannot place a new call itself: another order, or a number filter', () => {
    const page = { items: [call({ callId: 'a' })], total: 1 };
    expect(apply(page, call({ callId: 'n' }), { firstPage: true, rows: 20, filters: { number: '(11) 98765-4321' } })).toBe('reload');
    expect(apply(page, call({ callId: 'n' }), { firstPage: true, rows: 20, filters: {}, sort: 'duration' })).toBe('reload');
    expect(apply(page, call({ callId: 'n' }), { firstPage: true, rows: 20, filters: {}, sort: '-startedAt' })).not.toBe('reload');
  });

  it('matches period and direction as the server filters them', () => {
    const c = call({});
    expect(matchesFilters(c, { from: new Date('2026-03-05T11:00:00Z'), to: new Date('2026-03-05T13:00:00Z') })).toBe(true);
    expect(matchesFilters(c, { to: new Date('2026-03-05T12:00:00Z') })).toBe(false);
    expect(matchesFilters(c, { direction: 'outbound' })).toBe(false);
    expect(matchesFilters(c, { direction: 'outbound', number: '3333' })).toBe(false);
    expect(matchesFilters(c, { number: '3333' })).toBeUndefined();
  });
});
