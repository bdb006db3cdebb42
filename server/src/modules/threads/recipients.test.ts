import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Types } from 'mongoose';
import type { PracticeDoc } from '../practices/practice.model.ts';
import { PROSPECT, readersOf, recipientsFor } from './recipients.ts';

const [admin, colleague, other, client, service] = Array.from({ length: 5 }, () => new Types.ObjectId()) as [
  Types.ObjectId,
  Types.ObjectId,
  Types.ObjectId,
  Types.ObjectId,
  Types.ObjectId,
];
const practice = {
  members: [
    { userId: admin, role: 'admin', addedAt: new Date() },
    { userId: colleague, role: 'colleague', addedAt: new Date() },
    { userId: other, role: 'colleague', addedAt: new Date() },
  ],
  contactUsAssigneeIds: [colleague],
  services: [{ _id: service, name: 'Billing', description: '', assigneeIds: [other] }],
} as unknown as PracticeDoc;
const thread = (kind: 'contact-us' | 'service' | 'direct', extra = {}) => ({
  kind,
  serviceId: null,
  startedBy: null,
  clientId: null,
  ...extra,
});

test('client-side messages alert exactly the assigned colleagues', () => {
  assert.deepEqual(recipientsFor(thread('contact-us'), practice, true), [String(colleague)]);
  assert.deepEqual(recipientsFor(thread('service', { serviceId: service }), practice, true), [String(other)]);
  assert.deepEqual(recipientsFor(thread('direct', { startedBy: colleague }), practice, true), [String(colleague)]);
});

test('with nobody assigned (or the assignee gone), the admins are alerted', () => {
  const none = { ...practice, contactUsAssigneeIds: [] } as unknown as PracticeDoc;
  assert.deepEqual(recipientsFor(thread('contact-us'), none, true), [String(admin)]);
  const gone = new Types.ObjectId();
  assert.deepEqual(recipientsFor(thread('direct', { startedBy: gone }), practice, true), [String(admin)]);
  assert.deepEqual(recipientsFor(thread('service', { serviceId: new Types.ObjectId() }), practice, true), [
    String(admin),
  ]);
});

test('practice replies go to the client, or to the prospect without an account', () => {
  assert.deepEqual(recipientsFor(thread('direct', { clientId: client }), practice, false), [String(client)]);
  assert.deepEqual(recipientsFor(thread('contact-us'), practice, false), [PROSPECT]);
});

test('every member reads every client thread; the client reads their own', () => {
  assert.deepEqual(
    readersOf({ clientId: client }, practice).sort(),
    [admin, colleague, other, client].map(String).sort(),
  );
});
