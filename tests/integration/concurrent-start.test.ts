// Several nodes started at the same instant on a database this version has never run on, holding plaintext an earlier
// version left: the start-up migration (server/src/migrations/seal-plaintext.ts) runs on all of them at once. Every
// node must come up, the migration's marker is written, every plaintext field is sealed and reads back, and the nodes
// serve a message round trip between them. Each round is a new database. Then starts that fail: they must say why in
// one line and exit non-zero within a bound, not hang holding the database (the in-process start too).
import assert from 'node:assert/strict';
import net from 'node:net';
import { describe, test } from 'node:test';
import mongoose from 'mongoose';
import { CLAIM, MARKER } from '../../server/src/migrations/seal-plaintext.ts';
import { practiceWithStaff, PASSWORD } from '../../server/src/testing/fixtures.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { startTestServer } from '../../server/src/testing/test-server.ts';
import { databaseGate, type DatabaseGate } from '../helpers/database-gate.ts';
import { freePort } from '../helpers/free-port.ts';
import { failedStart, startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { sharedDeployment } from '../helpers/shared-deployment.ts';
import { needsRedis } from '../helpers/redis.ts';

const ROUNDS = 5;
const NODES = 3;
const CLIENT_NAME = 'Legacy Client Name 7731';
const SERVICE = { name: 'Legacy Service 7731', description: 'Legacy description 7731' };

type Deployment = ReturnType<typeof sharedDeployment>;
const dbNameOf = (deployment: Deployment) => new URL(deployment.env.MONGODB_URI).pathname.slice(1);
const keyOf = (deployment: Deployment) => Buffer.from(deployment.env.CLOCKTREE_MASTER_KEY, 'base64');
const rawDb = (dbName: string) => mongoose.createConnection(process.env.MONGODB_URI!, { dbName }).asPromise();

/**
 * Writes what an earlier version left: accounts with a plaintext `email` under the old unique index `email_1`, a
 * client name and a message service in plaintext, no migration marker. (Made by this version's API, then taken back to
 * the old layout: the same documents an upgrade meets.)
 */
async function legacyDatabase(deployment: Deployment) {
  const dbName = dbNameOf(deployment);
  const server = await startTestServer({ dbName, masterKey: keyOf(deployment) });
  const request = httpClient(server.url);
  const staff = await practiceWithStaff(request);
  const service = await request('POST', `/api/v1/practices/${staff.practiceId}/services`, {
    token: staff.admin.token,
    body: { ...SERVICE, assigneeIds: [] },
  });
  assert.equal(service.status, 201);
  await server.close(true);

  const raw = await rawDb(dbName);
  const users = raw.collection('users');
  for (const index of await users.indexes()) if (index.name !== '_id_') await users.dropIndex(index.name!);
  for (const account of [staff.admin, staff.colleague, staff.client])
    await users.updateOne(
      { _id: new mongoose.Types.ObjectId(account.id) },
      { $set: { email: account.email }, $unset: { emailIndex: '', emailEnc: '' } },
    );
  await users.createIndex({ email: 1 }, { unique: true, name: 'email_1' });
  await raw.collection('client_links').updateMany({}, { $set: { name: CLIENT_NAME }, $unset: { nameEnc: '' } });
  await raw.collection('practices').updateMany(
    {},
    {
      $set: {
        services: [{ _id: new mongoose.Types.ObjectId(service.body.service.id), ...SERVICE, assigneeIds: [] }],
      },
    },
  );
  await raw.collection('migrations').deleteMany({});
  await raw.close();
  return staff;
}

const sealedCounts = (node: ServerProcess) =>
  node.logs
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.msg === 'sealed plaintext left by an earlier version');

