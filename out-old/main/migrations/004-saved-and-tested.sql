-- Whether a profile's age identity exists anywhere but in this store. A generated identity that
-- was never exported is the only copy of the key to every backup encrypted to the profile: the UI
-- and CLI flag it. `identity_exported_at`: the last time it was written out (export-identity, the
-- UI's save); `identity_imported`: the user brought it, so they hold it already.
ALTER TABLE profiles ADD COLUMN identity_exported_at TEXT;
ALTER TABLE profiles ADD COLUMN identity_imported INTEGER NOT NULL DEFAULT 0;

-- The last connection test of each source and destination, as JSON {at, success, message}; NULL:
-- never tested with its current settings (a change of settings clears it).
ALTER TABLE sources ADD COLUMN last_test TEXT;
ALTER TABLE destinations ADD COLUMN last_test TEXT;
