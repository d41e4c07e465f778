/**
 * Scheduled jobs (node-cron): the recordings' retention purge now, scheduled reports later.
 * A job never runs twice at once, and its failure is logged instead of stopping the daemon.
 */
import cron, { type ScheduledTask } from 'node-cron';
import type { Logger } from './logger.js';

export interface Jobs {
  /** Runs `run` on the cron `pattern` (in `timeZone`); `name` is how the logs call it. */
  every(pattern: string, name: string, run: () => unknown): void;
  stop(): Promise<void>;
}

export function createJobs(logger: Logger, timeZone: string): Jobs {
  const tasks: ScheduledTask[] = [];
  return {
    every(pattern, name, run) {
      const task = cron.schedule(
        pattern,
        async () => {
          try {
            await run();
          } catch (err) {
            logger.error({ err, job: name }, 'a scheduled job failed');
          }
        },
        { name, timezone: timeZone, noOverlap: true },
      );
      tasks.push(task);
    },
    async stop() {
      await Promise.all(tasks.splice(0).map((t) => t.destroy()));
    },
  };
}
