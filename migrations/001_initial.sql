-- TrailWarden scan state, version 1.
-- Times are INTEGER milliseconds since the Unix epoch, UTC (columns ending in _ms).
-- JSON columns hold text produced by the caller; SQLite does not interpret them.

-- Which migrations this database has had. The runner reads MAX(version); a missing
-- table means version 0.
CREATE TABLE schema_version (
    version       INTEGER PRIMARY KEY,
    file          TEXT    NOT NULL,
    applied_at_ms INTEGER NOT NULL
);

-- The identity of a digest chain. NULL prefix / organization are stored as '' so
-- that the UNIQUE constraint treats them as equal (SQLite's NULLs are all distinct).
CREATE TABLE chains (
    id              INTEGER PRIMARY KEY,
    bucket          TEXT NOT NULL,
    prefix          TEXT NOT NULL DEFAULT '',
    organization_id TEXT NOT NULL DEFAULT '',
    account_id      TEXT NOT NULL,
    trail_name      TEXT NOT NULL,
    home_region     TEXT NOT NULL,
    source_region   TEXT NOT NULL,
    UNIQUE (bucket, prefix, organization_id, account_id, trail_name, home_region, source_region)
);

-- One row per scan invocation. status is 'running' until the run is finished.
CREATE TABLE runs (
    id             INTEGER PRIMARY KEY,
    started_at_ms  INTEGER NOT NULL,
    finished_at_ms INTEGER,
    caller         TEXT    NOT NULL,
    request        TEXT    NOT NULL, -- JSON: what was asked
    totals         TEXT,             -- JSON
    errors         TEXT,             -- JSON
    status         TEXT    NOT NULL
);

-- The newest validated digest of each chain: where the next scan resumes.
CREATE TABLE checkpoints (
    chain_id           INTEGER PRIMARY KEY REFERENCES chains (id),
    digest_key         TEXT    NOT NULL,
    digest_end_time_ms INTEGER NOT NULL,
    signature          TEXT    NOT NULL,
    sha256             TEXT    NOT NULL,
    run_id             INTEGER NOT NULL REFERENCES runs (id),
    updated_at_ms      INTEGER NOT NULL
);

-- Findings with their history, identified by (chain, kind, object).
CREATE TABLE findings (
    id               INTEGER PRIMARY KEY,
    chain_id         INTEGER NOT NULL REFERENCES chains (id),
    kind             TEXT    NOT NULL CHECK (kind <> '' AND instr(kind, ' ') = 0),
    object           TEXT    NOT NULL,
    message          TEXT    NOT NULL,
    first_seen_run   INTEGER NOT NULL REFERENCES runs (id),
    first_seen_at_ms INTEGER NOT NULL,
    last_seen_run    INTEGER NOT NULL REFERENCES runs (id),
    last_seen_at_ms  INTEGER NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('open', 'resolved')),
    resolved_run     INTEGER REFERENCES runs (id),
    resolved_at_ms   INTEGER,
    UNIQUE (chain_id, kind, object)
);

-- What one run did for one chain.
CREATE TABLE chain_results (
    run_id         INTEGER NOT NULL REFERENCES runs (id),
    chain_id       INTEGER NOT NULL REFERENCES chains (id),
    trail_arn      TEXT    NOT NULL,
    range_start_ms INTEGER NOT NULL,
    range_end_ms   INTEGER NOT NULL,
    tally          TEXT    NOT NULL, -- JSON ValidationTally
    error          TEXT,
    recorded_at_ms INTEGER NOT NULL,
    PRIMARY KEY (run_id, chain_id)
);

-- The findings seen by one run for one chain.
CREATE TABLE chain_result_findings (
    run_id     INTEGER NOT NULL,
    chain_id   INTEGER NOT NULL,
    finding_id INTEGER NOT NULL REFERENCES findings (id),
    PRIMARY KEY (run_id, chain_id, finding_id),
    FOREIGN KEY (run_id, chain_id) REFERENCES chain_results (run_id, chain_id)
);

CREATE INDEX findings_by_status ON findings (status, chain_id);
