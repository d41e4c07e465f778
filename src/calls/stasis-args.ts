/**
 * The entry-args convention: what a channel carries into the Stasis application, after the app
 * name, and therefore how Atende knows what a channel is for. Pure; see README.md.
 *
 *   inbound,<did>,<trunkRef>              a call from the public network (E1 span or SIP trunk); DID may be empty
 *   internal,<ext>                        an agent's phone dialled <ext>
 *   dialer,<campaignId>,<contactId>       a dialer leg answered by the called party
 *   agent,<callId>                        a leg originated to an agent's phone for call <callId>
 *   outbound,<callId>                     an external leg originated for call <callId>
 *   snoop,<callId>,<listen|whisper|barge> a supervisor's snoop channel on call <callId>
 *   amd,<AMDSTATUS>,<AMDCAUSE>,<original args…>  back from the AMD dialplan context
 *   e2e,<scenario>                        legs of the real-Asterisk test suite
 *
 * Anything else parses as `{ kind: 'unknown' }` with the reason, never an exception.
 */

export type SnoopMode = 'listen' | 'whisper' | 'barge';
export const snoopModes: readonly SnoopMode[] = ['listen', 'whisper', 'barge'];

/** `AMDSTATUS` as app_amd sets it. */
export type AmdStatus = 'HUMAN' | 'MACHINE' | 'NOTSURE' | 'HANGUP';
export const amdStatuses: readonly AmdStatus[] = ['HUMAN', 'MACHINE', 'NOTSURE', 'HANGUP'];

/** Where an inbound call came from: `span:<n>` (DAHDI/E1) or `trunk:<name>` (SIP). */
export type TrunkRef = `span:${number}` | `trunk:${string}`;

export type InboundEntry = { kind: 'inbound'; did: string; trunkRef: TrunkRef };
export type InternalEntry = { kind: 'internal'; exten: string };
export type DialerEntry = { kind: 'dialer'; campaignId: string; contactId: string };
export type AgentEntry = { kind: 'agent'; callId: string };
export type OutboundEntry = { kind: 'outbound'; callId: string };
export type SnoopEntry = { kind: 'snoop'; callId: string; mode: SnoopMode };
export type E2eEntry = { kind: 'e2e'; scenario: string };

/** Every entry that may stand inside an `amd` entry. */
export type PlainEntry = InboundEntry | InternalEntry | DialerEntry | AgentEntry | OutboundEntry | SnoopEntry | E2eEntry;
export type AmdEntry = { kind: 'amd'; status: AmdStatus; cause: string; original: PlainEntry };
export type UnknownEntry = { kind: 'unknown'; args: string[]; problem: string };

export type StasisEntry = PlainEntry | AmdEntry | UnknownEntry;
export type EntryKind = StasisEntry['kind'];
export type KnownEntry = Exclude<StasisEntry, UnknownEntry>;

