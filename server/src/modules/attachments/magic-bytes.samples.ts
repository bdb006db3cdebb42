/**
 * The first bytes of real files of every kind we accept (and some we refuse), built by hand from each format's
 * specification so that tests do not need binary fixtures.
 */

const bytes = (...parts: (string | number[] | Uint8Array)[]) =>
  Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p, 'latin1') : Buffer.from(p))));

const u32be = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const u32le = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const u16le = (n: number) => [n & 0xff, (n >>> 8) & 0xff];

/** An ISO base media file's `ftyp` box with a major brand and compatible brands. */
export const ftypBox = (major: string, ...compatible: string[]) =>
  bytes(u32be(16 + 4 * compatible.length), 'ftyp', major, [0, 0, 0, 0], compatible.join(''));

/** ZIP local file headers with stored data; `streamed` sets flag bit 3 (sizes given after the data). */
export function zip(entries: [name: string, data: string][], streamed = false): Buffer {
  return bytes(
    ...entries.flatMap(([name, data]) => [
      bytes(
        [0x50, 0x4b, 0x03, 0x04],
        u16le(20),
        u16le(streamed ? 0x08 : 0),
        u16le(0),
        u16le(0),
        u16le(0),
        u32le(0),
        u32le(streamed ? 0 : data.length),
        u32le(streamed ? 0 : data.length),
        u16le(name.length),
        u16le(0),
        name,
        data,
      ),
      streamed ? bytes([0x50, 0x4b, 0x07, 0x08], u32le(0), u32le(data.length), u32le(data.length)) : bytes(),
    ]),
    [0x50, 0x4b, 0x01, 0x02], // the central directory follows the last entry
  );
}

const CONTENT_TYPES =
  '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>';
const RELS = '<?xml version="1.0"?><Relationships/>';
const office = (part: string) =>
  zip([
    ['[Content_Types].xml', CONTENT_TYPES],
    ['_rels/.rels', RELS],
    ['docProps/app.xml', '<Properties/>'],
    [part, '<?xml version="1.0"?><root/>'],
  ]);

const OLE2 = bytes([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1], new Uint8Array(504));

