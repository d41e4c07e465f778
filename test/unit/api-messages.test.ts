/**
 * The API's error messages in Portuguese: how a message is matched to its catalogue sentence,
 * which language a request asks for, and that every sentence the code raises has its
 * translation (a new `conflict('…')` without one fails here, naming where it is raised).
 */
import { describe, expect, it } from 'vitest';
import { placeholdersOf, requestedLocale, translator, unrecognisable } from '../../src/http/messages/catalogue.js';
import { localize, ptBR, ptBRParts } from '../../src/http/messages/index.js';
import { sentenceOf, sourceMessages } from '../helpers/message-templates.js';

describe('translator', () => {
  const tr = translator({
    'queue not found': 'fila não encontrada',
    'a queue named "{0}" already exists': 'já existe uma fila chamada "{0}"',
    'cannot delete: {0}': 'não é possível excluir: {0}',
    '{0} of {1} agents are paused': '{1} agentes, {0} deles em pausa',
    '{0} is required': '{0} é obrigatório',
    'a protocol is required': 'o protocolo é obrigatório',
    'no such queue {0}': 'fila {0} inexistente',
    '{0} must be {1}': '{0} deve ser {1}',
    'must be in the future': 'deve estar no futuro',
  });

  it('translates a sentence with no values word for word', () => {
    expect(tr('queue not found')).toBe('fila não encontrada');
  });

  it('keeps a quoted value (user data) as it is, even when it reads like a known sentence', () => {
    expect(tr('a queue named "Vendas" already exists')).toBe('já existe uma fila chamada "Vendas"');
    expect(tr('a queue named "queue not found" already exists')).toBe('já existe uma fila chamada "queue not found"');
  });

  it('translates an unquoted value that is itself a known sentence', () => {
    expect(tr('cannot delete: queue not found')).toBe('não é possível excluir: fila não encontrada');
    expect(tr('cannot delete: 3 calls waiting')).toBe('não é possível excluir: 3 calls waiting');
  });

  it('lets the translation put the values in another order', () => {
    expect(tr('2 of 5 agents are paused')).toBe('5 agentes, 2 deles em pausa');
  });

  it('prefers the most specific sentence', () => {
    expect(tr('a protocol is required')).toBe('o protocolo é obrigatório');
    expect(tr('tenantId is required')).toBe('tenantId é obrigatório');
  });

  it("keeps a field's path at the head and translates the rest", () => {
    expect(tr('phones.0.number: queue not found')).toBe('phones.0.number: fila não encontrada');
    expect(tr('listIds.2: no such queue 7')).toBe('listIds.2: fila 7 inexistente');
    expect(tr('rules[0].pattern: no such queue 7')).toBe('rules[0].pattern: fila 7 inexistente');
    // …before any sentence that starts with a value could take the path for that value
    expect(tr('expiresAt: must be in the future')).toBe('expiresAt: deve estar no futuro');
    expect(tr('agents must be 3')).toBe('agents deve ser 3');
  });

  it('translates sentences joined by "; " one by one when no sentence holds them all', () => {
    expect(tr('queue not found; a protocol is required; 3 calls waiting')).toBe('fila não encontrada; o protocolo é obrigatório; 3 calls waiting');
    expect(tr('number: no such queue 7; queue not found')).toBe('number: fila 7 inexistente; fila não encontrada');
  });

  it('returns a message it does not know as it is', () => {
    expect(tr('the moon is made of cheese')).toBe('the moon is made of cheese');
    expect(tr('name: the moon is made of cheese')).toBe('name: the moon is made of cheese');
    expect(tr('')).toBe('');
  });

  it('finds each fixed piece at its first place after the value before it', () => {
    const t2 = translator({ '{0} {1}: {2}; nothing was saved': '{0} {1}: {2}; nada foi salvo', create: 'inclusão' });
    expect(t2('create 2: the name: "a; b" is taken; nothing was saved')).toBe('inclusão 2: the name: "a; b" is taken; nada foi salvo');
  });

  it('returns a long message that almost matches sentences (their pieces everywhere) as it is', () => {
    const t2 = translator({ '{0} {1}: {2}; nothing was saved': '…', '{0}: {1} and {2}: {3} or {4}': '…' });
    const long = 'a: b '.repeat(800);
    expect(t2(long)).toBe(long);
    expect(t2(`${'x: y and '.repeat(400)}z`)).toBe(`${'x: y and '.repeat(400)}z`);
  });

  it('does not recognise a sentence with hardly any fixed words', () => {
    const vague = translator({ '{0}: {1}': '{1}: {0}', '{0} ok': '{0} certo' });
    expect(vague('a: b')).toBe('a: b');
    expect(vague('all ok')).toBe('all ok');
  });
});

