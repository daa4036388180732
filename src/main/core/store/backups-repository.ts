import type { Db } from './db';
import { notFound } from './names';

/** When the backup was made: its manifest's createdAt, or for a row whose manifest lacks one, when it was recorded. */
const MADE_AT = "COALESCE(json_extract(b.manifest, '$.createdAt'), b.created_at)";

interface BackupRow {
  id: string;
  run_id: string | null;
  job_id: string | null;
  destination_id: string;
  object_key: string;
  database_name: string;
  size: number;
  sha256: string;
  made_at: string;
  pin: number | null;
  pinned_until: string | null;
}

/** A complete backup at one destination: its object and manifest were both committed by a run. */
export interface StoredBackup {
  id: string;
  runId: string | null;
  jobId: string | null;
  destinationId: string;
  key: string;
  database: string;
  size: number;
  sha256: string;
  pinned: boolean;
  createdAt: string;
}

/**
 * Pins live in `backup_state`, by destination and key, for backups found on a destination as much
 * as for these. A backup was made when its manifest says (its dump's start, the time in its key,
 * what the explorer shows), not when its run finished: rows written before the insert took it
 * from the manifest have the run's end in `created_at`, which put a nightly that crossed midnight
 * in the next day for retention.
 */
const SELECT = `SELECT b.*, ${MADE_AT} AS made_at, s.pinned AS pin, s.pinned_until FROM backups b
  LEFT JOIN backup_state s ON s.destination_id = b.destination_id AND s.object_key = b.object_key`;

/** The `backups` table: rows are written by RunsRepository.finish, with the run that made them. */
export class BackupsRepository {
  constructor(
    private readonly db: Db,
    private readonly now: () => Date,
  ) {}

  get(id: string): StoredBackup {
    const backup = this.find(id);
    if (!backup) throw notFound('backup', id);
    return backup;
  }

  find(id: string): StoredBackup | null {
    const row = this.db.prepare(`${SELECT} WHERE b.id = ?`).get(id) as BackupRow | undefined;
    return row ? this.#toStored(row) : null;
  }

  /** The run history's record of the backup at this destination and key, if it has one. */
  findAt(destinationId: string, key: string): StoredBackup | null {
    const row = this.db.prepare(`${SELECT} WHERE b.destination_id = ? AND b.object_key = ?`).get(destinationId, key) as BackupRow | undefined;
    return row ? this.#toStored(row) : null;
  }

  /** A job's backups at one destination, newest first. */
  listFor(jobId: string, destinationId: string): StoredBackup[] {
    const rows = this.db.prepare(`${SELECT} WHERE b.job_id = ? AND b.destination_id = ? ORDER BY made_at DESC, b.rowid DESC`).all(jobId, destinationId) as BackupRow[];
    return rows.map((r) => this.#toStored(r));
  }

  setPinned(id: string, pinned: boolean): StoredBackup {
    const backup = this.get(id);
    this.db
      .prepare(
        `INSERT INTO backup_state (destination_id, object_key, pinned, pinned_until) VALUES (?, ?, ?, NULL)
         ON CONFLICT (destination_id, object_key) DO UPDATE SET pinned = excluded.pinned, pinned_until = NULL`,
      )
      .run(backup.destinationId, backup.key, pinned ? 1 : 0);
    return this.get(id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM backups WHERE id = ?').run(id);
  }

  deleteAt(destinationId: string, key: string): void {
    this.db.prepare('DELETE FROM backups WHERE destination_id = ? AND object_key = ?').run(destinationId, key);
  }

  #toStored(r: BackupRow): StoredBackup {
    return {
      id: r.id,
      runId: r.run_id,
      jobId: r.job_id,
      destinationId: r.destination_id,
      key: r.object_key,
      database: r.database_name,
      size: r.size,
      sha256: r.sha256,
      pinned: r.pin === 1 && (r.pinned_until === null || Date.parse(r.pinned_until) > this.now().getTime()),
      createdAt: r.made_at,
    };
  }
}
