import { mkdir, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { DestinationDto, DestinationSavedDto } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { formatDuration, withDeadline } from '../deadline';
import { describeFsError, errnoOf, FolderNotCreatableError } from '../files/fs-errors';
import { STORED_FOLDER_MODE } from './stored-modes';

/**
 * `save`, with a local destination's folder made first when the save gives it a new path (`before`:
 * the destination as stored, null for a new one), and removed again (while empty) when the save
 * fails, as when its test does not pass.
 */
export async function saveWithLocalRoot(dto: DestinationDto, before: DestinationDto | null, deadlineMs: number, save: () => DestinationDto | Promise<DestinationDto>): Promise<DestinationSavedDto> {
  const moved = before === null || before.config.kind !== 'local' || dto.config.kind !== 'local' || path.resolve(before.config.path) !== path.resolve(dto.config.path);
  const made = moved ? await makeLocalRoot(dto, deadlineMs) : null;
  try {
    const saved = await save();
    return made === null ? saved : { ...saved, createdFolder: made };
  } catch (error) {
    await unmakeLocalRoot(made);
    throw error;
  }
}

/**
 * Makes a local destination's folder when the destination is saved with it (added, or its path
 * changed): the DBA's explicit choice, unlike a run, which never makes it (local-destination.ts).
 * Only the last folder is made, under a parent that exists: a path whose parent is missing too
 * is more likely a typo or a share that is not mounted than a folder to make on this disk.
 * Returns the folder it made, or null when there was one already; a local folder otherwise, or
 * a failure, is an AppError on the `path` field. Other kinds: null.
 */
async function makeLocalRoot(dto: DestinationDto, deadlineMs: number): Promise<string | null> {
  if (dto.config.kind !== 'local') return null;
  const root = path.resolve(dto.config.path);
  const silent = (): AppError =>
    new AppError('DESTINATION_UNREACHABLE', `Folder ${root} did not answer within ${formatDuration(deadlineMs)}: the disk or network share holding it has stopped responding. Check that it is mounted and reachable.`, {
      field: 'path',
      path: root,
      problem: 'not-answering',
    });
  return withDeadline(makeRoot(root, dto.name), deadlineMs, silent);
}

/** Undoes makeLocalRoot when the save it was for failed (its test did not pass): only while the folder is empty. */
async function unmakeLocalRoot(made: string | null): Promise<void> {
  if (made !== null) await rmdir(made).catch(() => undefined);
}

async function makeRoot(root: string, name: string): Promise<string | null> {
  try {
    return await makeUnder(root);
  } catch (error) {
    if (error instanceof AppError) throw error;
    const d = describeFsError(error, { path: root });
    throw new AppError('DESTINATION_WRITE_FAILED', `Destination "${name}" cannot be saved: ${d.words}.`, { field: 'path', path: root, problem: d.problem });
  }
}

async function makeUnder(root: string): Promise<string | null> {
  const parent = path.dirname(root);
  const kind = await kindOf(root);
  if (kind === 'folder') return null;
  if (kind === 'other') throw new AppError('VALIDATION_FAILED', `${root} is not a folder. Give the destination a folder.`, { field: 'path', path: root, reason: 'root-not-folder' });
  const parentKind = await kindOf(parent);
  if (parentKind === 'other') throw new AppError('VALIDATION_FAILED', `${parent} is a file, not a folder: the destination's folder cannot be made in it.`, { field: 'path', path: root, reason: 'root-not-folder' });
  if (parentKind === 'missing') {
    throw new AppError(
      'VALIDATION_FAILED',
      `The folder ${root} does not exist, nor its parent ${parent}. Vaultdesk makes only the last folder of a destination's path, so that a typo or a share that is not mounted never becomes a folder on the disk underneath: create ${parent}, or mount the disk or share it is on.`,
      { field: 'path', path: root, reason: 'root-missing' },
    );
  }
  try {
    await mkdir(root, { mode: STORED_FOLDER_MODE });
    return root;
  } catch (error) {
    // Made meanwhile (another save, another process): not ours to remove later.
    if (errnoOf(error) === 'EEXIST' && (await kindOf(root)) === 'folder') return null;
    // The parent exists, so ENOENT means the kernel takes no new folder there (/proc, /sys).
    throw errnoOf(error) === 'ENOENT' ? new FolderNotCreatableError(root, parent) : error;
  }
}

async function kindOf(p: string): Promise<'folder' | 'other' | 'missing'> {
  try {
    return (await stat(p)).isDirectory() ? 'folder' : 'other';
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return 'missing';
    throw error;
  }
}