describe('nodes started at once on a new database', { skip: await needsRedis() }, () => {
  for (let round = 1; round <= ROUNDS; round++) {
    test(`round ${round}: ${NODES} nodes come up together, seal once, and serve a round trip`, async () => {
      const deployment = sharedDeployment(`concurrent${round}`);
      const nodes: ServerProcess[] = [];
      let gate: DatabaseGate | undefined;
      try {
        const staff = await legacyDatabase(deployment);
        // Started at once, and held at the database until every node is there: their migrations overlap.
        gate = await databaseGate(deployment.env.MONGODB_URI, NODES);
        const began = Date.now();
        const starting = gate.uris.map((uri) => startServerProcess({ ...deployment.env, MONGODB_URI: uri }));
        // A node that dies before reaching the database never opens the gate: the others, held there, are killed by
        // startServerProcess's 30 s bound and every start settles, failed.
        const settled = Promise.allSettled(starting);
        await Promise.race([gate.opened, settled]);
        const gateOpenedAfter = Date.now() - began;
        const started = await settled;
        for (const result of started) if (result.status === 'fulfilled') nodes.push(result.value);
        const failures = started.flatMap((r) => (r.status === 'rejected' ? [(r.reason as Error).message] : []));
        assert.deepEqual(failures, [], 'every node started');
        console.log(
          `round ${round}: all ${NODES} nodes at the database ${gateOpenedAfter} ms after the start, ` +
            `all listening after ${Date.now() - began} ms`,
        );

        const via: Request[] = nodes.map((node) => httpClient(node.url));
        for (const request of via) assert.equal((await request('GET', '/healthz')).status, 200);

        const raw = await rawDb(dbNameOf(deployment));
        try {
          const markers = await raw
            .collection('migrations')
            .find({ _id: MARKER as never })
            .toArray();
          assert.equal(markers.length, 1, 'the migration marked itself done');
          assert.equal(await raw.collection('migrations').countDocuments({ _id: CLAIM as never }), 0, 'claim let go');
          assert.equal(await raw.collection('users').countDocuments({ email: { $exists: true } }), 0);
          assert.equal(await raw.collection('users').countDocuments({ emailIndex: { $exists: true } }), 3);
          assert.equal(await raw.collection('client_links').countDocuments({ name: { $exists: true } }), 0);
          const [practice] = await raw.collection('practices').find({}).toArray();
          const services = practice!.services as Record<string, unknown>[];
          assert.equal(services.length, 1);
          assert.ok(!('name' in services[0]!) && !('description' in services[0]!), 'service texts sealed');
          assert.deepEqual(
            (await raw.collection('users').indexes()).map((index) => index.name).filter((name) => name === 'email_1'),
            [],
            'the old plaintext index is gone',
          );
        } finally {
          await raw.close();
        }
        // One node ran the migration, the others waited for its marker: the counts they log add up to what was seeded
        // (without the claim, FerretDB let two nodes' guarded updates both rewrite one account: 3 of 10 rounds).
        const sealed = nodes.flatMap(sealedCounts);
        const total = (field: string) => sealed.reduce((sum, entry) => sum + Number(entry[field] ?? 0), 0);
        assert.equal(total('account e-mails'), 3, 'each account e-mail sealed once');
        assert.equal(total('client names'), 1, 'the client name sealed once');
        assert.equal(total('service names'), 1, 'the practice services sealed once');

        // Sealed values read back on every node: sign-in finds the account by its sealed address.
        const tokens = [];
        for (const request of via) {
          const login = await request('POST', '/api/v1/auth/login', {
            body: { email: staff.colleague.email, password: PASSWORD },
          });
          assert.equal(login.status, 200);
          tokens.push(login.body.token as string);
        }
        const clients = await via[1]!('GET', `/api/v1/practices/${staff.practiceId}/clients`, { token: tokens[1] });
        assert.deepEqual(
          clients.body.clients.map((c: { name: string }) => c.name),
          [CLIENT_NAME],
        );
        const profile = await via[2]!('GET', `/api/v1/practices/${staff.practiceId}`);
        assert.deepEqual(
          profile.body.practice.services.map((s: { name: string; description: string }) => [s.name, s.description]),
          [[SERVICE.name, SERVICE.description]],
        );

        // A message round trip across the nodes.
        const clientLogin = await via[1]!('POST', '/api/v1/auth/login', {
          body: { email: staff.client.email, password: PASSWORD },
        });
        assert.equal(clientLogin.status, 200);
        const thread = await via[0]!('POST', `/api/v1/practices/${staff.practiceId}/threads`, {
          token: tokens[0],
          body: { clientId: staff.client.id, body: `hello from node 0, round ${round}` },
        });
        assert.equal(thread.status, 201);
        const threadId = thread.body.thread.id as string;
        const reply = await via[1]!('POST', `/api/v1/threads/${threadId}/messages`, {
          token: clientLogin.body.token,
          body: { body: `reply from node 1, round ${round}` },
          headers: { 'idempotency-key': `concurrent-${round}` },
        });
        assert.equal(reply.status, 201);
        const read = await via[NODES - 1]!('GET', `/api/v1/threads/${threadId}`, { token: tokens[NODES - 1] });
        assert.deepEqual(
          read.body.messages.map((m: { body: string }) => m.body),
          [`hello from node 0, round ${round}`, `reply from node 1, round ${round}`],
        );
        for (const node of nodes) assert.equal(node.exitCode(), undefined, 'the node is still running');
      } finally {
        await Promise.all(nodes.map((node) => node.stop()));
        await gate?.close();
        await deployment.remove();
      }
    });
  }
});

