import type { Readable } from 'node:stream';
import type { DestinationDto } from '../../../shared/domain/dto';
import type { Logger } from '../logger';
import { LocalDestination } from './local-destination';
import { S3Destination } from './s3-destination';
import { SftpDestination } from './sftp-destination';

export interface StoredObject {
  key: string;
  size: number;
  modifiedAt: Date;
  /** S3's ETag, as listed: with the size and time, what tells a rewritten object from the one read before. */
  etag?: string;
}

/** An upload that never finished: a `.partial` file, or an S3 multipart upload. */
export interface UnfinishedUpload {
  /** The object it was meant to become (without `.partial`). */
  key: string;
  kind: 'partial-file' | 'multipart-upload';
  uploadId: string | null;
  /** Last write to the partial file; when the multipart upload was started. */
  since: Date;
  size: number | null;
}

export interface PutOptions {
  signal?: AbortSignal;
  /**
   * S3: called with the multipart upload's id before its first part is sent, so the run can
   * record it (and abort it later should the process die); awaited.
   */
  onUploadStarted?: (uploadId: string) => Promise<void>;
  /** Bytes the destination has accepted so far (for progress bars; not a durability promise). */
  onProgress?: (bytesWritten: number) => void;
}

export interface ConnectionTestResult {
  success: boolean;
  message: string;
  buckets?: string[];
  scopedKey?: boolean;
}

/**
 * One storage volume. Keys are relative object names (`prod/nightly/shop/x.dump.zst.age`) that
 * each driver joins under its own root; keys that would leave the root are refused with
 * VALIDATION_FAILED. Failures are `AppError`s with DESTINATION_* / OBJECT_NOT_FOUND / CANCELLED.
 */
export interface DestinationDriver {
  /** Atomic: the object appears under `key` only when the whole stream was stored; on error or abort nothing is left (no .partial file, no incomplete multipart upload). */
  put(key: string, body: Readable, options?: PutOptions): Promise<{ size: number }>;
  /** Fails with OBJECT_NOT_FOUND when there is no such object. */
  get(key: string, options?: { signal?: AbortSignal }): Promise<Readable>;
  /** Recursive under `prefix` (a plain string prefix of the key), excluding in-progress .partial files; sorted by key. */
  list(prefix: string): Promise<StoredObject[]>;
  stat(key: string): Promise<StoredObject | null>;
  /** Deleting a key that does not exist is not an error (S3 cannot tell the difference either). */
  delete(key: string): Promise<void>;
  test(): Promise<ConnectionTestResult>;
  /**
   * Removes what an unfinished put of `key` may have left: its `.partial` file, or its multipart
   * upload (`uploadId`; when that is unknown, every multipart upload of exactly this key).
   * Committed objects are not touched. Nothing to remove is not an error.
   */
  discard(key: string, options?: { uploadId?: string | null }): Promise<void>;
  /** Every unfinished upload under the destination's root (or prefix). */
  listUnfinished(): Promise<UnfinishedUpload[]>;
  /** S3 only: a GET URL valid for `expiresInSeconds`, built against the public endpoint when one is set. */
  presign?(key: string, expiresInSeconds: number): Promise<string>;
  /**
   * Loads what put() needs (S3: the AWS SDK), to be called before a dump starts: loading it
   * inside put() stalls the dump tool for as long, since its pipe is not read meanwhile.
   * Never fails; a problem shows in put().
   */
  prepare?(): Promise<void>;
  close(): Promise<void>;
}

export interface DriverContext {
  /** The destination's name, for messages (createDestinationDriver sets it). */
  name?: string;
  /** Called once when an SFTP destination pins the server's host key on first use; the caller stores it. */
  onHostKeyPinned?: (fingerprint: string) => void;
  log?: Logger;
  /** How long a remote destination may leave one request unanswered (an SFTP request, an S3 connection gone silent) before the call fails; 60 s by default. */
  requestTimeoutMs?: number;
}

export function createDestinationDriver(dto: DestinationDto, secrets: Record<string, string>, ctx: DriverContext = {}): DestinationDriver {
  const config = dto.config;
  switch (config.kind) {
    case 'local':
      return new LocalDestination(config, { ...ctx, name: dto.name });
    case 's3':
      return new S3Destination(config, { secretAccessKey: secrets.secretAccessKey }, ctx);
    case 'sftp':
      return new SftpDestination(config, { password: secrets.password, privateKey: secrets.privateKey, passphrase: secrets.passphrase }, ctx);
  }
}
