// `node --import tsx scripts/bench/directory-ops.ts` (MONGODB_URI set): the database operations one posted message
// costs, counted with mongoose's debug hook, for each kind of message (client or practice reply, one that changes
// whether the thread awaits an answer and one that does not) in a practice listed in the directory, one with no
// directory entry and one that opted out. `directory` counts what the 7-day rule's upkeep sends: the entry's reads
// and writes, and the threads read for the rule (`threads.findOne` by practice and `awaiting`).
import { practiceWithStaff } from '../../server/src/testing/fixtures.ts';
import { httpClient } from '../../server/src/testing/http.ts';
import { startTestServer } from '../../server/src/testing/test-server.ts';

const server = await startTestServer();
const request = httpClient(server.url);
type Op = { collection: string; method: string; filter: Record<string, unknown> };
let ops: Op[] = [];
server.db.set('debug', (collection: string, method: string, ...args: unknown[]) => {
  ops.push({ collection, method, filter: (args[0] ?? {}) as Record<string, unknown> });
});
const forDirectory = (o: Op) =>
  o.collection === 'directory_entries' ||
  (o.collection === 'threads' && o.method === 'findOne' && 'awaiting' in o.filter);

const rows: string[][] = [];
async function practice(kind: 'listed' | 'no entry' | 'opted out') {
  const s = await practiceWithStaff(request);
  const optIn = (directoryOptIn: boolean) =>
    request('PATCH', `/api/v1/practices/${s.practiceId}`, { token: s.admin.token, body: { directoryOptIn } });
  if (kind !== 'no entry') await optIn(true);
  if (kind === 'opted out') await optIn(false);
  const started = await request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
    token: s.colleague.token,
    body: { clientId: s.client.id, body: 'Thread for counting' },
  });
  const threadId = started.body.thread.id as string;
  const steps: [string, string][] = [
    ['client reply, thread starts awaiting', s.client.token],
    ['client reply, thread already awaiting', s.client.token],
    ['practice reply, thread stops awaiting', s.colleague.token],
    ['practice reply, thread not awaiting', s.colleague.token],
  ];
  for (const [label, token] of steps) {
    ops = [];
    const res = await request('POST', `/api/v1/threads/${threadId}/messages`, { token, body: { body: label } });
    if (res.status !== 201) throw new Error(`${label}: ${res.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
    record(kind, label);
  }
  ops = [];
  await request('PATCH', `/api/v1/practices/${s.practiceId}`, { token: s.admin.token, body: { phone: '555 0199' } });
  record(kind, 'profile saved (directory.sync)');
  ops = [];
  await request('POST', `/api/v1/threads/${threadId}/close`, { token: s.colleague.token });
  record(kind, 'thread closed, not awaiting');
}

function record(kind: string, label: string) {
  const dir = ops.filter(forDirectory);
  rows.push([
    kind,
    label,
    String(ops.length),
    String(dir.length),
    dir.map((o) => `${o.collection}.${o.method}`).join(' '),
  ]);
}

try {
  await practice('listed');
  await practice('no entry');
  await practice('opted out');
} finally {
  server.db.set('debug', false);
  await server.close();
}
console.log(['practice', 'message', 'all ops', 'directory', 'which'].join(' | '));
for (const r of rows) console.log(r.join(' | '));
