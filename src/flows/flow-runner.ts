/**
 * The one place calls run through destinations: each kind has an executor that does its part
 * on the leg and says where the call goes next. Flows executes the kinds it owns (IVR, time
 * condition, announcement, voicemail, conference, hang up); the owners of the others register
 * theirs (the telephony flows of src/calls: extension and external number; the ACD's voice
 * side: queue). The number of hops is bounded, so a loop that slipped past the save-time
 * checks ends in a hangup, not a call that never ends.
 */
import { existsSync } from 'node:fs';
import type { CallContext, DestinationRunner } from '../calls/index.js';
import { newId, type Logger } from '../kernel/index.js';
import { TelephonyError, type EventOf, type Media } from '../telephony/call-control.js';
import { normaliseCallerId } from './caller-id.logic.js';
import { promptRefMedia, SOUNDS, type PromptCatalog } from './catalogs.js';
import { describeDestination, MAX_DESTINATION_HOPS, type Destination, type DestinationKind } from '../calls/index.js';
import type { FlowsModule } from './flows.service.js';
import { runIvrSession, type PromptResolver } from './ivr-session.js';
import type { IvrEnvironment, PromptRef } from './ivr.model.js';
import { DEFAULT_LANGUAGE } from './ivr.resource.js';
import { surveyToIvr } from './survey.logic.js';
import { surveyScript } from './survey.resource.js';
import { wavDurationMs } from './voicemail-store.js';

export type DestinationOutcome =
  /** Go on to another destination. */
  | { next: Destination }
  /** The leg is over (hung up, or the caller left). */
  | { done: true }
  /** An agent leg ended with the caller still on the line: the survey of the call runs now, if any. */
  | { afterAgent: true };

/** What an executor knows about the call's path so far. */
export interface FlowRun {
  /** The survey the caller hears after an agent leg (set by an IVR that has one). */
  surveyId: number | null;
  /** Destinations passed, in order. */
  path: Destination[];
}

export type DestinationExecutor = (call: CallContext, destination: Destination, run: FlowRun) => Promise<DestinationOutcome>;

/** Names under which the caller's number is kept in the call's data. */
export const CALLER_DATA = { raw: 'caller_id_raw', e164: 'caller_id_e164' } as const;

/** An announcement as flows plays it (provisioning owns the rows). */
export interface AnnouncementScript {
  prompts: PromptRef[];
  language: string;
  next: Destination;
}

/** A conference room as flows runs it (provisioning owns the rows). */
export interface ConferenceRoom {
  pin: string | null;
  /** Members at most; null: no limit. */
  maxMembers: number | null;
  language: string;
}

export interface FlowRunnerDeps {
  flows: FlowsModule;
  /** Directory Atende's own prompts are played from (`sounds/` or `ATENDE_SOUNDS_DIR`). */
  soundsDir: string;
  logger: Logger;
  /** Extensions direct dial may reach, number → id (provisioning's extensions). */
  extensions?: (tenantId: number) => ReadonlyMap<string, number>;
  announcements?: (tenantId: number, id: number) => AnnouncementScript | undefined;
  conferences?: (tenantId: number, id: number) => ConferenceRoom | undefined;
  /** Is the caller's number (E.164, or raw when it does not normalise) on the tenant's inbound blacklist now? */
  blacklisted?: (tenantId: number, number: string, now: number) => boolean;
  /** The cause a blacklisted caller is refused with, before answer (default 21, call rejected: SIP 403). */
  blacklistCause?: () => number;
  /**
   * Is a prompt's file there for Asterisk to play (path without extension)? Default: looked up
   * on this machine, which sees Asterisk's sounds (same host or a shared volume).
   */
  fileExists?: (path: string) => boolean;
}

/** Shorter than this is a hang-up at the beep, not a message. */
const MIN_MESSAGE_MS = 1000;

/** A file Asterisk will find, whatever extension it picks. */
const fileExists = (path: string): boolean => ['wav', 'alaw', 'ulaw', 'sln', 'gsm'].some((ext) => existsSync(`${path}.${ext}`));

export class FlowRunner implements DestinationRunner {
  private readonly executors = new Map<DestinationKind, DestinationExecutor>();
  /** Channels in each conference bridge this process put there. */
  private readonly rooms = new Map<string, Set<string>>();
  readonly fallback: Media;

  constructor(private readonly deps: FlowRunnerDeps) {
    this.fallback = { kind: 'file', path: `${deps.soundsDir}/pt-BR/${SOUNDS.fallbackTone}` };
    this.register('hangup', async (call, d) => {
      await call.hangup(d.kind === 'hangup' ? (d.cause ?? 16) : 16);
      return { done: true };
    });
    this.register('time_condition', async (call, d) => this.timeCondition(call, d));
    this.register('ivr', (call, d, run) => this.ivr(call, d, run));
    this.register('announcement', (call, d) => this.announcement(call, d));
    this.register('voicemail', (call, d) => this.voicemail(call, d));
    this.register('conference', (call, d) => this.conference(call, d));
  }

