// Issue 9: the database (FerretDB, its own process here) is killed with SIGKILL mid-run and restarted a few
// seconds later. Meanwhile the server answers 503 with Retry-After for what needs the database, never 500; it
// reconnects by itself, tells its sockets to re-sync, and loses nothing it acknowledged.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { httpClient } from '../../server/src/testing/http.ts';
// @ts-expect-error: plain ES module without types
import { ferretdbBinaryPath, startFerretDB } from '../../scripts/ferretdb.mjs';
import { assertNothingLostOrDoubled, crashCast, eventually, liveReader, sendAll } from '../helpers/crash-load.ts';
import { unmet } from '../helpers/prerequisites.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';

const SENDS = Number(process.env.CRASH_DB_SENDS ?? 300);
const OUTAGE_MS = 5_000;

interface FerretDB {
  uri: string;
  port: number;
  pid: number;
  exited: Promise<unknown>;
  stop(): Promise<void>;
}

// Its own FerretDB, from the binary `npm test` builds (also when the other suites use an external MONGODB_URI).
const skip = unmet([[existsSync(ferretdbBinaryPath()), 'FerretDB is not built yet (`npm test` builds it)']]);

describe(`${SENDS} sends across a SIGKILL of the database`, { skip }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-crash-db-'));
  let ferret: FerretDB;
  let server: ServerProcess | undefined;
  before(async () => {
    ferret = (await startFerretDB({ dataDir: dir })) as FerretDB;
  });
  after(async () => {
    await server?.stop();
    await ferret.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test('503 with Retry-After while it is gone, back by itself, nothing acknowledged lost, readers re-synced', async () => {
    server = await startServerProcess({
      MONGODB_URI: `${ferret.uri}ct_crash_db`,
      CLOCKTREE_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
      DATA_DIR: path.join(dir, 'server'),
    });
    const request = httpClient(server.url);
    const cast = await crashCast(request);
    const reader = await liveReader(server.url, cast.admin, cast.threadIds);
    let outage: Promise<{ during: { status: number; retryAfter: string | null }; backAfterMs: number }> | undefined;

    const tally = await sendAll(server.url, cast, SENDS, (acked) => {
      if (acked !== Math.floor(SENDS / 3)) return;
      outage = (async () => {
        process.kill(ferret.pid, 'SIGKILL');
        await ferret.exited;
        // While it is gone: what needs the database is refused at once, with when to come back.
        let during = { status: 0, retryAfter: null as string | null };
        await eventually(
          async () => {
            const res = await request('GET', '/api/v1/me', { token: cast.admin.token });
            during = { status: res.status, retryAfter: res.headers.get('retry-after') };
            return res.status === 503;
          },
          OUTAGE_MS,
          'a 503 while the database is gone',
        );
        await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
        const restarted = performance.now();
        ferret = (await startFerretDB({ dataDir: dir, port: ferret.port })) as FerretDB;
        await eventually(async () => (await request('GET', '/healthz')).status === 200, 30_000, 'the server back');
        return { during, backAfterMs: performance.now() - restarted };
      })();
    });
    assert.ok(outage, 'the database was killed');
    const { during, backAfterMs } = await outage;

    assert.deepEqual(during, { status: 503, retryAfter: '5' });
    // The sockets never dropped: the server told them to re-sync, and the reader holds everything, once.
    await assertNothingLostOrDoubled(request, cast, tally, SENDS, reader);
    console.log(
      `database crash test: ${SENDS} sends; answers ${JSON.stringify(Object.fromEntries(tally.statuses))}; ` +
        `server answering again ${(backAfterMs / 1000).toFixed(1)} s after FerretDB restarted; ` +
        `reader: ${reader.counts.syncRequired} sync:required, ${reader.counts.resyncs} re-syncs, ${reader.counts.pushes} pushes`,
    );
    assert.ok(reader.counts.syncRequired >= 1, 'sync:required reached the reader');
    reader.close();
  });
});
