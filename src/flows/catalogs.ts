/**
 * What call flows need from the modules that own the other kinds of destination and the
 * tenants' prompts. Each owner registers what it knows; flows never reads their tables.
 */
import { NUMBER_PROMPTS } from '../calls/number-prompts.logic.js';
import { invalidField } from '../kernel/index.js';
import type { Media } from '../telephony/call-control.js';
import type { Destination, RowDestinationKind } from '../calls/index.js';
import type { PromptRef } from './ivr.model.js';

/**
 * Destinations of every kind, as the owners of their rows know them (provisioning's
 * `Destinations` serves it): the flows resources check their exits here and register where
 * their own rows send a caller who presses nothing.
 */
export interface DestinationCatalog {
  /** Throws a 400 naming `${field}.id` when the row named is not the tenant's. */
  check(tenantId: number, destination: Destination, field: string): void;
  /** Where a caller who presses nothing goes on from this destination (for loop checks). */
  silentExits(tenantId: number, destination: Destination): Destination[];
  registerSilentExits(kind: RowDestinationKind, exits: (tenantId: number, id: number) => Destination[]): void;
  /** Throws a 400 naming `field` when a caller who presses nothing would go from `self` through `exits` back to it. */
  checkNoSilentLoop(tenantId: number, self: Destination, exits: Destination[], field: string): void;
}

/** The tenants' own prompts (uploaded or spoken by the TTS), owned by the prompts module. */
export interface PromptCatalog {
  /** Does the tenant have this prompt? */
  exists(tenantId: number, id: number): boolean;
  /** What Asterisk plays for it: an absolute path without extension. */
  mediaPath(tenantId: number, id: number): string;
}

/** Atende's own prompts (`sounds/<lang>/<name>.wav`, made by scripts/make-sounds.sh). */
export const SOUNDS = {
  welcome: 'atende-welcome',
  invalidOption: 'atende-invalid-option',
  timeout: 'atende-timeout',
  triesExceeded: 'atende-tries-exceeded',
  closed: 'atende-closed',
  goodbye: 'atende-goodbye',
  pleaseHold: 'atende-please-hold',
  dialerDrop: 'atende-dialer-drop',
  surveyIntro: 'atende-survey-intro',
  surveyInvalid: 'atende-survey-invalid',
  surveyThanks: 'atende-survey-thanks',
  voicemailGreeting: 'atende-voicemail-greeting',
  voicemailSaved: 'atende-voicemail-saved',
  voicemailFull: 'atende-voicemail-full',
  beep: 'atende-beep',
  conferencePin: 'atende-conference-pin',
  conferencePinInvalid: 'atende-conference-pin-invalid',
  conferenceJoin: 'atende-conference-join',
  conferenceLeave: 'atende-conference-leave',
  conferenceFull: 'atende-conference-full',
  queuePosition: 'atende-queue-position',
  queuePositionEnd: 'atende-queue-position-end',
  queueWait: 'atende-queue-wait',
  minute: 'atende-minute',
  minutes: 'atende-minutes',
  queueLessThanAMinute: 'atende-queue-less-than-a-minute',
  fallbackTone: 'atende-fallback-tone',
} as const;


/** Every name a `{kind:'sound'}` reference may use. */
export const SOUND_NAMES: ReadonlySet<string> = new Set([...Object.values(SOUNDS), ...NUMBER_PROMPTS]);

/** Throws a 400 naming the field for a prompt the tenant does not have or a sound Atende does not ship. */
export function checkPromptRef(prompts: PromptCatalog | undefined, tenantId: number, ref: PromptRef, field: string): void {
  if (ref.kind === 'sound') {
    if (!SOUND_NAMES.has(ref.name)) throw invalidField(field, `${field}: Atende has no prompt named ${ref.name}`);
    return;
  }
  if (!prompts?.exists(tenantId, ref.id)) throw invalidField(field, `${field}: there is no prompt ${ref.id}`);
}

/** Media for a prompt reference in `lang` (the tenant's prompts have one language; Atende's have one per directory). */
export function promptRefMedia(prompts: PromptCatalog | undefined, soundsDir: string, tenantId: number, ref: PromptRef, lang: string): Media | undefined {
  if (ref.kind === 'sound') return { kind: 'file', path: `${soundsDir}/${lang}/${ref.name}` };
  return prompts ? { kind: 'file', path: prompts.mediaPath(tenantId, ref.id) } : undefined;
}
