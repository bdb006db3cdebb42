// Issue 13: scheduled work runs once per tick across nodes. Two schedulers, each with its own Redis connection as two
// nodes have, run the same jobs against one Redis; every tick of a leased job runs on exactly one of them.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import { redisLease, startJobs, type JobLease } from '../../server/src/jobs.ts';
import { createLogger } from '../../server/src/logger.ts';
import { deleteKeys, needsRedis, REDIS_URL, testPrefix } from '../helpers/redis.ts';

const EVERY_MS = 150;
const TICKS = 20;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('scheduled jobs across two nodes sharing Redis', { skip: await needsRedis() }, () => {
  const prefix = testPrefix();
  const clients: Redis[] = [];
  before(() => {
    for (let i = 0; i < 2; i++) clients.push(new Redis(REDIS_URL, { enableOfflineQueue: false }));
  });
  after(async () => {
    await deleteKeys(clients[0]!, prefix);
    for (const client of clients) client.disconnect();
  });

  /** Runs `jobs`' job on two nodes for TICKS ticks; what each node ran, tick by tick. */
  async function twoNodes(
    lease: (node: number) => JobLease | undefined,
    work: () => Promise<unknown>,
    everyNode = false,
  ) {
    const runs: { node: number; tick: number }[] = [];
    // The tick a run belongs to is the one its node claimed: reading the clock again when the run starts, after the
    // claim's round trip to Redis, can name the next tick on a loaded machine and count one run for two ticks.
    const claimed: (number | undefined)[] = [];
    const recording = (node: number, inner: JobLease | undefined): JobLease | undefined =>
      inner && {
        async claim(name, tick, every) {
          const release = await inner.claim(name, tick, every);
          if (release) claimed[node] = tick;
          return release;
        },
      };
    const stops = [0, 1].map((node) =>
      startJobs(
        {
          job: {
            every: EVERY_MS,
            everyNode,
            run: async () => {
              runs.push({ node, tick: (everyNode ? undefined : claimed[node]) ?? Math.floor(Date.now() / EVERY_MS) });
              await work();
            },
          },
        },
        createLogger('silent'),
        { lease: recording(node, lease(node)), firstRunMs: node * 40 },
      ),
    );
    await sleep(EVERY_MS * TICKS);
    await Promise.all(stops.map((stop) => stop()));
    return runs;
  }

  const perTick = (runs: { tick: number }[]) => {
    const counts = new Map<number, number>();
    for (const { tick } of runs) counts.set(tick, (counts.get(tick) ?? 0) + 1);
    return counts;
  };

  test(`each of ${TICKS} ticks runs on one node, never on both`, async () => {
    const runs = await twoNodes(
      (node) => redisLease(clients[node]!, prefix),
      () => sleep(5),
    );
    const counts = perTick(runs);
    const doubled = [...counts].filter(([, n]) => n > 1);
    assert.deepEqual(doubled, [], 'no tick ran twice');
    // Both nodes try every tick; a tick lost is one whose both timers fell just after its end (rare).
    assert.ok(runs.length >= TICKS - 3, `${runs.length} runs in ${TICKS} ticks`);
  });

  test('a run longer than its tick holds the job: the other node does not start it meanwhile', async () => {
    let inFlight = 0;
    let overlaps = 0;
    const runs = await twoNodes(
      (node) => redisLease(clients[node]!, `${prefix}:slow`),
      async () => {
        if (++inFlight > 1) overlaps++;
        await sleep(EVERY_MS * 2.5);
        inFlight--;
      },
    );
    assert.equal(overlaps, 0, 'never two runs at once');
    assert.ok(runs.length >= 4, `${runs.length} runs`);
    assert.deepEqual(
      [...perTick(runs)].filter(([, n]) => n > 1),
      [],
    );
  });

  test('without a lease, or for work on each node’s own sockets, both nodes run every tick', async () => {
    for (const runs of [
      await twoNodes(
        () => undefined,
        async () => {},
      ),
      await twoNodes(
        (node) => redisLease(clients[node]!, `${prefix}:own`),
        async () => {},
        true,
      ),
    ]) {
      const both = [...perTick(runs)].filter(([, n]) => n === 2).length;
      assert.ok(both >= TICKS - 4, `${both} of ${TICKS} ticks ran on both nodes`);
    }
  });

  test('a node that died holding a lease frees the job once the lease lapses', async () => {
    const redis = clients[0]!;
    const lease = redisLease(redis, `${prefix}:dead`);
    const release = await lease.claim('job', 1, 1_000);
    assert.ok(release, 'the first node gets the tick');
    assert.equal(await lease.claim('job', 2, 1_000), null, 'held: the next tick waits');
    // Its process is gone: nobody renews. Shorten the wait the lease would take (30 s) to what the test affords.
    await redis.pexpire(`${prefix}:dead:job:job:running`, 50);
    await sleep(100);
    const next = await redisLease(clients[1]!, `${prefix}:dead`).claim('job', 3, 1_000);
    assert.ok(next, 'another node takes the job');
    await release!(); // the late release of the dead run does not free the live one
    assert.equal(await lease.claim('job', 4, 1_000), null, 'still held by the live run');
    await next!();
  });
});
