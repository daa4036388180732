import path from 'node:path';
import type { Command } from 'commander';
import { systemCountsWords } from '../../shared/domain/system';
import { action, fileToWrite, readStdinSecret, secretFrom } from './cli-context';
import { emit } from './output';

interface PassphraseOptions {
  passphraseStdin?: boolean;
  passphraseEnv?: string;
}

/** From --passphrase-stdin or --passphrase-env, or else standard input: the file is useless without one. */
async function passphraseOf(o: PassphraseOptions): Promise<string> {
  return (await secretFrom('system backup passphrase', { stdin: o.passphraseStdin, env: o.passphraseEnv })) ?? readStdinSecret('system backup passphrase');
}


export function registerSystemCommands(program: Command): void {
  const system = program.command('system').description('system backup: the whole configuration, credentials included, as one passphrase-encrypted file');

  system
    .command('export')
    .description('write environments, sources, destinations, encryption profiles, jobs, settings and pins, with every secret, to one age file encrypted to a passphrase')
    .requiredOption('-o, --out <file>', 'the file to write (created with mode 0600)')
    .option('--passphrase-stdin', 'read the passphrase from standard input (the default)')
    .option('--passphrase-env <var>', 'read the passphrase from this environment variable')
    .option('--json', 'print JSON ({ path, bytes, counts })')
    .action(
      action(async (core, o: PassphraseOptions & { out: string; json?: boolean }) => {
        const passphrase = await passphraseOf(o);
        const r = await core.call('system:export', { path: fileToWrite(o.out), passphrase });
        emit(o.json, r, () => {
          process.stdout.write(`Wrote the system backup ${r.path}: ${systemCountsWords(r.counts)}.\n`);
          process.stdout.write(
            'It holds every stored password, key and identity, encrypted to the passphrase: keep it apart from the backups and the passphrase apart from it. Import it with: vaultdesk system import FILE\n',
          );
        });
      }),
    );

  system
    .command('import <file>')
    .description('recreate a system backup in this data dir, its secrets sealed under this data dir\'s master key; an empty data dir only, unless --merge')
    .option('--passphrase-stdin', 'read the passphrase from standard input (the default)')
    .option('--passphrase-env <var>', 'read the passphrase from this environment variable')
    .option('--merge', 'into a data dir that has a configuration: add what is not there, leave out (and list) whatever has a name used here, change nothing')
    .option('--json', 'print JSON ({ path, exportedAt, appVersion, merged, counts, skipped, settings })')
    .action(
      action(async (core, file: string, o: PassphraseOptions & { merge?: boolean; json?: boolean }) => {
        const passphrase = await passphraseOf(o);
        const r = await core.call('system:import', { path: path.resolve(file), passphrase, merge: o.merge === true });
        emit(o.json, r, () => {
          process.stdout.write(`Imported ${systemCountsWords(r.counts)} from ${r.path} (written ${r.exportedAt} by Vaultdesk ${r.appVersion}).\n`);
          if (r.settings === 'imported') process.stdout.write('The global settings (webhook, concurrency, tool paths, paused schedules) were taken from it too.\n');
          for (const s of r.skipped) process.stdout.write(`left out ${s.kind} "${s.name}": ${s.reason}\n`);
          if (r.counts.jobs > 0) process.stdout.write('Test the sources and destinations from this machine (vaultdesk source test, vaultdesk destination test) before the first scheduled run.\n');
        });
      }),
    );
}
