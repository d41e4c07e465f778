/**
 * The agent's queue call in conversation as the server controls it — hold, mute, blind
 * transfer, consult (attended transfer) and conference through `/api/v1/agent/calls/…` —
 * whatever phone carries it: the webphone, a softphone or a desk phone. The phone's own hold
 * and the consult's progress arrive as pushes (`agent.call` on the `agents` topic). The desk and the webphone page both drive this one state, so a
 * queue call is never held twice over (the webphone's own SIP hold is for its other calls).
 */
import { onMounted, onUnmounted, reactive, readonly } from 'vue';
import { api, ok, ApiError, type Body, type Json } from '@/api/client';
import { session } from '@/auth/session';
import { subscribe } from '@/events/socket';
import { reportError } from '@/kit/notify';

type Agent = Json<'/api/v1/agent', 'get'>;
export type TransferRequest = Body<'/api/v1/agent/calls/{interactionId}/transfer', 'post'>;
type TalkState = Json<'/api/v1/agent/calls/{interactionId}', 'get'>;
export type Consult = NonNullable<TalkState['consult']>;

interface AgentCall {
  /** The interaction in conversation; null when the agent is not talking on a queue call. */
  interactionId: string | null;
  /** The server has the call in conversation: its controls work. */
  ready: boolean;
  held: boolean;
  muted: boolean;
  /** The agent's consult in progress: with whom, and whether it rings, talks or is in conference. */
  consult: Consult | null;
  /** A request on the call is on its way. */
  acting: boolean;
}

const state = reactive<AgentCall>({ interactionId: null, ready: false, held: false, muted: false, consult: null, acting: false });

const talkOf = (t: TalkState) => ({ held: t.held, muted: t.muted, consult: t.consult });
export const agentCall = readonly(state);

/**
 * The server puts the call in conversation a moment after the agent turns busy: ask again until
 * it has. An interaction that is no queue call in conversation (a dialer's) stays without controls.
 */
const RETRY_MS = 1000;
const TRIES = 10;
let retry: number | undefined;

async function load(interactionId: string, tries = TRIES): Promise<void> {
  window.clearTimeout(retry);
  try {
    const talk = await ok(api.GET('/api/v1/agent/calls/{interactionId}', { params: { path: { interactionId } } }));
    if (state.interactionId === interactionId) Object.assign(state, { ready: true, ...talkOf(talk) });
  } catch (e) {
    if (state.interactionId !== interactionId) return;
    const status = e instanceof ApiError ? e.status : undefined;
    if (status === 409 && tries > 1) retry = window.setTimeout(() => void load(interactionId, tries - 1), RETRY_MS);
    // 404: the call ended (or went to someone else) before the answer: the next state push says so.
    else if (status !== 409 && status !== 404) reportError(e);
  }
}

/** Follows the agent's state: busy with an interaction means a call whose controls are shown. */
export function followAgent(agent: Pick<Agent, 'state' | 'interactionIds'> | null): void {
  const id = agent?.state === 'busy' ? (agent.interactionIds[0] ?? null) : null;
  if (id === state.interactionId) return;
  window.clearTimeout(retry);
  Object.assign(state, { interactionId: id, ready: false, held: false, muted: false, consult: null, acting: false });
  if (id !== null) void load(id);
}

/**
 * A push of the call's controls (in conversation now, the phone held, the consult answered…):
 * taken if it is this call's, which is then in conversation whatever an earlier answer said.
 */
function followCall(call: (TalkState & { interactionId: string }) | undefined): void {
  if (!call || call.interactionId !== state.interactionId) return;
  window.clearTimeout(retry);
  Object.assign(state, { ready: true, ...talkOf(call) });
}

async function control(send: (interactionId: string) => Promise<TalkState | null>): Promise<void> {
  const interactionId = state.interactionId;
  if (interactionId === null || !state.ready || state.acting) return;
  state.acting = true;
  try {
    const talk = await send(interactionId);
    if (talk && state.interactionId === interactionId) Object.assign(state, talkOf(talk));
  } catch (e) {
    reportError(e);
  } finally {
    state.acting = false;
  }
}

