import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run admin:dev` proxies the API to a service started with `npm start` (default port 3000).
const api = process.env.ADMIN_API_URL ?? 'http://127.0.0.1:3000';

/**
 * .gz copies of the scripts and styles, which @fastify/static (preCompressed) sends to browsers
 * that accept gzip: the service compresses nothing itself. (Brotli at its best setting would
 * save another ~17 % but takes ~10 s of build time.)
 */
function precompress(): Plugin {
  return {
    name: 'shop-console-precompress',
    apply: 'build',
    generateBundle(_options, bundle) {
      for (const file of Object.values(bundle)) {
        if (!/\.(js|css)$/.test(file.fileName)) continue;
        const source = file.type === 'chunk' ? file.code : file.source;
        const bytes = typeof source === 'string' ? Buffer.from(source) : Buffer.from(source);
        this.emitFile({ type: 'asset', fileName: `${file.fileName}.gz`, source: gzipSync(bytes, { level: 9 }) });
      }
    },
  };
}

/** The staff console: built into dist/admin by `npm run build`, served by the service at /admin. */
export default defineConfig({
  root,
  base: '/admin/',
  publicDir: false,
  build: {
    outDir: fileURLToPath(new URL('../dist/admin', import.meta.url)),
    emptyOutDir: true,
    // Source maps stay out of the served files; the bundle is read in the browser's devtools as it is.
    sourcemap: false,
    chunkSizeWarningLimit: 2000,
    reportCompressedSize: false,
    rolldownOptions: {
      // MUI and react-router mark their modules "use client" (for React Server Components): meaningless in a browser bundle.
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  plugins: [precompress()],
  server: { proxy: { '/v1': api } },
  oxc: { jsx: { runtime: 'automatic' } },
});
