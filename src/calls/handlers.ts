/**
 * The flows Atende runs until the call-flow, queue and dialer engines bring their own. Each is
 * a `CallHandler`: a small verb over a `CallContext`, replaceable per entry kind.
 */
import type { CallHandler, CallHandlers } from './calls.model.js';

export const WELCOME_PROMPT = 'atende-welcome';

/** Default inbound flow: answer, play the welcome prompt, hang up (cause 16). */
export const welcomeAndHangup: CallHandler = {
  name: 'welcome-and-hangup',
  async run(call) {
    if ((await call.answer()) === 'gone') return;
    const outcome = await call.play([call.prompt(WELCOME_PROMPT)]);
    if (outcome === 'hangup') return;
    if (outcome === 'failed') call.log.warn({ prompt: WELCOME_PROMPT }, 'welcome prompt could not be played; hanging up');
    await call.hangup(16);
  },
};

/** Hangs the leg up at once: for kinds no engine handles yet, and for rejected legs. */
export const hangupWith = (cause: number, why: string): CallHandler => ({
  name: `hangup-${cause}`,
  async run(call) {
    call.log.info({ cause, why }, 'hanging up');
    await call.hangup(cause);
  },
});

/** Leaves the leg alone until it ends (legs the e2e suite drives through the port itself). */
export const leaveAlone: CallHandler = {
  name: 'leave-alone',
  async run(call) {
    await call.whenEnded;
  },
};

/** No engine for this kind yet: hang up cleanly, saying so. */
export const noFlowYet = hangupWith(16, 'no flow handles this kind of leg yet');

export const defaultHandlers: CallHandlers = {
  inbound: welcomeAndHangup,
  e2e: leaveAlone,
};
