import type { Readable } from 'node:stream';
import type { DestinationDto } from '../../../shared/domain/dto';
import { AppError, type ErrorCode } from '../../../shared/ipc/result';
import { formatDuration, withDeadline } from '../deadline';
import type { DestinationDriver, StoredObject } from '../destinations/destination';
import { formatBytes } from '../destinations/local-files';
import { isManifestKey, manifestKey, MANIFEST_SUFFIX } from '../pipeline/manifest';
import { MAX_MANIFEST_BYTES, readManifestText, type ManifestReading } from '../pipeline/manifest-schema';
import { locationOf } from '../pipeline/pipeline-support';
import type { BackupStateRepository, CachedManifest } from '../store/backup-state-repository';
import { backupIdOf } from './backup-id';
import { isPinMarkerKey, pinMarkersIn, pinMarkersOf, type PinMarker } from './pin-markers';

/** One key of a destination as the explorer sees it: an object, its manifest, or both. */
export interface ScannedEntry {
  id: string;
  key: string;
  object: StoredObject | null;
  manifest: { stored: StoredObject; text: string | null; reading: ManifestReading } | null;
  /** Pins kept at the destination beside it (pin-markers.ts), whichever install made them. */
  pins: PinMarker[];
}

/** Manifests read at once from one destination: enough to hide each request's latency, few enough not to crowd a small server. */
export const MANIFEST_READS_AT_ONCE = 8;
/** One manifest is a few kilobytes: a read that takes this long is a destination that stopped answering. */
const MANIFEST_READ_MS = 60_000;

/** After these, reading the other manifests of the destination would fail the same way: the destination's listing fails. */
const DESTINATION_WIDE: ReadonlySet<ErrorCode> = new Set<ErrorCode>(['DESTINATION_UNREACHABLE', 'DESTINATION_AUTH_FAILED', 'HOST_KEY_CHANGED', 'CANCELLED']);

/** What a destination's root is now: a destination moved elsewhere must not be read from the old place's cache. */
export function rootOf(dto: DestinationDto): string {
  return locationOf(dto, '');
}

/**
 * Lists a destination and pairs every manifest with the object beside it. Objects are only
 * listed, never read; manifests are read (at most MANIFEST_READS_AT_ONCE at a time) unless the
 * cache holds the same file (same size, time and ETag) read from the same root. What was read is
 * cached and what is gone is dropped from the cache.
 */
export async function scanDestination(driver: DestinationDriver, dto: DestinationDto, state: BackupStateRepository): Promise<ScannedEntry[]> {
  const listed = await driver.list('');
  const root = rootOf(dto);
  const cache = state.cachedManifests(dto.id);
  const objects = new Map<string, StoredObject>();
  const manifests = new Map<string, StoredObject>();
  const pins = pinMarkersIn(listed);
  for (const o of listed) {
    if (isManifestKey(o.key)) manifests.set(o.key.slice(0, -MANIFEST_SUFFIX.length), o);
    else if (!isPinMarkerKey(o.key)) objects.set(o.key, o);
  }
  const readings = new Map<string, ScannedEntry['manifest']>();
  const toRead: [string, StoredObject][] = [];
  for (const [key, stored] of manifests) {
    const cached = cache.get(key);
    if (cached && sameFile(cached, stored, root)) readings.set(key, { stored, text: cached.body, reading: readManifestText(cached.body) });
    else if (stored.size > MAX_MANIFEST_BYTES) readings.set(key, { stored, text: null, reading: tooLarge(stored.size) });
    else toRead.push([key, stored]);
  }
  const fresh: CachedManifest[] = [];
  await eachLimited(toRead, MANIFEST_READS_AT_ONCE, async ([key, stored]) => {
    try {
      const text = await readSmallObject(driver, manifestKey(key), MAX_MANIFEST_BYTES);
      readings.set(key, { stored, text, reading: readManifestText(text) });
      fresh.push({ key, backupId: backupIdOf(dto.id, key), root, size: stored.size, modifiedAt: stored.modifiedAt.toISOString(), etag: stored.etag ?? null, body: text });
    } catch (error) {
      if (!(error instanceof AppError) || DESTINATION_WIDE.has(error.code)) throw error;
      // Removed since it was listed: the backup is being deleted; it is not listed.
      if (error.code === 'OBJECT_NOT_FOUND') return;
      readings.set(key, { stored, text: null, reading: { ok: false, problem: `its manifest could not be read: ${error.message}` } });
    }
  });
  state.updateManifests(
    dto.id,
    fresh,
    [...cache.keys()].filter((key) => !manifests.has(key)),
  );
  const keys = new Set([...objects.keys(), ...readings.keys()]);
  return [...keys].map((key) => ({ id: backupIdOf(dto.id, key), key, object: objects.get(key) ?? null, manifest: readings.get(key) ?? null, pins: pins.get(key) ?? [] }));
}

