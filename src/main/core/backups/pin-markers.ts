import { hostname, userInfo } from 'node:os';
import { Readable } from 'node:stream';
import type { DestinationDriver, StoredObject } from '../destinations/destination';

/**
 * A pin kept at the destination, beside the backup: an object named for the backup's key and the
 * pin's end (`KEY.vaultdesk-pin`, or `KEY.vaultdesk-pin-until-20270101T000000Z`), so a listing
 * alone says which backups are pinned and until when, with nothing read. Every install that
 * shares the destination (another workstation, a daemon, a fresh data dir) sees it, and its
 * retention and delete honour it; the data dir keeps its own record of the pin too.
 */
const MARKER = '.vaultdesk-pin';
const MARKER_KEY = /^(.+)\.vaultdesk-pin(?:-until-(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z)?$/;

export interface PinMarker {
  /** The marker's own key. */
  marker: string;
  /** The backup's key. */
  key: string;
  /** The pin's end; null: until unpinned. */
  until: string | null;
}

export function isPinMarkerKey(key: string): boolean {
  return MARKER_KEY.test(key);
}

export function parsePinMarker(marker: string): PinMarker | null {
  const m = MARKER_KEY.exec(marker);
  if (!m) return null;
  const until = m[2] ? `${m[2]}-${m[3]}-${m[4]}T${m[5]}:${m[6]}:${m[7]}.000Z` : null;
  return { marker, key: m[1]!, until };
}

export function pinMarkerKey(key: string, until: string | null): string {
  if (until === null) return `${key}${MARKER}`;
  // Whole seconds, rounded up: a pin never ends before the time it was given.
  const end = new Date(Math.ceil(Date.parse(until) / 1000) * 1000).toISOString();
  return `${key}${MARKER}-until-${end.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`;
}

/** The pin the markers make now: the furthest end among those that have not passed; null when none holds. */
export function pinOf(markers: readonly PinMarker[], now: Date): { until: string | null } | null {
  const holding = markers.filter((m) => m.until === null || Date.parse(m.until) > now.getTime());
  if (holding.length === 0) return null;
  if (holding.some((m) => m.until === null)) return { until: null };
  return { until: holding.map((m) => m.until!).sort().at(-1)! };
}

/** The pin markers of the backups among `listed`, by backup key. */
export function pinMarkersIn(listed: readonly StoredObject[]): Map<string, PinMarker[]> {
  const found = new Map<string, PinMarker[]>();
  for (const o of listed) {
    const m = parsePinMarker(o.key);
    if (m) found.set(m.key, [...(found.get(m.key) ?? []), m]);
  }
  return found;
}

/** The pin markers of one backup, listed now at its destination. */
export async function pinMarkersOf(driver: DestinationDriver, key: string): Promise<PinMarker[]> {
  return pinMarkersIn(await driver.list(`${key}${MARKER}`)).get(key) ?? [];
}

/**
 * Pins `key` at the destination: the marker of this pin is written, then those of earlier pins of
 * it removed, so the backup is pinned all along. `note`: the marker's text, for a person browsing
 * the destination.
 */
export async function writePinMarker(driver: DestinationDriver, key: string, until: string | null, note: string): Promise<void> {
  const marker = pinMarkerKey(key, until);
  const before = await pinMarkersOf(driver, key);
  // A marker already there is this very pin (a local folder's put does not replace a file).
  if (!before.some((m) => m.marker === marker)) await driver.put(marker, Readable.from([Buffer.from(`${note}\n`)]));
  for (const m of before) if (m.marker !== marker) await driver.delete(m.marker);
}

/** The marker's text: who pinned the backup, when, and until when, for a person browsing the destination. */
export function pinNote(key: string, until: string | null, at: Date): string {
  let who: string;
  try {
    who = `${userInfo().username}@${hostname()}`;
  } catch {
    // No passwd entry for this uid (a container): the host still says where.
    who = hostname();
  }
  const end = until === null ? 'until it is unpinned' : `until ${until}`;
  return `${key} was pinned with Vaultdesk by ${who} at ${at.toISOString()}: retention and delete keep it ${end}, in every Vaultdesk that uses this destination. Unpin it with vaultdesk backup unpin (or the Backups page), not by removing this file.`;
}

/** Removes every pin marker of `key` (an unpin, or a backup deleted once its pins have passed). */
export async function removePinMarkers(driver: DestinationDriver, key: string, markers?: readonly PinMarker[]): Promise<void> {
  for (const m of markers ?? (await pinMarkersOf(driver, key))) await driver.delete(m.marker);
}
