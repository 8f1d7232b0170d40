-- Placeholder: version 4 is reserved for another branch's migration, merged separately;
-- migrations must be numbered without gaps. This file changes nothing and is replaced by
-- that migration when the branches meet (delete this file then).
SELECT 1;
