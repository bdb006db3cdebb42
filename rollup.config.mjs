import { nodeResolve } from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';

/** The SDK: /sdk/v1/ct.js is the only stable URL; every chunk is content-hashed so it can be cached forever. */
export default {
  input: 'widget/src/ct.ts',
  output: {
    dir: 'dist/sdk/v1',
    format: 'es',
    entryFileNames: 'ct.js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    // Hex keeps chunk names predictable for scripts/size.mjs (`contact-us-<8 hex>.js`).
    hashCharacters: 'hex',
  },
  treeshake: {
    // The protocol package declares no `sideEffects`; it has none, and saying so lets a chunk that needs one
    // schema skip the modules defining the others.
    moduleSideEffects: (id) => !id.includes('/packages/protocol/'),
  },
  onwarn(warning, warn) {
    // zod's own sources trip these two (a misplaced /*@__PURE__*/, a core <-> util import cycle); harmless, not ours.
    const id = warning.id ?? warning.ids?.[0] ?? '';
    if (id.includes('/node_modules/') && ['INVALID_ANNOTATION', 'CIRCULAR_DEPENDENCY'].includes(warning.code)) return;
    warn(warning);
  },
  plugins: [nodeResolve({ browser: true }), esbuild({ target: 'es2022', minify: true, tsconfig: 'tsconfig.json' })],
};
