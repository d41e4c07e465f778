import { describe, expect, it } from 'vitest';
import { AriEventTranslator } from '../../src/telephony/ari/ari-events.js';
import { callerIdString, mediaUri, parseAsteriskTime, toSnapshot } from '../../src/telephony/ari/ari-model.js';
import { toTelephonyError } from '../../src/telephony/ari/ari-errors.js';
import type { RawEvent } from '../../src/telephony/ari/ari-model.js';

const NOW = 1_700_000_000_000;
const ch = (id: string, state = 'Up') => ({ id, name: `PJSIP/x-${id}`, state });
const types = (t: AriEventTranslator, events: RawEvent[]) => events.flatMap((e) => t.translate(e, NOW));

describe('ARI event translation', () => {
  it('a dialplan caller: StasisStart → CallEntered; hangup request then StasisEnd → one CallEnded (remote)', () => {
    const t = new AriEventTranslator();
    const out = types(t, [
      { type: 'StasisStart', channel: ch('a', 'Ring'), args: ['inbound', '1133334444', 'trunk-1'] },
      { type: 'ChannelHangupRequest', channel: ch('a'), cause: 16 },
      { type: 'StasisEnd', channel: ch('a') },
      { type: 'ChannelDestroyed', channel: ch('a'), cause: 16 },
    ]);
    expect(out.map((e) => e.type)).toEqual(['CallEntered', 'CallEnded']);
    expect(out[0]).toMatchObject({ args: ['inbound', '1133334444', 'trunk-1'], originated: false });
    expect(out[1]).toMatchObject({ channelId: 'a', hangup: { cause: 16, causeText: 'Normal call clearing', by: 'remote' } });
  });

  it('answer: one CallAnswered on the first Up', () => {
    const t = new AriEventTranslator();
    const out = types(t, [
      { type: 'StasisStart', channel: ch('a', 'Ring') },
      { type: 'ChannelStateChange', channel: ch('a', 'Up') },
      { type: 'ChannelStateChange', channel: ch('a', 'Up') },
    ]);
    expect(out.map((e) => e.type)).toEqual(['CallEntered', 'CallStateChanged', 'CallAnswered', 'CallStateChanged']);
  });

  it('hung up by Atende: by atende with the cause it asked for', () => {
    const t = new AriEventTranslator();
    t.translate({ type: 'StasisStart', channel: ch('a') }, NOW);
    t.markHangupRequested('a', 21);
    const out = types(t, [
      { type: 'ChannelHangupRequest', channel: ch('a'), cause: 21 },
      { type: 'StasisEnd', channel: ch('a') },
    ]);
    expect(out).toEqual([
      { type: 'CallEnded', at: NOW, channelId: 'a', hangup: { cause: 21, causeText: 'Call rejected', by: 'atende' } },
    ]);
  });

  it('an originated channel that never entered: OriginateFailed, no CallEnded', () => {
    const t = new AriEventTranslator();
    t.markOriginated('o');
    const out = types(t, [
      { type: 'ChannelStateChange', channel: ch('o', 'Ringing') },
      { type: 'ChannelDestroyed', channel: ch('o', 'Ringing'), cause: 17, cause_txt: 'User busy' },
    ]);
    expect(out.map((e) => e.type)).toEqual(['CallStateChanged', 'OriginateFailed']);
    expect(out[1]).toMatchObject({ channelId: 'o', cause: 17, reason: 'busy' });
  });

  it('an originated channel that answered: CallEntered originated, CallEnded once on StasisEnd', () => {
    const t = new AriEventTranslator();
    t.markOriginated('o');
    const out = types(t, [
      { type: 'ChannelStateChange', channel: ch('o', 'Up') },
      { type: 'StasisStart', channel: ch('o', 'Up'), args: ['dialer', '7', '99'] },
      { type: 'ChannelHangupRequest', channel: ch('o'), cause: 16 },
      { type: 'StasisEnd', channel: ch('o') },
      { type: 'ChannelDestroyed', channel: ch('o'), cause: 16 },
    ]);
    expect(out.map((e) => e.type)).toEqual(['CallStateChanged', 'CallAnswered', 'CallEntered', 'CallEnded']);
    expect(out[2]).toMatchObject({ originated: true });
  });

  it('continued into the dialplan: StasisEnd does not end the leg; back in Stasis → CallEntered again', () => {
    const t = new AriEventTranslator();
    t.markOriginated('o');
    t.translate({ type: 'StasisStart', channel: ch('o') }, NOW);
    t.markContinued('o');
    const out = types(t, [
      { type: 'StasisEnd', channel: ch('o') },
      { type: 'StasisStart', channel: ch('o'), args: ['amd', 'HUMAN'] },
      { type: 'ChannelDestroyed', channel: ch('o'), cause: 16 },
    ]);
    expect(out.map((e) => e.type)).toEqual(['CallEntered', 'CallEnded']);
  });

  it('playback: stopped by request or by hangup, done, failed', () => {
    const t = new AriEventTranslator();
    t.translate({ type: 'StasisStart', channel: ch('a') }, NOW);
    t.markPlaybackStopRequested('p1');
    const pb = (id: string, state: string, target = 'channel:a') => ({ id, state, target_uri: target });
    const out = types(t, [
      { type: 'PlaybackStarted', playback: pb('p1', 'playing') },
      { type: 'PlaybackFinished', playback: pb('p1', 'done') },
      { type: 'PlaybackFinished', playback: pb('p2', 'done', 'bridge:b') },
      { type: 'PlaybackFinished', playback: pb('p3', 'failed') },
      { type: 'ChannelHangupRequest', channel: ch('a'), cause: 16 },
      { type: 'PlaybackFinished', playback: pb('p4', 'failed') },
    ]);
    expect(out).toEqual([
      { type: 'PlaybackStarted', at: NOW, playbackId: 'p1', target: { channelId: 'a' } },
      { type: 'PlaybackFinished', at: NOW, playbackId: 'p1', target: { channelId: 'a' }, reason: 'stopped' },
      { type: 'PlaybackFinished', at: NOW, playbackId: 'p2', target: { bridgeId: 'b' }, reason: 'done' },
      { type: 'PlaybackFinished', at: NOW, playbackId: 'p3', target: { channelId: 'a' }, reason: 'failed' },
      { type: 'PlaybackFinished', at: NOW, playbackId: 'p4', target: { channelId: 'a' }, reason: 'stopped' },
    ]);
  });

  it('recordings, bridges, DTMF and variables', () => {
    const t = new AriEventTranslator();
    const rec = { name: 'r1', target_uri: 'bridge:b', state: 'done', duration: 4 };
    const out = types(t, [
      { type: 'RecordingStarted', recording: { ...rec, state: 'recording' } },
      { type: 'RecordingFinished', recording: rec },
      { type: 'RecordingFailed', recording: { ...rec, state: 'failed', cause: 'disk full', duration: 0 } },
      { type: 'ChannelEnteredBridge', bridge: { id: 'b' }, channel: ch('a') },
      { type: 'ChannelLeftBridge', bridge: { id: 'b' }, channel: ch('a') },
      { type: 'ChannelDtmfReceived', channel: ch('a'), digit: '5', duration_ms: 120 },
      { type: 'ChannelVarset', channel: ch('a'), variable: 'AMDSTATUS', value: 'HUMAN' },
      { type: 'ChannelVarset', variable: 'GLOBAL_ONLY', value: 'x' },
      { type: 'SomethingNew' },
    ]);
    expect(out).toEqual([
      { type: 'RecordingStarted', at: NOW, name: 'r1', target: { bridgeId: 'b' } },
      { type: 'RecordingFinished', at: NOW, name: 'r1', target: { bridgeId: 'b' }, durationSeconds: 4, failed: false },
      { type: 'RecordingFinished', at: NOW, name: 'r1', target: { bridgeId: 'b' }, durationSeconds: 0, failed: true, cause: 'disk full' },
      { type: 'BridgeEntered', at: NOW, bridgeId: 'b', channelId: 'a' },
      { type: 'BridgeLeft', at: NOW, bridgeId: 'b', channelId: 'a' },
      { type: 'DtmfReceived', at: NOW, channelId: 'a', digit: '5', durationMs: 120 },
      { type: 'VariableSet', at: NOW, channelId: 'a', name: 'AMDSTATUS', value: 'HUMAN' },
    ]);
  });

  it.each([
    ['BUSY', 17, 'busy'],
    ['NOANSWER', 19, 'no_answer'],
    ['CONGESTION', 34, 'congestion'],
  ])('a failed originate destroyed with cause 0 after Dial %s reports cause %i', (dialstatus, cause, reason) => {
    const t = new AriEventTranslator();
    t.markOriginated('o1');
    expect(t.translate({ type: 'Dial', peer: ch('o1'), dialstatus: 'RINGING' }, NOW)).toEqual([]);
    t.translate({ type: 'Dial', peer: ch('o1'), dialstatus }, NOW);
    expect(t.translate({ type: 'ChannelDestroyed', channel: ch('o1'), cause: 0 }, NOW)).toEqual([
      { type: 'OriginateFailed', at: NOW, channelId: 'o1', cause, reason },
    ]);
  });

  it('reads cause 0 with no dial status as the originate timeout (no answer, 19)', () => {
    const t = new AriEventTranslator();
    t.markOriginated('o1');
    t.translate({ type: 'Dial', peer: ch('o1'), dialstatus: 'RINGING' }, NOW);
    expect(t.translate({ type: 'ChannelDestroyed', channel: ch('o1'), cause: 0 }, NOW)).toEqual([
      { type: 'OriginateFailed', at: NOW, channelId: 'o1', cause: 19, reason: 'no_answer' },
    ]);
  });

  it('keeps our own cause when Atende cancelled the originate', () => {
    const t = new AriEventTranslator();
    t.markOriginated('o1');
    t.markHangupRequested('o1', 16);
    expect(t.translate({ type: 'ChannelDestroyed', channel: ch('o1'), cause: 0 }, NOW)).toMatchObject([
      { type: 'OriginateFailed', cause: 16 },
    ]);
  });

  it('prefers the cause Asterisk gave over the dial status', () => {
    const t = new AriEventTranslator();
    t.markOriginated('o1');
    t.translate({ type: 'Dial', peer: ch('o1'), dialstatus: 'CONGESTION' }, NOW);
    expect(t.translate({ type: 'ChannelDestroyed', channel: ch('o1'), cause: 1 }, NOW)).toMatchObject([
      { type: 'OriginateFailed', cause: 1, reason: 'unallocated' },
    ]);
  });

  it('forgets channels that vanished while disconnected', () => {
    const t = new AriEventTranslator();
    t.translate({ type: 'StasisStart', channel: ch('a') }, NOW);
    t.translate({ type: 'StasisStart', channel: ch('b') }, NOW);
    const before = t.trackedIds();
    t.retainOnly(new Set(['b']), before);
    expect(t.trackedCount()).toBe(1);
  });

  it('keeps a channel originated while the list of live channels was in flight', () => {
    const t = new AriEventTranslator();
    t.translate({ type: 'StasisStart', channel: ch('gone') }, NOW);
    const before = t.trackedIds();
    t.markOriginated('new'); // the list Asterisk answers was taken before this channel existed
    t.retainOnly(new Set(), before);
    expect(t.trackedCount()).toBe(1);
    const [entered] = t.translate({ type: 'StasisStart', channel: ch('new') }, NOW);
    expect(entered).toMatchObject({ type: 'CallEntered', originated: true });
  });
});

