/**
 * The ARI adapter against the Asterisk emulator over loopback: every CallControl operation and
 * the events it produces, including the failure paths.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../../src/kernel/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import {
  createAriCallControl,
  TelephonyError,
  type AriCallControlHandle,
  type CallControl,
  type EventOf,
  type TelephonyEvent,
  type TelephonyEventType,
} from '../../src/telephony/index.js';
import { EventLog } from '../helpers/events.js';

const APP = 'atende';
let dir: string;
let emu: Emulator;
let handle: AriCallControlHandle;
let cc: CallControl;
let log: EventLog<TelephonyEvent>;
const unhandled = vi.fn();

/** A second of 8 kHz 16-bit mono silence, the prompt the tests play (without extension). */
async function writePrompt(name: string, ms: number): Promise<string> {
  const data = Buffer.alloc((8000 * 2 * ms) / 1000);
  const h = Buffer.alloc(44);
  h.write('RIFF', 0);
  h.writeUInt32LE(36 + data.length, 4);
  h.write('WAVE', 8);
  h.write('fmt ', 12);
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(1, 20);
  h.writeUInt16LE(1, 22);
  h.writeUInt32LE(8000, 24);
  h.writeUInt32LE(16000, 28);
  h.writeUInt16LE(2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36);
  h.writeUInt32LE(data.length, 40);
  const path = join(dir, name);
  await writeFile(`${path}.wav`, Buffer.concat([h, data]));
  return path;
}

function is<T extends TelephonyEventType>(type: T, where: (e: EventOf<T>) => boolean = () => true) {
  return (e: TelephonyEvent): e is EventOf<T> => e.type === type && where(e as EventOf<T>);
}

function waitEvent<T extends TelephonyEventType>(type: T, where?: (e: EventOf<T>) => boolean, timeoutMs = 5000) {
  return log.waitFor<EventOf<T>>(is(type, where), timeoutMs, type);
}

/** An inbound call that entered the app (and optionally was answered). */
async function inboundCall(answer = true, did = '1133334444'): Promise<string> {
  const { channelId } = await emu.placeInboundCall({ did, from: '11999990000' });
  await waitEvent('CallEntered', (e) => e.channel.id === channelId);
  if (answer) {
    await cc.answer(channelId);
    await waitEvent('CallAnswered', (e) => e.channelId === channelId);
  }
  return channelId;
}

async function rejection(p: Promise<unknown>): Promise<TelephonyError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(TelephonyError);
  return e as TelephonyError;
}

beforeAll(async () => {
  process.on('unhandledRejection', unhandled);
  dir = await mkdtemp(join(tmpdir(), 'atende-ari-'));
  emu = await startEmulator({ recordingsDir: join(dir, 'recordings'), speed: 50 });
  handle = createAriCallControl({ url: emu.ariUrl, user: emu.ariUser, password: emu.ariPassword, app: APP, logger: silentLogger });
  cc = handle.callControl;
  log = new EventLog((l) => cc.onEvent(l));
  expect(handle.readinessProbe()).toMatchObject({ ok: false });
  handle.start();
  await waitEvent('ConnectionChanged', (e) => e.state === 'up', 15_000);
});

afterEach(() => log.clear());

afterAll(async () => {
  log?.close();
  await handle?.stop();
  await emu?.close();
  await rm(dir, { recursive: true, force: true });
  process.off('unhandledRejection', unhandled);
  expect(unhandled).not.toHaveBeenCalled();
});

describe('connection', () => {
  it('is up, ready, and reports where', () => {
    expect(cc.connectionState()).toBe('up');
    expect(handle.readinessProbe()).toEqual({ ok: true, detail: `ARI connected to ${emu.ariUrl}` });
  });
});

