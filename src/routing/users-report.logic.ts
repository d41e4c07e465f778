/**
 * The users report (the reference platform's "Relatório de Usuários": performance per agent
 * over a period): time logged in, available, ringing, in attendance, in wrap-up and paused (per
 * pause reason), talk per channel, inbound and outbound attendances, offers answered and not,
 * and the mean handle time. Pure: each agent's stored facts in, one line per agent out. The
 * state figures are the agent's day figures (`agentDay`) over the period.
 */
import { toCsv } from '../kernel/index.js';
import { channelOf, type Channel, type InteractionKind } from './routing.model.js';
import { agentDay, type PlacedCallFacts, type StateStretch } from './today.logic.js';

/** A queue visit the agent answered. */
export interface AgentVisitFacts {
  kind: InteractionKind;
  answeredAt: number;
  endedAt: number | null;
  talkMs: number;
  holdMs: number;
  wrapMs: number;
  /** Its wrap-up is over: its handle time (talk + hold + wrap-up) is final. */
  handled: boolean;
}

export interface AgentFacts {
  userId: number;
  name: string;
  team: string | null;
  /** State stretches overlapping the period (the open one runs to now). */
  states: readonly StateStretch[];
  visits: readonly AgentVisitFacts[];
  /** Calls the agent placed from its own phone (outbound, no queue). */
  placed: readonly PlacedCallFacts[];
  /** Every offer of a queue interaction to the agent: answered or not. */
  offers: readonly { answered: boolean }[];
}

export const CHANNELS: readonly Channel[] = ['voice', 'chat', 'email'];

export interface UserReportLine {
  userId: number;
  name: string;
  team: string | null;
  loggedSeconds: number;
  availableSeconds: number;
  ringingSeconds: number;
  /** In attendance (the `busy` state). */
  busySeconds: number;
  wrapUpSeconds: number;
  pausedSeconds: number;
  pauses: { reason: string; seconds: number; count: number }[];
  /** Per channel: attendances and talk (voice includes the calls the agent placed). */
  channels: { channel: Channel; attendances: number; talkSeconds: number }[];
  holdSeconds: number;
  /** Queue calls and chats/e-mails received. */
  inbound: number;
  /** Dialer calls and calls the agent placed. */
  outbound: number;
  /** Queue interactions answered (inbound and dialer). */
  answered: number;
  offers: number;
  notAnswered: number;
  /** Mean handle time (talk + hold + wrap-up) of the finished visits, seconds, one decimal. */
  ahtSeconds: number | null;
}

const tenths = (ms: number) => Math.round(ms / 100) / 10;

/** One line per agent over [from, now) (now: the end of the period, or the present moment when earlier), by name. */
export function usersReport(agents: readonly AgentFacts[], from: number, now: number): UserReportLine[] {
  return agents
    .map((a) => {
      const day = agentDay({ visits: a.visits, placed: a.placed, states: a.states, from, now });
      const channels = CHANNELS.map((channel) => {
        const visits = a.visits.filter((v) => channelOf(v.kind) === channel);
        const placed = channel === 'voice' ? a.placed : [];
        return { channel, attendances: visits.length + placed.length, talkSeconds: agentDay({ visits, placed, states: [], from, now }).talkSeconds };
      });
      const handled = a.visits.filter((v) => v.handled);
      const handleMs = handled.reduce((s, v) => s + v.talkMs + v.holdMs + v.wrapMs, 0);
      const dialer = a.visits.filter((v) => v.kind === 'voice_out').length;
      return {
        userId: a.userId,
        name: a.name,
        team: a.team,
        loggedSeconds: day.loggedSeconds,
        availableSeconds: day.byState.available,
        ringingSeconds: day.byState.offered,
        busySeconds: day.byState.busy,
        wrapUpSeconds: day.byState.wrap_up,
        pausedSeconds: day.byState.paused,
        pauses: day.pauses,
        channels,
        holdSeconds: day.holdSeconds,
        inbound: a.visits.length - dialer,
        outbound: dialer + a.placed.length,
        answered: a.visits.length,
        offers: a.offers.length,
        notAnswered: a.offers.filter((o) => !o.answered).length,
        ahtSeconds: handled.length === 0 ? null : tenths(handleMs / handled.length),
      };
    })
    .sort((x, y) => x.name.localeCompare(y.name, 'pt-BR') || x.userId - y.userId);
}

const CHANNEL_COLUMNS: Record<Channel, string> = { voice: 'tempo em ligação (voz) (s)', chat: 'tempo em chat (s)', email: 'tempo em e-mail (s)' };

/** The report as CSV: one line per agent; a column per pause reason met in the period. */
export function usersReportCsv(lines: readonly UserReportLine[]): string {
  const reasons = [...new Set(lines.flatMap((l) => l.pauses.map((p) => p.reason)))].sort((a, b) => a.localeCompare(b, 'pt-BR'));
  const header = [
    'agente',
    'equipe',
    'tempo logado (s)',
    'tempo disponível (s)',
    'tempo tocando (s)',
    'tempo em atendimento (s)',
    'tempo em pós-atendimento (s)',
    'tempo em pausa (s)',
    ...reasons.map((r) => `pausa ${r || '(sem motivo)'} (s)`),
    ...CHANNELS.map((c) => CHANNEL_COLUMNS[c]),
    ...CHANNELS.map((c) => `atendimentos ${c === 'voice' ? 'voz' : c === 'chat' ? 'chat' : 'e-mail'}`),
    'tempo em espera (s)',
    'atendimentos inbound',
    'atendimentos outbound',
    'atendidas',
    'oferecidas',
    'não atendidas',
    'TMA (s)',
  ];
  const rows = lines.map((l) => [
    l.name,
    l.team ?? '',
    l.loggedSeconds,
    l.availableSeconds,
    l.ringingSeconds,
    l.busySeconds,
    l.wrapUpSeconds,
    l.pausedSeconds,
    ...reasons.map((r) => l.pauses.find((p) => p.reason === r)?.seconds ?? 0),
    ...l.channels.map((c) => c.talkSeconds),
    ...l.channels.map((c) => c.attendances),
    l.holdSeconds,
    l.inbound,
    l.outbound,
    l.answered,
    l.offers,
    l.notAnswered,
    l.ahtSeconds,
  ]);
  return toCsv(header, rows);
}