// A dialplan extension as Asterisk passes it in ${EXTEN}: digits, + * #, or a named one like `s`.
const EXTEN = /^[0-9A-Za-z+*#]{1,40}$/;
// The DID may be empty: a PRI or SIP trunk call without a called number (the dialplan's `s`).
const DID = /^[0-9A-Za-z+*#]{0,40}$/;
// Span number from CHANNEL(dahdi_span); trunk = the PJSIP endpoint name (no comma, no space).
const TRUNK_REF = /^(span:[1-9][0-9]{0,3}|trunk:[^\s,]{1,80})$/;
const ID = /^[A-Za-z0-9_-]{1,64}$/;
const SCENARIO = /^[A-Za-z0-9_.-]{1,64}$/;
// AMDCAUSE looks like `TOOLONG-5000`, `HUMAN-1-1`, `INITIALSILENCE-2500-2500`; it may be empty.
const AMD_CAUSE = /^[A-Za-z0-9_-]{0,64}$/;

const unknown = (args: string[], problem: string): UnknownEntry => ({ kind: 'unknown', args: [...args], problem });

const arity: Record<Exclude<EntryKind, 'amd' | 'unknown'>, number> = {
  inbound: 3,
  internal: 2,
  dialer: 3,
  agent: 2,
  outbound: 2,
  snoop: 3,
  e2e: 2,
};

function parsePlain(args: string[]): PlainEntry | UnknownEntry {
  const [kind = '', a = '', b = ''] = args;
  if (!(kind in arity)) return unknown(args, kind === '' ? 'no arguments' : `unknown entry kind "${kind}"`);
  const expected = arity[kind as keyof typeof arity];
  if (args.length !== expected) return unknown(args, `${kind} takes ${expected - 1} argument(s), got ${args.length - 1}`);
  switch (kind as keyof typeof arity) {
    case 'inbound':
      if (!DID.test(a)) return unknown(args, `bad DID "${a}"`);
      if (!TRUNK_REF.test(b)) return unknown(args, `bad trunk reference "${b}" (span:<n> or trunk:<name>)`);
      return { kind: 'inbound', did: a, trunkRef: b as TrunkRef };
    case 'internal':
      if (!EXTEN.test(a)) return unknown(args, `bad extension "${a}"`);
      return { kind: 'internal', exten: a };
    case 'dialer':
      if (!ID.test(a)) return unknown(args, `bad campaign id "${a}"`);
      if (!ID.test(b)) return unknown(args, `bad contact id "${b}"`);
      return { kind: 'dialer', campaignId: a, contactId: b };
    case 'agent':
    case 'outbound':
      if (!ID.test(a)) return unknown(args, `bad call id "${a}"`);
      return { kind: kind as 'agent' | 'outbound', callId: a };
    case 'snoop':
      if (!ID.test(a)) return unknown(args, `bad call id "${a}"`);
      if (!snoopModes.includes(b as SnoopMode)) return unknown(args, `bad snoop mode "${b}" (listen, whisper or barge)`);
      return { kind: 'snoop', callId: a, mode: b as SnoopMode };
    case 'e2e':
      if (!SCENARIO.test(a)) return unknown(args, `bad scenario "${a}"`);
      return { kind: 'e2e', scenario: a };
  }
}

/** Parses the Stasis args (without the app name). Never throws. */
export function parseStasisArgs(args: readonly string[]): StasisEntry {
  const list = args.map((a) => a.trim());
  if (list[0] !== 'amd') return parsePlain(list);
  const [, status = '', cause = '', ...rest] = list;
  if (list.length < 4) return unknown(list, 'amd takes a status, a cause and the original arguments');
  if (!amdStatuses.includes(status as AmdStatus)) return unknown(list, `bad AMD status "${status}"`);
  if (!AMD_CAUSE.test(cause)) return unknown(list, `bad AMD cause "${cause}"`);
  const original = parsePlain(rest);
  if (original.kind === 'unknown') return unknown(list, `amd: ${original.problem}`);
  return { kind: 'amd', status: status as AmdStatus, cause, original };
}

/** The args for an entry, e.g. for `originate({ appArgs })`. Throws on values the convention cannot carry. */
export function formatStasisArgs(entry: KnownEntry): string[] {
  const out = ((): string[] => {
    switch (entry.kind) {
      case 'inbound':
        return ['inbound', entry.did, entry.trunkRef];
      case 'internal':
        return ['internal', entry.exten];
      case 'dialer':
        return ['dialer', entry.campaignId, entry.contactId];
      case 'agent':
      case 'outbound':
        return [entry.kind, entry.callId];
      case 'snoop':
        return ['snoop', entry.callId, entry.mode];
      case 'e2e':
        return ['e2e', entry.scenario];
      case 'amd':
        return ['amd', entry.status, entry.cause, ...formatStasisArgs(entry.original)];
    }
  })();
  const back = parseStasisArgs(out);
  if (back.kind === 'unknown') throw new Error(`cannot format Stasis args: ${back.problem}`);
  return out;
}

/** The entry an `amd` entry wraps, or the entry itself. */
export const baseEntry = (entry: KnownEntry): PlainEntry => (entry.kind === 'amd' ? entry.original : entry);

/** The call a leg was created for (agent, outbound, snoop legs), if any. */
export function parentCallIdOf(entry: StasisEntry): string | undefined {
  if (entry.kind === 'unknown') return undefined;
  const base = baseEntry(entry);
  return base.kind === 'agent' || base.kind === 'outbound' || base.kind === 'snoop' ? base.callId : undefined;
}

/**
 * The Stasis args of a live channel from its dialplan location, when it is in `app`
 * (`appName` 'Stasis', `appData` 'app,arg1,arg2'); undefined for channels elsewhere.
 */
export function stasisArgsOf(dialplan: { appName: string; appData: string }, app: string): string[] | undefined {
  if (dialplan.appName.toLowerCase() !== 'stasis') return undefined;
  const [name, ...args] = dialplan.appData.split(',');
  return name?.trim() === app ? args : undefined;
}
