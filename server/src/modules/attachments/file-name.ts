/** Upload names are shown to other people and handed to their operating systems: keep them plain text. */

export const NAME_MAX_LENGTH = 200;
export const FALLBACK_NAME = 'attachment';

// C0 and C1 controls (line breaks would split a header) and the bidi controls that can make "gpj.exe" read as
// "exe.jpg" (embeddings, overrides, isolates, and the implicit marks).
const isControl = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f);
const isBidi = (c: number) =>
  (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0x200e || c === 0x200f || c === 0x061c;

/** The name a client sent, made inert: no path, no control or bidi characters, trimmed, capped, never empty. */
export function inertName(raw: string | undefined): string {
  const cleaned = [...(raw ?? '').normalize('NFC')]
    .filter((ch) => !isControl(ch.codePointAt(0)!) && !isBidi(ch.codePointAt(0)!))
    .join('');
  const base = cleaned.split(/[/\\]/).pop()!.trim();
  const capped = [...base].slice(0, NAME_MAX_LENGTH).join('').trim();
  // "." and ".." name directories, not files.
  return /^\.*$/.test(capped) ? FALLBACK_NAME : capped;
}

/** RFC 5987 value characters: encodeURIComponent leaves ' ( ) * as they are, which attr-char does not allow. */
const encodeRfc5987 = (value: string) =>
  encodeURIComponent(value).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/**
 * `attachment` with a quoted ASCII fallback (non-ASCII, quotes, backslashes and percent signs replaced) for old
 * clients and the exact name as `filename*` (RFC 6266) for the others.
 */
export function contentDisposition(name: string): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/gu, '_');
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encodeRfc5987(name)}`;
}
