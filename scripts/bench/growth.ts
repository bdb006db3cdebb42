// The growth table of `npm run bench`: p50 of the main requests as the collections grow. FerretDB v1 with SQLite
// scans a whole collection for every query (even by _id), so its figures fall with size; MongoDB's (MONGODB_URI)
// should not. Filler documents go in through the server's own connection, in the shapes the server writes.
import { randomBytes } from 'node:crypto';
import { Types } from 'mongoose';
import type { App } from '../../server/src/app.ts';
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import type { Reply, Request } from '../../server/src/testing/http.ts';

/** What the issue measured: a practice's threads hold about 20 messages each; each message leaves ~2 audit entries. */
const MESSAGES_PER_THREAD = 20;
const AUDIT_PER_MESSAGE = 2;
const CHUNK = 1_000;
/** Staff of a busy practice opening conversations in the same moment. */
const TOGETHER = 10;

/** p50 of the answered requests, and how many of all were shed (503: over the cap or waited too long). */
interface Timing {
  p50: number;
  shed: number;
  of: number;
}

export interface GrowthRow {
  messages: number;
  threads: number;
  audit: number;
  timings: Record<string, Timing>;
}

/**
 * `rounds` times, `together` requests at once (1: one after the other); each request's own time counts. A 503 is
 * counted as shed, not timed: its fast answer would flatter the p50.
 */
async function measure(rounds: number, together: number, call: () => Promise<Reply>): Promise<Timing> {
  const times: number[] = [];
  let shed = 0;
  for (let i = 0; i < rounds; i++)
    await Promise.all(
      Array.from({ length: together }, async () => {
        const start = performance.now();
        const res = await call();
        if (res.status === 503) return void shed++;
        if (res.status >= 300) throw new Error(`answered ${res.status}`);
        times.push(performance.now() - start);
      }),
    );
  times.sort((a, b) => a - b);
  return { p50: times[Math.floor(times.length / 2)] ?? NaN, shed, of: rounds * together };
}

/** Adds filler threads, messages, idempotency keys and audit entries for the practice until `messages` exist. */
async function growTo(app: App, practiceId: string, clientId: string, messages: number): Promise<void> {
  const { Thread, Message, Idempotency, Audit } = app.models;
  const now = new Date();
  const pid = new Types.ObjectId(practiceId);
  const client = new Types.ObjectId(clientId);
  for (let have = await Message.estimatedDocumentCount(); have < messages; have += CHUNK) {
    const threads = Array.from({ length: CHUNK / MESSAGES_PER_THREAD }, () => ({
      _id: new Types.ObjectId(),
      practiceId: pid,
      kind: 'direct' as const,
      clientId: client,
      contactEnc: null,
      subjectEnc: null,
      serviceId: null,
      startedBy: null,
      closedAt: null,
      warnedAt: null,
      status: 'open' as const,
      awaiting: false,
      awaitingSince: null,
      lastMessageAt: now,
      seq: MESSAGES_PER_THREAD,
      createdAt: now,
    }));
    const docs = threads.flatMap((t) =>
      Array.from({ length: MESSAGES_PER_THREAD }, (_, i) => ({
        _id: new Types.ObjectId(),
        threadId: t._id,
        seq: i + 1,
        authorId: client,
        authorRole: 'client' as const,
        bodyEnc: randomBytes(120),
        attachments: [],
        createdAt: now,
        notify: null,
      })),
    );
    await Thread.insertMany(threads, { lean: true });
    await Message.insertMany(docs, { lean: true });
    await Idempotency.insertMany(
      docs.map((m) => ({
        userId: client,
        key: `filler-${m._id}`,
        threadId: m.threadId,
        bodyHash: 'x',
        messageId: m._id,
        createdAt: now,
      })),
      { lean: true },
    );
    await Audit.insertMany(
      docs.flatMap((m) =>
        Array.from({ length: AUDIT_PER_MESSAGE }, () => ({
          actorId: client,
          practiceId: pid,
          action: 'thread.read',
          target: `thread:${m.threadId}`,
          time: now,
          ip: '127.0.0.1',
        })),
      ),
      { lean: true },
    );
  }
}

/** p50 of a reply, a thread read, the thread list and /me at each size, on one practice that keeps growing. */
export async function growthTable(app: App, request: Request, sizes: number[], rounds: number): Promise<GrowthRow[]> {
  const s = await practiceWithStaff(request);
  const started = await request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
    token: s.colleague.token,
    body: { clientId: s.client.id, body: 'Growth bench thread' },
  });
  const threadId = started.body.thread.id;
  const rows: GrowthRow[] = [];
  let sent = 0;
  for (const size of sizes) {
    await growTo(app, s.practiceId, s.client.id, size);
    const read = () => request('GET', `/api/v1/threads/${threadId}?afterSeq=${sent}`, { token: s.colleague.token });
    const timings = {
      'POST reply': await measure(rounds, 1, () =>
        request('POST', `/api/v1/threads/${threadId}/messages`, {
          token: s.client.token,
          body: { body: `growth ${sent++}` },
          headers: { 'idempotency-key': `growth-${randomBytes(8).toString('hex')}` },
        }),
      ),
      'GET thread': await measure(rounds, 1, read),
      'GET threads': await measure(rounds, 1, () =>
        request('GET', `/api/v1/threads?practiceId=${s.practiceId}`, { token: s.colleague.token }),
      ),
      'GET me': await measure(rounds, 1, () => request('GET', '/api/v1/me', { token: s.colleague.token })),
      [`GET thread ×${TOGETHER} at once`]: await measure(rounds, TOGETHER, read),
    };
    rows.push({
      messages: await app.models.Message.estimatedDocumentCount(),
      threads: await app.models.Thread.estimatedDocumentCount(),
      audit: await app.models.Audit.estimatedDocumentCount(),
      timings,
    });
  }
  return rows;
}

export function printGrowth(rows: GrowthRow[], rounds: number, where = 'one node'): void {
  const names = Object.keys(rows[0]?.timings ?? {});
  const cell = ({ p50, shed, of }: Timing) => `${p50.toFixed(1)}${shed ? ` (${shed}/${of} shed)` : ''}`;
  const head = ['messages', 'threads', 'audit', ...names.map((n) => `${n} p50 ms`)];
  const lines = rows.map((r) => [
    String(r.messages),
    String(r.threads),
    String(r.audit),
    ...names.map((n) => cell(r.timings[n]!)),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const format = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
  console.log(
    `\nGrowth (${where}; database: ${process.env.MONGODB_URI ? 'MONGODB_URI' : "FerretDB's figures"}): ` +
      `documents per collection vs p50 of the main requests (${rounds} rounds each)`,
  );
  console.log(format(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(format(l));
}
