"""A synthetic scan state with a long history, for scripts/benchmark-report and the report tests.

    python3 scripts/lib/report_state.py STATE CHAINS RUNS [FIRST_ACCOUNT [HOUR_OFFSET]]

Applies migrations/*.sql in order, as the binary does, then fills the state with RUNS nightly
runs over CHAINS chains (four chains an account, from account FIRST_ACCOUNT on; runs start
HOUR_OFFSET hours later, so a second state's runs fall between the first's): per run and chain
one result and three coverage spans, a finding in one chain of ten (a third of them resolved by
the next run), a chain error in one chain of thirteen; per account of five a trail posture
finding; account errors, run errors and alarm outcomes now and then. Deterministic: the same
arguments give the same rows.
"""
import glob
import json
import os
import sqlite3
import sys

path, chains, runs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
first_account = int(sys.argv[4]) if len(sys.argv) > 4 else 0
hour, day = 3_600_000, 86_400_000
start = 1_790_000_000_000 + (int(sys.argv[5]) if len(sys.argv) > 5 else 0) * hour

db = sqlite3.connect(path)
db.execute("PRAGMA journal_mode = OFF")
db.execute("PRAGMA synchronous = OFF")
for number, file in enumerate(sorted(glob.glob(os.path.join(os.path.dirname(__file__), "../../migrations/*.sql"))), start=1):
    db.executescript(open(file).read())
    db.execute("INSERT INTO schema_version VALUES (?, ?, 0)", (number, os.path.basename(file)))

regions = ["us-east-1", "eu-west-1", "ap-south-1", "sa-east-1"]
arn = "arn:aws:cloudtrail:us-east-1:100000000000:trail/org-trail"
tally = json.dumps({"validDigests": 24, "invalidDigests": 0, "validBackfillDigests": 0, "invalidBackfillDigests": 0,
                    "validLogs": 480, "invalidLogs": 1, "brokenLinks": 0, "additionalMissingDigests": 0, "unreferencedLogs": 0})


def account(chain):
    return f"{100000000000 + first_account + chain // 4:012d}"


db.executemany("INSERT INTO chains VALUES (?, 'bucket', ?, 'o-benchmark000', ?, 'org-trail', 'us-east-1', ?)",
               ((chain, "org" if chain % 3 else "", account(chain), regions[chain % 4]) for chain in range(1, chains + 1)))
accounts = sorted({account(chain) for chain in range(1, chains + 1)})


def night(run):
    return start + run * day


for run in range(1, runs + 1):
    errors = ["ListAccounts: throttled, retried | <5>"] if run % 7 == 0 else []
    db.execute("INSERT INTO runs (id, started_at_ms, finished_at_ms, caller, request, totals, errors, status, configuration_sha256,"
               " trailwarden_version) VALUES (?, ?, ?, ?, '{}', '{}', ?, ?, ?, '0.9.0')",
               (run, night(run), night(run) + hour, f"arn:aws:sts::100000000000:assumed-role/audit/night-{run % 3}", json.dumps(errors),
                "incomplete" if errors else "complete", "c0ffee" + "0" * 58 if run % 2 else None))
    db.execute("INSERT INTO alarm_outcomes VALUES (?, 'sns:arn:aws:sns:us-east-1:100000000000:alerts', ?, ?, ?, ?, ?)",
               (run, "failed" if run % 4 == 0 else "delivered", chains // 10, 3 if run % 4 == 0 else 1,
                "timed out" if run % 4 == 0 else None, night(run) + hour))


def results(run):
    for chain in range(1, chains + 1):
        error = "ListObjectsV2 s3://bucket/: AccessDenied" if chain % 13 == run % 13 else None
        yield (run, chain, arn, night(run) - day, night(run), tally, error, night(run) + chain)


def spans(run):
    for chain in range(1, chains + 1):
        if chain % 13 != run % 13:
            yield (run, chain, night(run) - day, night(run) - 10 * hour, "verified")
            yield (run, chain, night(run) - 10 * hour, night(run) - 9 * hour, "invalid" if chain % 2 else "missing")
            yield (run, chain, night(run) - 9 * hour, night(run), "verified")


for run in range(1, runs + 1):
    db.executemany("INSERT INTO chain_results VALUES (?, ?, ?, ?, ?, ?, ?, ?)", results(run))
    db.executemany("INSERT INTO coverage_spans VALUES (?, ?, ?, ?, ?)", spans(run))
    for chain in range(1, chains + 1):
        if chain % 10 != run % 10:
            continue
        resolved = chain % 3 == 0 and run < runs
        key = f"AWSLogs/{account(chain)}/{chain}/{run}.json.gz" + ("=HYPERLINK(\"x\")|<b>" if chain == 1 else "")
        finding = db.execute("""INSERT INTO findings (account_id, chain_id, kind, object, message, first_seen_run, first_seen_at_ms,
                                last_seen_run, last_seen_at_ms, status, resolved_run, resolved_at_ms) VALUES (?, ?, 'log-hash-mismatch', ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
                             (account(chain), chain, f"s3://bucket/{key}", f"Log file\ts3://bucket/{key}\tINVALID: hash value doesn't match",
                              run, night(run), run, night(run), "resolved" if resolved else "open",
                              run + 1 if resolved else None, night(run + 1) if resolved else None)).lastrowid
        db.execute("INSERT INTO chain_result_findings VALUES (?, ?, ?)", (run, chain, finding))
for index, account_id in enumerate(accounts):
    if index % 5 == 0:
        db.execute("""INSERT INTO findings (account_id, chain_id, kind, object, message, first_seen_run, first_seen_at_ms,
                      last_seen_run, last_seen_at_ms, status) VALUES (?, NULL, 'trail-logging-stopped', ?, ?, 1, ?, ?, ?, 'open')""",
                   (account_id, arn, f"Trail\t{arn}\tlogging stopped", night(1), runs, night(runs)))
    for run in range(1, runs + 1):
        if index % 7 == 3 and run % 5 == 0:
            db.execute("INSERT INTO account_errors VALUES (?, ?, ?)", (run, account_id, "AssumeRole: AccessDenied for <role>"))
db.commit()
