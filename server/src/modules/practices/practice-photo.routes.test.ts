import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import sharp from 'sharp';
import { practiceWithStaff } from '../../testing/fixtures.ts';
import { useTestServer } from '../../testing/test-server.ts';

const photo = (width: number, height: number) =>
  sharp({ create: { width, height, channels: 3, background: { r: 40, g: 120, b: 90 } } });

/** A camera's JPEG: EXIF with a GPS position and the camera's maker. */
const cameraJpeg = (width = 1600, height = 1200) =>
  photo(width, height)
    .jpeg()
    .withExif({ IFD0: { Make: 'CanaryCam', Copyright: 'canary-photo-7731' }, IFD3: { GPSLatitudeRef: 'N' } })
    .toBuffer();

describe('the practice photo', () => {
  const t = useTestServer();

  const put = (pid: string, token: string, body: Uint8Array, type: string) =>
    t.request('PUT', `/api/v1/practices/${pid}/photo`, { token, raw: body, headers: { 'content-type': type } });

  /** Fetches a photo URL as a browser on any site would; resolves with the response and its bytes. */
  const fetchPhoto = async (url: string) => {
    const res = await fetch(url, { headers: { origin: 'https://some-practice-site.example' } });
    return { res, bytes: Buffer.from(await res.arrayBuffer()) };
  };

  test('an admin uploads a camera JPEG: it is served to anyone, at most 512 px, without EXIF or GPS', async () => {
    const s = await practiceWithStaff(t.request);
    const original = await cameraJpeg();
    assert.ok(original.includes('canary-photo-7731'), 'the upload carries EXIF');
    const reply = await put(s.practiceId, s.admin.token, original, 'image/jpeg');
    assert.equal(reply.status, 200);
    const url: string = reply.body.practice.photoUrl;
    assert.equal(url, `${t.server.url}/api/v1/practices/${s.practiceId}/photo?v=1`);
    const profile = await t.request('GET', `/api/v1/practices/${s.practiceId}`);
    assert.equal(profile.body.practice.photoUrl, url, 'the public profile names it');

    const { res, bytes } = await fetchPhoto(url);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'image/jpeg');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.equal(res.headers.get('access-control-allow-origin'), '*');
    assert.equal(res.headers.get('cross-origin-resource-policy'), 'cross-origin');
    assert.match(res.headers.get('cache-control') ?? '', /max-age=31536000/);
    const meta = await sharp(bytes).metadata();
    assert.equal(meta.format, 'jpeg');
    assert.deepEqual([meta.width, meta.height], [512, 384]);
    assert.equal(meta.exif, undefined, 'no EXIF left');
    assert.equal(bytes.includes('canary-photo-7731'), false);
    assert.equal(bytes.includes('CanaryCam'), false);
    assert.ok(bytes.length < original.length);

    const audit = await t.request('GET', `/api/v1/practices/${s.practiceId}/audit`, { token: s.admin.token });
    assert.ok(
      audit.body.entries.some((e: { action: string }) => e.action === 'practice.photo.update'),
      'the change is audited',
    );
  });

  test('a PNG is stored as WebP; a small one is not enlarged', async () => {
    const s = await practiceWithStaff(t.request);
    const reply = await put(s.practiceId, s.admin.token, await photo(300, 200).png().toBuffer(), 'image/png');
    assert.equal(reply.status, 200);
    const { res, bytes } = await fetchPhoto(reply.body.practice.photoUrl);
    assert.equal(res.headers.get('content-type'), 'image/webp');
    const meta = await sharp(bytes).metadata();
    assert.deepEqual([meta.format, meta.width, meta.height], ['webp', 300, 200]);
  });

  test('refusals: not an admin, too large, not an image, the wrong type, undecodable, too many pixels', async () => {
    const s = await practiceWithStaff(t.request);
    const jpeg = await cameraJpeg(400, 300);
    const png = await photo(400, 300).png().toBuffer();
    assert.equal((await put(s.practiceId, s.colleague.token, jpeg, 'image/jpeg')).status, 403);
    assert.equal((await put(s.practiceId, s.client.token, jpeg, 'image/jpeg')).status, 403);
    assert.equal((await put(s.practiceId, '', jpeg, 'image/jpeg')).status, 401);

    const cases: [what: string, body: Uint8Array, type: string, status: number, code: string][] = [
      ['over 2 MB', Buffer.concat([jpeg, Buffer.alloc(2 * 1024 * 1024)]), 'image/jpeg', 413, 'payload_too_large'],
      ['a PDF', Buffer.from('%PDF-1.7\n1 0 obj\n'), 'image/png', 415, 'unsupported_media_type'],
      ['SVG', Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'), 'image/svg+xml', 415, 'unsupported_media_type'],
      ['a PNG declared as JPEG', png, 'image/jpeg', 415, 'unsupported_media_type'],
      ['JSON', Buffer.from('{}'), 'application/json', 415, 'unsupported_media_type'],
      ['empty', Buffer.alloc(0), 'image/png', 415, 'unsupported_media_type'],
      ['a cut-off PNG', png.subarray(0, 60), 'image/png', 400, 'validation_failed'],
      [
        'PNG magic, then noise',
        Buffer.concat([png.subarray(0, 8), Buffer.alloc(500, 7)]),
        'image/png',
        400,
        'validation_failed',
      ],
      ['3000 px wide', await photo(3000, 100).png().toBuffer(), 'image/png', 400, 'validation_failed'],
    ];
    for (const [what, body, type, status, code] of cases) {
      const reply = await put(s.practiceId, s.admin.token, body, type);
      assert.equal(reply.status, status, what);
      assert.equal(reply.body.error.code, code, what);
    }
    assert.equal((await t.request('GET', `/api/v1/practices/${s.practiceId}`)).body.practice.photoUrl, null);
    assert.equal((await fetchPhoto(`${t.server.url}/api/v1/practices/${s.practiceId}/photo`)).res.status, 404);
  });

  test('a new photo gets a new URL; an old URL serves the current photo only briefly; removal is final', async () => {
    const s = await practiceWithStaff(t.request);
    const first = (await put(s.practiceId, s.admin.token, await cameraJpeg(400, 300), 'image/jpeg')).body.practice;
    const second = (await put(s.practiceId, s.admin.token, await photo(64, 64).png().toBuffer(), 'image/png')).body
      .practice;
    assert.notEqual(first.photoUrl, second.photoUrl);
    const stale = await fetchPhoto(first.photoUrl);
    assert.equal(stale.res.headers.get('content-type'), 'image/webp', 'the current photo');
    assert.doesNotMatch(stale.res.headers.get('cache-control') ?? '', /immutable/);

    assert.equal(
      (await t.request('DELETE', `/api/v1/practices/${s.practiceId}/photo`, { token: s.colleague.token })).status,
      403,
    );
    assert.equal(
      (await t.request('DELETE', `/api/v1/practices/${s.practiceId}/photo`, { token: s.admin.token })).status,
      204,
    );
    assert.equal((await fetchPhoto(second.photoUrl)).res.status, 404);
    assert.equal((await t.request('GET', `/api/v1/practices/${s.practiceId}`)).body.practice.photoUrl, null);
    const third = (await put(s.practiceId, s.admin.token, await cameraJpeg(400, 300), 'image/jpeg')).body.practice;
    assert.ok(![first.photoUrl, second.photoUrl].includes(third.photoUrl), 'never a URL used before');
    const audit = await t.request('GET', `/api/v1/practices/${s.practiceId}/audit`, { token: s.admin.token });
    assert.ok(audit.body.entries.some((e: { action: string }) => e.action === 'practice.photo.delete'));
  });

  test('uploads at once: the URL the practice names always serves that photo for keeps', async () => {
    const s = await practiceWithStaff(t.request);
    const images = await Promise.all([20, 30, 40, 50].map((side) => photo(side, side).png().toBuffer()));
    for (let round = 0; round < 5; round++) {
      const replies = await Promise.all(images.map((img) => put(s.practiceId, s.admin.token, img, 'image/png')));
      assert.deepEqual(
        replies.map((r) => r.status),
        [200, 200, 200, 200],
      );
      const url = (await t.request('GET', `/api/v1/practices/${s.practiceId}`)).body.practice.photoUrl;
      const { res, bytes } = await fetchPhoto(url);
      assert.match(res.headers.get('cache-control') ?? '', /immutable/, `round ${round}: ${url}`);
      assert.ok([20, 30, 40, 50].includes((await sharp(bytes).metadata()).width!));
    }
  });
});
