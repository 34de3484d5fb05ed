import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API prefixes that `npm run dev` forwards to the API on its own port (npm start: 3000). */
const API = process.env.VIGIL_API ?? 'http://localhost:3000';
const proxied = ['/internal', '/auth', '/api', '/oauth', '/status', '/ping', '/healthz'];

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The manifest is what the bundle budget test reads: each route's chunks and their imports.
    manifest: true,
    // No inline module preload polyfill: the CSP allows no inline script.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0,
    target: 'es2022',
  },
  server: {
    port: 5173,
    strictPort: true,
    // The API's cookie is SameSite=Strict and its Origin check allows http://localhost:5173.
    proxy: Object.fromEntries(proxied.map((p) => [p, { target: API, changeOrigin: false }])),
  },
});
