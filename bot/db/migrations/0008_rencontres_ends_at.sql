-- Rencontres: each meet-up's end, stored, so "not yet ended" is an indexed filter
-- (ends_at > now) rather than starts_at + duration_min * 60 computed for every row.
ALTER TABLE rencontres ADD COLUMN ends_at INTEGER NOT NULL DEFAULT 0;
UPDATE rencontres SET ends_at = starts_at + duration_min * 60;
DROP INDEX rencontres_guild_start;
CREATE INDEX rencontres_guild_end ON rencontres (guild_id, status, ends_at);
