-- The storage explorer lists backups from the destinations themselves, including ones this data
-- dir never recorded (made on another machine, before a reinstall, by a deleted job). What a
-- user decides about a backup (pin, with an optional end) and the last verification are kept by
-- where the backup is, destination and object key, so they work for those too; `backups` keeps
-- the run history. Existing pins move here and the old column goes: one place says "pinned".
CREATE TABLE backup_state (
  destination_id TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  object_key     TEXT NOT NULL,
  pinned         INTEGER NOT NULL DEFAULT 0,
  pinned_until   TEXT,
  verified_at    TEXT,
  verified_ok    INTEGER,
  verified_message TEXT,
  PRIMARY KEY (destination_id, object_key)
);
INSERT INTO backup_state (destination_id, object_key, pinned)
  SELECT destination_id, object_key, 1 FROM backups WHERE pinned = 1;
ALTER TABLE backups DROP COLUMN pinned;

-- Manifests read from the destinations, so a listing reads only the new or changed ones: a
-- cached one is used while the manifest file has the same size, modification time and (S3)
-- ETag, and the destination still points where it did (`root`).
CREATE TABLE manifest_cache (
  destination_id TEXT NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
  object_key     TEXT NOT NULL,
  backup_id      TEXT NOT NULL,
  root           TEXT NOT NULL,
  size           INTEGER NOT NULL,
  modified_at    TEXT NOT NULL,
  etag           TEXT,
  body           TEXT NOT NULL,
  PRIMARY KEY (destination_id, object_key)
);
CREATE INDEX manifest_cache_backup ON manifest_cache (backup_id);
