import commonjs from '@rollup/plugin-commonjs';
import { nodeResolve } from '@rollup/plugin-node-resolve';
import { rmSync } from 'node:fs';
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
  plugins: [
    {
      // Chunks carry content hashes, so every build names new files: start from an empty folder.
      name: 'clean-output',
      buildStart: () => rmSync('dist/sdk/v1', { recursive: true, force: true }),
    },
    {
      // engine.io-client's package.json maps its Node transports to browser ones through the "browser" field,
      // which node-resolve does not apply to relative imports inside the package: without this, the socket chunk
      // bundles Node code and fails in browsers with "require is not defined".
      name: 'engine.io-client-browser',
      async resolveId(source, importer, options) {
        if (!importer?.includes('/engine.io-client/') || !/\.node\.js$/.test(source)) return null;
        return this.resolve(source.replace(/\.node\.js$/, '.js'), importer, { ...options, skipSelf: true });
      },
    },
    nodeResolve({ browser: true }),
    // webrtc-adapter (in the video chunk only) imports `sdp`, which is published as CommonJS alone.
    commonjs({ include: /node_modules\/sdp\// }),
    esbuild({ target: 'es2022', minify: true, tsconfig: 'tsconfig.json' }),
  ],
};
