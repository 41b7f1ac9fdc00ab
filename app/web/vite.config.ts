import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/**
 * The API `npm run dev:web` sends `/api`, `/auth` and `/ws` to: a running `akmatori serve`
 * (`npm start`), http://localhost:8080 unless AKMATORI_API_URL says otherwise.
 */
const api = process.env.AKMATORI_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  plugins: [vue()],
  build: {
    target: 'es2022',
    // Served by the API from app/web/dist; nothing is inlined, so the page's CSP needs no
    // data: scripts.
    assetsInlineLimit: 0,
    reportCompressedSize: true,
    // For bench/web/first-page-size.mjs (what each page loads); not served: a dot directory.
    manifest: true,
  },
  server: {
    port: 5173,
    strictPort: true,
    proxy: {
      '/api': { target: api, changeOrigin: true },
      '/auth': { target: api, changeOrigin: true },
      '/ws': { target: api, changeOrigin: true, ws: true },
    },
  },
});
