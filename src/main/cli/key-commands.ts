import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { action, fileToWrite, readStdinSecret, readUserFile } from './cli-context';
import { emit, printRecord } from './output';

export function registerKeyCommands(program: Command): void {
  const key = program.command('key').description('the master key that encrypts every stored secret');

  key
    .command('status')
    .description('where the master key is kept, and its fingerprint')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const s = await core.call('keys:status', {});
        emit(o.json, s, () => printRecord({ state: s.state, 'kept in': s.location, fingerprint: s.fingerprint, message: s.message }));
      }),
    );

  key
    .command('export')
    .description('print the master key (base64) on stdout, or write it to a 0600 file; the fingerprint goes to stderr')
    .option('--out <file>', 'write to this file (created with mode 0600)')
    .option('--json', 'print JSON ({ key, fingerprint } on stdout, or { path, fingerprint } with --out)')
    .action(
      action(async (core, o: { out?: string; json?: boolean }) => {
        if (o.out) {
          const r = await core.call('keys:export', { path: fileToWrite(o.out) });
          emit(o.json, r, () => process.stdout.write(`Wrote the master key to ${r.path} (fingerprint ${r.fingerprint}). Keep it somewhere safe, apart from the backups.\n`));
          return;
        }
        // The contract never hands the key out: it is written to a private file, read back and removed.
        const dir = mkdtempSync(path.join(tmpdir(), 'vaultdesk-key-'));
        try {
          const r = await core.call('keys:export', { path: path.join(dir, 'master.key') });
          const raw = readFileSync(r.path, 'utf8').trim();
          if (o.json) {
            process.stdout.write(`${JSON.stringify({ key: raw, fingerprint: r.fingerprint })}\n`);
            return;
          }
          process.stdout.write(`${raw}\n`);
          process.stderr.write(`fingerprint ${r.fingerprint}\n`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
    );

  key
    .command('import')
    .description('put back an exported master key (from stdin or --file); it must match this data dir')
    .option('--file <file>', 'read the key from this file instead of stdin')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { file?: string; json?: boolean }) => {
        const text = o.file ? readUserFile(o.file, 'key file', 'file') : await readStdinSecret('master key (base64)');
        const r = await core.call('keys:import', { key: text });
        emit(o.json, r, () => process.stdout.write(`Imported the master key (fingerprint ${r.fingerprint}).\n`));
      }),
    );

  key
    .command('move-to-keychain')
    .description('move the master key into the OS keychain once one can be reached, from the key file kept beside the data dir (which is then removed)')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const { moveKeyToKeychain } = await import('../host/open-host-core');
        const r = await moveKeyToKeychain(core);
        emit(o.json, r, () =>
          process.stdout.write(
            r.removed
              ? `Moved the master key (fingerprint ${r.fingerprint}) into the OS keychain and removed ${r.removed}. Later starts take it from the keychain.\n`
              : `Copied the master key (fingerprint ${r.fingerprint}) from the ${r.from} into the OS keychain. Start Vaultdesk without --master-key-file or VAULTDESK_MASTER_KEY to use it; the original was left where it is.\n`,
          ),
        );
      }),
    );

  key
    .command('rotate')
    .description('new master key; every secret re-encrypted in one transaction')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const r = await core.call('keys:rotate', {});
        emit(o.json, r, () => process.stdout.write(`Rotated the master key: ${r.secretsReencrypted} secrets re-encrypted, new fingerprint ${r.fingerprint}. Export it again (vaultdesk key export) if you keep a copy.\n`));
      }),
    );

  key
    .command('reset')
    .description('give up on a lost master key: new key, every stored secret dropped (re-enter credentials afterwards)')
    .requiredOption('--yes', 'confirm that every stored password, key and identity will be dropped')
    .option('--json', 'print JSON')
    .action(
      action(async (core, o: { json?: boolean }) => {
        const r = await core.call('keys:reset', { confirm: 'RESET' });
        emit(o.json, r, () =>
          process.stdout.write(`New master key ${r.fingerprint}; ${r.secretsCleared} stored secrets were dropped. Re-enter the credentials of your sources and destinations.\n`),
        );
      }),
    );
}
