// `npm run size`: gzip sizes of what a page downloads for each widget, against budgets. Run after `npm run build`.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parseAst } from 'rollup/parseAst';

const DIST = 'dist/sdk/v1';
const LOADER = 'ct.js';
const KB = 1024;

/**
 * Each row is what must be downloaded before something works: the loader plus the named chunks and everything they
 * import statically. A new widget is one more line, e.g. `{ label: 'loader + messages', chunks: ['messages'], budget: 34 * KB }`.
 * Rows with `after` are fetched later (lazily) and count only what `after` did not already download.
 */
const ROWS = [
  { label: 'loader', chunks: [], budget: 3 * KB },
  // Was 14 KB, with 17 bytes to spare; the two directory elements' entries in the loader's registry (about 20 bytes
  // gzip each, on every page) took it to 14,372 bytes. The form itself did not grow.
  { label: 'loader + contact-us', chunks: ['contact-us'], budget: 14.5 * KB },
  { label: 'contact-us validation (lazy)', chunks: ['contact-us.validation'], after: 'loader + contact-us' },
  // Fetched only when the server answers 428 challenge_required (a practice under a flood): altcha-lib's solver.
  { label: 'contact-us proof of work (lazy)', chunks: ['contact-us.challenge'], after: 'loader + contact-us' },
  { label: 'loader + messages', chunks: ['messages'], budget: 34 * KB },
  { label: 'messages live, after sign-in (lazy)', chunks: ['live'], after: 'loader + messages' },
  { label: 'messages validation (lazy)', chunks: ['messages.validation'], after: 'loader + messages' },
  // Measured 19.1 KB: Lit and the shared styles ~7 KB, <ct-device-check> ~7 KB (mostly its troubleshooting text, shared
  // with the video room), the page itself ~5 KB. No zod, socket.io or janus.js; the margin is for wording, not libraries.
  { label: 'loader + av-test', chunks: ['av-test'], budget: 22 * KB },
  // The video room: Lit, the device check, janus.js (~25 KB gzip) and webrtc-adapter (~8 KB). DESIGN.md estimated
  // janus.js + adapter at about 32 KB; the rest is ours.
  { label: 'loader + video-room', chunks: ['video-room'], budget: 60 * KB },
  { label: 'ring watcher, after sign-in (lazy)', chunks: ['ring-watch'], after: 'loader + messages' },
  // Measured 18.4 KB: Lit and the shared client ~13 KB, the directory ~4 KB. No zod (the answer is not parsed here).
  { label: 'loader + directory', chunks: ['directory'], budget: 20 * KB },
  // Fetched when a card's Contact Us is first opened: the form's own chunk, the same one the loader fetches.
  { label: 'directory Contact Us form (lazy)', chunks: ['contact-us'], after: 'loader + directory' },
  // Measured 13.8 KB: mostly what Contact Us has too (Lit, the client), so a page with both downloads it once.
  { label: 'loader + practice-card', chunks: ['practice-card'], budget: 16 * KB },
  { label: 'practice card Contact Us form (lazy)', chunks: ['contact-us'], after: 'loader + practice-card' },
  // The provider console is our own page, not embedded on practice sites; its budget is ours, not an issue's.
  { label: 'loader + inbox (console)', chunks: ['inbox'], budget: 40 * KB },
  // Opened by some members only, so fetched on first use: admins' Settings (with zod, for the protocol's own checks),
  // the Appointments tab, and the booking form of a client's profile.
  { label: 'console settings (lazy)', chunks: ['settings-pane'], after: 'loader + inbox (console)' },
  // The protocol's checks for the settings forms (zod), fetched once Settings opens; the server checks the same.
  { label: 'console settings validation (lazy)', chunks: ['settings.validation'], after: 'console settings (lazy)' },
  { label: 'console appointments (lazy)', chunks: ['appointments-pane'], after: 'loader + inbox (console)' },
  { label: 'console booking form (lazy)', chunks: ['book-appointment'], after: 'loader + inbox (console)' },
  // The Home view: a summary per practice and My Network (its threads open in the console's own thread pane).
  { label: 'console home and My Network (lazy)', chunks: ['home-pane'], after: 'loader + inbox (console)' },
];

