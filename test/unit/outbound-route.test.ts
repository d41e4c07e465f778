/**
 * The outbound route matcher: for a dialled number, which rule carries it (most specific
 * pattern first, as Asterisk orders a context) and the digits actually sent.
 */
import { describe, expect, it } from 'vitest';
import { chooseOutbound, type OutboundRouteCandidate, type OutboundRule } from '../../src/provisioning/outbound.logic.js';

const now = Date.parse('2026-12-01T12:00:00-03:00');
const rule = (pattern: string, extra: Partial<OutboundRule> = {}): OutboundRule => ({
  pattern,
  strip: 0,
  prefix: '',
  callerId: null,
  forceCallerId: false,
  restrictTo: [],
  brazil: null,
  ...extra,
});
const route = (id: number, name: string, rules: OutboundRule[], extra: Partial<OutboundRouteCandidate<string>> = {}): OutboundRouteCandidate<string> => ({
  id,
  name,
  position: id,
  rules,
  trunks: ['trunk-a', 'trunk-b'],
  timeConditionId: null,
  ...extra,
});

const routes = [
  route(1, 'Geral', [rule('_0XX.', { strip: 1, prefix: '1515' }), rule('_X.')]),
  route(2, 'Celular', [rule('_09XXXXXXXX', { strip: 1 })]),
  route(3, 'Brasil', [rule('_[2-9]XXXXXXX', { brazil: { carrierCode: '21' } }), rule('_0ZXXXXXXXXX', { brazil: { carrierCode: '21' } })]),
  route(4, 'Diretoria', [rule('_00.', { restrictTo: ['2001'], callerId: '1133334444', forceCallerId: true })]),
  route(5, 'Emergência', [rule('190')]),
];
const caller = { extension: '1001', outboundCallerId: null };

describe('chooseOutbound', () => {
  it.each([
    // dialled, route, pattern, digits
    ['01133334444', 'Brasil', '_0ZXXXXXXXXX', '33334444'],
    ['021987654321', 'Geral', '_0XX.', '151521987654321'],
    ['0987654321', 'Celular', '_09XXXXXXXX', '987654321'],
    ['33334444', 'Brasil', '_[2-9]XXXXXXX', '33334444'],
    ['190', 'Emergência', '190', '190'],
    ['12345', 'Geral', '_X.', '12345'],
  ])('%s → route %s, rule %s, sends %s', (dialled, routeName, pattern, digits) => {
    const c = chooseOutbound(routes, dialled, caller, { now, ddd: '11' });
    expect(c.ok && [c.route.name, c.rule.pattern, c.digits]).toEqual([routeName, pattern, digits]);
  });

  it('dials another DDD as long distance with the carrier code, from the tenant’s DDD', () => {
    const c = chooseOutbound(routes, '02133334444', caller, { now, ddd: '11' });
    expect(c.ok && [c.rule.pattern, c.digits, c.kind]).toEqual(['_0ZXXXXXXXXX', '0212133334444', 'long_distance']);
  });

  it('passes over a rule restricted to other extensions, saying why', () => {
    const c = chooseOutbound(routes, '0012125551234', caller, { now, ddd: '11' });
    expect(c.ok && [c.route.name, c.rule.pattern]).toEqual(['Geral', '_0XX.']);
    expect(c.passedOver).toEqual([{ route: 'Diretoria', pattern: '_00.', reason: 'restricted to extensions 2001' }]);
  });

  it('a restricted rule serves its extension, with the forced caller id', () => {
    const c = chooseOutbound(routes, '0012125551234', { extension: '2001', outboundCallerId: '1140001000' }, { now, ddd: '11' });
    expect(c.ok && [c.route.name, c.digits, c.callerId]).toEqual(['Diretoria', '0012125551234', '1133334444']);
  });

  it('keeps the extension’s own caller id unless the rule forces one', () => {
    const withOwn = chooseOutbound([route(1, 'R', [rule('_X.', { callerId: '1133330000' })])], '123', { extension: '1001', outboundCallerId: '1140001000' }, { now, ddd: '11' });
    expect(withOwn.ok && withOwn.callerId).toBe('1140001000');
    const without = chooseOutbound([route(1, 'R', [rule('_X.', { callerId: '1133330000' })])], '123', caller, { now, ddd: '11' });
    expect(without.ok && without.callerId).toBe('1133330000');
  });

  it('equal patterns go by route order, then rule order', () => {
    const c = chooseOutbound([route(2, 'B', [rule('_X.', { prefix: 'b' })]), route(1, 'A', [rule('_X.', { prefix: 'a1' }), rule('_X.', { prefix: 'a2' })])], '55', caller, { now, ddd: '11' });
    expect(c.ok && c.digits).toBe('a155');
  });

  it('a route whose time condition is closed is passed over', () => {
    const closed = [route(1, 'Horário', [rule('_X.')], { timeConditionId: 7 }), route(2, 'Sempre', [rule('_X.')])];
    const c = chooseOutbound(closed, '55', caller, { now, ddd: '11', timeConditionOpen: () => false });
    expect(c.ok && c.route.name).toBe('Sempre');
    expect(c.passedOver[0]?.reason).toBe('its time condition is closed');
  });

  it('says why nothing matched', () => {
    expect(chooseOutbound([route(1, 'R', [rule('_0X.')])], '55', caller, { now, ddd: '11' })).toEqual({
      ok: false,
      reason: 'no outbound route matches 55',
      passedOver: [],
    });
    const noDdd = chooseOutbound([route(3, 'Brasil', [rule('_X.', { brazil: { carrierCode: '21' } })])], '33334444', caller, { now, ddd: null });
    expect(noDdd).toMatchObject({ ok: false, reason: 'every route matching 33334444 was passed over' });
  });
});
