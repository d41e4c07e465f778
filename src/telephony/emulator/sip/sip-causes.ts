/**
 * Q.850 causes and SIP status codes as chan_pjsip maps them (`hangup_cause2sip` in
 * chan_pjsip.c, `ast_sip_hangup_sip2cause` in res_pjsip_session.c). Pure.
 */

const CAUSE_TO_SIP: Readonly<Record<number, number>> = {
  1: 404,
  2: 404,
  3: 404,
  17: 486,
  18: 408,
  19: 480,
  20: 480,
  21: 403,
  22: 410,
  23: 302,
  27: 502,
  28: 484,
  29: 501,
  31: 480,
  34: 503,
  38: 500,
  42: 503,
  58: 488,
  66: 503,
  127: 500,
};

/**
 * The final answer to a phone's INVITE that the app hangs up before answering. A cause with
 * no mapping (16 among them: a call hung up by the app before answer) goes out as 603 Decline.
 */
export function sipStatusForCause(cause: number): number {
  return CAUSE_TO_SIP[cause] ?? 603;
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

/** The cause of a channel whose INVITE got this final answer from the phone. */
export function causeForSipStatus(status: number): number {
  return SIP_TO_CAUSE[status] ?? (status >= 500 && status < 600 ? 34 : 127);
}
