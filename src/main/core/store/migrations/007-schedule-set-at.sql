-- When each job's schedule was last set (created; schedule or time zone changed; enabled again;
-- catch-up turned on): catch-up runs only a slot at or after it, so a new or changed schedule does
-- not catch up a slot of the old one. `updated_at` served for this before, but any edit (retention,
-- hooks, name) moves it, and a missed nightly was then never caught up. Existing rows get
-- `updated_at`, the best value known: no later than the schedule's real time, so no slot is caught
-- up that the old rule would not have.
ALTER TABLE jobs ADD COLUMN schedule_set_at TEXT;
UPDATE jobs SET schedule_set_at = updated_at;
