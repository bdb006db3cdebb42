// Load for the crash tests: writers that send through @clocktree/client's outbox (retrying with the same
// Idempotency-Key, as the widgets do), and a live reader built from the client's Live and ThreadReader, as a widget
// holds its threads. Every answer's status is counted, so a test can prove that no 500 ever reached a client.
import assert from 'node:assert/strict';
import {
  connectLive,
  createClient,
  createOutbox,
  createThreadReader,
  Session,
  type ThreadReader,
} from '@clocktree/client';
import type { Message } from '@clocktree/protocol';
import { PASSWORD, practiceWithStaff, type Account } from '../../server/src/testing/fixtures.ts';
import type { Request } from '../../server/src/testing/http.ts';

export const THREADS = 4;

/** A practice with THREADS direct threads between its colleague and its client: each has two writers. */
export async function crashCast(request: Request) {
  const staff = await practiceWithStaff(request);
  const threadIds: string[] = [];
  for (let i = 0; i < THREADS; i++) {
    const started = await request('POST', `/api/v1/practices/${staff.practiceId}/threads`, {
      token: staff.colleague.token,
      body: { clientId: staff.client.id, body: `crash thread ${i}` },
    });
    threadIds.push(started.body.thread.id);
  }
  return { ...staff, threadIds };
}

export type CrashCast = Awaited<ReturnType<typeof crashCast>>;

export interface SendTally {
  /** Idempotency-Key → the message the server finally answered with. */
  acked: Map<string, Message>;
  /** HTTP status → how many answers had it (0: no answer, the server was down). */
  statuses: Map<number, number>;
}

/**
 * 2 writers per thread (the client and the colleague), `total` sends in all, each writer one at a time. `onAcked`
 * hears the running count, so a test can crash things part-way.
 */
export async function sendAll(
  baseUrl: string,
  cast: CrashCast,
  total: number,
  onAcked: (count: number) => void,
): Promise<SendTally> {
  const tally: SendTally = { acked: new Map(), statuses: new Map() };
  const count = (status: number) => tally.statuses.set(status, (tally.statuses.get(status) ?? 0) + 1);
  const counting: typeof fetch = async (input, init) => {
    try {
      const response = await fetch(input, init);
      count(response.status);
      return response;
    } catch (error) {
      count(0);
      throw error;
    }
  };
  const writers = cast.threadIds.flatMap((threadId) => [cast.client, cast.colleague].map((who) => ({ threadId, who })));
  const each = Math.ceil(total / writers.length);
  await Promise.all(
    writers.map(async ({ threadId, who }: { threadId: string; who: Account }, w) => {
      const api = createClient({ baseUrl, token: () => who.token, fetch: counting });
      // Generous retries: a restart takes a few seconds, and a 503 asks for 5 s.
      const outbox = createOutbox({ api, retries: 12, backoffMs: 100 });
      for (let i = 0; i < each && w * each + i < total; i++) {
        const key = `crash-${w}-${String(i).padStart(5, '0')}`;
        tally.acked.set(key, await outbox.send(threadId, { body: `crash ${w}/${i}` }, { idempotencyKey: key }));
        onAcked(tally.acked.size);
      }
    }),
  );
  return tally;
}

/** A reader of every crash thread, signed in as `account`, following the pushes and re-syncing as a widget does. */
export async function liveReader(baseUrl: string, account: Account, threadIds: string[]) {
  const session = new Session({ baseUrl, storage: null });
  await session.login({ email: account.email, password: PASSWORD });
  const readers = new Map<string, ThreadReader>(
    threadIds.map((threadId) => [
      threadId,
      createThreadReader({ api: session.api, threadId, onMessages: () => {}, recheckMs: 200 }),
    ]),
  );
  await Promise.all([...readers.values()].map((reader) => reader.load()));
  const counts = { pushes: 0, syncRequired: 0, resyncs: 0 };
  const live = await connectLive({ session, reconnectionDelayMs: 100, reconnectionDelayMaxMs: 500 });
  live.on('message:new', ({ threadId, message }) => {
    counts.pushes++;
    readers.get(threadId)?.add(message);
  });
  live.on('thread:updated', ({ thread }) => readers.get(thread.id)?.noteSeq(thread.seq));
  live.on('sync:required', () => counts.syncRequired++);
  live.onResync(() => {
    counts.resyncs++;
    for (const reader of readers.values()) void reader.resync().catch(() => undefined);
  });
  return {
    readers,
    counts,
    close() {
      live.close();
      for (const reader of readers.values()) reader.close();
      session.dispose();
    },
  };
}

/** Polls until `check` holds; fails with `what` after `ms`. */
export async function eventually(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * What both crash tests require once the sends are done: each acknowledged (each with its own message), no 5xx but
 * 503; exactly the sends and the threads' first messages stored, none twice; and the reader holding every stored
 * message of each thread, once, in seq order (after re-syncing across whatever happened).
 */
export async function assertNothingLostOrDoubled(
  request: Request,
  cast: CrashCast,
  tally: SendTally,
  sends: number,
  reader: Awaited<ReturnType<typeof liveReader>>,
): Promise<void> {
  assert.equal(tally.acked.size, sends);
  assert.equal(new Set([...tally.acked.values()].map((m) => m.id)).size, sends);
  const errors = [...tally.statuses].filter(([status]) => status >= 500 && status !== 503);
  assert.deepEqual(errors, [], 'no 5xx other than 503');

  const stored = async (threadId: string) =>
    (await request('GET', `/api/v1/threads/${threadId}`, { token: cast.admin.token })).body.messages as Message[];
  const all = (await Promise.all(cast.threadIds.map(stored))).flat();
  assert.equal(all.length, sends + THREADS, 'one stored message per send');
  assert.equal(new Set(all.map((m) => m.body)).size, all.length, 'none stored twice');
  const ids = new Set(all.map((m) => m.id));
  assert.ok(
    [...tally.acked.values()].every((m) => ids.has(m.id)),
    'every acknowledged message is stored',
  );

  await eventually(
    async () => {
      for (const [threadId, threadReader] of reader.readers) {
        const expected = (await stored(threadId)).map((m) => m.id);
        const held = threadReader.messages.map((m) => m.id);
        if (held.length !== expected.length || held.some((id, i) => id !== expected[i])) return false;
      }
      return true;
    },
    30_000,
    'the reader to hold every stored message',
  );
}
