-- TrailWarden scan state, version 2: findings about trails, account errors, coverage
-- spans for the compliance report, and which findings each alarm target has received.

-- Every finding now names its account; chain_id is NULL for findings about a trail rather
-- than one chain (posture: log file validation disabled, logging stopped), whose object is
-- the trail ARN. SQLite cannot relax NOT NULL in place, so the table is rebuilt with the same
-- ids, so chain_result_findings keeps pointing at the same rows (migrations run with foreign
-- keys off and end with a foreign key check, as SQLite's rules for rebuilding a table ask).

CREATE TABLE findings_v2 (
    id               INTEGER PRIMARY KEY,
    account_id       TEXT    NOT NULL,
    chain_id         INTEGER REFERENCES chains (id),
    kind             TEXT    NOT NULL CHECK (kind <> '' AND instr(kind, ' ') = 0),
    object           TEXT    NOT NULL,
    message          TEXT    NOT NULL,
    first_seen_run   INTEGER NOT NULL REFERENCES runs (id),
    first_seen_at_ms INTEGER NOT NULL,
    last_seen_run    INTEGER NOT NULL REFERENCES runs (id),
    last_seen_at_ms  INTEGER NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('open', 'resolved')),
    resolved_run     INTEGER REFERENCES runs (id),
    resolved_at_ms   INTEGER
);

INSERT INTO findings_v2 (id, account_id, chain_id, kind, object, message, first_seen_run, first_seen_at_ms,
                         last_seen_run, last_seen_at_ms, status, resolved_run, resolved_at_ms)
SELECT f.id, c.account_id, f.chain_id, f.kind, f.object, f.message, f.first_seen_run, f.first_seen_at_ms,
       f.last_seen_run, f.last_seen_at_ms, f.status, f.resolved_run, f.resolved_at_ms
FROM findings f JOIN chains c ON c.id = f.chain_id;

DROP TABLE findings;
ALTER TABLE findings_v2 RENAME TO findings;

-- A chain finding is identified by (chain, kind, object); a trail finding by (account, kind, object).
CREATE UNIQUE INDEX findings_of_chains ON findings (chain_id, kind, object) WHERE chain_id IS NOT NULL;
CREATE UNIQUE INDEX findings_of_trails ON findings (account_id, kind, object) WHERE chain_id IS NULL;
CREATE INDEX findings_by_status ON findings (status, account_id);

-- A chain's results, newest last: its current trail ARN, its history for reports.
CREATE INDEX chain_results_by_chain ON chain_results (chain_id, run_id);

-- Why an account, or part of it, could not be scanned by one run (scan-wide errors stay in
-- runs.errors). Kept so a report of any period shows them.
CREATE TABLE account_errors (
    run_id     INTEGER NOT NULL REFERENCES runs (id),
    account_id TEXT    NOT NULL,
    message    TEXT    NOT NULL
);
CREATE INDEX account_errors_by_run ON account_errors (run_id);

-- What one chain result established about stretches of the chain's time, merged into
-- maximal runs of one state. Times are the digests' own start and end times.
CREATE TABLE coverage_spans (
    run_id   INTEGER NOT NULL,
    chain_id INTEGER NOT NULL,
    start_ms INTEGER NOT NULL,
    end_ms   INTEGER NOT NULL CHECK (end_ms >= start_ms),
    state    TEXT    NOT NULL CHECK (state IN ('verified', 'invalid', 'missing', 'no-digests')),
    FOREIGN KEY (run_id, chain_id) REFERENCES chain_results (run_id, chain_id)
);
CREATE INDEX coverage_spans_by_chain ON coverage_spans (chain_id, start_ms);

-- Which finding reached which alarm target, and when: a finding is pending for a target
-- until it has a row here, so a failed delivery is offered again and a delivered one never is.
-- target is the sink's stable name ("sns:ARN", "cloudwatch:NAMESPACE@REGION", "webhook:…").
CREATE TABLE alarm_deliveries (
    finding_id      INTEGER NOT NULL REFERENCES findings (id),
    target          TEXT    NOT NULL,
    run_id          INTEGER NOT NULL REFERENCES runs (id),
    delivered_at_ms INTEGER NOT NULL,
    PRIMARY KEY (finding_id, target)
);

-- What each alarm target did after one run, for the report.
CREATE TABLE alarm_outcomes (
    run_id   INTEGER NOT NULL REFERENCES runs (id),
    target   TEXT    NOT NULL,
    status   TEXT    NOT NULL CHECK (status IN ('delivered', 'nothing-new', 'failed', 'skipped')),
    findings INTEGER NOT NULL,
    attempts INTEGER NOT NULL,
    error    TEXT,
    at_ms    INTEGER NOT NULL,
    PRIMARY KEY (run_id, target)
);
