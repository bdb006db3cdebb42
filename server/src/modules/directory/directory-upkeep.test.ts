import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RESPONSE_WINDOW_MS } from '@clocktree/protocol';
import { practiceWithStaff, signIn } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { NOT_KEPT } from './directory.service.ts';

const DAY = 24 * 3600_000;
type Staff = Awaited<ReturnType<typeof practiceWithStaff>>;
interface Query {
  collection: string;
  method: string;
  filter: Record<string, unknown>;
}

/**
 * The directory's 7-day deadline is kept from the thread events that move it, and only for listed practices: what a
 * practice sees of it (listed, delisted, listed again) is checked here through the public search at each step, and
 * what it costs a message through the queries the server sends.
 */
describe('the directory’s upkeep on the messaging path', () => {
  const t = useTestServer();
  let count = 0;

  async function practice(optIn: boolean) {
    const s = await practiceWithStaff(t.request);
    const word = `upkeep${Date.now().toString(36)}n${++count}`;
    const saved = await t.request('PATCH', `/api/v1/practices/${s.practiceId}`, {
      token: s.admin.token,
      body: { name: `Upkeep ${word}`, directoryOptIn: optIn },
    });
    assert.equal(saved.status, 200);
    signedIn.push(s);
    return { ...s, word };
  }
  const optIn = async (s: Staff, directoryOptIn: boolean) =>
    assert.equal(
      (
        await t.request('PATCH', `/api/v1/practices/${s.practiceId}`, {
          token: s.admin.token,
          body: { directoryOptIn },
        })
      ).status,
      200,
    );
  /** Whether the public search shows the practice; its profile's `listed` (from the threads) must say the same. */
  async function listed(s: Staff & { word: string }): Promise<boolean> {
    const found = await t.request('GET', `/api/v1/directory?q=${s.word}`);
    assert.equal(found.status, 200);
    const shown = found.body.practices.some((p: { id: string }) => p.id === s.practiceId);
    const profile = (await t.request('GET', `/api/v1/practices/${s.practiceId}`)).body.practice;
    assert.equal(profile.listed, shown, 'the profile and the search agree');
    return shown;
  }
  const send = async (threadId: string, token: string, body: string) =>
    assert.equal(
      (await t.request('POST', `/api/v1/threads/${threadId}/messages`, { token, body: { body } })).status,
      201,
    );
  const close = async (s: Staff, threadId: string) =>
    assert.equal(
      (await t.request('POST', `/api/v1/threads/${threadId}/close`, { token: s.colleague.token })).status,
      200,
    );
  async function contactUs(s: Staff): Promise<string> {
    const sent = await t.request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Visitor', email: 'visitor@example.test', body: 'Do you have openings?' },
    });
    assert.equal(sent.status, 201);
    return sent.body.thread.id;
  }
  /** A thread the practice starts with its client: not awaiting until the client writes. */
  async function clientThread(s: Staff): Promise<string> {
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'Checking in.' },
    });
    assert.equal(started.status, 201);
    return started.body.thread.id;
  }
  /** Days pass: the clock moves on, and the people of the practices `signedIn` sign in again (sessions expire). */
  const signedIn: Staff[] = [];
  async function advance(ms: number) {
    t.server.clock.advance(ms);
    for (const s of signedIn) for (const account of [s.admin, s.colleague, s.client]) await signIn(t.request, account);
  }

  test('listed and delisted at the moments the threads say, whatever messages come in between', async () => {
    const s = await practice(true);
    assert.equal(await listed(s), true);
    const visitor = await contactUs(s);
    assert.equal(await listed(s), true, 'a new question does not delist');

    await advance(3 * DAY);
    const client = await clientThread(s);
    await send(client, s.client.token, 'Not great this week.'); // awaiting from day 3
    await advance(2 * DAY);
    await send(client, s.client.token, 'Are you there?'); // still awaiting from day 3
    assert.equal(await listed(s), true);

    await advance(2 * DAY + 60_000); // day 7 and a minute: the visitor's question is overdue
    assert.equal(await listed(s), false, 'delisted once the oldest question is 7 days old');
    const saved = await t.request('PATCH', `/api/v1/practices/${s.practiceId}`, {
      token: s.admin.token,
      body: { about: 'We answer within a week.' },
    });
    assert.equal(saved.status, 200);
    assert.equal(await listed(s), false, 'saving the profile does not list it again');

    await send(visitor, s.colleague.token, 'Yes, next Tuesday.');
    assert.equal(await listed(s), true, 'listed again once the overdue question is answered');
    await advance(3 * DAY); // day 10 and a minute: the client's thread, awaiting since day 3, is overdue
    assert.equal(await listed(s), false, 'a later client message did not restart the 7 days');

    await send(client, s.colleague.token, 'Sorry, I am here.');
    assert.equal(await listed(s), true);
    await send(client, s.colleague.token, 'Shall we talk on Friday?');
    assert.equal(await listed(s), true);
    await send(client, s.client.token, 'Friday is fine.');
    await advance(6 * DAY);
    assert.equal(await listed(s), true);
    await close(s, client);
    await advance(2 * DAY);
    assert.equal(await listed(s), true, 'a closed thread awaits nothing');
  });

  test('opting in sets the deadline from the threads as they are then; opting out leaves it unkept', async () => {
    const s = await practice(true);
    const visitor = await contactUs(s);
    await optIn(s, false);
    const entry = async () => (await t.server.app.models.DirectoryEntry.findById(s.practiceId).lean())!;
    assert.equal((await entry()).listedUntil?.getTime(), NOT_KEPT.getTime());
    assert.equal(await listed(s), false);

    await advance(8 * DAY); // overdue while out of the directory
    const client = await clientThread(s);
    await send(client, s.client.token, 'Hello?'); // awaiting from now, not kept while opted out
    assert.equal((await entry()).listedUntil?.getTime(), NOT_KEPT.getTime(), 'no upkeep while opted out');
    await optIn(s, true);
    assert.equal(await listed(s), false, 'back in while a question is overdue: not listed');

    await send(visitor, s.colleague.token, 'Sorry for the wait.');
    assert.equal(await listed(s), true);
    assert.equal((await entry()).listedUntil?.getTime(), t.server.clock.now().getTime() + RESPONSE_WINDOW_MS);

    await optIn(s, false);
    await send(client, s.colleague.token, 'Hello, yes.'); // answered while opted out
    await advance(8 * DAY);
    await optIn(s, true);
    assert.equal(await listed(s), true, 'nothing awaits: listed at once');
    assert.equal((await entry()).listedUntil, null);

    // A practice that never opted in, with an overdue question, opting in for the first time.
    const late = await practice(false);
    await contactUs(late);
    await advance(8 * DAY);
    await optIn(late, true);
    assert.equal(await listed(late), false);
  });

  test('an opt-in racing messages from both sides ends with the deadline the threads give (15 rounds)', async () => {
    const s = await practice(true);
    const client = await clientThread(s);
    const visitor = await contactUs(s);
    const stored = async () =>
      (await t.server.app.models.DirectoryEntry.findById(s.practiceId).lean())?.listedUntil?.getTime() ?? null;
    const rule = async () => {
      const oldest = await t.server.app.models.Thread.findOne({
        practiceId: s.practiceId,
        status: 'open',
        awaiting: true,
      })
        .sort({ awaitingSince: 1 })
        .lean();
      return oldest?.awaitingSince ? oldest.awaitingSince.getTime() + RESPONSE_WINDOW_MS : null;
    };
    for (let round = 0; round < 15; round++) {
      await optIn(s, false);
      t.server.clock.advance(1_000);
      const [first, second] = round % 2 ? [s.client.token, s.colleague.token] : [s.colleague.token, s.client.token];
      await Promise.all([
        send(client, first, `First ${round}`),
        optIn(s, true),
        send(visitor, s.colleague.token, `Answer ${round}`),
        send(client, second, `Second ${round}`),
        round % 3 ? contactUs(s) : Promise.resolve(),
      ]);
      assert.equal(await stored(), await rule(), `round ${round}`);
    }
  });

  test('a message reads the threads for the directory only for a listed practice, and only when awaiting moved', async () => {
    const queries: Query[] = [];
    /** The directory work one step caused: reads of the 7-day rule, and reads and writes of the entry. */
    async function recorded(step: () => Promise<unknown>) {
      queries.length = 0;
      t.server.db.set('debug', (collection: string, method: string, ...args: unknown[]) => {
        queries.push({ collection, method, filter: (args[0] ?? {}) as Record<string, unknown> });
      });
      try {
        await step();
      } finally {
        t.server.db.set('debug', false);
      }
      const rule = queries.filter(
        (q) =>
          q.collection === 'threads' && q.method === 'findOne' && 'practiceId' in q.filter && 'awaiting' in q.filter,
      );
      const entry = queries.filter((q) => q.collection === 'directory_entries');
      return {
        ruleReads: rule.length,
        entryReads: entry.filter((q) => q.method === 'findOne').map((q) => Object.keys(q.filter)),
        entryWrites: entry.filter((q) => q.method !== 'findOne').length,
      };
    }
    const none = { ruleReads: 0, entryReads: [], entryWrites: 0 };
    const checkOnly = { ruleReads: 0, entryReads: [['_id']], entryWrites: 0 };

    const noEntry = await practice(false);
    await t.server.app.models.DirectoryEntry.deleteOne({ _id: noEntry.practiceId });
    const optedOut = await practice(true);
    await optIn(optedOut, false);
    for (const s of [noEntry, optedOut]) {
      const id = await clientThread(s);
      assert.deepEqual(await recorded(() => send(id, s.client.token, 'Starts awaiting.')), checkOnly);
      assert.deepEqual(await recorded(() => send(id, s.client.token, 'Still awaiting.')), none);
      assert.deepEqual(await recorded(() => send(id, s.colleague.token, 'Answered.')), checkOnly);
      assert.deepEqual(await recorded(() => send(id, s.colleague.token, 'Follow-up.')), none);
      assert.deepEqual(await recorded(() => contactUs(s)), checkOnly);
      await send(id, s.client.token, 'Awaiting again.');
      assert.deepEqual(await recorded(() => close(s, id)), checkOnly);
    }
    assert.equal(await t.server.app.models.DirectoryEntry.exists({ _id: noEntry.practiceId }), null);

    // The same steps for a listed practice: the rule is read where awaiting moved (so the recording sees those
    // reads), and nothing at all is sent where it did not.
    const shown = await practice(true);
    const id = await clientThread(shown);
    const moved = await recorded(() => send(id, shown.client.token, 'Starts awaiting.'));
    assert.ok(moved.ruleReads >= 2 && moved.entryWrites === 1, JSON.stringify(moved));
    assert.deepEqual(await recorded(() => send(id, shown.client.token, 'Still awaiting.')), none);
    assert.ok((await recorded(() => send(id, shown.colleague.token, 'Answered.'))).ruleReads >= 2);
    assert.deepEqual(await recorded(() => send(id, shown.colleague.token, 'Follow-up.')), none);
    assert.deepEqual(await recorded(() => close(shown, id)), none, 'closing a thread that awaited nothing');
  });
});