describe('ARI model mapping', () => {
  it('media URIs', () => {
    expect(mediaUri({ kind: 'file', path: '/opt/atende/sounds/pt-BR/welcome' })).toBe('sound:/opt/atende/sounds/pt-BR/welcome');
    expect(mediaUri({ kind: 'tone', tone: 'ring' })).toBe('tone:ring;tonezone=br');
    expect(mediaUri({ kind: 'digits', digits: '123' })).toBe('digits:123');
    expect(mediaUri({ kind: 'recording', name: 'msg-1' })).toBe('recording:msg-1');
  });

  it('caller id', () => {
    expect(callerIdString({ number: '1133334444', name: 'Atende' })).toBe('Atende <1133334444>');
    expect(callerIdString({ number: '1133334444' })).toBe('1133334444');
  });

  it('Asterisk timestamps and channel snapshots', () => {
    expect(parseAsteriskTime('2026-01-05T09:00:00.250-0300')).toBe(Date.UTC(2026, 0, 5, 12, 0, 0, 250));
    const snap = toSnapshot(
      {
        id: '1.1',
        name: 'PJSIP/trunk-00000001',
        state: 'Ring',
        caller: { name: 'Ana', number: '11999990000' },
        dialplan: { context: 'from-trunk', exten: '1133334444', priority: 2, app_name: 'Stasis', app_data: 'atende,inbound' },
        creationtime: '2026-01-05T09:00:00.000-0300',
      },
      NOW,
    );
    expect(snap).toEqual({
      id: '1.1',
      name: 'PJSIP/trunk-00000001',
      state: 'Ring',
      caller: { number: '11999990000', name: 'Ana' },
      connected: { number: '', name: '' },
      dialplan: { context: 'from-trunk', exten: '1133334444', priority: 2, appName: 'Stasis', appData: 'atende,inbound' },
      createdAt: Date.UTC(2026, 0, 5, 12),
    });
  });

  it('request errors keep the HTTP status', () => {
    const e = (status: number) => toTelephonyError(new Error(`ARI-HTTP-${status} {"message":"Channel not found"}`), 'answer');
    expect(e(404)).toMatchObject({ code: 'not_found', status: 404, operation: 'answer', message: 'answer: Channel not found (404)' });
    expect(e(409).code).toBe('conflict');
    expect(e(412).code).toBe('conflict');
    expect(e(400).code).toBe('bad_request');
    expect(e(422).code).toBe('bad_request');
    expect(e(500).code).toBe('failed');
    expect(toTelephonyError('boom', 'x')).toMatchObject({ code: 'failed', status: undefined });
  });
});
