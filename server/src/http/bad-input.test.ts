import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { practiceWithStaff, PASSWORD } from '../testing/fixtures.ts';
import { useTestServer } from '../testing/test-server.ts';

interface Endpoint {
  method: string;
  path: string;
  who: 'anyone' | 'admin' | 'colleague' | 'client';
  body: Record<string, unknown>;
  /** Fields that may be left out: leaving them out is valid, not an error. */
  optional?: string[];
}

interface BadBody {
  raw?: string;
  body?: unknown;
  type?: string;
}

const OPERATORS = [{ $gt: '' }, { $ne: null }, { $where: '1' }, { $regex: '.*' }];

/** Every way we know to send a wrong body; each must be a 4xx with a code, never a 500, never stored. */
function casesFor(valid: Record<string, unknown>): [string, BadBody, number, string][] {
  const cases: [string, BadBody, number, string][] = [
    ['malformed JSON', { raw: '{"name": "x",', type: 'application/json' }, 400, 'validation_failed'],
    ['not JSON', { raw: 'name=x', type: 'application/x-www-form-urlencoded' }, 415, 'unsupported_media_type'],
    ['empty body', { raw: '', type: 'application/json' }, 400, 'validation_failed'],
    ['null', { raw: 'null', type: 'application/json' }, 400, 'validation_failed'],
    ['an array', { body: [valid] }, 400, 'validation_failed'],
    ['a string', { body: 'hello' }, 400, 'validation_failed'],
    ['a number', { body: 42 }, 400, 'validation_failed'],
    ['unknown field', { body: { ...valid, isAdmin: true } }, 400, 'validation_failed'],
    [
      '__proto__ field',
      { raw: JSON.stringify(valid).replace('{', '{"__proto__":{"admin":true},'), type: 'application/json' },
      400,
      'validation_failed',
    ],
    [
      '2 MB body',
      { raw: JSON.stringify({ ...valid, pad: 'x'.repeat(2 * 1024 * 1024) }), type: 'application/json' },
      413,
      'payload_too_large',
    ],
  ];
  for (const [key, value] of Object.entries(valid)) {
    const { [key]: _dropped, ...missing } = valid;
    cases.push([`missing ${key}`, { body: missing }, 400, 'validation_failed']);
    if (typeof value !== 'number')
      cases.push([`${key} as number`, { body: { ...valid, [key]: 12345 } }, 400, 'validation_failed']);
    else cases.push([`${key} as a string`, { body: { ...valid, [key]: '1' } }, 400, 'validation_failed']);
    cases.push([`${key} as null`, { body: { ...valid, [key]: null } }, 400, 'validation_failed']);
    for (const op of OPERATORS)
      cases.push([`${key} as ${JSON.stringify(op)}`, { body: { ...valid, [key]: op } }, 400, 'validation_failed']);
    if (typeof value === 'string') {
      cases.push([`${key} too long`, { body: { ...valid, [key]: 'x'.repeat(100_000) } }, 400, 'validation_failed']);
      // Opaque fields, never displayed: any character may be in a password (a wrong one is a 401), and a filled
      // honeypot is a bot whatever it holds (accepted, nothing stored).
      if (key !== 'password' && key !== 'website')
        cases.push([
          `${key} with control characters`,
          { body: { ...valid, [key]: 'a\u0000b\u001b[31m' } },
          400,
          'validation_failed',
        ]);
    }
    if (Array.isArray(value)) {
      cases.push([`${key} with a non-id`, { body: { ...valid, [key]: ['not-an-id'] } }, 400, 'validation_failed']);
      cases.push([`${key} with an operator`, { body: { ...valid, [key]: [{ $ne: null }] } }, 400, 'validation_failed']);
      cases.push([
        `${key} far too long`,
        { body: { ...valid, [key]: Array(5000).fill('a'.repeat(24)) } },
        400,
        'validation_failed',
      ]);
    }
  }
  return cases;
}

