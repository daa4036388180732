import type { RunDto, RunErrorDto, RunHooksDto, RunObjectDto, RunProgressDto, RunRetentionDto, RunStage, RunStatus, RunTrigger } from '../../../shared/domain/runs';
import { statement, type Db } from './db';
import { AppError } from '../../../shared/ipc/result';
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
  stage: RunStage | null;
  owner_start_id: string | null;
  owner_pid: number | null;
  cancel_requested_at: string | null;
  /** The job's name now, when it still exists (RUN_SELECT). */
  current_job_name?: string | null;
}

/**
 * A run as the history shows it: under its job's name now, so that a renamed job's runs are not
 * shown under a name another job took since; a deleted job's under the name it had.
 */
const RUN_SELECT = 'SELECT r.*, j.name AS current_job_name FROM runs r LEFT JOIN jobs j ON j.id = r.job_id';

/** A run still marked running, and who runs it. */
export interface RunningRun {
  id: string;
  jobId: string | null;
  jobName: string;
  stage: RunStage | null;
  ownerStartId: string | null;
  ownerPid: number | null;
  cancelRequested: boolean;
}

interface RunDetail {
  stageMs: Partial<Record<RunStage, number>>;
  objects: RunObjectDto[];
  error: RunErrorDto | null;
  log: RunDto['log'];
  /** Absent in runs recorded before retention existed. */
  retention?: RunRetentionDto[] | null;
  /** Absent in runs recorded before hooks existed. */
  hooks?: RunHooksDto;
  /** The latest progress report, while the run is running; the final record replaces the detail without it. */
  progress?: RunProgressDto;
  /**
   * Set on a run cancelled because its host stopped (the app quit, the daemon or `serve` stopped),
   * not by a person: its slot is still owed a run (`slotState`). Absent in runs recorded before it.
   */
  hostStopped?: true;
}

/** What a job's runs since one of its slots leave of that slot, for catch-up (`RunsRepository.slotState`). */
export type SlotState = 'owed' | 'running' | 'settled';

export class RunsRepository {
  constructor(private readonly db: Db) {}

