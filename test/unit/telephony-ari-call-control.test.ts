/**
 * AriCallControl without a network: what it asks ari-client for, and how it fails when
 * Asterisk is not there or does not answer.
 */
import { describe, expect, it } from 'vitest';
import { FakeClock, silentLogger } from '../../src/kernel/index.js';
import { AriCallControl } from '../../src/telephony/ari/ari-call-control.js';
import { AriEventTranslator } from '../../src/telephony/ari/ari-events.js';
import { TelephonyError, type ConnectionState } from '../../src/telephony/index.js';

type Call = [resource: string, op: string, params: Record<string, unknown>];

function setup(opts: { state?: ConnectionState; answer?: (resource: string, op: string) => Promise<unknown> } = {}) {
  const calls: Call[] = [];
  const answer = opts.answer ?? (() => Promise.resolve(undefined));
  const resource = (name: string) =>
    new Proxy(
      {},
      {
        get: (_t, op: string) => (params: Record<string, unknown>) => {
          calls.push([name, op, params]);
          return answer(name, op);
        },
      },
    );
  const client = { channels: resource('channels'), bridges: resource('bridges'), playbacks: resource('playbacks'), recordings: resource('recordings') };
  const state = opts.state ?? 'up';
  const clock = new FakeClock();
  const translator = new AriEventTranslator();
  const cc = new AriCallControl({
    app: 'atende',
    link: { currentClient: () => (state === 'up' ? client : undefined), currentState: () => state, currentReason: () => 'ARI unreachable at http://127.0.0.1:8088' },
    translator,
    clock,
    logger: silentLogger,
    requestTimeoutMs: 5000,
  });
  return { cc, calls, clock, translator };
}

describe('AriCallControl requests', () => {
  it('originate: app, comma-joined args, "name <number>", timeout, variables, id, originator', async () => {
    const { cc, calls } = setup();
    const id = await cc.originate({
      endpoint: 'DAHDI/g1/011987650000',
      appArgs: ['dialer', '7', '99'],
      callerId: { number: '1133334444', name: 'Atende <SAC>' },
      timeoutSeconds: 25,
      variables: { CAMPAIGN: '7' },
      id: 'c-1',
      originatorId: 'c-0',
    });
    expect(id).toBe('c-1');
    expect(calls).toEqual([
      [
        'channels',
        'originate',
        {
          endpoint: 'DAHDI/g1/011987650000',
          app: 'atende',
          appArgs: 'dialer,7,99',
          channelId: 'c-1',
          callerId: 'Atende SAC <1133334444>',
          timeout: 25,
          variables: { CAMPAIGN: '7' },
          originator: 'c-0',
        },
      ],
    ]);
  });

  it('originate without an id chooses one up front', async () => {
    const { cc, calls } = setup();
    const id = await cc.originate({ endpoint: 'PJSIP/1001', appArgs: ['agent'] });
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(calls[0]?.[2]).toEqual({ endpoint: 'PJSIP/1001', app: 'atende', appArgs: 'agent', channelId: id });
  });

  it('hangup sends the Q.850 cause as reason_code (16 by default)', async () => {
    const { cc, calls } = setup();
    await cc.hangup('c-1', 17);
    await cc.hangup('c-2');
    expect(calls).toEqual([
      ['channels', 'hangup', { channelId: 'c-1', reason_code: '17' }],
      ['channels', 'hangup', { channelId: 'c-2', reason_code: '16' }],
    ]);
  });

  it('play: media URIs, chosen id, language; to a channel or a bridge', async () => {
    const { cc, calls } = setup();
    await cc.play({ channelId: 'c-1' }, [{ kind: 'file', path: '/srv/sounds/pt-BR/bem-vindo' }, { kind: 'tone', tone: 'ring' }], {
      id: 'p-1',
      lang: 'pt_BR',
    });
    await cc.play({ bridgeId: 'b-1' }, [{ kind: 'recording', name: 'msg' }, { kind: 'digits', digits: '12' }], { id: 'p-2' });
    expect(calls).toEqual([
      ['channels', 'play', { channelId: 'c-1', playbackId: 'p-1', media: ['sound:/srv/sounds/pt-BR/bem-vindo', 'tone:ring;tonezone=br'], lang: 'pt_BR' }],
      ['bridges', 'play', { bridgeId: 'b-1', playbackId: 'p-2', media: ['recording:msg', 'digits:12'] }],
    ]);
  });

  it('record: wav by default, only the options given', async () => {
    const { cc, calls } = setup();
    await cc.record({ channelId: 'c-1' }, { name: 'r1' });
    await cc.record({ bridgeId: 'b-1' }, { name: 'r2', format: 'gsm', maxDurationSeconds: 0, maxSilenceSeconds: 5, beep: true, terminateOn: '#', ifExists: 'overwrite' });
    expect(calls).toEqual([
      ['channels', 'record', { channelId: 'c-1', name: 'r1', format: 'wav' }],
      ['bridges', 'record', { bridgeId: 'b-1', name: 'r2', format: 'gsm', maxDurationSeconds: 0, maxSilenceSeconds: 5, beep: true, terminateOn: '#', ifExists: 'overwrite' }],
    ]);
  });

  it('snoop, bridges, variables, continue, moh, ring, dtmf, recordings', async () => {
    const { cc, calls } = setup();
    await cc.snoop('c-1', { spy: 'both', whisper: 'out', appArgs: ['snoop', 'whisper'], id: 's-1' });
    await cc.createBridge({ id: 'b-1', name: 'call' });
    await cc.addToBridge('b-1', 'c-1');
    await cc.removeFromBridge('b-1', 'c-1');
    await cc.destroyBridge('b-1');
    await cc.setVariable('c-1', 'X', 'y');
    await cc.continueInDialplan('c-1', { context: 'atende-amd', extension: 's' });
    await cc.startMoh({ channelId: 'c-1' });
    await cc.stopMoh({ bridgeId: 'b-1' });
    await cc.ring('c-1');
    await cc.stopRinging('c-1');
    await cc.sendDtmf('c-1', '1#');
    await cc.stopPlayback('p-1');
    await cc.stopRecording('r1');
    expect(calls).toEqual([
      ['channels', 'snoopChannel', { channelId: 'c-1', snoopId: 's-1', spy: 'both', whisper: 'out', app: 'atende', appArgs: 'snoop,whisper' }],
      ['bridges', 'create', { type: 'mixing', bridgeId: 'b-1', name: 'call' }],
      ['bridges', 'addChannel', { bridgeId: 'b-1', channel: 'c-1' }],
      ['bridges', 'removeChannel', { bridgeId: 'b-1', channel: 'c-1' }],
      ['bridges', 'destroy', { bridgeId: 'b-1' }],
      ['channels', 'setChannelVar', { channelId: 'c-1', variable: 'X', value: 'y' }],
      ['channels', 'continueInDialplan', { channelId: 'c-1', context: 'atende-amd', extension: 's', priority: 1 }],
      ['channels', 'startMoh', { channelId: 'c-1' }],
      ['bridges', 'stopMoh', { bridgeId: 'b-1' }],
      ['channels', 'ring', { channelId: 'c-1' }],
      ['channels', 'ringStop', { channelId: 'c-1' }],
      ['channels', 'sendDTMF', { channelId: 'c-1', dtmf: '1#' }],
      ['playbacks', 'stop', { playbackId: 'p-1' }],
      ['recordings', 'stop', { recordingName: 'r1' }],
    ]);
  });
});

