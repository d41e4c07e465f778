/**
 * What an agent's tabulation of a dialer call does to the contact in its list (PRODUCT.md §5):
 * the status's actions become list actions, which `applyDisposition` then applies. Pure.
 */
import type { DispositionAction } from './contacts.logic.js';

/** The part of a status (and its tags' actions, merged) the list cares about. */
export interface Tabulated {
  redialAfterMinutes?: number | null;
  markPhoneInvalid?: boolean;
  markContactDoNotCall?: boolean;
  /** The status schedules a callback (the agent picked `callbackAt`). */
  schedulesCallback: boolean;
  /** The status makes the agent the contact's owner. */
  setsOwner: boolean;
}

export interface DispositionContext {
  /** The phone the call used. */
  phone: string;
  agentId: string;
  /** The contact's owner (carteirização) before this tabulation. */
  ownerId: string | null;
  /** When the agent asked to be called back; required when the status schedules a callback. */
  callbackAt: number | null;
}

/**
 * A person who asked not to be called is never called again; a wrong number is not dialled
 * again but the contact's other phones stay in the list; a callback goes to the agent when the
 * contact is theirs; a status that neither redials nor schedules ends the contact's turn.
 */
export function dispositionActions(t: Tabulated, ctx: DispositionContext): DispositionAction[] {
  const out: DispositionAction[] = [];
  if (t.markPhoneInvalid) out.push({ kind: 'phone_invalid', phone: ctx.phone });
  if (t.markContactDoNotCall) {
    out.push({ kind: 'do_not_call' }, { kind: 'finish' });
    return out;
  }
  if (t.schedulesCallback && ctx.callbackAt !== null) {
    const owned = t.setsOwner || ctx.ownerId === ctx.agentId;
    out.push({ kind: 'callback', at: ctx.callbackAt, agentId: owned ? ctx.agentId : null });
  } else if (t.redialAfterMinutes || t.markPhoneInvalid) {
    out.push({ kind: 'redial', afterMs: (t.redialAfterMinutes ?? 0) * 60_000 });
  } else {
    out.push({ kind: 'finish' });
  }
  return out;
}
