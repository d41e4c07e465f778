/**
 * The IVR as a pure state machine: `stepIvr(definition, state, event, now)` → the next state, the
 * commands for the runner (play, stop, trace, keep data, exit) and the next deadline. It never
 * touches a channel or a clock; the runner feeds it playback ends, digits, deadline ticks and
 * the hangup, in the order they happened.
 */
import { normaliseCnpj, normaliseCpf } from '../org/org.logic.js';
import type { Destination } from '../calls/destination.model.js';
import type {
  CollectNode,
  DigitValidator,
  IvrCommand,
  IvrDefinition,
  IvrEnvironment,
  IvrEvent,
  IvrNode,
  IvrState,
  IvrStep,
  MenuNode,
  NodeTarget,
  PromptRef,
} from './ivr.model.js';

/** Nodes a call may enter before the IVR gives up on it (a loop no caller input breaks). */
export const MAX_NODE_ENTRIES = 100;
const HANG_UP: Destination = { kind: 'hangup', cause: 16 };

export function isValidEntry(validator: DigitValidator, digits: string, range: { min: number; max: number } | null = null): boolean {
  switch (validator) {
    case 'range':
      return digits.length > 0 && range !== null && Number(digits) >= range.min && Number(digits) <= range.max;
    case 'none':
      return true;
    case 'cpf':
      return normaliseCpf(digits) !== null;
    case 'cnpj':
      return normaliseCnpj(digits) !== null;
    case 'cpf_or_cnpj':
      return normaliseCpf(digits) !== null || normaliseCnpj(digits) !== null;
  }
}

/** Builds one step: the state evolves through the helpers below while commands accumulate. */
class Step {
  readonly commands: IvrCommand[] = [];

  constructor(
    readonly def: IvrDefinition,
    readonly env: IvrEnvironment,
    public state: IvrState,
    readonly now: number,
  ) {}

  get node(): IvrNode {
    const n = this.def.nodes.find((x) => x.id === this.state.node);
    if (!n) throw new Error(`IVR node ${this.state.node} does not exist`);
    return n;
  }

  /** The current node, which waits for the caller (every phase but `message` is in one). */
  get waiting(): MenuNode | CollectNode {
    const n = this.node;
    if (n.kind === 'play') throw new Error(`IVR node ${n.id} does not wait for digits`);
    return n;
  }

  set(patch: Partial<IvrState>): void {
    this.state = { ...this.state, ...patch };
  }

  result(): IvrStep {
    const { deadline } = this.state;
    return { state: this.state, commands: this.commands, wakeAt: deadline ?? undefined };
  }

  /** Plays prompts (then `phase` waits for their end); nothing to play: `then` runs now. */
  play(prompts: PromptRef[], phase: IvrState['phase'], then: () => void): void {
    if (prompts.length === 0) return then();
    const playId = this.state.seq + 1;
    this.set({ phase, playId, seq: playId, deadline: null });
    this.commands.push({ type: 'play', playId, prompts });
  }

  stopPlaying(): void {
    if (this.state.playId !== null) this.commands.push({ type: 'stopPlay', playId: this.state.playId });
    this.set({ playId: null });
  }

  go(target: NodeTarget): void {
    if ('node' in target) this.enter(target.node);
    else this.exit(target.destination);
  }

  exit(destination: Destination): void {
    this.commands.push({ type: 'trace', trace: { event: 'exit', node: this.state.node, destination } });
    this.commands.push({ type: 'exit', destination });
    this.set({ phase: 'done', playId: null, deadline: null });
  }

  enter(nodeId: string): void {
    if (this.state.entries >= MAX_NODE_ENTRIES) return this.exit(HANG_UP);
    this.set({ node: nodeId, digits: '', failures: 0, entries: this.state.entries + 1, deadline: null });
    this.commands.push({ type: 'trace', trace: { event: 'entered', node: nodeId } });
    const node = this.node;
    if (node.kind === 'play') this.play(node.prompts, 'message', () => this.go(node.next));
    else if (node.kind === 'menu') this.play(node.greeting, 'greeting', () => this.prompt());
    else this.prompt();
  }

  prompt(): void {
    this.set({ digits: '' });
    this.play(this.waiting.prompt, 'prompt', () => this.await());
  }

  /** The prompt is over: the caller has `timeoutSeconds` to start. */
  await(): void {
    this.set({ phase: 'waiting', playId: null, deadline: this.now + Math.max(1, this.waiting.timeoutSeconds) * 1000 });
  }

  /** An invalid entry or a timeout: feedback, then the prompt again, or exhausted. */
  fail(kind: 'invalid' | 'timeout'): void {
    const node = this.waiting;
    const { digits } = this.state;
    this.commands.push({ type: 'trace', trace: kind === 'invalid' ? { event: 'invalid', node: node.id, digits } : { event: 'timeout', node: node.id } });
    const failures = this.state.failures + 1;
    this.set({ failures, digits: '', deadline: null });
    if (failures > node.retries) {
      this.commands.push({ type: 'trace', trace: { event: 'exhausted', node: node.id } });
      return this.play(node.exhaustedPrompt, 'exhausted', () => this.go(node.onExhausted));
    }
    this.play(kind === 'invalid' ? node.invalidPrompt : node.timeoutPrompt, 'feedback', () => this.prompt());
  }

