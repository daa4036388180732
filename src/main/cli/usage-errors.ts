import type { Command, CommanderError } from 'commander';
import { AppError } from '../../shared/ipc/result';

/** What commander ends a parse with when nothing was wrong: help or the version was asked for (or shown for a bare command group). */
const NOT_USAGE_ERRORS = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version', 'commander.executeSubCommandAsync']);

/**
 * A command line commander refuses (a missing option or argument, an unknown option or command,
 * a value outside the choices) is invalid input like any other: VALIDATION_FAILED in the house
 * form (or JSON with --json), exit code 2, with the command whose --help says how to use it,
 * instead of commander's own message and a screen of usage text that scripts cannot match on.
 * Set on every command, since the error must name the one that refused the line.
 */
export function reportUsageErrorsAsValues(program: Command): void {
  for (const command of [program, ...descendants(program)]) {
    command.configureOutput({ outputError: () => undefined }).exitOverride((error) => {
      if (NOT_USAGE_ERRORS.has(error.code)) throw error;
      throw usageError(error, command);
    });
  }
}

function descendants(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...descendants(c)]);
}

function usageError(error: CommanderError, command: Command): AppError {
  const names: string[] = [];
  for (let c: Command | null = command; c; c = c.parent) names.unshift(c.name());
  const help = `${names.join(' ')} --help`;
  // "error: unknown command 'frob'\n(Did you mean job?)" -> one line, as every other error is.
  const said = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').replace(/\.$/, '');
  return new AppError('VALIDATION_FAILED', `${said}. See ${help}.`, { reason: 'usage', usage: error.code.replace(/^commander\./, ''), help });
}
