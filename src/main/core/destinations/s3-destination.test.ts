import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DestinationDto, S3DestinationConfig } from '../../../shared/domain/dto';
import { AppError } from '../../../shared/ipc/result';
import { startS3Server, S3RVER_CREDENTIALS, type S3TestServer } from '../testing/s3-server';
import { shouldSkip } from '../testing/services';
import { createDestinationDriver, type DestinationDriver } from './destination';
import { SCOPED_KEY_MESSAGE } from './s3-connection-test';

const MiB = 1024 * 1024;

function s3rverMissing(): string | null {
  try {
    createRequire(import.meta.url).resolve('s3rver');
    return null;
  } catch (error) {
    return `the s3rver package cannot be loaded (${(error as Error).message.split('\n')[0]}); run npm ci`;
  }
}

function s3Dto(endpoint: string, overrides: Partial<S3DestinationConfig> = {}): DestinationDto {
  const now = new Date().toISOString();
  const config: S3DestinationConfig = {
    provider: 'minio',
    bucket: 'backups',
    region: 'us-east-1',
    endpoint,
    publicEndpoint: null,
    pathStyle: true,
    accessKeyId: S3RVER_CREDENTIALS.accessKeyId,
    prefix: '',
    partSizeMiB: 5,
    buckets: [],
    account: null,
    ...overrides,
  };
  return { id: 's1', name: 's3-test', kind: 's3', config: { kind: 's3', ...config }, locked: false, isDefault: false, hasSecret: true, hasPassphrase: false, hasPassword: false, hasPrivateKey: false, jobNames: [], lastTest: null, createdAt: now, updatedAt: now };
}

function driverFor(endpoint: string, overrides: Partial<S3DestinationConfig> = {}, secret: string = S3RVER_CREDENTIALS.secretAccessKey): DestinationDriver {
  return createDestinationDriver(s3Dto(endpoint, overrides), { secretAccessKey: secret });
}

/** `total` bytes in 1 MiB chunks, produced lazily; `produced` says how far a consumer pulled. */
function lazySource(total: number, failAfter: number | null = null): { stream: Readable; produced: () => number; data: () => Buffer } {
  let produced = 0;
  const chunks: Buffer[] = [];
  const stream = new Readable({
    read() {
      if (failAfter !== null && produced >= failAfter) {
        this.destroy(new Error('zstd: compression failed'));
        return;
      }
      if (produced >= total) {
        this.push(null);
        return;
      }
      const chunk = randomBytes(Math.min(MiB, total - produced));
      produced += chunk.length;
      chunks.push(chunk);
      this.push(chunk);
    },
  });
  return { stream, produced: () => produced, data: () => Buffer.concat(chunks) };
}

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  try {
    await promise;
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected the promise to fail');
}

