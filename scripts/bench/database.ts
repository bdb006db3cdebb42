import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
// @ts-expect-error: plain ES module without types
import { ensureFerretDB, startFerretDB } from '../ferretdb.mjs';

/** MONGODB_URI when given, otherwise a throw-away FerretDB of our own, stopped and removed by `stop()`. */
export async function database(): Promise<{ uri: string; pid?: number; stop(): Promise<void> }> {
  if (process.env.MONGODB_URI) return { uri: process.env.MONGODB_URI, stop: async () => {} };
  await ensureFerretDB({ log: () => {} });
  const dir = mkdtempSync(path.join(tmpdir(), 'ct-bench-'));
  const db = await startFerretDB({ dataDir: dir });
  return {
    uri: db.uri,
    pid: db.pid as number,
    async stop() {
      await db.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