/** Every backup id at a destination, from its listing alone: finding where an id points reads no manifest and writes nothing. */
export async function listIds(driver: DestinationDriver, dto: DestinationDto): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  for (const o of await driver.list('')) {
    if (isPinMarkerKey(o.key)) continue;
    const key = isManifestKey(o.key) ? o.key.slice(0, -MANIFEST_SUFFIX.length) : o.key;
    ids.set(backupIdOf(dto.id, key), key);
  }
  return ids;
}

/** One key, looked at now (no cache): for show, verify, download and the like. */
export async function examineKey(driver: DestinationDriver, dto: DestinationDto, key: string): Promise<ScannedEntry | null> {
  const [object, manifestStored, pins] = await Promise.all([driver.stat(key), driver.stat(manifestKey(key)), pinMarkersOf(driver, key)]);
  let manifest: ScannedEntry['manifest'] = null;
  if (manifestStored) {
    if (manifestStored.size > MAX_MANIFEST_BYTES) manifest = { stored: manifestStored, text: null, reading: tooLarge(manifestStored.size) };
    else {
      try {
        const text = await readSmallObject(driver, manifestKey(key), MAX_MANIFEST_BYTES);
        manifest = { stored: manifestStored, text, reading: readManifestText(text) };
      } catch (error) {
        if (!(error instanceof AppError) || DESTINATION_WIDE.has(error.code)) throw error;
        if (error.code !== 'OBJECT_NOT_FOUND') manifest = { stored: manifestStored, text: null, reading: { ok: false, problem: `its manifest could not be read: ${error.message}` } };
      }
    }
  }
  if (!object && !manifest) return null;
  return { id: backupIdOf(dto.id, key), key, object, manifest, pins };
}

function sameFile(cached: CachedManifest, stored: StoredObject, root: string): boolean {
  return cached.root === root && cached.size === stored.size && cached.modifiedAt === stored.modifiedAt.toISOString() && cached.etag === (stored.etag ?? null);
}

function tooLarge(size: number): ManifestReading {
  return { ok: false, problem: `its manifest is ${formatBytes(size)}, far more than a Vaultdesk manifest: it is not one, and was not read` };
}

/** The whole object as text, refusing one larger than `max` bytes (it is not read past that). */
export async function readSmallObject(driver: DestinationDriver, key: string, max: number): Promise<string> {
  const controller = new AbortController();
  let stream: Readable | null = null;
  const read = async (): Promise<string> => {
    stream = await driver.get(key, { signal: controller.signal });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > max) throw new AppError('VALIDATION_FAILED', `${key} is larger than ${formatBytes(max)}, so it is not a Vaultdesk manifest.`, { key });
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks).toString('utf8');
  };
  try {
    return await withDeadline(read(), MANIFEST_READ_MS, () => new AppError('DESTINATION_UNREACHABLE', `Reading ${key} took longer than ${formatDuration(MANIFEST_READ_MS)}: the destination stopped answering.`, { key }));
  } finally {
    controller.abort();
    (stream as Readable | null)?.destroy();
  }
}

/** Runs `work` over `items`, at most `limit` at a time; the first failure stops the rest from starting and is thrown once the running ones settled. */
async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failure: { error: unknown } | null = null;
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failure ??= { error };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
