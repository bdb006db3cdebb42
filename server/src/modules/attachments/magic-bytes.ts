import { ATTACHMENT_TYPES, type AttachmentType } from '@clocktree/protocol';

/**
 * Decides an upload's type from its first bytes, never from its declared type: a browser or mail client opens a
 * file by what it is, so what we accept must be checked on what it is. Everything not recognized here is refused.
 */

/** How much of the start of a file the checks below look at (plain text is judged on this much). */
export const SNIFF_BYTES = 64 * 1024;

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1', from, from + length);

const startsWith = (bytes: Uint8Array, prefix: readonly number[], at = 0) =>
  bytes.length >= at + prefix.length && prefix.every((b, i) => bytes[at + i] === b);

const extensionOf = (name: string) => /\.([^.]+)$/.exec(name)?.[1]?.toLowerCase() ?? '';

const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const JPEG = [0xff, 0xd8, 0xff];
const OLE2 = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ZIP_LOCAL = [0x50, 0x4b, 0x03, 0x04];
const EBML = [0x1a, 0x45, 0xdf, 0xa3];

// ISO base media ("ftyp") brands. HEIF's generic brands (mif1/msf1) are HEIC only with a HEVC brand listed too,
// so AVIF and other HEIF flavours stay out.
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis']);
const HEIF_GENERIC = new Set(['mif1', 'msf1']);
const M4A_BRANDS = new Set(['M4A ', 'M4B ']);
const MOV_BRANDS = new Set(['qt  ']);
const MP4_BRANDS = new Set([
  'isom',
  'iso2',
  'iso3',
  'iso4',
  'iso5',
  'iso6',
  'mp41',
  'mp42',
  'mp71',
  'avc1',
  'M4V ',
  'M4VH',
  'M4VP',
  'dash',
  'f4v ',
  'MSNV',
  'NDAS',
]);

function ftyp(bytes: Uint8Array): AttachmentType | null {
  if (bytes.length < 16 || ascii(bytes, 4, 4) !== 'ftyp') return null;
  const size = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).readUInt32BE(0);
  const major = ascii(bytes, 8, 4);
  const compatible: string[] = [];
  for (let at = 16; at + 4 <= Math.min(size, bytes.length); at += 4) compatible.push(ascii(bytes, at, 4));
  if (HEIC_BRANDS.has(major)) return 'image/heic';
  if (HEIF_GENERIC.has(major)) return compatible.some((b) => HEIC_BRANDS.has(b)) ? 'image/heic' : null;
  if (M4A_BRANDS.has(major)) return 'audio/mp4';
  if (MOV_BRANDS.has(major)) return 'video/quicktime';
  if (MP4_BRANDS.has(major)) return 'video/mp4';
  return null;
}

/** A ZIP is OOXML when one of its entries lives under word/, xl/ or ppt/: walk the local file headers. */
function ooxml(bytes: Uint8Array): AttachmentType | null {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = 0;
  while (at + 30 <= buf.length && startsWith(buf, ZIP_LOCAL, at)) {
    const flags = buf.readUInt16LE(at + 6);
    const compressed = buf.readUInt32LE(at + 18);
    const nameLength = buf.readUInt16LE(at + 26);
    const extraLength = buf.readUInt16LE(at + 28);
    const name = buf.toString('utf8', at + 30, Math.min(buf.length, at + 30 + nameLength));
    if (name.startsWith('word/')) return 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
    if (name.startsWith('xl/')) return 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
    if (name.startsWith('ppt/')) return 'application/vnd.openxmlformats-officedocument.presentationml.presentation';
    const data = at + 30 + nameLength + extraLength;
    // Streamed entries (flag bit 3) give their sizes only after the data: find the next header instead.
    at = flags & 0x08 && compressed === 0 ? buf.indexOf(Buffer.from(ZIP_LOCAL), data) : data + compressed;
    if (at < 0) break;
  }
  return null;
}

/** The DocType string of an EBML header: "webm" is WebM, anything else (Matroska) is not accepted. */
function webm(bytes: Uint8Array): AttachmentType | null {
  const head = bytes.subarray(0, 64);
  for (let at = 4; at + 3 < head.length; at++) {
    if (head[at] !== 0x42 || head[at + 1] !== 0x82) continue;
    const sizeByte = head[at + 2]!;
    if (!(sizeByte & 0x80)) return null; // a one-byte size is all a DocType ever needs
    return ascii(head, at + 3, sizeByte & 0x7f) === 'webm' ? 'video/webm' : null;
  }
  return null;
}

/** MPEG audio frame header: 11 sync bits, then a version, a layer, a bitrate and a rate that are not reserved. */
function mpegFrame(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0xff || (bytes[1]! & 0xe0) !== 0xe0) return false;
  const version = (bytes[1]! >> 3) & 0x03;
  const layer = (bytes[1]! >> 1) & 0x03;
  const bitrate = bytes[2]! >> 4;
  const rate = (bytes[2]! >> 2) & 0x03;
  return version !== 1 && layer !== 0 && bitrate !== 0x0f && rate !== 0x03;
}

