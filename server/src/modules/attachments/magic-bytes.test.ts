import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ATTACHMENT_TYPES } from '@clocktree/protocol';
import { contentDisposition, inertName } from './file-name.ts';
import { ACCEPTED, REFUSED } from './magic-bytes.samples.ts';
import { sniff, SNIFF_BYTES, withExtension } from './magic-bytes.ts';

describe('magic bytes', () => {
  test('every accepted kind is recognized from its first bytes', () => {
    for (const [label, bytes, name, type] of ACCEPTED) assert.equal(sniff(bytes, name, true), type, label);
    const covered = new Set(ACCEPTED.map(([, , , type]) => type));
    assert.deepEqual(
      [...ATTACHMENT_TYPES].filter((t) => !covered.has(t)),
      [],
      'a sample for every allowed type',
    );
  });

  test('the name never changes what a file is, except among the three legacy Office formats', () => {
    for (const [label, bytes, , type] of ACCEPTED) {
      if (type.startsWith('application/vnd.ms-') || type === 'application/msword') continue;
      assert.equal(sniff(bytes, 'renamed.exe', true), type, label);
    }
  });

  test('markup, programs, other containers and broken text are refused, whatever they are called', () => {
    for (const [label, bytes, name] of REFUSED) assert.equal(sniff(bytes, name, true), null, label);
  });

  test('text is judged on the first 64 KiB; a character cut at the window edge is fine, a broken one is not', () => {
    const long = Buffer.from('é'.repeat(SNIFF_BYTES), 'utf8'); // 2 bytes each: the window ends on a boundary
    assert.equal(sniff(long.subarray(0, SNIFF_BYTES + 1), 'a.txt', false), 'text/plain');
    const cut = Buffer.concat([Buffer.from('a'), Buffer.from('é'.repeat(SNIFF_BYTES / 2), 'utf8')]);
    assert.equal(sniff(cut.subarray(0, SNIFF_BYTES), 'a.txt', false), 'text/plain', 'cut inside a character');
    assert.equal(sniff(cut.subarray(0, SNIFF_BYTES), 'a.txt', true), null, 'a whole file cannot end mid-character');
    const lateNul = Buffer.concat([Buffer.alloc(SNIFF_BYTES, 'a'), Buffer.from([0])]);
    assert.equal(sniff(lateNul, 'a.txt', true), 'text/plain', 'bytes past the window are not looked at');
  });

  test('a name keeps its extension when it fits the type, and gains one when it does not', () => {
    assert.equal(withExtension('scan.PDF', 'application/pdf', 200), 'scan.PDF');
    assert.equal(withExtension('run.bat', 'text/plain', 200), 'run.bat.txt');
    assert.equal(withExtension('photo', 'image/jpeg', 200), 'photo.jpg');
    assert.equal(withExtension('x'.repeat(200), 'image/png', 200), `${'x'.repeat(196)}.png`);
  });
});

describe('file names', () => {
  test('paths, control characters and bidi overrides are removed; the rest is trimmed and capped', () => {
    assert.equal(inertName('../../etc/passwd'), 'passwd');
    assert.equal(inertName('C:\\Users\\ann\\Desktop\\report.pdf'), 'report.pdf');
    assert.equal(inertName('a\u0000b\r\nc\u001b[31m.pdf'), 'abc[31m.pdf');
    assert.equal(inertName('invoice\u202Efdp.exe'), 'invoicefdp.exe');
    assert.equal(inertName('\u2066x\u2069\u200F.txt'), 'x.txt');
    assert.equal(inertName('  spaced name.txt \t'), 'spaced name.txt');
    assert.equal(inertName('<img src=x onerror=alert(1)>.png'), '<img src=x onerror=alert(1)>.png');
    assert.equal(inertName('😀'.repeat(300)), '😀'.repeat(200), 'capped in characters, never inside one');
    for (const empty of [undefined, '', '   ', '\u0000', '..', 'dir/', 'a/..', '\u202E'])
      assert.equal(inertName(empty), 'attachment', JSON.stringify(empty));
  });

  test('Content-Disposition carries an ASCII fallback and the exact name, neither able to break the header', () => {
    assert.equal(
      contentDisposition('Résumé "final" 100%.pdf'),
      `attachment; filename="R_sum_ _final_ 100_.pdf"; filename*=UTF-8''R%C3%A9sum%C3%A9%20%22final%22%20100%25.pdf`,
    );
    assert.equal(
      contentDisposition("it's (a) *test*.txt"),
      `attachment; filename="it's (a) *test*.txt"; filename*=UTF-8''it%27s%20%28a%29%20%2Atest%2A.txt`,
    );
    assert.equal(
      contentDisposition('back\\slash;x.txt'),
      `attachment; filename="back_slash;x.txt"; filename*=UTF-8''back%5Cslash%3Bx.txt`,
    );
    assert.match(contentDisposition('😀.png'), /^attachment; filename="_\.png"; /);
  });
});
