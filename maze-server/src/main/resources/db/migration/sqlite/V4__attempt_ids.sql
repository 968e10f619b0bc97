-- The attempt id of each TaskStarted event as a column (null for other kinds), so that a server's start reads the
-- highest one given out (StateJournal.observeIds) from an index instead of every TaskStarted body, and without parsing
-- JSON: the PostgreSQL journal cannot extract a field from a body that holds the escape \u0000 anywhere.
ALTER TABLE events ADD COLUMN attempt_id INTEGER;
UPDATE events SET attempt_id = json_extract(body, '$.attemptId') WHERE kind = 'TaskStarted';
CREATE INDEX events_attempt_ids ON events (attempt_id) WHERE attempt_id IS NOT NULL;