/** The bound on a failed start: the driver's 15 s server selection (main.ts) and a loaded machine's start-up. */
const FAIL_WITHIN_MS = 40_000;
const fatal = (logs: string[]) =>
  logs.filter((line) => line.startsWith('{') && JSON.parse(line).level === 60).map((line) => JSON.parse(line));

describe(
  'a start that fails exits non-zero, says why in one line, and does not hang',
  { skip: await needsRedis() },
  () => {
    test('the database does not answer (nothing listens at the MONGODB_URI port)', async () => {
      const deployment = sharedDeployment('nodb');
      const closed = await freePort();
      const secret = 'pw-do-not-log-6620';
      const result = await failedStart(
        { ...deployment.env, MONGODB_URI: `mongodb://clocktree:${secret}@127.0.0.1:${closed}/ct_unreachable` },
        FAIL_WITHIN_MS,
      );
      await deployment.remove();
      console.log(`unreachable database: exited ${result.code} after ${result.ms} ms`);
      assert.equal(result.code, 1, result.logs.join('\n'));
      const lines = fatal(result.logs);
      assert.equal(lines.length, 1, result.logs.join('\n'));
      assert.match(lines[0].msg, /^cannot reach the database at MONGODB_URI \(Mongo(ose)?ServerSelectionError\)/);
      assert.ok(!result.logs.some((line) => line.includes(secret)), 'no log line holds the password');
      assert.ok(!result.logs.some((line) => line.includes(deployment.env.CLOCKTREE_MASTER_KEY)));
      assert.ok(!result.logs.some((line) => line.includes('listening')));
    });

    test('the port is taken', async () => {
      const deployment = sharedDeployment('porttaken');
      const taken = net.createServer();
      await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
      const port = (taken.address() as net.AddressInfo).port;
      try {
        const result = await failedStart({ ...deployment.env, PORT: String(port) }, FAIL_WITHIN_MS);
        console.log(`port taken: exited ${result.code} after ${result.ms} ms`);
        assert.equal(result.code, 1, result.logs.join('\n'));
        const lines = fatal(result.logs);
        assert.equal(lines.length, 1, result.logs.join('\n'));
        assert.match(lines[0].msg, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port} \\(Error EADDRINUSE\\)`));
        // Nothing but JSON lines: no uncaught error printed after it.
        assert.deepEqual(
          result.logs.filter((line) => !line.startsWith('{')),
          [],
        );
      } finally {
        taken.close();
        await deployment.remove();
      }
    });

    test('the start-up migration throws (a master key that does not open the stored keys)', async () => {
      const deployment = sharedDeployment('wrongkey');
      try {
        await legacyDatabase(deployment);
        const wrongKey = Buffer.alloc(32, 7).toString('base64');
        const result = await failedStart({ ...deployment.env, CLOCKTREE_MASTER_KEY: wrongKey }, FAIL_WITHIN_MS);
        console.log(`migration throws: exited ${result.code} after ${result.ms} ms`);
        assert.equal(result.code, 1, result.logs.join('\n'));
        const lines = fatal(result.logs);
        assert.equal(lines.length, 1, result.logs.join('\n'));
        assert.match(lines[0].msg, /^preparing the database failed/);
        assert.ok(!result.logs.some((line) => line.includes(CLIENT_NAME) || line.includes('@example.test')));

        // The same start in process rejects, and leaves no connection open behind it (or this file would never end).
        const before = mongoose.connections.filter((c) => c.readyState === 1).length;
        await assert.rejects(
          startTestServer({ dbName: dbNameOf(deployment), masterKey: Buffer.from(wrongKey, 'base64') }),
        );
        assert.equal(mongoose.connections.filter((c) => c.readyState === 1).length, before);
      } finally {
        await deployment.remove();
      }
    });
  },
);
