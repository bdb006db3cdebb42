import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import { PowChallenge } from '@clocktree/protocol';
import { ManualClock } from '../clock.ts';
import { EASY_CHALLENGE, solve } from '../testing/proof-of-work.ts';
import { CHALLENGE_TTL_MS, proofOfWork } from './proof-of-work.ts';

describe('proof of work (ALTCHA challenges)', () => {
  const masterKey = randomBytes(32);
  const clock = new ManualClock(new Date('2026-03-02T09:00:00Z'));
  const pow = proofOfWork(masterKey, clock, EASY_CHALLENGE);

  test('a challenge has the protocol shape, and its solution verifies for its own scope only', async () => {
    const challenge = await pow.challenge('practice-a');
    assert.equal(PowChallenge.safeParse(challenge).success, true);
    const solved = await solve(challenge);
    assert.equal(await pow.verify(solved, 'practice-a'), 'ok');
    assert.equal(await pow.verify(solved, 'practice-b'), 'invalid');
  });

  test('the browser has to search: the counter lies within the configured range', async () => {
    const solved = await solve(await pow.challenge('p'));
    assert.ok(
      solved.solution.counter >= EASY_CHALLENGE.counterMin && solved.solution.counter <= EASY_CHALLENGE.counterMax,
    );
  });

  test('a wrong answer, changed parameters or another master key do not verify', async () => {
    const solved = await solve(await pow.challenge('p'));
    const wrongKey = { ...solved, solution: { ...solved.solution, derivedKey: '00'.repeat(32) } };
    assert.equal(await pow.verify(wrongKey, 'p'), 'invalid');
    const easier = {
      ...solved,
      challenge: { ...solved.challenge, parameters: { ...solved.challenge.parameters, cost: 1 } },
    };
    assert.equal(await pow.verify(easier, 'p'), 'invalid');
    const later = {
      ...solved,
      challenge: {
        ...solved.challenge,
        parameters: { ...solved.challenge.parameters, data: { scope: 'p', expires: Date.UTC(2030, 0) } },
      },
    };
    assert.equal(await pow.verify(later, 'p'), 'invalid', 'the expiry is signed');
    assert.equal(await proofOfWork(randomBytes(32), clock, EASY_CHALLENGE).verify(solved, 'p'), 'invalid');
  });

  test('expires on the injected clock', async () => {
    const solved = await solve(await pow.challenge('p'));
    clock.advance(CHALLENGE_TTL_MS - 1000);
    assert.equal(await pow.verify(solved, 'p'), 'ok');
    clock.advance(1000);
    assert.equal(await pow.verify(solved, 'p'), 'expired');
  });
});
