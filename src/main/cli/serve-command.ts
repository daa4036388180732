import type { Command } from 'commander';
import { fileURLToPath } from 'node:url';
import { openCore, parseInteger, reportError, type GlobalOptions } from './cli-context';

/** The CLI runs only as built (out/main/cli.js, see bin/vaultdesk.mjs), beside out/renderer. */
export const DEFAULT_RENDERER_DIR = fileURLToPath(new URL('../renderer', import.meta.url));

export function registerServeCommand(program: Command): void {
  program
    .command('serve')
    .description('serve the Vaultdesk UI and API to a browser on this machine (loopback, with a per-start token)')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--port <port>', 'port (0 picks a free one)', parseInteger('port'), 0)
    .action(async (o: { host: string; port: number }, command: Command) => {
      const globals = command.optsWithGlobals<GlobalOptions>();
      try {
        const { startServeBridge } = await import('../serve/serve-bridge');
        const core = await openCore(globals);
        const bridge = await startServeBridge({ core, rendererDir: DEFAULT_RENDERER_DIR, host: o.host, port: o.port, log: core.log });
        process.stdout.write(`Vaultdesk is serving at ${bridge.url}\n`);
        if (bridge.host !== '127.0.0.1' && bridge.host !== 'localhost' && bridge.host !== '::1') {
          process.stderr.write(`warning: listening on ${bridge.host}, beyond this machine; anyone with the URL's token can use it.\n`);
        }
        const stop = (): void => {
          void bridge.close().then(() => {
            core.close();
            process.exit(0);
          });
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      } catch (error) {
        reportError(error, false);
      }
    });
}
