import { Command, Option } from 'commander';
import { VERSION } from './cli-context';
import { registerBackupCommands } from './backup-commands';
import { registerDaemonCommand } from './daemon-command';
import { registerDecryptCommand } from './decrypt-command';
import { registerDestinationCommands } from './destination-commands';
import { registerEnvCommands } from './env-commands';
import { registerJobCommands } from './job-commands';
import { registerKeyCommands } from './key-commands';
import { registerKitCommands } from './kit-commands';
import { registerNotifyCommands } from './notify-commands';
import { registerProfileCommands } from './profile-commands';
import { registerQuickstartCommand } from './quickstart-command';
import { registerRestoreCommands } from './restore-commands';
import { registerRetentionCommands } from './retention-commands';
import { registerScheduleCommands } from './schedule-commands';
import { registerServeCommand } from './serve-command';
import { registerSettingsCommands } from './settings-commands';
import { registerSourceCommands } from './source-commands';
import { registerSystemCommands } from './system-commands';
import { reportUsageErrorsAsValues } from './usage-errors';

/** Every command of `vaultdesk`, without running one: main.ts parses the command line with it. */
export function buildProgram(): Command {
  const program = new Command('vaultdesk')
    .description('Database backups a DBA can trust.')
    .version(VERSION)
    .option('--data-dir <dir>', 'configuration folder (default: VAULTDESK_DATA_DIR or the OS app-data folder)')
    .option('--master-key-file <file>', 'master key file, for hosts without an OS keychain (or set VAULTDESK_MASTER_KEY)')
    .option('--verbose', 'log debug messages to stderr, as JSON lines')
    .addOption(new Option('--log-format <format>', 'warnings on stderr as sentences (text) or JSON lines (json)').choices(['text', 'json']).default('text'))
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
  reportUsageErrorsAsValues(program);
  return program;
}
