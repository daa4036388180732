-- Vaultdesk configuration schema, version 1.
-- Secret fields live only in `secrets` columns, sealed with AES-256-GCM under the master key
-- (see secret-box.ts); `secret_names` lists which secrets a row holds, never their values.

CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE environments (
  id                     TEXT PRIMARY KEY,
  name                   TEXT NOT NULL UNIQUE COLLATE NOCASE,
  description            TEXT NOT NULL DEFAULT '',
  allow_all_destinations INTEGER NOT NULL DEFAULT 1,
  created_at             TEXT NOT NULL
);

CREATE TABLE destinations (
  id           TEXT PRIMARY KEY,
  name         TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind         TEXT NOT NULL CHECK (kind IN ('local', 's3', 'sftp')),
  config       TEXT NOT NULL,
  secrets      TEXT,
  secret_names TEXT NOT NULL DEFAULT '[]',
  locked       INTEGER NOT NULL DEFAULT 0,
  is_default   INTEGER NOT NULL DEFAULT 0,
  created_at   TEXT NOT NULL,
  updated_at   TEXT NOT NULL
);
-- At most one default destination.
CREATE UNIQUE INDEX destinations_one_default ON destinations (is_default) WHERE is_default = 1;

CREATE TABLE environment_destinations (
  environment_id TEXT NOT NULL REFERENCES environments (id) ON DELETE CASCADE,
  destination_id TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  PRIMARY KEY (environment_id, destination_id)
);

CREATE TABLE sources (
  id             TEXT PRIMARY KEY,
  name           TEXT NOT NULL UNIQUE COLLATE NOCASE,
  engine         TEXT NOT NULL CHECK (engine IN ('postgres', 'mysql', 'sqlite')),
  environment_id TEXT NOT NULL REFERENCES environments (id),
  config         TEXT NOT NULL,
  secrets        TEXT,
  secret_names   TEXT NOT NULL DEFAULT '[]',
  created_at     TEXT NOT NULL,
  updated_at     TEXT NOT NULL
);

CREATE TABLE profiles (
  id               TEXT PRIMARY KEY,
  name             TEXT NOT NULL UNIQUE COLLATE NOCASE,
  kind             TEXT NOT NULL CHECK (kind IN ('age', '7z')),
  recipient        TEXT,
  extra_recipients TEXT NOT NULL DEFAULT '[]',
  secrets          TEXT,
  secret_names     TEXT NOT NULL DEFAULT '[]',
  created_at       TEXT NOT NULL
);

CREATE TABLE jobs (
  id         TEXT PRIMARY KEY,
  name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
  source_id  TEXT NOT NULL REFERENCES sources (id),
  profile_id TEXT REFERENCES profiles (id),
  config     TEXT NOT NULL,
  enabled    INTEGER NOT NULL DEFAULT 1,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

CREATE TABLE job_destinations (
  job_id         TEXT NOT NULL REFERENCES jobs (id) ON DELETE CASCADE,
  destination_id TEXT NOT NULL REFERENCES destinations (id),
  position       INTEGER NOT NULL,
  PRIMARY KEY (job_id, destination_id)
);

CREATE TABLE runs (
  id           TEXT PRIMARY KEY,
  job_id       TEXT REFERENCES jobs (id) ON DELETE SET NULL,
  job_name     TEXT NOT NULL,
  status       TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled')),
  trigger      TEXT NOT NULL DEFAULT 'manual',
  started_at   TEXT NOT NULL,
  finished_at  TEXT,
  bytes_in     INTEGER NOT NULL DEFAULT 0,
  bytes_out    INTEGER NOT NULL DEFAULT 0,
  detail       TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX runs_job_started ON runs (job_id, started_at);

CREATE TABLE backups (
  id             TEXT PRIMARY KEY,
  run_id         TEXT REFERENCES runs (id) ON DELETE SET NULL,
  job_id         TEXT REFERENCES jobs (id) ON DELETE SET NULL,
  destination_id TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  object_key     TEXT NOT NULL,
  database_name  TEXT NOT NULL,
  size           INTEGER NOT NULL,
  sha256         TEXT NOT NULL,
  manifest       TEXT NOT NULL,
  pinned         INTEGER NOT NULL DEFAULT 0,
  created_at     TEXT NOT NULL,
  UNIQUE (destination_id, object_key)
);
