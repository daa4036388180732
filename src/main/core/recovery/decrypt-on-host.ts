import { existsSync, statSync } from 'node:fs';
import type { RecoveryDecryptDto, RecoveryDecryptProgressDto } from '../../../shared/domain/recovery';
import { AppError } from '../../../shared/ipc/result';
import type { RecoveryDecrypt } from '../../../shared/ipc/schemas';
import { readKeyFile } from './decrypt-keys';
import { decryptOffline } from './offline-decrypt';

export interface HostDecryptDeps {
  /** Where 7-Zip is looked for. */
  toolEnv: Record<string, string | undefined>;
  onProgress: (progress: RecoveryDecryptProgressDto) => void;
  /** Milliseconds, for spacing progress reports. */
  now: () => number;
}

/** A report at most this often: a window redraws a bar, it does not need every 64 KiB chunk. */
const PROGRESS_EVERY_MS = 250;

/**
 * `recovery:decrypt`: what `vaultdesk decrypt` does, for a window. The file, the key material and
 * the output are all on the machine Vaultdesk runs on; none of the data dir's profiles is used, so
 * this proves a kit or identity file works as it would after a reinstall. Every failure of the
 * file or the keys keeps its kind (`details.failure`) and leaves nothing at `out`.
 */
export async function decryptOnHost(input: RecoveryDecrypt, deps: HostDecryptDeps): Promise<RecoveryDecryptDto> {
  if (!input.identity && input.passphrase === undefined) {
    throw new AppError('VALIDATION_FAILED', 'Give an identity file or recovery kit, or the passphrase the file was encrypted to.', { field: 'identity' });
  }
  // decryptBackupFile's rename would replace it; a DBA's file is not ours to overwrite.
  if (existsSync(input.out)) {
    throw new AppError('VALIDATION_FAILED', `${input.out} already exists: Vaultdesk never replaces a file. Choose another name, or move that file away first.`, { field: 'out' });
  }
  const keyFiles = input.identity ? [readKeyFile(input.identity)] : [];
  let total = 0;
  try {
    total = statSync(input.file).size;
  } catch {
    // decryptOffline says why the file cannot be read.
  }
  let last = 0;
  const result = await decryptOffline({
    file: input.file,
    output: { path: input.out },
    keyFiles,
    passphrase: input.passphrase,
    decompress: input.decompress,
    toolEnv: deps.toolEnv,
    onProgress: (bytes) => {
      const now = deps.now();
      if (now - last < PROGRESS_EVERY_MS && bytes < total) return;
      last = now;
      deps.onProgress({ file: input.file, bytes, total });
    },
  });
  return {
    path: input.out,
    bytes: result.bytesOut,
    bytesIn: result.bytesIn,
    openedWith: result.openedWith,
    format: result.format,
    decompressed: input.decompress ? result.compression : 'none',
    verifiedAgainstManifest: result.verifiedAgainstManifest,
  };
}
