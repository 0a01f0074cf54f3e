/**
 * The web app's build: web/ → web/dist, served by the q2c server at / (src/api/web.ts). `npm run
 * dev:web` proxies /v1 to a server on :3000 so the app can be worked on with hot reload.
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = new URL('.', import.meta.url).pathname;

export default defineConfig({
  root,
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // no inline scripts or styles: the server's Content-Security-Policy allows this origin only
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
  },
  server: { proxy: { '/v1': 'http://127.0.0.1:3000', '/portal': 'http://127.0.0.1:3000' } },
});
