import type { BackupVerificationDto } from '../../../shared/domain/backups';
import type { BackupDrillDto } from '../../../shared/domain/restores';
import type { Db } from './db';

interface StateRow {
  destination_id: string;
  object_key: string;
  pinned: number;
  pinned_until: string | null;
  verified_at: string | null;
  verified_ok: number | null;
  verified_message: string | null;
  drilled_at: string | null;
  drilled_ok: number | null;
  drill_restore_id: string | null;
  drill_message: string | null;
}

export interface BackupState {
  /** Pinned now: a pin whose end has passed no longer counts. */
  pinned: boolean;
  pinnedUntil: string | null;
  lastVerified: BackupVerificationDto | null;
  lastDrill: BackupDrillDto | null;
}

export interface CachedManifest {
  key: string;
  backupId: string;
  root: string;
  size: number;
  modifiedAt: string;
  etag: string | null;
  body: string;
}

/** drilled_ok: a drill restored and counted the same (1), restored with counts that differ (2), or did not restore (0). */
const DRILL_FAILED = 0;
const DRILL_PASSED = 1;
const DRILL_DIFFERED = 2;

const UNMARKED: BackupState = { pinned: false, pinnedUntil: null, lastVerified: null, lastDrill: null };

/**
 * What is kept about a backup by where it is (destination and object key), whoever made it:
 * its pin and last verification (`backup_state`), and the explorer's cache of manifests read
 * from the destinations (`manifest_cache`).
 */
export class BackupStateRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  get(destinationId: string, key: string): BackupState {
    const row = this.db.prepare('SELECT * FROM backup_state WHERE destination_id = ? AND object_key = ?').get(destinationId, key) as StateRow | undefined;
    return row ? this.#toState(row) : UNMARKED;
  }

  /** Every marked backup of a destination, by object key. */
  allAt(destinationId: string): Map<string, BackupState> {
    const rows = this.db.prepare('SELECT * FROM backup_state WHERE destination_id = ?').all(destinationId) as StateRow[];
    return new Map(rows.map((r) => [r.object_key, this.#toState(r)]));
  }

  setPinned(destinationId: string, key: string, pinned: boolean, until: string | null = null): void {
    this.db
      .prepare(
        `INSERT INTO backup_state (destination_id, object_key, pinned, pinned_until) VALUES (?, ?, ?, ?)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET pinned = excluded.pinned, pinned_until = excluded.pinned_until`,
      )
      .run(destinationId, key, pinned ? 1 : 0, pinned ? until : null);
  }

  recordVerification(destinationId: string, key: string, v: BackupVerificationDto): void {
    this.db
      .prepare(
        `INSERT INTO backup_state (destination_id, object_key, verified_at, verified_ok, verified_message) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET verified_at = excluded.verified_at, verified_ok = excluded.verified_ok, verified_message = excluded.verified_message`,
      )
      .run(destinationId, key, v.at, v.ok ? 1 : 0, v.message);
  }

  recordDrill(destinationId: string, key: string, d: BackupDrillDto): void {
    this.db
      .prepare(
        `INSERT INTO backup_state (destination_id, object_key, drilled_at, drilled_ok, drill_restore_id, drill_message) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET drilled_at = excluded.drilled_at, drilled_ok = excluded.drilled_ok,
           drill_restore_id = excluded.drill_restore_id, drill_message = excluded.drill_message`,
      )
      .run(destinationId, key, d.at, d.ok ? DRILL_PASSED : d.restored ? DRILL_DIFFERED : DRILL_FAILED, d.restoreId, d.message);
  }

  /** A deleted backup leaves nothing behind here. */
  forget(destinationId: string, key: string): void {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM backup_state WHERE destination_id = ? AND object_key = ?').run(destinationId, key);
      this.db.prepare('DELETE FROM manifest_cache WHERE destination_id = ? AND object_key = ?').run(destinationId, key);
    })();
  }

  /** The manifests read from a destination before, by the key of the object each describes. */
  cachedManifests(destinationId: string): Map<string, CachedManifest> {
    const rows = this.db.prepare('SELECT object_key, backup_id, root, size, modified_at, etag, body FROM manifest_cache WHERE destination_id = ?').all(destinationId) as {
      object_key: string;
      backup_id: string;
      root: string;
      size: number;
      modified_at: string;
      etag: string | null;
      body: string;
    }[];
    return new Map(rows.map((r) => [r.object_key, { key: r.object_key, backupId: r.backup_id, root: r.root, size: r.size, modifiedAt: r.modified_at, etag: r.etag, body: r.body }]));
  }

  /** Stores what a listing read and drops what it no longer found, in one transaction; nothing is written when nothing changed. */
  updateManifests(destinationId: string, read: CachedManifest[], gone: string[]): void {
    if (read.length === 0 && gone.length === 0) return;
    const upsert = this.db.prepare(
      `INSERT INTO manifest_cache (destination_id, object_key, backup_id, root, size, modified_at, etag, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (destination_id, object_key) DO UPDATE SET backup_id = excluded.backup_id, root = excluded.root, size = excluded.size,
         modified_at = excluded.modified_at, etag = excluded.etag, body = excluded.body`,
    );
    const drop = this.db.prepare('DELETE FROM manifest_cache WHERE destination_id = ? AND object_key = ?');
    this.db.transaction(() => {
      for (const m of read) upsert.run(destinationId, m.key, m.backupId, m.root, m.size, m.modifiedAt, m.etag, m.body);
      for (const key of gone) drop.run(destinationId, key);
    })();
  }

  /** Where a backup listed before is, from its id. */
  locate(backupId: string): { destinationId: string; key: string } | null {
    const row = this.db.prepare('SELECT destination_id, object_key FROM manifest_cache WHERE backup_id = ? LIMIT 1').get(backupId) as { destination_id: string; object_key: string } | undefined;
    return row ? { destinationId: row.destination_id, key: row.object_key } : null;
  }

  #toState(r: StateRow): BackupState {
    const pinned = r.pinned === 1 && (r.pinned_until === null || Date.parse(r.pinned_until) > this.now().getTime());
    return {
      pinned,
      pinnedUntil: pinned ? r.pinned_until : null,
      lastVerified: r.verified_at === null ? null : { at: r.verified_at, ok: r.verified_ok === 1, message: r.verified_message ?? '' },
      lastDrill: r.drilled_at === null ? null : { at: r.drilled_at, ok: r.drilled_ok === DRILL_PASSED, restored: r.drilled_ok === DRILL_PASSED || r.drilled_ok === DRILL_DIFFERED, restoreId: r.drill_restore_id ?? '', message: r.drill_message ?? '' },
    };
  }
}
