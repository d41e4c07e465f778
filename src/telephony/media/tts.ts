import type { Worker } from 'node:worker_threads';
import { startWorker, unavailable, type Clock, type Logger, type Timer } from '../../kernel/index.js';
import type { SpeakReply, SpeakRequest } from './tts.protocol.js';

export interface Speech {
  /** Signed 16-bit little-endian mono samples. */
  samples: Buffer;
  sampleRate: number;
}

/** eSpeak NG in a worker thread, started on first use and stopped when idle. */
export interface SpeechSynthesizer {
  /** `voice` is an eSpeak voice name (see `espeakVoice`). */
  speak(text: string, voice: string, rate: number): Promise<Speech>;
  close(): Promise<void>;
}

export interface SpeechSynthesizerOptions {
  clock: Clock;
  logger: Logger;
  /** The worker (about 60 MB with its voice data) is stopped after this long without work. */
  idleMs?: number;
  /** A synthesis still running after this long is abandoned and the worker restarted. */
  timeoutMs?: number;
}

interface Pending {
  resolve(s: Speech): void;
  reject(e: Error): void;
  timer: Timer;
}

export function createSpeechSynthesizer(o: SpeechSynthesizerOptions): SpeechSynthesizer {
  const idleMs = o.idleMs ?? 5 * 60_000;
  const timeoutMs = o.timeoutMs ?? 60_000;
  let worker: Worker | undefined;
  let idle: Timer | undefined;
  let seq = 0;
  const pending = new Map<number, Pending>();

  const failAll = (err: Error) => {
    for (const [id, p] of pending) {
      p.timer.cancel();
      pending.delete(id);
      p.reject(err);
    }
  };

  const stop = async () => {
    idle?.cancel();
    idle = undefined;
    const w = worker;
    worker = undefined;
    if (w) await w.terminate();
  };

  const start = (): Worker => {
    const w = startWorker(import.meta.url, 'tts.worker');
    w.unref();
    w.on('message', (reply: SpeakReply) => {
      const p = pending.get(reply.id);
      if (!p) return;
      pending.delete(reply.id);
      p.timer.cancel();
      if ('error' in reply) p.reject(unavailable(`text to speech failed: ${reply.error}`));
      else p.resolve({ samples: Buffer.from(reply.samples.buffer, reply.samples.byteOffset, reply.samples.byteLength), sampleRate: reply.sampleRate });
      if (pending.size === 0) idle = o.clock.setTimeout(() => void stop(), idleMs);
    });
    w.on('error', (err) => {
      o.logger.error({ err }, 'text-to-speech worker failed');
      if (worker === w) worker = undefined;
      failAll(unavailable('text to speech is not available'));
    });
    w.on('exit', () => {
      if (worker === w) worker = undefined;
      failAll(unavailable('text to speech stopped'));
    });
    return w;
  };

  return {
    speak(text, voice, rate) {
      idle?.cancel();
      idle = undefined;
      worker ??= start();
      const w = worker;
      const id = ++seq;
      const request: SpeakRequest = { id, text, voice, rate };
      return new Promise<Speech>((resolve, reject) => {
        const timer = o.clock.setTimeout(() => {
          pending.delete(id);
          reject(unavailable('text to speech took too long'));
          if (worker === w) void stop();
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        w.postMessage(request);
      });
    },
    async close() {
      await stop();
      failAll(unavailable('text to speech stopped'));
    },
  };
}
