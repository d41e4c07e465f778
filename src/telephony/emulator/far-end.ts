/**
 * What sits behind a dial string: how long it rings, whether it answers, with which Q.850
 * cause it fails, what AMD would hear, and what it does once answered. All times are
 * modelled milliseconds (the model divides them by its speed).
 */
export type AmdStatus = 'HUMAN' | 'MACHINE' | 'NOTSURE';

export type AfterAnswer =
  | { kind: 'stay' }
  /** Sends DTMF into the call after `afterMs`. */
  | { kind: 'dtmf'; afterMs: number; digits: string }
  /** Hangs up after `afterMs` with `cause`. */
  | { kind: 'hangup'; afterMs: number; cause: number };

export interface FarEnd {
  /** Delay before the far end rings (180 Ringing / ALERTING). */
  ringAfterMs: number;
  /** Answers after this delay; undefined = never on its own (rings until the originate timeout or a manual answer). */
  answerAfterMs?: number;
  /** Fails after `failAfterMs` with this Q.850 cause (busy, congestion, unallocated…). */
  fail?: { cause: number; afterMs: number };
  amd: AmdStatus;
  afterAnswer: AfterAnswer;
}

const stay: AfterAnswer = { kind: 'stay' };

/**
 * The PSTN behind a span or trunk: the dialled number's last digit decides.
 * 0–3 human, 4 machine, 5 busy, 6 no answer, 7 congestion, 8 unallocated, 9 human after a long ring.
 */
export function pstnFarEnd(number: string, unallocatedCause: number): FarEnd {
  const last = number.trim().slice(-1);
  const digit = /[0-9]/.test(last) ? Number(last) : 0;
  switch (digit) {
    case 4:
      return { ringAfterMs: 300, answerAfterMs: 2000, amd: 'MACHINE', afterAnswer: stay };
    case 5:
      return { ringAfterMs: 300, fail: { cause: 17, afterMs: 1000 }, amd: 'NOTSURE', afterAnswer: stay };
    case 6:
      return { ringAfterMs: 300, amd: 'NOTSURE', afterAnswer: stay };
    case 7:
      return { ringAfterMs: 0, fail: { cause: 34, afterMs: 500 }, amd: 'NOTSURE', afterAnswer: stay };
    case 8:
      return { ringAfterMs: 0, fail: { cause: unallocatedCause, afterMs: 500 }, amd: 'NOTSURE', afterAnswer: stay };
    case 9:
      return { ringAfterMs: 300, answerAfterMs: 5000, amd: 'HUMAN', afterAnswer: stay };
    default:
      return { ringAfterMs: 300, answerAfterMs: 2000, amd: 'HUMAN', afterAnswer: stay };
  }
}

/** The context the real-Asterisk e2e suite dials through Local channels (dialplan/e2e.conf). */
export const e2eContext = 'atende-e2e';

/** Far ends of the e2e test context, by extension; undefined for an unknown extension. */
export function localFarEnd(exten: string): FarEnd | undefined {
  switch (exten) {
    case 'answer':
      // A Local channel in Wait() sends no audio: AMD cannot decide.
      return { ringAfterMs: 0, answerAfterMs: 0, amd: 'NOTSURE', afterAnswer: stay };
    case 'answer-dtmf':
      return { ringAfterMs: 0, answerAfterMs: 0, amd: 'NOTSURE', afterAnswer: { kind: 'dtmf', afterMs: 1000, digits: '1234#' } };
    case 'ivr-press-2':
      return { ringAfterMs: 0, answerAfterMs: 0, amd: 'NOTSURE', afterAnswer: { kind: 'dtmf', afterMs: 1000, digits: '2' } };
    case 'play-hangup':
      return { ringAfterMs: 0, answerAfterMs: 0, amd: 'NOTSURE', afterAnswer: { kind: 'hangup', afterMs: 2000, cause: 16 } };
    case 'busy':
      return { ringAfterMs: 0, fail: { cause: 17, afterMs: 100 }, amd: 'NOTSURE', afterAnswer: stay };
    case 'congestion':
      return { ringAfterMs: 0, fail: { cause: 34, afterMs: 100 }, amd: 'NOTSURE', afterAnswer: stay };
    case 'noanswer':
      return { ringAfterMs: 0, amd: 'NOTSURE', afterAnswer: stay };
    case 'unallocated':
      return { ringAfterMs: 0, fail: { cause: 1, afterMs: 100 }, amd: 'NOTSURE', afterAnswer: stay };
    case 'human':
      return { ringAfterMs: 0, answerAfterMs: 0, amd: 'HUMAN', afterAnswer: stay };
    case 'machine':
      return { ringAfterMs: 0, answerAfterMs: 0, amd: 'MACHINE', afterAnswer: stay };
    default:
      return undefined;
  }
}

