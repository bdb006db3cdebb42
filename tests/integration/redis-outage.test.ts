// Redis goes away while two nodes serve: hung (SIGSTOP: connections stay open, commands wait) and dropped (SIGKILL:
// connections close, new ones are refused). Each node keeps answering, stores messages and pushes them to its own
// sockets, says so once in its log and in /healthz, and once Redis is back (restarted on the same port, empty)
// pushes cross nodes again without restarting anything. Scheduled jobs skip ticks instead of running twice.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { redisLease, startJobs } from '../../server/src/jobs.ts';
import { createLogger } from '../../server/src/logger.ts';
import { joinCluster, within } from '../../server/src/redis-watch.ts';
import { httpClient, type Request } from '../../server/src/testing/http.ts';
import { online, type ClientSocket } from '../../server/src/testing/sockets.ts';
import { crashCast, eventually, type CrashCast } from '../helpers/crash-load.ts';
import { needsRedisServer, startOwnRedis, testPrefix, type OwnRedis } from '../helpers/redis.ts';
import { startServerProcess, type ServerProcess } from '../helpers/server-process.ts';
import { sharedDeployment } from '../helpers/shared-deployment.ts';

/** The bound on any answer while Redis is away: generous (a shared, loaded machine), but not forever. */
const ANSWER_WITHIN_MS = 10_000;
const UNREACHABLE = /^redis unreachable/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

type Outage = { name: string; start: (redis: OwnRedis) => Promise<void>; end: (redis: OwnRedis) => Promise<void> };
const OUTAGES: Outage[] = [
  { name: 'hung (SIGSTOP)', start: async (r) => r.hang(), end: async (r) => r.resume() },
  { name: 'dropped (SIGKILL)', start: (r) => r.kill(), end: (r) => r.restart() },
];

