-- Where a chain's search for unreferenced log files stopped: short of its newest digest's
-- end, whose next digest may still list the last minutes' log files. The next run resumes
-- the search there, so no minutes go unexamined between incremental runs. NULL until a
-- run searches.
ALTER TABLE checkpoints ADD COLUMN unreferenced_checked_through_ms INTEGER;
