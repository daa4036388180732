import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { KitContentsDto, KitStanding } from '../../shared/domain/recovery';
import { DB_FILE } from '../core/paths';
import { action, collect, fileToWrite, reportError, resolveDataDir, secretFrom } from './cli-context';
import { emit, printTable } from './output';
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

  kit
    .command('show <file>')
    .description("list a recovery kit's profiles (names and public keys; no passphrase needed) and what kit import would do with each here; works before any data dir exists")
    .option('--json', 'print JSON ({ path, passphraseProtected, exportedAt, appVersion, profiles: [{ name, recipient, fingerprint, created, extraRecipients, standing, profile }] })')
    .action(async (file: string, o: { json?: boolean }, command: Command) => {
      const kitPath = path.resolve(file);
      const dataDir = resolveDataDir(command.optsWithGlobals());
      // A rebuilt machine may have the kit and nothing else: no data dir, perhaps no keychain.
      // Opening a core would ask for a master key, or make a data dir, to read a zip.
      if (!existsSync(path.join(dataDir, DB_FILE))) {
        try {
          const { kitContents } = await import('../core/recovery/kit-import');
          showKit(o.json, kitContents(kitPath, []), `There is no Vaultdesk data dir at ${dataDir} yet: kit import makes one and imports every profile.`);
        } catch (error) {
          reportError(error, o.json === true);
        }
        return;
      }
      await action(async (core) => showKit(o.json, await core.call('recovery:inspectKit', { path: kitPath }), null))(command);
    });

  kit
    .command('import <file>')
    .description("make an encryption profile of each identity in a recovery kit (under the kit's names), so this install opens the backups they made: after a new install, or a data dir lost with its key")
    .option('--profile <name>', "a profile of the kit to import, by its name in the kit (repeatable; default: all)", collect)
    .option('--passphrase-stdin', 'the passphrase the kit was exported with, from standard input')
    .option('--passphrase-env <var>', 'the same, from this environment variable')
    .option('--json', 'print JSON ({ path, passphraseProtected, created, present, clashes })')
    .action(
      action(async (core, file: string, o: { profile?: string[]; passphraseStdin?: boolean; passphraseEnv?: string; json?: boolean }) => {
        const passphrase = await secretFrom('kit passphrase', { stdin: o.passphraseStdin, env: o.passphraseEnv });
        const r = await core.call('recovery:importKit', { path: path.resolve(file), passphrase, profiles: o.profile });
        emit(o.json, r, () => {
          if (r.created.length > 0) {
            const names = r.created.map((p) => `"${p.name}"`).join(', ');
            process.stdout.write(`Imported ${r.created.length === 1 ? 'profile' : 'profiles'} ${names} from the recovery kit ${r.path}: the backups made with ${r.created.length === 1 ? 'it' : 'them'} restore, verify and drill here.\n`);
          } else {
            process.stdout.write(`Imported nothing from the recovery kit ${r.path}.\n`);
          }
          for (const p of r.present) process.stdout.write(`already here: "${p.name}" of the kit is profile "${p.profile}" (the same recipient).\n`);
          for (const c of r.clashes) {
            process.stdout.write(`left out: "${c.name}" of the kit (${c.recipient}): profile "${c.profile}" here has that name and another recipient. Rename it (vaultdesk profile rename "${c.profile}" NEW-NAME), then import the kit again.\n`);
          }
        });
        if (r.clashes.length > 0 && r.created.length === 0 && r.present.length === 0) process.exitCode = 1;
      }),
    );
}

function showKit(json: boolean | undefined, r: KitContentsDto, note: string | null): void {
  emit(json, r, () => {
    const when = r.exportedAt.slice(0, 16).replace('T', ' ');
    process.stdout.write(`Recovery kit ${r.path}, exported ${when} UTC by Vaultdesk ${r.appVersion}, ${r.passphraseProtected ? 'protected by a passphrase' : 'not passphrase-protected'}.\n`);
    printTable(
      ['PROFILE', 'FINGERPRINT', 'EXTRA RECIPIENTS', 'ON IMPORT'],
      r.profiles.map((p) => [p.name, p.fingerprint, p.extraRecipients.length, onImport(p.standing, p.profile)]),
    );
    if (note) process.stdout.write(`${note}\n`);
  });
}

/** What `kit import` would do with one of the kit's profiles here, in the words its own output uses. */
function onImport(standing: KitStanding, profile: string | null): string {
  if (standing === 'present') return `already here, as profile "${profile}"`;
  if (standing === 'clash') return `left out: profile "${profile}" here has the name and another recipient`;
  return 'imported';
}
