/**
 * Brazilian numbering for outbound calls: what a dialled number is (a number in some DDD, a
 * subscriber number of the caller's own DDD, an international number, a special service) and
 * how to dial it from a tenant in a given DDD — locally, or as long distance with a carrier
 * selection code (CSP). The local areas come from data/br-local-areas.json (Anatel Resolution
 * 768/2024: since its 2026 stages the local area is the whole DDD). Pure.
 */
import localAreas from './data/br-local-areas.json' with { type: 'json' };

export type DialledNumber =
  /** A number with its DDD: 8-digit fixed or 9-digit mobile subscriber number. */
  | { kind: 'national'; ddd: string; subscriber: string }
  /** A subscriber number without DDD: the caller's own area. */
  | { kind: 'subscriber'; subscriber: string }
  /** Country code and number, without the international prefix. */
  | { kind: 'international'; number: string }
  /** Dialled as it is: emergency and utility (1XX), 0800/0300/0500/0900, non-geographic 300X/400X. */
  | { kind: 'special'; digits: string };

const dddSince = new Map<string, number>(
  localAreas.stages.flatMap((stage) => stage.ddds.map((ddd): [string, number] => [ddd, Date.parse(`${stage.since}T00:00:00-03:00`)])),
);

/** Valid Brazilian DDDs: first digit 1-9, second 1-9 and in service. */
export const isBrazilianDdd = (ddd: string): boolean => dddSince.has(ddd);

/** Since when (epoch ms, Brasília midnight) calls within this DDD are local; undefined for an unknown DDD. */
export const localAreaIsDddSince = (ddd: string): number | undefined => dddSince.get(ddd);

const SUBSCRIBER = /^(?:9\d{8}|[2-5]\d{7})$/;

function national(rest: string): DialledNumber | null {
  const ddd = rest.slice(0, 2);
  const subscriber = rest.slice(2);
  return isBrazilianDdd(ddd) && SUBSCRIBER.test(subscriber) ? { kind: 'national', ddd, subscriber } : null;
}

/**
 * What an agent dialled, in the forms people type in Brazil: `+55 11 98765-4321`,
 * `0 21 11 98765-4321` (with a CSP), `0 11 98765-4321`, `11 98765-4321`, `98765-4321`,
 * `+1 212…` / `00 21 1 212…`, `0800 …`, `190`, `4004-…`. Null when it is none of them.
 */
export function parseDialled(raw: string): DialledNumber | null {
  const d = raw.replace(/[\s().-]/g, '');
  if (/^1\d{2}$/.test(d) || /^0[3589]00\d{6,7}$/.test(d) || /^[34]00\d{5}$/.test(d)) return { kind: 'special', digits: d };
  if (d.startsWith('+55')) return national(d.slice(3));
  if (d.startsWith('+')) return /^\+[1-9]\d{6,14}$/.test(d) ? { kind: 'international', number: d.slice(1) } : null;
  if (d.startsWith('00')) return /^00\d{2}[1-9]\d{6,14}$/.test(d) ? { kind: 'international', number: d.slice(4) } : null;
  if (/^0\d{2}\d{10,11}$/.test(d)) return national(d.slice(3)) ?? national(d.slice(1));
  if (/^0\d{10,11}$/.test(d)) return national(d.slice(1));
  if (/^\d{10,11}$/.test(d)) return national(d);
  if (SUBSCRIBER.test(d)) return { kind: 'subscriber', subscriber: d };
  return null;
}

export interface BrazilDialling {
  /** The tenant's own DDD. */
  ddd: string;
  /** Carrier selection code for long distance and international calls, two digits (e.g. 21, 15, 41). */
  carrierCode: string;
}

export type DialPlanResult =
  | { ok: true; digits: string; kind: 'local' | 'long_distance' | 'international' | 'special' }
  | { ok: false; reason: string };

/** The digits to send for a dialled number from a tenant in `o.ddd`, at time `now`. */
export function brazilianDigits(dialled: string, o: BrazilDialling, now: number): DialPlanResult {
  const n = parseDialled(dialled);
  if (n === null) return { ok: false, reason: `${dialled} is not a Brazilian or international number` };
  switch (n.kind) {
    case 'special':
      return { ok: true, digits: n.digits, kind: 'special' };
    case 'subscriber':
      return { ok: true, digits: n.subscriber, kind: 'local' };
    case 'international':
      return { ok: true, digits: `00${o.carrierCode}${n.number}`, kind: 'international' };
    case 'national': {
      const since = localAreaIsDddSince(o.ddd);
      if (n.ddd === o.ddd && since !== undefined && now >= since) return { ok: true, digits: n.subscriber, kind: 'local' };
      return { ok: true, digits: `0${o.carrierCode}${n.ddd}${n.subscriber}`, kind: 'long_distance' };
    }
  }
}
