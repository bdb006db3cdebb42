import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import type { ServerToClientEvents } from '@clocktree/protocol';
import { practiceWithStaff } from '../testing/fixtures.ts';
import { useTestServer } from '../testing/test-server.ts';
import { online as connect, type ClientSocket, type Transport } from '../testing/sockets.ts';

type NewMessage = Parameters<ServerToClientEvents['message:new']>[0];

const next = (socket: ClientSocket) => new Promise<NewMessage>((resolve) => socket.once('message:new', resolve));
const quiet = (socket: ClientSocket, ms = 300) =>
  new Promise<boolean>((resolve) => {
    const heard = () => resolve(false);
    socket.once('message:new', heard);
    setTimeout(() => {
      socket.off('message:new', heard);
      resolve(true);
    }, ms);
  });

for (const transport of ['websocket', 'polling'] satisfies Transport[]) {
  describe(`live messages over Socket.IO (${transport})`, () => {
    const t = useTestServer();
    const online = (url: string, token: string) => connect(url, token, transport);
    let s: Awaited<ReturnType<typeof practiceWithStaff>>;
    let other: Awaited<ReturnType<typeof practiceWithStaff>>;
    before(async () => {
      s = await practiceWithStaff(t.request);
      other = await practiceWithStaff(t.request);
    });

    test('every connected reader gets message:new; only the notified ones get alert: true; outsiders get nothing', async () => {
      const [colleague, admin, client, outsider] = await Promise.all([
        online(t.server.url, s.colleague.token),
        online(t.server.url, s.admin.token),
        online(t.server.url, s.client.token),
        online(t.server.url, other.admin.token),
      ]);
      try {
        // A client writes through Contact Us while signed in: the assigned colleague is alerted, the admin only updated.
        const heard = Promise.all([next(colleague), next(admin), next(client)]);
        const silence = quiet(outsider);
        const sent = await t.request('POST', `/api/v1/practices/${s.practiceId}/contact-us`, {
          token: s.client.token,
          body: { name: s.client.name, email: s.client.email, body: 'live-canary-1' },
        });
        const [toColleague, toAdmin, toClient] = await heard;
        assert.equal(toColleague.threadId, sent.body.thread.id);
        assert.equal(toColleague.message.body, 'live-canary-1');
        assert.deepEqual([toColleague.alert, toAdmin.alert, toClient.alert], [true, false, false]);
        assert.equal(await silence, true, 'another practice hears nothing');

        // The practice replies: now the client is the one alerted.
        const replyHeard = Promise.all([next(colleague), next(admin), next(client)]);
        await t.request('POST', `/api/v1/threads/${sent.body.thread.id}/messages`, {
          token: s.admin.token,
          body: { body: 'We can see you Tuesday.' },
        });
        const [r1, r2, r3] = await replyHeard;
        assert.deepEqual([r1.alert, r2.alert, r3.alert], [false, false, true]);
        assert.equal(r3.message.seq, 2);
      } finally {
        for (const socket of [colleague, admin, client, outsider]) socket.close();
      }
    });

    test('after a dropped connection, the client re-syncs exactly what it missed', async () => {
      const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
        token: s.colleague.token,
        body: { clientId: s.client.id, body: 'first' },
      });
      const id = started.body.thread.id;
      const socket = await online(t.server.url, s.client.token);
      const live = next(socket);
      await t.request('POST', `/api/v1/threads/${id}/messages`, { token: s.colleague.token, body: { body: 'second' } });
      const held = (await live).message.seq;
      socket.close(); // the connection drops…
      await t.request('POST', `/api/v1/threads/${id}/messages`, { token: s.colleague.token, body: { body: 'third' } });
      await t.request('POST', `/api/v1/threads/${id}/messages`, { token: s.colleague.token, body: { body: 'fourth' } });
      const back = await online(t.server.url, s.client.token); // …and comes back
      const missed = await t.request('GET', `/api/v1/threads/${id}?afterSeq=${held}`, { token: s.client.token });
      assert.deepEqual(
        missed.body.messages.map((m: { body: string }) => m.body),
        ['third', 'fourth'],
      );
      back.close();
    });

    test('thread:updated carries the close to every reader', async () => {
      const started = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
        token: s.colleague.token,
        body: { clientId: s.client.id, body: 'closing soon' },
      });
      const socket = await online(t.server.url, s.client.token);
      const updated = new Promise<Parameters<ServerToClientEvents['thread:updated']>[0]>((resolve) =>
        socket.on('thread:updated', (u) => u.thread.status === 'closed' && resolve(u)),
      );
      await t.request('POST', `/api/v1/threads/${started.body.thread.id}/close`, { token: s.colleague.token });
      assert.equal((await updated).thread.id, started.body.thread.id);
      socket.close();
    });
  });
}