describe('bad input never yields a 500 or stores anything', () => {
  const t = useTestServer();
  let staff: Awaited<ReturnType<typeof practiceWithStaff>>;
  let endpoints: Endpoint[];
  let serviceId: string;
  let threadId: string;
  before(async () => {
    staff = await practiceWithStaff(t.request);
    const p = `/api/v1/practices/${staff.practiceId}`;
    const service = await t.request('POST', `${p}/services`, {
      token: staff.admin.token,
      body: { name: 'Billing', description: '', assigneeIds: [staff.admin.id] },
    });
    serviceId = service.body.service.id;
    const thread = await t.request('POST', `${p}/threads`, {
      token: staff.colleague.token,
      body: { clientId: staff.client.id, body: 'Hello' },
    });
    threadId = thread.body.thread.id;
    endpoints = [
      {
        method: 'POST',
        path: '/api/v1/auth/register',
        who: 'anyone',
        body: { email: 'n@example.test', password: PASSWORD, name: 'N', kind: 'client' },
      },
      {
        method: 'POST',
        path: '/api/v1/auth/login',
        who: 'anyone',
        body: { email: staff.admin.email, password: PASSWORD },
      },
      {
        method: 'POST',
        path: '/api/v1/practices',
        who: 'admin',
        body: { name: 'New', phone: '555' },
        optional: ['phone'],
      },
      {
        method: 'PATCH',
        path: p,
        who: 'admin',
        body: { name: 'Renamed', directoryOptIn: true, allowedOrigins: ['https://a.example'] },
        optional: ['name', 'directoryOptIn', 'allowedOrigins'],
      },
      { method: 'POST', path: `${p}/members`, who: 'admin', body: { email: 'x@example.test', role: 'colleague' } },
      { method: 'PUT', path: `${p}/contact-us`, who: 'admin', body: { assigneeIds: [staff.colleague.id] } },
      {
        method: 'POST',
        path: `${p}/services`,
        who: 'admin',
        body: { name: 'Billing', description: 'd', assigneeIds: [staff.admin.id] },
      },
      { method: 'POST', path: `${p}/clients`, who: 'colleague', body: { email: 'c@example.test', name: 'C' } },
      {
        method: 'POST',
        path: `${p}/contact-us`,
        who: 'anyone',
        body: { name: 'V', email: 'v@example.test', phone: '1', body: 'Hello', website: '' },
        optional: ['phone', 'website'],
      },
      {
        method: 'POST',
        path: `${p}/threads`,
        who: 'colleague',
        body: { clientId: staff.client.id, subject: 'S', body: 'B', attachmentIds: [] },
        optional: ['subject', 'attachmentIds'],
      },
      {
        method: 'POST',
        path: `${p}/services/${serviceId}/threads`,
        who: 'client',
        body: { subject: 'S', body: 'B', attachmentIds: [] },
        optional: ['subject', 'attachmentIds'],
      },
      {
        method: 'PATCH',
        path: `${p}/services/${serviceId}`,
        who: 'admin',
        body: { name: 'N', description: 'D', assigneeIds: [staff.admin.id] },
        optional: ['name', 'description', 'assigneeIds'],
      },
      {
        method: 'POST',
        path: `/api/v1/threads/${threadId}/messages`,
        who: 'client',
        body: { body: 'B', attachmentIds: [] },
        optional: ['attachmentIds'],
      },
      { method: 'POST', path: `/api/v1/threads/${threadId}/read`, who: 'client', body: { seq: 1 } },
      { method: 'POST', path: '/api/v1/auth/link', who: 'anyone', body: { token: 'x'.repeat(43) } },
    ];
  });

  test('every endpoint answers every bad body with the right 4xx code', async () => {
    let sent = 0;
    const before = await Promise.all(
      ['users', 'practices', 'threads', 'messages', 'client_links'].map((c) =>
        t.server.db.collection(c).countDocuments(),
      ),
    );
    const practiceBefore = await t.server.db
      .collection('practices')
      .findOne({ name: 'Harbor Therapy', _id: { $exists: true } });
    for (const e of endpoints) {
      const token = e.who === 'anyone' ? undefined : staff[e.who].token;
      for (const [label, input, status, code] of casesFor(e.body)) {
        if (label.startsWith('missing ') && e.optional?.includes(label.slice('missing '.length))) continue;
        const headers: Record<string, string> = input.type ? { 'content-type': input.type } : {};
        const res = await t.request(e.method, e.path, {
          token,
          headers,
          ...(input.raw !== undefined ? { raw: input.raw } : { body: input.body }),
        });
        sent++;
        assert.equal(
          res.status,
          status,
          `${e.method} ${e.path} — ${label}: ${JSON.stringify(res.body)?.slice(0, 300)}`,
        );
        assert.equal(res.body?.error?.code, code, `${e.method} ${e.path} — ${label}`);
        assert.equal(typeof res.body.error.message, 'string');
      }
    }
    const afterCounts = await Promise.all(
      ['users', 'practices', 'threads', 'messages', 'client_links'].map((c) =>
        t.server.db.collection(c).countDocuments(),
      ),
    );
    assert.deepEqual(afterCounts, before, 'no bad request stored anything');
    assert.deepEqual(await t.server.db.collection('practices').findOne({ _id: practiceBefore!._id }), practiceBefore);
    assert.ok(sent >= 478, `sent ${sent} bad requests`);
  });

  test('a validation error names the failing fields', async () => {
    const res = await t.request('POST', `/api/v1/practices/${staff.practiceId}/contact-us`, {
      body: { name: '', email: 'not-an-email', body: 'hi', extra: 1 },
    });
    assert.equal(res.status, 400);
    const paths = res.body.error.fields.map((f: { path: string }) => f.path).sort();
    assert.deepEqual(paths, ['', 'email', 'name']);
  });

  test('ids that are not ids, or ids of nothing, are 404', async () => {
    const token = staff.admin.token;
    for (const id of [
      '123',
      'not-an-id',
      '%24ne',
      'a'.repeat(25),
      'ZZZZZZZZZZZZZZZZZZZZZZZZ',
      '000000000000000000000000',
    ]) {
      for (const [method, path] of [
        ['GET', `/api/v1/practices/${id}`],
        ['PATCH', `/api/v1/practices/${id}`],
        ['GET', `/api/v1/practices/${id}/clients`],
        ['POST', `/api/v1/practices/${id}/contact-us`],
        ['GET', `/api/v1/threads/${id}`],
      ]) {
        const body =
          method === 'GET'
            ? undefined
            : method === 'PATCH'
              ? { name: 'x' }
              : { name: 'V', email: 'v@example.test', body: 'hi' };
        const res = await t.request(method!, path!, { token, body });
        assert.equal(res.status, 404, `${method} ${path}`);
        assert.equal(res.body.error.code, 'not_found');
      }
    }
  });

  test('query strings with operators, repeats or unknown keys are 400', async () => {
    const token = staff.admin.token;
    for (const qs of [
      'practiceId[$ne]=x',
      'status=open&status=closed',
      'status=deleted',
      'practiceId=%7B%22%24gt%22%3A%22%22%7D',
      'sort=1',
    ]) {
      const res = await t.request('GET', `/api/v1/threads?${qs}`, { token });
      assert.equal(res.status, 400, qs);
      assert.equal(res.body.error.code, 'validation_failed');
    }
    for (const qs of ['limit=0', 'limit=100000', 'limit=abc', 'before=xyz']) {
      const res = await t.request('GET', `/api/v1/practices/${staff.practiceId}/audit?${qs}`, { token });
      assert.equal(res.status, 400, qs);
    }
  });

  test('unknown routes are 404 in the error shape', async () => {
    const res = await t.request('GET', '/api/v1/nothing-here');
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
  });
});
