import { describe, expect, it } from 'vitest';
import { FakeClock } from '../../src/kernel/index.js';
import {
  collectDigitsFromEvents,
  startDigits,
  stepDigits,
  type CollectDigitsOptions,
  type CollectDigitsResult,
  type DigitsEvent,
  type TelephonyEvent,
} from '../../src/telephony/index.js';

const T0 = 1_000_000;
const opts = (o: Partial<CollectDigitsOptions> = {}): CollectDigitsOptions => ({
  maxDigits: 4,
  interDigitTimeoutMs: 3000,
  totalTimeoutMs: 10_000,
  ...o,
});

/** Runs a script of [ms after start, event] through the pure machine; returns the first result and when. */
function run(options: CollectDigitsOptions, script: [number, DigitsEvent][]) {
  let { state, wakeAt } = startDigits(options, T0);
  for (const [at, event] of script) {
    // deliver any timer that is due before this event, as the runner would
    while (wakeAt !== undefined && wakeAt <= T0 + at) {
      const tick = stepDigits(state, { type: 'tick' }, wakeAt);
      if (tick.result) return { result: tick.result, at: wakeAt - T0 };
      ({ state, wakeAt } = tick);
    }
    const step = stepDigits(state, event, T0 + at);
    if (step.result) return { result: step.result, at };
    ({ state, wakeAt } = step);
  }
  while (wakeAt !== undefined) {
    const tick = stepDigits(state, { type: 'tick' }, wakeAt);
    if (tick.result) return { result: tick.result, at: wakeAt - T0 };
    ({ state, wakeAt } = tick);
  }
  return { result: undefined, at: undefined };
}

const d = (digit: string): DigitsEvent => ({ type: 'digit', digit });

describe('DTMF collection (pure)', () => {
  it.each<[string, CollectDigitsOptions, [number, DigitsEvent][], CollectDigitsResult, number]>([
    ['max digits reached', opts({ maxDigits: 3 }), [[100, d('1')], [200, d('2')], [300, d('3')]], { outcome: 'complete', digits: '123' }, 300],
    ['terminator ends early, not included', opts({ terminator: '#' }), [[100, d('4')], [200, d('#')]], { outcome: 'terminated', digits: '4' }, 200],
    ['terminator first gives empty entry', opts({ terminator: '#' }), [[100, d('#')]], { outcome: 'terminated', digits: '' }, 100],
    ['inter-digit timeout after the last digit', opts(), [[1000, d('1')], [2000, d('2')]], { outcome: 'timeout', digits: '12' }, 5000],
    ['total timeout with no digit', opts(), [], { outcome: 'timeout', digits: '' }, 10_000],
    ['total timeout while digits keep coming', opts({ maxDigits: 0 }), [[2000, d('1')], [4000, d('2')], [6000, d('3')], [8000, d('4')], [9900, d('5')]], { outcome: 'timeout', digits: '12345' }, 10_000],
    ['hangup keeps the digits so far', opts(), [[100, d('7')], [500, { type: 'hangup' }]], { outcome: 'hangup', digits: '7' }, 500],
    ['a digit exactly at the inter-digit deadline is too late', opts(), [[0, d('1')], [3000, d('2')]], { outcome: 'timeout', digits: '1' }, 3000],
    ['no inter-digit timeout when disabled', opts({ interDigitTimeoutMs: 0 }), [[100, d('1')]], { outcome: 'timeout', digits: '1' }, 10_000],
    ['no total timeout when disabled: inter-digit ends it', opts({ totalTimeoutMs: 0 }), [[60_000, d('9')]], { outcome: 'timeout', digits: '9' }, 63_000],
  ])('%s', (_name, options, script, result, at) => {
    expect(run(options, script)).toEqual({ result, at });
  });

  it('waits for ever with no timeouts and no digits', () => {
    const { wakeAt } = startDigits(opts({ totalTimeoutMs: 0, interDigitTimeoutMs: 0 }), T0);
    expect(wakeAt).toBeUndefined();
  });

  it('ignores everything after the result', () => {
    const first = stepDigits(startDigits(opts({ maxDigits: 1 }), T0).state, d('5'), T0 + 10);
    expect(first.result).toEqual({ outcome: 'complete', digits: '5' });
    const after = stepDigits(first.state, d('6'), T0 + 20);
    expect(after.result).toBeUndefined();
    expect(after.state.result).toEqual({ outcome: 'complete', digits: '5' });
  });
});

describe('collectDigitsFromEvents (runner over events + Clock)', () => {
  function harness() {
    const clock = new FakeClock();
    const listeners = new Set<(e: TelephonyEvent) => void>();
    const emit = (e: TelephonyEvent) => listeners.forEach((l) => l(e));
    const deps = {
      clock,
      onEvent: (l: (e: TelephonyEvent) => void) => {
        listeners.add(l);
        return () => listeners.delete(l);
      },
    };
    const dtmf = (channelId: string, digit: string) =>
      emit({ type: 'DtmfReceived', at: clock.now(), channelId, digit, durationMs: 100 });
    return { clock, listeners, emit, deps, dtmf };
  }

  it('collects the digits of its channel only, up to the terminator', async () => {
    const h = harness();
    const p = collectDigitsFromEvents(h.deps, 'c1', opts({ terminator: '#' }));
    h.dtmf('c1', '1');
    h.dtmf('other', '9');
    h.clock.advance(1000);
    h.dtmf('c1', '2');
    h.dtmf('c1', '#');
    await expect(p).resolves.toEqual({ outcome: 'terminated', digits: '12' });
    expect(h.listeners.size).toBe(0);
    expect(h.clock.pending()).toBe(0);
  });

  it('times out on virtual time', async () => {
    const h = harness();
    const p = collectDigitsFromEvents(h.deps, 'c1', opts());
    h.dtmf('c1', '3');
    h.clock.advance(2999);
    let settled = false;
    void p.then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    h.clock.advance(1);
    await expect(p).resolves.toEqual({ outcome: 'timeout', digits: '3' });
    expect(h.listeners.size).toBe(0);
  });

  it('ends with hangup when the leg ends', async () => {
    const h = harness();
    const p = collectDigitsFromEvents(h.deps, 'c1', opts());
    h.dtmf('c1', '5');
    h.emit({ type: 'CallEnded', at: h.clock.now(), channelId: 'c1', hangup: { cause: 16, causeText: 'Normal call clearing', by: 'remote' } });
    await expect(p).resolves.toEqual({ outcome: 'hangup', digits: '5' });
    expect(h.clock.pending()).toBe(0);
  });

  it('ends at once for a channel already gone', async () => {
    const h = harness();
    await expect(collectDigitsFromEvents({ ...h.deps, isGone: () => true }, 'c1', opts())).resolves.toEqual({
      outcome: 'hangup',
      digits: '',
    });
    expect(h.listeners.size).toBe(0);
  });
});
