-- One row per accepted workflow, written in the transaction of its WorkflowAccepted event and updated in that of its
-- WorkflowEnded: what GET /api/v1/workflows filters (state, name, submission time) and pages (by seq, the acceptance's
-- sequence number) without reading events. state is RUNNING until the workflow ends. Replaces ended_workflows.
CREATE TABLE workflows (
    workflow_id  TEXT PRIMARY KEY,
    seq          INTEGER NOT NULL UNIQUE,
    name         TEXT,
    state        TEXT NOT NULL,
    submitted_at REAL NOT NULL,
    ended_at     REAL
);
CREATE INDEX workflows_by_state ON workflows (state, seq);
CREATE INDEX workflows_by_name ON workflows (name, seq);

INSERT OR IGNORE INTO workflows (workflow_id, seq, name, state, submitted_at, ended_at)
SELECT accepted.workflow_id, accepted.seq, json_extract(accepted.body, '$.spec.name'),
       coalesce(ended.state, 'RUNNING'), json_extract(accepted.body, '$.atSeconds'),
       json_extract(end_event.body, '$.atSeconds')
FROM events accepted
LEFT JOIN ended_workflows ended ON ended.workflow_id = accepted.workflow_id
LEFT JOIN events end_event ON end_event.seq = ended.seq
WHERE accepted.kind = 'WorkflowAccepted';

DROP TABLE ended_workflows;