  /** What other modules know that the runner needs: extensions for direct dial, announcements, conference rooms, the blacklist. */
  provide(p: Pick<FlowRunnerDeps, 'extensions' | 'announcements' | 'conferences' | 'blacklisted' | 'blacklistCause'>): void {
    Object.assign(this.deps, p);
  }

  /** The executor of a kind (owners of extension, external, queue, conference register theirs). */
  register(kind: DestinationKind, executor: DestinationExecutor): void {
    this.executors.set(kind, executor);
  }

  /**
   * Media of a tenant's prompt references. Atende's own prompts fall back to pt-BR when the
   * language has no file; anything still missing is replaced by the fallback tone.
   */
  resolverFor(tenantId: number): PromptResolver {
    return (refs, language) => {
      const prompts: PromptCatalog | undefined = this.deps.flows.promptCatalog();
      const media: Media[] = [];
      const missing: PromptRef[] = [];
      for (const ref of refs) {
        const found = [language, DEFAULT_LANGUAGE]
          .map((lang) => promptRefMedia(prompts, this.deps.soundsDir, tenantId, ref, lang))
          .find((m): m is Media => m !== undefined && (m.kind !== 'file' || (this.deps.fileExists ?? fileExists)(m.path)));
        if (found) media.push(found);
        else {
          missing.push(ref);
          media.push(this.fallback);
        }
      }
      return { media, missing };
    };
  }

  /** Runs the call from `start` until it is over. */
  async run(call: CallContext, start: Destination): Promise<void> {
    const run: FlowRun = { surveyId: null, path: [] };
    let at: Destination = start;
    for (let hop = 0; ; hop++) {
      if (call.ended) return;
      if (hop >= MAX_DESTINATION_HOPS) {
        call.log.error({ path: run.path.map(describeDestination) }, 'too many destinations for one call; hanging up');
        await call.hangup(16);
        return;
      }
      run.path.push(at);
      const executor = this.executors.get(at.kind);
      if (!executor) {
        call.log.error({ destination: describeDestination(at) }, 'no engine runs this kind of destination; hanging up');
        await call.hangup(16);
        return;
      }
      call.log.info({ destination: describeDestination(at) }, 'destination');
      const outcome = await executor(call, at, run);
      if ('next' in outcome) at = outcome.next;
      else {
        if ('afterAgent' in outcome && run.surveyId !== null && !call.ended) {
          await this.survey(call, run.surveyId);
          await call.hangup(16);
        }
        return;
      }
    }
  }

  /**
   * Before an inbound call's route: the caller's number is normalised to E.164 (the tenant's DDD
   * completes a local number) and kept with the raw value in the call's data; a caller on the
   * inbound blacklist gets the cause to refuse the call with, unanswered.
   */
  async screen(call: CallContext): Promise<number | undefined> {
    const { flows } = this.deps;
    const caller = normaliseCallerId(call.channel.caller.number, flows.repo.tenantDdd(call.tenantId));
    const now = call.clock.now();
    flows.repo.setCallData(call.tenantId, call.callId, CALLER_DATA.raw, caller.raw, now);
    if (caller.e164 !== null) flows.repo.setCallData(call.tenantId, call.callId, CALLER_DATA.e164, caller.e164, now);
    if (!this.deps.blacklisted?.(call.tenantId, caller.e164 ?? caller.raw, now)) return undefined;
    const cause = this.deps.blacklistCause?.() ?? 21;
    call.log.info({ caller: caller.raw, cause }, 'caller refused by the inbound blacklist');
    return cause;
  }

  /** Direct dial's extensions, read once per IVR visit and only when the caller's digits first need them. */
  private env(tenantId: number): IvrEnvironment {
    const load = this.deps.extensions;
    if (!load) return {};
    let extensions: ReadonlyMap<string, number> | undefined;
    return { extensions: () => (extensions ??= load(tenantId)) };
  }

  private async timeCondition(call: CallContext, d: Destination): Promise<DestinationOutcome> {
    const row = 'id' in d ? this.deps.flows.timeConditions.row(call.tenantId, d.id) : undefined;
    if (!row) return this.gone(call, d);
    const { decision, destination } = this.deps.flows.decide(row, call.clock.now());
    call.log.info({ timeCondition: row.id, state: decision.state, rule: decision.rule, next: describeDestination(destination) }, 'time condition');
    return { next: destination };
  }