/** [label, bytes, file name, expected type] for every accepted kind. */
export const ACCEPTED: [string, Buffer, string, string][] = [
  [
    'PDF',
    bytes('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'),
    'letter.pdf',
    'application/pdf',
  ],
  [
    'PNG',
    bytes([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], u32be(13), 'IHDR', u32be(1), u32be(1), [8, 6, 0, 0, 0]),
    'scan.png',
    'image/png',
  ],
  [
    'JPEG',
    bytes([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10], 'JFIF\0', [1, 1, 0, 0, 1, 0, 1, 0, 0]),
    'photo.jpg',
    'image/jpeg',
  ],
  ['GIF', bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0]), 'anim.gif', 'image/gif'],
  ['WebP', bytes('RIFF', u32le(26), 'WEBPVP8 ', u32le(10), new Uint8Array(10)), 'pic.webp', 'image/webp'],
  ['HEIC', ftypBox('heic', 'mif1', 'heic'), 'IMG_0001.HEIC', 'image/heic'],
  ['HEIC under a generic HEIF brand', ftypBox('mif1', 'mif1', 'heic'), 'IMG_0002.heic', 'image/heic'],
  ['plain text', bytes('Appointment notes\r\nTuesday 10:00\tRoom 2\n'), 'notes.txt', 'text/plain'],
  ['UTF-8 text', Buffer.from('\uFEFFGrüße aus Köln — 😀 ✓\n', 'utf8'), 'grüße.txt', 'text/plain'],
  [
    'docx',
    office('word/document.xml'),
    'letter.docx',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ],
  [
    'xlsx',
    office('xl/workbook.xml'),
    'sheet.xlsx',
    'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  ],
  [
    'pptx',
    office('ppt/presentation.xml'),
    'slides.pptx',
    'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  ],
  [
    'docx with streamed entries',
    zip(
      [
        ['[Content_Types].xml', CONTENT_TYPES],
        ['word/document.xml', '<w:document/>'],
      ],
      true,
    ),
    'streamed.docx',
    'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  ],
  ['doc', OLE2, 'old letter.doc', 'application/msword'],
  ['xls', OLE2, 'BUDGET.XLS', 'application/vnd.ms-excel'],
  ['ppt', OLE2, 'talk.ppt', 'application/vnd.ms-powerpoint'],
  ['MP3 with an ID3 tag', bytes('ID3', [4, 0, 0, 0, 0, 0, 0x21]), 'voice.mp3', 'audio/mpeg'],
  ['MP3 frame', bytes([0xff, 0xfb, 0x90, 0x64], new Uint8Array(413)), 'raw.mp3', 'audio/mpeg'],
  [
    'WAV',
    bytes('RIFF', u32le(36), 'WAVEfmt ', u32le(16), [1, 0, 1, 0], u32le(8000), u32le(16000), [2, 0, 16, 0]),
    'memo.wav',
    'audio/wav',
  ],
  ['OGG', bytes('OggS', [0, 2], new Uint8Array(20), [1, 0x1e], '\x01vorbis'), 'memo.ogg', 'audio/ogg'],
  ['M4A', ftypBox('M4A ', 'M4A ', 'mp42', 'isom'), 'memo.m4a', 'audio/mp4'],
  ['MP4', ftypBox('isom', 'isom', 'iso2', 'avc1', 'mp41'), 'clip.mp4', 'video/mp4'],
  ['MOV', ftypBox('qt  ', 'qt  '), 'clip.mov', 'video/quicktime'],
  [
    'WebM',
    bytes([0x1a, 0x45, 0xdf, 0xa3, 0x9f, 0x42, 0x86, 0x81, 0x01, 0x42, 0x82, 0x84], 'webm', [0x42, 0x87, 0x81, 0x04]),
    'call.webm',
    'video/webm',
  ],
];

export const HTML = bytes('<!DOCTYPE html>\n<html><body><script>alert(document.cookie)</script></body></html>\n');
export const EXE = bytes('MZ', [0x90, 0, 3, 0, 0, 0, 4, 0, 0, 0, 0xff, 0xff], new Uint8Array(50), 'PE\0\0');

/** [label, bytes, file name] for kinds that must be refused whatever they are called. */
export const REFUSED: [string, Buffer, string][] = [
  ['HTML', HTML, 'report.pdf'],
  ['HTML after blank lines', bytes('\n\n   <html><p>hi</p></html>'), 'notes.txt'],
  ['HTML fragment inside text', bytes('Dear team,\nsee <script src="//evil.example/x.js"></script>\n'), 'a.txt'],
  ['SVG', bytes('<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'), 'logo.png'],
  ['XML', bytes('<?xml version="1.0"?><note/>'), 'note.txt'],
  ['shell script', bytes('#!/bin/sh\nrm -rf ~\n'), 'notes.txt'],
  ['Windows executable', EXE, 'invoice.pdf'],
  ['ELF executable', bytes([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0], new Uint8Array(8)), 'photo.jpg'],
  ['Mach-O executable', bytes([0xcf, 0xfa, 0xed, 0xfe, 7, 0, 0, 1]), 'photo.jpg'],
  ['ZIP without Office parts', zip([['readme.txt', 'hello']]), 'letter.docx'],
  ['Java archive', zip([['META-INF/MANIFEST.MF', 'Main-Class: X']]), 'sheet.xlsx'],
  ['OLE2 installer', OLE2, 'setup.msi'],
  ['OLE2 with a modern name', OLE2, 'letter.docx'],
  ['AVIF', ftypBox('avif', 'avif', 'mif1', 'miaf'), 'photo.heic'],
  ['3GP', ftypBox('3gp4', '3gp4'), 'clip.mp4'],
  ['Matroska', bytes([0x1a, 0x45, 0xdf, 0xa3, 0x93, 0x42, 0x82, 0x88], 'matroska'), 'call.webm'],
  ['AVI', bytes('RIFF', u32le(100), 'AVI LIST'), 'clip.mp4'],
  ['AAC (ADTS)', bytes([0xff, 0xf1, 0x50, 0x80], new Uint8Array(8)), 'memo.mp3'],
  ['invalid UTF-8', bytes('caf\xe9 au lait\n'), 'notes.txt'],
  ['text with NUL', bytes('abc\0def'), 'notes.txt'],
  ['empty', bytes(), 'empty.txt'],
];
