import { randomBytes } from 'node:crypto';
import { createApp } from '../../server/src/app.ts';
import { systemClock } from '../../server/src/clock.ts';
import { connectDatabase } from '../../server/src/database.ts';
import { createLogger } from '../../server/src/logger.ts';
import { httpClient } from '../../server/src/testing/http.ts';

/** The service on a fresh database of its own, as a test server but on the system clock. */
export async function service(uri: string) {
  const db = await connectDatabase(uri, { dbName: `ct_bench_${randomBytes(4).toString('hex')}` });
  const app = await createApp({
    db,
    clock: systemClock(),
    logger: createLogger('silent'),
    mailer: { send: async () => {}, close: () => {} },
    masterKey: randomBytes(32),
    runJobs: false,
  });
  const url = await app.listen(0);
  return {
    app,
    url,
    request: httpClient(url),
    async close() {
      await app.close();
      await db.dropDatabase();
      await db.close();
    },
  };
}
