import type { Json } from '@/api/client';

export type OpenInteraction = Json<'/api/v1/interactions', 'get'>['items'][number];

/** Where an open interaction stands for its agent: talking, after-call work, or left pending. */
export type Phase = 'conversation' | 'wrap_up' | 'pending';
export const PHASES: readonly Phase[] = ['conversation', 'wrap_up', 'pending'];

/**
 * An open interaction is in conversation while its queue visit is one the agent is busy with
 * (the agent's state lists them); after the call it is the agent's after-call work until
 * tabulated or left pending.
 */
export function phaseOf(i: Pick<OpenInteraction, 'state' | 'details'>, talking: readonly string[]): Phase {
  if (i.state === 'pending') return 'pending';
  const visit = i.details.visitId;
  return typeof visit === 'string' && talking.includes(visit) ? 'conversation' : 'wrap_up';
}

/** Does the interaction match what the agent typed: part of the contact's name, the service or the protocol (accents and case ignored). */
export function matches(i: Pick<OpenInteraction, 'contactName' | 'serviceName' | 'protocol' | 'address'>, query: string): boolean {
  const fold = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase();
  const q = fold(query.trim());
  if (q === '') return true;
  return [i.contactName, i.serviceName, i.protocol, i.address].some((v) => v !== null && fold(v).includes(q));
}