  /** A digit counted as input (not during a prompt without barge-in). */
  input(digit: string): void {
    const node = this.waiting;
    this.stopPlaying();
    if (node.kind === 'collect') return this.collectDigit(node, digit);
    const digits = this.state.digits + digit;
    this.set({ digits, phase: 'digits' });
    const direct = node.directDialLength;
    if (direct !== null && /^\d+$/.test(digits)) {
      if (digits.length === direct) return this.directDial(digits);
      // Could still become an extension: wait for more digits (an option digit too, until the inter-digit timeout).
      if (digits.length < direct && this.extensionStartsWith(digits)) return this.set({ deadline: this.now + Math.max(1, node.interDigitSeconds) * 1000 });
    }
    this.resolveMenu(node);
  }

  extensionStartsWith(prefix: string): boolean {
    for (const number of this.env.extensions?.().keys() ?? []) if (number.startsWith(prefix)) return true;
    return false;
  }

  optionFor(node: MenuNode, digits: string) {
    return digits.length === 1 ? node.options.find((o) => o.digit === digits) : undefined;
  }

  resolveMenu(node: MenuNode): void {
    const { digits } = this.state;
    const option = this.optionFor(node, digits);
    if (!option) return this.fail('invalid');
    this.commands.push({ type: 'trace', trace: { event: 'option', node: node.id, digits } });
    this.set({ deadline: null });
    this.go(option.target);
  }

  directDial(digits: string): void {
    const id = this.env.extensions?.().get(digits);
    if (id === undefined) return this.fail('invalid');
    this.commands.push({ type: 'trace', trace: { event: 'direct_dial', node: this.state.node, digits } });
    this.exit({ kind: 'extension', id });
  }

  collectDigit(node: CollectNode, digit: string): void {
    if (node.terminator !== null && digit === node.terminator) return this.finishCollect(node);
    const digits = this.state.digits + digit;
    this.set({ digits, phase: 'digits' });
    if (digits.length >= node.maxDigits) return this.finishCollect(node);
    this.set({ deadline: this.now + Math.max(1, node.interDigitSeconds) * 1000 });
  }

  finishCollect(node: CollectNode): void {
    const { digits } = this.state;
    this.set({ deadline: null });
    if (digits.length < node.minDigits || !/^\d*$/.test(digits) || !isValidEntry(node.validator, digits, node.range)) return this.fail('invalid');
    this.commands.push({ type: 'setData', name: node.variable, value: digits });
    this.commands.push({ type: 'trace', trace: { event: 'collected', node: node.id, variable: node.variable } });
    this.go(node.next);
  }

  /** The deadline passed: no first digit (timeout), or the entry is over (inter-digit). */
  deadlinePassed(): void {
    const node = this.waiting;
    if (this.state.phase === 'waiting') return this.fail('timeout');
    if (node.kind === 'collect') return this.finishCollect(node);
    this.resolveMenu(node);
  }
}

export function startIvr(def: IvrDefinition, now: number, env: IvrEnvironment = {}): IvrStep {
  const initial: IvrState = { node: def.root, phase: 'prompt', digits: '', failures: 0, playId: null, deadline: null, seq: 0, entries: 0 };
  const s = new Step(def, env, initial, now);
  s.enter(def.root);
  return s.result();
}

export function stepIvr(def: IvrDefinition, state: IvrState, event: IvrEvent, now: number, env: IvrEnvironment = {}): IvrStep {
  const s = new Step(def, env, state, now);
  if (state.phase === 'done') return s.result();
  // A deadline that passed before this event arrived is dealt with first, as the caller lived it.
  if (state.deadline !== null && now >= state.deadline) {
    s.deadlinePassed();
    if (event.type === 'tick' || s.state.phase === 'done') return s.result();
    const rest = stepIvr(def, s.state, event, now, env);
    return { state: rest.state, commands: [...s.commands, ...rest.commands], wakeAt: rest.wakeAt };
  }
  switch (event.type) {
    case 'hangup':
      s.commands.push({ type: 'trace', trace: { event: 'abandon', node: state.node } });
      s.set({ phase: 'done', playId: null, deadline: null });
      break;
    case 'played':
      if (event.playId !== state.playId) break;
      s.set({ playId: null });
      if (state.phase === 'greeting') s.prompt();
      else if (state.phase === 'prompt') s.await();
      else if (state.phase === 'feedback') s.prompt();
      else if (state.phase === 'exhausted') s.go(s.waiting.onExhausted);
      else if (state.phase === 'message' && s.node.kind === 'play') s.go(s.node.next);
      break;
    case 'digit': {
      const playing = state.phase === 'greeting' || state.phase === 'prompt' || state.phase === 'feedback';
      if (state.phase === 'exhausted' || state.phase === 'message' || (playing && !s.waiting.bargeIn)) break;
      s.input(event.digit);
      break;
    }
    case 'tick':
      break;
  }
  return s.result();
}
