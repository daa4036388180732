import { existsSync, statSync } from 'node:fs';
import type { RecoveryDecryptDto, RecoveryDecryptProgressDto } from '../../../shared/domain/recovery';
import { AppError } from '../../../shared/ipc/result';
import type { RecoveryDecrypt } from '../../../shared/ipc/schemas';
import type { Logger } from '../logger';
import { runInWorker } from '../pipeline/worker-client';
import type { WorkerDecryptRequest } from '../pipeline/worker-protocol';
import { readKeyFile } from './decrypt-keys';
import type { OfflineDecryptOutcome } from './offline-decrypt';

export interface HostDecryptDeps {
  /** Where 7-Zip is looked for. */
  toolEnv: Record<string, string | undefined>;
  /** 7-Zip's path as set in Settings. */
  sevenZipPath?: string;
  onProgress: (progress: RecoveryDecryptProgressDto) => void;
  /** Milliseconds, for spacing progress reports. */
  now: () => number;
  /** The built pipeline worker, which does the decryption; the one beside the core when absent. */
  workerFile?: URL;
  /** Where the worker's own log lines go (an unexpected failure's stack). */
  log?: Logger;
}

/** A report at most this often: a window redraws a bar, it does not need every 64 KiB chunk. */
const PROGRESS_EVERY_MS = 250;

/**
 * `recovery:decrypt`: what `vaultdesk decrypt` does, for a window. The file, the key material and
 * the output are all on the machine Vaultdesk runs on; none of the data dir's profiles is used, so
 * this proves a kit or identity file works as it would after a reinstall. Every failure of the
 * file or the keys keeps its kind (`details.failure`) and leaves nothing at `out`. The file is
 * read, decrypted and written in the pipeline worker: a large backup would otherwise hold the
 * host's event loop (the window's bridge, the scheduler) for its whole decryption.
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
  const result = await decryptInWorker(
    { file: input.file, output: { path: input.out }, keyFiles, passphrase: input.passphrase, decompress: input.decompress, toolEnv: deps.toolEnv, sevenZipPath: deps.sevenZipPath },
    deps,
    (bytes) => {
      const now = deps.now();
      if (now - last < PROGRESS_EVERY_MS && bytes < total) return;
      last = now;
      deps.onProgress({ file: input.file, bytes, total });
    },
  );
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

/** decryptOffline, in the pipeline worker; its errors are thrown here with their code, message and details (the failure's kind). */
async function decryptInWorker(request: WorkerDecryptRequest, { workerFile, log }: HostDecryptDeps, onBytes: (bytes: number) => void): Promise<OfflineDecryptOutcome> {
  const result = await runInWorker<OfflineDecryptOutcome | AppError>(
    { kind: 'decrypt', request },
    {
      // recovery:decrypt has no cancel: the signal never fires.
      signal: new AbortController().signal,
      cancelGraceMs: 0,
      file: workerFile,
      role: 'decryption',
      log,
      cancelMessage: 'The decryption was cancelled.',
      onMessage: (message) => {
        if (message.type === 'bytes') onBytes(message.bytesRead);
        else if (message.type === 'finished') {
          const { result } = message;
          if (!result.ok) return { outcome: AppError.fromPayload(result.error) };
          return { outcome: result.data.kind === 'decrypted' ? result.data.outcome : new AppError('INTERNAL', 'The worker answered a decryption with a restore.') };
        }
        return undefined;
      },
      failed: ({ code, message }) => new AppError(code, message),
    },
  );
  if (result instanceof AppError) throw result;
  return result;
}
