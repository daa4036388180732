import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import type { Core } from '../core/create-core';
import { openCore, parseInteger, reportError, type GlobalOptions } from './cli-context';

/** The CLI runs only as built (out/main/cli.js, see bin/vaultdesk.mjs), beside out/renderer. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the Vaultdesk UI and API to a browser (loopback unless --host says otherwise, with a per-start token)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', parseInteger('--port'), 0)
    .option('--public-url <url>', 'the address browsers use when it is not the bound one (a TLS proxy, a port forward), e.g. https://backup.example.com')
    .option('--key-file-fallback', 'where no OS keychain can be reached and no key is given, keep a new data dir\'s master key in a file beside it (what npm start does)')
    .action(async (o: { host: string; port: number; publicUrl?: string; keyFileFallback?: boolean }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      let core: Core | null = null;
      try {
        const { isLoopback, startServeBridge } = await import('../serve/serve-bridge');
        core = await openCore(globals, 'serve', { keyFileFallback: o.keyFileFallback ? 'create' : 'use' });
        const bridge = await startServeBridge({ core, rendererDir: DEFAULT_RENDERER_DIR, host: o.host, port: o.port, publicUrl: o.publicUrl, log: core.log });
        const open = core;
        process.stdout.write(`Vaultdesk is serving at ${bridge.url}\n`);
        if (!isLoopback(bridge.host)) {
          process.stderr.write(`warning: listening on ${bridge.host}, beyond this machine; anyone with the URL's token can use it.\n`);
        }
        // Every signal is answered, as by the daemon: left to Node's default, a second Ctrl-C while the
        // cancelled runs record their end and run their post-run hooks would kill serve outright, its
        // runs left "running" and their .partial files behind.
        let stopping = false;
        const stop = (): void => {
          if (stopping) {
            process.stderr.write('already stopping: cancelled backups are recording their end and running their post-run hooks\n');
            return;
          }
          stopping = true;
          void Promise.all([bridge.close(), open.shutdown('vaultdesk serve was stopped')]).finally(() => process.exit(0));
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      } catch (error) {
        core?.close();
        reportError(error, false);
      }
    });
}
