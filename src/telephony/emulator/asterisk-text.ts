/** Small pieces of Asterisk's vocabulary: Q.850 cause texts, ids, timestamps. */

const causeTexts: Record<number, string> = {
  0: 'Unknown',
  1: 'Unallocated (unassigned) number',
  2: 'No route to specified transmit network',
  3: 'No route to destination',
  16: 'Normal Clearing',
  17: 'User busy',
  18: 'No user responding',
  19: 'User alerting, no answer',
  20: 'Subscriber absent',
  21: 'Call Rejected',
  22: 'Number changed',
  27: 'Destination out of order',
  28: 'Invalid number format',
  31: 'Normal, unspecified',
  34: 'Circuit/channel congestion',
  38: 'Network out of order',
  41: 'Temporary failure',
  42: 'Switching equipment congestion',
  58: 'Bearer capability not available',
  102: 'Recovery on timer expiry',
  127: 'Interworking, unspecified',
};

export const causeText = (cause: number): string => causeTexts[cause] ?? 'Unknown';

/** ARI `reason` names accepted by DELETE /channels/{id}, with the Q.850 cause each means. */
export const hangupReasons: Record<string, number> = {
  normal: 16,
  busy: 17,
  congestion: 34,
  no_answer: 19,
  timeout: 18,
  rejected: 21,
  unallocated: 1,
  normal_unspecified: 31,
  number_incomplete: 28,
  codec_mismatch: 58,
  interworking: 127,
  failure: 38,
  answered_elsewhere: 26,
};

/** Dial status names app_dial / the dial API publish for a final Q.850 cause. */
export function dialStatusFor(cause: number): string {
  if (cause === 17) return 'BUSY';
  if (cause === 19 || cause === 18) return 'NOANSWER';
  if (cause === 34 || cause === 42 || cause === 38) return 'CONGESTION';
  return 'CHANUNAVAIL';
}

const pad = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');

/** Asterisk's JSON time format: local time with milliseconds and a `-0300` style zone. */
export function asteriskTime(ms: number = Date.now()): string {
  const d = new Date(ms);
  const off = -d.getTimezoneOffset();
  const sign = off >= 0 ? '+' : '-';
  return (
    `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}` +
    `.${pad(d.getMilliseconds(), 3)}${sign}${pad(Math.floor(Math.abs(off) / 60))}${pad(Math.abs(off) % 60)}`
  );
}

/** Uniqueids look like Asterisk's: `<epoch seconds at start>.<sequence>`. */
export class UniqueIds {
  private seq = 0;
  private readonly epoch = Math.floor(Date.now() / 1000);
  next(): string {
    return `${this.epoch}.${this.seq++}`;
  }
}

/** Channel name suffixes: `-0000000a`, one counter per technology like Asterisk. */
export class NameCounters {
  private readonly counters = new Map<string, number>();
  next(tech: string): string {
    const n = (this.counters.get(tech) ?? 0) + 1;
    this.counters.set(tech, n);
    return n.toString(16).padStart(8, '0');
  }
}