describe('inbound calls', () => {
  it('enters with its args, is answered, listed, and hung up by Atende with a cause', async () => {
    const { channelId } = await emu.placeInboundCall({ did: '1133334444', from: '11999990000' });
    const entered = await waitEvent('CallEntered', (e) => e.channel.id === channelId);
    expect(entered.originated).toBe(false);
    expect(entered.args).toEqual(['inbound', '1133334444', 'span:1']);
    expect(entered.channel.caller.number).toBe('11999990000');
    expect(entered.channel.dialplan.appName).toBe('Stasis');

    await cc.answer(channelId);
    await waitEvent('CallStateChanged', (e) => e.channelId === channelId && e.state === 'Up');
    await waitEvent('CallAnswered', (e) => e.channelId === channelId);

    const listed = (await cc.listChannels()).find((c) => c.id === channelId);
    expect(listed).toMatchObject({ state: 'Up', dialplan: { appName: 'Stasis', appData: `${APP},inbound,1133334444,span:1` } });
    expect(listed?.createdAt).toBeGreaterThan(0);

    await cc.hangup(channelId, 21);
    const ended = await waitEvent('CallEnded', (e) => e.channelId === channelId);
    expect(ended.hangup).toEqual({ cause: 21, causeText: 'Call rejected', by: 'atende' });

    // A channel already gone is not an error, and it cannot collect digits any more.
    await expect(cc.hangup(channelId)).resolves.toBeUndefined();
    await expect(cc.collectDigits(channelId, { maxDigits: 4, interDigitTimeoutMs: 1000, totalTimeoutMs: 1000 })).resolves.toEqual({
      outcome: 'hangup',
      digits: '',
    });
  });

  it('a caller hanging up ends the leg once, by remote, with the cause (StasisEnd, no ChannelDestroyed)', async () => {
    const channelId = await inboundCall();
    await emu.hangup(channelId, 17);
    const ended = await waitEvent('CallEnded', (e) => e.channelId === channelId);
    expect(ended.hangup).toEqual({ cause: 17, causeText: 'User busy', by: 'remote' });
    await inboundCall(); // let later events of the first leg, if any, arrive
    expect(log.events.filter((e) => e.type === 'CallEnded' && e.channelId === channelId)).toHaveLength(1);
  });

  it('ring and stop ringing before answering', async () => {
    const channelId = await inboundCall(false);
    await expect(cc.ring(channelId)).resolves.toBeUndefined();
    await expect(cc.stopRinging(channelId)).resolves.toBeUndefined();
    await cc.hangup(channelId);
  });
});

