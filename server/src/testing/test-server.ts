import { after, before } from 'node:test';
import { httpClient, type Request } from './http.ts';
import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { createApp, DEFAULT_LIMITS, type App, type AppDeps, type Limits } from '../app.ts';
import { ManualClock } from '../clock.ts';
import { connectDatabase } from '../database.ts';
import type { LimitStore } from '../http/rate-limit.ts';
import { createLogger } from '../logger.ts';
import { smtpMailer, type Mail, type Mailer } from '../mail/mailer.ts';

export interface TestServer {
  url: string;
  app: App;
  db: Connection;
  clock: ManualClock;
  mails: Mail[];
  close(keepDatabase?: boolean): Promise<void>;
}

/** Tests create many accounts from one address; tests of the limits pass their own. */
export const GENEROUS_LIMITS: Limits = {
  auth: {
    registerPerIpPerHour: 10_000,
    loginPerIpPer10Min: 10_000,
    linkPerIpPer10Min: 10_000,
    resetPerIpPerHour: 10_000,
    resetPerAddressPerHour: 10_000,
    login: { freeFailures: 10_000, firstDelayMs: 1000, maxDelayMs: 1000 },
  },
  contactUs: { perIpPer10Min: 10_000, perPracticePerHour: 10_000 },
  challenge: DEFAULT_LIMITS.challenge,
  directory: { perIpPerMinute: 10_000 },
};

/**
 * A real server on a loopback port against the real database at MONGODB_URI (FerretDB started by `npm test`),
 * in a database of its own that is dropped afterwards.
 */
export async function startTestServer(
  options: {
    limits?: Partial<Limits>;
    publicUrl?: string;
    logLines?: string[];
    /** Send notifications through this real SMTP server instead of collecting them in `mails`. */
    smtpUrl?: string;
    /** Reuse a database and key, to test what survives a restart. */
    dbName?: string;
    masterKey?: Buffer;
    notifyDelayMs?: number;
    /** API requests in progress beyond which new ones are answered 503. */
    maxInFlight?: number;
    /** Media over a real Janus (tests/helpers/janus-relay.ts). */
    janus?: AppDeps['janus'];
    /** Count limits here (e.g. `redisStore` on a test prefix) instead of in this server's memory. */
    limitStore?: LimitStore;
    /** Take the client's address from X-Forwarded-For, as behind a reverse proxy. */
    trustProxy?: boolean;
    /** Another database server than MONGODB_URI (a test that starts its own FerretDB to read its files). */
    mongodbUri?: string;
    /** How long a caller's page may be gone before their ringing call stops. */
    callerGraceMs?: number;
  } = {},
): Promise<TestServer> {
  const uri = options.mongodbUri ?? process.env.MONGODB_URI;
  if (!uri) throw new Error('MONGODB_URI is not set: run the suite through `npm test`, which starts FerretDB.');
  // The server's own connection (one, on FerretDB): a second one would bring back the races tests look for.
  const db = await connectDatabase(uri, {
    dbName: options.dbName ?? `ct_test_${randomBytes(6).toString('hex')}`,
    serverSelectionTimeoutMS: 10_000,
  });
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const mails: Mail[] = [];
  const mailer: Mailer = options.smtpUrl
    ? smtpMailer(options.smtpUrl)
    : { send: async (mail) => void mails.push(mail), close: () => {} };
  // A start that fails (a migration that throws, a database that refuses) closes what it opened and drops the
  // database it made, so the test can assert on the failure and its process still ends.
  let app: App | undefined;
  let url: string;
  try {
    app = await createApp({
      db,
      clock,
      logger: options.logLines
        ? createLogger('trace', { write: (line: string) => void options.logLines!.push(line) })
        : createLogger('silent'),
      mailer,
      masterKey: options.masterKey ?? randomBytes(32),
      ...(options.notifyDelayMs !== undefined ? { notifyDelayMs: options.notifyDelayMs } : {}),
      ...(options.maxInFlight !== undefined ? { maxInFlight: options.maxInFlight } : {}),
      // Jobs run by hand in tests (`app.jobs.*`), after moving the manual clock.
      runJobs: false,
      ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
      ...(options.janus ? { janus: options.janus } : {}),
      limits: { ...GENEROUS_LIMITS, ...options.limits },
      ...(options.limitStore ? { limitStore: options.limitStore } : {}),
      ...(options.trustProxy ? { trustProxy: true } : {}),
      ...(options.callerGraceMs !== undefined ? { callerGraceMs: options.callerGraceMs } : {}),
    });
    url = await app.listen(0);
  } catch (err) {
    await app?.close();
    mailer.close();
    if (!options.dbName) await db.dropDatabase().catch(() => undefined);
    await db.close();
    throw err;
  }
  const started = app;
  return {
    url,
    app: started,
    db,
    clock,
    mails,
    async close(keepDatabase = false) {
      await started.close();
      mailer.close();
      if (!keepDatabase) await db.dropDatabase();
      await db.close();
    },
  };
}

/** Registers before/after hooks for the enclosing suite: one real server for its tests, closed afterwards. */
export function useTestServer(options: Parameters<typeof startTestServer>[0] = {}) {
  const handle = {} as { server: TestServer; request: Request };
  before(async () => {
    handle.server = await startTestServer(options);
    handle.request = httpClient(handle.server.url);
  });
  after(() => handle.server.close());
  return handle;
}
