import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LIMITS } from '../../app.ts';
import { CHALLENGE_TTL_MS } from '../../crypto/proof-of-work.ts';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import type { Reply } from '../../testing/http.ts';
import { EASY_CHALLENGE, solve } from '../../testing/proof-of-work.ts';
import { useTestServer } from '../../testing/test-server.ts';

const form = (i: number | string) => ({
  name: `Sender ${i}`,
  email: `sender.${String(i).replace(/\W/g, '')}@example.test`,
  body: `message ${i}`,
});
const from = (address: string) => ({ 'x-forwarded-for': address });
const countBy = (values: number[]) => {
  const counts: Record<number, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
};

describe('Contact Us under a flood of 200 messages from 50 addresses (default limits and difficulty)', () => {
  const t = useTestServer({
    trustProxy: true,
    limits: { contactUs: DEFAULT_LIMITS.contactUs, challenge: DEFAULT_LIMITS.challenge },
  });

  test('a genuine first-time visitor still gets through, by solving a proof of work instead of getting 429', async (ctx) => {
    const { practiceId, colleague } = await practiceWithStaff(t.request);
    const path = `/api/v1/practices/${practiceId}/contact-us`;
    const started = performance.now();
    // 4 from each address, under the per-address limit (5 per 10 minutes): only the practice's cap can stop them.
    // The 50 senders run at once, each sending its 4 one after another (200 at once would meet the server's cap on
    // requests in progress, whose 503 is another test's subject).
    const flood = (
      await Promise.all(
        Array.from({ length: 50 }, async (_, sender) => {
          const replies = [];
          for (let k = 0; k < 4; k++)
            replies.push(
              await t.request('POST', path, { body: form(sender * 4 + k), headers: from(`198.51.100.${sender}`) }),
            );
          return replies;
        }),
      )
    ).flat();
    const floodMs = performance.now() - started;
    const statuses = countBy(flood.map((r) => r.status));
    assert.equal(statuses[201], DEFAULT_LIMITS.contactUs.perPracticePerHour);
    assert.equal(statuses[428], 200 - DEFAULT_LIMITS.contactUs.perPracticePerHour);
    assert.equal(statuses[429], undefined, 'nobody was turned away');

    const visitor = from('203.0.113.7');
    const asked = await t.request('POST', path, { body: form('genuine'), headers: visitor });
    assert.equal(asked.status, 428);
    assert.equal(asked.body.error.code, 'challenge_required');
    assert.match(asked.body.error.message, /unusual number of messages/);
    const solving = performance.now();
    const altcha = await solve(asked.body.error.challenge);
    const solveMs = performance.now() - solving;
    const sent = await t.request('POST', path, { body: { ...form('genuine'), altcha }, headers: visitor });
    assert.equal(sent.status, 201);

    const thread = await t.request('GET', `/api/v1/threads/${sent.body.thread.id}`, { token: colleague.token });
    assert.equal(thread.body.messages[0].body, 'message genuine');
    const stored = await t.server.db.collection('threads').countDocuments({ kind: 'contact-us' });
    assert.equal(stored, DEFAULT_LIMITS.contactUs.perPracticePerHour + 1, 'challenged messages were not stored');
    ctx.diagnostic(
      `flood: 200 requests from 50 addresses in ${Math.round(floodMs)} ms: ` +
        `${statuses[201]} accepted, ${statuses[428]} challenged, 0 refused; ` +
        `genuine visitor solved the challenge (counter ${altcha.solution.counter}, cost ${altcha.challenge.parameters.cost}) ` +
        `in ${Math.round(solveMs)} ms in Node and was accepted`,
    );
  });
});

