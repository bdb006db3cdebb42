// The widgets' canned test APIs parse what they answer with the protocol's response schemas (widget/test/canned-shapes.mjs).
import assert from 'node:assert/strict';
import { test } from 'node:test';
// @ts-expect-error -- a plain .mjs test helper without type declarations
import { checkShape } from '../../widget/test/canned-shapes.mjs';

type Answer = [number, unknown];
const check = checkShape as (method: string, path: string, answer: Answer) => Answer;
const user = { id: '0123456789abcdef01234567', email: 'dana@client.example', name: 'Dana', kind: 'client' };

test('an answer in the protocol’s shape passes through unchanged', () => {
  const answer: Answer = [200, { user, memberships: [], clientOf: [] }];
  assert.equal(check('GET', '/me', answer), answer);
  assert.deepEqual(check('POST', '/auth/password-reset', [202, {}]), [202, {}]);
});

test('a drifted answer becomes a 500 naming the drift, so the test that caused it fails', () => {
  const [status, body] = check('GET', '/me', [
    200,
    { user: { ...user, kind: 'patient' }, memberships: [], clientOf: [] },
  ]);
  assert.equal(status, 500);
  assert.match((body as { error: { message: string } }).error.message, /GET \/me: user\.kind/);
});

test('error answers must have the protocol’s error shape too', () => {
  assert.equal(check('POST', '/auth/login', [401, { message: 'no' }])[0], 500);
  assert.equal(check('POST', '/auth/login', [401, { error: { code: 'unauthenticated', message: 'no' } }])[0], 401);
});

test('directory answers are checked against DirectoryResponse (widget/test/canned-directory.mjs)', () => {
  const listing = {
    id: '0123456789abcdef01234567',
    name: 'Maple Street Counseling',
    phone: '+1 503 555 0142',
    address: { street: '', city: 'Portland', region: 'OR', postcode: '97214', country: 'US' },
    timeZone: 'America/Los_Angeles',
    photoUrl: null,
    services: [],
    listed: true,
    specialties: ['Anxiety'],
    issues: [],
    approaches: [],
    languages: ['en'],
    inPerson: true,
    telehealth: false,
    acceptingNewClients: true,
    insurance: [],
    slidingScale: false,
    about: '',
  };
  const answer: Answer = [200, { practices: [listing], page: 1, pageSize: 20, total: 1 }];
  assert.equal(check('GET', '/directory', answer), answer);
  // Today's server answers `{practices: PracticePublic[]}` alone: that is not the contract, and a canned API saying it fails.
  const { languages: _languages, ...withoutLanguages } = listing;
  assert.equal(
    check('GET', '/directory', [200, { practices: [withoutLanguages], page: 1, pageSize: 20, total: 1 }])[0],
    500,
  );
  assert.equal(check('GET', '/directory', [200, { practices: [listing] }])[0], 500);
});

test('Contact Us, its proof-of-work challenge and the connection test are checked too', () => {
  assert.equal(check('POST', '/practices/abcdefabcdefabcdefabcdef/contact-us', [201, { thread: { id: 'x' } }])[0], 500);
  assert.equal(check('POST', '/connection-test/upload', [200, { bytes: 1024 }])[0], 200);
  assert.equal(check('POST', '/connection-test/upload', [200, { size: 1024 }])[0], 500);
  const without = check('POST', '/practices/p/contact-us', [
    428,
    { error: { code: 'challenge_required', message: 'm' } },
  ]);
  assert.equal(without[0], 500, 'a 428 without its challenge');
  assert.equal(check('GET', '/appointments', [200, { appointments: [{ id: 'a' }] }])[0], 500);
});
