/**
 * The pacing policies a campaign can run, and the one that fits its mode.
 */
import { callsInFlight } from './dialer.logic.js';
import type { DialerSettings, DialerView, Pacer } from './dialer.model.js';
import { PredictivePacer, type PredictiveOptions } from './predictive.logic.js';

/**
 * Progressive: keep `ratio` calls in flight per idle agent (1 = one call per free agent,
 * which can never abandon a call). A ratio above 1 is the fixed-ratio "power" dialing that
 * open-source dialers offer (a boost factor over free agents); it abandons calls whenever
 * more answer than there are idle agents, and nothing here holds it to a rate.
 */
export function progressivePacer(ratio = 1): Pacer {
  if (!(ratio >= 1)) throw new Error('ratio must be ≥ 1');
  return {
    name: ratio === 1 ? 'progressive' : `fixed-ratio-${ratio}`,
    observe() {},
    decide(view: DialerView) {
      return Math.max(0, Math.floor(ratio * view.agentCount.idle + 1e-9) - callsInFlight(view));
    },
  };
}

export interface PacingChoice {
  /** Abandon rate to aim at and the hard maximum (predictive). */
  targetAbandonRate: number;
  maxAbandonRate: number;
  predictive?: Omit<PredictiveOptions, 'targetAbandonRate' | 'maxAbandonRate'>;
}

/** The pacing policy for a campaign's mode (preview needs none). */
export function pacerFor(settings: DialerSettings, choice: PacingChoice): Pacer | null {
  switch (settings.mode) {
    case 'preview':
      return null;
    case 'progressive':
      return progressivePacer(1);
    case 'predictive':
      return new PredictivePacer(settings, {
        ...choice.predictive,
        targetAbandonRate: choice.targetAbandonRate,
        maxAbandonRate: choice.maxAbandonRate,
      });
  }
}