describe('AriCallControl failures', () => {
  it('not connected → unavailable with the reason, nothing sent', async () => {
    const { cc, calls } = setup({ state: 'down' });
    const e = await cc.answer('c-1').catch((err: unknown) => err);
    expect(e).toBeInstanceOf(TelephonyError);
    expect(e).toMatchObject({ code: 'unavailable', operation: 'answer', message: 'answer: ARI not connected (ARI unreachable at http://127.0.0.1:8088)' });
    expect(calls).toEqual([]);
  });

  it('no answer in time → timeout', async () => {
    const { cc, clock } = setup({ answer: () => new Promise(() => undefined) });
    const pending = cc.answer('c-1').catch((err: unknown) => err);
    clock.advance(5000);
    await expect(pending).resolves.toMatchObject({ code: 'timeout', operation: 'answer' });
  });

  it('an HTTP error keeps its status; "already gone" is not an error for hangup, stopPlayback, destroyBridge', async () => {
    const notFound = () => Promise.reject(new Error('ARI-HTTP-404 {"message":"Channel not found"}'));
    const { cc } = setup({ answer: notFound });
    await expect(cc.answer('c-1')).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(cc.hangup('c-1')).resolves.toBeUndefined();
    await expect(cc.stopPlayback('p-1')).resolves.toBeUndefined();
    await expect(cc.destroyBridge('b-1')).resolves.toBeUndefined();
  });

  it('an unset variable is undefined; a missing channel is not_found', async () => {
    const { cc } = setup({
      answer: (_r, op) =>
        op === 'getChannelVar'
          ? Promise.reject(new Error('ARI-HTTP-404 {"message":"Provided variable was not found"}'))
          : Promise.resolve(undefined),
    });
    await expect(cc.getVariable('c-1', 'NOPE')).resolves.toBeUndefined();
    const { cc: cc2 } = setup({ answer: () => Promise.reject(new Error('ARI-HTTP-404 {"message":"Channel not found"}')) });
    await expect(cc2.getVariable('c-1', 'X')).rejects.toMatchObject({ code: 'not_found' });
  });

  it('a failed originate forgets the channel: a later ChannelDestroyed is not an OriginateFailed', async () => {
    const { cc, translator } = setup({ answer: () => Promise.reject(new Error('ARI-HTTP-400 {"message":"Invalid endpoint"}')) });
    await expect(cc.originate({ endpoint: 'x', appArgs: [], id: 'c-9' })).rejects.toMatchObject({ code: 'bad_request', status: 400 });
    expect(translator.translate({ type: 'ChannelDestroyed', channel: { id: 'c-9' }, cause: 16 }, 0)).toMatchObject([{ type: 'CallEnded' }]);
  });

  it('a listener that throws does not stop the others', () => {
    const { cc } = setup();
    const seen: string[] = [];
    cc.onEvent(() => {
      throw new Error('bad listener');
    });
    cc.onEvent((e) => seen.push(e.type));
    cc.dispatch({ type: 'CallAnswered', at: 0, channelId: 'c-1' });
    expect(seen).toEqual(['CallAnswered']);
  });
});
