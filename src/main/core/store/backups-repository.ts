import type { Db } from './db';
import { notFound } from './names';

interface BackupRow {
  id: string;
  run_id: string | null;
  job_id: string | null;
  destination_id: string;
  object_key: string;
  database_name: string;
  size: number;
  sha256: string;
  pinned: number;
  created_at: string;
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

/** The `backups` table: rows are written by RunsRepository.finish, with the run that made them. */
export class BackupsRepository {
  constructor(private readonly db: Db) {}

  get(id: string): StoredBackup {
    const row = this.db.prepare('SELECT * FROM backups WHERE id = ?').get(id) as BackupRow | undefined;
    if (!row) throw notFound('backup', id);
    return toStored(row);
  }

  /** A job's backups at one destination, newest first. */
  listFor(jobId: string, destinationId: string): StoredBackup[] {
    const rows = this.db.prepare('SELECT * FROM backups WHERE job_id = ? AND destination_id = ? ORDER BY created_at DESC, rowid DESC').all(jobId, destinationId) as BackupRow[];
    return rows.map(toStored);
  }

  setPinned(id: string, pinned: boolean): StoredBackup {
    if (this.db.prepare('UPDATE backups SET pinned = ? WHERE id = ?').run(pinned ? 1 : 0, id).changes === 0) throw notFound('backup', id);
    return this.get(id);
  }

  delete(id: string): void {
    this.db.prepare('DELETE FROM backups WHERE id = ?').run(id);
  }
}

function toStored(r: BackupRow): StoredBackup {
  return {
    id: r.id,
    runId: r.run_id,
    jobId: r.job_id,
    destinationId: r.destination_id,
    key: r.object_key,
    database: r.database_name,
    size: r.size,
    sha256: r.sha256,
    pinned: r.pinned === 1,
    createdAt: r.created_at,
  };
}
