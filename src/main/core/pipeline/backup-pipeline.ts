import { createReadStream } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DEFAULT_LEVEL } from '../../../shared/domain/compression-levels';
import type { Compression, DestinationDto, SourceDto } from '../../../shared/domain/dto';
import type { RunObjectDto, RunStage } from '../../../shared/domain/runs';
import { AppError } from '../../../shared/ipc/result';
import { createDestinationDriver, type DestinationDriver, type PutOptions } from '../destinations/destination';
import type { Logger } from '../logger';
import { createSourceDriver, type DumpFormat, type DumpProcess, type SourceContext, type SourceDriver } from '../sources/source-driver';
import { BATCH_BYTES, createBatchStream, ZSTD_BATCH_BYTES } from './batch-stream';
import { createCompressStream } from './compress';
import { createFanOut } from './fan-out';
import { manifestKey, recipientFingerprint, type BackupManifest } from './manifest';
import { BACKGROUND_NICE, lowerThreadpoolPriority } from './thread-priority';
import { interrupted, locationOf, Meter, StageError, stageError, toolName } from './pipeline-support';

export { locationOf, StageError, stageError } from './pipeline-support';

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
  /** The source's SSH host key, pinned on first use. */
  onSourceHostKeyPinned?: (fingerprint: string) => void;
  onStageTime?: (stage: RunStage, ms: number) => void;
  /** An S3 multipart upload was created; resolves once the host has recorded it (before its first part). */
  onUploadStarted?: (destinationId: string, key: string, uploadId: string) => Promise<void>;
  /** Something about the backup a person should read (SourceContext.onNote: history a dump leaves out), for the run's log. */
  onNote?: (text: string) => void;
  /** What the source drivers log (tools started, SSH connections); the host decides where it goes. */
  log?: Logger;
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

/**
 * Encryption's module (node:crypto only, not age-encryption's: age-seal.ts) is loaded while the
 * source's connection test runs, not before the worker can start it. 7-Zip's is loaded only for
 * a 7-Zip job.
 */
let ageStream: Promise<typeof import('./age-encrypt-stream')> | null = null;
const loadAgeStream = (): Promise<typeof import('./age-encrypt-stream')> => (ageStream ??= import('./age-encrypt-stream'));

export async function runBackupPlan(plan: BackupPlan, hooks: PipelineHooks): Promise<BackupOutcome> {
  const source = createSourceDriver(plan.source.dto, plan.source.secrets, {
    ...plan.sourceContext,
    log: hooks.log,
    onHostKeyPinned: (fp) => hooks.onSourceHostKeyPinned?.(fp),
    onNote: (text) => hooks.onNote?.(text),
  });
  // Made before a tool starts (constructors, no I/O): one that threw left the tool running.
  const destinations = plan.destinations.map((d) => ({
    dto: d.dto,
    driver: createDestinationDriver(d.dto, d.secrets, { onHostKeyPinned: (fp) => hooks.onHostKeyPinned?.(d.dto.id, fp) }),
  }));
  // A source whose dump checks the server beside it (SourceDriver.dumpChecksItself) starts its
  // first tool before anything else: what follows loads modules and opens connections on this
  // thread, and each of them held the tool's start (and the server's snapshot) back.
  const firstObject = plan.objects[0];
  let early: Promise<DumpProcess> | null = source.dumpChecksItself && firstObject ? startDump(plan, firstObject, source, hooks.signal) : null;
  await early?.catch(() => undefined);
  if (plan.encryption.kind === 'age') loadAgeStream().catch(() => undefined);
  // Compression, writing and this thread's reading, hashing and encrypting go behind the database
  // server and the dump tool (thread-priority.ts). Not waited for: the first frame comes well
  // after the tool's start, which must not wait.
  void lowerThreadpoolPriority(BACKGROUND_NICE, { andThisThread: true });
  const objects: RunObjectDto[] = [];
  const manifests: Record<string, string> = {};
  try {
    // Destinations load what they need while the source's connection test waits on the network.
    const prepared = Promise.all(destinations.map((d) => d.driver.prepare?.()));
    const serverVersion = source.test().then((tested) => tested.serverVersion || null);
    serverVersion.catch(() => undefined);
    // A source whose dump checks the server beside it (SourceDriver.dumpChecksItself) starts at once.
    try {
      if (!source.dumpChecksItself) await serverVersion;
    } catch (error) {
      return { objects, error: stageError('dump', error), manifests };
    } finally {
      await prepared;
    }
    for (const [index, object] of plan.objects.entries()) {
      const started = index === 0 ? early : null;
      early = null;
      const { result, error, manifest } = await backupObject(plan, object, index, source, destinations, serverVersion, hooks, started);
      // A connection test that failed is the run's error, with no object, as when it came first.
      const untested = error ? await serverVersion.then(() => null, (failure: unknown) => failure) : null;
      if (untested !== null) return { objects, error: stageError('dump', untested), manifests };
      objects.push(result);
      if (manifest) manifests[object.key] = manifest;
      if (error) return { objects, error, manifests };
    }
    return { objects, error: null, manifests };
  } finally {
    // A run that ended before its first object was backed up (a destination that failed to
    // prepare) stops the tool started for it.
    if (early) await stopUnused(early);
    await Promise.allSettled([source.close(), ...destinations.map((d) => d.driver.close())]);
  }
}

