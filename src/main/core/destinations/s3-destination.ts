import { PassThrough, pipeline, type Readable } from 'node:stream';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import type { S3DestinationConfig } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import type { ConnectionTestResult, DestinationDriver, DriverContext, PutOptions, StoredObject, UnfinishedUpload } from './destination';
import { assertListPrefix, assertObjectKey, joinKey, nameTaken, PARTIAL_SUFFIX } from './object-key';
import { abortableClient, endpointLabel, loadS3Sdk, s3ClientConfig, type S3Sdk, type S3Secrets } from './s3-client';
import { testS3Connection } from './s3-connection-test';
import { isConditionRefused, isS3NotFound, mapS3Error, type S3Operation } from './s3-errors';
import { MultipartUpload } from './s3-multipart';
import { ByteCounter, cancelled, FailureOrigin, putFailure } from './upload-stream';

export interface S3Tuning {
  /** Parts uploaded in parallel; memory use is (queueSize + 1) x part size. */
  queueSize?: number;
}

const MiB = 1024 * 1024;

/**
 * Part bytes in flight, which sets the default number of parallel parts: 2 of the default
 * 16 MiB, 4 (the most we use) of 8 MiB or less, 1 of 32 MiB or more; one more part buffer
 * fills meanwhile; more parts in flight cost memory for little speed (README, Performance).
 */
const PARTS_IN_FLIGHT_BYTES = 32 * MiB;
const WEEK_SECONDS = 7 * 24 * 3600;

/**
 * An S3-compatible bucket (AWS, MinIO, R2, B2, Wasabi, Spaces): streamed multipart uploads (see
 * MultipartUpload). The SDK and the client are made on first use (see loadS3Sdk).
 */
export class S3Destination implements DestinationDriver {
  readonly #config: S3DestinationConfig;
  readonly #options: S3ClientConfig;
  readonly #ctx: DriverContext;
  readonly #queueSize: number;
  readonly #secrets: S3Secrets;
  #client: S3Client | null = null;
  #presignClient: S3Client | null = null;

  constructor(config: S3DestinationConfig, secrets: S3Secrets, ctx: DriverContext = {}, tuning: S3Tuning = {}) {
    this.#config = config;
    this.#secrets = secrets;
    this.#ctx = ctx;
    this.#options = s3ClientConfig(config, secrets, config.endpoint, ctx.requestTimeoutMs);
    this.#queueSize = Math.max(1, tuning.queueSize ?? Math.min(4, Math.floor(PARTS_IN_FLIGHT_BYTES / (partSizeMiB(config) * MiB))));
  }

  /** The SDK and this destination's client (one connection pool for every call). */
  async #sdk(): Promise<{ sdk: S3Sdk; client: S3Client }> {
    const sdk = await loadS3Sdk();
    this.#client ??= new sdk.S3Client(this.#options);
    return { sdk, client: this.#client };
  }

  async prepare(): Promise<void> {
    await this.#sdk().catch(() => undefined);
  }

