import type { Row } from './matrix.ts';
import type { ActorName, Caller, World } from './world.ts';

/** Sends one row's request as one actor, the way a browser on the actor's site would; resolves with the status. */
export async function run(w: World, row: Row, actor: ActorName): Promise<number> {
  const caller: Caller = row.ownSession ? await w.fresh.session(actor) : w.callers[actor];
  const call = await row.request(w, actor);
  const method = row.route.split(' ')[0]!;
  const headers: Record<string, string> = { ...call.headers };
  if (caller.token) headers.authorization = `Bearer ${caller.token}`;
  if (caller.origin) headers.origin = caller.origin;
  let body: BodyInit | undefined;
  if (call.multipart) {
    const form = new FormData();
    form.append('file', new Blob(['matrix upload'], { type: 'text/plain' }), 'upload.txt');
    body = form;
  } else if (call.raw) {
    body = call.raw.data as BodyInit;
    headers['content-type'] = call.raw.type;
  } else if (call.body !== undefined) {
    body = JSON.stringify(call.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(w.server.url + call.path, { method, headers, body, redirect: 'manual' });
  await res.arrayBuffer();
  return res.status;
}
