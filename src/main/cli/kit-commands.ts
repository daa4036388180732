import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { KitContentsDto, KitExportDto, KitProfileKind, KitStanding } from '../../shared/domain/recovery';
import { DB_FILE } from '../core/paths';
import { action, collect, fileToWrite, reportError, resolveDataDir, secretFrom } from './cli-context';
import { emit, printTable } from './output';
import { profileId } from './resolve';

export function registerKitCommands(program: Command): void {
  const kit = program.command('kit').description('recovery kits: the age identities and 7-Zip passphrases that open your backups, for when Vaultdesk is gone');

  kit
    .command('export')
    .description('write a recovery kit zip (age identities, 7-Zip passphrases, keys.json, a README on decrypting with age, 7-Zip, zstd and the database tools); it is tested before it is written')
    .option('--profile <profile>', 'a profile to put in (age or 7-Zip), by name or id (repeatable; default: every profile)', collect)
    .requiredOption('-o, --out <file>', 'the zip to write (created with mode 0600)')
    .option('--passphrase-stdin', "wrap each identity and 7-Zip passphrase with a passphrase read from standard input (age's scrypt encryption, which age -d unwraps)")
    .option('--passphrase-env <var>', 'the same, from this environment variable')
    .option('--json', 'print JSON ({ path, passphraseProtected, bytes, profiles: [{ id, name, kind, recipient, fingerprint }], sevenZipTestedWith, skipped })')
    .action(
      action(async (core, o: { profile?: string[]; out: string; passphraseStdin?: boolean; passphraseEnv?: string; json?: boolean }) => {
        const profileIds = o.profile ? await Promise.all(o.profile.map((p) => profileId(core, p))) : undefined;
        const passphrase = await secretFrom('kit passphrase', { stdin: o.passphraseStdin, env: o.passphraseEnv });
        const r = await core.call('recovery:exportKit', { path: fileToWrite(o.out), profileIds, passphrase });
        emit(o.json, r, () => {
          process.stdout.write(`Wrote the recovery kit ${r.path} with ${kitHolds(r)}${r.passphraseProtected ? ', each protected by the passphrase' : ''}; ${kitProof(r)}.\n`);
          for (const s of r.skipped) process.stderr.write(`note: profile "${s.name}" is not in the kit: its identity or passphrase was dropped when the master key was reset.\n`);
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
    .description("list a recovery kit's profiles (names, kinds and public keys; no passphrase needed) and what kit import would do with each here; works before any data dir exists")
    .option('--json', 'print JSON ({ path, passphraseProtected, exportedAt, appVersion, profiles: [{ name, kind, recipient, fingerprint, created, extraRecipients, standing, profile }] })')
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
    .description("make an encryption profile of each identity and 7-Zip passphrase in a recovery kit (under the kit's names), so this install opens the backups they made: after a new install, or a data dir lost with its key")
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
          for (const p of r.present) process.stdout.write(`already here: "${p.name}" of the kit is profile "${p.profile}" (the same ${p.kind === '7z' ? '7-Zip passphrase' : 'recipient'}).\n`);
          for (const c of r.clashes) {
            const key = c.kind === '7z' ? 'a 7-Zip profile' : c.recipient;
            const other = c.kind === '7z' ? 'another passphrase or kind' : 'another recipient';
            process.stdout.write(`left out: "${c.name}" of the kit (${key}): profile "${c.profile}" here has that name and ${other}. Rename it (vaultdesk profile rename "${c.profile}" NEW-NAME), then import the kit again.\n`);
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
      ['PROFILE', 'KIND', 'FINGERPRINT', 'EXTRA RECIPIENTS', 'ON IMPORT'],
      r.profiles.map((p) => [p.name, p.kind, p.fingerprint ?? '-', p.kind === 'age' ? p.extraRecipients.length : '-', onImport(p.standing, p.profile, p.kind)]),
    );
    if (note) process.stdout.write(`${note}\n`);
  });
}

/** What `kit import` would do with one of the kit's profiles here, in the words its own output uses. */
function onImport(standing: KitStanding, profile: string | null, kind: KitProfileKind): string {
  if (standing === 'present') return `already here, as profile "${profile}"`;
  if (standing === 'clash') return `left out: profile "${profile}" here has the name and ${kind === '7z' ? 'another passphrase or kind' : 'another recipient'}`;
  if (standing === 'unsure') return `already here if 7-Zip profile "${profile}" has the same passphrase, else left out (known once the kit's passphrase unwraps it)`;
  return 'imported';
}

/** `the identities of "a", "b" and the 7-Zip passphrase of "c"` */
function kitHolds(r: KitExportDto): string {
  const names = (kind: KitProfileKind): string[] => r.profiles.filter((p) => p.kind === kind).map((p) => `"${p.name}"`);
  const ages = names('age');
  const sevenZips = names('7z');
  return [ages.length > 0 ? `the identit${ages.length === 1 ? 'y' : 'ies'} of ${ages.join(', ')}` : null, sevenZips.length > 0 ? `the 7-Zip passphrase${sevenZips.length === 1 ? '' : 's'} of ${sevenZips.join(', ')}` : null]
    .filter(Boolean)
    .join(' and ');
}

/** How the kit proved itself: a 7-Zip passphrase opens a test archive only where a 7-Zip was found. */
function kitProof(r: KitExportDto): string {
  const ages = r.profiles.some((p) => p.kind === 'age');
  if (!r.profiles.some((p) => p.kind === '7z')) return 'it opened a test file for each before it was written';
  if (r.sevenZipTestedWith) {
    return `it opened ${ages ? 'a test file for each identity and ' : ''}a test archive made by ${r.sevenZipTestedWith} with each 7-Zip passphrase before it was written`;
  }
  return `${ages ? 'it opened a test file for each identity before it was written, and ' : ''}each 7-Zip passphrase read back from it is the stored one (no 7-Zip was found to open a test archive with it)`;
}
