-- The engine's journal (dev.maze.core.engine.StateJournal): one row per state event, in sequence order.
-- workflow_id is null for node membership events; kind is the event's record name; body its JSON.
CREATE TABLE events (
    seq         INTEGER PRIMARY KEY,
    workflow_id TEXT,
    kind        TEXT NOT NULL,
    body        TEXT NOT NULL
);
CREATE INDEX events_by_workflow ON events (workflow_id, seq);

-- Workflows that ended: their events are history, not state to restore.
CREATE TABLE ended_workflows (
    workflow_id TEXT PRIMARY KEY,
    seq         INTEGER NOT NULL,
    state       TEXT NOT NULL
);
