/**
 * Feature codes a phone dials, and the codes a desk phone keys in during a call (blind and
 * attended transfer), as a small state machine over DTMF digits. Pure; the README's
 * feature-code table shows FEATURE_CODES (a test keeps the two the same).
 */

export interface FeatureCodeDoc {
  code: string;
  when: 'dialled' | 'in call';
  what: string;
}

export const FEATURE_CODES: readonly FeatureCodeDoc[] = [
  { code: '*78', when: 'dialled', what: 'Do not disturb on: calls to the extension get busy' },
  { code: '*79', when: 'dialled', what: 'Do not disturb off' },
  { code: '*72<number>', when: 'dialled', what: 'Forward every call to <number> (an extension or, if the phone may dial out, an outside number)' },
  { code: '*73', when: 'dialled', what: 'Forwarding off' },
  { code: '**<extension>', when: 'dialled', what: 'Pick up the call ringing on <extension>' },
  { code: '##<number>#', when: 'in call', what: 'Blind transfer: the other party is sent to <number> and this phone leaves the call' },
  { code: '*2<number>#', when: 'in call', what: 'Attended transfer: the other party waits on hold while this phone talks to <number>; hanging up completes the transfer' },
  { code: '*0', when: 'in call', what: 'During an attended transfer: drop the consultation and go back to the other party' },
];

export type FeatureCode =
  | { kind: 'dnd'; on: boolean }
  | { kind: 'forward'; to: string | null }
  | { kind: 'pickup'; extension: string }
  /** Starts with `*` but is no feature Atende knows. */
  | { kind: 'unknown'; code: string };

/** The feature a dialled string asks for, or null when it is an ordinary number. */
export function featureOf(dialled: string): FeatureCode | null {
  if (dialled === '*78') return { kind: 'dnd', on: true };
  if (dialled === '*79') return { kind: 'dnd', on: false };
  if (dialled === '*73') return { kind: 'forward', to: null };
  const forward = /^\*72([0-9+*#]{2,40})$/.exec(dialled);
  if (forward) return { kind: 'forward', to: forward[1]! };
  const pickup = /^\*\*([0-9]{2,8})$/.exec(dialled);
  if (pickup) return { kind: 'pickup', extension: pickup[1]! };
  return dialled.startsWith('*') ? { kind: 'unknown', code: dialled } : null;
}

/** What a phone's DTMF during a call is doing. */
export type InCallState =
  | { mode: 'idle'; previous: string }
  | { mode: 'number'; transfer: 'blind' | 'attended'; digits: string };

export type InCallAction = { kind: 'transfer'; transfer: 'blind' | 'attended'; number: string } | { kind: 'cancel' } | null;

export const IN_CALL_IDLE: InCallState = { mode: 'idle', previous: '' };

/** Seconds without a digit after which a number being keyed in is taken as complete. */
export const INTER_DIGIT_SECONDS = 3;

/** One digit from the phone. `##` and `*2` start a transfer number, `#` ends it, `*0` cancels a consultation. */
export function stepInCall(state: InCallState, digit: string): { state: InCallState; action: InCallAction } {
  if (state.mode === 'number') {
    if (digit === '#') return finish(state);
    if (/^[0-9*+]$/.test(digit)) return { state: { ...state, digits: state.digits + digit }, action: null };
    return { state: IN_CALL_IDLE, action: null };
  }
  const pair = state.previous + digit;
  if (pair === '##') return { state: { mode: 'number', transfer: 'blind', digits: '' }, action: null };
  if (pair === '*2') return { state: { mode: 'number', transfer: 'attended', digits: '' }, action: null };
  if (pair === '*0') return { state: IN_CALL_IDLE, action: { kind: 'cancel' } };
  return { state: { mode: 'idle', previous: digit === '#' || digit === '*' ? digit : '' }, action: null };
}

/** The inter-digit time ran out: a number being keyed in is complete. */
export function timeoutInCall(state: InCallState): { state: InCallState; action: InCallAction } {
  return state.mode === 'number' ? finish(state) : { state: IN_CALL_IDLE, action: null };
}

function finish(state: Extract<InCallState, { mode: 'number' }>): { state: InCallState; action: InCallAction } {
  return { state: IN_CALL_IDLE, action: state.digits === '' ? null : { kind: 'transfer', transfer: state.transfer, number: state.digits } };
}
