import { safeError, type Logger } from './logger.ts';

type Job = () => Promise<unknown>;

const EVERY: Record<string, number> = {
  relayNotifications: 5_000,
  dropDeadSockets: 30_000,
  mediaSweep: 60_000,
  callTimeouts: 5_000,
  appointmentReminders: 30_000,
  appointmentRings: 5_000,
  appointmentWindows: 30_000,
  warnResponseDue: 60_000,
  sweep: 10 * 60_000,
};

/**
 * Runs each job on its own timer, never overlapping itself. Jobs claim their work with atomic updates, so running
 * them on every node at once is safe; that is what replaces TTL indexes and a job queue here. Stopping waits for
 * the runs in progress, so a graceful stop never cuts a relay between a mail and its record.
 */
export function startJobs(jobs: Record<string, Job>, logger: Logger): () => Promise<void> {
  const running = new Set<Promise<unknown>>();
  let stopped = false;
  const timers = Object.entries(jobs).flatMap(([name, job]) => {
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
    const timer = setInterval(run, EVERY[name] ?? 60_000);
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
