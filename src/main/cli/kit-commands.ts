import type { Command } from 'commander';
import { action, collect, fileToWrite, secretFrom } from './cli-context';
import { emit } from './output';
import { profileId } from './resolve';

export function registerKitCommands(program: Command): void {
  const kit = program.command('kit').description('recovery kits: the age identities that open your backups, for when Vaultdesk is gone');

  kit
    .command('export')
    .description('write a recovery kit zip (identities, keys.json, a README on decrypting with age, zstd and the database tools); it is tested before it is written')
    .option('--profile <profile>', 'an age profile to put in, by name or id (repeatable; default: every age profile)', collect)
    .requiredOption('-o, --out <file>', 'the zip to write (created with mode 0600)')
    .option('--passphrase-stdin', "wrap each identity with a passphrase read from standard input (age's scrypt encryption, which age -d unwraps)")
    .option('--passphrase-env <var>', 'the same, from this environment variable')
    .option('--json', 'print JSON ({ path, passphraseProtected, bytes, profiles, skipped })')
    .action(
      action(async (core, o: { profile?: string[]; out: string; passphraseStdin?: boolean; passphraseEnv?: string; json?: boolean }) => {
        const profileIds = o.profile ? await Promise.all(o.profile.map((p) => profileId(core, p))) : undefined;
        const passphrase = await secretFrom('kit passphrase', { stdin: o.passphraseStdin, env: o.passphraseEnv });
        const r = await core.call('recovery:exportKit', { path: fileToWrite(o.out), profileIds, passphrase });
        emit(o.json, r, () => {
          const names = r.profiles.map((p) => `"${p.name}"`).join(', ');
          process.stdout.write(
            `Wrote the recovery kit ${r.path} with the identit${r.profiles.length === 1 ? 'y' : 'ies'} of ${names}${r.passphraseProtected ? ', each protected by the passphrase' : ''}; it opened a test file for each before it was written.\n`,
          );
          for (const s of r.skipped) process.stderr.write(`note: profile "${s.name}" is not in the kit: its identity was dropped when the master key was reset.\n`);
          process.stdout.write(
            r.passphraseProtected
              ? 'Keep it offline and apart from the backups, and the passphrase apart from it: README.txt inside says how to decrypt a backup with it.\n'
              : 'Anyone holding it can read those backups: keep it offline and apart from them. README.txt inside says how to decrypt a backup with it.\n',
          );
        });
      }),
    );
}