function startDump(plan: BackupPlan, object: ObjectPlan, source: SourceDriver, signal: AbortSignal): Promise<DumpProcess> {
  const dump = object.kind === 'globals' ? source.dumpGlobals!() : source.dump(object.database, { format: plan.format, signal });
  // Awaited by backupObject, or stopped unused: its failure is said there.
  dump.catch(() => undefined);
  return dump;
}

async function stopUnused(started: Promise<DumpProcess>): Promise<void> {
  const dump = await started.catch(() => null);
  if (!dump) return;
  dump.cancel();
  await dump.done.catch(() => undefined);
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
  serverVersion: Promise<string | null>,
  hooks: PipelineHooks,
  started: Promise<DumpProcess> | null,
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
  /** What this run put in place at each destination (`index:object`, `index:manifest`): what a failure removes. */
  const committed = new Set<string>();
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
  const startedAt = Date.now();
  let archive: string | null = null;
  let running: DumpProcess | null = null;
  try {
    report('dump', true);
    // Asked beside the dump, on a connection of its own: a restore creates the database with them. Without them, a restore uses the server's default.
    // A read that failed is said when the manifest goes without it: a dump started beside its
    // check (dumpChecksItself) asks before the server is known to answer, and a run that fails
    // writes no manifest, so its reads' failures only repeated the run's error as warnings.
    const asked = <T>(read: ((database: string) => Promise<T | null>) | undefined, what: string): Promise<() => T | null> =>
      object.kind === 'database' && read
        ? read.call(source, object.label).then(
            (value) => () => value,
            (error: unknown) => () => {
              hooks.log?.warn(`could not read the database ${what} for the manifest`, { database: object.label, error: error instanceof Error ? error.message : String(error) });
              return null;
            },
          )
        : Promise.resolve(() => null);
    const dump = await (started ?? startDump(plan, object, source, controller.signal));
    running = dump;
    // Asked once the tool has started, which their connections would have held back.
    const locale = asked(source.databaseLocale, 'encoding and locale');
    const charset = asked(source.databaseCharset, 'default character set');
    const objects = asked(source.databaseObjects, 'views, triggers, routines and events');
    const properties = asked(source.databaseProperties, 'settings, owner and privileges');
    const dumpDone = dump.done.catch((error: unknown) => {
      fail('dump', error);
      throw first ?? stageError('dump', error);
    });
    // Awaited below, after age's module and stream are ready: a dump that fails before that (its
    // check failed, the tool would not start) must not be an unhandled rejection in the meantime,
    // which ended the worker ("The backup worker crashed").
    dumpDone.catch(() => undefined);
    const inMeter = new Meter((n) => {
      bytesDumped = n;
      report('upload');
    }, false);
    const outMeter = new Meter((n) => {
      bytesStored = n;
    }, true);
    let body: Readable;
    let stages: NodeJS.ReadWriteStream[];
    let inputGood: () => Promise<void>;
    if (plan.encryption.kind === '7z') {
      // 7-Zip needs a seekable output: the archive is made in the run's private temp folder first.
      archive = await sevenZipArchive(plan, object, dump.stream, inMeter, dumpDone, controller.signal, plan.encryption.passphrase).catch((error: unknown) => {
        const code = error instanceof AppError ? error.code : '';
        fail(code === 'DUMP_FAILED' || code === 'CANCELLED' ? 'dump' : 'encrypt', error);
        throw first ?? stageError('encrypt', error);
      });
      report('upload', true);
      body = createReadStream(archive);
      stages = [];
      inputGood = async () => undefined;
    } else {
      const compress = createCompressStream(plan.compression, plan.compressionLevel ?? undefined);
      const encrypt = plan.encryption.kind === 'age' ? await (await loadAgeStream()).createAgeEncryptStream({ recipients: plan.encryption.recipients }) : null;
      compress.once('error', (e) => fail('compress', e));
      encrypt?.once('error', (e) => fail('encrypt', e));
      body = dump.stream;
      // Batching first: a local tool's dump arrives in 1 MiB frames (dump-pipe.ts), but over SSH,
      // or where the dump's socket cannot be made, in 4-32 KiB pieces; gzip and the later stages then get
      // 1 MiB per call. zstd gathers its own frames in pooled buffers, so for it the batches stay
      // small (no 1 MiB allocation per frame); whole pooled frames it compresses in place.
      const batch = createBatchStream({
        bytes: plan.compression === 'zstd' ? ZSTD_BATCH_BYTES : BATCH_BYTES,
        coalesceReads: plan.source.dto.ssh?.mode !== 'exec',
      });
      stages = [batch, inMeter, compress, ...(encrypt ? [encrypt] : [])];
      inputGood = () => dumpDone;
    }
    const fan = createFanOut(destinations.length, inputGood);
    // A dump started beside its check writes nothing anywhere until the check passed (DumpProcess.checked).
    const checked = dump.checked ?? Promise.resolve(true);
    const puts = destinations.map((d, i) =>
      checked.then((passed) =>
        // A run cancelled or failed while the check ran has nothing to store either.
        passed && !controller.signal.aborted
          ? d.driver.put(object.key, fan.branches[i]!, { signal: controller.signal, ...uploadStarted(hooks, d.dto.id, object.key) }).then(
              () => void committed.add(`${i}:object`),
              (error: unknown) => {
                fail('upload', error, d.dto.name);
                throw error;
              },
            )
          : undefined,
      ),
    );
    const flow = pipeline([body, ...stages, outMeter, fan.sink] as unknown as [Readable, ...NodeJS.ReadWriteStream[], NodeJS.WritableStream], { signal: controller.signal }).catch((error: unknown) => {
      fail('dump', error);
    });
    controller.signal.addEventListener('abort', () => dump.cancel(), { once: true });
    await Promise.allSettled([inputGood(), flow, ...puts]);
    if (first !== null || controller.signal.aborted) throw first ?? interrupted(hooks.signal);
    hooks.onStageTime?.('dump', Date.now() - startedAt);
    result.bytesIn = bytesDumped;
    result.size = outMeter.bytes;
    result.sha256 = outMeter.digest();
    report('manifest', true);
    const manifestStarted = Date.now();
    const [readLocale, readCharset, readObjects, readProperties, testedVersion] = await Promise.all([locale, charset, objects, properties, serverVersion]);
    const [databaseLocale, databaseCharset, databaseObjects, databaseProperties] = [readLocale(), readCharset(), readObjects(), readProperties()];
    const manifest: BackupManifest = {
      formatVersion: 1,
      app: { name: 'vaultdesk', version: plan.appVersion },
      runId: plan.runId,
      // The run's start by the core's clock, as the object's name says: when the dump's snapshot was taken.
      createdAt: plan.startedAt,
      job: plan.job,
      source: {
        name: plan.source.dto.name,
        engine: plan.source.dto.engine,
        serverVersion: testedVersion,
        database: object.label,
        kind: object.kind,
        ...(databaseLocale ? { locale: databaseLocale } : {}),
        ...(databaseCharset ? { charset: databaseCharset } : {}),
        ...(databaseObjects ? { objects: databaseObjects } : {}),
        ...(databaseProperties ? { properties: databaseProperties } : {}),
      },
      dump: { format: plan.source.dto.engine === 'sqlite' ? 'sqlite' : plan.source.dto.engine === 'mysql' ? 'plain' : object.kind === 'globals' ? 'plain' : plan.format, tool: toolName(plan.source.dto, object.kind), bytes: bytesDumped },
      compression: { algorithm: plan.compression, level: plan.compression === 'none' ? null : (plan.compressionLevel ?? DEFAULT_LEVEL[plan.compression]) },
      encryption:
        plan.encryption.kind === 'age'
          ? { kind: 'age', recipients: plan.encryption.recipients.map((r) => ({ recipient: r, fingerprint: recipientFingerprint(r) })) }
          : plan.encryption.kind === '7z'
            ? { kind: '7z', headersEncrypted: true }
            : { kind: 'none' },
      object: { key: object.key, size: result.size, sha256: result.sha256 },
    };
    const manifestBody = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`);
    const manifests = await Promise.allSettled(
      destinations.map((d, i) => d.driver.put(manifestKey(object.key), Readable.from([manifestBody]), { signal: controller.signal }).then(() => void committed.add(`${i}:manifest`))),
    );
    const failedManifest = manifests.findIndex((m) => m.status === 'rejected');
    if (failedManifest >= 0) {
      throw stageError('manifest', (manifests[failedManifest] as PromiseRejectedResult).reason, destinations[failedManifest]!.dto.name);
    }
    hooks.onStageTime?.('manifest', Date.now() - manifestStarted);
    result.status = 'succeeded';
    result.destinations = destinations.map((d) => ({ destinationId: d.dto.id, name: d.dto.name, ok: true, location: locationOf(d.dto, object.key), error: null }));
    report('manifest', true);
    return { result, error: null, manifest: manifestBody.toString('utf8') };
  } catch (error) {
    const failure = hooks.signal.aborted ? interrupted(hooks.signal) : stageError('dump', error);
    // Nothing that looks like a finished backup may stay behind: remove what this run committed, and
    // only that (another install's run that took the same name keeps its backup).
    await Promise.allSettled(
      destinations.flatMap((d, i) => [
        ...(committed.has(`${i}:manifest`) ? [d.driver.delete(manifestKey(object.key))] : []),
        ...(committed.has(`${i}:object`) ? [d.driver.delete(object.key)] : []),
      ]),
    );
    result.status = failure.code === 'CANCELLED' ? 'cancelled' : 'failed';
    // How far the dump got before it failed: "0 bytes dumped" read as a dump that never began.
    result.bytesIn = bytesDumped;
    const failedOn = failure instanceof StageError ? failure.destination : undefined;
    result.destinations = result.destinations.map((d) => ({ ...d, ok: false, error: failedOn === undefined || failedOn === d.name ? failure.message : 'not kept: another destination failed' }));
    return { result, error: failure };
  } finally {
    // A failure before the stream was in place (age's stream refused a recipient) left the tool
    // blocked on its full socket until the worker ended; a tool that exited is not touched.
    if (running) {
      running.cancel();
      await running.done.catch(() => undefined);
    }
    if (archive) await rm(archive, { force: true });
    if (trailing) clearTimeout(trailing);
    hooks.signal.removeEventListener('abort', abort);
  }
}

function uploadStarted(hooks: PipelineHooks, destinationId: string, key: string): Pick<PutOptions, 'onUploadStarted'> {
  const report = hooks.onUploadStarted;
  return report ? { onUploadStarted: (uploadId) => report(destinationId, key, uploadId) } : {};
}

/** The dump, counted, into a 7-Zip archive; good only once both 7-Zip and the dump tool exited 0. */
async function sevenZipArchive(plan: BackupPlan, object: ObjectPlan, dump: Readable, meter: Transform, dumpDone: Promise<void>, signal: AbortSignal, passphrase: string): Promise<string> {
  const { createSevenZipArchive, findSevenZip } = await import('./seven-zip');
  const tool = await findSevenZip(plan.sourceContext.env ?? {}, plan.sourceContext.toolPaths?.['7z']);
  dump.once('error', (error) => meter.destroy(error));
  const entryName = path.posix.basename(object.key).replace(/\.7z$/, '');
  const archived = createSevenZipArchive(dump.pipe(meter), { tool, passphrase, entryName, tempDir: plan.sourceContext.tempDir, signal });
  try {
    const [made] = await Promise.all([archived, dumpDone]);
    return made.file;
  } catch (error) {
    // The dump's failure aborts the run's signal, which kills 7-Zip. The object ends only once
    // 7-Zip has exited and its files are gone: the worker is stopped when the run ends, and a
    // 7-Zip it had not yet waited for was left unreaped, its temporary archive never removed.
    await archived.then(
      (made) => rm(made.file, { force: true }),
      () => undefined,
    );
    throw error;
  }
}

