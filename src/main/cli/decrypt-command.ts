import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../shared/ipc/result';
import type { DecryptFailureKind } from '../core/recovery/offline-decrypt';
import { hostToolEnv } from '../host/host-paths';
import { collect, fileToWrite, reportError, secretFrom } from './cli-context';
import { stdoutSink } from './output';

/** One exit code per way a decryption can fail, so a script can tell them apart (2: invalid input, 1: anything else). */
export const DECRYPT_EXIT_CODES: Record<DecryptFailureKind, number> = {
  'not-age': 3,
  'wrong-key': 4,
  'kit-no-match': 5,
  'kit-passphrase': 6,
  truncated: 7,
  tampered: 8,
};

const EXIT_HELP = `
Exit codes:
    0  decrypted; the output is complete
    1  another failure (the file is missing, the output cannot be written ...)
    2  invalid input (a missing passphrase, a file that is not an identity or a kit ...)
    3  the file is not an age file (nor a 7-Zip archive)
    4  wrong key: the identity files or the passphrase do not open the file
    5  nothing in the recovery kit opens the file (no identity; for a .7z
       file, no 7-Zip passphrase)
    6  wrong passphrase for the recovery kit or the passphrase-protected identity
    7  the file is truncated
    8  the file was modified (or does not match the manifest beside it)
  130  cancelled (Ctrl-C, or SIGTERM)
With -o, nothing is left at the output path unless the exit code is 0, and
nothing decrypted is left beside it either (unless the process is killed with SIGKILL).

Examples:
  vaultdesk decrypt shop.dump.zst.age -i vaultdesk-kit.zip --passphrase-stdin -o shop.dump
  vaultdesk decrypt shop.dump.zst.age -i team.txt -o shop.dump
  vaultdesk decrypt shop.dump.7z --passphrase-stdin -o shop.dump
  vaultdesk decrypt shop.dump.7z -i vaultdesk-kit.zip --passphrase-stdin -o shop.dump
  vaultdesk decrypt shop.dump.7z --passphrase-stdin --7z /opt/7zip/7zz -o shop.dump
`;

/** No data dir, no master key, no keychain: only the backup file and an identity, a kit or a passphrase. */
export function registerDecryptCommand(program: Command): void {
  program
    .command('decrypt')
    .description('decrypt (and decompress) a downloaded backup offline with an identity file, a recovery kit or a passphrase; needs no Vaultdesk data dir')
    .argument('<file>', 'the backup file (.age, or .7z)')
    .option('-i, --identity <file>', 'an age identity file, a passphrase-protected identity (.age) or a recovery kit (.zip; for a .7z file, its 7-Zip passphrases are tried in turn); repeatable', collect)
    .option('--passphrase-stdin', 'read a passphrase from standard input: it unwraps the kit or identity given with -i; without -i it is the passphrase the file was encrypted to (age or 7-Zip)')
    .option('--passphrase-env <var>', 'the same, from this environment variable')
    .option('-o, --output <file>', 'where to write the result (default: standard output, if it is not a terminal)')
    .option('--no-decompress', 'keep the compressed bytes (.zst, .gz)')
    .option('--7z <program>', 'the 7-Zip (22 or newer) that opens a .7z backup (default: 7zz, 7z or 7za found on the PATH)')
    .addHelpText('after', EXIT_HELP)
    .action(async (file: string, o: { identity?: string[]; passphraseStdin?: boolean; passphraseEnv?: string; output?: string; decompress: boolean; '7z'?: string }) => {
      // Ctrl-C or SIGTERM: the decrypted part written so far is removed before the process ends.
      const cancel = new AbortController();
      const onSignal = (): void => cancel.abort();
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      try {
        if (!o.identity?.length && !o.passphraseStdin && !o.passphraseEnv) throw new AppError('VALIDATION_FAILED', 'Give an identity file or recovery kit (-i FILE), or --passphrase-stdin.');
        if (!o.output && process.stdout.isTTY) throw new AppError('VALIDATION_FAILED', 'Refusing to write a backup to the terminal: give -o FILE or redirect standard output.');
        const [{ decryptOffline }, { readKeyFile }] = await Promise.all([import('../core/recovery/offline-decrypt'), import('../core/recovery/decrypt-keys')]);
        const keyFiles = (o.identity ?? []).map((f) => readKeyFile(path.resolve(f)));
        const passphrase = await secretFrom('passphrase', { stdin: o.passphraseStdin, env: o.passphraseEnv });
        const result = await decryptOffline({
          file: path.resolve(file),
          output: o.output ? { path: fileToWrite(o.output) } : { stream: stdoutSink() },
          keyFiles,
          passphrase,
          decompress: o.decompress,
          toolEnv: hostToolEnv(process.env),
          // Relative to the working directory, as -i and -o are.
          ...(o['7z'] ? { sevenZipPath: path.resolve(o['7z']) } : {}),
          sevenZipSetting: 'decrypt-option',
          signal: cancel.signal,
        });
        const decompressed = o.decompress && result.compression !== 'none' ? ` (${result.compression} decompressed)` : '';
        const checked = result.verifiedAgainstManifest
          ? '; sha256 matches the manifest'
          : result.format === 'age'
            ? "; no manifest beside the file, so only age's own authentication was checked"
            : "; no manifest beside the file, so only 7-Zip's own checks were made";
        process.stderr.write(`Decrypted ${result.bytesIn} bytes into ${result.bytesOut}${decompressed} with ${result.openedWith}${checked}.\n`);
      } catch (error) {
        reportError(error, false);
        const { decryptFailureKind } = await import('../core/recovery/offline-decrypt');
        const kind = decryptFailureKind(error);
        if (kind) process.exitCode = DECRYPT_EXIT_CODES[kind];
        else if (error instanceof AppError && error.code === 'CANCELLED') process.exitCode = 130;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
      }
    });
}
