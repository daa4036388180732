import { cpSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * The store resolves `./migrations` next to the module that holds db.ts. The main process is
 * bundled into one file, out/main/index.js, so the SQL files must sit in out/main/migrations.
 */
function copyMigrations(): Plugin {
  const from = resolve(root, 'src/main/core/store/migrations');
  return {
    name: 'vaultdesk:copy-migrations',
    apply: 'build',
    writeBundle(options) {
      const to = resolve(options.dir ?? resolve(root, 'out/main'), 'migrations');
      const files = readdirSync(from).filter((f) => f.endsWith('.sql'));
      for (const file of files) cpSync(resolve(from, file), resolve(to, file));
    },
  };
}

/**
 * The production CSP forbids inline scripts; the dev server's React refresh preamble is one,
 * and HMR talks over ws://. Only `electron-vite dev` gets the relaxed policy.
 */
function devCsp(): Plugin {
  return {
    name: 'vaultdesk:dev-csp',
    apply: 'serve',
    transformIndexHtml(html) {
      return html
        .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
        .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*");
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyMigrations()],
    build: {
      externalizeDeps: true,
      rolldownOptions: {
        // index: the Electron main process. cli: the `vaultdesk` command (bin/vaultdesk.mjs runs it),
        // which must never import electron. pipeline-worker: the backup pipeline's worker thread,
        // which worker-client.ts loads from beside itself.
        input: {
          index: resolve(root, 'src/main/index.ts'),
          cli: resolve(root, 'src/main/cli/main.ts'),
          'pipeline-worker': resolve(root, 'src/main/core/pipeline/worker.ts'),
        },
        // Shared chunks sit beside the entries, not in chunks/: modules that find files from
        // import.meta.url (./migrations, ./pipeline-worker.js, ../renderer) land in whichever
        // chunk the bundler picks, and must see the same folder from all of them.
        output: { chunkFileNames: '[name]-[hash].js' },
      },
    },
  },
  preload: {
    build: {
      // Sandboxed preloads run without a module loader: one self-contained CommonJS file.
      externalizeDeps: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(root, 'src/renderer'),
    plugins: [react(), devCsp()],
    build: { outDir: resolve(root, 'out/renderer') },
  },
});
