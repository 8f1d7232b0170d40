-- The newest digest a chain's runs examined, valid or not (a copied or moved digest past
-- the newest valid one): the next run resumes after it, so that an invalid digest is
-- fetched and reported once, not every night. NULL until a run examines past the
-- checkpoint's digest.
ALTER TABLE checkpoints ADD COLUMN examined_digest_key TEXT;
ALTER TABLE checkpoints ADD COLUMN examined_end_time_ms INTEGER;
