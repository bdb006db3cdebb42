import path from 'node:path';
import { createApp } from './app.ts';
import { systemClock } from './clock.ts';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { devMasterKey } from './crypto/dev-master-key.ts';
import { connectDatabase } from './database.ts';
import { DEMO, seedDemo } from './demo/seed-demo.ts';
import { redisStore } from './http/rate-limit.ts';
import { createLogger, safeError } from './logger.ts';
import { outboxMailer, smtpMailer } from './mail/mailer.ts';
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

const config = readConfig();
const logger = createLogger(config.logLevel);
if (config.nowOffsetMs) logger.warn({ offsetMs: config.nowOffsetMs }, 'clock shifted by CLOCKTREE_NOW_OFFSET_MS');
// Shared rate limits, single-use challenges, job leases and the Socket.IO fan-out across nodes. While Redis is
// unreachable each node counts limits in its own memory, leased jobs skip their ticks, and pushes reach this node's
// sockets only (redis-watch.ts says so once in the log, and /healthz reports it).
const cluster = config.redisUrl ? joinCluster(config.redisUrl, config.redisPrefix, logger) : undefined;
if (!cluster) logger.info('no REDIS_URL: one node (in-process Socket.IO fan-out, jobs unleased)');

const db = await connectDatabase(config.mongodbUri, { serverSelectionTimeoutMS: 15_000 }).catch((err: Error) => {
  logger.fatal({ err: safeError(err) }, 'cannot reach the database at MONGODB_URI');
  process.exit(1);
});
const mailer = config.smtpUrl ? smtpMailer(config.smtpUrl) : outboxMailer(path.join(config.dataDir, 'outbox'), logger);
let demoPracticeId: string | undefined;
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
});
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
const url = await app.listen(config.port, config.host);
logger.info({ url, publicUrl: config.publicUrl ?? url }, 'listening');

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => process.exit(1), 10_000);
  force.unref();
  await app.close();
  mailer.close();
  cluster?.close();
  await db.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
