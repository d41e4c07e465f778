import type { OriginateFailure } from './call-control.js';

/**
 * Q.850 cause names as Asterisk prints them (`ast_cause2str`), plus 0, which Asterisk uses for
 * "not set".
 */
const CAUSE_NAMES: Readonly<Record<number, string>> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transit network',
  3: 'No route to destination',
  5: 'Misdialled trunk prefix',
  6: 'Channel unacceptable',
  7: 'Call awarded and being delivered in an established channel',
  8: 'Preemption',
  14: 'Number ported',
  16: 'Normal call clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'No answer from user (user alerted)',
  20: 'Subscriber absent',
  21: 'Call rejected',
  22: 'Number changed',
  23: 'Redirected to new destination',
  26: 'Non-selected user clearing',
  27: 'Destination out of order',
  28: 'Invalid number format (address incomplete)',
  29: 'Facility rejected',
  30: 'Response to STATUS ENQUIRY',
  31: 'Normal, unspecified',
  34: 'No circuit/channel available',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  43: 'Access information discarded',
  44: 'Requested circuit/channel not available',
  50: 'Requested facility not subscribed',
  52: 'Outgoing calls barred',
  54: 'Incoming calls barred',
  57: 'Bearer capability not authorized',
  58: 'Bearer capability not presently available',
  65: 'Bearer capability not implemented',
  66: 'Channel type not implemented',
  69: 'Requested facility not implemented',
  81: 'Invalid call reference value',
  88: 'Incompatible destination',
  95: 'Invalid message, unspecified',
  96: 'Mandatory information element is missing',
  97: 'Message type non-existent or not implemented',
  98: 'Message not compatible with call state or message type non-existent or not implemented',
  99: 'Information element / parameter non-existent or not implemented',
  100: 'Invalid information element contents',
  101: 'Message not compatible with call state',
  102: 'Recovery on timer expiry',
  103: 'Mandatory information element length error',
  111: 'Protocol error, unspecified',
  127: 'Interworking, unspecified',
};

/** The Q.850 name of a cause ("User busy"), or `Cause <n>` for one without a name. */
export function causeText(cause: number): string {
  return CAUSE_NAMES[cause] ?? `Cause ${cause}`;
}

/**
 * Why an originated channel never answered, from the Q.850 cause of its ChannelDestroyed.
 *
 * - 0: Asterisk's dialer hangs an unanswered channel up on its ring timeout without setting the
 *   channel's own cause (main/dial.c sets NO_ANSWER only on its private dial structure), so
 *   ChannelDestroyed says 0 — for an originate that is a ring timeout.
 * - 18: chan_pjsip maps SIP 408 to 18, so a dead trunk also looks like "no answer".
 * - 20: MFC/R2 (Brazil) reports an unallocated number as 20, not 1.
 */
export function classifyCause(cause: number): OriginateFailure {
  switch (cause) {
    case 17:
      return 'busy';
    case 0:
    case 18:
    case 19:
      return 'no_answer';
    case 1:
    case 20:
    case 22:
    case 28:
      return 'unallocated';
    case 21:
      return 'rejected';
    case 3:
    case 27:
    case 34:
    case 38:
    case 41:
    case 42:
    case 58:
      return 'congestion';
    default:
      return 'failed';
  }
}

/**
 * The Q.850 cause implied by a Dial event's `dialstatus`, for a failed originate whose
 * ChannelDestroyed says 0: the dial core hangs a channel up on BUSY/CONGESTION/ring timeout
 * without always setting its cause (e.g. a Local channel whose far half ran `Busy()`).
 */
export function causeOfDialStatus(dialStatus: string | undefined): number | undefined {
  switch (dialStatus) {
    case 'BUSY':
      return 17;
    case 'NOANSWER':
      return 19;
    case 'CONGESTION':
      return 34;
    default:
      return undefined;
  }
}

const SIP_REASONS: Readonly<Record<number, string>> = {
  302: 'Moved Temporarily',
  403: 'Forbidden',
  404: 'Not Found',
  408: 'Request Timeout',
  410: 'Gone',
  480: 'Temporarily Unavailable',
  484: 'Address Incomplete',
  486: 'Busy Here',
  488: 'Not Acceptable Here',
  500: 'Server Internal Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  603: 'Decline',
};

/** chan_pjsip's hangup_cause2sip; a cause it does not map goes out as pjsip's default for an unanswered INVITE. */
const CAUSE_TO_SIP: Readonly<Record<number, number>> = {
  1: 404, 2: 404, 3: 404, 17: 486, 18: 408, 19: 480, 20: 480, 21: 403, 22: 410, 23: 302, 27: 502, 28: 484,
  29: 501, 31: 480, 34: 503, 38: 500, 42: 503, 58: 488, 66: 503, 127: 500,
};

/**
 * The SIP final response a SIP trunk's caller gets when Asterisk hangs up an unanswered call
 * with `cause`: unmapped causes (16, 41, …) become 603 Decline, a final answer carriers do not
 * reroute (ASTERISK-FACTS: hangup causes).
 */
export function sipAnswerOfCause(cause: number): { code: number; reason: string } {
  const code = CAUSE_TO_SIP[cause] ?? 603;
  return { code, reason: SIP_REASONS[code]! };
}

const SIP_TO_CAUSE: Readonly<Record<number, number>> = {
  302: 23,
  401: 21,
  403: 21,
  404: 1,
  405: 127,
  407: 21,
  408: 18,
  410: 22,
  480: 19,
  483: 19,
  484: 28,
  485: 1,
  486: 17,
  487: 127,
  488: 58,
  500: 38,
  501: 29,
  502: 27,
  503: 34,
  504: 102,
  600: 17,
  603: 21,
  604: 1,
  606: 58,
};

/** The cause of a channel whose INVITE got this final answer from the phone (`ast_sip_hangup_sip2cause` in res_pjsip_session.c). */
export function causeForSipStatus(status: number): number {
  return SIP_TO_CAUSE[status] ?? (status >= 500 && status < 600 ? 34 : 127);
}
