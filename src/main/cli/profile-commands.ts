import type { Command } from 'commander';
import type { ProfileDto } from '../../shared/domain/dto';
import { AppError } from '../../shared/ipc/result';
import { action, collect, fileToWrite, readUserFile, secretFrom } from './cli-context';
import { emit, printRecord, printTable } from './output';
import { findProfile, profileId } from './resolve';

export function registerProfileCommands(program: Command): void {
  const profile = program.command('profile').description('encryption profiles: age identities, 7-Zip passphrases');

  profile
    .command('create')
    .alias('add')
    .description('create a profile; prints its age recipient')
    .requiredOption('--name <name>', 'a unique name')
    .option('--kind <kind>', 'age (default) or 7z', 'age')
    .option('--recipient <age1...>', 'an extra recipient every backup is also encrypted to, e.g. an offline break-glass key (repeatable)', collect)
    .option('--identity-file <file>', 'import an existing age identity instead of generating one')
    .option('--passphrase-stdin', '7z: read the passphrase from standard input (default: generated)')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { name: string; kind: string; recipient?: string[]; identityFile?: string; passphraseStdin?: boolean; json?: boolean }) => {
        if (o.kind !== 'age' && o.kind !== '7z') throw new AppError('VALIDATION_FAILED', `Unknown profile kind "${o.kind}": use age or 7z.`, { field: 'kind' });
        const created =
          o.kind === 'age'
            ? await core.call('profiles:create', {
                kind: 'age',
                name: o.name,
                extraRecipients: o.recipient ?? [],
                identity: o.identityFile ? firstIdentity(readUserFile(o.identityFile, 'identity file', 'identity-file')) : undefined,
              })
            : await core.call('profiles:create', { kind: '7z', name: o.name, passphrase: await secretFrom('7-Zip passphrase', { stdin: o.passphraseStdin }) });
        emit(o.json, created, () => process.stdout.write(created.recipient ? `${created.recipient}\n` : `Created 7-Zip profile "${created.name}".\n`));
        // On stderr: stdout stays the recipient alone, for scripts.
        if (created.identityOnlyInVaultdesk) process.stderr.write(`note: ${notSavedNote(created)}\n`);
      }),
    );

  profile
    .command('list')
    .description('list profiles, their recipients and whether each identity or generated passphrase is saved outside Vaultdesk')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const list = await core.call('profiles:list', {});
        emit(o.json, list, () =>
          printTable(
            ['NAME', 'KIND', 'RECIPIENT', 'EXTRA RECIPIENTS', 'SECRET', 'JOBS'],
            list.map((p) => [p.name, p.kind, p.recipient, p.extraRecipients.length, secretWords(p), p.jobNames.join(', ')]),
          ),
        );
      }),
    );

  profile
    .command('show')
    .description('one profile')
    .argument('<profile>', 'name or id')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, o: { json?: boolean }) => {
        const p = await findProfile(core, ref);
        emit(o.json, p, () => printRecord({ name: p.name, id: p.id, kind: p.kind, recipient: p.recipient, 'extra recipients': p.extraRecipients, secret: p.hasSecret ? 'stored' : 'missing (key was reset)', [p.kind === '7z' ? 'passphrase' : 'identity']: secretWords(p), jobs: p.jobNames }));
      }),
    );

  profile
    .command('rename')
    .description('give a profile another name; its backups, jobs and recovery kits are not affected (a kit keeps the name it was exported with)')
    .argument('<profile>', 'name or id')
    .argument('<new-name>', 'the new name')
    .option('--json', 'print JSON')
    .action(
      action(async (core, ref: string, newName: string, o: { json?: boolean }) => {
        const p = await core.call('profiles:update', { id: await profileId(core, ref), name: newName });
        emit(o.json, p, () => process.stdout.write(`Renamed profile "${ref}" to "${p.name}".\n`));
      }),
    );

  profile
    .command('export-identity')
    .description("write a profile's secret to a 0600 file: an age identity, for decrypting its backups with the age tool; a 7-Zip passphrase (on the file's last line), for opening its backups with 7-Zip")
    .argument('<profile>', 'name or id')
    .requiredOption('-o, --out <file>', 'the file to write (created with mode 0600)')
    .option('--json', 'print JSON ({ path, kind, recipient }; recipient is null for 7-Zip)')
    .action(
      action(async (core, ref: string, o: { out: string; json?: boolean }) => {
        const r = await core.call('profiles:exportIdentity', { id: await profileId(core, ref), path: fileToWrite(o.out) });
        emit(o.json, r, () =>
          process.stdout.write(
            r.kind === '7z'
              ? `Wrote the passphrase of 7-Zip profile "${ref}" to ${r.path} (its last line; the lines above say how to open a backup with 7-Zip). Keep it apart from the backups: it opens every one of them.\n`
              : `Wrote the identity of profile "${ref}" (recipient ${r.recipient}) to ${r.path}. Keep it apart from the backups: it decrypts every one of them.\n`,
          ),
        );
      }),
    );

  profile
    .command('remove')
    .description('remove a profile no job uses')
    .argument('<profile>', 'name or id')
    .option('--discard-identity', 'remove a profile whose age identity or generated 7-Zip passphrase was never saved outside Vaultdesk (its backups can then never be opened)')
    .action(
      action(async (core, ref: string, o: { discardIdentity?: boolean }) => {
        const profile = await findProfile(core, ref);
        // The core refuses too; here the words name the commands that save it.
        if (profile.identityOnlyInVaultdesk && o.discardIdentity !== true) {
          throw new AppError(
            'VALIDATION_FAILED',
            profile.kind === '7z'
              ? `The passphrase of 7-Zip profile "${profile.name}" was generated by Vaultdesk and never saved outside it: removing the profile would leave every backup made with it impossible to open. Save it first (vaultdesk profile export-identity "${profile.name}" -o FILE), or add --discard-identity if those backups may be lost.`
              : `The identity of profile "${profile.name}" was never saved outside Vaultdesk: removing the profile would leave every backup encrypted to it impossible to decrypt. Save it first (vaultdesk profile export-identity "${profile.name}" -o FILE, or vaultdesk kit export), or add --discard-identity if those backups may be lost.`,
            { field: 'id', reason: 'identity-not-saved' },
          );
        }
        await core.call('profiles:delete', { id: profile.id, discardUnsavedIdentity: o.discardIdentity === true });
        process.stdout.write(`Removed profile "${ref}".\n`);
      }),
    );
}

