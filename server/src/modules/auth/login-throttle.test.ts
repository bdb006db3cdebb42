import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LOGIN_THROTTLE, inWords, waitAfter } from './login-throttle.ts';

describe('login throttle schedule', () => {
  test('the first five wrong passwords cost nothing; each further one doubles the wait, up to 15 minutes', () => {
    const waits = Array.from({ length: 20 }, (_, i) => waitAfter(i + 1, DEFAULT_LOGIN_THROTTLE) / 1000);
    assert.deepEqual(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]);
    assert.equal(waitAfter(60, DEFAULT_LOGIN_THROTTLE), 15 * 60_000);
    assert.equal(waitAfter(1e9, DEFAULT_LOGIN_THROTTLE), 15 * 60_000, 'no overflow however many');
  });

  test('says the wait in seconds, then in whole minutes rounded up', () => {
    assert.equal(inWords(1), '1 second');
    assert.equal(inWords(1000), '1 second');
    assert.equal(inWords(1001), '2 seconds');
    assert.equal(inWords(119_000), '119 seconds');
    assert.equal(inWords(120_000), '2 minutes');
    assert.equal(inWords(899_500), '15 minutes');
  });
});
