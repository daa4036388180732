import { Command, CommanderError, Option } from 'commander';
import { registerBackupCommands } from './backup-commands';
import { registerRestoreCommands } from './restore-commands';
import { AppError } from '../../shared/ipc/result';
import { reportError, VERSION } from './cli-context';
import { registerDecryptCommand } from './decrypt-command';
import { registerDestinationCommands } from './destination-commands';
import { registerEnvCommands } from './env-commands';
import { registerJobCommands } from './job-commands';
import { registerKeyCommands } from './key-commands';
import { registerKitCommands } from './kit-commands';
import { registerNotifyCommands } from './notify-commands';
import { registerProfileCommands } from './profile-commands';
import { registerQuickstartCommand } from './quickstart-command';
import { registerRetentionCommands } from './retention-commands';
import { registerServeCommand } from './serve-command';
import { registerScheduleCommands } from './schedule-commands';
import { registerDaemonCommand } from './daemon-command';
import { registerSettingsCommands } from './settings-commands';
import { registerSourceCommands } from './source-commands';
import { registerSystemCommands } from './system-commands';

export function buildProgram(): Command {
  const program = new Command('vaultdesk')
    .description('Database backups a DBA can trust.')
    .version(VERSION)
    .option('--data-dir <dir>', 'configuration folder (default: VAULTDESK_DATA_DIR or the OS app-data folder)')
    .option('--master-key-file <file>', 'master key file, for hosts without an OS keychain (or set VAULTDESK_MASTER_KEY)')
    .option('--verbose', 'log debug messages to stderr, as JSON lines')
    .addOption(new Option('--log-format <format>', 'warnings on stderr as sentences (text) or JSON lines (json)').choices(['text', 'json']).default('text'))
    .showHelpAfterError()
    .exitOverride();
  registerEnvCommands(program);
  registerSourceCommands(program);
  registerDestinationCommands(program);
  registerProfileCommands(program);
  registerJobCommands(program);
  registerBackupCommands(program);
  registerRestoreCommands(program);
  registerRetentionCommands(program);
  registerDecryptCommand(program);
  registerKitCommands(program);
  registerKeyCommands(program);
  registerSystemCommands(program);
  registerSettingsCommands(program);
  registerScheduleCommands(program);
  registerDaemonCommand(program);
  registerNotifyCommands(program);
  registerQuickstartCommand(program);
  registerServeCommand(program);
  return program;
}

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
    // Help and version exit 0; usage errors were already printed by commander.
    process.exitCode = error.exitCode === 0 ? 0 : 2;
  } else if (error instanceof AppError) {
    // An option's value refused while parsing (a port, an age): said like any other error.
    reportError(error, process.argv.includes('--json'));
  } else {
    throw error;
  }
}
