/** IVR nodes with everyday settings, for tests to override what they are about. */
import type { CollectNode, MenuNode } from '../../src/flows/index.js';

export const sound = (name: string) => ({ kind: 'sound' as const, name });
export const prompt = (id: number) => ({ kind: 'prompt' as const, id });

export const menuNode = (over: Partial<MenuNode> = {}): MenuNode => ({
  id: 'main',
  name: 'Main',
  kind: 'menu',
  bargeIn: true,
  greeting: [],
  prompt: [prompt(1)],
  options: [{ digit: '1', target: { destination: { kind: 'queue', id: 1 } } }],
  directDialLength: null,
  timeoutSeconds: 5,
  interDigitSeconds: 3,
  retries: 2,
  invalidPrompt: [],
  timeoutPrompt: [],
  exhaustedPrompt: [],
  onExhausted: { destination: { kind: 'hangup', cause: 16 } },
  ...over,
});

/** Collects an 11-digit CPF ended by #. */
export const collectNode = (over: Partial<CollectNode> = {}): CollectNode => ({
  id: 'cpf',
  name: 'CPF',
  kind: 'collect',
  bargeIn: true,
  prompt: [prompt(3)],
  variable: 'cpf',
  minDigits: 11,
  maxDigits: 11,
  terminator: '#',
  validator: 'cpf',
  range: null,
  timeoutSeconds: 5,
  interDigitSeconds: 3,
  retries: 1,
  invalidPrompt: [],
  timeoutPrompt: [],
  exhaustedPrompt: [],
  onExhausted: { destination: { kind: 'queue', id: 3 } },
  next: { destination: { kind: 'queue', id: 2 } },
  ...over,
});