describe('prompts', () => {
  it('plays a file to the end', async () => {
    const prompt = await writePrompt('welcome', 1000);
    const channelId = await inboundCall();
    const playbackId = await cc.play({ channelId }, [{ kind: 'file', path: prompt }]);
    await waitEvent('PlaybackStarted', (e) => e.playbackId === playbackId);
    const done = await waitEvent('PlaybackFinished', (e) => e.playbackId === playbackId);
    expect(done).toMatchObject({ target: { channelId }, reason: 'done' });
    await cc.hangup(channelId);
  });

  it('plays a sequence with a chosen id, and digits', async () => {
    const prompt = await writePrompt('menu', 500);
    const channelId = await inboundCall();
    const playbackId = await cc.play({ channelId }, [{ kind: 'file', path: prompt }, { kind: 'digits', digits: '42' }], {
      id: 'pb-sequence',
      lang: 'pt_BR',
    });
    expect(playbackId).toBe('pb-sequence');
    await expect(waitEvent('PlaybackFinished', (e) => e.playbackId === 'pb-sequence')).resolves.toMatchObject({ reason: 'done' });
    await cc.hangup(channelId);
  });

  it('a missing file fails', async () => {
    const channelId = await inboundCall();
    const playbackId = await cc.play({ channelId }, [{ kind: 'file', path: join(dir, 'no-such-prompt') }]);
    await expect(waitEvent('PlaybackFinished', (e) => e.playbackId === playbackId)).resolves.toMatchObject({ reason: 'failed' });
    await cc.hangup(channelId);
  });

  it('a tone plays until stopped; stopping it twice is fine', async () => {
    const channelId = await inboundCall();
    const playbackId = await cc.play({ channelId }, [{ kind: 'tone', tone: 'ring' }]);
    await waitEvent('PlaybackStarted', (e) => e.playbackId === playbackId);
    await cc.stopPlayback(playbackId);
    await expect(waitEvent('PlaybackFinished', (e) => e.playbackId === playbackId)).resolves.toMatchObject({ reason: 'stopped' });
    await expect(cc.stopPlayback(playbackId)).resolves.toBeUndefined();
    await cc.hangup(channelId);
  });

  it('the caller hanging up mid-prompt stops the playback and ends the leg', async () => {
    const channelId = await inboundCall();
    const playbackId = await cc.play({ channelId }, [{ kind: 'tone', tone: 'busy' }]);
    await waitEvent('PlaybackStarted', (e) => e.playbackId === playbackId);
    await emu.hangup(channelId);
    await expect(waitEvent('PlaybackFinished', (e) => e.playbackId === playbackId)).resolves.toMatchObject({ reason: 'stopped' });
    await expect(waitEvent('CallEnded', (e) => e.channelId === channelId)).resolves.toMatchObject({ hangup: { by: 'remote', cause: 16 } });
  });

  it('music on hold starts and stops on a channel', async () => {
    const channelId = await inboundCall();
    await expect(cc.startMoh({ channelId }, 'default')).resolves.toBeUndefined();
    await expect(cc.stopMoh({ channelId })).resolves.toBeUndefined();
    await cc.hangup(channelId);
  });
});

describe('DTMF', () => {
  it('collects up to the terminator', async () => {
    const channelId = await inboundCall();
    const entry = cc.collectDigits(channelId, { maxDigits: 6, interDigitTimeoutMs: 3000, totalTimeoutMs: 10_000, terminator: '#' });
    await emu.sendDtmf(channelId, '123#');
    await expect(entry).resolves.toEqual({ outcome: 'terminated', digits: '123' });
    expect(log.events.filter(is('DtmfReceived', (e) => e.channelId === channelId)).map((e) => e.digit)).toEqual(['1', '2', '3', '#']);
    await cc.hangup(channelId);
  });

  it('completes at max digits', async () => {
    const channelId = await inboundCall();
    const entry = cc.collectDigits(channelId, { maxDigits: 2, interDigitTimeoutMs: 3000, totalTimeoutMs: 10_000 });
    await emu.sendDtmf(channelId, '98');
    await expect(entry).resolves.toEqual({ outcome: 'complete', digits: '98' });
    await cc.hangup(channelId);
  });

  it('times out when nothing is pressed', async () => {
    const channelId = await inboundCall();
    await expect(cc.collectDigits(channelId, { maxDigits: 4, interDigitTimeoutMs: 100, totalTimeoutMs: 300 })).resolves.toEqual({
      outcome: 'timeout',
      digits: '',
    });
    await cc.hangup(channelId);
  });

  it('ends with hangup when the caller hangs up while entering', async () => {
    const channelId = await inboundCall();
    const entry = cc.collectDigits(channelId, { maxDigits: 4, interDigitTimeoutMs: 5000, totalTimeoutMs: 10_000 });
    await emu.sendDtmf(channelId, '7');
    await waitEvent('DtmfReceived', (e) => e.channelId === channelId);
    await emu.hangup(channelId);
    await expect(entry).resolves.toEqual({ outcome: 'hangup', digits: '7' });
  });

  it('sends DTMF into a channel', async () => {
    const channelId = await inboundCall();
    await expect(cc.sendDtmf(channelId, '12#')).resolves.toBeUndefined();
    await cc.hangup(channelId);
  });
});