describe('two nodes keep serving while their Redis is away', { skip: needsRedisServer() }, () => {
  let redis: OwnRedis;
  let deployment: ReturnType<typeof sharedDeployment>;
  let a: ServerProcess;
  let b: ServerProcess;
  let viaA: Request;
  let viaB: Request;
  let cast: CrashCast;
  let readerOnA: ClientSocket;
  /** Every message body posted: none may appear in any log. */
  const bodies: string[] = [];

  before(async () => {
    redis = await startOwnRedis();
    deployment = sharedDeployment('redisdown', redis.url);
    // One after the other: the first one prepares the new database.
    a = await startServerProcess(deployment.env);
    b = await startServerProcess(deployment.env);
    viaA = httpClient(a.url);
    viaB = httpClient(b.url);
    cast = await crashCast(viaA);
    readerOnA = await online(a.url, cast.client.token);
  });
  after(async () => {
    readerOnA?.close();
    await Promise.all([a?.stop(), b?.stop()]);
    await deployment?.remove();
    await redis?.stop();
  });

  const answered = <T>(reply: Promise<T>, what: string) =>
    within(reply, ANSWER_WITHIN_MS).catch((err: Error) => assert.fail(`${what}: ${err.message}`));
  const post = (via: Request, body: string) => {
    bodies.push(body);
    return answered(
      via('POST', `/api/v1/threads/${cast.threadIds[0]}/messages`, {
        token: cast.colleague.token,
        body: { body },
        headers: { 'idempotency-key': `redisdown-${randomBytes(6).toString('hex')}` },
      }),
      'posting a message',
    );
  };
  const heard = (socket: ClientSocket, body: string) =>
    new Promise<void>((resolve) =>
      socket.on('message:new', ({ message }) => {
        if (message.body === body) resolve();
      }),
    );
  const health = async (node: ServerProcess) => await answered(httpClient(node.url)('GET', '/healthz'), 'healthz');
  const redisIs = async (node: ServerProcess, state: 'up' | 'down') =>
    eventually(async () => (await health(node)).body.redis === state, 20_000, `${node.url} to report redis ${state}`);
  const logged = (node: ServerProcess, pattern: RegExp) =>
    node.logs.filter((line) => line.startsWith('{') && pattern.test(JSON.parse(line).msg ?? '')).length;
  const marker = (what: string) => `${what} ${randomBytes(4).toString('hex')}`;

  test('with Redis up, a message posted on B reaches a reader on A', async () => {
    await Promise.all([redisIs(a, 'up'), redisIs(b, 'up')]);
    assert.deepEqual((await health(a)).body, { status: 'ok', redis: 'up' });
    const body = marker('before any outage');
    const arrived = heard(readerOnA, body);
    assert.equal((await post(viaB, body)).status, 201);
    await arrived;
  });

  OUTAGES.forEach((outage, i) => {
    test(`Redis ${outage.name}: A answers, stores, pushes to its own sockets, says so once; then B reaches A again`, async () => {
      await outage.start(redis);

      // At once, before any probe noticed: the first requests must not wait on Redis forever either.
      const first = marker(`during outage ${i}, first`);
      const firstArrived = heard(readerOnA, first);
      const reply = await post(viaA, first);
      assert.equal(reply.status, 201);
      await within(firstArrived, ANSWER_WITHIN_MS);

      // Rate-limited requests (sign-in counts attempts in Redis) answer from this node's memory.
      for (const via of [viaA, viaB]) {
        const login = await answered(
          via('POST', '/api/v1/auth/login', { body: { email: cast.client.email, password: 'wrong password 1' } }),
          'signing in',
        );
        assert.equal(login.status, 401);
      }
      await Promise.all([redisIs(a, 'down'), redisIs(b, 'down')]);
      assert.deepEqual((await health(a)).body, { status: 'degraded', redis: 'down' });

      const second = marker(`during outage ${i}, second`);
      const secondArrived = heard(readerOnA, second);
      assert.equal((await post(viaA, second)).status, 201);
      await within(secondArrived, ANSWER_WITHIN_MS);
      const thread = await answered(
        viaA('GET', `/api/v1/threads/${cast.threadIds[0]}`, { token: cast.client.token }),
        'reading the thread',
      );
      assert.equal(thread.status, 200);
      const stored = thread.body.messages.map((m: { body: string }) => m.body);
      assert.ok(stored.includes(first) && stored.includes(second), 'both messages were stored');

      // Several probes later, still one line per node for this outage.
      await sleep(3_000);
      for (const node of [a, b]) {
        assert.equal(node.exitCode(), undefined, 'the node is still running');
        assert.equal(logged(node, UNREACHABLE), i + 1, 'the outage is logged once');
      }

      const resynced = new Promise<void>((resolve) => readerOnA.once('sync:required', () => resolve()));
      await outage.end(redis);
      await Promise.all([redisIs(a, 'up'), redisIs(b, 'up')]);
      // What B pushed meanwhile never reached A's sockets: they are told to fetch it.
      await within(resynced, ANSWER_WITHIN_MS);

      const across = marker(`after outage ${i}`);
      const arrived = heard(readerOnA, across);
      assert.equal((await post(viaB, across)).status, 201);
      await within(arrived, 20_000);
      assert.ok(readerOnA.connected, 'the reader stayed connected throughout');
    });
  });

  test('no log line of either node holds a message body, and no scheduled job failed', () => {
    for (const node of [a, b]) {
      const leaks = node.logs.filter((line) => bodies.some((body) => line.includes(body)));
      assert.deepEqual(leaks, []);
      assert.equal(logged(node, /^scheduled job failed/), 0);
      assert.equal(logged(node, /^redis answers again/), OUTAGES.length);
    }
  });
});

