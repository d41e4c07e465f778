/**
 * What call flows need from the modules that own the other kinds of destination and the
 * tenants' prompts. Each owner registers what it knows; flows never reads their tables.
 */
import { NUMBER_PROMPTS } from '../calls/number-prompts.logic.js';
import { invalidField } from '../kernel/index.js';
import type { Media } from '../telephony/call-control.js';
import { describeDestination, isRowDestination, type Destination, type RowDestinationKind } from './destination.js';
import type { PromptRef } from './ivr.model.js';

/** What the owner of a kind of destination tells flows about its rows. */
export interface DestinationKindSupport {
  /** What the admin calls the kind, for messages: `queue`, `time condition`. */
  label: string;
  /** The row's name if it exists in the tenant, else undefined. */
  nameOf(tenantId: number, id: number): string | undefined;
  /** Where a caller who presses nothing goes next from this row (for loop checks). */
  silentExits?(tenantId: number, id: number): Destination[];
}

/** Destination kinds by owner; a kind nobody has registered is refused with a clear message. */
export class DestinationCatalog {
  private readonly kinds = new Map<RowDestinationKind, DestinationKindSupport>();

  register(kind: RowDestinationKind, support: DestinationKindSupport): void {
    this.kinds.set(kind, support);
  }

  supports(kind: RowDestinationKind): boolean {
    return this.kinds.has(kind);
  }

  /** Throws a 400 naming `field` if the destination does not exist in the tenant, or its kind is not available. */
  check(tenantId: number, destination: Destination, field: string): void {
    if (!isRowDestination(destination)) return;
    const support = this.kinds.get(destination.kind);
    if (!support) throw invalidField(field, `${field}: ${destination.kind} destinations are not available yet`);
    if (support.nameOf(tenantId, destination.id) === undefined) {
      throw invalidField(field, `${field}: there is no ${support.label} ${destination.id}`);
    }
  }

  /** `queue Vendas (3)` for messages and screens; the bare description when unknown. */
  describe(tenantId: number, destination: Destination): string {
    if (!isRowDestination(destination)) return describeDestination(destination);
    const name = this.kinds.get(destination.kind)?.nameOf(tenantId, destination.id);
    return name === undefined ? describeDestination(destination) : `${destination.kind} ${name} (${destination.id})`;
  }

  silentExits(tenantId: number, destination: Destination): Destination[] {
    if (!isRowDestination(destination)) return [];
    return this.kinds.get(destination.kind)?.silentExits?.(tenantId, destination.id) ?? [];
  }
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
