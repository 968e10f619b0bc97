-- The engine's journal on PostgreSQL (dev.maze.server.store.PostgresJournal): the schema the SQLite journal has after
-- its V4 (db/migration/sqlite), in one step, since no PostgreSQL journal predates it. maze-server/README.md, "The
-- store", says why each choice.

-- One row per state event, in sequence order. workflow_id is null for node membership events; kind is the event's
-- record name. body is the event as JSON: the json type (not jsonb) checks it is JSON, keeps the text as written and
-- accepts every string the engine may hold (jsonb refuses the escape \u0000, which a task's output may contain).
-- attempt_id is a TaskStarted's attempt id (null for other kinds): each server start reads the highest one given out
-- (StateJournal.observeIds) from its index, without parsing bodies (->> fails on a body holding \u0000 anywhere).
CREATE TABLE events (
    seq         BIGINT PRIMARY KEY,
    workflow_id TEXT,
    kind        TEXT NOT NULL,
    body        JSON NOT NULL,
    attempt_id  BIGINT
);
CREATE INDEX events_by_workflow ON events (workflow_id, seq);
CREATE INDEX events_attempt_ids ON events (attempt_id) WHERE attempt_id IS NOT NULL;

-- One row per accepted workflow, written in the transaction of its WorkflowAccepted event and updated in that of its
-- WorkflowEnded: what GET /api/v1/workflows filters (state, name, submission time) and pages (by seq, the acceptance's
-- sequence number), and what read() leaves out (the events of workflows that ended). state is RUNNING until it ends;
-- times are seconds on the engine's clock (since the epoch).
CREATE TABLE workflows (
    workflow_id  TEXT PRIMARY KEY,
    seq          BIGINT NOT NULL UNIQUE,
    name         TEXT,
    state        TEXT NOT NULL,
    submitted_at DOUBLE PRECISION NOT NULL,
    ended_at     DOUBLE PRECISION
);
CREATE INDEX workflows_by_state ON workflows (state, seq);
CREATE INDEX workflows_by_name ON workflows (name, seq);

-- The first answer to each Idempotency-Key, written in the transaction that accepts the request's workflows, so that a
-- retried submission gets it again instead of a second run.
CREATE TABLE idempotency_keys (
    idempotency_key TEXT PRIMARY KEY,
    request_sha256  TEXT NOT NULL,
    status          INTEGER NOT NULL,
    body            TEXT NOT NULL
);