// Bytes that never occur in text (WHATWG MIME sniffing's "binary data bytes"): NUL and the other C0 controls
// except tab, line feed, form feed, carriage return and escape.
const isBinaryByte = (b: number) => b <= 0x08 || b === 0x0b || (b >= 0x0e && b <= 0x1a) || (b >= 0x1c && b <= 0x1f);

// Markup a browser would render or run if it ever treated the file as a page (anywhere in the window; text that
// merely starts with "<" is refused separately).
const ACTIVE_TEXT = /<\s*(script|html|svg|iframe|!doctype|\?xml)\b/i;

/**
 * Plain text: valid UTF-8 (a sequence cut by the sniffing window is fine), none of the binary bytes, and nothing
 * that reads as markup (HTML, SVG, XML) or as a script (`#!`).
 */
function plainText(bytes: Uint8Array, complete: boolean): boolean {
  const window = bytes.subarray(0, SNIFF_BYTES);
  for (const b of window) if (isBinaryByte(b)) return false;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(window, {
      stream: !complete || bytes.length > SNIFF_BYTES,
    });
  } catch {
    return false;
  }
  const start = text.replace(/^\uFEFF/, '').trimStart();
  return !start.startsWith('<') && !start.startsWith('#!') && !ACTIVE_TEXT.test(text);
}

/**
 * The type of a file from its first bytes (`head`, up to SNIFF_BYTES of it; `complete` when that is the whole file),
 * or null when it is not one we accept. `name` only tells apart the three legacy Office formats, which share one
 * container (OLE2) whose streams would need a full parser; any other name on an OLE2 file (an .msi installer is one)
 * is refused.
 */
export function sniff(head: Uint8Array, name: string, complete: boolean): AttachmentType | null {
  const type = detect(head, name, complete);
  return type && (ATTACHMENT_TYPES as readonly string[]).includes(type) ? type : null;
}

function detect(head: Uint8Array, name: string, complete: boolean): AttachmentType | null {
  if (head.length === 0) return null;
  if (ascii(head, 0, 5) === '%PDF-') return 'application/pdf';
  if (startsWith(head, PNG)) return 'image/png';
  if (startsWith(head, JPEG)) return 'image/jpeg';
  if (ascii(head, 0, 6) === 'GIF87a' || ascii(head, 0, 6) === 'GIF89a') return 'image/gif';
  if (ascii(head, 0, 4) === 'RIFF' && head.length >= 12) {
    const form = ascii(head, 8, 4);
    return form === 'WEBP' ? 'image/webp' : form === 'WAVE' ? 'audio/wav' : null;
  }
  if (ascii(head, 0, 4) === 'OggS') return 'audio/ogg';
  if (startsWith(head, EBML)) return webm(head);
  if (startsWith(head, ZIP_LOCAL)) return ooxml(head);
  if (startsWith(head, OLE2)) {
    const extension = extensionOf(name);
    if (extension === 'doc') return 'application/msword';
    if (extension === 'xls') return 'application/vnd.ms-excel';
    if (extension === 'ppt') return 'application/vnd.ms-powerpoint';
    return null;
  }
  const boxed = ftyp(head);
  if (boxed) return boxed;
  // ID3v2 tag: "ID3", a major version 2–4, then a revision that is never 0xFF.
  const id3 = ascii(head, 0, 3) === 'ID3' && head[3]! >= 2 && head[3]! <= 4 && head[4] !== 0xff;
  if (id3 || mpegFrame(head)) return 'audio/mpeg';
  return plainText(head, complete) ? 'text/plain' : null;
}

/** The file name extensions each type may carry when saved; the first is the one added when the name has none. */
export const EXTENSIONS: Record<AttachmentType, readonly string[]> = {
  'application/pdf': ['pdf'],
  'image/png': ['png'],
  'image/jpeg': ['jpg', 'jpeg', 'jpe', 'jfif'],
  'image/gif': ['gif'],
  'image/webp': ['webp'],
  'image/heic': ['heic', 'heif'],
  'text/plain': ['txt', 'text', 'log', 'md', 'csv'],
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': ['docx'],
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': ['xlsx'],
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': ['pptx'],
  'application/msword': ['doc'],
  'application/vnd.ms-excel': ['xls'],
  'application/vnd.ms-powerpoint': ['ppt'],
  'audio/mpeg': ['mp3'],
  'audio/wav': ['wav'],
  'audio/ogg': ['ogg', 'oga', 'opus'],
  'audio/mp4': ['m4a'],
  'video/mp4': ['mp4', 'm4v'],
  'video/webm': ['webm'],
  'video/quicktime': ['mov', 'qt'],
};

/** The name with an extension that matches its type, so that "notes.bat" holding text is saved as "notes.bat.txt". */
export function withExtension(name: string, type: AttachmentType, maxLength: number): string {
  const allowed = EXTENSIONS[type];
  if (allowed.includes(extensionOf(name))) return name;
  const suffix = `.${allowed[0]}`;
  return [...name].slice(0, maxLength - suffix.length).join('') + suffix;
}