describe('originate', () => {
  it('an answered call enters the app as originated, with its args, caller id and variables', async () => {
    const channelId = await cc.originate({
      endpoint: 'PJSIP/011987650000@trunk1',
      appArgs: ['dialer', '7', '99'],
      callerId: { number: '1133334444', name: 'Atende' },
      timeoutSeconds: 30,
      variables: { CAMPAIGN: '7' },
      id: 'orig-human',
    });
    expect(channelId).toBe('orig-human');
    const entered = await waitEvent('CallEntered', (e) => e.channel.id === channelId);
    expect(entered).toMatchObject({ originated: true, args: ['dialer', '7', '99'], channel: { state: 'Up' } });
    expect(entered.channel.caller).toEqual({ number: '1133334444', name: 'Atende' });
    await waitEvent('CallAnswered', (e) => e.channelId === channelId);
    await expect(cc.getVariable(channelId, 'CAMPAIGN')).resolves.toBe('7');
    await cc.hangup(channelId);
    await expect(waitEvent('CallEnded', (e) => e.channelId === channelId)).resolves.toMatchObject({ hangup: { by: 'atende' } });
    expect(log.events.filter((e) => (e.type === 'CallEnded' || e.type === 'OriginateFailed') && e.channelId === channelId)).toHaveLength(1);
  });

  it.each([
    ['busy', 'PJSIP/011987650005@trunk1', 17],
    ['congestion', 'PJSIP/011987650007@trunk1', 34],
    ['unallocated', 'PJSIP/011987650008@trunk1', 1],
    ['unallocated', 'DAHDI/g1/011987650008', 1],
  ] as const)('%s (%s) → OriginateFailed with the cause', async (reason, endpoint, cause) => {
    const channelId = await cc.originate({ endpoint, appArgs: ['dialer', '1', '2'] });
    const failed = await waitEvent('OriginateFailed', (e) => e.channelId === channelId);
    expect(failed).toMatchObject({ reason, cause });
    expect(log.events.some((e) => e.type === 'CallEntered' && e.channel.id === channelId)).toBe(false);
    expect(log.events.some((e) => e.type === 'CallEnded' && e.channelId === channelId)).toBe(false);
  });

  it('no answer within the timeout → OriginateFailed no_answer', async () => {
    const channelId = await cc.originate({ endpoint: 'PJSIP/011987650006@trunk1', appArgs: ['dialer', '1', '2'], timeoutSeconds: 5 });
    await waitEvent('CallStateChanged', (e) => e.channelId === channelId && e.state === 'Ringing');
    await expect(waitEvent('OriginateFailed', (e) => e.channelId === channelId)).resolves.toMatchObject({ reason: 'no_answer' });
  });

  it('an agent phone answers; on behalf of another channel', async () => {
    const caller = await inboundCall();
    const channelId = await cc.originate({ endpoint: 'PJSIP/1001', appArgs: ['agent', '1001'], originatorId: caller });
    await expect(waitEvent('CallEntered', (e) => e.channel.id === channelId)).resolves.toMatchObject({ originated: true });
    await cc.hangup(channelId);
    await cc.hangup(caller);
  });

  it('Atende cancelling a ringing originate → OriginateFailed, not CallEnded', async () => {
    const channelId = await cc.originate({ endpoint: 'PJSIP/011987650006@trunk1', appArgs: ['dialer', '1', '2'] });
    await waitEvent('CallStateChanged', (e) => e.channelId === channelId && e.state === 'Ringing');
    await cc.hangup(channelId);
    await expect(waitEvent('OriginateFailed', (e) => e.channelId === channelId)).resolves.toMatchObject({ channelId });
  });

  it('a request Asterisk refuses rejects with the status: bad endpoint, unknown originator, id in use', async () => {
    const bad = await rejection(cc.originate({ endpoint: 'nonsense', appArgs: [] }));
    expect(bad).toMatchObject({ code: 'bad_request', status: 400, operation: 'originate' });
    const noOriginator = await rejection(cc.originate({ endpoint: 'PJSIP/1002', appArgs: [], originatorId: 'no-such-channel' }));
    expect(noOriginator).toMatchObject({ code: 'bad_request', status: 400 });
    const caller = await inboundCall(false);
    const dup = await rejection(cc.originate({ endpoint: 'PJSIP/1002', appArgs: [], id: caller }));
    expect(dup).toMatchObject({ code: 'conflict', status: 409 });
    const unregistered = await rejection(cc.originate({ endpoint: 'PJSIP/9999', appArgs: [] }));
    expect(unregistered).toMatchObject({ code: 'failed', status: 500 });
    await cc.hangup(caller);
  });
});

