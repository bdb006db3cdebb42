import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

const base = { MONGODB_URI: 'mongodb://127.0.0.1:27017/clocktree' };
const key = Buffer.alloc(32, 7).toString('base64');

test('the embedded defaults need only a database', () => {
  const config = loadConfig(base);
  assert.equal(config.port, 8080);
  assert.equal(config.publicUrl, undefined, 'derived from the listening address');
  assert.equal(config.sessionIdleMs, 15 * 60_000);
  assert.equal(config.nowOffsetMs, 0);
});

test('every problem is listed at once, by variable name', () => {
  assert.throws(
    () => loadConfig({ PORT: 'eighty', SMTP_URL: 'http://mail' }),
    (err: Error) =>
      err instanceof ConfigError &&
      /MONGODB_URI: is required/.test(err.message) &&
      /PORT/.test(err.message) &&
      /SMTP_URL/.test(err.message),
  );
});

test('CLOCKTREE_NOW_OFFSET_MS shifts the clock outside production and stops a production start', () => {
  assert.equal(loadConfig({ ...base, CLOCKTREE_NOW_OFFSET_MS: '86400000' }).nowOffsetMs, 86_400_000);
  const production = { ...base, NODE_ENV: 'production', PUBLIC_URL: 'https://ct.example', CLOCKTREE_MASTER_KEY: key };
  assert.equal(loadConfig(production).production, true);
  assert.throws(
    () => loadConfig({ ...production, CLOCKTREE_NOW_OFFSET_MS: '1' }),
    /CLOCKTREE_NOW_OFFSET_MS: must not be set in production/,
  );
});

test('production requires a master key and an https public URL', () => {
  assert.throws(
    () => loadConfig({ ...base, NODE_ENV: 'production' }),
    /CLOCKTREE_MASTER_KEY: is required[\s\S]*PUBLIC_URL/,
  );
  assert.throws(
    () =>
      loadConfig({ ...base, NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', CLOCKTREE_MASTER_KEY: 'short' }),
    /CLOCKTREE_MASTER_KEY: must be 32 bytes/,
  );
});

test('JANUS_URLS needs the admin key and the event secret', () => {
  assert.throws(
    () => loadConfig({ ...base, JANUS_URLS: 'http://10.0.0.5:8088/janus' }),
    /JANUS_ADMIN_KEY: is required when JANUS_URLS is set[\s\S]*JANUS_EVENT_SECRET/,
  );
  const ok = loadConfig({
    ...base,
    JANUS_URLS: 'http://10.0.0.5:8088/janus, http://10.0.0.6:8088/janus|https://media2.example/janus',
    JANUS_ADMIN_KEY: 'k'.repeat(16),
    JANUS_EVENT_SECRET: 's'.repeat(16),
  });
  assert.deepEqual(ok.janusUrls, [
    'http://10.0.0.5:8088/janus',
    'http://10.0.0.6:8088/janus|https://media2.example/janus',
  ]);
});

test('REDIS_PREFIX names this deployment in a shared Redis: "clocktree" unless set, never a key pattern', () => {
  assert.equal(loadConfig(base).redisPrefix, 'clocktree');
  assert.equal(loadConfig({ ...base, REDIS_PREFIX: 'practice-net.eu' }).redisPrefix, 'practice-net.eu');
  for (const bad of ['', 'a*b', 'a:b', 'x'.repeat(65)])
    assert.throws(
      () => loadConfig({ ...base, REDIS_PREFIX: bad }),
      (err: Error) => /REDIS_PREFIX/.test(err.message),
    );
});
