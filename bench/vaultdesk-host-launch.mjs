// Starts bench/vaultdesk-host.ts with tsx registered on this thread only. With `node --import tsx`
// the flag is in process.execArgv, which every worker inherits: the pipeline worker then loads
// the built out/main/pipeline-worker.js through tsx's loader, which the app and the CLI never do,
// and its start-up is measured slower than theirs. Hooks registered with register() stay on
// this thread.
import { register } from 'tsx/esm/api';

register();
await import('./vaultdesk-host.ts');
