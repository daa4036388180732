import { randomUUID } from 'node:crypto';
import { createReadStream, type WriteStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, statfs, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { LocalDestinationConfig } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { ConnectionTestResult, DestinationDriver, DriverContext, PutOptions, StoredObject, UnfinishedUpload } from './destination';
import { assertListPrefix, assertObjectKey, PARTIAL_SUFFIX } from './object-key';
import { ByteCounter, cancelled, FailureOrigin, putFailure } from './upload-stream';

/** A folder on this machine (or a mounted share): `name.partial`, fsync, rename, fsync the folder. */
export class LocalDestination implements DestinationDriver {
  readonly #root: string;

  constructor(config: LocalDestinationConfig, _ctx: DriverContext = {}) {
    this.#root = path.resolve(config.path);
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
    try {
      await mkdir(path.dirname(target), { recursive: true });
      created = true;
      const counter = new ByteCounter(options.onProgress);
      const handle = await open(partial, 'w');
      // flush: fsync before close. The rename is the commit, so the bytes must be on disk first.
      sink = handle.createWriteStream({ flush: true });
      const writeback = new Writeback(handle);
      origin.watch(writeback, 'sink').watch(sink, 'sink');
      await pipeline(body, counter, writeback, sink, { signal: options.signal });
      await rename(partial, target);
      created = false;
      await syncFolder(path.dirname(target));
      return { size: counter.bytes };
    } catch (error) {
      // The stream closes its file asynchronously: let it close before removing what it created.
      const open = sink;
      if (open && !open.closed) await new Promise<void>((resolve) => open.once('close', () => resolve()));
      if (created) await rm(partial, { force: true }).catch(() => undefined);
      throw putFailure(error, { signal: options.signal, origin, what, map: (e) => this.#mapError(e, 'DESTINATION_WRITE_FAILED', key) });
    }
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    const file = this.#path(assertObjectKey(key));
    try {
      const info = await stat(file);
      if (!info.isFile()) throw Object.assign(new Error('not a file'), { code: 'ENOENT' });
    } catch (error) {
      throw this.#mapError(error, 'DESTINATION_UNREACHABLE', key);
    }
    return createReadStream(file, { signal: options.signal });
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
    try {
      const info = await stat(this.#path(assertObjectKey(key)));
      return info.isFile() ? { key, size: info.size, modifiedAt: info.mtime } : null;
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return null;
      throw this.#mapError(error, 'DESTINATION_UNREACHABLE', key);
    }
  }

  async delete(key: string): Promise<void> {
    const file = this.#path(assertObjectKey(key));
    try {
      await rm(file, { force: true });
      await syncFolder(path.dirname(file)).catch(() => undefined);
    } catch (error) {
      throw this.#mapError(error, 'DESTINATION_WRITE_FAILED', key);
    }
  }

  async discard(key: string): Promise<void> {
    const partial = this.#path(assertObjectKey(key)) + PARTIAL_SUFFIX;
    try {
      await rm(partial, { force: true });
    } catch (error) {
      throw this.#mapError(error, 'DESTINATION_WRITE_FAILED', key);
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
    try {
      await mkdir(this.#root, { recursive: true });
      const handle = await open(probe, 'w');
      try {
        await handle.writeFile('vaultdesk write test\n');
        await handle.sync();
      } finally {
        await handle.close();
      }
      await rm(probe, { force: true });
      const fs = await statfs(this.#root);
      return { success: true, message: `Folder ${this.#root} is writable (${formatBytes(fs.bavail * fs.bsize)} free).` };
    } catch (error) {
      await rm(probe, { force: true }).catch(() => undefined);
      return { success: false, message: this.#mapError(error, 'DESTINATION_WRITE_FAILED', null).message };
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
      if (!(await stat(this.#root)).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    } catch (error) {
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) {
        throw new AppError('DESTINATION_UNREACHABLE', `Folder ${this.#root} does not exist or is not a folder. If it is on a removable drive or a network share, check that it is mounted.`, { path: this.#root });
      }
      throw this.#mapError(error, 'DESTINATION_UNREACHABLE', null);
    }
  }

  /** `partials`: list only the `.partial` files of unfinished writes, instead of only the objects. */
  async #walk(folder: string, prefix: string, found: StoredObject[], partials = false): Promise<void> {
    let entries;
    try {
      entries = await readdir(folder === '' ? this.#root : this.#path(folder), { withFileTypes: true });
    } catch (error) {
      // A prefix whose folder does not exist simply holds nothing yet.
      if (isCode(error, 'ENOENT') || isCode(error, 'ENOTDIR')) return;
      throw this.#mapError(error, 'DESTINATION_UNREACHABLE', null);
    }
    for (const entry of entries) {
      const key = folder === '' ? entry.name : `${folder}/${entry.name}`;
      if (entry.isDirectory()) {
        if (key.startsWith(prefix) || prefix.startsWith(`${key}/`)) await this.#walk(key, prefix, found, partials);
      } else if (entry.isFile() && key.startsWith(prefix) && entry.name.endsWith(PARTIAL_SUFFIX) === partials && !entry.name.startsWith('.vaultdesk-probe-')) {
        const info = await stat(this.#path(key)).catch(() => null);
        if (info) found.push({ key, size: info.size, modifiedAt: info.mtime });
      }
    }
  }

  #mapError(error: unknown, fallback: 'DESTINATION_WRITE_FAILED' | 'DESTINATION_UNREACHABLE', key: string | null): AppError {
    if (error instanceof AppError) return error;
    const code = (error as NodeJS.ErrnoException)?.code ?? '';
    const where = key === null ? `folder ${this.#root}` : `${key} in folder ${this.#root}`;
    const details = { path: this.#root, ...(key === null ? {} : { key }), errno: code };
    switch (code) {
      case 'ENOENT':
      case 'ENOTDIR':
        if (key !== null) return new AppError('OBJECT_NOT_FOUND', `There is no backup ${key} in folder ${this.#root}.`, details);
        return new AppError('DESTINATION_UNREACHABLE', `Folder ${this.#root} does not exist and could not be created.`, details);
      case 'EACCES':
      case 'EPERM':
        return new AppError('DESTINATION_WRITE_FAILED', `Permission denied on ${where}: the user running Vaultdesk may not write there.`, details);
      case 'EROFS':
        return new AppError('DESTINATION_WRITE_FAILED', `Folder ${this.#root} is on a read-only file system.`, details);
      case 'ENOSPC':
      case 'EDQUOT':
        return new AppError('DESTINATION_WRITE_FAILED', `The disk holding folder ${this.#root} is full (or the quota is used up).`, details);
      default: {
        const reason = error instanceof Error ? error.message : String(error);
        return new AppError(fallback, `Could not ${fallback === 'DESTINATION_WRITE_FAILED' ? 'write' : 'read'} ${where}: ${reason}`, details);
      }
    }
  }
}

/**
 * Syncs the file every WRITEBACK_BYTES while it is written, so the fsync before the rename has
 * little left to do (the kernel starts writing back only once gigabytes are dirty, so the
 * commit would wait for all of it). At most one sync is in flight, and the file handle waits
 * for it before it closes.
 */
const WRITEBACK_BYTES = 64 * 1024 * 1024;

class Writeback extends Transform {
  #since = 0;

  constructor(private readonly handle: FileHandle) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#since += chunk.length;
    if (this.#since < WRITEBACK_BYTES) {
      callback(null, chunk);
      return;
    }
    this.#since = 0;
    this.handle.datasync().then(
      () => callback(null, chunk),
      (error: unknown) => callback(error as Error),
    );
  }
}

/** Makes a rename durable: the folder entry itself must reach the disk. */
async function syncFolder(folder: string): Promise<void> {
  // Windows cannot open a folder for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(folder, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

function isCode(error: unknown, code: string): boolean {
  return (error as NodeJS.ErrnoException | null)?.code === code;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
