import path from 'node:path';
import type { Connection } from 'mongoose';
import { createApp, type App } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { devMasterKey } from './crypto/dev-master-key.ts';
import { connectDatabase } from './database.ts';
import { DEMO, seedDemo } from './demo/seed-demo.ts';
import { redisStore } from './http/rate-limit.ts';
import { createLogger, safeError } from './logger.ts';
import { outboxMailer, smtpMailer, type Mailer } from './mail/mailer.ts';
import { joinCluster } from './redis-watch.ts';
import { janusInstances } from './modules/media/media.service.ts';

function readConfig(): Config {
  try {
    return loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}

/** How long a start that failed may spend closing what it opened before it exits anyway. */
const CLOSE_WITHIN_MS = 5_000;

/** A step of the start that failed: `what` is the log line's words, `cause` the error (never logged whole). */
class StartError extends Error {
  constructor(
    readonly what: string,
    override readonly cause: unknown,
  ) {
    super(what);
  }
}

const config = readConfig();
const logger = createLogger(config.logLevel);
if (config.nowOffsetMs) logger.warn({ offsetMs: config.nowOffsetMs }, 'clock shifted by CLOCKTREE_NOW_OFFSET_MS');

/** What this start has opened so far: a start that fails closes it before it exits. */
const opened: { cluster?: ReturnType<typeof joinCluster>; db?: Connection; mailer?: Mailer; app?: App } = {};

async function start(): Promise<App> {
  // Shared rate limits, single-use challenges, job leases and the Socket.IO fan-out across nodes. While Redis is
  // unreachable each node counts limits in its own memory, leased jobs skip their ticks, and pushes reach this node's
  // sockets only (redis-watch.ts says so once in the log, and /healthz reports it).
  const cluster = config.redisUrl ? joinCluster(config.redisUrl, config.redisPrefix, logger) : undefined;
  opened.cluster = cluster;
  if (!cluster) logger.info('no REDIS_URL: one node (in-process Socket.IO fan-out, jobs unleased)');

  const db = await connectDatabase(config.mongodbUri, { serverSelectionTimeoutMS: 15_000 }).catch((err: Error) => {
    throw new StartError('cannot reach the database at MONGODB_URI', err);
  });
  opened.db = db;
  const mailer = config.smtpUrl
    ? smtpMailer(config.smtpUrl)
    : outboxMailer(path.join(config.dataDir, 'outbox'), logger);
  opened.mailer = mailer;
  const app = await createApp({
    db,
    clock: systemClock(config.nowOffsetMs),
    logger,
    mailer,
    masterKey: config.masterKey ?? devMasterKey(config.dataDir),
    ...(config.publicUrl ? { publicUrl: config.publicUrl } : {}),
    sessionIdleMs: config.sessionIdleMs,
    trustProxy: config.trustProxy,
    ...(cluster
      ? { limitStore: redisStore(cluster.redis, `${config.redisPrefix}:`, () => cluster.watch.down), cluster }
      : {}),
    demoPracticeId: () => demoPracticeId,
    ...(config.janusUrls.length
      ? {
          janus: {
            instances: janusInstances(config.janusUrls, config.janusAdminKey!),
            eventSecret: config.janusEventSecret!,
          },
        }
      : {}),
  }).catch((err: unknown) => {
    throw new StartError('preparing the database failed (start-up migration or indexes)', err);
  });
  opened.app = app;
  if (config.demo) {
    demoPracticeId = await seedDemo(app);
    console.log(
      [
        `Demo practice "${DEMO.practice}" (${demoPracticeId}); password for every demo account: ${DEMO.password}`,
        `  admin      ${DEMO.admin.email}`,
        `  colleague  ${DEMO.colleague.email}  (assigned to Contact Us)`,
        `  client     ${DEMO.client.email}`,
      ].join('\n'),
    );
  }
  const url = await app.listen(config.port, config.host).catch((err: unknown) => {
    throw new StartError(`cannot listen on ${config.host}:${config.port}`, err);
  });
  logger.info({ url, publicUrl: config.publicUrl ?? url }, 'listening');
  return app;
}

/** Closes what is open, in the reverse order of opening; a close that hangs is cut short by the caller's timer. */
async function closeOpened(): Promise<void> {
  await opened.app?.close();
  opened.mailer?.close();
  opened.cluster?.close();
  await opened.db?.close();
}

let demoPracticeId: string | undefined;
let stopping = false;

/**
 * A start that fails says why in one line and exits 1 at once, after closing what it opened (bounded: a close that
 * hangs on an unreachable database must not keep the process alive). The line carries the error's name, code and
 * stack frames only: a driver's message may quote a connection string or a stored value.
 */
async function startFailed(err: unknown): Promise<never> {
  stopping = true;
  const cause = err instanceof StartError ? err.cause : err;
  const what = err instanceof StartError ? err.what : 'start failed';
  const named = cause instanceof Error ? [cause.name, (cause as { code?: unknown }).code].filter(Boolean) : [];
  logger.fatal({ err: safeError(cause) }, `${what}${named.length ? ` (${named.join(' ')})` : ''}; exiting`);
  setTimeout(() => process.exit(1), CLOSE_WITHIN_MS).unref();
  // Closing Redis while it is still connecting fails the commands queued on it (a Socket.IO adapter's, not awaited by
  // anyone): expected here, and no reason to print a second error after the line above.
  process.on('unhandledRejection', (reason) =>
    logger.debug({ err: safeError(reason) }, 'closing after a failed start'),
  );
  await closeOpened().catch(() => undefined);
  process.exit(1);
}

await start().catch(startFailed);

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await closeOpened();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
