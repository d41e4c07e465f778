/**
 * Call scenarios run through the product's own adapters (the `CallControl` port over ARI, and
 * the AMI client) against an Asterisk: a real one (test/e2e/real-asterisk.test.ts) or the
 * emulator (test/integration/e2e-on-emulator.test.ts). The far ends are the extensions of
 * dialplan/e2e.conf, dialled as `Local/<exten>@atende-e2e`.
 *
 * Which half of the Local pair Atende gets: ARI dials `;1` (the channel whose id the originate
 * returns) and, once `;2` runs the extension and answers, puts `;1` into the app. `;2` never
 * enters the app (ARI only subscribes the app to it).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCallsApp, type CallsApp } from '../../src/calls/index.js';
import { loadConfig } from '../../src/config/index.js';
import { openDatabase, type Database_ } from '../../src/db/client.js';
import { calls as callsTable, tenants } from '../../src/db/schema/index.js';
import { FlowRunner, type FlowsModule } from '../../src/flows/index.js';
import { silentLogger, systemClock } from '../../src/kernel/index.js';
import { createModules } from '../../src/modules.js';
import { SYSTEM_ACTOR } from '../../src/org/index.js';
import type { ChannelId, OriginateFailure } from '../../src/telephony/call-control.js';
import { EventLog, on } from './event-log.js';
import type { E2eTarget } from './harness.js';

const context = 'atende-e2e';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function defineScenarios(getTarget: () => E2eTarget): void {
  let log: EventLog;
  /** Legs a scenario left up; hung up after each test so one failure does not leak into the next. */
  const live = new Set<ChannelId>();

  const target = () => getTarget();
  const cc = () => getTarget().callControl;

  beforeAll(() => {
    log = new EventLog(cc());
  });
  afterAll(() => log.close());
  afterEach(async () => {
    await Promise.allSettled([...live].map((id) => cc().hangup(id)));
    live.clear();
  });

  /** Originates `Local/<exten>@atende-e2e` into the app with args `e2e,<scenario>`. */
  async function originate(exten: string, scenario: string, timeoutSeconds = 15): Promise<ChannelId> {
    const id = await cc().originate({
      endpoint: `Local/${exten}@${context}`,
      appArgs: ['e2e', scenario],
      callerId: { number: '1133334444', name: 'Atende e2e' },
      timeoutSeconds,
      variables: target().legVariables,
      id: `e2e-${scenario}-${randomUUID().slice(0, 8)}`,
    });
    live.add(id);
    return id;
  }

  /** Originates a leg that answers and waits until it is in the app. */
  async function answeredLeg(exten: string, scenario: string) {
    const id = await originate(exten, scenario);
    const entered = await log.waitFor(`${exten} leg in the app`, on.entered(id), 10_000);
    return { id, entered };
  }

  async function hangupAndWait(id: ChannelId) {
    await cc().hangup(id);
    const ended = await log.waitFor(`end of ${id}`, on.ended(id), 10_000);
    live.delete(id);
    return ended;
  }

  describe('calls into the app', () => {
    it('an answered call hears a prompt to the end and is hung up by Atende', async () => {
      const { id, entered } = await answeredLeg('answer', 'inbound');
      expect(entered.args).toEqual(['e2e', 'inbound']);
      expect(entered.originated).toBe(true);
      expect(entered.channel.name).toMatch(/^Local\/answer@atende-e2e-[^;]+;1$/);

      await cc().answer(id);
      const started = Date.now();
      const playbackId = await cc().play({ channelId: id }, [target().welcome]);
      const finished = await log.waitFor('end of the welcome prompt', on.playbackFinished(playbackId), 15_000);
      expect(finished.reason).toBe('done');
      expect(finished.target).toEqual({ channelId: id });
      // The prompt lasts about 6 s: finishing much sooner means it did not really play.
      expect(Date.now() - started).toBeGreaterThan(4_000);

      const ended = await hangupAndWait(id);
      expect(ended.hangup.by).toBe('atende');
      expect(ended.hangup.cause).toBe(16);
    });

    it('a caller who hangs up mid-prompt ends the playback and the call', async () => {
      const { id } = await answeredLeg('play-hangup', 'mid-prompt');
      const started = Date.now();
      const playbackId = await cc().play({ channelId: id }, [target().welcome]);

      const ended = await log.waitFor('far-end hangup', on.ended(id), 10_000);
      live.delete(id);
      expect(ended.hangup.by).toBe('remote');
      expect(ended.hangup.cause).toBe(16);
      const finished = await log.waitFor('end of the interrupted prompt', on.playbackFinished(playbackId), 5_000);
      // The port's contract: a playback cut short by a hangup is 'stopped', not 'failed'
      // (Asterisk itself reports such a playback as "failed"; the adapter must tell them apart).
      expect(finished.reason).toBe('stopped');
      // The far end hangs up after about 2 s of a 6 s prompt.
      expect(Date.now() - started).toBeLessThan(5_500);
    });

    it('collects DTMF 1234 ended by #', async () => {
      const { id } = await answeredLeg('answer-dtmf', 'dtmf');
      const result = await cc().collectDigits(id, {
        maxDigits: 10,
        interDigitTimeoutMs: 3_000,
        totalTimeoutMs: 10_000,
        terminator: '#',
      });
      expect(result).toEqual({ outcome: 'terminated', digits: '1234' });
      await hangupAndWait(id);
    });
  });

  describe('originate failures', () => {
    const cases: { exten: string; reason: OriginateFailure; cause: number; timeoutSeconds: number }[] = [
      { exten: 'busy', reason: 'busy', cause: 17, timeoutSeconds: 15 },
      { exten: 'noanswer', reason: 'no_answer', cause: 19, timeoutSeconds: 3 },
      { exten: 'congestion', reason: 'congestion', cause: 34, timeoutSeconds: 15 },
      { exten: 'unallocated', reason: 'unallocated', cause: 1, timeoutSeconds: 15 },
    ];

    it.each(cases)('$exten → OriginateFailed $reason (cause $cause)', async ({ exten, reason, cause, timeoutSeconds }) => {
      const id = await originate(exten, `fail-${exten}`, timeoutSeconds);
      const failed = await log.waitFor(`OriginateFailed for ${exten}`, on.originateFailed(id), (timeoutSeconds + 10) * 1000);
      live.delete(id);
      expect({ reason: failed.reason, cause: failed.cause }).toEqual({ reason, cause });
      expect(log.events.some((e) => e.type === 'CallEntered' && e.channel.id === id)).toBe(false);
    });
  });

  describe('bridging and recording', () => {
    it('bridges two legs and sees one leave when it hangs up', async () => {
      const a = await answeredLeg('answer', 'bridge-a');
      const b = await answeredLeg('answer', 'bridge-b');
      const bridgeId = await cc().createBridge({ name: 'e2e-bridge' });
      try {
        await cc().addToBridge(bridgeId, a.id);
        await cc().addToBridge(bridgeId, b.id);
        await log.waitFor('A in the bridge', on.bridgeEntered(bridgeId, a.id), 5_000);
        await log.waitFor('B in the bridge', on.bridgeEntered(bridgeId, b.id), 5_000);

        await hangupAndWait(a.id);
        await log.waitFor('A out of the bridge', on.bridgeLeft(bridgeId, a.id), 5_000);
        const channels = await cc().listChannels();
        expect(channels.map((c) => c.id)).toContain(b.id);
        expect(channels.map((c) => c.id)).not.toContain(a.id);
      } finally {
        await cc().destroyBridge(bridgeId).catch(() => undefined);
      }
    });

    it('records 2 s of a call and fetches a WAV file', async () => {
      // The `machine` far end talks (a Local leg in Wait() would send no audio to record).
      const { id } = await answeredLeg('machine', 'record');
      const name = `atende-e2e-${randomUUID()}`;
      await cc().record({ channelId: id }, { name, format: 'wav', maxDurationSeconds: 30, ifExists: 'overwrite' });
      await log.waitFor('recording started', on.recordingStarted(name), 5_000);
      await sleep(2_000);
      await cc().stopRecording(name);
      const finished = await log.waitFor('recording finished', on.recordingFinished(name), 10_000);
      expect(finished.failed).toBe(false);

      const wav = await cc().getRecording(name);
      expect(wav.subarray(0, 4).toString('latin1')).toBe('RIFF');
      expect(wav.subarray(8, 12).toString('latin1')).toBe('WAVE');
      // 8 kHz 16-bit mono is 16 000 bytes a second: about 2 s were recorded, not an empty file.
      expect(wav.length).toBeGreaterThan(44 + 16_000);
      await hangupAndWait(id);
    });
  });

  describe('answering machine detection (dialplan context atende-amd)', () => {
    it.each([
      { exten: 'human', status: 'HUMAN' },
      { exten: 'machine', status: 'MACHINE' },
    ])('$exten comes back into the app as $status', async ({ exten, status }) => {
      const { id } = await answeredLeg(exten, `amd-${exten}`);
      await cc().setVariable(id, 'ATENDE_AMD_ARGS', `e2e,amd-${exten}`);
      await cc().continueInDialplan(id, { context: 'atende-amd', extension: 's', priority: 1 });

      const back = await log.waitFor(`${exten} back from AMD`, on.entered(id, 'amd'), 15_000);
      const [, amdStatus, amdCause, ...original] = back.args;
      expect(amdStatus).toBe(status);
      expect(amdCause).toMatch(/^[A-Z]+(-\d+)+$/);
      expect(original).toEqual(['e2e', `amd-${exten}`]);
      await hangupAndWait(id);
    });
  });

  describe('AMI', () => {
    it('logs in, lists a live e2e channel and answers PJSIPShowEndpoints', async () => {
      const { id } = await answeredLeg('answer', 'ami');
      const channels = await target().ami.channels();
      expect(channels.map((c) => c.id)).toContain(id);
      const endpoints = await target().ami.endpoints();
      expect(Array.isArray(endpoints)).toBe(true);
      await hangupAndWait(id);
    });
  });

  describe('Atende absent (its app not connected)', () => {
    // config/asterisk/pjsip-e2e.conf: PJSIP/<did>@atende-e2e-loop makes Asterisk send an INVITE to
    // itself, which comes back in on endpoint atende-e2e-trunk into atende-from-trunk — a
    // carrier's call. With the app gone, Stasis() fails and the dialplan must answer a temporary
    // failure: SIP 503, which the calling leg reports as cause 34. A 603 Decline (cause 21) is a
    // final answer on which carriers do not reroute.
    it('a call from a SIP trunk gets 503 (cause 34), never 603 Decline', async () => {
      const probeLog = new EventLog(target().probe);
      const mark = log.mark();
      target().cutAri();
      try {
        await log.waitFor('ARI down', on.ari('down'), 30_000, mark);
        const id = await target().probe.originate({
          endpoint: 'PJSIP/1133334444@atende-e2e-loop',
          appArgs: ['e2e', 'sip-absent'],
          callerId: { number: '11987654321', name: 'Atende e2e' },
          timeoutSeconds: 15,
          id: `e2e-sip-absent-${randomUUID().slice(0, 8)}`,
        });
        const failed = await probeLog.waitFor('the trunk call refused', on.originateFailed(id), 20_000);
        expect({ reason: failed.reason, cause: failed.cause }).toEqual({ reason: 'congestion', cause: 34 });
      } finally {
        probeLog.close();
        target().restoreAri();
        await log.waitFor('ARI up again', on.ari('up'), 30_000, mark);
      }
    });
  });

  describe('the shipped Asterisk configuration', () => {
    it('loads the default music-on-hold class (config/asterisk/musiconhold.conf)', async () => {
      const out = await target().ami.command('moh show classes');
      expect(out.map((l) => l.trim())).toContain('Class: default');
    });
  });

  describe('ARI link lost mid-call', () => {
    it('reconnects, still lists the call, and still controls it', async () => {
      const { id } = await answeredLeg('answer', 'ari-drop');
      const mark = log.mark();

      target().cutAri();
      await log.waitFor('ARI down', on.ari('down'), 30_000, mark);
      expect(cc().connectionState()).not.toBe('up');
      await sleep(1_000);

      target().restoreAri();
      await log.waitFor('ARI up again', on.ari('up'), 30_000, mark);
      expect(cc().connectionState()).toBe('up');

      const channels = await cc().listChannels();
      const call = channels.find((c) => c.id === id);
      expect(call?.state).toBe('Up');
      expect(call?.dialplan.appName).toBe('Stasis');

      const ended = await hangupAndWait(id);
      expect(ended.hangup.by).toBe('atende');
    });
  });

  // Last: its calls engine takes over every leg of the app while it runs.
  describe('call flows', () => {
    let dir: string;
    let database: Database_;
    let calls: CallsApp;
    let flows: FlowsModule;
    let tcId: number;
    const change = { actor: SYSTEM_ACTOR };

    beforeAll(async () => {
      dir = mkdtempSync(join(tmpdir(), 'atende-e2e-flows-'));
      database = openDatabase(join(dir, 'atende.db'));
      database.db.insert(tenants).values({ legalName: 'Empresa e2e', cnpj: '11222333000181' }).run();
      const config = loadConfig({}, { dataDir: dir, log: { level: 'silent' } });
      const modules = createModules({ config, database, clock: systemClock, logger: silentLogger });
      flows = modules.flows;
      // The prompts are files of the target's Asterisk: the welcome prompt and a second of silence.
      const welcome = target().welcome;
      const paths = new Map([
        [1, welcome.kind === 'file' ? welcome.path : ''],
        [2, `${target().legVariables.ATENDE_E2E_SOUNDS}/atende-e2e-silence-1s`],
      ]);
      flows.usePrompts({ exists: (_t, id) => paths.has(id), mediaPath: (_t, id) => paths.get(id)! });
      const runner = new FlowRunner({
        flows,
        soundsDir: '',
        logger: silentLogger,
        fileExists: () => true,
        announcements: (_t, id) => (id === 7 ? { prompts: [{ kind: 'prompt', id: 2 }], language: 'pt-BR', next: { kind: 'hangup', cause: 16 } } : undefined),
      });
      flows.destinations.register('announcement', { label: 'announcement', nameOf: (_t, id) => (id === 7 ? 'a7' : undefined) });
      const ivr = flows.ivrs.create(change, 1, {
        name: 'e2e',
        definition: {
          root: 'main',
          nodes: [
            {
              id: 'main',
              kind: 'menu',
              greeting: [{ kind: 'prompt', id: 1 }],
              prompt: [{ kind: 'prompt', id: 2 }],
              options: [
                { digit: '1', target: { destination: { kind: 'hangup', cause: 16 } } },
                { digit: '2', target: { destination: { kind: 'announcement', id: 7 } } },
              ],
            },
          ],
        },
      });
      tcId = flows.timeConditions.create(change, 1, {
        name: 'always',
        periods: [{ start: '00:00', end: '24:00' }],
        openDestination: { kind: 'ivr', id: ivr.id },
        closedDestination: { kind: 'hangup', cause: 16 },
      }).id;
      calls = createCallsApp({
        callControl: cc(),
        database,
        logger: silentLogger,
        clock: systemClock,
        config,
        handlers: {
          e2e: {
            name: 'e2e-flows',
            run: async (call) => {
              if (call.entry.kind === 'e2e' && call.entry.scenario === 'ivr-flow') await runner.run(call, { kind: 'time_condition', id: tcId });
              else await call.whenEnded;
            },
          },
        },
      });
      await calls.start();
    });
    afterAll(async () => {
      await calls?.stop(0);
      database?.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('time condition → IVR → option 2 (DTMF from the far end) → announcement → hang-up', async () => {
      const id = await originate('ivr-press-2', 'ivr-flow');
      const ended = await log.waitFor('end of the IVR call', on.ended(id), 30_000);
      live.delete(id);
      expect(ended.hangup.by).toBe('atende');
      expect(ended.hangup.cause).toBe(16);
      const record = database.db.select().from(callsTable).where(eq(callsTable.channelId, id)).get()!;
      const traces = flows.repo.tracesOf(1, record.callId);
      expect(traces.map((t) => `${t.node} ${t.event}${t.digits ? ` ${t.digits}` : ''}`)).toEqual(['main entered', 'main option 2', 'main exit']);
      expect(traces.at(-1)?.destination).toEqual({ kind: 'announcement', id: 7 });
    });
  });
}