  private async ivr(call: CallContext, d: Destination, run: FlowRun): Promise<DestinationOutcome> {
    const { flows } = this.deps;
    const row = 'id' in d ? flows.ivrs.row(call.tenantId, d.id) : undefined;
    if (!row) return this.gone(call, d);
    // The version the call entered stays its version, whatever is saved meanwhile.
    const version = row.version;
    const def = flows.currentDefinition(row);
    if (row.surveyId !== null) run.surveyId = row.surveyId;
    if ((await call.answer()) === 'gone') return { done: true };
    const { exit } = await runIvrSession(call, def, this.env(call.tenantId), this.resolverFor(call.tenantId), this.fallback, {
      trace: (t, at) =>
        flows.repo.insertTrace({
          tenantId: call.tenantId,
          callId: call.callId,
          ivrId: row.id,
          version,
          node: t.node,
          event: t.event,
          digits: 'digits' in t ? t.digits : null,
          destination: t.event === 'exit' ? t.destination : null,
          at,
        }),
      setData: (name, value, at) => flows.repo.setCallData(call.tenantId, call.callId, name, value, at),
    });
    return exit ? { next: exit } : { done: true };
  }

  private async announcement(call: CallContext, d: Destination): Promise<DestinationOutcome> {
    const script = 'id' in d ? this.deps.announcements?.(call.tenantId, d.id) : undefined;
    if (!script) return this.gone(call, d);
    if ((await call.answer()) === 'gone') return { done: true };
    if (script.prompts.length === 0) {
      call.log.warn({ announcement: d }, 'announcement has no prompt yet; going on');
      return { next: script.next };
    }
    return (await this.say(call, script.prompts, script.language)) ? { next: script.next } : { done: true };
  }

  /** Plays prompts to the end; false when the caller hung up meanwhile. A failure gets the fallback tone. */
  private async say(call: CallContext, refs: PromptRef[], language: string): Promise<boolean> {
    const { media, missing } = this.resolverFor(call.tenantId)(refs, language);
    if (missing.length > 0) call.log.warn({ missing }, 'prompt files missing; the fallback tone plays instead');
    const outcome = await call.play(media);
    if (outcome === 'failed') {
      call.log.warn('prompt could not be played; playing the fallback tone');
      return (await call.play([this.fallback])) !== 'hangup';
    }
    return outcome !== 'hangup';
  }

  /**
   * Caixa postal: greeting, beep, the caller records until # or the length limit (or hangs
   * up: what was said is kept), the WAV is stored and listed for the box.
   */
  private async voicemail(call: CallContext, d: Destination): Promise<DestinationOutcome> {
    const { flows } = this.deps;
    const box = 'id' in d ? flows.voicemailBoxes.row(call.tenantId, d.id) : undefined;
    if (!box) return this.gone(call, d);
    if ((await call.answer()) === 'gone') return { done: true };
    if (flows.repo.messageCount(box.id) >= box.maxMessages) {
      call.log.warn({ box: box.id }, 'voicemail box full');
      if (await this.say(call, [{ kind: 'sound', name: SOUNDS.voicemailFull }], box.language)) await call.hangup(16);
      return { done: true };
    }
    if (!(await this.say(call, [...box.greeting, { kind: 'sound', name: SOUNDS.beep }], box.language))) return { done: true };
    const name = `atende-vm-${call.callId}-${newId().slice(0, 8)}`;
    const finished = new Promise<EventOf<'RecordingFinished'> | undefined>((resolve) => {
      // Asterisk may report the end after the leg is gone: listen on the port, not the leg.
      const stop = call.control.onEvent((e) => {
        if (e.type === 'RecordingFinished' && e.name === name) {
          stop();
          guard.cancel();
          resolve(e);
        }
      });
      const guard = call.clock.setTimeout(() => {
        stop();
        resolve(undefined);
      }, (box.maxMessageSeconds + 30) * 1000);
    });
    const startedAt = call.clock.now();
    try {
      await call.control.record({ channelId: call.channel.id }, { name, format: 'wav', maxDurationSeconds: box.maxMessageSeconds, maxSilenceSeconds: 10, beep: false, terminateOn: '#', ifExists: 'overwrite' });
    } catch (err) {
      call.log.warn({ err }, 'recording could not start');
      return { done: true };
    }
    const end = await finished;
    if (!end || end.failed) {
      call.log.warn({ box: box.id, cause: end?.cause }, 'voicemail recording failed');
      return { done: true };
    }
    try {
      const wav = await call.control.getRecording(name);
      const durationMs = wavDurationMs(wav) ?? end.durationSeconds * 1000;
      if (durationMs < MIN_MESSAGE_MS) {
        call.log.info({ box: box.id, durationMs }, 'voicemail message too short; not kept');
      } else {
        const file = flows.voicemail.save({ tenantId: call.tenantId, boxId: box.id }, wav);
        flows.repo.insertMessage({
          tenantId: call.tenantId,
          boxId: box.id,
          callId: call.callId,
          fromNumber: call.channel.caller.number,
          fromName: call.channel.caller.name || null,
          durationMs,
          file,
          bytes: wav.length,
          recordedAt: startedAt,
        });
        call.log.info({ box: box.id, durationMs }, 'voicemail message kept');
      }
    } catch (err) {
      call.log.error({ err, box: box.id }, 'voicemail message could not be stored');
    }
    if (!call.ended && (await this.say(call, [{ kind: 'sound', name: SOUNDS.voicemailSaved }], box.language))) await call.hangup(16);
    return { done: true };
  }

