/**
 * Outbound routes: which rule a dialled number takes and the digits sent to the trunk. Rules of
 * every route of the tenant compete as extensions of one Asterisk context do: the most specific
 * pattern wins (dial-pattern.logic.ts); equal patterns go by route order, then rule order. A
 * rule restricted to some extensions, or a route whose time condition is closed, is passed over
 * for the next candidate. Pure.
 */
import { brazilianDigits } from './br-numbering.logic.js';
import { comparePatterns, matchesPattern } from './dial-pattern.logic.js';

export interface OutboundRule {
  pattern: string;
  /** Digits removed from the left of what was dialled. */
  strip: number;
  /** Digits put in front (after the Brazilian format, if any), e.g. a tech prefix. */
  prefix: string;
  callerId: string | null;
  /** Use `callerId` even when the extension has an outbound caller id of its own. */
  forceCallerId: boolean;
  /** Only these extension numbers may use the rule; empty: every extension. */
  restrictTo: string[];
  /** Dial Brazilian numbers locally or as long distance from the tenant's DDD, with this CSP. */
  brazil: { carrierCode: string } | null;
}

export interface OutboundRouteCandidate<Trunk> {
  id: number;
  name: string;
  /** Smaller first. */
  position: number;
  rules: OutboundRule[];
  /** In failover order. */
  trunks: Trunk[];
  timeConditionId: number | null;
}

export interface OutboundCaller {
  extension: string;
  /** The extension's own outbound caller id, if it has one. */
  outboundCallerId: string | null;
}

export type OutboundKind = 'local' | 'long_distance' | 'international' | 'special' | 'as_dialled';

export type OutboundChoice<Trunk> =
  | {
      ok: true;
      route: OutboundRouteCandidate<Trunk>;
      rule: OutboundRule;
      ruleIndex: number;
      digits: string;
      callerId: string | null;
      kind: OutboundKind;
      /** Candidates passed over, most specific first, with the reason. */
      passedOver: { route: string; pattern: string; reason: string }[];
    }
  | { ok: false; reason: string; passedOver: { route: string; pattern: string; reason: string }[] };

export interface OutboundContext {
  now: number;
  /** The tenant's DDD, for rules with the Brazilian format; null when the tenant has none. */
  ddd: string | null;
  /** Whether a time condition is open now; routes whose condition is closed are passed over. */
  timeConditionOpen?: (id: number, now: number) => boolean;
}

/** The rule that carries `dialled` for `caller`, and the digits and caller id to send. */
export function chooseOutbound<Trunk>(
  routes: readonly OutboundRouteCandidate<Trunk>[],
  dialled: string,
  caller: OutboundCaller,
  ctx: OutboundContext,
): OutboundChoice<Trunk> {
  const candidates = routes
    .flatMap((route) => route.rules.map((rule, ruleIndex) => ({ route, rule, ruleIndex })))
    .filter((c) => matchesPattern(c.rule.pattern, dialled))
    .sort(
      (a, b) => comparePatterns(a.rule.pattern, b.rule.pattern) || a.route.position - b.route.position || a.route.id - b.route.id || a.ruleIndex - b.ruleIndex,
    );
  const passedOver: { route: string; pattern: string; reason: string }[] = [];
  for (const { route, rule, ruleIndex } of candidates) {
    const skip = (reason: string) => passedOver.push({ route: route.name, pattern: rule.pattern, reason });
    if (rule.restrictTo.length > 0 && !rule.restrictTo.includes(caller.extension)) {
      skip(`restricted to extensions ${rule.restrictTo.join(', ')}`);
      continue;
    }
    if (route.timeConditionId !== null && !(ctx.timeConditionOpen?.(route.timeConditionId, ctx.now) ?? false)) {
      skip('its time condition is closed');
      continue;
    }
    if (route.trunks.length === 0) {
      skip('the route has no trunk');
      continue;
    }
    let digits = dialled.slice(Math.min(rule.strip, dialled.length));
    let kind: OutboundKind = 'as_dialled';
    if (rule.brazil) {
      if (ctx.ddd === null) {
        skip("the rule dials Brazilian numbers but the tenant's DDD is not set");
        continue;
      }
      const br = brazilianDigits(digits, { ddd: ctx.ddd, carrierCode: rule.brazil.carrierCode }, ctx.now);
      if (!br.ok) {
        skip(br.reason);
        continue;
      }
      digits = br.digits;
      kind = br.kind;
    }
    digits = rule.prefix + digits;
    if (digits === '') {
      skip('nothing left to dial after removing digits');
      continue;
    }
    const callerId = rule.callerId !== null && (rule.forceCallerId || caller.outboundCallerId === null) ? rule.callerId : caller.outboundCallerId;
    return { ok: true, route, rule, ruleIndex, digits, callerId, kind, passedOver };
  }
  const reason = candidates.length === 0 ? `no outbound route matches ${dialled}` : `every route matching ${dialled} was passed over`;
  return { ok: false, reason, passedOver };
}
