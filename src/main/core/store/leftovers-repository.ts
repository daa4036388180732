import type { Db } from './db';

interface LeftoverRow {
  run_id: string;
  destination_id: string;
  object_key: string;
  upload_id: string | null;
  attempts: number;
  last_error: string | null;
}

/** What a run is about to create at one destination: an object (its `.partial`, its multipart upload). */
export interface Leftover {
  runId: string;
  destinationId: string;
  key: string;
  uploadId: string | null;
  attempts: number;
  lastError: string | null;
}

/** Delays before retrying a cleanup that could not reach its destination. */
const RETRY_MINUTES = [1, 5, 30, 120, 720];
/** A cleanup claimed by a process is left to it for this long. */
const CLAIM_MS = 2 * 60_000;

/**
 * The record a run keeps, before sending its first byte, of what it may leave behind at each
 * destination if it dies, so whoever finds it dead can remove exactly that.
 */
export class LeftoversRepository {
  constructor(private readonly db: Db) {}

  record(runId: string, entries: { destinationId: string; key: string }[]): void {
    const insert = this.db.prepare('INSERT OR IGNORE INTO run_leftovers (run_id, destination_id, object_key) VALUES (?, ?, ?)');
    this.db.transaction(() => {
      for (const e of entries) insert.run(runId, e.destinationId, e.key);
    })();
  }

  setUploadId(runId: string, destinationId: string, key: string, uploadId: string): void {
    this.db.prepare('UPDATE run_leftovers SET upload_id = ? WHERE run_id = ? AND destination_id = ? AND object_key = ?').run(uploadId, runId, destinationId, key);
  }

  forRun(runId: string): Leftover[] {
    return (this.db.prepare('SELECT * FROM run_leftovers WHERE run_id = ? ORDER BY destination_id, object_key').all(runId) as LeftoverRow[]).map(toLeftover);
  }

  /** Forgets entries whose objects were committed (or never started): nothing of them can be left over. */
  forget(runId: string, keys?: string[]): void {
    if (!keys) {
      this.db.prepare('DELETE FROM run_leftovers WHERE run_id = ?').run(runId);
      return;
    }
    const remove = this.db.prepare('DELETE FROM run_leftovers WHERE run_id = ? AND object_key = ?');
    this.db.transaction(() => {
      for (const key of keys) remove.run(runId, key);
    })();
  }

  removed(entry: Leftover): void {
    this.db.prepare('DELETE FROM run_leftovers WHERE run_id = ? AND destination_id = ? AND object_key = ?').run(entry.runId, entry.destinationId, entry.key);
  }

  /**
   * Takes the entries of finished runs that are due for cleanup (optionally of one run), marking
   * them taken for a while so another process starting at the same time leaves them alone.
   */
  claimDue(now: Date, runId?: string): Leftover[] {
    const at = now.toISOString();
    return this.db
      .transaction(() => {
        const rows = this.db
          .prepare(
            `SELECT l.* FROM run_leftovers l JOIN runs r ON r.id = l.run_id
             WHERE r.status != 'running' AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= ?) AND (? IS NULL OR l.run_id = ?)
             ORDER BY l.run_id, l.destination_id, l.object_key`,
          )
          .all(at, runId ?? null, runId ?? null) as LeftoverRow[];
        const claim = this.db.prepare('UPDATE run_leftovers SET next_attempt_at = ? WHERE run_id = ? AND destination_id = ? AND object_key = ?');
        const until = new Date(now.getTime() + CLAIM_MS).toISOString();
        for (const r of rows) claim.run(until, r.run_id, r.destination_id, r.object_key);
        return rows.map(toLeftover);
      })
      .immediate();
  }

  /** The cleanup failed: say why, and when to try again. */
  failed(entry: Leftover, error: string, now: Date): Date {
    const attempts = entry.attempts + 1;
    const next = new Date(now.getTime() + RETRY_MINUTES[Math.min(attempts, RETRY_MINUTES.length) - 1]! * 60_000);
    this.db
      .prepare('UPDATE run_leftovers SET attempts = ?, last_error = ?, next_attempt_at = ? WHERE run_id = ? AND destination_id = ? AND object_key = ?')
      .run(attempts, error, next.toISOString(), entry.runId, entry.destinationId, entry.key);
    return next;
  }

  /** Entries not yet cleaned, whatever their schedule (for `destination cleanup`). */
  forDestination(destinationId: string): Leftover[] {
    return (this.db.prepare('SELECT * FROM run_leftovers WHERE destination_id = ?').all(destinationId) as LeftoverRow[]).map(toLeftover);
  }
}

function toLeftover(r: LeftoverRow): Leftover {
  return { runId: r.run_id, destinationId: r.destination_id, key: r.object_key, uploadId: r.upload_id, attempts: r.attempts, lastError: r.last_error };
}
