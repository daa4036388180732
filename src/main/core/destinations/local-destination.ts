import { randomUUID } from 'node:crypto';
import type { WriteStream } from 'node:fs';
import { open, readdir, rm, stat, statfs, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LocalDestinationConfig } from '../../../shared/domain/dto';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';
import { formatDuration, withDeadline } from '../deadline';
import { ensureFolder } from '../files/ensure-folder';
import { describeFsError, NOT_A_NORMAL_FOLDER } from '../files/fs-errors';
import { placeNewAsync } from '../files/place-new';
import type { ConnectionTestResult, DestinationDriver, DriverContext, PutOptions, StoredObject, UnfinishedUpload } from './destination';
import { formatBytes, openPartial, syncFolder, watchSink, Writeback } from './local-files';
import { STORED_FOLDER_MODE } from './stored-modes';
import { assertListPrefix, assertObjectKey, nameTaken, PARTIAL_SUFFIX } from './object-key';
import { ByteCounter, cancelled, FailureOrigin, putFailure } from './upload-stream';

const READ_CHUNK = 1024 * 1024;

export { formatBytes } from './local-files';

/** How long the disk or share may leave one call unanswered (a hung NFS or SMB mount). */
export const LOCAL_CALL_MS = 60_000;

/**
 * A folder on this machine (or a mounted share): `name.partial`, fsync, then put in place without replacing a file (a hard link, or a rename after a look), fsync the folder.
 * Every call on the file system has a deadline: a share that stops answering fails the
 * operation in words instead of holding it for good (the thread stuck in the kernel stays
 * stuck until the share answers or is unmounted; nothing here can free it).
 */
export class LocalDestination implements DestinationDriver {
  readonly #root: string;
  readonly #name: string | undefined;
  readonly #callMs: number;

