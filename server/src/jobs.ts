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
 * them on every node at once is safe; that is what replaces TTL indexes and a job queue here.
 */
export function startJobs(jobs: Record<string, Job>, logger: Logger): () => void {
  const timers = Object.entries(jobs).flatMap(([name, job]) => {
    let running = false;
    const run = () => {
      if (running) return;
      running = true;
      job()
        .catch((err: unknown) => logger.warn({ err: safeError(err), job: name }, 'scheduled job failed'))
        .finally(() => (running = false));
    };
    // Once right after start too: work that came due while no server ran (a restart, a deploy) goes out at once.
    const first = setTimeout(run, 1_000);
    const timer = setInterval(run, EVERY[name] ?? 60_000);
    first.unref();
    timer.unref();
    return [first, timer];
  });
  return () => timers.forEach((t) => clearTimeout(t));
}