describe('bridges', () => {
  it('two legs bridged, a prompt and music on hold in the bridge, removed, destroyed', async () => {
    const a = await inboundCall();
    const b = await inboundCall(true, '1133335555');
    const bridgeId = await cc.createBridge({ name: 'call-1' });
    await cc.addToBridge(bridgeId, a);
    await cc.addToBridge(bridgeId, b);
    await waitEvent('BridgeEntered', (e) => e.bridgeId === bridgeId && e.channelId === a);
    await waitEvent('BridgeEntered', (e) => e.bridgeId === bridgeId && e.channelId === b);

    const prompt = await writePrompt('bridge-note', 300);
    const playbackId = await cc.play({ bridgeId }, [{ kind: 'file', path: prompt }]);
    await expect(waitEvent('PlaybackFinished', (e) => e.playbackId === playbackId)).resolves.toMatchObject({
      target: { bridgeId },
      reason: 'done',
    });
    await cc.startMoh({ bridgeId });
    await cc.stopMoh({ bridgeId });

    await cc.removeFromBridge(bridgeId, b);
    await waitEvent('BridgeLeft', (e) => e.bridgeId === bridgeId && e.channelId === b);
    await cc.destroyBridge(bridgeId);
    await waitEvent('BridgeLeft', (e) => e.bridgeId === bridgeId && e.channelId === a);
    await expect(cc.destroyBridge(bridgeId)).resolves.toBeUndefined();
    const gone = await rejection(cc.addToBridge(bridgeId, a));
    expect(gone).toMatchObject({ code: 'not_found', status: 404 });
    await cc.hangup(a);
    await cc.hangup(b);
  });

  it('a bridge with a chosen id', async () => {
    await expect(cc.createBridge({ id: 'bridge-chosen' })).resolves.toBe('bridge-chosen');
    await cc.destroyBridge('bridge-chosen');
  });
});

describe('recordings', () => {
  it('records a channel, stops, and fetches the WAV bytes', async () => {
    const channelId = await inboundCall();
    await cc.record({ channelId }, { name: 'rec-channel', format: 'wav', beep: true, maxDurationSeconds: 60, terminateOn: '#', ifExists: 'overwrite' });
    await waitEvent('RecordingStarted', (e) => e.name === 'rec-channel');
    await cc.stopRecording('rec-channel');
    const finished = await waitEvent('RecordingFinished', (e) => e.name === 'rec-channel');
    expect(finished).toMatchObject({ target: { channelId }, failed: false });
    const bytes = await cc.getRecording('rec-channel');
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(bytes.subarray(8, 12).toString('latin1')).toBe('WAVE');
    await cc.hangup(channelId);
  });

  it('records a bridge until its maximum duration', async () => {
    const a = await inboundCall();
    const bridgeId = await cc.createBridge();
    await cc.addToBridge(bridgeId, a);
    await cc.record({ bridgeId }, { name: 'rec-bridge', maxDurationSeconds: 2, ifExists: 'overwrite' });
    const finished = await waitEvent('RecordingFinished', (e) => e.name === 'rec-bridge');
    expect(finished).toMatchObject({ target: { bridgeId }, failed: false });
    await cc.destroyBridge(bridgeId);
    await cc.hangup(a);
  });

  it('failures carry the status: same name twice, unknown recording', async () => {
    const channelId = await inboundCall();
    await cc.record({ channelId }, { name: 'rec-twice', ifExists: 'overwrite' });
    const twice = await rejection(cc.record({ channelId }, { name: 'rec-twice', ifExists: 'overwrite' }));
    expect(twice).toMatchObject({ code: 'conflict', status: 409, operation: 'record' });
    await cc.stopRecording('rec-twice');
    expect(await rejection(cc.stopRecording('no-such-recording'))).toMatchObject({ code: 'not_found', status: 404 });
    expect(await rejection(cc.getRecording('no-such-recording'))).toMatchObject({ code: 'not_found', status: 404 });
    await cc.hangup(channelId);
  });
});