  constructor(config: LocalDestinationConfig, ctx: DriverContext = {}) {
    this.#root = path.resolve(config.path);
    this.#name = ctx.name;
    this.#callMs = ctx.requestTimeoutMs ?? LOCAL_CALL_MS;
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<{ size: number }> {
    const target = this.#path(assertObjectKey(key));
    const partial = target + PARTIAL_SUFFIX;
    const what = `Writing ${key} to folder ${this.#root}`;
    const origin = new FailureOrigin().watch(body, 'input');
    if (options.signal?.aborted) {
      body.destroy();
      throw cancelled(what);
    }
    let created = false;
    let sink: WriteStream | null = null;
    let unwatch = (): void => undefined;
    try {
      // The root is never made here (a share that is not mounted would leave an empty mount
      // point, and backups would fill the disk underneath); the job's folders below it are.
      await this.#assertRoot();
      await this.#call(ensureFolder(path.dirname(target), { mode: STORED_FOLDER_MODE, within: this.#root }), `creating ${path.dirname(target)}`);
      const handle = await this.#call(openPartial(partial), `creating ${partial}`, (late) => void late.close());
      created = true;
      const counter = new ByteCounter(options.onProgress);
      // flush: fsync before close. The rename is the commit, so the bytes must be on disk first.
      sink = handle.createWriteStream({ flush: true });
      const writeback = new Writeback(handle);
      origin.watch(writeback, 'sink').watch(sink, 'sink');
      // A write stuck in the kernel keeps the file stream (and so the pipeline) from ever
      // settling, whatever is destroyed: the stall is raced against it instead.
      const stuck = sink;
      let stall: (error: AppError) => void = () => undefined;
      const stalled = new Promise<never>((_, reject) => (stall = reject));
      unwatch = watchSink(sink, writeback, this.#callMs, () => {
        const error = this.#silence(`writing ${partial}`);
        stall(error);
        stuck.destroy(error);
      });
      const flowing = pipeline(body, counter, writeback, sink, { signal: options.signal });
      flowing.catch(() => undefined);
      await Promise.race([flowing, stalled]);
      unwatch();
      // Never over a file: another run that took the same name (another install sharing this folder) keeps its backup.
      await this.#call(placeNewAsync(partial, target), `renaming ${partial}`);
      created = false;
      await this.#call(syncFolder(path.dirname(target)), `syncing ${path.dirname(target)}`);
      return { size: counter.bytes };
    } catch (error) {
      unwatch();
      // The stream closes its file asynchronously: let it close before removing what it created
      // (but not for longer than any other call: a share that stopped answering will not close it).
      const open = sink;
      if (open && !open.closed) await this.#call(new Promise<void>((resolve) => open.once('close', () => resolve())), 'closing').catch(() => undefined);
      if (created) await this.#call(rm(partial, { force: true }), `removing ${partial}`).catch(() => undefined);
      if (!body.destroyed) body.destroy();
      // A root that went away meanwhile (unmounted mid-run) is said as such, not as a folder refusing a name.
      if (isCode(error, 'ENOENT') && !(await this.#rootIsFolder())) throw this.#rootMissing();
      throw putFailure(error, { signal: options.signal, origin, what, map: (e) => (isCode(e, 'EEXIST') ? nameTaken(key, `folder ${this.#root}`, { path: this.#root }) : this.#mapError(e, 'write', key, path.dirname(target))) });
    }
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    const file = this.#path(assertObjectKey(key));
    let handle: FileHandle;
    try {
      handle = await this.#call(open(file, 'r'), `opening ${file}`, (late) => void late.close());
      const info = await this.#call(handle.stat(), `reading ${file}`).catch(async (error: unknown) => {
        void handle.close().catch(() => undefined);
        throw error;
      });
      if (!info.isFile()) {
        await handle.close();
        throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
      }
    } catch (error) {
      throw this.#mapError(error, 'read', key, file);
    }
    // Read errors (a failing disk, a share that went away) reach the reader in words too.
    // 1 MiB reads rather than 64 KiB: each chunk goes through the manifest check, age and the
    // decompressor, so fewer of them is less work per byte for restores, verifies and downloads.
    const input = handle.createReadStream({ signal: options.signal, highWaterMark: READ_CHUNK });
    const output = new PassThrough();
    input.once('error', (error: Error) => output.destroy(error.name === 'AbortError' ? new AppError('CANCELLED', `Reading ${key} from folder ${this.#root} was cancelled.`) : this.#mapError(error, 'read', key, file)));
    output.once('close', () => input.destroy());
    return input.pipe(output);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertListPrefix(prefix);
    await this.#assertRoot();
    const folder = prefix.includes('/') ? prefix.slice(0, prefix.lastIndexOf('/')) : '';
    const found: StoredObject[] = [];
    await this.#walk(folder, prefix, found);
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async stat(key: string): Promise<StoredObject | null> {
    const file = this.#path(assertObjectKey(key));
    try {
      const info = await this.#call(stat(file), `reading ${file}`);
      return info.isFile() ? { key, size: info.size, modifiedAt: info.mtime } : null;
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return null;
      throw this.#mapError(error, 'read', key, file);
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.#path(assertObjectKey(key));
    try {
      await this.#call(rm(file, { force: true }), `removing ${file}`);
      await this.#call(syncFolder(path.dirname(file)), `syncing ${path.dirname(file)}`).catch(() => undefined);
    } catch (error) {
      throw this.#mapError(error, 'delete', key, file);
    }
  }

  async discard(key: string): Promise<void> {
    const partial = this.#path(assertObjectKey(key)) + PARTIAL_SUFFIX;
    try {
      await this.#call(rm(partial, { force: true }), `removing ${partial}`);
    } catch (error) {
      throw this.#mapError(error, 'delete', key, partial);
    }
  }

  async listUnfinished(): Promise<UnfinishedUpload[]> {
    await this.#assertRoot();
    const found: StoredObject[] = [];
    await this.#walk('', '', found, true);
    return found.map((f) => ({ key: f.key.slice(0, -PARTIAL_SUFFIX.length), kind: 'partial-file', uploadId: null, since: f.modifiedAt, size: f.size }));
  }

  async test(): Promise<ConnectionTestResult> {
    const probe = path.join(this.#root, `.vaultdesk-probe-${randomUUID()}`);
    let created = false;
    const check = async (): Promise<number> => {
      // As a run finds it: a missing root fails the test (it is made only when the destination is saved, local-root.ts).
      await this.#assertRoot();
      const handle = await open(probe, 'wx').catch((error: unknown) => {
        // The root was just seen, so ENOENT here means a folder that takes no new file (/proc, /sys), not a missing one.
        throw isCode(error, 'ENOENT') ? new AppError('DESTINATION_WRITE_FAILED', `Folder ${this.#root} cannot be used: it exists but does not accept new files (${NOT_A_NORMAL_FOLDER}).`, { path: this.#root, problem: 'not-creatable' }) : error;
      });
      created = true;
      try {
        await handle.writeFile('vaultdesk write test\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rm(probe, { force: true });
      created = false;
      const fs = await statfs(this.#root);
      return fs.bavail * fs.bsize;
    };
    try {
      const free = await this.#call(check(), 'a test write');
      return { success: true, message: `Folder ${this.#root} is writable (${formatBytes(free)} free).` };
    } catch (error) {
      if (created) await this.#call(rm(probe, { force: true }), `removing ${probe}`).catch(() => undefined);
      return { success: false, message: this.#mapError(error, 'test', null, this.#root).message };
    }
  }

  async close(): Promise<void> {}

  #path(key: string): string {
    const full = path.join(this.#root, ...key.split('/'));
    // Belt and braces behind assertObjectKey: whatever the platform's rules, never leave the root.
    if (!full.startsWith(this.#root + path.sep)) throw new AppError('VALIDATION_FAILED', `Refused object name "${key}": it resolves outside the folder ${this.#root}.`, { field: 'key' });
    return full;
  }

  async #assertRoot(): Promise<void> {
    try {
      if (!(await this.#call(stat(this.#root), `reading ${this.#root}`)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (error) {
      if (isCode(error, 'ENOENT')) throw this.#rootMissing();
      if (isCode(error, 'ENOTDIR')) {
        throw new AppError('DESTINATION_UNREACHABLE', `${this.#root}, the folder of ${this.#named()}, is not a folder (a file, or a file on its path). Point the destination at a folder.`, { path: this.#root, reason: 'root-not-folder' });
      }
      throw this.#mapError(error, 'read', null, this.#root);
    }
  }

  async #rootIsFolder(): Promise<boolean> {
    return this.#call(stat(this.#root), `reading ${this.#root}`).then(
      (info) => info.isDirectory(),
      () => false,
    );
  }

  #rootMissing(): AppError {
    return new AppError(
      'DESTINATION_UNREACHABLE',
      `The folder ${this.#root} of ${this.#named()} does not exist. If it is on a disk or share that is not mounted, mount it; Vaultdesk does not create it at backup time, so that backups never land on the disk underneath.`,
      { path: this.#root, reason: 'root-missing', problem: 'missing', ...(this.#name === undefined ? {} : { destination: this.#name }) },
    );
  }

  #named(): string {
    return this.#name === undefined ? 'this destination' : `destination "${this.#name}"`;
  }

  /** `partials`: list only the `.partial` files of unfinished writes, instead of only the objects. */
  async #walk(folder: string, prefix: string, found: StoredObject[], partials = false): Promise<void> {
    const dir = folder === '' ? this.#root : this.#path(folder);
    let entries;
    try {
      entries = await this.#call(readdir(dir, { withFileTypes: true }), `listing ${dir}`);
    } catch (error) {
      // A prefix whose folder does not exist simply holds nothing yet.
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return;
      throw this.#mapError(error, 'read', null, dir);
    }
    for (const entry of entries) {
      const key = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.#walk(key, prefix, found, partials);
      } else if (entry.isFile() && key.startsWith(prefix) && entry.name.endsWith(PARTIAL_SUFFIX) === partials && !entry.name.startsWith('.vaultdesk-probe-')) {
        const info = await this.#call(stat(this.#path(key)), `reading ${this.#path(key)}`).catch((error: unknown) => {
          // Removed meanwhile: not listed. A share that stopped answering: the listing fails.
          if (error instanceof AppError) throw error;
          return null;
        });
        if (info) found.push({ key, size: info.size, modifiedAt: info.mtime });
      }
    }
  }

  /** `work`, or DESTINATION_UNREACHABLE once the file system has left it unanswered for the call deadline; `late` releases what it yields after that. */
  #call<T>(work: Promise<T>, doing: string, late?: (value: T) => void): Promise<T> {
    return withDeadline(work, this.#callMs, () => {
      if (late) work.then(late, () => undefined);
      return this.#silence(doing);
    });
  }

  #silence(doing: string): AppError {
    return new AppError(
      'DESTINATION_UNREACHABLE',
      `Folder ${this.#root} did not answer within ${formatDuration(this.#callMs)} (${doing}): the disk or network share holding it has stopped responding. Check that it is still mounted and reachable; the operation was given up.`,
      { path: this.#root, problem: 'not-answering' },
    );
  }

  /**
   * `at` is the file or folder the failing call worked on; problems of the whole device (full,
   * read-only, failing) are told of the destination folder, which is what the user knows.
   */
  #mapError(error: unknown, op: 'write' | 'read' | 'delete' | 'test', key: string | null, at: string): AppError {
    if (error instanceof AppError) return error;
    const d = describeFsError(error, { path: at, device: this.#root });
    const details = { path: this.#root, ...(key === null ? {} : { key }), problem: d.problem, ...(d.errno ? { errno: d.errno } : {}) };
    if (d.problem === 'missing' && key !== null && op === 'read') return new AppError('OBJECT_NOT_FOUND', `There is no backup ${key} in folder ${this.#root}.`, details);
    const doing = {
      write: `Could not write ${key} to folder ${this.#root}`,
      read: key === null ? `Could not read folder ${this.#root}` : `Could not read ${key} in folder ${this.#root}`,
      delete: `Could not delete ${key} in folder ${this.#root}`,
      test: `Folder ${this.#root} cannot be used`,
    }[op];
    const unreachable = d.problem === 'missing' || d.problem === 'not-creatable' || d.problem === 'gone' || op === 'read';
    const code: ErrorCode = unreachable ? 'DESTINATION_UNREACHABLE' : 'DESTINATION_WRITE_FAILED';
    return new AppError(code, `${doing}: ${d.words}.`, details);
  }
}


function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}
