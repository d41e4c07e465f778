/** A debug-level pino logger whose lines a test can read back. */
import { Writable } from 'node:stream';
import pino from 'pino';
import type { Logger } from '../../src/kernel/index.js';

export interface LogLine {
  level: number;
  msg: string;
  [k: string]: unknown;
}

export function capturingLogger(): { logger: Logger; logs: LogLine[] } {
  const logs: LogLine[] = [];
  const logger = pino(
    { level: 'debug' },
    new Writable({
      write(chunk: Buffer, _enc, done) {
        logs.push(JSON.parse(chunk.toString()) as LogLine);
        done();
      },
    }),
  );
  return { logger, logs };
}