describe('supervision, variables, dialplan', () => {
  it('snoop: the spy channel enters the app as originated with its args', async () => {
    const channelId = await inboundCall();
    const snoopId = await cc.snoop(channelId, { spy: 'both', whisper: 'none', appArgs: ['snoop', 'listen', channelId] });
    const entered = await waitEvent('CallEntered', (e) => e.channel.id === snoopId);
    expect(entered).toMatchObject({ originated: true, args: ['snoop', 'listen', channelId] });
    const whisperId = await cc.snoop(channelId, { spy: 'both', whisper: 'out', appArgs: ['snoop', 'whisper'], id: 'snoop-w' });
    expect(whisperId).toBe('snoop-w');
    await waitEvent('CallEntered', (e) => e.channel.id === 'snoop-w');
    await cc.hangup(channelId);
    await waitEvent('CallEnded', (e) => e.channelId === snoopId);
    await waitEvent('CallEnded', (e) => e.channelId === 'snoop-w');
  });

  it('variables: set → VariableSet, get, unset is undefined, missing channel is not_found', async () => {
    const channelId = await inboundCall();
    await cc.setVariable(channelId, 'ATENDE_QUEUE', 'suporte');
    await waitEvent('VariableSet', (e) => e.channelId === channelId && e.name === 'ATENDE_QUEUE' && e.value === 'suporte');
    await expect(cc.getVariable(channelId, 'ATENDE_QUEUE')).resolves.toBe('suporte');
    await expect(cc.getVariable(channelId, 'NEVER_SET')).resolves.toBeUndefined();
    expect(await rejection(cc.getVariable('no-such-channel', 'X'))).toMatchObject({ code: 'not_found', status: 404 });
    await cc.hangup(channelId);
  });

  it('continue into the AMD context: the leg does not end, and comes back with the result', async () => {
    const channelId = await cc.originate({ endpoint: 'PJSIP/011987650004@trunk1', appArgs: ['dialer', '3', '4'] });
    await waitEvent('CallEntered', (e) => e.channel.id === channelId);
    log.clear();
    await cc.continueInDialplan(channelId, { context: 'atende-amd', extension: 's' });
    const back = await waitEvent('CallEntered', (e) => e.channel.id === channelId);
    expect(back.args.slice(0, 2)).toEqual(['amd', 'MACHINE']);
    expect(log.events.some((e) => e.type === 'CallEnded' && e.channelId === channelId)).toBe(false);
    await cc.hangup(channelId);
    await waitEvent('CallEnded', (e) => e.channelId === channelId);
  });

  it('operations on a channel not in the app or gone carry the status', async () => {
    expect(await rejection(cc.answer('no-such-channel'))).toMatchObject({ code: 'not_found', status: 404, operation: 'answer' });
    expect(await rejection(cc.play({ channelId: 'no-such-channel' }, [{ kind: 'tone', tone: 'ring' }]))).toMatchObject({
      code: 'not_found',
    });
    expect(await rejection(cc.play({ channelId: 'x' }, []))).toMatchObject({ code: 'bad_request' });
  });
});