describe('leased jobs while Redis is away', { skip: needsRedisServer() }, () => {
  const EVERY_MS = 200;
  /** Until a claim of the next tick wins (then released): the job is free again within 10 s, not held for a lease. */
  const claimWins = async (lease: ReturnType<typeof redisLease>, what: string) => {
    let tick = 2;
    await eventually(
      async () => {
        const release = await lease.claim('job', tick++, EVERY_MS);
        await release?.();
        return release !== null;
      },
      10_000,
      what,
    );
  };

  test('a claim still unanswered when Redis is killed is not carried out by the Redis restarted in its place', async () => {
    const redis = await startOwnRedis();
    const prefix = testPrefix();
    const cluster = joinCluster(redis.url, prefix, createLogger('info', { write: () => undefined }));
    try {
      await eventually(() => cluster.redis.status === 'ready', 10_000, 'the node to connect');
      const lease = redisLease(cluster.redis, prefix);
      // Stopped, Redis does not read the claim; killed, it never answers it. The claim gives up, and its release
      // fails at once (the connection is down).
      redis.hang();
      const claim = lease.claim('job', 1, EVERY_MS);
      await sleep(50);
      await redis.kill();
      assert.equal(await claim, null);
      await redis.restart();
      // The new Redis is empty: the job is free at once, not held for a lease (30 s) by the old claim sent again.
      await claimWins(lease, 'a claim to win once Redis is back');
    } finally {
      cluster.close();
      await redis.stop();
    }
  });

  test('a release lost with its connection, while Redis stays up, is sent again on the next one', async () => {
    const redis = await startOwnRedis();
    // Between the node and Redis, a link that can lose what the node sends and then break (Redis stays up).
    let losing = false;
    const sockets = new Set<net.Socket>();
    const link = net.createServer((near) => {
      const far = net.connect(Number(new URL(redis.url).port), '127.0.0.1');
      for (const socket of [near, far]) {
        sockets.add(socket);
        socket.on('error', () => undefined).on('close', () => sockets.delete(socket));
      }
      near.on('data', (chunk) => void (losing || far.write(chunk)));
      far.pipe(near);
      near.on('close', () => far.destroy());
      far.on('close', () => near.destroy());
    });
    await new Promise<void>((resolve) => link.listen(0, '127.0.0.1', resolve));
    const prefix = testPrefix();
    const cluster = joinCluster(
      `redis://127.0.0.1:${(link.address() as net.AddressInfo).port}`,
      prefix,
      createLogger('info', { write: () => undefined }),
    );
    try {
      await eventually(() => cluster.redis.status === 'ready', 10_000, 'the node to connect');
      const lease = redisLease(cluster.redis, prefix);
      const release = await lease.claim('job', 1, EVERY_MS);
      assert.ok(release, 'the first claim wins');
      losing = true;
      const releasing = release();
      await sleep(50);
      for (const socket of sockets) socket.destroy();
      losing = false;
      await releasing;
      // Well within the lease (30 s): the job is free again, and the next tick's claim wins.
      await claimWins(lease, 'a claim to win after the lost release');
    } finally {
      cluster.close();
      await new Promise((resolve) => link.close(resolve));
      for (const socket of sockets) socket.destroy();
      await redis.stop();
    }
  });

  OUTAGES.forEach((outage) => {
    test(`Redis ${outage.name}: two nodes skip ticks, never run one twice, and resume once it is back`, async () => {
      const redis = await startOwnRedis();
      const prefix = testPrefix();
      const lines: string[] = [];
      const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
      const nodes = [0, 1].map(() => joinCluster(redis.url, prefix, logger));
      const runs: { node: number; tick: number | undefined; at: number }[] = [];
      // The tick a run belongs to is the one its node claimed: reading the clock again when the run starts, after the
      // claim's round trip to Redis, can name the next tick on a loaded machine and count one run for two ticks.
      const claimed: number[] = [];
      const stops = nodes.map((cluster, node) => {
        const lease = redisLease(cluster.redis, prefix, cluster.watch);
        return startJobs(
          { job: { every: EVERY_MS, run: async () => void runs.push({ node, tick: claimed[node], at: Date.now() }) } },
          logger,
          {
            lease: {
              async claim(name, tick, every) {
                const release = await lease.claim(name, tick, every);
                if (release) claimed[node] = tick;
                return release;
              },
            },
            firstRunMs: node * 50,
          },
        );
      });
      try {
        await eventually(() => runs.length >= 3, 20_000, 'runs before the outage');
        await outage.start(redis);
        await eventually(() => nodes.every((n) => n.watch.down), 20_000, 'both nodes to see Redis away');
        const whileDown = runs.length;
        await sleep(EVERY_MS * 10);
        assert.equal(runs.length, whileDown, 'no tick runs while no node can lease it');
        await outage.end(redis);
        await eventually(() => runs.length > whileDown + 3, 20_000, 'runs after Redis is back');
      } finally {
        await within(Promise.all(stops.map((stop) => stop())), ANSWER_WITHIN_MS);
        for (const node of nodes) node.close();
        await redis.stop();
      }
      const ticks = runs.map((r) => r.tick);
      assert.equal(new Set(ticks).size, ticks.length, 'no tick ran twice');
      const messages = lines.map((line) => JSON.parse(line).msg as string);
      assert.equal(messages.filter((m) => m === 'scheduled job failed').length, 0);
      assert.equal(messages.filter((m) => UNREACHABLE.test(m)).length, nodes.length, 'each node logs it once');
    });
  });
});
