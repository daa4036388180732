import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Compression, DestinationDto, SourceDto } from '../../../shared/domain/dto';
import type { RunObjectDto, RunStage } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';
import { createDestinationDriver, type DestinationDriver } from '../destinations/destination';
import { createSourceDriver, type DumpFormat, type SourceContext, type SourceDriver } from '../sources/source-driver';
import { createAgeEncryptStream } from './age-stream';
import { createCompressStream } from './compress';
import { createFanOut } from './fan-out';
import { manifestKey, recipientFingerprint, type BackupManifest } from './manifest';

export type EncryptionPlan = { kind: 'none' } | { kind: 'age'; recipients: string[] } | { kind: '7z'; passphrase: string };

/** One object to produce: one database (or the server's globals) of the job. */
export interface ObjectPlan {
  key: string;
  /** What the source driver dumps: null for the source's own database. */
  database: string | null;
  /** The database's name as recorded in the manifest. */
  label: string;
  kind: 'database' | 'globals';
}

/** Everything a run needs, as plain data: it crosses into a worker thread. */
export interface BackupPlan {
  runId: string;
  appVersion: string;
  job: { id: string; name: string };
  source: { dto: SourceDto; secrets: Record<string, string> };
  destinations: { dto: DestinationDto; secrets: Record<string, string> }[];
  objects: ObjectPlan[];
  format: DumpFormat;
  compression: Compression;
  compressionLevel: number | null;
  encryption: EncryptionPlan;
  sourceContext: SourceContext;
  startedAt: string;
}

export interface PipelineProgress {
  stage: RunStage;
  database: string | null;
  objectIndex: number;
  bytesDumped: number;
  bytesStored: number;
}

export interface PipelineHooks {
  signal: AbortSignal;
  onProgress?: (p: PipelineProgress) => void;
  onHostKeyPinned?: (destinationId: string, fingerprint: string) => void;
  onStageTime?: (stage: RunStage, ms: number) => void;
}

/** An AppError that also says which stage (and destination) failed. */
export class StageError extends AppError {
  constructor(
    readonly stage: RunStage,
    cause: AppError,
    readonly destination?: string,
  ) {
    super(cause.code, cause.message, { ...cause.details, stage, ...(destination ? { destination } : {}) });
  }
}

export function stageError(stage: RunStage, error: unknown, destination?: string): StageError {
  if (error instanceof StageError) return error;
  const app = error instanceof AppError ? error : new AppError('RUN_FAILED', error instanceof Error ? error.message : String(error));
  return new StageError(stage, app, destination);
}

/** Counts and hashes the bytes going by. */
class Meter extends Transform {
  bytes = 0;
  readonly #hash = createHash('sha256');
  constructor(private readonly onBytes: (n: number) => void, private readonly hash: boolean) {
    super({ highWaterMark: 1024 * 1024 });
  }
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: (err?: Error | null, data?: Buffer) => void): void {
    this.bytes += chunk.length;
    if (this.hash) this.#hash.update(chunk);
    this.onBytes(this.bytes);
    cb(null, chunk);
  }
  digest(): string {
    return this.#hash.digest('hex');
  }
}

/**
 * dump -> compress -> encrypt -> sha256 -> every destination, as one stream per object. The
 * object is committed on a destination only after the dump tool exited 0 (the fan-out holds
 * back the end of the stream until then), and the manifest, written last, is the commit
 * marker. Any failure removes whatever this object left behind, on every destination.
 */
export interface BackupOutcome {
  objects: RunObjectDto[];
  /** The first failure; the run stops at the object that failed. */
  error: StageError | null;
  /** Manifest text by object key, for the objects that succeeded. */
  manifests: Record<string, string>;
}

