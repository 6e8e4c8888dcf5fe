// The web UI's build: web/ -> web/dist, served by `meshlens serve` (src/api/web-ui.ts).
// Everything is bundled (no CDN, no web fonts): meshlens must work on an offline LAN. Maps
// (Leaflet) and charts (uPlot) are imported dynamically by the pages that draw them, so they
// are separate chunks outside the initial JavaScript.
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  publicDir: 'public',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    reportCompressedSize: true,
    chunkSizeWarningLimit: 400,
  },
  server: {
    proxy: { '/api': 'http://localhost:3000', '/ws': { target: 'ws://localhost:3000', ws: true } },
  },
});
