import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { practiceWithStaff, PASSWORD } from './testing/fixtures.ts';
import { useTestServer } from './testing/test-server.ts';

describe('logs', () => {
  const lines: string[] = [];
  const t = useTestServer({ logLines: lines });

  test('a whole flow at trace level logs no body, password, token, name or e-mail address', async () => {
    const { practiceId, colleague, client } = await practiceWithStaff(t.request);
    const canary = 'canary-log-5521 my diagnosis';
    const sent = await t.request('POST', `/api/v1/practices/${practiceId}/contact-us`, {
      token: client.token,
      body: { name: 'Quinn Canary', email: 'quinn.canary@example.test', phone: '555 0123', body: canary },
    });
    await t.request('GET', `/api/v1/threads/${sent.body.thread.id}`, { token: colleague.token });
    await t.request('POST', '/api/v1/auth/login', { body: { email: colleague.email, password: 'wrong password' } });
    await t.request('POST', `/api/v1/practices/${practiceId}/contact-us`, {
      raw: '{"body": "canary-log-5521',
      headers: { 'content-type': 'application/json' },
    });
    assert.ok(lines.length > 10, 'requests were logged');
    const log = lines.join('\n');
    for (const secret of [
      canary,
      'canary-log-5521',
      'Quinn Canary',
      'quinn.canary',
      '555 0123',
      PASSWORD,
      'wrong password',
      colleague.email,
      client.email,
      client.name,
      colleague.token,
      client.token,
    ])
      assert.equal(log.includes(secret), false, `the log must not contain ${secret.slice(0, 12)}…`);
    const request = JSON.parse(lines.find((l) => l.includes('"route":"/api/v1/threads/:tid"'))!);
    assert.deepEqual(Object.keys(request).sort(), [
      'level',
      'method',
      'ms',
      'msg',
      'requestId',
      'route',
      'status',
      'time',
    ]);
  });
});