/** An agent phone: answers after a delay, rejects with 486 (→ 17), or rings until the timeout. */
export function phoneFarEnd(behaviour: 'answer' | 'reject' | 'no-answer', answerAfterMs: number): FarEnd {
  switch (behaviour) {
    case 'reject':
      return { ringAfterMs: 50, fail: { cause: 17, afterMs: 500 }, amd: 'NOTSURE', afterAnswer: stay };
    case 'no-answer':
      return { ringAfterMs: 50, amd: 'NOTSURE', afterAnswer: stay };
    default:
      return { ringAfterMs: 50, answerAfterMs: Math.max(answerAfterMs, 50), amd: 'NOTSURE', afterAnswer: stay };
  }
}

/** The AMD() arguments the emulator's far ends are judged with (their order in the dialplan). */
export interface AmdArgs {
  greeting: number;
  afterGreetingSilence: number;
  totalAnalysisTime: number;
}

/**
 * AMD outcome as app_amd reports it: AMDSTATUS, AMDCAUSE and the modelled analysis time. A
 * person says a short greeting (~1.5 s) and waits: HUMAN once `afterGreetingSilence` of
 * silence follows. A machine talks on: MACHINE once its greeting outlasts `greeting`. A
 * decision that would come after `totalAnalysisTime` is NOTSURE/TOOLONG.
 */
export function amdResult(status: AmdStatus, args: AmdArgs): { status: AmdStatus; cause: string; afterMs: number } {
  const tooLong = { status: 'NOTSURE' as const, cause: `TOOLONG-${args.totalAnalysisTime}`, afterMs: args.totalAnalysisTime };
  switch (status) {
    case 'HUMAN': {
      const afterMs = 1500 + args.afterGreetingSilence;
      return afterMs > args.totalAnalysisTime ? tooLong : { status, cause: `HUMAN-${args.afterGreetingSilence}-${args.afterGreetingSilence}`, afterMs };
    }
    case 'MACHINE': {
      const afterMs = 300 + args.greeting;
      return afterMs > args.totalAnalysisTime ? tooLong : { status, cause: `LONGGREETING-${args.greeting}-${args.greeting}`, afterMs };
    }
    default:
      return tooLong;
  }
}

/**
 * The cause `dialplan/atende.conf` releases a call with when `Stasis()` fails (Atende not
 * connected): a temporary failure, by channel technology. E1 carries Q.850 41; on SIP,
 * chan_pjsip turns 34 into 503 Service Unavailable (41 would go out as 603 Decline).
 */
export function stasisFailedCause(context: string): number {
  return context === 'atende-from-pstn' ? 41 : 34;
}

/**
 * What the calling side of a SIP call learns when the called side is hung up with `cause`
 * before answering: chan_pjsip's cause → SIP response (hangup_cause2sip; no match → 603),
 * then the SIP response → cause on the calling side (ASTERISK-FACTS).
 */
export function causeThroughSip(cause: number): number {
  switch (cause) {
    case 34:
    case 42:
      return 34; // 503
    case 1:
    case 2:
    case 3:
      return 1; // 404
    case 17:
      return 17; // 486
    case 18:
      return 18; // 408
    case 19:
    case 20:
    case 31:
      return 19; // 480
    default:
      return 21; // 603 Decline (and 403)
  }
}

/**
 * The e2e suite's SIP loop (config/asterisk/pjsip-e2e.conf): dialling `PJSIP/<did>@<out>`
 * sends an INVITE from Asterisk to itself, which comes back in on endpoint `<in>` into
 * `atende-from-trunk`, exactly like a carrier's call.
 */
export const e2eSipLoop = { out: 'atende-e2e-loop', in: 'atende-e2e-trunk' } as const;