const gzipSize = (code) => gzipSync(code, { level: 9 }).length;
const kb = (bytes) => `${(bytes / KB).toFixed(1)} KB`;

function chunkFile(name) {
  // rollup.config.mjs names chunks `chunks/[name]-[hash].js` with an 8-character hex hash.
  const pattern = new RegExp(`^${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}-[0-9a-f]{8}\\.js$`);
  const found = readdirSync(join(DIST, 'chunks')).filter((file) => pattern.test(file));
  if (found.length !== 1) throw new Error(`expected one chunk named ${name} in ${DIST}/chunks, found ${found.length}`);
  return posix.join('chunks', found[0]);
}

/** The file and, transitively, every module it imports statically (dynamic imports are fetched later, if ever). */
function withStaticImports(file, seen = new Set()) {
  if (seen.has(file)) return seen;
  seen.add(file);
  for (const node of parseAst(readFileSync(join(DIST, file), 'utf8')).body) {
    const source =
      node.type === 'ImportDeclaration' ||
      node.type === 'ExportAllDeclaration' ||
      node.type === 'ExportNamedDeclaration'
        ? node.source?.value
        : undefined;
    if (typeof source === 'string' && source.startsWith('.')) {
      withStaticImports(posix.normalize(posix.join(posix.dirname(file), source)), seen);
    }
  }
  return seen;
}

async function litReference() {
  const result = await build({
    stdin: { contents: "export * from 'lit';", resolveDir: process.cwd(), loader: 'js' },
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform: 'browser',
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0].contents;
  return { min: code.length, gzip: gzipSize(code) };
}

if (!existsSync(join(DIST, LOADER))) {
  console.error(`${relative(process.cwd(), join(DIST, LOADER))} is missing: run \`npm run build\` first.`);
  process.exit(1);
}

const downloaded = new Map();
const table = [];
let over = false;
for (const row of ROWS) {
  const files = new Set();
  for (const start of [LOADER, ...row.chunks.map(chunkFile)]) withStaticImports(start, files);
  downloaded.set(row.label, files);
  const already = row.after ? downloaded.get(row.after) : new Set();
  const counted = [...files].filter((file) => !already.has(file));
  const sources = counted.map((file) => readFileSync(join(DIST, file)));
  const min = sources.reduce((sum, code) => sum + code.length, 0);
  // Files travel separately, so each is compressed on its own.
  const gzip = sources.reduce((sum, code) => sum + gzipSize(code), 0);
  const status = row.budget === undefined ? 'lazy' : gzip <= row.budget ? 'OK' : 'OVER';
  over ||= status === 'OVER';
  table.push([
    row.label,
    `${row.after ? '+' : ''}${counted.length}`,
    kb(min),
    kb(gzip),
    row.budget === undefined ? '-' : kb(row.budget),
    status,
  ]);
}

const lit = await litReference();
table.push(['reference: lit alone (esbuild, minified)', '-', kb(lit.min), kb(lit.gzip), '-', '-']);

const header = ['entry', 'files', 'minified', 'gzip -9', 'budget', 'status'];
const widths = header.map((title, i) => Math.max(title.length, ...table.map((cells) => cells[i].length)));
const line = (cells) =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
console.log(`SDK sizes in ${relative(process.cwd(), DIST) || '.'} (1 KB = 1024 bytes)\n`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const cells of table) console.log(line(cells));
console.log(`\nChunks: ${[...new Set([...downloaded.values()].flatMap((files) => [...files]))].join(', ')}`);
if (over) {
  console.error('\nOver budget.');
  process.exit(1);
}
