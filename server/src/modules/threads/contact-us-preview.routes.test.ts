import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

interface Listed {
  id: string;
  kind: string;
  preview?: { name: string; firstLine: string } | null;
}

describe('Contact Us previews in the practice’s thread list', () => {
  const t = useTestServer();

  const contactUs = async (pid: string, name: string, body: string, token?: string) => {
    const sent = await t.request('POST', `/api/v1/practices/${pid}/contact-us`, {
      ...(token ? { token } : {}),
      body: { name, email: `${name.split(' ')[0]!.toLowerCase()}@example.test`, body },
    });
    assert.equal(sent.status, 201);
    return sent.body.thread.id as string;
  };

  test('members see who wrote and the first line; two prospects are told apart; the client sees no preview', async () => {
    const s = await practiceWithStaff(t.request);
    const long =
      'I am looking for a therapist for my teenage son, ideally on weekday evenings after school hours if possible';
    const a = await contactUs(s.practiceId, 'Avery Prospect', `\n  Hello there\nSecond line, not shown`);
    const b = await contactUs(s.practiceId, 'Blake Prospect', long);
    const own = await contactUs(s.practiceId, 'Casey Client', 'From a client', s.client.token);

    for (const member of [s.colleague, s.admin]) {
      const list = await t.request('GET', `/api/v1/threads?practiceId=${s.practiceId}`, { token: member.token });
      assert.equal(list.status, 200);
      const byId = new Map((list.body.threads as Listed[]).map((x) => [x.id, x]));
      assert.deepEqual(byId.get(a)?.preview, { name: 'Avery Prospect', firstLine: 'Hello there' });
      const cut = byId.get(b)?.preview;
      assert.equal(cut?.name, 'Blake Prospect');
      assert.equal([...cut!.firstLine].length, 80);
      assert.ok(cut!.firstLine.endsWith('…') && long.startsWith(cut!.firstLine.slice(0, -1)));
      assert.equal(byId.get(own)?.preview?.firstLine, 'From a client');
    }

    const mine = await t.request('GET', '/api/v1/threads', { token: s.client.token });
    const ownThread = (mine.body.threads as Listed[]).find((x) => x.id === own);
    assert.ok(ownThread, 'the client lists their own Contact Us thread');
    assert.equal(ownThread.preview ?? null, null, 'no preview in a client’s own list');

    const audit = await t.request('GET', `/api/v1/practices/${s.practiceId}/audit`, { token: s.admin.token });
    const actions = audit.body.entries.map((e: { action: string }) => e.action);
    assert.ok(actions.includes('contact-us.preview'), 'opening previews is audited');
  });

  test('another practice’s members see neither its threads nor their previews', async () => {
    const s = await practiceWithStaff(t.request);
    const other = await practiceWithStaff(t.request);
    await contactUs(s.practiceId, 'Dana Prospect', 'Private question');
    const list = await t.request('GET', '/api/v1/threads', { token: other.colleague.token });
    assert.equal(
      (list.body.threads as Listed[]).some((x) => x.preview?.name === 'Dana Prospect'),
      false,
    );
  });

  test('the cost for 100 Contact Us threads: one query for the first messages, one decryption each', async (ctx) => {
    const s = await practiceWithStaff(t.request);
    for (let i = 0; i < 100; i++) await contactUs(s.practiceId, `Person${i} Prospect`, `Question number ${i}\nmore`);
    const list = () =>
      t.request('GET', `/api/v1/threads?practiceId=${s.practiceId}&kind=contact-us`, { token: s.colleague.token });
    const times: number[] = [];
    for (let run = 0; run < 3; run++) {
      const began = performance.now();
      const reply = await list();
      times.push(performance.now() - began);
      assert.equal(reply.body.threads.length, 100);
      assert.ok(
        (reply.body.threads as Listed[]).every((x) => /^Question number \d+$/.test(x.preview?.firstLine ?? '')),
      );
    }
    times.sort((x, y) => x - y);
    ctx.diagnostic(`GET /threads, 100 Contact Us threads with previews: median ${times[1]!.toFixed(0)} ms`);
  });
});
