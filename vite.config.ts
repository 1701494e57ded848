import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { fileURLToPath } from 'node:url';

// The renderer runs under a strict CSP: no inline scripts, no eval. The built page carries the same
// policy in a meta tag so browser mode is held to what Electron enforces.
const CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'";

function cspMeta(): Plugin {
  return {
    name: 'relay-desk-csp',
    apply: 'build',
    transformIndexHtml: (html) => html.replace('<meta charset="UTF-8" />', `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CSP}" />`),
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('./renderer', import.meta.url)),
  base: './',
  plugins: [react(), cspMeta()],
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
  server: { port: 5173, proxy: { '/trpc': 'http://127.0.0.1:4873' } },
});
