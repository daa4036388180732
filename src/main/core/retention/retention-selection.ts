import type { RetentionPolicy } from '../../../shared/domain/dto';
import { pinMarkersIn, pinOf } from '../backups/pin-markers';
import type { DestinationDriver } from '../destinations/destination';
import type { StoredBackup } from '../store/backups-repository';
import { applyRetentionPolicy, type RetentionDecision } from './retention-policy';

/** The reason of a backup kept only by a marker at the destination (another install sharing it pinned it). */
export const PINNED_AT_DESTINATION_REASON = 'pinned at the destination';

/**
 * The backups among `keys` pinned at the destination now, by a marker any install sharing it
 * wrote, with each pin's end. One listing under the keys' common folder, so a job with many
 * backups costs one request, not one per backup.
 */
export async function pinsAtDestination(driver: DestinationDriver, keys: readonly string[], now: Date): Promise<Map<string, { until: string | null }>> {
  const held = new Map<string, { until: string | null }>();
  if (keys.length === 0) return held;
  const wanted = new Set(keys);
  for (const [key, markers] of pinMarkersIn(await driver.list(commonFolder(keys)))) {
    const pin = wanted.has(key) ? pinOf(markers, now) : null;
    if (pin) held.set(key, pin);
  }
  return held;
}

/**
 * The policy's decisions for a job's backups at one destination, with the pins kept at the
 * destination counted as pins before anything is chosen: the preview and the run decide with the
 * same function, so what the preview says is what the run does, and a backup another install
 * pinned takes no rule's slot (pinned backups count toward no rule).
 */
export function decideRetention(
  stored: readonly StoredBackup[],
  pinnedThere: ReadonlyMap<string, unknown>,
  policy: RetentionPolicy | null,
  timeZone: string,
): RetentionDecision<StoredBackup>[] {
  const candidates = stored.map((b) => (!b.pinned && pinnedThere.has(b.key) ? { ...b, pinned: true } : b));
  const markedOnly = new Set(stored.filter((b) => !b.pinned && pinnedThere.has(b.key)).map((b) => b.key));
  return applyRetentionPolicy(candidates, policy, timeZone).map((d) =>
    markedOnly.has(d.backup.key) ? { ...d, reasons: d.reasons.map((r) => (r === 'pinned' ? PINNED_AT_DESTINATION_REASON : r)) } : d,
  );
}

/** The folder every key is in ('' when they share none): a listing under it sees every key's pin markers. */
function commonFolder(keys: readonly string[]): string {
  let prefix = keys[0]!;
  for (const key of keys) {
    while (!key.startsWith(prefix)) prefix = prefix.slice(0, -1);
  }
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}
