import type { Connection } from 'mongoose';
import { databaseTrouble } from '../database.ts';
import { safeError, type Logger } from '../logger.ts';
import type { Io } from './socket.ts';

const PROBE_EVERY_MS = 1_000;

export interface Outage {
  /** A database operation failed: pushes may have been lost. Probes until the database answers again. */
  suspect(): void;
  /** True while the database is believed to be unreachable. */
  readonly down: boolean;
  stop(): void;
}

/**
 * While the database is gone, sends fail after storing, and pushes go missing; the sockets themselves stay up, so
 * nobody would re-sync. When it answers again, every connected socket is told to (`sync:required`). The driver's
 * own heartbeat notices long outages; a failed request starts a probe so that short ones are noticed too.
 */
export function watchOutages(db: Connection, io: () => Io | undefined, logger: Logger): Outage {
  let down = false;
  let probe: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  const recovered = () => {
    clearTimeout(probe);
    probe = undefined;
    if (!down || stopped) return;
    down = false;
    logger.warn('database answers again: telling connected readers to re-sync');
    io()?.emit('sync:required');
  };
  const ping = () => {
    probe = undefined;
    if (stopped || !down) return;
    db.db!.admin()
      .ping()
      .then(recovered, () => {
        if (!stopped && down) probe = setTimeout(ping, PROBE_EVERY_MS).unref();
      });
  };
  const suspect = () => {
    if (stopped) return;
    if (!down) logger.warn('database unreachable');
    down = true;
    probe ??= setTimeout(ping, PROBE_EVERY_MS).unref();
  };
  const onDisconnected = () => suspect();
  const onReconnected = () => recovered();
  db.on('disconnected', onDisconnected);
  db.on('reconnected', onReconnected);

  return {
    suspect,
    get down() {
      return down;
    },
    stop() {
      stopped = true;
      clearTimeout(probe);
      db.off('disconnected', onDisconnected);
      db.off('reconnected', onReconnected);
    },
  };
}

/** Runs what follows a write that already happened: its failure must not undo the answer, only be noted. */
export async function afterStored(
  what: string,
  ids: Record<string, string>,
  work: () => Promise<unknown>,
  outage: Pick<Outage, 'suspect'>,
  logger: Logger,
): Promise<void> {
  try {
    await work();
  } catch (err) {
    logger.warn({ err: safeError(err), step: what, ...ids }, 'step after a stored write failed');
    if (databaseTrouble(err) === 'away') outage.suspect();
  }
}
