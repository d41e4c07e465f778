import { describe, expect, it } from 'vitest';
import { mergeActions, planFinish } from '../../src/contacts/tabulation.logic.js';
import { renderTemplate, unknownVariables } from '../../src/contacts/template.logic.js';

const NOW = Date.UTC(2026, 0, 5, 12);

describe('tabulation actions', () => {
  it('status and tags combine: any mark wins, the first message and transfer win', () => {
    const merged = mergeActions([{ closingMessage: 'Obrigado, {{primeiro_nome}}' }, { markContactDoNotCall: true, closingMessage: 'outra', transferServiceId: 3 }, { owner: 'set', ownerDays: 30 }]);
    expect(merged).toMatchObject({ closingMessage: 'Obrigado, {{primeiro_nome}}', markContactDoNotCall: true, transferServiceId: 3, owner: 'set', ownerDays: 30 });
  });

  it('plans the contact changes and the commands for the engine', () => {
    const plan = planFinish({ closingMessage: 'Obrigado, {{primeiro_nome}}! Protocolo {{protocolo}}', owner: 'set', ownerDays: 2, redialAfterMinutes: 30 }, true, { primeiro_nome: 'Maria', protocolo: '20260105000001' }, NOW);
    expect(plan.commands).toEqual([
      { type: 'send_closing_message', text: 'Obrigado, Maria! Protocolo 20260105000001' },
      { type: 'redial', afterMinutes: 30 },
    ]);
    expect(plan.contact).toEqual({ doNotCall: false, phoneInvalid: false, owner: { set: true, until: NOW + 2 * 86_400_000 } });
  });

  it('a voice interaction sends no closing message; a do-not-call or invalid number is never redialled', () => {
    const plan = planFinish({ closingMessage: 'Tchau', markContactDoNotCall: true, redialAfterMinutes: 10, owner: 'clear' }, false, {}, NOW);
    expect(plan.commands).toEqual([]);
    expect(plan.contact).toEqual({ doNotCall: true, phoneInvalid: false, owner: { set: false } });
    expect(planFinish({ markPhoneInvalid: true, redialAfterMinutes: 10 }, false, {}, NOW).commands).toEqual([]);
  });

  it('templates: unknown variables are found; missing values become empty', () => {
    expect(unknownVariables('Olá {{ primeiro_nome }}, {{apelido}}')).toEqual(['apelido']);
    expect(renderTemplate('Olá {{primeiro_nome}}{{agente}}', { primeiro_nome: 'Ana' })).toBe('Olá Ana');
  });
});