describe('Contact Us challenges', () => {
  const t = useTestServer({
    trustProxy: true,
    limits: { contactUs: { perIpPer10Min: 1000, perPracticePerHour: 1 }, challenge: EASY_CHALLENGE },
  });

  /** A practice whose cap (1 an hour) is already used up, and a challenge for it. */
  async function flooded() {
    const { practiceId } = await practiceWithStaff(t.request);
    const path = `/api/v1/practices/${practiceId}/contact-us`;
    assert.equal((await t.request('POST', path, { body: form('first') })).status, 201);
    const asked = await t.request('POST', path, { body: form('second') });
    assert.equal(asked.status, 428);
    return { path, asked };
  }
  const storedThreads = () => t.server.db.collection('threads').countDocuments({ kind: 'contact-us' });

  const assertChallenged = (res: Reply, message: RegExp) => {
    assert.equal(res.status, 428);
    assert.equal(res.body.error.code, 'challenge_required');
    assert.match(res.body.error.message, message);
    assert.ok(res.body.error.challenge.signature, 'with a fresh challenge to solve');
  };

  test('a solved challenge is single use: its replay is refused with a new challenge and stores nothing', async () => {
    const { path, asked } = await flooded();
    const altcha = await solve(asked.body.error.challenge);
    const before = await storedThreads();
    const [first, replay] = [
      await t.request('POST', path, { body: { ...form('second'), altcha } }),
      await t.request('POST', path, { body: { ...form('replayed'), altcha } }),
    ];
    assert.equal(first.status, 201);
    assertChallenged(replay, /already used/);
    assert.notEqual(replay.body.error.challenge.signature, altcha.challenge.signature);
    assert.equal(await storedThreads(), before + 1);
  });

  test('the same solution sent twice at once is accepted once', async () => {
    const { path, asked } = await flooded();
    const altcha = await solve(asked.body.error.challenge);
    const both = await Promise.all(
      [1, 2].map((i) => t.request('POST', path, { body: { ...form(`twice ${i}`), altcha } })),
    );
    assert.deepEqual(both.map((r) => r.status).sort(), [201, 428]);
  });

  test("a solution for another practice's challenge, a wrong answer or an expired challenge is refused", async () => {
    const one = await flooded();
    const other = await flooded();
    const forOther = await solve(other.asked.body.error.challenge);
    assertChallenged(await t.request('POST', one.path, { body: { ...form('x'), altcha: forOther } }), /did not pass/);
    const solved = await solve(one.asked.body.error.challenge);
    const wrong = { ...solved, solution: { counter: solved.solution.counter + 1, derivedKey: 'ab'.repeat(32) } };
    assertChallenged(await t.request('POST', one.path, { body: { ...form('x'), altcha: wrong } }), /did not pass/);
    t.server.clock.advance(CHALLENGE_TTL_MS + 1000);
    assertChallenged(await t.request('POST', one.path, { body: { ...form('x'), altcha: solved } }), /took too long/);
  });

  test('a malformed solution is 400 validation_failed, not a crash', async () => {
    const { path } = await flooded();
    for (const altcha of ['abc', { challenge: {}, solution: {} }, { challenge: null, solution: { counter: -1 } }]) {
      const res = await t.request('POST', path, { body: { ...form('x'), altcha } });
      assert.equal(res.status, 400, JSON.stringify(altcha));
      assert.equal(res.body.error.code, 'validation_failed');
    }
  });
});

describe('Contact Us per-address limit and honeypot', () => {
  const t = useTestServer({
    trustProxy: true,
    limits: { contactUs: { perIpPer10Min: 2, perPracticePerHour: 2 }, challenge: EASY_CHALLENGE },
  });

  test('honeypot hits are answered like a success, stored nowhere and counted against nobody', async () => {
    const { practiceId, colleague } = await practiceWithStaff(t.request);
    const path = `/api/v1/practices/${practiceId}/contact-us`;
    const bot = from('192.0.2.1');
    const hits = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        t.request('POST', path, { body: { ...form(`bot ${i}`), website: 'http://spam.example' }, headers: bot }),
      ),
    );
    assert.deepEqual(new Set(hits.map((r) => r.status)), new Set([201]));
    assert.ok(hits.every((r) => /^[a-f0-9]{24}$/.test(r.body.thread.id)));
    // Neither the address's limit (2) nor the practice's cap (2) was touched by the 30 hits.
    for (const i of [1, 2]) assert.equal((await t.request('POST', path, { body: form(i), headers: bot })).status, 201);
    const list = await t.request('GET', `/api/v1/threads?practiceId=${practiceId}`, { token: colleague.token });
    assert.equal(list.body.threads.length, 2, 'only the two genuine messages were stored');
  });

  test('one address flooding is refused with 429, solved challenge or not', async () => {
    const { practiceId } = await practiceWithStaff(t.request);
    const path = `/api/v1/practices/${practiceId}/contact-us`;
    const flooder = from('192.0.2.2');
    for (const i of [1, 2])
      assert.equal((await t.request('POST', path, { body: form(i), headers: flooder })).status, 201);
    const third = await t.request('POST', path, { body: form(3), headers: flooder });
    assert.equal(third.status, 429);
    assert.equal(third.body.error.code, 'rate_limited');
    assert.ok(Number(third.headers.get('retry-after')) > 0);
    // The practice is now at its cap: another address is asked for work, which does not help the flooding one.
    const asked = await t.request('POST', path, { body: form(4), headers: from('192.0.2.3') });
    assert.equal(asked.status, 428);
    const altcha = await solve(asked.body.error.challenge);
    const solvedButLimited = await t.request('POST', path, { body: { ...form(5), altcha }, headers: flooder });
    assert.equal(solvedButLimited.status, 429);
  });
});