export async function runBackupPlan(plan: BackupPlan, hooks: PipelineHooks): Promise<BackupOutcome> {
  const source = createSourceDriver(plan.source.dto, plan.source.secrets, plan.sourceContext);
  const destinations = plan.destinations.map((d) => ({
    dto: d.dto,
    driver: createDestinationDriver(d.dto, d.secrets, { onHostKeyPinned: (fp) => hooks.onHostKeyPinned?.(d.dto.id, fp) }),
  }));
  const objects: RunObjectDto[] = [];
  const manifests: Record<string, string> = {};
  if (plan.encryption.kind === '7z') {
    // Never fall through to an unencrypted upload for a job that asked for encryption.
    return { objects, error: stageError('encrypt', new AppError('ENCRYPT_FAILED', '7-Zip encryption is not supported by this version; choose an age profile.')), manifests };
  }
  try {
    let serverVersion: string | null;
    try {
      serverVersion = (await source.test()).serverVersion || null;
    } catch (error) {
      return { objects, error: stageError('dump', error), manifests };
    }
    for (const [index, object] of plan.objects.entries()) {
      const { result, error, manifest } = await backupObject(plan, object, index, source, destinations, serverVersion, hooks);
      objects.push(result);
      if (manifest) manifests[object.key] = manifest;
      if (error) return { objects, error, manifests };
    }
    return { objects, error: null, manifests };
  } finally {
    await Promise.allSettled([source.close(), ...destinations.map((d) => d.driver.close())]);
  }
}

interface OpenDestination {
  dto: DestinationDto;
  driver: DestinationDriver;
}