  async put(key: string, body: Readable, options: PutOptions = {}): Promise<{ size: number }> {
    const objectKey = joinKey(this.#config.prefix, assertObjectKey(key));
    const what = `Uploading ${key} to bucket ${this.#config.bucket} at ${endpointLabel(this.#config)}`;
    const { signal } = options;
    const origin = new FailureOrigin().watch(body, 'input');
    if (signal?.aborted) {
      body.destroy();
      throw cancelled(what);
    }
    this.#assertCredentials('put', key);
    let sdk: S3Sdk;
    let base: S3Client;
    try {
      ({ sdk, client: base } = await this.#sdk());
    } catch (error) {
      body.destroy();
      throw error;
    }
    if (signal?.aborted) {
      body.destroy();
      throw cancelled(what);
    }

    const kill = new AbortController();
    const counter = new ByteCounter();
    const stop = (): void => {
      kill.abort();
      if (!counter.destroyed) counter.destroy(new Error('upload stopped'));
    };
    // body -> counter: an input failure reaches the upload as a failing stream, never as an early end.
    pipeline(body, counter, () => undefined);
    const client = abortableClient(sdk, base, this.#options, kill.signal);
    // First failed request (after the SDK's retries): stop every other part at once rather than
    // letting the remaining uploaders push the rest of the dump into a doomed upload.
    client.middlewareStack.add(
      (next) => async (args) => {
        try {
          return await next(args);
        } catch (error) {
          if (!kill.signal.aborted) {
            origin.record('sink', error);
            stop();
          }
          throw error;
        }
      },
      { step: 'initialize', name: 'vaultdeskStopOnFirstFailure' },
    );
    signal?.addEventListener('abort', stop, { once: true });

    const upload = new MultipartUpload({
      client,
      s3: sdk,
      bucket: this.#config.bucket,
      key: objectKey,
      partSize: partSizeMiB(this.#config) * MiB,
      queueSize: this.#queueSize,
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
      ...(options.onUploadStarted ? { onStarted: options.onUploadStarted } : {}),
      commit: {
        client: base,
        signal: kill.signal,
        refuseTaken: async () => {
          // A key allowed to write but not to read (a write-only backup user) gets 403 here, and a
          // HEAD's failure has no body to explain it: only a found object decides; the commit
          // itself answers for the rest.
          const found = await base.send(new sdk.HeadObjectCommand({ Bucket: this.#config.bucket, Key: objectKey }), { abortSignal: kill.signal }).then(
            () => true,
            () => false,
          );
          if (found) throw this.#nameTaken(key);
        },
      },
    });
    try {
      await upload.run(counter);
      return { size: counter.bytes };
    } catch (error) {
      stop();
      await this.#abandon(sdk, base, objectKey, upload.uploadId ?? null);
      throw putFailure(error, { signal, origin, what, map: (e) => (isConditionRefused(e) ? this.#nameTaken(key) : mapS3Error(e, this.#errorContext('put', key))) });
    } finally {
      signal?.removeEventListener('abort', stop);
      client.destroy();
    }
  }

  async get(key: string, options: { signal?: AbortSignal } = {}): Promise<Readable> {
    const Key = joinKey(this.#config.prefix, assertObjectKey(key));
    try {
      const { sdk, client } = await this.#sdk();
      const out = await client.send(new sdk.GetObjectCommand({ Bucket: this.#config.bucket, Key }), { abortSignal: options.signal });
      return this.#translated(out.Body as Readable, key);
    } catch (error) {
      throw mapS3Error(error, this.#errorContext('get', key));
    }
  }

  /**
   * The object's body, whose failures while it is read (the connection lost, the server gone
   * silent) reach the reader in the words and codes of every other S3 failure, naming the
   * endpoint, not as the socket's own ("aborted").
   */
  #translated(body: Readable, key: string): Readable {
    const out = new PassThrough({ highWaterMark: 1024 * 1024 });
    body.once('error', (error) => out.destroy(mapS3Error(error, this.#errorContext('get', key))));
    out.once('close', () => {
      if (!body.destroyed) body.destroy();
    });
    return body.pipe(out);
  }

  async list(prefix: string): Promise<StoredObject[]> {
    assertListPrefix(prefix);
    const root = joinKey(this.#config.prefix, '');
    const found: StoredObject[] = [];
    let token: string | undefined;
    try {
      const { sdk, client } = await this.#sdk();
      do {
        const out = await client.send(new sdk.ListObjectsV2Command({ Bucket: this.#config.bucket, Prefix: root + prefix || undefined, ContinuationToken: token }));
        for (const o of out.Contents ?? []) {
          if (!o.Key || o.Key.endsWith('/') || o.Key.endsWith(PARTIAL_SUFFIX) || !o.Key.startsWith(root)) continue;
          found.push({ key: o.Key.slice(root.length), size: o.Size ?? 0, modifiedAt: o.LastModified ?? new Date(0), ...(o.ETag ? { etag: o.ETag } : {}) });
        }
        token = out.IsTruncated ? out.NextContinuationToken : undefined;
      } while (token);
    } catch (error) {
      throw mapS3Error(error, this.#errorContext('list', null));
    }
    return found.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async stat(key: string): Promise<StoredObject | null> {
    const Key = joinKey(this.#config.prefix, assertObjectKey(key));
    try {
      const { sdk, client } = await this.#sdk();
      const out = await client.send(new sdk.HeadObjectCommand({ Bucket: this.#config.bucket, Key }));
      return { key, size: out.ContentLength ?? 0, modifiedAt: out.LastModified ?? new Date(0) };
    } catch (error) {
      if (isS3NotFound(error)) return null;
      throw mapS3Error(error, this.#errorContext('stat', key));
    }
  }

  async delete(key: string): Promise<void> {
    const Key = joinKey(this.#config.prefix, assertObjectKey(key));
    try {
      const { sdk, client } = await this.#sdk();
      await client.send(new sdk.DeleteObjectCommand({ Bucket: this.#config.bucket, Key }));
    } catch (error) {
      throw mapS3Error(error, this.#errorContext('delete', key));
    }
  }

  async discard(key: string, options: { uploadId?: string | null } = {}): Promise<void> {
    const objectKey = joinKey(this.#config.prefix, assertObjectKey(key));
    this.#assertCredentials('delete', key);
    const { sdk, client } = await this.#sdk();
    await this.#abandon(sdk, client, objectKey, options.uploadId ?? null, true);
  }

  async listUnfinished(): Promise<UnfinishedUpload[]> {
    const root = joinKey(this.#config.prefix, '');
    const found: UnfinishedUpload[] = [];
    try {
      const { sdk, client } = await this.#sdk();
      let keyMarker: string | undefined;
      let uploadIdMarker: string | undefined;
      do {
        const out = await client.send(new sdk.ListMultipartUploadsCommand({ Bucket: this.#config.bucket, Prefix: root || undefined, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
        for (const u of out.Uploads ?? []) {
          if (!u.Key?.startsWith(root) || !u.UploadId) continue;
          found.push({ key: u.Key.slice(root.length), kind: 'multipart-upload', uploadId: u.UploadId, since: u.Initiated ?? new Date(0), size: null });
        }
        const more = out.IsTruncated === true && (out.NextKeyMarker !== keyMarker || out.NextUploadIdMarker !== uploadIdMarker);
        keyMarker = more ? out.NextKeyMarker : undefined;
        uploadIdMarker = more ? out.NextUploadIdMarker : undefined;
      } while (keyMarker !== undefined);
    } catch (error) {
      throw mapS3Error(error, this.#errorContext('list', null));
    }
    return found;
  }

  async test(): Promise<ConnectionTestResult> {
    try {
      this.#assertCredentials('test', null);
    } catch (error) {
      return { success: false, message: (error as AppError).message, buckets: [], scopedKey: false };
    }
    let client: S3Client;
    try {
      ({ client } = await this.#sdk());
    } catch (error) {
      return { success: false, message: `The AWS SDK could not be loaded: ${error instanceof Error ? error.message : String(error)}. Reinstall Vaultdesk.`, buckets: [], scopedKey: false };
    }
    return testS3Connection(client, this.#config);
  }

  /** A GET URL for downloads in a browser; through the public endpoint when the API endpoint is internal. */
  async presign(key: string, expiresInSeconds = 3600): Promise<string> {
    const Key = joinKey(this.#config.prefix, assertObjectKey(key));
    if (!Number.isInteger(expiresInSeconds) || expiresInSeconds < 1 || expiresInSeconds > WEEK_SECONDS) {
      throw new AppError('VALIDATION_FAILED', `A download link can be valid for 1 second to 7 days, not ${expiresInSeconds} seconds.`, { field: 'expiresInSeconds' });
    }
    this.#assertCredentials('get', key);
    try {
      const [{ sdk, client }, { getSignedUrl }] = await Promise.all([this.#sdk(), import('@aws-sdk/s3-request-presigner')]);
      this.#presignClient ??= this.#config.publicEndpoint ? new sdk.S3Client(s3ClientConfig(this.#config, this.#secrets, this.#config.publicEndpoint, this.#ctx.requestTimeoutMs)) : client;
      return await getSignedUrl(this.#presignClient, new sdk.GetObjectCommand({ Bucket: this.#config.bucket, Key }), { expiresIn: expiresInSeconds });
    } catch (error) {
      throw mapS3Error(error, this.#errorContext('get', key));
    }
  }

  async close(): Promise<void> {
    if (this.#presignClient && this.#presignClient !== this.#client) this.#presignClient.destroy();
    this.#client?.destroy();
  }

  /**
   * Leaves no incomplete multipart upload behind: they are invisible in listings but billed.
   * Without a known id (a CreateMultipartUpload that the server executed but whose answer was
   * cut off, or a run that died before recording it) every upload of this exact key is swept.
   * `strict`: a failure to abort is thrown (cleanup records it and retries) instead of logged.
   */
  async #abandon(sdk: S3Sdk, client: S3Client, objectKey: string, uploadId: string | null, strict = false): Promise<void> {
    const ids = new Set<string>(uploadId ? [uploadId] : []);
    if (!uploadId) {
      try {
        const out = await client.send(new sdk.ListMultipartUploadsCommand({ Bucket: this.#config.bucket, Prefix: objectKey }));
        for (const u of out.Uploads ?? []) if (u.Key === objectKey && u.UploadId) ids.add(u.UploadId);
      } catch (error) {
        if (strict) throw mapS3Error(error, this.#errorContext('list', null));
        // Scoped keys often lack s3:ListBucketMultipartUploads; nothing else can be done here.
        this.#ctx.log?.debug('could not list multipart uploads', { bucket: this.#config.bucket, error: String(error) });
      }
    }
    for (const id of ids) {
      try {
        await client.send(new sdk.AbortMultipartUploadCommand({ Bucket: this.#config.bucket, Key: objectKey, UploadId: id }));
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchUpload') continue;
        if (strict) throw mapS3Error(error, this.#errorContext('delete', objectKey));
        this.#ctx.log?.warn('could not abort an incomplete multipart upload; a bucket lifecycle rule (AbortIncompleteMultipartUpload) will remove it', {
          bucket: this.#config.bucket,
          key: objectKey,
          uploadId: id,
          error: String(error),
        });
      }
    }
  }

  #assertCredentials(op: S3Operation, key: string | null): void {
    if (this.#config.accessKeyId && !this.#secrets.secretAccessKey) {
      throw new AppError('DESTINATION_AUTH_FAILED', `The destination has access key id ${this.#config.accessKeyId} but no secret access key: enter it in the destination settings.`, this.#errorDetails(op, key));
    }
  }

  #nameTaken(key: string): AppError {
    return nameTaken(key, `bucket ${this.#config.bucket} at ${endpointLabel(this.#config)}`, { endpoint: endpointLabel(this.#config), bucket: this.#config.bucket });
  }

  #errorContext(op: S3Operation, key: string | null): { op: S3Operation; endpoint: string; bucket: string; key?: string } {
    return key === null ? { op, endpoint: endpointLabel(this.#config), bucket: this.#config.bucket } : { op, endpoint: endpointLabel(this.#config), bucket: this.#config.bucket, key };
  }

  #errorDetails(op: S3Operation, key: string | null): Record<string, unknown> {
    return { op, endpoint: endpointLabel(this.#config), bucket: this.#config.bucket, ...(key === null ? {} : { key }) };
  }
}

/** S3 refuses parts under 5 MiB (except the last). */
function partSizeMiB(config: S3DestinationConfig): number {
  return Math.max(5, config.partSizeMiB);
}
