import { randomUUID } from 'node:crypto';
import type { CompletedPart, S3Client, UploadPartCommandOutput } from '@aws-sdk/client-s3';
import { AppError } from '../../../shared/ipc/result';
import type { S3Sdk } from './s3-client';
import { s3ErrorName } from './s3-errors';

/** S3's limit on parts per multipart upload. */
const MAX_PARTS = 10_000;

/** The object metadata (x-amz-meta-vaultdesk-upload) naming the upload that made it: see #commit. */
export const UPLOAD_TOKEN_METADATA = 'vaultdesk-upload';

export interface MultipartTarget {
  client: S3Client;
  s3: S3Sdk;
  bucket: string;
  key: string;
  /** Bytes per part (S3: at least 5 MiB, except the last). */
  partSize: number;
  /** Parts uploading at once. Memory: (queueSize + 1) x partSize, reused for the whole upload. */
  queueSize: number;
  onProgress?: (bytesUploaded: number) => void;
  /** Awaited with the upload id before the first part is sent. */
  onStarted?: (uploadId: string) => Promise<void>;
  /**
   * Makes the object (PutObject, CompleteMultipartUpload) only under a free name (see #commit): a
   * client whose failures do not stop the upload, the upload's signal, and `refuseTaken`, which
   * asks whether the key holds an object now and throws the caller's error when it does.
   */
  commit: { client: S3Client; signal: AbortSignal; refuseTaken: () => Promise<void> };
}

/**
 * Streams a body of unknown length to S3: one PutObject when it fits in one part, otherwise a
 * multipart upload. Written for the backup pipeline rather than taken from lib-storage, which
 * allocates (and copies into) a new part buffer per part and reads the body only when an
 * uploader is free: with every uploader busy the dump tool stalled, and each 16 MiB part was
 * garbage for V8 to collect. Here part buffers are reused and the next part fills while others
 * upload; the body waits only when queueSize parts are in flight and the next one is full.
 *
 * On failure it waits for every part in flight to stop before rethrowing, so the caller can
 * abort the upload knowing no part lands afterwards; `uploadId` says which upload to abort.
 */
export class MultipartUpload {
  uploadId: string | undefined;
  readonly #t: MultipartTarget;
  readonly #metadata = { [UPLOAD_TOKEN_METADATA]: randomUUID() };
  readonly #free: Buffer[] = [];
  readonly #inFlight = new Set<Promise<void>>();
  readonly #parts: CompletedPart[] = [];
  #partNumber = 0;
  #uploaded = 0;
  #failure: { error: unknown } | null = null;

  constructor(target: MultipartTarget) {
    this.#t = target;
  }

