-- Reports read one account's errors at a time (docs/performance.md, "Reports from a long
-- history"): without this index each of those reads scans every error of the period's runs.
CREATE INDEX account_errors_by_account ON account_errors (account_id, run_id);
