import { PassThrough, type Transform } from 'node:stream';
import zlib from 'node:zlib';
import { DEFAULT_LEVEL, LEVEL_RANGE } from '../../../shared/domain/compression-levels';
import type { Compression } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { ZstdFramedCompress } from './compress-zstd-framed';
import { ZstdUnframe } from './compress-zstd-unframe';

export type { Compression } from '../../../shared/domain/dto';

/**
 * zlib's default 16 KiB output chunks cost a threadpool round trip, a callback and a push per
 * 16 KiB. gzip compression gets 1 MiB writes (see createBatchStream): 256 KiB output buffers hold
 * most of what one write produces, so a write takes one or two round trips rather than five or
 * six. gzip decompression releases 256 KiB at a time for the same reason (zstd decompresses
 * whole frames, compress-zstd-unframe.ts).
 */
const CHUNK_SIZE = 256 * 1024;

function checkLevel(kind: Exclude<Compression, 'none'>, level: number): number {
  const [min, max] = LEVEL_RANGE[kind];
  if (!Number.isInteger(level) || level < min || level > max) {
    throw new AppError('VALIDATION_FAILED', `The ${kind} compression level must be a whole number from ${min} to ${max} (got ${String(level)}).`);
  }
  return level;
}

function unknownKind(kind: never): AppError {
  return new AppError('VALIDATION_FAILED', `Unknown compression "${String(kind)}": use zstd, gzip or none.`);
}

/**
 * A compressing Transform. zstd is written as independent frames compressed in parallel (see
 * ZstdFramedCompress); each carries a content checksum (as the zstd CLI writes them), so a
 * damaged backup fails on decompression instead of restoring silently wrong bytes.
 */
export function createCompressStream(kind: Compression, level?: number): Transform {
  switch (kind) {
    case 'zstd':
      return new ZstdFramedCompress(checkLevel(kind, level ?? DEFAULT_LEVEL.zstd));
    case 'gzip':
      return zlib.createGzip({ chunkSize: CHUNK_SIZE, level: checkLevel(kind, level ?? DEFAULT_LEVEL.gzip) });
    case 'none':
      return new PassThrough();
    default:
      throw unknownKind(kind);
  }
}

/** zlib reports damage as bare errors (`Z_DATA_ERROR`, "unexpected end of file"); say what it means. */
function damagedData(kind: Exclude<Compression, 'none'>, error: Error | null): Error | null {
  if (error === null || error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new AppError('INTEGRITY_FAILED', `The ${kind} data is damaged or incomplete (${error.message}).`, code ? { cause: code } : undefined);
}

class CheckedZstdDecompress extends ZstdUnframe {
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    super._destroy(error, (final) => callback(damagedData('zstd', final ?? null)));
  }
}

class CheckedGunzip extends zlib.Gunzip {
  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    super._destroy(error, (final) => callback(damagedData('gzip', final ?? null)));
  }
}

/**
 * The matching decompressing Transform. Damage and truncation fail with INTEGRITY_FAILED: gzip
 * checks its trailer, zstd its frame checksum, and a zstd stream cut between blocks (which
 * Node's decompressor would end cleanly) is caught by following its frame structure. A backup's
 * zstd frames are decompressed several at once (compress-zstd-unframe.ts).
 * gzip accepts multi-member files and zstd concatenated frames, as their CLIs do.
 */
export function createDecompressStream(kind: Compression): Transform {
  switch (kind) {
    case 'zstd':
      return new CheckedZstdDecompress();
    case 'gzip':
      return new CheckedGunzip({ chunkSize: CHUNK_SIZE });
    case 'none':
      return new PassThrough();
    default:
      throw unknownKind(kind);
  }
}

/** File-name extension for object names (`.dump.zst.age`); null when nothing is added. */
export function compressionExtension(kind: Compression): 'zst' | 'gz' | null {
  switch (kind) {
    case 'zstd':
      return 'zst';
    case 'gzip':
      return 'gz';
    case 'none':
      return null;
    default:
      throw unknownKind(kind);
  }
}
