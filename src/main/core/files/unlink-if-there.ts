import { unlink } from 'node:fs/promises';
import { errnoOf } from './fs-errors';

/**
 * Removes a file that may already be gone. Not `rm({ force: true })`: a file it may not unlink, it
 * retries as a folder, and its error then speaks of a failed scandir instead of the unlink refused.
 */
export async function unlinkIfThere(file: string): Promise<void> {
  try {
    await unlink(file);
  } catch (error) {
    if (errnoOf(error) !== 'ENOENT') throw error;
  }
}
