import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { ATTACHMENT_MAX_BYTES } from '@clocktree/protocol';
import mongoose from 'mongoose';
import type { Reply } from '../../testing/http.ts';
import { practiceWithStaff, register, signIn } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';
import { ACCEPTED, EXE, HTML } from './magic-bytes.samples.ts';

interface Part {
  name: string;
  /** Written as-is into `filename="…"` (as a browser does: raw UTF-8). */
  filename?: string;
  /** An RFC 5987 `filename*` value, which may encode characters a quoted name cannot hold. */
  filenameStar?: string;
  type?: string;
  data: Buffer | string;
}

const BOUNDARY = '----clocktree-test-boundary-7f3a';

function multipart(parts: Part[]): Buffer {
  const pieces: Buffer[] = [];
  for (const p of parts) {
    let disposition = `form-data; name="${p.name}"`;
    if (p.filename !== undefined) disposition += `; filename="${p.filename}"`;
    if (p.filenameStar !== undefined) disposition += `; filename*=${p.filenameStar}`;
    const head = `--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n${p.type ? `Content-Type: ${p.type}\r\n` : ''}\r\n`;
    pieces.push(Buffer.from(head, 'utf8'), Buffer.from(p.data), Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(pieces);
}

const MULTIPART = `multipart/form-data; boundary=${BOUNDARY}`;

describe('attachments', () => {
  const t = useTestServer();
  let s: Awaited<ReturnType<typeof practiceWithStaff>>;
  let other: Awaited<ReturnType<typeof practiceWithStaff>>;
  const count = (collection: string) => t.server.db.collection(collection).countDocuments();

  const upload = (token: string | undefined, parts: Part[], practiceId = s.practiceId): Promise<Reply> =>
    t.request('POST', `/api/v1/attachments?practiceId=${practiceId}`, {
      token,
      headers: { 'content-type': MULTIPART },
      raw: multipart(parts),
    });
  const uploadFile = (token: string, data: Buffer | string, filename: string, type = 'application/octet-stream') =>
    upload(token, [{ name: 'file', filename, type, data }]);

  async function download(token: string, id: string) {
    const res = await fetch(`${t.server.url}/api/v1/attachments/${id}`, {
      headers: { authorization: `Bearer ${token}` },
    });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }

  before(async () => {
    s = await practiceWithStaff(t.request);
    other = await practiceWithStaff(t.request);
  });

  test('each allowed kind uploads (client or member) and comes back byte for byte to its uploader', async () => {
    for (const [i, [label, bytes, name, type]] of ACCEPTED.entries()) {
      const uploader = i % 2 ? s.client : s.colleague;
      const res = await uploadFile(uploader.token, bytes, name);
      assert.equal(res.status, 201, `${label}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body.attachment, { id: res.body.attachment.id, name, size: bytes.length, type }, label);
      const back = await download(uploader.token, res.body.attachment.id);
      assert.equal(back.status, 200, label);
      assert.ok(back.bytes.equals(bytes), label);
      assert.equal(back.headers.get('content-type'), type === 'text/plain' ? 'text/plain; charset=utf-8' : type);
      assert.equal(back.headers.get('content-length'), String(bytes.length));
      assert.equal(back.headers.get('x-content-type-options'), 'nosniff');
      assert.equal(back.headers.get('content-security-policy'), "default-src 'none'; sandbox");
      assert.equal(back.headers.get('cache-control'), 'no-store');
      assert.match(back.headers.get('content-disposition') ?? '', /^attachment; filename="/);
    }
  });

  test('HTML or a program under a PDF name and type is 415, and nothing is stored', async () => {
    const before = [await count('attachments'), await count('attachment_chunks')];
    for (const bytes of [HTML, EXE]) {
      const res = await uploadFile(s.client.token, bytes, 'invoice.pdf', 'application/pdf');
      assert.equal(res.status, 415);
      assert.equal(res.body.error.code, 'unsupported_media_type');
    }
    assert.deepEqual([await count('attachments'), await count('attachment_chunks')], before);
  });

  test(`the largest file round-trips; one byte more is 413 and nothing is stored`, async () => {
    // Incompressible bytes behind a PDF header: the worst case for every layer.
    const big = Buffer.concat([Buffer.from('%PDF-1.7\n'), randomBytes(ATTACHMENT_MAX_BYTES - 9)]);
    const mib = ATTACHMENT_MAX_BYTES / (1024 * 1024);
    let started = performance.now();
    const res = await uploadFile(s.colleague.token, big, 'large.pdf');
    const uploadMs = performance.now() - started;
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.equal(res.body.attachment.size, ATTACHMENT_MAX_BYTES);
    started = performance.now();
    const back = await download(s.colleague.token, res.body.attachment.id);
    const downloadMs = performance.now() - started;
    assert.equal(back.status, 200);
    assert.equal(createHash('sha256').update(back.bytes).digest('hex'), createHash('sha256').update(big).digest('hex'));
    console.log(
      `FerretDB/SQLite, ${mib} MiB: upload ${(mib / (uploadMs / 1000)).toFixed(1)} MiB/s (${Math.round(uploadMs)} ms), ` +
        `download ${(mib / (downloadMs / 1000)).toFixed(1)} MiB/s (${Math.round(downloadMs)} ms)`,
    );

    const before = [await count('attachments'), await count('attachment_chunks')];
    const tooBig = Buffer.concat([big, Buffer.from('x')]);
    const refused = await uploadFile(s.colleague.token, tooBig, 'large.pdf');
    assert.equal(refused.status, 413);
    assert.equal(refused.body.error.code, 'payload_too_large');
    assert.deepEqual([await count('attachments'), await count('attachment_chunks')], before, 'partial chunks deleted');
  });

  test('a body declared larger than any file is refused before it is read', async () => {
    const url = new URL(`${t.server.url}/api/v1/attachments?practiceId=${s.practiceId}`);
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${s.client.token}`,
          'content-type': MULTIPART,
          'content-length': String(ATTACHMENT_MAX_BYTES * 4),
        },
      });
      req.on('response', (res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      req.on('error', reject);
      req.flushHeaders(); // headers only: the server must answer without waiting for 100 MB
    });
    assert.equal(status, 413);
  });

  test('an upload the client abandons half-way is deleted', async () => {
    const before = [await count('attachments'), await count('attachment_chunks')];
    const body = multipart([
      { name: 'file', filename: 'big.pdf', data: Buffer.concat([ACCEPTED[0]![1], randomBytes(8 << 20)]) },
    ]);
    const url = new URL(`${t.server.url}/api/v1/attachments?practiceId=${s.practiceId}`);
    const req = httpRequest(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${s.client.token}`, 'content-type': MULTIPART, 'content-length': body.length },
    });
    req.on('error', () => {});
    req.write(body.subarray(0, 3 << 20));
    const stored = t.server.db.collection('attachment_chunks');
    for (let i = 0; i < 200 && (await stored.countDocuments()) <= before[1]!; i++) await sleep(25);
    assert.ok((await stored.countDocuments()) > before[1]!, 'the upload got under way');
    req.destroy();
    for (let i = 0; i < 200 && (await count('attachments')) > before[0]!; i++) await sleep(25);
    assert.deepEqual([await count('attachments'), await count('attachment_chunks')], before);
  });

  test('names are stored inert and cannot break the Content-Disposition header', async () => {
    const cases: [Part, string][] = [
      [{ name: 'file', filename: '../../etc/passwd', data: 'root:x:0:0' }, 'passwd.txt'],
      [{ name: 'file', filename: 'C:\\Users\\ann\\notes.txt', data: 'hi' }, 'notes.txt'],
      [{ name: 'file', filename: 'invoice\u202Etxt.exe', data: 'hi' }, 'invoicetxt.exe.txt'],
      [{ name: 'file', filenameStar: "UTF-8''a%0D%0AX-Injected%3A%201%07.txt", data: 'hi' }, 'aX-Injected: 1.txt'],
      [{ name: 'file', filename: 'say %22hi%22.txt', data: 'hi' }, 'say "hi".txt'],
      [{ name: 'file', filename: '<img src=x onerror=alert(1)>.txt', data: 'hi' }, '<img src=x onerror=alert(1)>.txt'],
      [{ name: 'file', filename: '   ', data: 'hi' }, 'attachment.txt'],
      [{ name: 'file', filename: 'Grüße.txt', data: 'hi' }, 'Grüße.txt'],
    ];
    for (const [part, expected] of cases) {
      const res = await upload(s.client.token, [part]);
      assert.equal(res.status, 201, JSON.stringify(part));
      assert.equal(res.body.attachment.name, expected);
      const stored = await t.server.db
        .collection('attachments')
        .findOne({ _id: new mongoose.Types.ObjectId(res.body.attachment.id) });
      // Stored sealed (the at-rest rule): no plaintext name field, and the ciphertext does not contain it.
      assert.equal(stored?.name, undefined);
      assert.equal(Buffer.from(stored?.nameEnc.buffer).includes(Buffer.from(expected)), false);
      const back = await download(s.client.token, res.body.attachment.id);
      const header = back.headers.get('content-disposition') ?? '';
      assert.match(header, /^attachment; filename="[\x20-\x7e]*"; filename\*=UTF-8''[A-Za-z0-9%!._~-]*$/, header);
      assert.doesNotMatch(header.split('filename="')[1]!.split('";')[0]!, /["\\]/);
      assert.equal(decodeURIComponent(header.split("filename*=UTF-8''")[1]!), expected);
    }
  });

  test('the stored chunks are sealed: no plaintext, at most 1 MiB each, and bound to their place', async () => {
    const canary = 'attachment-canary-5521 ';
    const text = canary.repeat(Math.ceil((2.5 * 1024 * 1024) / canary.length));
    const res = await uploadFile(s.client.token, text, 'notes.txt');
    assert.equal(res.status, 201);
    const id = new mongoose.Types.ObjectId(res.body.attachment.id);
    const raw = t.server.db.collection('attachment_chunks');
    const chunks = await raw.find({ attachmentId: id }).sort({ n: 1 }).toArray();
    assert.equal(chunks.length, 3);
    for (const chunk of chunks) {
      const bytes = Buffer.from(mongoose.mongo.BSON.serialize(chunk));
      assert.equal(bytes.includes(Buffer.from(canary)), false, 'plaintext found in a chunk');
      assert.ok(chunk.data.buffer.length <= 1024 * 1024 + 29, 'at most 1 MiB of plaintext (+ IV, tag, version)');
    }
    // Swapping two chunks' ciphertexts (both validly sealed for this practice) must not serve a reordered file.
    await raw.updateOne({ _id: chunks[0]!._id }, { $set: { data: chunks[1]!.data } });
    await raw.updateOne({ _id: chunks[1]!._id }, { $set: { data: chunks[0]!.data } });
    assert.equal((await download(s.client.token, res.body.attachment.id)).status, 500);
  });

  test('before it is attached, only the uploader can download it; unknown ids are 404', async () => {
    const res = await uploadFile(s.client.token, 'private', 'mine.txt');
    const id: string = res.body.attachment.id;
    assert.equal((await download(s.client.token, id)).status, 200);
    for (const token of [s.colleague.token, s.admin.token, other.client.token]) {
      const refused = await download(token, id);
      assert.equal(refused.status, 404);
      assert.equal(JSON.parse(refused.bytes.toString()).error.code, 'not_found');
    }
    for (const bad of ['000000000000000000000000', 'not-an-id', '%24ne'])
      assert.equal((await download(s.client.token, bad)).status, 404);
    assert.equal((await fetch(`${t.server.url}/api/v1/attachments/${id}`)).status, 401);
  });

  test('once attached to a message, readers of the thread can download it and nobody else can', async () => {
    const res = await uploadFile(s.colleague.token, ACCEPTED[0]![1], 'results.pdf');
    const id: string = res.body.attachment.id;
    const thread = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'Your results', attachmentIds: [id] },
    });
    assert.equal(thread.status, 201, JSON.stringify(thread.body));
    const read = await t.request('GET', `/api/v1/threads/${thread.body.thread.id}`, { token: s.client.token });
    assert.deepEqual(read.body.messages[0].attachments, [res.body.attachment]);
    for (const reader of [s.client, s.colleague, s.admin]) assert.equal((await download(reader.token, id)).status, 200);
    const stranger = await register(t.request, 'professional');
    for (const token of [other.admin.token, other.client.token, stranger.token])
      assert.equal((await download(token, id)).status, 404);
    // Attached once is attached for good.
    const again = await t.request('POST', `/api/v1/threads/${thread.body.thread.id}/messages`, {
      token: s.colleague.token,
      body: { body: 'again', attachmentIds: [id] },
    });
    assert.equal(again.status, 400);
    assert.deepEqual(
      again.body.error.fields.map((f: { path: string }) => f.path),
      ['attachmentIds.0'],
    );
  });

  test('attach takes only the caller’s own unattached uploads for that practice, all or none', async () => {
    const service = t.server.app.services.attachments;
    const mine = (await uploadFile(s.client.token, 'one', 'a.txt')).body.attachment.id;
    const mine2 = (await uploadFile(s.client.token, 'two', 'b.txt')).body.attachment.id;
    const theirs = (await uploadFile(s.colleague.token, 'three', 'c.txt')).body.attachment.id;
    const elsewhere = (
      await upload(other.client.token, [{ name: 'file', filename: 'd.txt', data: 'four' }], other.practiceId)
    ).body.attachment.id;
    const thread = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'Hello' },
    });
    const to = {
      userId: s.client.id,
      practiceId: s.practiceId,
      threadId: thread.body.thread.id,
      messageId: String(new mongoose.Types.ObjectId()),
    };
    await assert.rejects(
      service.attach([mine, theirs, mine2, mine, '000000000000000000000000'], to),
      (err: unknown) => {
        const fields = (err as { fields: { path: string }[] }).fields.map((f) => f.path);
        assert.deepEqual(fields, ['attachmentIds.1', 'attachmentIds.3', 'attachmentIds.4']);
        return (err as { code: string }).code === 'validation_failed';
      },
    );
    // All or none: the valid ones were not attached either (a thread reader would see them otherwise).
    assert.equal((await download(s.colleague.token, mine)).status, 404);
    // Uploaded for another practice, or attached into another practice's thread: refused.
    await assert.rejects(service.attach([elsewhere], { ...to, userId: other.client.id }), {
      code: 'validation_failed',
    });
    await assert.rejects(service.attach([mine], { ...to, practiceId: other.practiceId }), {
      code: 'validation_failed',
    });
    const refs = await service.attach([mine, mine2], to);
    // In order; the names stay sealed as the uploads stored them (a message keeps them so).
    assert.deepEqual(
      refs.map((r) => [String(r.id), r.size, r.nameEnc.includes(Buffer.from('.txt'))]),
      [
        [mine, 3, false],
        [mine2, 3, false],
      ],
    );
  });

  test('only members and clients of the practice may upload; the request must be one multipart file part', async () => {
    const before = [await count('attachments'), await count('attachment_chunks')];
    const file: Part = { name: 'file', filename: 'a.txt', data: 'hello' };
    const stranger = await register(t.request, 'professional');
    assert.equal((await upload(undefined, [file])).status, 401);
    assert.equal((await upload(stranger.token, [file])).status, 403);
    assert.equal((await upload(other.colleague.token, [file])).status, 403);
    assert.equal((await upload(s.client.token, [file], '000000000000000000000000')).status, 404);
    for (const qs of ['', '?practiceId=nope', `?practiceId=${s.practiceId}&practiceId=${s.practiceId}`, '?x=1']) {
      const res = await t.request('POST', `/api/v1/attachments${qs}`, {
        token: s.client.token,
        headers: { 'content-type': MULTIPART },
        raw: multipart([file]),
      });
      assert.equal(res.status, 400, qs);
    }
    const cases: [string, Part[]][] = [
      ['no parts', []],
      ['a field only', [{ name: 'note', data: 'x' }]],
      ['a field before the file', [{ name: 'note', data: 'x' }, file]],
      ['a field after the file', [file, { name: 'note', data: 'x' }]],
      ['two files', [file, { ...file, filename: 'b.txt' }]],
      ['a file under another name', [{ ...file, name: 'upload' }]],
      ['a file without a file name', [{ name: 'file', data: 'hello' }]],
    ];
    for (const [label, parts] of cases) {
      const res = await upload(s.client.token, parts);
      assert.equal(res.status, 400, label);
      assert.equal(res.body.error.code, 'validation_failed', label);
    }
    const json = await t.request('POST', `/api/v1/attachments?practiceId=${s.practiceId}`, {
      token: s.client.token,
      body: { file: 'hello' },
    });
    assert.equal(json.status, 415);
    const empty = await upload(s.client.token, [{ ...file, data: '' }]);
    assert.equal(empty.status, 400);
    assert.deepEqual([await count('attachments'), await count('attachment_chunks')], before);
  });

  test('uploads and downloads are audited by id, never by name', async () => {
    const res = await uploadFile(s.client.token, 'audited', 'secret-diagnosis.txt');
    await download(s.client.token, res.body.attachment.id);
    const entries = await t.server.db
      .collection('audit_log')
      .find({ target: `attachment:${res.body.attachment.id}` })
      .toArray();
    assert.deepEqual(entries.map((e) => e.action).sort(), ['attachment.download', 'attachment.upload']);
    const all = await t.server.db.collection('audit_log').find({}).toArray();
    assert.equal(JSON.stringify(all).includes('secret-diagnosis'), false);
  });

  test('uploads never attached are swept after 24 hours; attached ones stay', async () => {
    const stale = (await uploadFile(s.client.token, 'stale', 'stale.txt')).body.attachment.id;
    const kept = (await uploadFile(s.client.token, 'kept', 'kept.txt')).body.attachment.id;
    const thread = await t.request('POST', `/api/v1/practices/${s.practiceId}/threads`, {
      token: s.colleague.token,
      body: { clientId: s.client.id, body: 'Hello' },
    });
    await t.request('POST', `/api/v1/threads/${thread.body.thread.id}/messages`, {
      token: s.client.token,
      body: { body: 'here', attachmentIds: [kept] },
    });
    // What a crash mid-upload leaves: metadata still `uploading`, its size unknown, the first chunks written.
    const crashed = new mongoose.Types.ObjectId();
    await t.server.db.collection('attachments').insertOne({
      _id: crashed,
      practiceId: new mongoose.Types.ObjectId(s.practiceId),
      uploaderId: new mongoose.Types.ObjectId(s.client.id),
      name: 'x.pdf',
      size: 0,
      type: 'application/pdf',
      sha256: '',
      status: 'uploading',
      threadId: null,
      messageId: null,
      createdAt: t.server.clock.now(),
      attachedAt: null,
    });
    await t.server.db
      .collection<{ _id: string }>('attachment_chunks')
      .insertMany([0, 1, 2].map((n) => ({ _id: `${crashed}:${n}`, attachmentId: crashed, n, data: Buffer.from('x') })));
    const service = t.server.app.services.attachments;
    await service.sweepUnattached();
    assert.equal((await download(s.client.token, stale)).status, 200, 'not yet 24 hours old');
    t.server.clock.advance(24 * 60 * 60_000 + 1);
    await signIn(t.request, s.client); // the session ended while idle for a day
    assert.ok((await service.sweepUnattached()) >= 1);
    assert.equal((await download(s.client.token, stale)).status, 404);
    const staleId = new mongoose.Types.ObjectId(stale);
    for (const id of [staleId, crashed])
      assert.equal(await t.server.db.collection('attachment_chunks').countDocuments({ attachmentId: id }), 0);
    assert.equal(
      await count('attachments'),
      await t.server.db.collection('attachments').countDocuments({ threadId: { $ne: null } }),
    );
    assert.equal((await download(s.client.token, kept)).status, 200);
  });
});
