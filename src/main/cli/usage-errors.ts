import type { Command, CommanderError } from 'commander';
import { AppError } from '../../shared/ipc/result';
import { commandPath } from './cli-context';

/** What commander ends a parse with when nothing was wrong: help or the version was asked for. */
const NOT_USAGE_ERRORS = new Set(['commander.help', 'commander.helpDisplayed', 'commander.version', 'commander.executeSubCommandAsync']);

/**
 * A command line commander refuses (a missing option or argument, an unknown option or command,
 * a value outside the choices) is invalid input like any other: VALIDATION_FAILED in the house
 * form (or JSON with --json), exit code 2, with the command whose --help says how to use it,
 * instead of commander's own message and a screen of usage text that scripts cannot match on.
 * So is a command group without its command (`vaultdesk backup`) and `help` for a command that
 * does not exist, for which commander prints the group's help as an error. Set on every
 * command, since the error must name the one that refused the line.
 */
export function reportUsageErrorsAsValues(program: Command): void {
  for (const command of [program, ...descendants(program)]) {
    command
      .configureOutput({ outputError: () => undefined })
      .on('beforeHelp', (context: { error: boolean }) => {
        // Help asked for (--help, `help backup`) is not an error; help shown for want of a command is.
        if (context.error) helpInsteadOfAnError(command);
      })
      .exitOverride((error) => {
        // `vaultdesk backup --json`: the group was given nothing but the error's format.
        if (error.code === 'commander.unknownOption' && command.commands.length > 0 && command.args.every((arg) => arg === '--json')) throw missingCommand(command);
        if (NOT_USAGE_ERRORS.has(error.code)) throw error;
        throw usageError(error, command);
      });
  }
}

function descendants(command: Command): Command[] {
  return command.commands.flatMap((c) => [c, ...descendants(c)]);
}

/** Commander shows a group's help as an error for a bare group, and for `help frob` (then with the group's args `help frob`). */
function helpInsteadOfAnError(command: Command): never {
  const [first, unknown] = command.args;
  if (first === 'help' && unknown !== undefined) {
    // The line `vaultdesk frob` is refused the same way, with commander's "(Did you mean job?)".
    command.parse([unknown], { from: 'user' });
  }
  throw missingCommand(command);
}

function missingCommand(command: Command): AppError {
  const help = `${commandPath(command)} --help`;
  // As its help lists them, without commander's own `help`.
  const commands = command
    .createHelp()
    .visibleCommands(command)
    .map((c) => c.name())
    .filter((name) => name !== 'help');
  return new AppError('VALIDATION_FAILED', `${commandPath(command)} needs a command: ${commands.join(', ')}`, {
    reason: 'usage',
    usage: 'missingCommand',
    help,
    commands,
    hint: `run '${help}' for details`,
  });
}

function usageError(error: CommanderError, command: Command): AppError {
  const help = `${commandPath(command)} --help`;
  // "error: unknown command 'frob'\n(Did you mean job?)" -> one line, as every other error is.
  const said = error.message.replace(/^error: /, '').replace(/\s*\n\s*/g, ' ').replace(/\.$/, '');
  return new AppError('VALIDATION_FAILED', `${said}. See ${help}.`, { reason: 'usage', usage: error.code.replace(/^commander\./, ''), help });
}
