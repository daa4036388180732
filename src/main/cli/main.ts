import { CommanderError } from 'commander';
import { AppError } from '../../shared/ipc/result';
import { reportError } from './cli-context';
import { buildProgram } from './program';

// `vaultdesk run list | head`: a reader that stops early is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw error;
  });
}

try {
  await buildProgram().parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // Help and version exit 0. Usage errors, a bare command group (`vaultdesk backup`) among them, arrive as AppErrors (usage-errors.ts).
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof AppError) {
    // A command line commander refused, or an option's value refused while parsing (a port, an age): said like any other error.
    reportError(error, process.argv.includes('--json'));
  } else {
    throw error;
  }
}