/** Whether the identity or passphrase exists anywhere but in Vaultdesk, as `profile list` and `show` say it. */
function secretWords(p: ProfileDto): string {
  if (!p.hasSecret) return 'dropped (master key reset)';
  if (p.identityOnlyInVaultdesk) return 'not yet saved outside Vaultdesk';
  if (p.identityExportedAt) return `exported ${p.identityExportedAt.slice(0, 16).replace('T', ' ')} UTC`;
  return p.kind === '7z' ? 'typed in when the profile was made' : 'imported';
}

/** Said once a profile is made with a secret only Vaultdesk holds: who needs it, and the command that saves it. */
function notSavedNote(p: ProfileDto): string {
  const save = `Save it with: vaultdesk profile export-identity ${p.name} -o FILE`;
  return p.kind === '7z'
    ? `the passphrase of 7-Zip profile "${p.name}" was generated and is not yet saved outside Vaultdesk: whoever opens its backups with 7-Zip needs it, and if this data dir or its master key is lost, no one can open them. ${save}`
    : `the identity of profile "${p.name}" is not yet saved outside Vaultdesk: if this data dir or its master key is lost, its backups cannot be decrypted. ${save}`;
}

/** An identity file may hold comments (`# created: ...`, `# public key: ...`) around the key. */
function firstIdentity(text: string): string {
  const line = text.split(/\r?\n/).map((l) => l.trim()).find((l) => l.startsWith('AGE-SECRET-KEY-'));
  if (!line) throw new AppError('VALIDATION_FAILED', 'The identity file holds no AGE-SECRET-KEY-1... line.', { field: 'identity' });
  return line;
}
