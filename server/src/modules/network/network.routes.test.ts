import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Call, Message, ThreadSummary } from '@clocktree/protocol';
import mongoose from 'mongoose';
import { practiceOnSite, practiceWithStaff, register, signIn, type Account } from '../../testing/fixtures.ts';
import { connectPeers, networkApi } from '../../testing/network.ts';
import { online } from '../../testing/sockets.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { ACCEPTED } from '../attachments/magic-bytes.samples.ts';
import { pairKeyOf } from './network.model.ts';
import { NETWORK_INVITES_PER_HOUR } from './network.routes.ts';

describe('My Network', () => {
  const t = useTestServer();
  const { invite, network, receivedFrom } = networkApi(() => t.request);
  const PDF = ACCEPTED.find(([kind]) => kind === 'PDF')!;
  /** Uploads a PDF for the connection's threads as `who`; the answer's status and JSON body. */
  const attachPdf = async (who: Account, connectionId: string) => {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(PDF[1])], { type: 'application/pdf' }), PDF[2]);
    const res = await fetch(`${t.server.url}/api/v1/attachments?connectionId=${connectionId}`, {
      method: 'POST',
      headers: { authorization: `Bearer ${who.token}` },
      body: form,
    });
    return { status: res.status, body: await res.json() };
  };

  test('clients get 403 on every network endpoint, signed-out callers 401', async () => {
    const client = await register(t.request, 'client');
    const pro = await register(t.request, 'professional');
    const id = '0123456789abcdef01234567';
    const calls: [string, string, object?][] = [
      ['POST', '/api/v1/network/invites', { email: pro.email }],
      ['POST', `/api/v1/network/invites/${id}/accept`],
      ['POST', `/api/v1/network/invites/${id}/decline`],
      ['GET', '/api/v1/network'],
      ['DELETE', `/api/v1/network/${id}`],
      ['POST', '/api/v1/network/threads', { peerId: pro.id, body: 'Hello' }],
    ];
    for (const [method, path, body] of calls) {
      const asClient = await t.request(method, path, { token: client.token, ...(body ? { body } : {}) });
      assert.deepEqual([asClient.status, asClient.body.error.code], [403, 'forbidden'], `${method} ${path}`);
      assert.equal((await t.request(method, path, body ? { body } : {})).status, 401, `${method} ${path}`);
    }
  });

  test('a professional with no practice invites another; the invitee accepts, again and again the same connection', async () => {
    const a = await register(t.request, 'professional', 'Dr Ada Byron');
    const b = await register(t.request, 'professional', 'Dr Ben Okafor');
    const sent = await invite(a, b.email.toUpperCase(), 'We met at the trauma workshop');
    assert.equal(sent.status, 201);
    assert.deepEqual([sent.body.invite.direction, sent.body.invite.email], ['sent', b.email]);
    const listA = await network(a);
    assert.deepEqual(
      listA.body.invites.sent.map((i: { id: string }) => i.id),
      [sent.body.invite.id],
    );
    const listB = await network(b);
    assert.equal(listB.body.invites.received.length, 1);
    const got = listB.body.invites.received[0];
    assert.deepEqual(
      [got.peer, got.note, got.email],
      [{ id: a.id, name: 'Dr Ada Byron' }, 'We met at the trauma workshop', null],
    );
    // Only the invitee can answer it.
    const c = await register(t.request, 'professional');
    assert.equal((await t.request('POST', `/api/v1/network/invites/${got.id}/accept`, { token: c.token })).status, 404);
    assert.equal((await t.request('POST', `/api/v1/network/invites/${got.id}/accept`, { token: a.token })).status, 404);

    const first = await t.request('POST', `/api/v1/network/invites/${got.id}/accept`, { token: b.token });
    assert.equal(first.status, 200);
    assert.deepEqual(first.body.connection.peer, { id: a.id, name: 'Dr Ada Byron' });
    const again = await t.request('POST', `/api/v1/network/invites/${got.id}/accept`, { token: b.token });
    assert.deepEqual([again.status, again.body.connection.id], [200, first.body.connection.id]);
    const after = await network(a);
    assert.deepEqual(after.body.connections, [
      { id: first.body.connection.id, peer: { id: b.id, name: 'Dr Ben Okafor' }, since: first.body.connection.since },
    ]);
    assert.deepEqual([after.body.invites.sent.length, (await network(b)).body.invites.received.length], [0, 0]);
    const twice = await invite(a, b.email);
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'conflict']);
  });

  test('a client’s address is refused with client_account; an address without an account gets a mail without health information', async () => {
    const a = await register(t.request, 'professional', 'Dr Secret Name');
    const client = await register(t.request, 'client');
    const refused = await invite(a, client.email);
    assert.deepEqual([refused.status, refused.body.error.code], [409, 'client_account']);
    assert.equal((await invite(a, a.email)).status, 400);

    const address = `newcomer.${Date.now()}@example.test`;
    const before = t.server.mails.length;
    const sent = await invite(a, address, 'About our shared patient with insomnia');
    assert.equal(sent.status, 201);
    const mails = t.server.mails.slice(before);
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.equal(mail.to, address);
    assert.match(mail.text, /\/console#network-invite=[a-f0-9]{24}/);
    for (const secret of ['insomnia', 'patient', 'Secret Name', a.email])
      assert.equal(`${mail.subject}\n${mail.text}`.includes(secret), false, `mail contains ${secret}`);
    // A repeated invite (a double click) sends nothing more and leaves one invitation.
    assert.equal((await invite(a, address)).status, 201);
    assert.equal(t.server.mails.length, before + 1);

    // They register as a professional with that address: the invitation waits for them.
    const reg = await t.request('POST', '/api/v1/auth/register', {
      body: { email: address, password: 'a long enough password', name: 'New Colleague', kind: 'professional' },
    });
    const newcomer: Account = { id: reg.body.user.id, email: address, name: 'New Colleague', token: reg.body.token };
    const accepted = await t.request('POST', `/api/v1/network/invites/${await receivedFrom(newcomer, a)}/accept`, {
      token: newcomer.token,
    });
    assert.deepEqual([accepted.status, accepted.body.connection.peer.id], [200, a.id]);
  });

  test('declining removes the invitation for both; it cannot be accepted afterwards', async () => {
    const a = await register(t.request, 'professional');
    const b = await register(t.request, 'professional');
    await invite(a, b.email);
    const id = await receivedFrom(b, a);
    assert.equal((await t.request('POST', `/api/v1/network/invites/${id}/decline`, { token: b.token })).status, 204);
    assert.equal((await t.request('POST', `/api/v1/network/invites/${id}/accept`, { token: b.token })).status, 404);
    assert.deepEqual([(await network(a)).body.invites.sent.length, (await network(b)).body.connections.length], [0, 0]);
  });

  test('connected peers write in network threads: encrypted, audited, live, idempotent; outsiders see nothing', async () => {
    const a = await register(t.request, 'professional', 'Dr Ava');
    const b = await register(t.request, 'professional', 'Dr Bo');
    const outsider = await register(t.request, 'professional');
    const canary = 'canary-network-5521';
    const early = await t.request('POST', '/api/v1/network/threads', {
      token: a.token,
      body: { peerId: b.id, body: 'Hello' },
    });
    assert.deepEqual([early.status, early.body.error.code], [403, 'not_connected']);
    await connectPeers(t.request, a, b);

    const socket = await online(t.server.url, b.token);
    try {
      const live = new Promise<{ message: Message; alert: boolean }>((resolve) => socket.once('message:new', resolve));
      const started = await t.request('POST', '/api/v1/network/threads', {
        token: a.token,
        body: { peerId: b.id, body: `First ${canary}` },
      });
      assert.equal(started.status, 201);
      const thread = started.body.thread;
      assert.deepEqual(
        [thread.kind, thread.practiceId, thread.clientId, thread.awaiting],
        ['network', null, null, false],
      );
      const pushed = await live;
      assert.deepEqual([pushed.message.body, pushed.alert], [`First ${canary}`, true]);

      const read = await t.request('GET', `/api/v1/threads/${thread.id}`, { token: b.token });
      assert.equal(read.status, 200);
      assert.deepEqual(
        read.body.messages.map((m: { body: string; authorName: string }) => [m.body, m.authorName]),
        [[`First ${canary}`, 'Dr Ava']],
      );
      const listed = await t.request('GET', '/api/v1/threads', { token: b.token });
      assert.ok(listed.body.threads.some((x: { id: string }) => x.id === thread.id));

      const reply = () =>
        t.request('POST', `/api/v1/threads/${thread.id}/messages`, {
          token: b.token,
          headers: { 'idempotency-key': 'network-reply-0001' },
          body: { body: `Reply ${canary}` },
        });
      const replied = await reply();
      assert.equal(replied.status, 201);
      const replay = await reply();
      assert.deepEqual([replay.status, replay.body.message.id], [200, replied.body.message.id]);

      for (const path of [`/api/v1/threads/${thread.id}`, `/api/v1/threads/${thread.id}/messages`]) {
        const method = path.endsWith('messages') ? 'POST' : 'GET';
        const res = await t.request(method, path, {
          token: outsider.token,
          ...(method === 'POST' ? { body: { body: 'x' } } : {}),
        });
        assert.equal(res.status, 404, `${method} ${path}`);
      }
      assert.equal(
        (await t.request('POST', `/api/v1/threads/${thread.id}/close`, { token: a.token })).status,
        403,
        'no practice closes a network thread',
      );

      // Audited, and nothing in the database holds the text in the clear.
      const actions = await t.server.app.models.Audit.find({ target: `thread:${thread.id}` }).lean();
      assert.deepEqual(actions.map((e) => e.action).sort(), ['thread.create', 'thread.read']);
      const db = t.server.db.db!;
      for (const { name } of await db.listCollections().toArray())
        for (const doc of await db.collection(name).find({}).toArray())
          assert.equal(
            Buffer.from(mongoose.mongo.BSON.serialize(doc)).includes(Buffer.from(canary)),
            false,
            `plaintext in ${name}`,
          );
    } finally {
      socket.disconnect();
    }
  });

  test('peers exchange documents: uploaded for the connection, attached, downloaded only by the two', async () => {
    const a = await register(t.request, 'professional');
    const b = await register(t.request, 'professional');
    const outsider = await register(t.request, 'professional');
    const connectionId = await connectPeers(t.request, a, b);
    const [, pdf, name] = ACCEPTED.find(([kind]) => kind === 'PDF')!;
    const upload = (who: Account, query: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(pdf)], { type: 'application/pdf' }), name);
      return fetch(`${t.server.url}/api/v1/attachments?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${who.token}` },
        body: form,
      });
    };
    assert.equal((await upload(outsider, `connectionId=${connectionId}`)).status, 404);
    assert.equal((await upload(a, `connectionId=${connectionId}&practiceId=${connectionId}`)).status, 400);
    const uploaded = await upload(a, `connectionId=${connectionId}`);
    assert.equal(uploaded.status, 201);
    const { attachment } = (await uploaded.json()) as { attachment: { id: string } };
    const started = await t.request('POST', '/api/v1/network/threads', {
      token: a.token,
      body: { peerId: b.id, body: 'Session notes attached', attachmentIds: [attachment.id] },
    });
    assert.equal(started.status, 201);
    const read = await t.request('GET', `/api/v1/threads/${started.body.thread.id}`, { token: b.token });
    assert.deepEqual(
      read.body.messages[0].attachments.map((x: { name: string }) => x.name),
      [name],
    );
    const download = (who: Account) =>
      fetch(`${t.server.url}/api/v1/attachments/${attachment.id}`, {
        headers: { authorization: `Bearer ${who.token}` },
      });
    const got = await download(b);
    assert.equal(got.status, 200);
    assert.deepEqual(Buffer.from(await got.arrayBuffer()), pdf);
    assert.equal((await download(outsider)).status, 404);
  });

  test('removing a connection ends new messages and threads; what was exchanged stays readable to both', async () => {
    const a = await register(t.request, 'professional');
    const b = await register(t.request, 'professional');
    const connectionId = await connectPeers(t.request, a, b);
    const started = await t.request('POST', '/api/v1/network/threads', {
      token: a.token,
      body: { peerId: b.id, body: 'Before' },
    });
    const tid = started.body.thread.id;
    const outsider = await register(t.request, 'professional');
    assert.equal((await t.request('DELETE', `/api/v1/network/${connectionId}`, { token: outsider.token })).status, 404);
    assert.equal((await t.request('DELETE', `/api/v1/network/${connectionId}`, { token: b.token })).status, 204);
    assert.equal((await t.request('DELETE', `/api/v1/network/${connectionId}`, { token: a.token })).status, 404);

    for (const who of [a, b]) {
      const reply = await t.request('POST', `/api/v1/threads/${tid}/messages`, {
        token: who.token,
        body: { body: 'After' },
      });
      assert.deepEqual([reply.status, reply.body.error.code], [403, 'not_connected']);
      const read = await t.request('GET', `/api/v1/threads/${tid}`, { token: who.token });
      assert.deepEqual(
        read.body.messages.map((m: { body: string }) => m.body),
        ['Before'],
      );
    }
    const fresh = await t.request('POST', '/api/v1/network/threads', {
      token: b.token,
      body: { peerId: a.id, body: 'x' },
    });
    assert.deepEqual([fresh.status, fresh.body.error.code], [403, 'not_connected']);
    assert.equal((await network(a)).body.connections.length, 0);
    // They can connect again.
    await connectPeers(t.request, b, a);
    const back = await t.request('POST', `/api/v1/threads/${tid}/messages`, { token: a.token, body: { body: 'Back' } });
    assert.equal(back.status, 201);
  });

  test('a re-made connection reopens the old conversations for replies and files; while removed, both stay refused', async () => {
    const a = await register(t.request, 'professional', 'Dr Rhea Again');
    const b = await register(t.request, 'professional', 'Dr Sol Again');
    const connectionId = await connectPeers(t.request, a, b);
    const started = await t.request('POST', '/api/v1/network/threads', {
      token: a.token,
      body: { peerId: b.id, body: 'Before the break' },
    });
    const tid: string = started.body.thread.id;
    assert.equal(started.body.thread.connectionId, connectionId);
    const kept = await attachPdf(a, connectionId);
    assert.equal(kept.status, 201, 'uploaded while connected, attached after the removal');
    assert.equal((await t.request('DELETE', `/api/v1/network/${connectionId}`, { token: a.token })).status, 204);

    // Removed: no reply and no upload from either side, with the same code; what is there stays readable.
    for (const who of [a, b]) {
      const reply = await t.request('POST', `/api/v1/threads/${tid}/messages`, {
        token: who.token,
        body: { body: 'While removed', attachmentIds: [kept.body.attachment.id] },
      });
      assert.deepEqual([reply.status, reply.body.error.code], [403, 'not_connected']);
      const upload = await attachPdf(who, connectionId);
      assert.deepEqual([upload.status, upload.body.error.code], [403, 'not_connected']);
      const read = await t.request('GET', `/api/v1/threads/${tid}`, { token: who.token });
      assert.deepEqual(
        read.body.messages.map((m: { body: string }) => m.body),
        ['Before the break'],
      );
    }
    assert.equal((await attachPdf(await register(t.request, 'professional'), connectionId)).status, 404);

    // Connected again (B invites this time): the same connection comes back, and the old thread takes files again.
    const again = await connectPeers(t.request, b, a);
    assert.equal(again, connectionId, 'one connection id for the pair, for good');
    const [listA] = (await network(a)).body.connections;
    assert.deepEqual(listA.peer, { id: b.id, name: 'Dr Sol Again' });
    const fresh = await attachPdf(b, connectionId);
    assert.equal(fresh.status, 201);
    const reply = await t.request('POST', `/api/v1/threads/${tid}/messages`, {
      token: b.token,
      body: { body: 'Back, with the report', attachmentIds: [fresh.body.attachment.id] },
    });
    assert.equal(reply.status, 201);
    const older = await t.request('POST', `/api/v1/threads/${tid}/messages`, {
      token: a.token,
      body: { body: 'And my earlier file', attachmentIds: [kept.body.attachment.id] },
    });
    assert.equal(older.status, 201, 'a file uploaded before the removal is attached after it');
    const read = await t.request('GET', `/api/v1/threads/${tid}`, { token: a.token });
    assert.deepEqual(
      read.body.messages.map((m: { body: string; attachments: { name: string }[] }) => [m.body, m.attachments.length]),
      [
        ['Before the break', 0],
        ['Back, with the report', 1],
        ['And my earlier file', 1],
      ],
    );
    const file = await fetch(`${t.server.url}/api/v1/attachments/${fresh.body.attachment.id}`, {
      headers: { authorization: `Bearer ${a.token}` },
    });
    assert.deepEqual([file.status, Buffer.from(await file.arrayBuffer())], [200, PDF[1]]);
    assert.equal(await t.server.app.models.NetworkConnection.countDocuments({ pairKey: pairKeyOf(a.id, b.id) }), 1);
  });

  test('each peer is shown the other by name on network threads: started, listed, read and pushed live', async () => {
    const a = await register(t.request, 'professional', 'Dr Nia Name');
    const b = await register(t.request, 'professional', 'Dr Omar Name');
    await connectPeers(t.request, a, b);
    const [socketA, socketB] = await Promise.all([online(t.server.url, a.token), online(t.server.url, b.token)]);
    try {
      const pushed = (socket: typeof socketA) =>
        new Promise<ThreadSummary>((resolve) => socket.once('thread:updated', ({ thread }) => resolve(thread)));
      const [liveA, liveB] = [pushed(socketA), pushed(socketB)];
      const started = await t.request('POST', '/api/v1/network/threads', {
        token: a.token,
        body: { peerId: b.id, body: 'Hello by name' },
      });
      const asA = { id: a.id, name: 'Dr Nia Name' };
      const asB = { id: b.id, name: 'Dr Omar Name' };
      assert.deepEqual(started.body.thread.peer, asB);
      assert.deepEqual([(await liveA).peer, (await liveB).peer], [asB, asA], 'each is told the other');
      const tid = started.body.thread.id;
      const listed = async (who: Account) =>
        (await t.request('GET', '/api/v1/threads?kind=network', { token: who.token })).body.threads.find(
          (x: { id: string }) => x.id === tid,
        ).peer;
      assert.deepEqual([await listed(a), await listed(b)], [asB, asA]);
      assert.deepEqual((await t.request('GET', `/api/v1/threads/${tid}`, { token: b.token })).body.thread.peer, asA);
      // A reply pushes the names again, each the right way round.
      const [againA, againB] = [pushed(socketA), pushed(socketB)];
      await t.request('POST', `/api/v1/threads/${tid}/messages`, { token: b.token, body: { body: 'Hi' } });
      assert.deepEqual([(await againA).peer, (await againB).peer], [asB, asA]);
    } finally {
      socketA.disconnect();
      socketB.disconnect();
    }
    // Practice threads carry no peer.
    const staff = await practiceWithStaff(t.request);
    const direct = await t.request('POST', `/api/v1/practices/${staff.practiceId}/threads`, {
      token: staff.colleague.token,
      body: { clientId: staff.client.id, body: 'A practice thread' },
    });
    assert.equal('peer' in direct.body.thread, false);
    const read = await t.request('GET', `/api/v1/threads/${direct.body.thread.id}`, { token: staff.client.token });
    assert.equal('peer' in read.body.thread, false);
  });

  test('outsiders — a client, a colleague of one peer’s practice — get no names, no calls and no uploads', async () => {
    const staff = await practiceWithStaff(t.request);
    const peer = await register(t.request, 'professional', 'Dr Private Peer');
    const connectionId = await connectPeers(t.request, staff.admin, peer);
    const uploaded = await attachPdf(staff.admin, connectionId);
    const started = await t.request('POST', '/api/v1/network/threads', {
      token: staff.admin.token,
      body: { peerId: peer.id, body: 'Between us', attachmentIds: [uploaded.body.attachment.id] },
    });
    const tid: string = started.body.thread.id;
    const aid: string = uploaded.body.attachment.id;
    const call = (who: Account, professionalId: string) =>
      t.request('POST', '/api/v1/calls', { token: who.token, body: { professionalId } });

    for (const [who, callRefusal] of [
      [staff.colleague, [403, 'not_connected']],
      [staff.client, [403, 'forbidden']],
    ] as const) {
      const label = who === staff.client ? 'client' : 'colleague';
      const read = await t.request('GET', `/api/v1/threads/${tid}`, { token: who.token });
      assert.deepEqual([read.status, read.body.error.code], [404, 'not_found'], label);
      const list = await t.request('GET', '/api/v1/threads', { token: who.token });
      assert.equal(list.status, 200, label);
      assert.equal(JSON.stringify(list.body).includes('Dr Private Peer'), false, `${label} sees no peer name`);
      assert.equal(
        list.body.threads.some((x: { kind: string }) => x.kind === 'network'),
        false,
        label,
      );
      for (const callee of [peer, staff.admin]) {
        const refused = await call(who, callee.id);
        assert.deepEqual([refused.status, refused.body.error.code], callRefusal, `${label} calls`);
      }
      const upload = await attachPdf(who, connectionId);
      assert.deepEqual([upload.status, upload.body.error.code], [404, 'not_found'], `${label} uploads`);
      const write = await t.request('POST', `/api/v1/threads/${tid}/messages`, {
        token: who.token,
        body: { body: 'x', attachmentIds: [aid] },
      });
      assert.deepEqual([write.status, write.body.error.code], [404, 'not_found'], label);
      const file = await fetch(`${t.server.url}/api/v1/attachments/${aid}`, {
        headers: { authorization: `Bearer ${who.token}` },
      });
      assert.equal(file.status, 404, `${label} downloads`);
    }
  });

  test('a connected peer rings: the callee’s console session hears it; after the removal the call is refused', async () => {
    const a = await register(t.request, 'professional', 'Dr Caller');
    const b = await register(t.request, 'professional');
    const connectionId = await connectPeers(t.request, a, b);
    const calleeConsole = await online(t.server.url, b.token);
    try {
      const rung = new Promise<Call>((resolve) => calleeConsole.once('call:ring', ({ call }) => resolve(call)));
      const placed = await t.request('POST', '/api/v1/calls', { token: a.token, body: { professionalId: b.id } });
      assert.deepEqual([placed.status, placed.body.reachable], [201, true]);
      const call = await rung;
      assert.deepEqual(
        [call.id, call.kind, call.practiceId, call.calleeId, call.from],
        [placed.body.call.id, 'network', null, b.id, { id: a.id, name: 'Dr Caller' }],
      );
      await t.request('POST', `/api/v1/calls/${call.id}/hangup`, { token: a.token });
    } finally {
      calleeConsole.disconnect();
    }
    await t.request('DELETE', `/api/v1/network/${connectionId}`, { token: b.token });
    const refused = await t.request('POST', '/api/v1/calls', { token: a.token, body: { professionalId: b.id } });
    assert.deepEqual([refused.status, refused.body.error.code], [403, 'not_connected']);
  });

  test('network endpoints and threads belong to the service’s own origin, never to a practice’s website', async () => {
    const SITE = 'https://harbor-network.example';
    const staff = await practiceOnSite(t.request, SITE);
    const peer = await register(t.request, 'professional');
    await connectPeers(t.request, staff.colleague, peer);
    const started = await t.request('POST', '/api/v1/network/threads', {
      token: staff.colleague.token,
      body: { peerId: peer.id, body: 'From the console' },
    });
    assert.equal(started.status, 201);
    const onSite = await signIn(t.request, staff.colleague, SITE);
    const headers = { origin: SITE };
    assert.equal((await t.request('GET', '/api/v1/network', { token: onSite, headers })).status, 403);
    const write = await t.request('POST', '/api/v1/network/threads', {
      token: onSite,
      headers,
      body: { peerId: peer.id, body: 'x' },
    });
    assert.equal(write.status, 403);
    const thread = await t.request('GET', `/api/v1/threads/${started.body.thread.id}`, { token: onSite, headers });
    assert.equal(thread.status, 404, 'a network thread is hidden from a practice site');
    const list = await t.request('GET', '/api/v1/threads', { token: onSite, headers });
    assert.equal(
      list.body.threads.some((x: { id: string }) => x.id === started.body.thread.id),
      false,
    );
    // From the console the same person reads it.
    assert.equal(
      (await t.request('GET', `/api/v1/threads/${started.body.thread.id}`, { token: staff.colleague.token })).status,
      200,
    );
  });

  test(`invitations are rate limited: ${NETWORK_INVITES_PER_HOUR} an hour per professional`, async () => {
    const a = await register(t.request, 'professional');
    for (let i = 0; i < NETWORK_INVITES_PER_HOUR; i++)
      assert.equal((await invite(a, `limit.${i}.${Date.now()}@example.test`)).status, 201);
    const over = await invite(a, `limit.over.${Date.now()}@example.test`);
    assert.deepEqual([over.status, over.body.error.code], [429, 'rate_limited']);
  });
});
