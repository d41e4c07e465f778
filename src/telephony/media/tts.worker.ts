/**
 * Runs eSpeak NG (WebAssembly) off the main thread: a synthesis blocks for hundreds of
 * milliseconds, which the thread that answers calls must never do.
 */
import { parentPort } from 'node:worker_threads';
import createEspeak from '@echogarden/espeak-ng-emscripten';
import type { SpeakReply, SpeakRequest } from './tts.protocol.js';

const port = parentPort;
if (!port) throw new Error('tts.worker runs only as a worker thread');

const espeak = new (await createEspeak()).eSpeakNGWorker();

port.on('message', (req: SpeakRequest) => {
  let reply: SpeakReply;
  try {
    if (espeak.set_voice(req.voice) !== 0) throw new Error(`eSpeak has no voice ${req.voice}`);
    espeak.set_rate(req.rate);
    const chunks: Int16Array[] = [];
    espeak.synthesize(req.text, (samples) => {
      chunks.push(samples);
    });
    const samples = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
    let at = 0;
    for (const c of chunks) {
      samples.set(c, at);
      at += c.length;
    }
    reply = { id: req.id, samples, sampleRate: espeak.get_samplerate() };
    port.postMessage(reply, [samples.buffer]);
  } catch (e) {
    reply = { id: req.id, error: (e as Error).message ?? String(e) };
    port.postMessage(reply);
  }
});
