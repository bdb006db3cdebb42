import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import { startSmtp } from './smtp.ts';
import { startTestServer, type TestServer } from './test-server.ts';

/**
 * Registers before/after hooks for two server nodes on one database and key, mailing through one real SMTP server
 * on loopback: the jobs of a deployment with several nodes. Every node has the same PUBLIC_URL, as in production,
 * so a link in a mail does not depend on which node sent it.
 */
export function useTwoNodesWithSmtp(name: string, publicUrl = 'https://clocktree.example') {
  const dbName = `ct_test_${name}_${randomBytes(4).toString('hex')}`;
  const masterKey = randomBytes(32);
  const handle = {} as {
    smtp: Awaited<ReturnType<typeof startSmtp>>;
    nodeA: TestServer;
    nodeB: TestServer;
    /** Another node on the same database and key (a restart). */
    start(): Promise<TestServer>;
  };
  handle.start = () => startTestServer({ smtpUrl: handle.smtp.url, dbName, masterKey, publicUrl });
  before(async () => {
    handle.smtp = await startSmtp();
    handle.nodeA = await handle.start();
    handle.nodeB = await handle.start();
  });
  after(async () => {
    await handle.nodeB.close(true);
    await handle.nodeA.close();
    await handle.smtp.close();
  });
  return handle;
}
