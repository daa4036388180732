import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../shared/ipc/result';
import { collect, readStdinSecret, readUserFile, reportError } from './cli-context';

/** No data dir, no master key: only the backup file and an identity (or passphrase). */
export function registerDecryptCommand(program: Command): void {
  program
    .command('decrypt')
    .description('decrypt (and decompress) a downloaded backup offline, with an age identity file; needs no Vaultdesk data dir')
    .argument('<file>', 'the backup file (.age)')
    .option('-i, --identity <file>', 'identity file with AGE-SECRET-KEY-1... lines (repeatable)', collect)
    .option('--passphrase-stdin', 'the file was encrypted to a passphrase: read it from standard input')
    .option('-o, --output <file>', 'where to write the result (default: standard output, if it is not a terminal)')
    .option('--no-decompress', 'keep the compressed bytes (.zst, .gz)')
    .action(async (file: string, o: { identity?: string[]; passphraseStdin?: boolean; output?: string; decompress: boolean }) => {
      try {
        if (!o.identity?.length && !o.passphraseStdin) throw new AppError('VALIDATION_FAILED', 'Give an identity file (-i FILE) or --passphrase-stdin.');
        if (!o.output && process.stdout.isTTY) throw new AppError('VALIDATION_FAILED', 'Refusing to write a backup to the terminal: give -o FILE or redirect standard output.');
        const keys = o.passphraseStdin ? { passphrase: await readStdinSecret('passphrase') } : { identityText: o.identity!.map((f) => readUserFile(f, 'identity file', 'identity')) };
        const { decryptBackupFile } = await import('../core/pipeline/offline-decrypt');
        const result = await decryptBackupFile(path.resolve(file), o.output ? { path: path.resolve(o.output) } : { stream: process.stdout }, { keys, decompress: o.decompress });
        process.stderr.write(
          `Decrypted ${result.bytesIn} bytes into ${result.bytesOut}${o.decompress && result.compression !== 'none' ? ` (${result.compression} decompressed)` : ''}${result.verifiedAgainstManifest ? '; sha256 matches the manifest' : '; no manifest beside the file, so only age\'s own authentication was checked'}.\n`,
        );
      } catch (error) {
        reportError(error, false);
      }
    });
}
