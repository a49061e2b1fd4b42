-- The agenda outside Discord (issue 18): calendar subscription links, the public agenda page,
-- and the revision numbers calendars follow (RFC 5545 SEQUENCE).

-- A link's secret is never stored: only its SHA-256 (hex), looked up, then compared in constant
-- time. One live link per server (scope 'guild', owner = the server) and per member (scope
-- 'member', owner = the member); a new one replaces the old, which stops working at once.
CREATE TABLE agenda_links (
    id          INTEGER PRIMARY KEY,
    token_hash  TEXT NOT NULL UNIQUE,
    scope       TEXT NOT NULL,                 -- 'guild' | 'member'
    owner_id    INTEGER NOT NULL,
    lang        TEXT NOT NULL,                 -- the feed's language ('fr' | 'en')
    label       TEXT NOT NULL,                 -- the calendar's name (the server's, for a server)
    created_at  INTEGER NOT NULL,              -- unix seconds, UTC
    UNIQUE (scope, owner_id)
);

-- Servers whose public agenda page is on (off by default: no row, no page).
CREATE TABLE agenda_pages (
    guild_id    INTEGER PRIMARY KEY,
    guild_name  TEXT NOT NULL,                 -- the page's title, as it was when turned on
    enabled_at  INTEGER NOT NULL
);

-- +1 on every change calendars must follow (the feeds' SEQUENCE).
ALTER TABLE rencontres ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apero_series ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
ALTER TABLE apero_series ADD COLUMN updated_at INTEGER NOT NULL DEFAULT 0;
UPDATE apero_series SET updated_at = created_at;