  async run(body: AsyncIterable<Buffer>): Promise<void> {
    const { partSize } = this.#t;
    let current: Buffer = Buffer.allocUnsafe(partSize);
    let used = 0;
    try {
      for await (const chunk of body) {
        let offset = 0;
        while (offset < chunk.length) {
          // A full part is sent only once more bytes follow it: a body of exactly one part is a PutObject.
          if (used === partSize) {
            await this.#startPart(current, used);
            current = await this.#nextBuffer();
            used = 0;
          }
          const n = Math.min(partSize - used, chunk.length - offset);
          chunk.copy(current, used, offset, offset + n);
          used += n;
          offset += n;
        }
        this.#throwIfFailed();
      }
      if (this.#partNumber === 0) {
        const body = current.subarray(0, used);
        await this.#commit((client, condition, abortSignal) =>
          client.send(new this.#t.s3.PutObjectCommand({ Bucket: this.#t.bucket, Key: this.#t.key, Body: body, ContentLength: used, Metadata: this.#metadata, ...condition }), { abortSignal }),
        );
        this.#t.onProgress?.(used);
        return;
      }
      await this.#startPart(current, used);
      await this.#settle();
      this.#throwIfFailed();
      const parts = this.#parts.sort((a, b) => a.PartNumber! - b.PartNumber!);
      await this.#commit((client, condition, abortSignal) =>
        client.send(
          new this.#t.s3.CompleteMultipartUploadCommand({ Bucket: this.#t.bucket, Key: this.#t.key, UploadId: this.uploadId, MultipartUpload: { Parts: parts }, ...condition }),
          { abortSignal },
        ),
      );
    } catch (error) {
      await this.#settle();
      throw error;
    }
  }

  /**
   * Makes the object without replacing one of the same name: two runs of one job that start in
   * the same second (two installs sharing the bucket) take one key, and the later commit used to
   * replace the earlier's backup, whose manifest then described another object. `If-None-Match: *`
   * makes AWS S3, MinIO, R2, B2 and Spaces refuse it atomically (412, or 409 while another
   * conditional write of the key is in progress); a server that ignores the header (s3rver, older
   * gateways) is asked first, which leaves only a moment between the question and the commit. A
   * server that answers the header with 501 NotImplemented gets the commit again without it.
   *
   * The SDK repeats a commit whose answer was lost (a connection reset, a 500): the repeat of one
   * that had been stored meets the upload's own object (412) or an upload already completed
   * (NoSuchUpload), and the run failed with its backup stored and no manifest beside it. The
   * object carries a token of this upload, so a failed commit that finds its own object stored
   * succeeded.
   */
  async #commit(send: (client: S3Client, condition: { IfNoneMatch?: string }, signal: AbortSignal) => Promise<unknown>): Promise<void> {
    const { client, signal, refuseTaken } = this.#t.commit;
    await refuseTaken();
    try {
      await send(client, { IfNoneMatch: '*' }, signal).catch(async (error: unknown) => {
        if (s3ErrorName(error) !== 'NotImplemented') throw error;
        await send(client, {}, signal);
      });
    } catch (error) {
      if (signal.aborted || !(await this.#storedByThisUpload())) throw error;
    }
  }

  /** Whether the key holds this upload's object; a HEAD that fails (a write-only key: 403) says no. */
  async #storedByThisUpload(): Promise<boolean> {
    const { client, signal } = this.#t.commit;
    const head = await client.send(new this.#t.s3.HeadObjectCommand({ Bucket: this.#t.bucket, Key: this.#t.key }), { abortSignal: signal }).catch(() => null);
    return head?.Metadata?.[UPLOAD_TOKEN_METADATA] === this.#metadata[UPLOAD_TOKEN_METADATA];
  }

  async #startPart(buffer: Buffer, length: number): Promise<void> {
    if (this.uploadId === undefined) {
      this.uploadId = await this.#create();
      await this.#t.onStarted?.(this.uploadId);
    }
    this.#partNumber += 1;
    const partNumber = this.#partNumber;
    if (partNumber > MAX_PARTS) {
      throw new AppError(
        'VALIDATION_FAILED',
        `The backup is larger than S3 allows with ${this.#t.partSize / 1024 ** 2} MiB parts (${MAX_PARTS} parts at most): raise the destination's part size.`,
        { field: 'partSizeMiB' },
      );
    }
    const part = this.#t.client
      .send(new this.#t.s3.UploadPartCommand({ Bucket: this.#t.bucket, Key: this.#t.key, UploadId: this.uploadId, PartNumber: partNumber, Body: buffer.subarray(0, length), ContentLength: length }))
      .then((out) => {
        this.#parts.push(completedPart(partNumber, out));
        this.#uploaded += length;
        this.#t.onProgress?.(this.#uploaded);
        this.#free.push(buffer);
      })
      .catch((error: unknown) => {
        this.#failure ??= { error };
      })
      .finally(() => this.#inFlight.delete(part));
    this.#inFlight.add(part);
  }

  async #create(): Promise<string> {
    // As lib-storage does: where the SDK adds CRC32 checksums to parts (AWS itself), the upload
    // is created for them, and CompleteMultipartUpload repeats each part's checksum.
    const checksums = (await this.#t.client.config.requestChecksumCalculation()) === 'WHEN_SUPPORTED';
    const out = await this.#t.client.send(
      new this.#t.s3.CreateMultipartUploadCommand({ Bucket: this.#t.bucket, Key: this.#t.key, Metadata: this.#metadata, ...(checksums ? { ChecksumAlgorithm: 'CRC32' as const } : {}) }),
    );
    if (!out.UploadId) throw new Error('CreateMultipartUpload answered without an UploadId');
    return out.UploadId;
  }

  /** A part buffer to fill: a returned one, or a new one while fewer than queueSize + 1 exist. */
  async #nextBuffer(): Promise<Buffer> {
    while (this.#inFlight.size >= this.#t.queueSize) {
      await Promise.race(this.#inFlight);
      this.#throwIfFailed();
    }
    this.#throwIfFailed();
    return this.#free.pop() ?? Buffer.allocUnsafe(this.#t.partSize);
  }

  async #settle(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #throwIfFailed(): void {
    if (this.#failure) throw this.#failure.error;
  }
}

function completedPart(partNumber: number, out: UploadPartCommandOutput): CompletedPart {
  if (!out.ETag) throw new Error(`Part ${partNumber} was stored without an ETag`);
  return {
    PartNumber: partNumber,
    ETag: out.ETag,
    ...(out.ChecksumCRC32 && { ChecksumCRC32: out.ChecksumCRC32 }),
    ...(out.ChecksumCRC32C && { ChecksumCRC32C: out.ChecksumCRC32C }),
    ...(out.ChecksumCRC64NVME && { ChecksumCRC64NVME: out.ChecksumCRC64NVME }),
    ...(out.ChecksumSHA1 && { ChecksumSHA1: out.ChecksumSHA1 }),
    ...(out.ChecksumSHA256 && { ChecksumSHA256: out.ChecksumSHA256 }),
  };
}
