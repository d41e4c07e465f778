/**
 * The little SDP reading the emulator's SIP side needs beyond what the WebRTC stack does:
 * the audio stream's direction (hold is a re-INVITE with sendonly or inactive), the codecs
 * and DTMF payload type the browser offered, and rewriting our previous answer for a
 * re-INVITE that changes only the direction (no ICE restart, no new DTLS). Pure.
 */

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';
const DIRECTIONS: readonly Direction[] = ['sendrecv', 'sendonly', 'recvonly', 'inactive'];

function lines(sdp: string): string[] {
  return sdp.split(/\r?\n/).filter((l) => l !== '');
}

/** Lines of the first audio m= section (and the session part before any m=). */
function audioSection(sdp: string): { session: string[]; media: string[] } {
  const all = lines(sdp);
  const firstM = all.findIndex((l) => l.startsWith('m='));
  const session = firstM < 0 ? all : all.slice(0, firstM);
  const start = all.findIndex((l) => l.startsWith('m=audio'));
  if (start < 0) return { session, media: [] };
  const end = all.findIndex((l, i) => i > start && l.startsWith('m='));
  return { session, media: all.slice(start, end < 0 ? undefined : end) };
}

/** The audio stream's direction as offered; a connection address of 0.0.0.0 is the old way of saying sendonly (RFC 2543 hold). */
export function audioDirection(sdp: string): Direction {
  const { session, media } = audioSection(sdp);
  const find = (ls: string[]) => DIRECTIONS.find((d) => ls.includes(`a=${d}`));
  const dir = find(media) ?? find(session) ?? 'sendrecv';
  const conn = media.find((l) => l.startsWith('c=')) ?? session.find((l) => l.startsWith('c='));
  if (dir === 'sendrecv' && conn !== undefined && / 0\.0\.0\.0$/.test(conn)) return 'sendonly';
  return dir;
}

/** The direction an answer takes for an offered one (RFC 3264 §6.1). */
export function answerDirection(offered: Direction): Direction {
  if (offered === 'sendonly') return 'recvonly';
  if (offered === 'recvonly') return 'sendonly';
  return offered;
}

/** Is the far end holding us (it will not listen)? */
export function isHold(offered: Direction): boolean {
  return offered === 'sendonly' || offered === 'inactive';
}

/** Our previous SDP with another audio direction and the next o= version. */
export function rewriteDirection(sdp: string, direction: Direction): string {
  const all = lines(sdp);
  let inAudio = false;
  const out: string[] = [];
  for (const l of all) {
    if (l.startsWith('m=')) inAudio = l.startsWith('m=audio');
    if (l.startsWith('o=')) {
      const parts = l.split(' ');
      const version = Number(parts[2]);
      if (parts.length >= 6 && Number.isFinite(version)) parts[2] = String(version + 1);
      out.push(parts.join(' '));
      continue;
    }
    if (inAudio && DIRECTIONS.some((d) => l === `a=${d}`)) {
      out.push(`a=${direction}`);
      continue;
    }
    out.push(l);
  }
  return `${out.join('\r\n')}\r\n`;
}

export interface AudioCodecs {
  /** rtpmap name (upper case) → payload type, in offer order. */
  codecs: { name: string; pt: number; clockRate: number }[];
  /** RFC 4733 telephone-event payload type at 8 kHz, when offered. */
  telephoneEvent?: number;
}

export function audioCodecs(sdp: string): AudioCodecs {
  const { media } = audioSection(sdp);
  const m = media[0]?.split(' ') ?? [];
  const order = m.slice(3).map(Number);
  const maps = new Map<number, { name: string; clockRate: number }>();
  for (const l of media) {
    const r = /^a=rtpmap:(\d+) ([^/]+)\/(\d+)/.exec(l);
    if (r) maps.set(Number(r[1]), { name: (r[2] ?? '').toUpperCase(), clockRate: Number(r[3]) });
  }
  // Static payload types need no rtpmap (RFC 3551).
  const staticPt: Record<number, string> = { 0: 'PCMU', 8: 'PCMA' };
  const codecs = order.flatMap((pt) => {
    const known = maps.get(pt) ?? (staticPt[pt] ? { name: staticPt[pt], clockRate: 8000 } : undefined);
    return known ? [{ name: known.name, pt, clockRate: known.clockRate }] : [];
  });
  const te = codecs.find((c) => c.name === 'TELEPHONE-EVENT' && c.clockRate === 8000);
  return { codecs, ...(te ? { telephoneEvent: te.pt } : {}) };
}

/**
 * Our offer's `a=setup:actpass` as an answer must say: the DTLS role the phone's answer left
 * us (it chose active, so we are passive). A re-INVITE's answer may not offer both roles.
 */
export function settleSetup(ourOffer: string, theirAnswer: string): string {
  const theirs = /^a=setup:(\w+)/m.exec(theirAnswer)?.[1];
  const ours = theirs === 'passive' ? 'active' : 'passive';
  return ourOffer.replace(/^a=setup:actpass$/gm, `a=setup:${ours}`);
}
