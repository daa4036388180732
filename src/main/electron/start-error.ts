import { AppError } from '../../shared/ipc/result';
import { describeFsError } from '../core/files/fs-errors';

/**
 * What the start-up error box says: the core's own words for an AppError (a wrong or missing
 * master key, a store that cannot be opened), the file system's refusal in words for the data
 * folder, and where to look next.
 */
export function startErrorBox(error: unknown, where: { dataDir: string; logFile: string | null }): { title: string; content: string } {
  let message: string;
  if (error instanceof AppError) message = error.message;
  // A system call's refusal (mkdir, open...) carries `syscall` or an errno code; Node's own ERR_* codes do not concern the folder.
  else if (typeof (error as NodeJS.ErrnoException | null)?.syscall === 'string' || /^E[A-Z]+$/.test(String((error as NodeJS.ErrnoException | null)?.code ?? ''))) {
    message = `The data folder cannot be used: ${describeFsError(error, { path: (error as NodeJS.ErrnoException).path ?? where.dataDir }).words}. Fix the folder (its owner and permissions, free space), or start Vaultdesk with --data-dir set to a folder you can write.`;
  } else message = `Vaultdesk failed while starting: ${error instanceof Error ? error.message : String(error)}`;
  const places = [`Data folder: ${where.dataDir}`, ...(where.logFile ? [`Log file: ${where.logFile}`] : [])];
  return { title: 'Vaultdesk cannot start', content: `${message}\n\n${places.join('\n')}` };
}
