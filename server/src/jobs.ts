import { safeError, type Logger } from './logger.ts';

type Job = () => Promise<unknown>;

/** A job and how often it runs: together, so a job cannot be listed without its interval. */
export interface ScheduledJob {
  every: number;
  run: Job;
}

/** Each job's run alone, as tests and the demo call them by hand. */
export const runners = <T extends Record<string, ScheduledJob>>(jobs: T) =>
  Object.fromEntries(Object.entries(jobs).map(([name, job]) => [name, job.run])) as { [K in keyof T]: T[K]['run'] };

/**
 * Runs each job on its own timer, never overlapping itself. Jobs claim their work with atomic updates, so running
 * them on every node at once is safe; that is what replaces TTL indexes and a job queue here. Stopping waits for
 * the runs in progress, so a graceful stop never cuts a relay between a mail and its record.
 */
export function startJobs(jobs: Record<string, ScheduledJob>, logger: Logger): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const timers = Object.entries(jobs).flatMap(([name, { every, run: job }]) => {
    let busy = false;
    const run = () => {
      if (busy || stopped) return;
      busy = true;
      const done = job()
        .catch((err: unknown) => logger.warn({ err: safeError(err), job: name }, 'scheduled job failed'))
        .finally(() => {
          busy = false;
          running.delete(done);
        });
      running.add(done);
    };
    // Once right after start too: work that came due while no server ran (a restart, a deploy) goes out at once.
    const first = setTimeout(run, 1_000);
    const timer = setInterval(run, every);
    first.unref();
    timer.unref();
    return [first, timer];
  });
  return async () => {
    stopped = true;
    timers.forEach((t) => clearTimeout(t));
    await Promise.all(running);
  };
}
