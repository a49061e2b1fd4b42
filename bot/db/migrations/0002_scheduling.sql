-- The reminder engine: what is due (items) and what happened to each delivery (the ledger).
CREATE TABLE reminder_items (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,              -- the feature handler that renders it
    ref         TEXT NOT NULL,              -- the feature's own key, unique within kind
    guild_id    INTEGER,
    occurrence  TEXT NOT NULL,              -- which occurrence (ISO UTC instant it belongs to)
    due_at      INTEGER NOT NULL,           -- unix seconds, UTC
    expires_at  INTEGER,                    -- past this, sending is useless (the event began)
    payload     TEXT NOT NULL DEFAULT '{}', -- JSON, the feature's data
    attempts    INTEGER NOT NULL DEFAULT 0, -- transient failures so far, for this occurrence
    UNIQUE (kind, ref)
);
CREATE INDEX reminder_items_due ON reminder_items (due_at);
CREATE INDEX reminder_items_guild ON reminder_items (guild_id, due_at);

-- One row per (item, occurrence, target): written 'sending' before the send, final after.
CREATE TABLE reminder_ledger (
    kind        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    occurrence  TEXT NOT NULL,
    target      TEXT NOT NULL,              -- 'channel:<id>' or 'dm:<user id>'
    guild_id    INTEGER,
    status      TEXT NOT NULL,              -- sending | sent | late | fallback | missed | failed | skipped
    message_id  INTEGER,
    error       TEXT,
    at          INTEGER NOT NULL,
    PRIMARY KEY (kind, ref, occurrence, target)
);
CREATE INDEX reminder_ledger_guild ON reminder_ledger (guild_id, at);

-- Permanent failures already told to moderators: once per (guild, channel, error).
CREATE TABLE reminder_failure_reports (
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    code        TEXT NOT NULL,
    at          INTEGER NOT NULL,
    PRIMARY KEY (guild_id, channel_id, code)
);

-- Announcements moderators schedule for a set time (/annonce), delivered by the engine.
CREATE TABLE announcements (
    id          INTEGER PRIMARY KEY,
    guild_id    INTEGER NOT NULL,
    channel_id  INTEGER NOT NULL,
    author_id   INTEGER,                    -- NULL once the author asked to be forgotten
    text        TEXT NOT NULL,
    due_at      INTEGER NOT NULL,           -- unix seconds, UTC
    zone        TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'pending',  -- pending | sent | cancelled | failed
    created_at  INTEGER NOT NULL
);
CREATE INDEX announcements_guild ON announcements (guild_id, status, due_at);