const path = (interactionId: string) => ({ params: { path: { interactionId } } });
/** Consult over: complete the transfer (or leave the conference), cancel, join the three, end the conference for all. */
export const completeConsult = (): Promise<void> =>
  control(async (id) => {
    await ok(api.POST('/api/v1/agent/calls/{interactionId}/consult/complete', path(id)));
    return null;
  });
export const cancelConsult = (): Promise<void> => control((id) => ok(api.POST('/api/v1/agent/calls/{interactionId}/consult/cancel', path(id))));
export const startConference = (): Promise<void> => control((id) => ok(api.POST('/api/v1/agent/calls/{interactionId}/conference', path(id))));
export const endConference = (): Promise<void> =>
  control(async (id) => {
    await ok(api.POST('/api/v1/agent/calls/{interactionId}/conference/end', path(id)));
    return null;
  });

export const toggleCallHold = (): Promise<void> =>
  control((interactionId) => ok(api.POST('/api/v1/agent/calls/{interactionId}/hold', { params: { path: { interactionId } }, body: { on: !state.held } })));
export const toggleCallMute = (): Promise<void> =>
  control((interactionId) => ok(api.POST('/api/v1/agent/calls/{interactionId}/mute', { params: { path: { interactionId } }, body: { on: !state.muted } })));
/** Hangs the call up from the desk, whatever phone carries it (a softphone's hang-up through the API). */
export const hangUpCall = (): Promise<void> =>
  control(async (id) => {
    await ok(api.POST('/api/v1/agent/calls/{interactionId}/hangup', path(id)));
    return null;
  });

/** The blind transfer: the agent's leg is hung up; an `ApiError` says why it was refused. */
export async function transferCall(to: TransferRequest): Promise<void> {
  const interactionId = state.interactionId;
  if (interactionId === null) throw new ApiError(409, 'conflict', 'no call in conversation');
  await ok(api.POST('/api/v1/agent/calls/{interactionId}/transfer', { params: { path: { interactionId } }, body: to }));
}

/** The attended transfer begins: the customer is held and the target rung; an `ApiError` says why it was refused. */
export async function consultCall(to: TransferRequest): Promise<void> {
  const interactionId = state.interactionId;
  if (interactionId === null) throw new ApiError(409, 'conflict', 'no call in conversation');
  const talk = await ok(api.POST('/api/v1/agent/calls/{interactionId}/consult', { params: { path: { interactionId } }, body: to }));
  if (state.interactionId === interactionId) Object.assign(state, talkOf(talk));
}

/** The agent's own state as the events socket pushes it (`agents` topic); `onResync` after a gap. */
export function watchMyAgent(onAgent: (a: Agent) => void, onResync: () => void): () => void {
  return subscribe(
    'agents',
    (m) => {
      const a = m.data?.agent as Agent | undefined;
      if (!a || a.userId !== session.me?.id) return;
      onAgent(a);
      if (m.type === 'agent.call') followCall(m.data?.call as Parameters<typeof followCall>[0]);
    },
    onResync,
  );
}

/**
 * For a screen that shows the call without the desk's own agent state (the webphone page):
 * follows the agent's state while the screen is open. A user who is not an agent has no queue call.
 */
export function useAgentCall(): void {
  let stop: (() => void) | undefined;
  const refresh = async () => {
    try {
      followAgent(await ok(api.GET('/api/v1/agent')));
    } catch (e) {
      if (!(e instanceof ApiError && (e.status === 403 || e.status === 404))) reportError(e);
      followAgent(null);
    }
  };
  onMounted(() => {
    void refresh();
    stop = watchMyAgent(followAgent, () => void refresh());
  });
  onUnmounted(() => stop?.());
}
