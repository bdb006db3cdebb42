import { safeError, type Logger } from './logger.ts';

/**
 * Work done after the answer went out, so the answer's content and timing cannot tell what the work found (whether
 * an address has an account). `settled` lets a graceful stop, and tests, wait for it.
 */
export function background(logger: Logger) {
  const running = new Set<Promise<unknown>>();
  return {
    run(name: string, work: () => Promise<unknown>): void {
      const done: Promise<unknown> = work()
        .catch((err: unknown) => logger.warn({ err: safeError(err), task: name }, 'background task failed'))
        .finally(() => running.delete(done));
      running.add(done);
    },
    async settled(): Promise<void> {
      while (running.size) await Promise.all(running);
    },
  };
}

export type Background = ReturnType<typeof background>;
