-- Several processes share one data dir (the app, `serve`, the daemon, CLI commands), and a run
-- can die without cleaning up. Each run now names the process that owns it; only runs whose
-- owner is gone are marked interrupted and cleaned up, using what the run recorded it was about
-- to create at each destination.

-- A host process that owns runs (or temp folders, or later the scheduler lease). `start_id` is
-- random per process start, so a reused pid is never mistaken for the owner; `proc_start` is the
-- OS's own start time of the pid where it can be read (Linux), `heartbeat_at` covers the rest.
CREATE TABLE processes (
  start_id     TEXT PRIMARY KEY,
  pid          INTEGER NOT NULL,
  hostname     TEXT NOT NULL,
  proc_start   TEXT,
  kind         TEXT NOT NULL,
  started_at   TEXT NOT NULL,
  heartbeat_at TEXT NOT NULL
);

-- SQLite cannot change a CHECK constraint in place: the runs table is rebuilt with the new
-- statuses (`interrupted`: its process died; `skipped`: a scheduled slot that found the job still
-- running), its owner and a cross-process cancel request.
CREATE TABLE runs_new (
  id                  TEXT PRIMARY KEY,
  job_id              TEXT REFERENCES jobs (id) ON DELETE SET NULL,
  job_name            TEXT NOT NULL,
  status              TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'interrupted', 'skipped')),
  trigger             TEXT NOT NULL DEFAULT 'manual',
  started_at          TEXT NOT NULL,
  finished_at         TEXT,
  bytes_in            INTEGER NOT NULL DEFAULT 0,
  bytes_out           INTEGER NOT NULL DEFAULT 0,
  detail              TEXT NOT NULL DEFAULT '{}',
  -- The stage a running run is in, so a run cut off says where it stopped.
  stage               TEXT,
  owner_start_id      TEXT,
  owner_pid           INTEGER,
  cancel_requested_at TEXT
);
INSERT INTO runs_new (id, job_id, job_name, status, trigger, started_at, finished_at, bytes_in, bytes_out, detail)
  SELECT id, job_id, job_name, status, trigger, started_at, finished_at, bytes_in, bytes_out, detail FROM runs;
DROP TABLE runs;
ALTER TABLE runs_new RENAME TO runs;
CREATE INDEX runs_job_started ON runs (job_id, started_at);
-- One run per job at a time, whichever process starts it.
CREATE UNIQUE INDEX runs_one_running_per_job ON runs (job_id) WHERE status = 'running';

-- What a run is about to create at a destination, recorded before the first byte is sent: the
-- object key (its `.partial` file, or its multipart upload) and, for S3, the upload id once
-- known. Rows of a finished run are removed once its leftovers are gone; a cleanup that could
-- not reach the destination is retried at a later start.
CREATE TABLE run_leftovers (
  run_id          TEXT NOT NULL REFERENCES runs (id) ON DELETE CASCADE,
  destination_id  TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  object_key      TEXT NOT NULL,
  upload_id       TEXT,
  attempts        INTEGER NOT NULL DEFAULT 0,
  next_attempt_at TEXT,
  last_error      TEXT,
  PRIMARY KEY (run_id, destination_id, object_key)
);
