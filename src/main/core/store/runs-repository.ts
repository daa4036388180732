import type { RunDto, RunErrorDto, RunObjectDto, RunStage, RunStatus, RunTrigger } from '../../../shared/domain/runs';
import type { Db } from './db';
import { notFound } from './names';

interface RunRow {
  id: string;
  job_id: string | null;
  job_name: string;
  status: RunStatus;
  trigger: RunTrigger;
  started_at: string;
  finished_at: string | null;
  bytes_in: number;
  bytes_out: number;
  detail: string;
}

interface RunDetail {
  stageMs: Partial<Record<RunStage, number>>;
  objects: RunObjectDto[];
  error: RunErrorDto | null;
  log: RunDto['log'];
}

export class RunsRepository {
  constructor(private readonly db: Db) {}

  create(run: { id: string; jobId: string; jobName: string; trigger: RunTrigger; startedAt: string }): RunDto {
    const detail: RunDetail = { stageMs: {}, objects: [], error: null, log: [] };
    this.db
      .prepare("INSERT INTO runs (id, job_id, job_name, status, trigger, started_at, detail) VALUES (?, ?, ?, 'running', ?, ?, ?)")
      .run(run.id, run.jobId, run.jobName, run.trigger, run.startedAt, JSON.stringify(detail));
    return this.get(run.id);
  }

  /** The final record and the backups it stored, in one transaction. */
  finish(id: string, outcome: { status: Exclude<RunStatus, 'running'>; finishedAt: string; detail: RunDetail; backups: BackupRecord[] }): RunDto {
    const bytesIn = outcome.detail.objects.reduce((n, o) => n + o.bytesIn, 0);
    const bytesOut = outcome.detail.objects.reduce((n, o) => n + (o.status === 'succeeded' ? o.size * o.destinations.length : 0), 0);
    this.db.transaction(() => {
      this.db
        .prepare('UPDATE runs SET status = ?, finished_at = ?, bytes_in = ?, bytes_out = ?, detail = ? WHERE id = ?')
        .run(outcome.status, outcome.finishedAt, bytesIn, bytesOut, JSON.stringify(outcome.detail), id);
      const insert = this.db.prepare(
        `INSERT INTO backups (id, run_id, job_id, destination_id, object_key, database_name, size, sha256, manifest, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      for (const b of outcome.backups) insert.run(b.id, id, b.jobId, b.destinationId, b.key, b.database, b.size, b.sha256, b.manifest, outcome.finishedAt);
    })();
    return this.get(id);
  }

  /** Runs still marked running when the app starts were cut off by a crash or a kill. */
  failInterrupted(now: string): number {
    const rows = this.db.prepare("SELECT id, detail FROM runs WHERE status = 'running'").all() as { id: string; detail: string }[];
    for (const row of rows) {
      const detail = JSON.parse(row.detail) as RunDetail;
      detail.error = { stage: 'plan', code: 'RUN_FAILED', message: 'Vaultdesk stopped while this run was in progress; it did not finish.' };
      this.db.prepare("UPDATE runs SET status = 'failed', finished_at = ?, detail = ? WHERE id = ?").run(now, JSON.stringify(detail), row.id);
    }
    return rows.length;
  }

  /** Whether any destination holds a backup under this key. */
  keyTaken(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM backups WHERE object_key = ? LIMIT 1').get(key) !== undefined;
  }

  get(id: string): RunDto {
    const row = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as RunRow | undefined;
    if (!row) throw notFound('run', id);
    return toDto(row);
  }

  list(filter: { jobId?: string | undefined; limit: number }): RunDto[] {
    const rows = (
      filter.jobId
        ? this.db.prepare('SELECT * FROM runs WHERE job_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(filter.jobId, filter.limit)
        : this.db.prepare('SELECT * FROM runs ORDER BY started_at DESC, rowid DESC LIMIT ?').all(filter.limit)
    ) as RunRow[];
    return rows.map(toDto);
  }
}

export interface BackupRecord {
  id: string;
  jobId: string;
  destinationId: string;
  key: string;
  database: string;
  size: number;
  sha256: string;
  manifest: string;
}

function toDto(r: RunRow): RunDto {
  const d = JSON.parse(r.detail) as RunDetail;
  return {
    id: r.id,
    jobId: r.job_id,
    jobName: r.job_name,
    status: r.status,
    trigger: r.trigger,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    bytesIn: r.bytes_in,
    bytesOut: r.bytes_out,
    stageMs: d.stageMs,
    objects: d.objects,
    error: d.error,
    log: d.log,
  };
}
