import type { HostKind, ProcessIdentity } from '../ownership/process-identity';
import type { OwnerRecord } from '../ownership/owner-liveness';
import type { Db } from './db';

interface ProcessRow {
  start_id: string;
  pid: number;
  hostname: string;
  proc_start: string | null;
  kind: HostKind;
  heartbeat_at: string;
}

export interface ProcessRecord extends OwnerRecord {
  startId: string;
  kind: HostKind;
}

/** The host processes that own something in this data dir (runs, temp folders, the scheduler lease). */
export class ProcessesRepository {
  constructor(private readonly db: Db) {}

  register(identity: ProcessIdentity, now: string): void {
    this.db
      .prepare(
        `INSERT INTO processes (start_id, pid, hostname, proc_start, kind, started_at, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (start_id) DO UPDATE SET heartbeat_at = excluded.heartbeat_at`,
      )
      .run(identity.startId, identity.pid, identity.hostname, identity.procStart, identity.kind, now, now);
  }

  heartbeat(startId: string, now: string): void {
    this.db.prepare('UPDATE processes SET heartbeat_at = ? WHERE start_id = ?').run(now, startId);
  }

  unregister(startId: string): void {
    this.db.prepare('DELETE FROM processes WHERE start_id = ?').run(startId);
  }

  get(startId: string): ProcessRecord | null {
    const row = this.db.prepare('SELECT * FROM processes WHERE start_id = ?').get(startId) as ProcessRow | undefined;
    return row ? toRecord(row) : null;
  }

  list(): ProcessRecord[] {
    return (this.db.prepare('SELECT * FROM processes').all() as ProcessRow[]).map(toRecord);
  }
}

function toRecord(r: ProcessRow): ProcessRecord {
  return { startId: r.start_id, pid: r.pid, hostname: r.hostname, procStart: r.proc_start, kind: r.kind, heartbeatAt: r.heartbeat_at };
}
