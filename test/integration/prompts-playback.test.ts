/**
 * A converted prompt is played by (emulated) Asterisk from where the prompt store puts it:
 * the path without extension, as Asterisk takes it, with the sounds directory configured.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FakeClock, silentLogger } from '../../src/kernel/index.js';
import { startEmulator, type Emulator } from '../../src/telephony/emulator/index.js';
import { createAriCallControl, type AriCallControlHandle, type TelephonyEvent } from '../../src/telephony/index.js';
import { PromptStore, createMediaService, type MediaService } from '../../src/telephony/media/index.js';
import { MP3, makeTone } from '../helpers/audio.js';
import { EventLog } from '../helpers/events.js';

let dir: string;
let emu: Emulator;
let handle: AriCallControlHandle;
let log: EventLog<TelephonyEvent>;
let media: MediaService;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'atende-prompt-play-'));
  emu = await startEmulator({ recordingsDir: join(dir, 'recordings'), speed: 20 });
  handle = createAriCallControl({ url: emu.ariUrl, user: emu.ariUser, password: emu.ariPassword, app: 'atende', logger: silentLogger });
  log = new EventLog((l) => handle.callControl.onEvent(l));
  handle.start();
  await log.waitFor((e) => e.type === 'ConnectionChanged' && e.state === 'up', 15_000, 'ARI up');
  media = createMediaService({ ffmpegPath: '', limits: { maxUploadBytes: 1 << 20, maxDurationMs: 60_000 }, clock: new FakeClock(), logger: silentLogger });
});

afterAll(async () => {
  log?.close();
  await handle?.stop();
  await emu?.close();
  await media?.close();
  await rm(dir, { recursive: true, force: true });
});

it('an uploaded MP3, once converted and installed, plays to the end on a call', async () => {
  const store = new PromptStore({ dataDir: join(dir, 'data'), soundsDir: join(dir, 'sounds') });
  const key = { tenantId: 1, promptId: 7 };
  await makeTone(join(dir, 'in.mp3'), { durationS: 2, codec: MP3 });
  await store.scratch(async (scratch) => {
    await media.convertUpload(join(dir, 'in.mp3'), join(scratch, 'audio'), 'file');
    store.install(key, join(scratch, 'audio'));
  });

  const cc = handle.callControl;
  const { channelId } = await emu.placeInboundCall({ did: '1133334444', from: '11999990000' });
  await log.waitFor((e) => e.type === 'CallEntered' && e.channel.id === channelId, 5000, 'call entered');
  await cc.answer(channelId);
  const playbackId = await cc.play({ channelId }, [{ kind: 'file', path: store.mediaPath(key) }]);
  const finished = await log.waitFor(
    (e): e is Extract<TelephonyEvent, { type: 'PlaybackFinished' }> => e.type === 'PlaybackFinished' && e.playbackId === playbackId,
    5000,
    'playback finished',
  );
  expect(finished.reason).toBe('done');
  await cc.hangup(channelId);
});
