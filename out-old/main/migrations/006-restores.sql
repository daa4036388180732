-- The restore history: every restore and drill, who asked, what went where, how it went. A
-- restore is owned by the process running it, like a run, so a later host start can say that
-- one whose process died was interrupted, and what it may have left (a scratch database).
CREATE TABLE restores (
  id               TEXT PRIMARY KEY,
  kind             TEXT NOT NULL CHECK (kind IN ('restore', 'drill')),
  status           TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted')),
  stage            TEXT NOT NULL,
  backup_id        TEXT NOT NULL,
  destination_id   TEXT NOT NULL,
  destination_name TEXT NOT NULL,
  object_key       TEXT NOT NULL,
  job_name         TEXT,
  engine           TEXT NOT NULL,
  target_source_id TEXT NOT NULL,
  target_source    TEXT NOT NULL,
  with_globals     INTEGER NOT NULL DEFAULT 0,
  force            INTEGER NOT NULL DEFAULT 0,
  requested_by     TEXT NOT NULL,
  started_at       TEXT NOT NULL,
  finished_at      TEXT,
  bytes_read       INTEGER NOT NULL DEFAULT 0,
  total_bytes      INTEGER NOT NULL DEFAULT 0,
  -- JSON: the databases (RestoredDatabaseDto[]) and the drill's result.
  databases        TEXT NOT NULL DEFAULT '[]',
  drill            TEXT,
  -- What a dead owner may have left, in words (a scratch database on a server).
  scratch          TEXT,
  error_code       TEXT,
  error_message    TEXT,
  message          TEXT NOT NULL DEFAULT '',
  owner_start_id   TEXT,
  owner_pid        INTEGER,
  cancel_requested_at TEXT
);
CREATE INDEX restores_started ON restores (started_at);
CREATE INDEX restores_backup ON restores (backup_id);

-- A drill's last outcome is kept with the backup, by where it is, like its last verification.
ALTER TABLE backup_state ADD COLUMN drilled_at TEXT;
ALTER TABLE backup_state ADD COLUMN drilled_ok INTEGER;
ALTER TABLE backup_state ADD COLUMN drill_restore_id TEXT;
ALTER TABLE backup_state ADD COLUMN drill_message TEXT;