  /**
   * Conferência: the PIN if the room has one (three tries), then the caller joins the room's
   * mixing bridge (one per tenant and room, made on first use) with a join tone for everyone,
   * stays until hanging up, and the others hear a leave tone; the last one out removes the bridge.
   */
  private async conference(call: CallContext, d: Destination): Promise<DestinationOutcome> {
    const room = 'id' in d ? this.deps.conferences?.(call.tenantId, d.id) : undefined;
    if (!room || !('id' in d)) return this.gone(call, d);
    if ((await call.answer()) === 'gone') return { done: true };
    const say = (name: string) => this.say(call, [{ kind: 'sound', name }], room.language);
    if (room.pin !== null) {
      let admitted = false;
      for (let attempt = 0; attempt < 3 && !admitted; attempt++) {
        if (!(await say(SOUNDS.conferencePin))) return { done: true };
        const entry = await call.control.collectDigits(call.channel.id, { maxDigits: 16, interDigitTimeoutMs: 5000, totalTimeoutMs: 15_000, terminator: '#' });
        if (entry.outcome === 'hangup') return { done: true };
        admitted = entry.digits === room.pin;
        if (!admitted && !(await say(SOUNDS.conferencePinInvalid))) return { done: true };
      }
      if (!admitted) {
        await call.hangup(16);
        return { done: true };
      }
    }
    const bridgeId = `atende-conf-t${call.tenantId}-${d.id}`;
    const members = this.rooms.get(bridgeId) ?? new Set<string>();
    if (room.maxMembers !== null && members.size >= room.maxMembers) {
      if (await say(SOUNDS.conferenceFull)) await call.hangup(16);
      return { done: true };
    }
    this.rooms.set(bridgeId, members);
    members.add(call.channel.id);
    const tone = (name: string) => this.resolverFor(call.tenantId)([{ kind: 'sound', name }], room.language).media;
    try {
      await call.control.createBridge({ id: bridgeId, name: bridgeId }).catch((err: unknown) => {
        // Made by an earlier caller (or before a restart): join it.
        if (!(err instanceof TelephonyError && err.code === 'conflict')) throw err;
      });
      await call.control.addToBridge(bridgeId, call.channel.id);
      await call.control.play({ bridgeId }, tone(SOUNDS.conferenceJoin)).catch(() => undefined);
      call.log.info({ conference: d.id, members: members.size }, 'joined the conference');
      await call.whenEnded;
    } finally {
      members.delete(call.channel.id);
      if (members.size > 0) await call.control.play({ bridgeId }, tone(SOUNDS.conferenceLeave)).catch(() => undefined);
      else {
        this.rooms.delete(bridgeId);
        await call.control.destroyBridge(bridgeId).catch((err: unknown) => call.log.debug({ err }, 'conference bridge already gone'));
      }
    }
    return { done: true };
  }

  /**
   * The satisfaction survey on a caller still on the line (after the agent leg): each answer
   * is stored as it is given, so a caller who hangs up half-way leaves the answers so far.
   */
  async survey(call: CallContext, surveyId: number): Promise<void> {
    const { flows } = this.deps;
    const row = flows.surveys.row(call.tenantId, surveyId);
    if (!row) return void call.log.warn({ surveyId }, 'survey no longer exists');
    if ((await call.answer()) === 'gone') return;
    call.log.info({ surveyId }, 'survey');
    await runIvrSession(call, surveyToIvr(surveyScript(row)), {}, this.resolverFor(call.tenantId), this.fallback, {
      trace: () => undefined,
      setData: (alias, value, at) => flows.repo.saveAnswer(call.tenantId, surveyId, call.callId, alias, Number(value), at),
    });
  }

  /** The row a destination names was deleted while calls were on their way to it. */
  private async gone(call: CallContext, d: Destination): Promise<DestinationOutcome> {
    call.log.error({ destination: describeDestination(d) }, 'destination no longer exists; hanging up');
    await call.hangup(16);
    return { done: true };
  }
}