describe('requestedLocale', () => {
  it.each([
    [undefined, 'en'],
    ['', 'en'],
    ['pt-BR', 'pt-BR'],
    ['pt', 'pt-BR'],
    ['pt-PT,en;q=0.5', 'pt-BR'],
    ['pt-BR,pt;q=0.9,en-US;q=0.8,en;q=0.7', 'pt-BR'],
    ['en-US,en;q=0.9,pt-BR;q=0.8', 'en'],
    ['fr-FR, pt;q=0.4', 'pt-BR'],
    ['en;q=0.3, pt-BR;q=0.6', 'pt-BR'],
    ['pt-BR;q=0, en', 'en'],
    ['*', 'en'],
    ['pt-BR;q=abc', 'en'],
  ])('%j → %s', (header, locale) => {
    expect(requestedLocale(header)).toBe(locale);
  });
});

describe('the Portuguese catalogue', () => {
  const source = sourceMessages();
  const written = new Set([...source.literals].flatMap((l) => [l, sentenceOf(l) ?? l]));
  const { validator, ...ours } = ptBRParts;

  it('holds every sentence the code raises as an API error', () => {
    const missing = source.raised
      .map((t) => ({ ...t, sentence: sentenceOf(t.text) }))
      .filter((t) => t.sentence !== undefined && ptBR[t.sentence] === undefined)
      .map((t) => `${t.where}: ${t.sentence}`);
    expect(missing).toEqual([]);
    expect(source.raised.length).toBeGreaterThan(300);
  });

  it('holds only sentences the code writes (none left behind by a reworded message)', () => {
    const stale = Object.values(ours).flatMap((c) => Object.keys(c).filter((k) => !written.has(k)));
    expect(stale).toEqual([]);
    expect(Object.keys(validator!).length).toBeGreaterThan(20);
  });

  it('words a refused dial with each route passed over and why', () => {
    const refused = 'number: every route matching 0800 was passed over; route "Saída; SP", rule _0X.: its time condition is closed; route "Celular", rule _9X.: restricted to extensions 1001, 1002';
    expect(localize(refused, 'pt-BR')).toBe(
      'number: todas as rotas que casam com 0800 foram descartadas; rota "Saída; SP", regra _0X.: a condição de horário da rota está fechada; rota "Celular", regra _9X.: restrita aos ramais 1001, 1002',
    );
    expect(localize(refused, 'en')).toBe(refused);
  });

  it('can recognise every sentence it holds in a message', () => {
    expect(unrecognisable(ptBR)).toEqual([]);
  });

  it('gives each translation the values of its sentence, and some words', () => {
    const wrong = Object.entries(ptBR).filter(([from, to]) => to.trim() === '' || placeholdersOf(from).join() !== placeholdersOf(to).join());
    expect(wrong).toEqual([]);
  });

  it('translates a sentence written in two areas the same way', () => {
    const seen = new Map<string, string>();
    const clashes: string[] = [];
    for (const part of Object.values(ptBRParts)) {
      for (const [from, to] of Object.entries(part)) {
        if (seen.has(from) && seen.get(from) !== to) clashes.push(from);
        seen.set(from, to);
      }
    }
    expect(clashes).toEqual([]);
  });
});
