/**
 * A campaign's manual controls and the reasons it may dial nothing while running. Pure.
 */
import type { CampaignState } from '../db/schema/index.js';

export const CAMPAIGN_COMMANDS = ['start', 'pause', 'resume', 'stop'] as const;
export type CampaignCommand = (typeof CAMPAIGN_COMMANDS)[number];

const FROM: Readonly<Record<CampaignCommand, readonly CampaignState[]>> = {
  start: ['draft', 'stopped', 'finished'],
  pause: ['running'],
  resume: ['paused'],
  stop: ['running', 'paused'],
};
const TO: Readonly<Record<CampaignCommand, CampaignState>> = { start: 'running', pause: 'paused', resume: 'running', stop: 'stopped' };

export type Transition = { ok: true; state: CampaignState } | { ok: false; message: string };

export function campaignTransition(state: CampaignState, command: CampaignCommand): Transition {
  if (FROM[command].includes(state)) return { ok: true, state: TO[command] };
  return { ok: false, message: `a ${state} campaign cannot ${command}; it can ${CAMPAIGN_COMMANDS.filter((c) => FROM[c].includes(state)).join(', ') || 'only be edited'}` };
}

/** Why a running campaign dials nothing now, most fundamental first. */
export type IdleReason = 'no_lists' | 'lists_inactive' | 'exhausted' | 'outside_window' | 'no_agents';

export interface CampaignFacts {
  lists: number;
  activeLists: number;
  /** Contacts of the active lists the dialer may still try. */
  pending: number;
  windowOpen: boolean;
  /** Agents logged in to the campaign's service; null while the ACD cannot tell. */
  agentsLoggedIn: number | null;
}

export function idleReasons(f: CampaignFacts): IdleReason[] {
  const out: IdleReason[] = [];
  if (f.lists === 0) out.push('no_lists');
  else if (f.activeLists === 0) out.push('lists_inactive');
  else if (f.pending === 0) out.push('exhausted');
  if (!f.windowOpen) out.push('outside_window');
  if (f.agentsLoggedIn === 0) out.push('no_agents');
  return out;
}
