import type { Engine } from '../../../shared/domain/dto';
import { andList } from '../../../shared/domain/counted';
import { BY_HAND, mayHaveLeft, notesToDo, type DrillResultDto, type RestoredDatabaseDto, type RestoreDto, type RestoreKind, type RestoreStage, type RestoreStatus } from '../../../shared/domain/restores';
import type { Db } from './db';
import { notFound } from './names';

interface RestoreRow {
  id: string;
  kind: RestoreKind;
  status: RestoreStatus;
  stage: RestoreStage;
  backup_id: string;
  destination_id: string;
  destination_name: string;
  object_key: string;
  job_name: string | null;
  engine: Engine;
  target_source_id: string;
  target_source: string;
  with_globals: number;
  force: number;
  requested_by: string;
  started_at: string;
  finished_at: string | null;
  bytes_read: number;
  total_bytes: number;
  databases: string;
  drill: string | null;
  scratch: string | null;
  error_code: string | null;
  error_message: string | null;
  message: string;
  owner_start_id: string | null;
  owner_pid: number | null;
  cancel_requested_at: string | null;
}

/** A restore as recorded when it starts: what and where, by whom, and which process owns it. */
export type NewRestore = Pick<
  RestoreDto,
  'id' | 'kind' | 'backupId' | 'destinationId' | 'destination' | 'key' | 'job' | 'engine' | 'targetSourceId' | 'targetSource' | 'withGlobals' | 'force' | 'requestedBy' | 'startedAt' | 'totalBytes' | 'databases'
> & { owner: { startId: string; pid: number } };

export interface RestoreEnd {
  status: Exclude<RestoreStatus, 'running'>;
  stage: RestoreStage;
  finishedAt: string;
  bytesRead: number;
  databases: RestoredDatabaseDto[];
  drill: DrillResultDto | null;
  error: { code: string; message: string } | null;
  message: string;
}

export interface RunningRestore {
  id: string;
  /** The source it writes into. */
  targetSourceId: string;
  /** The databases (or files) it writes. */
  targets: string[];
  requestedBy: string;
  ownerStartId: string | null;
}

/** The restore history (`restores`): one row per restore or drill, owned by the process running it. */
export class RestoresRepository {
  constructor(private readonly db: Db) {}

