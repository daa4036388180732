-- Hooks and notifications. A job's webhook and Healthchecks URLs carry credentials (a Slack
-- webhook URL is all it takes to post to a channel): they are sealed like every other secret,
-- in a `secrets` column covered by key rotation and reset. The hooks and the URLs' redacted hosts
-- are plain configuration, in the job's `config` JSON.
ALTER TABLE jobs ADD COLUMN secrets TEXT;
ALTER TABLE jobs ADD COLUMN secret_names TEXT NOT NULL DEFAULT '[]';

-- Secrets that belong to the app rather than to one configured thing: the global webhook URL
-- (row `settings`). Same shape as the other secret columns, so rotation and reset walk it too.
CREATE TABLE app_secrets (
  id           TEXT PRIMARY KEY,
  secrets      TEXT,
  secret_names TEXT NOT NULL DEFAULT '[]'
);
INSERT INTO app_secrets (id) VALUES ('settings');
