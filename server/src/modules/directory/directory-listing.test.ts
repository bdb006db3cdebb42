import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { RESPONSE_WINDOW_MS } from '@clocktree/protocol';
import { Types } from 'mongoose';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { directoryService } from './directory.service.ts';

type Staff = Awaited<ReturnType<typeof practiceWithStaff>>;

/** The directory keeps each practice's 7-day deadline (`listedUntil`) from the thread events, without a job. */
describe('the directory’s 7-day deadline', () => {
  const t = useTestServer();
  let s: Staff;
  before(async () => {
    s = await practiceWithStaff(t.request);
    await t.request('PATCH', `/api/v1/practices/${s.practiceId}`, {
      token: s.admin.token,
      body: { directoryOptIn: true },
    });
  });

  const stored = async () =>
    (await t.server.app.models.DirectoryEntry.findById(s.practiceId).lean())?.listedUntil?.getTime() ?? null;
  /** What the rule says from the threads as they are now (threads/thread-queries.ts). */
  const rule = async () => {
    const oldest = await t.server.app.models.Thread.findOne({
      practiceId: new Types.ObjectId(s.practiceId),
      status: 'open',
      awaiting: true,
    })
      .sort({ awaitingSince: 1 })
      .lean();
    return oldest?.awaitingSince ? oldest.awaitingSince.getTime() + RESPONSE_WINDOW_MS : null;
  };
  const send = (threadId: string, token: string, body: string) =>
    t.request('POST', `/api/v1/threads/${threadId}/messages`, { token, body: { body } });
  const clientThread = async () => {
    const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'How are you doing this week?' },
    });
    assert.equal(started.status, 201);
    return started.body.thread.id as string;
  };

  test('a client message starts it, a later one keeps it, a practice reply or a close clears it', async () => {
    assert.equal(await stored(), null);
    const first = await t.request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
      body: { name: 'Visitor', email: 'visitor@example.test', body: 'Do you see teenagers?' },
    });
    const since = t.server.clock.now().getTime();
    assert.equal(await stored(), since + RESPONSE_WINDOW_MS);

    const id = await clientThread();
    t.server.clock.advance(60_000);
    assert.equal((await send(id, s.client.token, 'Not great.')).status, 201);
    assert.equal(await stored(), since + RESPONSE_WINDOW_MS, 'the oldest awaiting thread counts');

    assert.equal((await send(first.body.thread.id, s.colleague.token, 'Yes, we do.')).status, 201);
    assert.equal(await stored(), since + 60_000 + RESPONSE_WINDOW_MS, 'the next oldest takes over');

    const closed = await t.request('POST', `/api/v1/threads/${id}/close`, { token: s.colleague.token });
    assert.equal(closed.status, 200);
    assert.equal(await stored(), null);
  });

  test('client messages and practice replies racing leave the entry as the threads say (20 rounds)', async () => {
    const id = await clientThread();
    for (let round = 0; round < 20; round++) {
      t.server.clock.advance(1_000);
      // Both sides at once, three of each: whichever lands last, the entry must end as the threads are.
      const sent = await Promise.all(
        [0, 1, 2].flatMap((k) => [
          send(id, s.client.token, `Client ${round}.${k}`),
          send(id, s.colleague.token, `Practice ${round}.${k}`),
        ]),
      );
      assert.deepEqual(
        sent.map((r) => r.status),
        [201, 201, 201, 201, 201, 201],
      );
      assert.equal(await stored(), await rule(), `round ${round}`);
    }
    await t.request('POST', `/api/v1/threads/${id}/close`, { token: s.colleague.token });
    assert.equal(await stored(), null);
  });

  test('a refresh that read the rule just before a racing reply does not leave the stale deadline behind', async () => {
    // The interleaving the loop above rarely hits, forced: this refresh reads "awaiting" (the first answer), a reply
    // lands and its own refresh stores null, then this one writes what it read. Only the threads are scripted.
    const stale = new Date(t.server.clock.now().getTime() + RESPONSE_WINDOW_MS);
    const answers: (Date | null)[] = [stale, null];
    const directory = directoryService({
      models: t.server.app.models,
      clock: t.server.clock,
      publicUrl: () => '',
      practices: t.server.app.services.practices,
      threads: {
        listedUntil: async () => (answers.length > 1 ? answers.shift()! : answers[0]!),
        listedUntilAll: async () => new Map(),
      },
    });
    await t.server.app.models.DirectoryEntry.updateOne({ _id: s.practiceId }, { $set: { listedUntil: null } });
    await directory.refreshListing(new Types.ObjectId(s.practiceId));
    assert.equal(await stored(), null);
  });

  test('the start-up and minute recompute repairs an entry a crash left wrong, and a stale opt-in', async () => {
    const id = await clientThread();
    await send(id, s.client.token, 'Still there?');
    const right = await stored();
    assert.notEqual(right, null);
    // As if the process died between the thread's write and the entry's.
    await t.server.app.models.DirectoryEntry.updateOne({ _id: s.practiceId }, { $set: { listedUntil: null } });
    assert.equal(await t.server.app.services.directory.recomputeListings(), 1);
    assert.equal(await stored(), right);
    assert.equal(await t.server.app.services.directory.recomputeListings(), 0, 'nothing left to repair');

    // An entry still listed after its practice opted out (the practice was written, the entry was not).
    await t.server.app.models.Practice.updateOne({ _id: s.practiceId }, { $set: { directoryOptIn: false } });
    assert.equal(await t.server.app.services.directory.backfill(), 1);
    assert.equal((await t.server.app.models.DirectoryEntry.findById(s.practiceId).lean())?.optIn, false);
    await t.request('POST', `/api/v1/threads/${id}/close`, { token: s.colleague.token });
  });
});
