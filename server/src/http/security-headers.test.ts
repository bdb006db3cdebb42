import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { practiceWithStaff } from '../testing/fixtures.ts';
import { useTestServer } from '../testing/test-server.ts';

/** A CSP header as directive → sources. */
function directives(header: string | null): Map<string, string[]> {
  assert.ok(header, 'a Content-Security-Policy header is sent');
  return new Map(
    header
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter(([name]) => name)
      .map(([name, ...sources]) => [name!, sources]),
  );
}

const JANUS_PUBLIC = 'https://media1.example.test';

describe('security headers on the pages we serve (plain-http service)', () => {
  const t = useTestServer({
    janus: {
      instances: [{ url: 'http://127.0.0.1:9/janus', publicUrl: `${JANUS_PUBLIC}/janus`, adminKey: 'k'.repeat(16) }],
      eventSecret: 's'.repeat(16),
    },
  });

  const get = async (path: string) => {
    const res = await fetch(t.server.url + path);
    await res.arrayBuffer();
    assert.equal(res.status, 200, path);
    return res;
  };

  test('every page: a CSP without unsafe-inline or unsafe-eval that names the service for scripts and styles', async () => {
    for (const path of [
      '/console',
      '/messages/',
      '/video/?appointment=0123456789abcdef01234567',
      '/examples/practice-site/',
      '/examples/practice-site/messages.html',
      '/examples/practice-site/av-test.html',
      '/examples/strict-csp/index.html',
      '/examples/spa/index.html',
    ]) {
      const res = await get(path);
      const header = res.headers.get('content-security-policy');
      assert.doesNotMatch(header ?? '', /unsafe-inline|unsafe-eval/, path);
      const csp = directives(header);
      assert.deepEqual(csp.get('script-src'), ["'self'", t.server.url], path);
      assert.deepEqual(csp.get('style-src'), ["'self'", t.server.url], path);
      assert.deepEqual(csp.get('object-src'), ["'none'"], path);
      assert.ok(csp.get('connect-src')?.includes(t.server.url.replace('http', 'ws')), `${path}: live connection`);
      assert.equal(res.headers.get('x-content-type-options'), 'nosniff', path);
      assert.equal(res.headers.get('referrer-policy'), 'no-referrer', path);
      assert.equal(res.headers.get('strict-transport-security'), null, `${path}: no HSTS on plain http`);
      assert.ok(!csp.has('upgrade-insecure-requests'), path);
    }
  });

  test('the console may not be framed by anyone; the other pages only by the service itself', async () => {
    const console_ = await get('/console');
    assert.deepEqual(directives(console_.headers.get('content-security-policy')).get('frame-ancestors'), ["'none'"]);
    assert.equal(console_.headers.get('x-frame-options'), 'DENY');
    const portal = await get('/messages/');
    assert.deepEqual(directives(portal.headers.get('content-security-policy')).get('frame-ancestors'), ["'self'"]);
    assert.equal(portal.headers.get('x-frame-options'), 'SAMEORIGIN');
  });

  test('camera and microphone only where a call runs or is answered; Janus reachable only there', async () => {
    for (const path of ['/console', '/messages/', '/video/', '/examples/practice-site/av-test.html']) {
      const res = await get(path);
      assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(self\), microphone=\(self\)/, path);
      assert.ok(directives(res.headers.get('content-security-policy')).get('connect-src')?.includes(JANUS_PUBLIC));
    }
    for (const path of ['/examples/practice-site/', '/examples/strict-csp/index.html', '/examples/spa/index.html']) {
      const res = await get(path);
      assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(\), microphone=\(\)/, path);
      assert.ok(!directives(res.headers.get('content-security-policy')).get('connect-src')?.includes(JANUS_PUBLIC));
    }
  });

  test('API answers load nothing and cannot be framed, and still answer other origins by the CORS rules', async () => {
    const { practiceId } = await practiceWithStaff(t.request);
    const res = await fetch(`${t.server.url}/api/v1/practices/${practiceId}`, {
      headers: { origin: 'https://some-practice.example.test' },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    const csp = directives(res.headers.get('content-security-policy'));
    assert.deepEqual(csp.get('default-src'), ["'none'"]);
    assert.deepEqual(csp.get('frame-ancestors'), ["'none'"]);
    assert.match(res.headers.get('permissions-policy') ?? '', /camera=\(\)/);
  });

  test("the example pages' stylesheets and scripts load from a practice's origin too", async () => {
    for (const path of ['/examples/practice-site/site.css', '/examples/video/room-from-link.js']) {
      const res = await get(path);
      assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin', path);
    }
  });
});

describe('security headers when PUBLIC_URL is https', () => {
  const t = useTestServer({ publicUrl: 'https://clocktree.example.test' });

  test('HSTS on every answer; pages upgrade insecure requests and load from the public origin', async () => {
    for (const path of ['/console', '/healthz', '/api/v1/directory']) {
      const res = await fetch(t.server.url + path);
      await res.arrayBuffer();
      assert.match(res.headers.get('strict-transport-security') ?? '', /^max-age=31536000; includeSubDomains$/, path);
    }
    const csp = directives((await fetch(`${t.server.url}/console`)).headers.get('content-security-policy'));
    assert.ok(csp.has('upgrade-insecure-requests'));
    assert.deepEqual(csp.get('script-src'), ["'self'", 'https://clocktree.example.test']);
    assert.ok(csp.get('connect-src')?.includes('wss://clocktree.example.test'));
  });
});