  /**
   * Records a new running run owned by `owner`. One run per job at a time, whichever process
   * starts it: under the write lock, a running run of the job whose owner is alive refuses the
   * new one; one whose owner is gone is marked interrupted first (its leftovers are cleaned by
   * the caller). The unique index on running runs per job backs this up.
   */
  create(
    run: { id: string; jobId: string; jobName: string; trigger: RunTrigger; startedAt: string; owner: { startId: string; pid: number } },
    judge: { alive(startId: string | null): boolean; describe(startId: string | null): string; interruptedMessage(run: RunningRun): string },
  ): { run: RunDto; interrupted: RunningRun[] } {
    const detail: RunDetail = { stageMs: {}, objects: [], error: null, log: [] };
    const interrupted: RunningRun[] = [];
    this.db
      .transaction(() => {
        const current = (this.db.prepare("SELECT * FROM runs WHERE job_id = ? AND status = 'running'").all(run.jobId) as RunRow[]).map(toRunning);
        for (const other of current) {
          if (judge.alive(other.ownerStartId)) {
            throw new AppError('RUN_IN_PROGRESS', `Job "${run.jobName}" is already running (run ${other.id}, in ${judge.describe(other.ownerStartId)}).`, { runId: other.id });
          }
          if (this.#interrupt(other, run.startedAt, judge.interruptedMessage(other))) interrupted.push(other);
        }
        this.db
          .prepare("INSERT INTO runs (id, job_id, job_name, status, trigger, started_at, detail, stage, owner_start_id, owner_pid) VALUES (?, ?, ?, 'running', ?, ?, ?, 'plan', ?, ?)")
          .run(run.id, run.jobId, run.jobName, run.trigger, run.startedAt, JSON.stringify(detail), run.owner.startId, run.owner.pid);
      })
      .immediate();
    return { run: this.get(run.id), interrupted };
  }

  /** The job's runs still marked running, whoever runs them. */
  runningOf(jobId: string): RunningRun[] {
    return (this.db.prepare("SELECT * FROM runs WHERE job_id = ? AND status = 'running' ORDER BY started_at").all(jobId) as RunRow[]).map(toRunning);
  }

  running(): RunningRun[] {
    return (statement(this.db, "SELECT * FROM runs WHERE status = 'running' ORDER BY started_at").all() as RunRow[]).map(toRunning);
  }

  /** Where a running run is; kept so that a run cut off can say at which stage. */
  setStage(id: string, stage: RunStage): void {
    this.db.prepare("UPDATE runs SET stage = ? WHERE id = ? AND status = 'running'").run(stage, id);
  }

  /**
   * Where a running run is: its stage, so a run cut off can say where it stopped, and its latest
   * progress report, so a page opened mid-run (in any process) shows it at once.
   */
  recordProgress(id: string, progress: RunProgressDto): void {
    this.db
      .prepare("UPDATE runs SET stage = ?, detail = json_set(detail, '$.progress', json(?)) WHERE id = ? AND status = 'running'")
      .run(progress.stage, JSON.stringify(progress), id);
  }

  /**
   * A running run's log line, kept as it is written (a run has a few): one whose process is killed
   * keeps how far it got, and a page opened mid-run shows them. The final record carries them all again.
   */
  recordLog(id: string, entry: RunDto['log'][number]): void {
    this.db.prepare("UPDATE runs SET detail = json_insert(detail, '$.log[#]', json(?)) WHERE id = ? AND status = 'running'").run(JSON.stringify(entry), id);
  }

  /** A running run's time in a stage so far, kept as it comes (as recordLog): a killed run keeps it. */
  recordStageTime(id: string, stage: RunStage, ms: number): void {
    this.db.prepare(`UPDATE runs SET detail = json_set(detail, '$.stageMs."' || ? || '"', ?) WHERE id = ? AND status = 'running'`).run(stage, ms, id);
  }

  /** A running run's pre-run hook record, kept once the hook ended (as recordLog): a killed run keeps it. */
  recordPreHook(id: string, hook: NonNullable<RunHooksDto['pre']>): void {
    this.db.prepare("UPDATE runs SET detail = json_set(detail, '$.hooks.pre', json(?)) WHERE id = ? AND status = 'running'").run(JSON.stringify(hook), id);
  }

  /** Marks runs whose owner is gone as interrupted; returns those this call changed. */
  interruptAbandoned(alive: (startId: string | null) => boolean, now: string, message: (run: RunningRun) => string): RunningRun[] {
    return this.db
      .transaction(() => this.running().filter((r) => !alive(r.ownerStartId) && this.#interrupt(r, now, message(r))))
      .immediate();
  }

  #interrupt(run: RunningRun, now: string, message: string): boolean {
    const row = this.db.prepare("SELECT detail FROM runs WHERE id = ? AND status = 'running'").get(run.id) as { detail: string } | undefined;
    if (!row) return false;
    const detail = JSON.parse(row.detail) as RunDetail;
    delete detail.progress;
    detail.error = { stage: run.stage ?? 'plan', code: 'INTERRUPTED', message };
    detail.log.push({ time: now, level: 'error', message });
    return this.db.prepare("UPDATE runs SET status = 'interrupted', finished_at = ?, detail = ? WHERE id = ? AND status = 'running'").run(now, JSON.stringify(detail), run.id).changes > 0;
  }

  /** Asks the process that owns a run to cancel it (it looks at every heartbeat). */
  requestCancel(id: string, now: string): void {
    this.db.prepare("UPDATE runs SET cancel_requested_at = ? WHERE id = ? AND status = 'running'").run(now, id);
  }

  /** Of these running runs, the ones another process asked to cancel. */
  cancelRequested(ids: string[]): string[] {
    if (ids.length === 0) return [];
    const rows = this.db.prepare(`SELECT id FROM runs WHERE cancel_requested_at IS NOT NULL AND status = 'running' AND id IN (${ids.map(() => '?').join(', ')})`).all(...ids) as { id: string }[];
    return rows.map((r) => r.id);
  }

  /** A scheduled slot that was not run (the job was still running): recorded, so the history says why. */
  recordSkipped(run: { id: string; jobId: string; jobName: string; at: string; message: string }): RunDto {
    const detail: RunDetail = { stageMs: {}, objects: [], error: { stage: 'plan', code: 'RUN_IN_PROGRESS', message: run.message }, log: [{ time: run.at, level: 'warn', message: run.message }] };
    this.db
      .prepare("INSERT INTO runs (id, job_id, job_name, status, trigger, started_at, finished_at, detail) VALUES (?, ?, ?, 'skipped', 'schedule', ?, ?, ?)")
      .run(run.id, run.jobId, run.jobName, run.at, run.at, JSON.stringify(detail));
    return this.get(run.id);
  }

  /**
   * What the job's runs started at or after `slot` leave of it. `settled`: one of them succeeded,
   * failed (it was alerted, and would likely fail again), was cancelled by a person, or was a
   * catch-up run however it ended (a slot is caught up once: a run that takes its host down with
   * it is not started again at every restart). `running`: none settled it and one still runs (its
   * end decides). `owed`: none, or each was ended by its host stopping (cancelled at shutdown, or
   * interrupted when its process died) or was a skipped slot.
   */
  slotState(jobId: string, slot: string): SlotState {
    const row = statement(
      this.db,
      `SELECT
         coalesce(max(status NOT IN ('running', 'skipped') AND (trigger = 'catch-up' OR NOT (status = 'interrupted' OR (status = 'cancelled' AND json_extract(detail, '$.hostStopped') IS 1)))), 0) AS settled,
         coalesce(max(status = 'running'), 0) AS running
       FROM runs WHERE job_id = ? AND started_at >= ?`,
    ).get(jobId, slot) as { settled: number; running: number };
    return row.settled ? 'settled' : row.running ? 'running' : 'owed';
  }

  /** Adds a line to a run's log after the fact (e.g. how its leftovers were cleaned). */
  appendLog(id: string, entry: RunDto['log'][number]): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT detail FROM runs WHERE id = ?').get(id) as { detail: string } | undefined;
      if (!row) return;
      const detail = JSON.parse(row.detail) as RunDetail;
      detail.log.push(entry);
      this.db.prepare('UPDATE runs SET detail = ? WHERE id = ?').run(JSON.stringify(detail), id);
    })();
  }

  /** What retention did after the run, with its log lines, added to the finished run's record. */
  recordRetention(id: string, retention: RunRetentionDto[], log: RunDto['log']): RunDto {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT detail FROM runs WHERE id = ?').get(id) as { detail: string } | undefined;
      if (!row) throw notFound('run', id);
      const detail = JSON.parse(row.detail) as RunDetail;
      detail.retention = retention;
      detail.log.push(...log);
      this.db.prepare('UPDATE runs SET detail = ? WHERE id = ?').run(JSON.stringify(detail), id);
    })();
    return this.get(id);
  }

  /** Records a hook that ran after the run was recorded (the post-run hook), with its log lines. */
  recordHooks(id: string, hooks: RunHooksDto, entries: RunDto['log']): void {
    this.db.transaction(() => {
      const row = this.db.prepare('SELECT detail FROM runs WHERE id = ?').get(id) as { detail: string } | undefined;
      if (!row) return;
      const detail = JSON.parse(row.detail) as RunDetail;
      detail.hooks = { ...detail.hooks, ...hooks };
      detail.log.push(...entries);
      this.db.prepare('UPDATE runs SET detail = ? WHERE id = ?').run(JSON.stringify(detail), id);
    })();
  }

  /**
   * How the job's last run before this one ended, counting only runs that succeeded, failed or
   * were interrupted (a cancelled run or a skipped slot says nothing about the job's health).
   */
  previousOutcome(run: RunDto): 'succeeded' | 'failed' | 'interrupted' | null {
    if (!run.jobId) return null;
    const row = this.db
      .prepare(
        `SELECT status FROM runs WHERE job_id = ? AND id != ? AND started_at <= ? AND status IN ('succeeded', 'failed', 'interrupted')
         ORDER BY started_at DESC, rowid DESC LIMIT 1`,
      )
      .get(run.jobId, run.id, run.startedAt) as { status: 'succeeded' | 'failed' | 'interrupted' } | undefined;
    return row?.status ?? null;
  }

  /**
   * What the tray judges a job's health by: its running run, its last run that succeeded, failed
   * or was interrupted, and its last success (at most three rows, newest first).
   */
  healthFacts(jobId: string): { status: RunStatus; startedAt: string; finishedAt: string | null }[] {
    const latest = (where: string): string => `SELECT * FROM (SELECT status, started_at, finished_at FROM runs WHERE job_id = @jobId AND ${where} ORDER BY started_at DESC, rowid DESC LIMIT 1)`;
    const rows = this.db
      .prepare(
        `${latest("status = 'running'")} UNION ALL ${latest("status IN ('succeeded', 'failed', 'interrupted')")} UNION ALL ${latest("status = 'succeeded'")}`,
      )
      .all({ jobId }) as { status: RunStatus; started_at: string; finished_at: string | null }[];
    return rows.map((r) => ({ status: r.status, startedAt: r.started_at, finishedAt: r.finished_at }));
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
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, COALESCE(json_extract(?, '$.createdAt'), ?))`,
      );
      // Made when its manifest says (the dump's start), as the explorer and the retention count it.
      for (const b of outcome.backups) insert.run(b.id, id, b.jobId, b.destinationId, b.key, b.database, b.size, b.sha256, b.manifest, b.manifest, outcome.finishedAt);
    })();
    return this.get(id);
  }

  /** What started a run of this data dir's history; null for a run it does not know (another install's). */
  triggerOf(id: string): RunTrigger | null {
    const row = this.db.prepare('SELECT trigger FROM runs WHERE id = ?').get(id) as { trigger: RunTrigger } | undefined;
    return row?.trigger ?? null;
  }

  /** Whether any destination holds a backup under this key. */
  keyTaken(key: string): boolean {
    return this.db.prepare('SELECT 1 FROM backups WHERE object_key = ? LIMIT 1').get(key) !== undefined;
  }

  get(id: string): RunDto {
    const row = this.db.prepare(`${RUN_SELECT} WHERE r.id = ?`).get(id) as RunRow | undefined;
    if (!row) throw notFound('run', id);
    return toDto(row);
  }

  /** Newest first, of one job and of one status when asked. */
  list(filter: { jobId?: string | undefined; status?: RunStatus | undefined; limit: number }): RunDto[] {
    const where: string[] = [];
    const params: unknown[] = [];
    if (filter.jobId) {
      where.push('r.job_id = ?');
      params.push(filter.jobId);
    }
    if (filter.status) {
      where.push('r.status = ?');
      params.push(filter.status);
    }
    const sql = `${RUN_SELECT} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY r.started_at DESC, r.rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...params, filter.limit) as RunRow[]).map(toDto);
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

function toRunning(r: RunRow): RunningRun {
  return { id: r.id, jobId: r.job_id, jobName: r.job_name, stage: r.stage, ownerStartId: r.owner_start_id, ownerPid: r.owner_pid, cancelRequested: r.cancel_requested_at !== null };
}

function toDto(r: RunRow): RunDto {
  const d = JSON.parse(r.detail) as RunDetail;
  return {
    id: r.id,
    jobId: r.job_id,
    jobName: r.current_job_name ?? r.job_name,
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
    retention: d.retention ?? null,
    hooks: d.hooks ?? {},
    ...(r.status === 'running' && d.progress ? { progress: d.progress } : {}),
  };
}