  create(r: NewRestore): RestoreDto {
    this.db
      .prepare(
        `INSERT INTO restores (id, kind, status, stage, backup_id, destination_id, destination_name, object_key, job_name, engine, target_source_id, target_source,
           with_globals, force, requested_by, started_at, total_bytes, databases, owner_start_id, owner_pid)
         VALUES (?, ?, 'running', 'check', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        r.id,
        r.kind,
        r.backupId,
        r.destinationId,
        r.destination,
        r.key,
        r.job,
        r.engine,
        r.targetSourceId,
        r.targetSource,
        r.withGlobals ? 1 : 0,
        r.force ? 1 : 0,
        r.requestedBy,
        r.startedAt,
        r.totalBytes,
        JSON.stringify(r.databases),
        r.owner.startId,
        r.owner.pid,
      );
    return this.get(r.id);
  }

  get(id: string): RestoreDto {
    const row = this.db.prepare('SELECT * FROM restores WHERE id = ?').get(id) as RestoreRow | undefined;
    if (!row) throw notFound('Restore', id);
    return toDto(row);
  }

  /** `idPrefix`: hex digits and dashes only (the schema's), so no LIKE wildcard. */
  list(filter: { backupId?: string; idPrefix?: string; limit: number }): RestoreDto[] {
    const rows = (
      filter.backupId
        ? this.db.prepare('SELECT * FROM restores WHERE backup_id = ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(filter.backupId, filter.limit)
        : filter.idPrefix
          ? this.db.prepare('SELECT * FROM restores WHERE id LIKE ? ORDER BY started_at DESC, rowid DESC LIMIT ?').all(`${filter.idPrefix.toLowerCase()}%`, filter.limit)
          : this.db.prepare('SELECT * FROM restores ORDER BY started_at DESC, rowid DESC LIMIT ?').all(filter.limit)
    ) as RestoreRow[];
    return rows.map(toDto);
  }

  /** The backups whose restores are recorded and whose id starts with `prefix` (hex digits and dashes only: no LIKE wildcard). */
  backupIdsStartingWith(prefix: string): string[] {
    const rows = this.db.prepare('SELECT DISTINCT backup_id FROM restores WHERE backup_id LIKE ? ORDER BY backup_id').all(`${prefix}%`) as { backup_id: string }[];
    return rows.map((r) => r.backup_id);
  }

  /** Progress of a running restore, kept so another process (or a window opened later) sees it. */
  progress(id: string, p: { stage: RestoreStage; bytesRead: number; databases: RestoredDatabaseDto[]; scratch: string | null }): void {
    this.db
      .prepare("UPDATE restores SET stage = ?, bytes_read = ?, databases = ?, scratch = ? WHERE id = ? AND status = 'running'")
      .run(p.stage, p.bytesRead, JSON.stringify(p.databases), p.scratch, id);
  }

  finish(id: string, end: RestoreEnd): RestoreDto {
    this.db
      .prepare(
        `UPDATE restores SET status = ?, stage = ?, finished_at = ?, bytes_read = ?, databases = ?, drill = ?, error_code = ?, error_message = ?, message = ?,
           scratch = NULL, cancel_requested_at = NULL WHERE id = ?`,
      )
      .run(end.status, end.stage, end.finishedAt, end.bytesRead, JSON.stringify(end.databases), end.drill ? JSON.stringify(end.drill) : null, end.error?.code ?? null, end.error?.message ?? null, end.message, id);
    return this.get(id);
  }

  /** Every restore still marked running, with the source and the databases (or files) it writes. */
  running(): RunningRestore[] {
    const rows = this.db.prepare("SELECT id, target_source_id, databases, requested_by, owner_start_id FROM restores WHERE status = 'running'").all() as {
      id: string;
      target_source_id: string;
      databases: string;
      requested_by: string;
      owner_start_id: string | null;
    }[];
    return rows.map((r) => ({
      id: r.id,
      targetSourceId: r.target_source_id,
      targets: (JSON.parse(r.databases) as RestoredDatabaseDto[]).map((d) => d.database),
      requestedBy: r.requested_by,
      ownerStartId: r.owner_start_id,
    }));
  }

  /** A restore or drill still marked running that reads this backup (by its id), if any. */
  readingBackup(backupId: string): { id: string; kind: RestoreKind; requestedBy: string } | null {
    const rows = this.db.prepare("SELECT id, kind, backup_id, databases, requested_by FROM restores WHERE status = 'running'").all() as {
      id: string;
      kind: RestoreKind;
      backup_id: string;
      databases: string;
      requested_by: string;
    }[];
    const reading = rows.find((r) => r.backup_id === backupId || (JSON.parse(r.databases) as RestoredDatabaseDto[]).some((d) => d.backupId === backupId));
    return reading ? { id: reading.id, kind: reading.kind, requestedBy: reading.requested_by } : null;
  }

  requestCancel(id: string, at: string): void {
    this.db.prepare("UPDATE restores SET cancel_requested_at = ? WHERE id = ? AND status = 'running'").run(at, id);
  }

  cancelRequested(id: string): boolean {
    const row = this.db.prepare('SELECT cancel_requested_at FROM restores WHERE id = ?').get(id) as { cancel_requested_at: string | null } | undefined;
    return Boolean(row?.cancel_requested_at);
  }

  owner(id: string): { startId: string | null; pid: number | null } {
    const row = this.db.prepare('SELECT owner_start_id, owner_pid FROM restores WHERE id = ?').get(id) as { owner_start_id: string | null; owner_pid: number | null } | undefined;
    if (!row) throw notFound('Restore', id);
    return { startId: row.owner_start_id, pid: row.owner_pid };
  }

  /**
   * Restores still marked running whose process is gone become `interrupted`, with what they may
   * have left said in words (their scratch database); returns them.
   */
  interruptAbandoned(alive: (startId: string | null) => boolean, at: string): RestoreDto[] {
    const found: RestoreDto[] = [];
    this.db.transaction(() => {
      const rows = this.db.prepare("SELECT * FROM restores WHERE status = 'running'").all() as RestoreRow[];
      for (const row of rows) {
        if (alive(row.owner_start_id)) continue;
        const left = row.scratch ? ` ${mayHaveLeft(row.scratch)}` : '';
        const replaced = (JSON.parse(row.databases) as RestoredDatabaseDto[]).filter((d) => d.replaced && d.kind === 'database').map((d) => d.database);
        const target =
          row.kind === 'drill'
            ? ''
            : replaced.length > 0
              ? ` The restored copy had already been put in place of ${andList(replaced)}, which ${replaced.length === 1 ? 'holds' : 'hold'} the backup now.${row.engine === 'sqlite' ? '' : ` What ${replaced.length === 1 ? 'it' : 'each'} replaced may be left beside it, as ${andList(replaced.map((d) => `${d}_vdnew_…_old`))}: drop it ${BY_HAND}.`}`
              : row.stage === 'swap'
                ? ' It stopped while putting its restored copy in place of the target: look at the target to see whether it holds the backup or what it held before.'
                : ' The target database was not replaced: a restore swaps its copy in only at its end.';
        const message = `The process running this ${row.kind} (pid ${row.owner_pid ?? '?'}) stopped during its ${row.stage} stage.${target}${left}`;
        this.db
          .prepare("UPDATE restores SET status = 'interrupted', finished_at = ?, error_code = 'INTERRUPTED', error_message = ?, message = ? WHERE id = ?")
          .run(at, message, message, row.id);
        found.push(this.get(row.id));
      }
    })();
    return found;
  }
}

function toDto(r: RestoreRow): RestoreDto {
  const databases = JSON.parse(r.databases) as RestoredDatabaseDto[];
  const toDo = notesToDo(databases);
  // Only a finished record's scratch is what was left: a running one's is still in use.
  if (r.status === 'interrupted' && r.scratch) toDo.push(mayHaveLeft(r.scratch));
  return {
    id: r.id,
    kind: r.kind,
    status: r.status,
    stage: r.stage,
    backupId: r.backup_id,
    destinationId: r.destination_id,
    destination: r.destination_name,
    key: r.object_key,
    job: r.job_name,
    engine: r.engine,
    targetSourceId: r.target_source_id,
    targetSource: r.target_source,
    databases,
    withGlobals: r.with_globals === 1,
    force: r.force === 1,
    requestedBy: r.requested_by,
    startedAt: r.started_at,
    finishedAt: r.finished_at,
    bytesRead: r.bytes_read,
    totalBytes: r.total_bytes,
    drill: r.drill ? (JSON.parse(r.drill) as DrillResultDto) : null,
    error: r.error_code ? { code: r.error_code, message: r.error_message ?? '' } : null,
    message: r.message,
    toDo,
  };
}
