import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_LOGIN_THROTTLE, waitAfter } from './login-throttle.ts';

describe('login throttle schedule', () => {
  test('the first five wrong passwords cost nothing; each further one doubles the wait, up to 15 minutes', () => {
    const waits = Array.from({ length: 20 }, (_, i) => waitAfter(i + 1, DEFAULT_LOGIN_THROTTLE) / 1000);
    assert.deepEqual(waits, [0, 0, 0, 0, 0, 1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900, 900, 900]);
    assert.equal(waitAfter(60, DEFAULT_LOGIN_THROTTLE), 15 * 60_000);
    assert.equal(waitAfter(1e9, DEFAULT_LOGIN_THROTTLE), 15 * 60_000, 'no overflow however many');
  });
});