async function backupObject(
  plan: BackupPlan,
  object: ObjectPlan,
  index: number,
  source: SourceDriver,
  destinations: OpenDestination[],
  serverVersion: string | null,
  hooks: PipelineHooks,
): Promise<{ result: RunObjectDto; error: StageError | null; manifest?: string }> {
  const controller = new AbortController();
  const abort = (): void => controller.abort(hooks.signal.reason);
  // A signal that is already aborted never fires 'abort' again: check it first.
  if (hooks.signal.aborted) abort();
  else hooks.signal.addEventListener('abort', abort, { once: true });
  const result: RunObjectDto = {
    database: object.label,
    kind: object.kind,
    key: object.key,
    status: 'failed',
    bytesIn: 0,
    size: 0,
    sha256: null,
    destinations: destinations.map((d) => ({ destinationId: d.dto.id, name: d.dto.name, ok: false, location: null, error: null })),
  };
  let first: StageError | null = null;
  const fail = (stage: RunStage, error: unknown, destination?: string): void => {
    if (first === null && !controller.signal.aborted) first = stageError(stage, error, destination);
    controller.abort();
  };
  let bytesDumped = 0;
  let bytesStored = 0;
  let lastReport = 0;
  let trailing: NodeJS.Timeout | null = null;
  let stageNow: RunStage = 'dump';
  const emitProgress = (): void => {
    lastReport = Date.now();
    hooks.onProgress?.({ stage: stageNow, database: object.label, objectIndex: index, bytesDumped, bytesStored });
  };
  // At most five reports a second, but the last change is always reported (a trailing update).
  const report = (stage: RunStage, force = false): void => {
    stageNow = stage;
    const wait = 200 - (Date.now() - lastReport);
    if (force || wait <= 0) {
      if (trailing) clearTimeout(trailing);
      trailing = null;
      emitProgress();
    } else {
      trailing ??= setTimeout(() => {
        trailing = null;
        emitProgress();
      }, wait);
    }
  };
  const started = Date.now();
  try {
    report('dump', true);
    const dump = object.kind === 'globals' ? await source.dumpGlobals!() : await source.dump(object.database, { format: plan.format, signal: controller.signal });
    const dumpDone = dump.done.catch((error: unknown) => {
      fail('dump', error);
      throw first ?? stageError('dump', error);
    });
    const inMeter = new Meter((n) => {
      bytesDumped = n;
      report('upload');
    }, false);
    const outMeter = new Meter((n) => {
      bytesStored = n;
    }, true);
    const compress = createCompressStream(plan.compression, plan.compressionLevel ?? undefined);
    const encrypt = plan.encryption.kind === 'age' ? await createAgeEncryptStream({ recipients: plan.encryption.recipients }) : null;
    compress.once('error', (e) => fail('compress', e));
    encrypt?.once('error', (e) => fail('encrypt', e));
    const fan = createFanOut(destinations.length, () => dumpDone);
    const puts = destinations.map((d, i) =>
      d.driver.put(object.key, fan.branches[i]!, { signal: controller.signal }).catch((error: unknown) => {
        fail('upload', error, d.dto.name);
        throw error;
      }),
    );
    const stages: NodeJS.ReadWriteStream[] = [inMeter, compress, ...(encrypt ? [encrypt] : []), outMeter];
    const flow = pipeline([dump.stream, ...stages, fan.sink] as unknown as [Readable, ...NodeJS.ReadWriteStream[], NodeJS.WritableStream], { signal: controller.signal }).catch((error: unknown) => {
      fail('dump', error);
    });
    controller.signal.addEventListener('abort', () => dump.cancel(), { once: true });
    await Promise.allSettled([dumpDone, flow, ...puts]);
    if (first !== null || controller.signal.aborted) throw first ?? interrupted(hooks.signal);
    hooks.onStageTime?.('dump', Date.now() - started);
    result.bytesIn = bytesDumped;
    result.size = outMeter.bytes;
    result.sha256 = outMeter.digest();
    report('manifest', true);
    const manifestStarted = Date.now();
    const manifest: BackupManifest = {
      formatVersion: 1,
      app: { name: 'vaultdesk', version: plan.appVersion },
      runId: plan.runId,
      createdAt: new Date().toISOString(),
      job: plan.job,
      source: { name: plan.source.dto.name, engine: plan.source.dto.engine, serverVersion, database: object.label, kind: object.kind },
      dump: { format: plan.source.dto.engine === 'sqlite' ? 'sqlite' : plan.source.dto.engine === 'mysql' ? 'plain' : object.kind === 'globals' ? 'plain' : plan.format, tool: toolName(plan.source.dto, object.kind), bytes: bytesDumped },
      compression: { algorithm: plan.compression, level: plan.compressionLevel },
      encryption:
        plan.encryption.kind === 'age'
          ? { kind: 'age', recipients: plan.encryption.recipients.map((r) => ({ recipient: r, fingerprint: recipientFingerprint(r) })) }
          : plan.encryption.kind === '7z'
            ? { kind: '7z', headersEncrypted: true }
            : { kind: 'none' },
      object: { key: object.key, size: result.size, sha256: result.sha256 },
    };
    const body = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const manifests = await Promise.allSettled(destinations.map((d) => d.driver.put(manifestKey(object.key), Readable.from([body]), { signal: controller.signal })));
    const failedManifest = manifests.findIndex((m) => m.status === 'rejected');
    if (failedManifest >= 0) {
      throw stageError('manifest', (manifests[failedManifest] as PromiseRejectedResult).reason, destinations[failedManifest]!.dto.name);
    }
    hooks.onStageTime?.('manifest', Date.now() - manifestStarted);
    result.status = 'succeeded';
    result.destinations = destinations.map((d) => ({ destinationId: d.dto.id, name: d.dto.name, ok: true, location: locationOf(d.dto, object.key), error: null }));
    report('manifest', true);
    return { result, error: null, manifest: body.toString('utf8') };
  } catch (error) {
    const failure = hooks.signal.aborted ? interrupted(hooks.signal) : stageError('dump', error);
    // Nothing that looks like a finished backup may stay behind: remove what this object committed.
    await Promise.allSettled(destinations.flatMap((d) => [d.driver.delete(manifestKey(object.key)), d.driver.delete(object.key)]));
    result.status = failure.code === 'CANCELLED' ? 'cancelled' : 'failed';
    const failedOn = failure instanceof StageError ? failure.destination : undefined;
    result.destinations = result.destinations.map((d) => ({ ...d, ok: false, error: failedOn === undefined || failedOn === d.name ? failure.message : 'not kept: another destination failed' }));
    return { result, error: failure };
  } finally {
    if (trailing) clearTimeout(trailing);
    hooks.signal.removeEventListener('abort', abort);
  }
}

function interrupted(signal: AbortSignal): StageError {
  const reason: unknown = signal.reason;
  if (reason instanceof AppError) return stageError('dump', reason);
  return stageError('dump', new AppError('CANCELLED', 'The run was cancelled; nothing was kept.'));
}

function toolName(source: SourceDto, kind: 'database' | 'globals'): string {
  if (source.engine === 'postgres') return kind === 'globals' ? 'pg_dumpall' : 'pg_dump';
  if (source.engine === 'mysql') return 'mariadb-dump';
  return 'sqlite-online-backup';
}

/** A human-readable place for the run record: the path, s3:// or sftp:// URL of the object. */
export function locationOf(dto: DestinationDto, key: string): string {
  const c = dto.config;
  if (c.kind === 'local') return `${c.path.replace(/\/+$/, '')}/${key}`;
  if (c.kind === 's3') return `s3://${c.bucket}/${c.prefix ? `${c.prefix}/` : ''}${key}`;
  return `sftp://${c.user}@${c.host}:${c.port}${c.path.startsWith('/') ? '' : '/'}${c.path.replace(/\/+$/, '')}/${key}`;
}