describe.skipIf(shouldSkip('s3rver', s3rverMissing()))('S3 destination against s3rver', () => {
  let server: S3TestServer;
  let driver: DestinationDriver;

  beforeAll(async () => {
    server = await startS3Server({ buckets: ['backups', 'other', 'secret'] });
    driver = driverFor(server.endpoint);
  });
  afterAll(async () => {
    await driver?.close();
    await server?.stop();
  });

  it('uploads a 17 MiB stream as a multipart upload in several parts and reads it back', async () => {
    const source = lazySource(17 * MiB + 123);
    const partsBefore = server.partsStored;
    const progress: number[] = [];
    const key = 'prod/nightly/shop/20261126T053000Z.dump.zst.age';
    const result = await driver.put(key, source.stream, { onProgress: (n) => progress.push(n) });
    expect(result.size).toBe(17 * MiB + 123);
    expect(server.partsStored - partsBefore).toBe(4);
    expect(progress.at(-1)).toBe(17 * MiB + 123);
    expect(await server.pendingUploads('backups')).toEqual([]);
    expect((await driver.stat(key))?.size).toBe(17 * MiB + 123);
    expect((await buffer(await driver.get(key))).equals(source.data())).toBe(true);
  });

  it('stores a stream of exactly one part, and an empty one, with a single PutObject', async () => {
    const partsBefore = server.partsStored;
    for (const [key, size] of [['one-part.bin', 5 * MiB], ['empty.bin', 0]] as const) {
      const source = lazySource(size);
      expect((await driver.put(key, source.stream)).size).toBe(size);
      expect((await buffer(await driver.get(key))).equals(source.data())).toBe(true);
    }
    expect(server.partsStored).toBe(partsBefore);
    expect(await server.pendingUploads('backups')).toEqual([]);
  });

  it('reuses part buffers: a 40 MiB upload in 5 MiB parts allocates at most queueSize + 1 of them', async () => {
    const allocUnsafe = Buffer.allocUnsafe.bind(Buffer);
    let partBuffers = 0;
    const spy = vi.spyOn(Buffer, 'allocUnsafe').mockImplementation((size: number) => {
      if (size === 5 * MiB) partBuffers += 1;
      return allocUnsafe(size);
    });
    try {
      const source = lazySource(40 * MiB + 1);
      expect((await driver.put('reuse.bin', source.stream)).size).toBe(40 * MiB + 1);
      expect((await buffer(await driver.get('reuse.bin'))).equals(source.data())).toBe(true);
    } finally {
      spy.mockRestore();
    }
    // Default queue for 5 MiB parts: 4 in flight, plus the one filling.
    expect(partBuffers).toBeGreaterThan(0);
    expect(partBuffers).toBeLessThanOrEqual(5);
  });

  it('keeps objects under the configured prefix, lists relative keys, stats and deletes', async () => {
    const scoped = driverFor(server.endpoint, { prefix: 'vault/team-a' });
    try {
      await scoped.put('prod/a/1.dump', Readable.from([Buffer.from('one')]));
      await scoped.put('prod/b/2.dump', Readable.from([Buffer.from('two!')]));
      await scoped.put('staging/3.dump', Readable.from([Buffer.from('three')]));

      const raw = new S3Client({ endpoint: server.endpoint, region: 'us-east-1', forcePathStyle: true, credentials: S3RVER_CREDENTIALS });
      const listed = await raw.send(new ListObjectsV2Command({ Bucket: 'backups', Prefix: 'vault/' }));
      raw.destroy();
      expect((listed.Contents ?? []).map((o) => o.Key).sort()).toEqual(['vault/team-a/prod/a/1.dump', 'vault/team-a/prod/b/2.dump', 'vault/team-a/staging/3.dump']);

      expect((await scoped.list('')).map((o) => o.key)).toEqual(['prod/a/1.dump', 'prod/b/2.dump', 'staging/3.dump']);
      expect((await scoped.list('prod/')).map((o) => [o.key, o.size])).toEqual([['prod/a/1.dump', 3], ['prod/b/2.dump', 4]]);
      expect(await scoped.list('nothing/')).toEqual([]);
      // Another prefix in the same bucket sees none of it.
      expect((await driverFor(server.endpoint, { prefix: 'vault/team-b' }).list('')).length).toBe(0);

      const st = await scoped.stat('prod/b/2.dump');
      expect(st?.size).toBe(4);
      expect(Math.abs((st?.modifiedAt.getTime() ?? 0) - Date.now())).toBeLessThan(120_000);
      expect(await scoped.stat('prod/b/none.dump')).toBeNull();
      await scoped.delete('prod/b/2.dump');
      expect(await scoped.stat('prod/b/2.dump')).toBeNull();
      expect((await rejection(scoped.get('prod/b/2.dump'))).code).toBe('OBJECT_NOT_FOUND');
    } finally {
      await scoped.close();
    }
  });

  it('presigns a GET through the public endpoint that fetch can download', async () => {
    const publicEndpoint = `http://localhost:${server.port}`;
    const pub = driverFor(server.endpoint, { publicEndpoint, prefix: 'dl' });
    try {
      const data = randomBytes(200_000);
      await pub.put('prod/x.dump', Readable.from([data]));
      const url = await pub.presign!('prod/x.dump', 3600);
      expect(url.startsWith(`${publicEndpoint}/backups/dl/prod/x.dump?`)).toBe(true);
      expect(url).toContain('X-Amz-Expires=3600');
      const response = await fetch(url);
      expect(response.status).toBe(200);
      expect(Buffer.from(await response.arrayBuffer()).equals(data)).toBe(true);

      const direct = await driver.presign!('dl/prod/x.dump', 60);
      expect(direct.startsWith(`${server.endpoint}/backups/`)).toBe(true);
      expect((await rejection(pub.presign!('prod/x.dump', 8 * 24 * 3600))).code).toBe('VALIDATION_FAILED');
    } finally {
      await pub.close();
    }
  });

  it('a connection cut mid-upload leaves no object and no multipart upload, and the next run succeeds', async () => {
    server.rules.cutUploadPart = { partNumber: 2, afterBytes: MiB };
    try {
      // Far more than the parts that fill while part 2 is retried (the SDK retries it before
      // giving up), so reading it all would mean the failure never stopped the upload.
      const source = lazySource(400 * MiB);
      const error = await rejection(driver.put('prod/cut.dump', source.stream));
      expect(['DESTINATION_WRITE_FAILED', 'DESTINATION_UNREACHABLE']).toContain(error.code);
      expect(error.message).toContain(server.endpoint);
      expect(error.message).toContain('prod/cut.dump');
      expect(await driver.stat('prod/cut.dump')).toBeNull();
      expect(await server.pendingUploads('backups')).toEqual([]);
      // The failure stopped the other uploaders instead of pushing the whole stream.
      expect(source.produced()).toBeLessThan(200 * MiB);
    } finally {
      server.rules.cutUploadPart = null;
    }
    const again = await driver.put('prod/cut.dump', lazySource(11 * MiB).stream);
    expect(again.size).toBe(11 * MiB);
  });

  describe('a key that holds an object is not replaced', () => {
    const taken = (key: string): string =>
      `Could not write ${key} to bucket backups at ${server.endpoint}: another run is storing, or has just stored, a backup under that name (another Vaultdesk that uses this folder, started in the same second), so this one was not stored and that one was left alone. Run it again.`;
    const stored = async (key: string): Promise<Buffer> => buffer(await driver.get(key));

    for (const [label, size] of [['one part', 2 * MiB], ['several parts', 12 * MiB]] as const) {
      it(`${label}, on a server that ignores If-None-Match (asked first): name-taken, the first object whole, no upload left`, async () => {
        const key = `taken/ignored-${size}.dump`;
        const first = lazySource(size);
        await driver.put(key, first.stream);
        const error = await rejection(driver.put(key, lazySource(size).stream));
        expect(error).toMatchObject({ code: 'DESTINATION_WRITE_FAILED', details: { problem: 'name-taken', key, bucket: 'backups' } });
        expect(error.message).toBe(taken(key));
        expect((await stored(key)).equals(first.data())).toBe(true);
        expect(await server.pendingUploads('backups')).toEqual([]);
      });
    }

    it('two uploads of one key at once, on a server that enforces If-None-Match: one is stored, whole, the other refused', async () => {
      server.rules.conditionalWrites = 'enforced';
      try {
        const key = 'taken/enforced.dump';
        const sources = [lazySource(12 * MiB), lazySource(12 * MiB)];
        const results = await Promise.allSettled(sources.map((source) => driver.put(key, source.stream)));
        const won = results.findIndex((r) => r.status === 'fulfilled');
        const lost = results.find((r) => r.status === 'rejected') as PromiseRejectedResult | undefined;
        expect(won).toBeGreaterThanOrEqual(0);
        expect(lost?.reason).toMatchObject({ code: 'DESTINATION_WRITE_FAILED', details: { problem: 'name-taken', key } });
        expect((await stored(key)).equals(sources[won]!.data())).toBe(true);
        expect(await server.pendingUploads('backups')).toEqual([]);
      } finally {
        server.rules.conditionalWrites = 'ignored';
      }
    });

    for (const conditionalWrites of ['ignored', 'enforced'] as const) {
      it(`a commit stored and its answer lost (the SDK sends it again), If-None-Match ${conditionalWrites}: stored, whole, not name-taken`, async () => {
        server.rules.conditionalWrites = conditionalWrites;
        try {
          for (const size of [2 * MiB, 12 * MiB]) {
            const key = `taken/lost-answer-${conditionalWrites}-${size}.dump`;
            const source = lazySource(size);
            server.rules.loseCommitAnswers = 1;
            expect((await driver.put(key, source.stream)).size).toBe(size);
            expect(server.rules.loseCommitAnswers).toBe(0);
            expect((await stored(key)).equals(source.data())).toBe(true);
          }
          expect(await server.pendingUploads('backups')).toEqual([]);
        } finally {
          server.rules.conditionalWrites = 'ignored';
          server.rules.loseCommitAnswers = 0;
        }
      });
    }

    it('a key allowed to write and not to read (the question answered 403): the object is stored', async () => {
      server.rules.denyObjectReads = true;
      const source = lazySource(12 * MiB);
      try {
        expect((await driver.put('taken/write-only.dump', source.stream)).size).toBe(12 * MiB);
      } finally {
        server.rules.denyObjectReads = false;
      }
      expect((await stored('taken/write-only.dump')).equals(source.data())).toBe(true);
    });

    it('a server that answers If-None-Match with 501 NotImplemented: the object is stored without it', async () => {
      server.rules.conditionalWrites = 'not-implemented';
      try {
        for (const size of [MiB, 12 * MiB]) {
          const source = lazySource(size);
          await driver.put(`taken/old-gateway-${size}.dump`, source.stream);
          expect((await stored(`taken/old-gateway-${size}.dump`)).equals(source.data())).toBe(true);
        }
      } finally {
        server.rules.conditionalWrites = 'ignored';
      }
    });
  });

  it('a cancel mid-upload aborts the multipart upload and reports CANCELLED', async () => {
    const controller = new AbortController();
    const source = lazySource(60 * MiB);
    const error = await rejection(
      driver.put('prod/cancel.dump', source.stream, {
        signal: controller.signal,
        onProgress: (n) => {
          if (n >= 5 * MiB) controller.abort();
        },
      }),
    );
    expect(error.code).toBe('CANCELLED');
    expect(await driver.stat('prod/cancel.dump')).toBeNull();
    expect(await server.pendingUploads('backups')).toEqual([]);
    expect(source.produced()).toBeLessThan(60 * MiB);
  });

  it('a failing input stream aborts the upload and its own error comes back', async () => {
    const source = lazySource(30 * MiB, 12 * MiB);
    const error = await rejection(driver.put('prod/input.dump', source.stream));
    expect(error.message).toBe('zstd: compression failed');
    expect(await driver.stat('prod/input.dump')).toBeNull();
    expect(await server.pendingUploads('backups')).toEqual([]);
  });

  it('refuses keys that would escape the prefix', async () => {
    for (const key of ['../x', 'a/../../x', '/abs', 'a\\b', 'a//b', '']) {
      expect((await rejection(driver.put(key, Readable.from([Buffer.from('x')])))).code, key).toBe('VALIDATION_FAILED');
      expect((await rejection(driver.stat(key))).code, key).toBe('VALIDATION_FAILED');
    }
  });

  it('test(): lists buckets, detects a bucket-scoped key, and reports partial bucket access', async () => {
    const plain = await driver.test();
    expect(plain).toMatchObject({ success: true, scopedKey: false });
    expect(plain.buckets).toEqual(expect.arrayContaining(['backups', 'other', 'secret']));

    const missing = await driverFor(server.endpoint, { bucket: 'nope-bucket' }).test();
    expect(missing.success).toBe(false);
    expect(missing.message).toContain('nope-bucket');

    server.rules.denyListBuckets = true;
    server.rules.denyBuckets.add('secret');
    try {
      expect(await driver.test()).toEqual({ success: false, scopedKey: true, buckets: [], message: SCOPED_KEY_MESSAGE });

      const listed = await driverFor(server.endpoint, { buckets: ['backups', 'other', 'secret'] }).test();
      expect(listed.success).toBe(false);
      expect(listed.buckets).toEqual(['backups', 'other']);
      expect(listed.message).toContain('Access to 2/3 buckets');
      expect(listed.message).toContain('secret (access denied)');
      expect(listed.message).not.toMatch(/no access to [^.]*backups/);

      const allowed = await driverFor(server.endpoint, { buckets: ['backups', 'other'] }).test();
      expect(allowed).toMatchObject({ success: true, buckets: ['backups', 'other'] });
      expect(allowed.message).toContain('Access to 2/2 buckets');

      const denied = await rejection(driverFor(server.endpoint, { bucket: 'secret' }).put('x.dump', Readable.from([Buffer.from('x')])));
      expect(denied.code).toBe('DESTINATION_AUTH_FAILED');
      expect(denied.message).toContain('secret');
    } finally {
      server.rules.denyListBuckets = false;
      server.rules.denyBuckets.clear();
    }
  });

  it('an unknown access key is DESTINATION_AUTH_FAILED and no message carries the secret', async () => {
    // s3rver checks the access key id (it does not verify V4 signatures, so a wrong secret alone cannot be shown here).
    const wrong = createDestinationDriver(s3Dto(server.endpoint, { accessKeyId: 'AKIAWRONGKEY' }), { secretAccessKey: 'definitely-not-the-secret' });
    const error = await rejection(wrong.put('prod/auth.dump', Readable.from([Buffer.from('x')])));
    expect(error.code).toBe('DESTINATION_AUTH_FAILED');
    expect(error.message).toContain('does not know this access key id');
    const result = await wrong.test();
    expect(result).toMatchObject({ success: false, scopedKey: false });
    expect(result.message).toContain('does not know this access key id');
    expect(JSON.stringify([error.message, error.details, result])).not.toContain('definitely-not-the-secret');
    expect(await driver.stat('prod/auth.dump')).toBeNull();

    const noSecret = createDestinationDriver(s3Dto(server.endpoint), {});
    expect((await rejection(noSecret.put('prod/auth.dump', Readable.from([Buffer.from('x')])))).code).toBe('DESTINATION_AUTH_FAILED');
    expect((await noSecret.test()).message).toContain('no secret access key');
  });

  it('a server that goes away while an object is read: the reader gets DESTINATION_UNREACHABLE naming the endpoint, not the socket\'s "aborted"', async () => {
    const going = await startS3Server({ buckets: ['backups'] });
    const reader = driverFor(going.endpoint);
    try {
      await reader.put('prod/big.dump', lazySource(24 * MiB).stream);
      const body = await reader.get('prod/big.dump');
      const failed = new Promise<unknown>((resolve) => body.once('error', resolve));
      await new Promise((resolve) => body.once('data', resolve));
      body.pause();
      await going.stop();
      body.resume();
      const error = (await failed) as AppError;
      expect(error).toBeInstanceOf(AppError);
      expect(error.code).toBe('DESTINATION_UNREACHABLE');
      expect(error.message).toContain(`The connection to ${going.endpoint} was lost while working on prod/big.dump in bucket backups`);
    } finally {
      await reader.close();
    }
  });

  it('a stopped server is DESTINATION_UNREACHABLE, naming the endpoint', async () => {
    const gone = await startS3Server({ buckets: ['backups'] });
    await gone.stop();
    const dead = driverFor(gone.endpoint);
    const error = await rejection(dead.put('prod/x.dump', lazySource(6 * MiB).stream));
    expect(error.code).toBe('DESTINATION_UNREACHABLE');
    expect(error.message).toContain(gone.endpoint);
    expect((await rejection(dead.list(''))).code).toBe('DESTINATION_UNREACHABLE');
    const result = await dead.test();
    expect(result.success).toBe(false);
    expect(result.message).toContain('Cannot reach');
  });
});
