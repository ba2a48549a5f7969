import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));
// `npm run admin:dev` proxies the API to a service started with `npm start` (default port 3000).
const api = process.env.ADMIN_API_URL ?? 'http://127.0.0.1:3000';

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
  server: { proxy: { '/v1': api } },
  oxc: { jsx: { runtime: 'automatic' } },
});
