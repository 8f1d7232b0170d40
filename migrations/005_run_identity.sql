-- What a report needs to say who checked and with what: the SHA-256 (lower-case hex) of
-- the configuration file's bytes as the run read them, and the TrailWarden version that
-- ran it. NULL for runs recorded before this migration (and, for the hash, for runs given
-- no configuration file). The caller identity was already kept in runs.caller.
ALTER TABLE runs ADD COLUMN configuration_sha256 TEXT;
ALTER TABLE runs ADD COLUMN trailwarden_version TEXT;
