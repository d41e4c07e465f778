import type { TabulationActions } from '../db/schema/index.js';
import { renderTemplate, type TemplateValues } from './template.logic.js';

/**
 * What finishing an interaction with a status (and tags) does. Pure: the service applies the
 * contact changes in its transaction and hands the commands to whoever runs the interaction
 * (the ACD sends the closing message or transfers; the dialer redials).
 */
export interface ContactChanges {
  doNotCall: boolean;
  /** The phone the interaction used is wrong. */
  phoneInvalid: boolean;
  /** Set the owner to the agent until this time (null: no end), clear it, or leave it. */
  owner: { set: true; until: number | null } | { set: false } | null;
}

export type FinishCommand =
  | { type: 'send_closing_message'; text: string }
  | { type: 'transfer'; serviceId: number }
  | { type: 'redial'; afterMinutes: number };

export interface FinishPlan {
  contact: ContactChanges;
  commands: FinishCommand[];
}

const DAY = 86_400_000;

/** The actions of the status and the tags taken together: any that marks, marks; the first message or transfer wins. */
export function mergeActions(all: readonly TabulationActions[]): TabulationActions {
  const out: TabulationActions = {};
  for (const a of all) {
    out.closingMessage ??= a.closingMessage ?? null;
    out.transferServiceId ??= a.transferServiceId ?? null;
    out.redialAfterMinutes ??= a.redialAfterMinutes ?? null;
    if (a.markPhoneInvalid) out.markPhoneInvalid = true;
    if (a.markContactDoNotCall) out.markContactDoNotCall = true;
    if (a.owner && !out.owner) {
      out.owner = a.owner;
      out.ownerDays = a.ownerDays ?? null;
    }
  }
  return out;
}

export function planFinish(actions: TabulationActions, digital: boolean, values: TemplateValues, now: number): FinishPlan {
  const commands: FinishCommand[] = [];
  if (actions.closingMessage && digital) commands.push({ type: 'send_closing_message', text: renderTemplate(actions.closingMessage, values) });
  if (actions.transferServiceId) commands.push({ type: 'transfer', serviceId: actions.transferServiceId });
  // A number found wrong or a contact who asked not to be called is never redialled.
  if (actions.redialAfterMinutes && !actions.markPhoneInvalid && !actions.markContactDoNotCall) {
    commands.push({ type: 'redial', afterMinutes: actions.redialAfterMinutes });
  }
  return {
    contact: {
      doNotCall: actions.markContactDoNotCall === true,
      phoneInvalid: actions.markPhoneInvalid === true,
      owner: actions.owner === 'set' ? { set: true, until: actions.ownerDays ? now + actions.ownerDays * DAY : null } : actions.owner === 'clear' ? { set: false } : null,
    },
    commands,
  };
}
