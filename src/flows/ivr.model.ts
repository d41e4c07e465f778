import type { Destination } from '../calls/destination.model.js';

/**
 * What to play: a tenant's prompt (an uploaded file or text spoken by the TTS, from
 * provisioning) by id, or one of Atende's own prompts by name (`sounds/<lang>/<name>.wav`).
 */
export type PromptRef = { kind: 'prompt'; id: number } | { kind: 'sound'; name: string };

/** Where an IVR step leads: another node of the same IVR, or out of it. */
export type NodeTarget = { node: string } | { destination: Destination };

export const OPTION_DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#'] as const;
export type OptionDigit = (typeof OPTION_DIGITS)[number];

export interface MenuOption {
  digit: OptionDigit;
  target: NodeTarget;
  /** What the option is for, shown in the editor and the report. */
  label?: string;
}

/** What every node that waits for the caller shares. */
interface WaitingNode {
  id: string;
  name: string;
  /** A digit stops the prompt and counts as input (Background). Off: digits during a prompt are ignored. */
  bargeIn: boolean;
  /** Wait for the first digit once the prompt has ended. */
  timeoutSeconds: number;
  /** Wait between two digits once the first has arrived. */
  interDigitSeconds: number;
  /** Times the prompt is played again after an invalid entry or a timeout; then the node is exhausted. */
  retries: number;
  /** Played after an invalid entry (none: the prompt again at once). */
  invalidPrompt: PromptRef[];
  /** Played after a timeout (none: the prompt again at once). */
  timeoutPrompt: PromptRef[];
  /** Played when the retries are used up, before `onExhausted`. */
  exhaustedPrompt: PromptRef[];
  onExhausted: NodeTarget;
}

/** A menu: greeting once, then the menu prompt, then a digit picks an option (or an extension). */
export interface MenuNode extends WaitingNode {
  kind: 'menu';
  /** Played once when the caller enters the node, not on retries. */
  greeting: PromptRef[];
  prompt: PromptRef[];
  options: MenuOption[];
  /** Callers may dial an extension of this many digits directly; null: off. */
  directDialLength: number | null;
}

export const DIGIT_VALIDATORS = ['none', 'cpf', 'cnpj', 'cpf_or_cnpj', 'range'] as const;
export type DigitValidator = (typeof DIGIT_VALIDATORS)[number];

/** Collects digits (a CPF, an order number) into the call's data, then goes on. */
export interface CollectNode extends WaitingNode {
  kind: 'collect';
  prompt: PromptRef[];
  /** Name under which the value is kept in the call's data. */
  variable: string;
  minDigits: number;
  maxDigits: number;
  /** Ends the entry early; not part of the value. */
  terminator: '#' | '*' | null;
  validator: DigitValidator;
  /** For the `range` validator: the entry read as a number must lie within (a survey's 1–5). */
  range: { min: number; max: number } | null;
  next: NodeTarget;
}

/** Plays prompts to the end (digits are ignored), then goes on: a message inside a flow. */
export interface PlayNode {
  id: string;
  name: string;
  kind: 'play';
  prompts: PromptRef[];
  next: NodeTarget;
}

export type IvrNode = MenuNode | CollectNode | PlayNode;

/** One version of an IVR: what a call runs from entry to exit, whatever is edited meanwhile. */
export interface IvrDefinition {
  /** Language of Atende's own prompts and of digits read out (`pt-BR`). */
  language: string;
  /** The node a call enters. */
  root: string;
  nodes: IvrNode[];
}

/** What the IVR report counts. Every step a caller takes is one of these, per call. */
export type IvrTraceEvent =
  | { event: 'entered'; node: string }
  | { event: 'option'; node: string; digits: string }
  | { event: 'direct_dial'; node: string; digits: string }
  | { event: 'collected'; node: string; variable: string }
  | { event: 'invalid'; node: string; digits: string }
  | { event: 'timeout'; node: string }
  | { event: 'exhausted'; node: string }
  | { event: 'exit'; node: string; destination: Destination }
  /** The caller hung up inside the IVR. */
  | { event: 'abandon'; node: string };

export type IvrTraceKind = IvrTraceEvent['event'];

export type IvrEvent =
  /** A playback the machine asked for ended (played, stopped or failed: the runner has dealt with failures). */
  | { type: 'played'; playId: number }
  | { type: 'digit'; digit: string }
  /** The deadline given as `wakeAt` may have passed. */
  | { type: 'tick' }
  | { type: 'hangup' };

export type IvrCommand =
  | { type: 'play'; playId: number; prompts: PromptRef[] }
  | { type: 'stopPlay'; playId: number }
  | { type: 'trace'; trace: IvrTraceEvent }
  /** Keep a collected value in the call's data. */
  | { type: 'setData'; name: string; value: string }
  /** The call leaves the IVR for a destination. Always the last command. */
  | { type: 'exit'; destination: Destination };

export type IvrPhase =
  /** Greeting playing. */
  | 'greeting'
  /** Menu or collect prompt playing. */
  | 'prompt'
  /** A play node's prompts playing. */
  | 'message'
  /** Invalid/timeout prompt playing; the prompt follows. */
  | 'feedback'
  /** Prompt over; waiting for the first digit until the deadline. */
  | 'waiting'
  /** Digits coming in; the inter-digit deadline runs. */
  | 'digits'
  /** Exhausted prompt playing; then `onExhausted`. */
  | 'exhausted'
  | 'done';

export interface IvrState {
  node: string;
  phase: IvrPhase;
  /** Digits entered so far in this attempt. */
  digits: string;
  /** Invalid entries and timeouts in this node since the caller entered it. */
  failures: number;
  /** The playback whose end the machine waits for; null when none. */
  playId: number | null;
  deadline: number | null;
  /** Counter for play ids. */
  seq: number;
  /** Nodes entered, to bound a runaway loop. */
  entries: number;
}

export interface IvrStep {
  state: IvrState;
  commands: IvrCommand[];
  /** When to deliver the next `tick`; undefined: no deadline. */
  wakeAt: number | undefined;
}

/** What the machine needs to know besides the definition. */
export interface IvrEnvironment {
  /**
   * Extensions direct dial may reach, number → extension id, asked for only when the caller's
   * digits need them (most calls never dial one). None: direct dial reaches nothing.
   */
  extensions?: () => ReadonlyMap<string, number>;
}
