// Nothing identifying in plaintext at rest: a canary goes into every protected field through the real API, then
// the database's own files on disk (FerretDB's SQLite files, journals included) are searched for it byte by byte.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
// @ts-expect-error: plain ES module without types
import { startFerretDB } from '../../scripts/ferretdb.mjs';
import { PASSWORD } from '../../server/src/testing/fixtures.ts';
import { httpClient } from '../../server/src/testing/http.ts';
import { startTestServer } from '../../server/src/testing/test-server.ts';

const CANARY = `zq${Date.now().toString(36)}canary`;
/** Each protected field gets its own marked canary, so a leak names the field. */
const mark = (field: string) => `${field}-${CANARY}`;

/** The files under `dir` that contain `needle`, and how many files and bytes were searched. */
function grep(dir: string, needle: string) {
  const hits: string[] = [];
  let files = 0;
  let bytes = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    const content = fs.readFileSync(file);
    files++;
    bytes += content.length;
    if (content.includes(Buffer.from(needle))) hits.push(path.relative(dir, file));
  }
  return { hits, files, bytes };
}

describe('the database files hold no protected field in plaintext', () => {
  test('a canary in every protected field, written through the API, is nowhere in the SQLite files', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ct-canary-'));
    const db = await startFerretDB({ dataDir: dir });
    try {
      const server = await startTestServer({ mongodbUri: db.uri });
      const request = httpClient(server.url);
      try {
        const register = async (kind: 'professional' | 'client', email: string) => {
          const res = await request('POST', '/api/v1/auth/register', {
            body: { email, password: PASSWORD, name: `${kind} account`, kind },
          });
          assert.equal(res.status, 201);
          return res.body as { user: { id: string }; token: string };
        };
        const admin = await register('professional', `${mark('account-email')}@example.test`);
        const client = await register('client', `${mark('client-email')}@example.test`);
        // The practice's name is public (its directory listing): the positive control that the search finds text.
        const practice = await request('POST', '/api/v1/practices', {
          token: admin.token,
          body: { name: `Public ${mark('practice-name')}` },
        });
        const pid: string = practice.body.practice.id;
        const service = await request('POST', `/api/v1/practices/${pid}/services`, {
          token: admin.token,
          body: { name: mark('service-name'), description: mark('service-description'), assigneeIds: [] },
        });
        assert.equal(service.status, 201);
        const added = await request('POST', `/api/v1/practices/${pid}/clients`, {
          token: admin.token,
          body: { email: `${mark('client-email')}@example.test`, name: mark('client-name') },
        });
        assert.equal(added.status, 201);
        // Linking needs consent: the client accepts the practice's invitation.
        const invitations = await request('GET', '/api/v1/invitations', { token: client.token });
        const accepted = await request('POST', `/api/v1/invitations/${invitations.body.invitations[0].id}/accept`, {
          token: client.token,
        });
        assert.equal(accepted.status, 200);
        const contact = await request('POST', `/api/v1/practices/${pid}/contact-us`, {
          body: {
            name: mark('contact-name'),
            email: `${mark('contact-email')}@example.test`,
            phone: '555 0199 7731',
            body: mark('contact-body'),
          },
        });
        assert.equal(contact.status, 201);
        const form = new FormData();
        form.append('file', new Blob(['file bytes']), `${mark('file-name')}.txt`);
        const upload = await fetch(`${server.url}/api/v1/attachments?practiceId=${pid}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${admin.token}` },
          body: form,
        }).then((r) => r.json());
        const thread = await request('POST', `/api/v1/practices/${pid}/threads`, {
          token: admin.token,
          body: { clientId: client.user.id, subject: mark('subject'), body: mark('body') },
        });
        assert.equal(thread.status, 201);
        const reply = await request('POST', `/api/v1/threads/${thread.body.thread.id}/messages`, {
          token: client.token,
          // The key itself is a random token by contract (the client's outbox uses UUIDs); the body is what is digested.
          headers: { 'idempotency-key': randomUUID() },
          body: { body: mark('reply'), attachmentIds: [] },
        });
        assert.equal(reply.status, 201);
        const withFile = await request('POST', `/api/v1/threads/${thread.body.thread.id}/messages`, {
          token: admin.token,
          body: { body: mark('with-file'), attachmentIds: [upload.attachment.id] },
        });
        assert.equal(withFile.status, 201);

        // The API still shows all of it to those allowed to see it.
        const read = await request('GET', `/api/v1/threads/${thread.body.thread.id}`, { token: client.token });
        assert.equal(read.body.messages[2].attachments[0].name, `${mark('file-name')}.txt`);
        const clients = await request('GET', `/api/v1/practices/${pid}/clients`, { token: admin.token });
        assert.deepEqual(
          clients.body.clients.map((c: { name: string; email: string }) => [c.name, c.email]),
          [[mark('client-name'), `${mark('client-email')}@example.test`]],
        );
        const profile = await request('GET', `/api/v1/practices/${pid}`);
        assert.equal(profile.body.practice.services[0].description, mark('service-description'));
        const signIn = await request('POST', '/api/v1/auth/login', {
          body: { email: `${mark('account-email')}@example.test`, password: PASSWORD },
        });
        assert.equal(signIn.status, 200);
      } finally {
        await server.close(true);
      }
    } finally {
      await db.stop();
    }

    const found = grep(dir, CANARY);
    const control = grep(dir, mark('practice-name'));
    assert.ok(
      control.hits.some((f) => f.endsWith('.sqlite')),
      'the search does find plaintext that is stored',
    );
    // Only the public practice name may appear; every other field was sealed, indexed blind or digested.
    const leaked = new Set(
      found.hits.flatMap((file) =>
        [
          ...fs
            .readFileSync(path.join(dir, file))
            .toString('latin1')
            .matchAll(new RegExp(`[a-z-]+-${CANARY}`, 'g')),
        ]
          .map((m) => m[0])
          .filter((m) => m !== mark('practice-name')),
      ),
    );
    console.log(
      `[at-rest] searched ${found.files} files (${found.bytes} bytes) of FerretDB data for "${CANARY}": ` +
        `the public practice name found in ${control.hits.join(', ')}; protected fields found: ${leaked.size}`,
    );
    assert.deepEqual([...leaked], []);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
