-- Apéro-visio: weekly series, skipped dates, "Je serai là" per occurrence, creation drafts.
CREATE TABLE apero_series (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    name             TEXT NOT NULL,
    weekday          INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6),  -- 0 = lundi
    at_time          TEXT NOT NULL,              -- 'HH:MM', wall clock in `zone`
    zone             TEXT NOT NULL,              -- IANA zone the series lives in
    channel_id       INTEGER NOT NULL,           -- where reminders are posted
    link             TEXT,                       -- http(s) video link, or NULL
    voice_channel_id INTEGER,                    -- voice/stage channel, or NULL
    role_id          INTEGER,                    -- role to mention, or NULL
    offsets          TEXT NOT NULL,              -- reminder codes, comma-separated (m15,d1@18:00)
    welcome          TEXT,                       -- optional message shown in every reminder
    paused           INTEGER NOT NULL DEFAULT 0,
    pause_reason     TEXT,                       -- 'manual' or the delivery failure code
    created_by       INTEGER NOT NULL,
    created_at       INTEGER NOT NULL,           -- unix seconds, UTC
    UNIQUE (guild_id, name)
);

-- Occurrences not held (holidays), by the series' local date.
CREATE TABLE apero_skips (
    series_id INTEGER NOT NULL REFERENCES apero_series (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,                     -- 'YYYY-MM-DD' in the series' zone
    PRIMARY KEY (series_id, day)
);

-- "Je serai là": one row per (series, occurrence, member).
CREATE TABLE apero_attendance (
    series_id INTEGER NOT NULL REFERENCES apero_series (id) ON DELETE CASCADE,
    day       TEXT NOT NULL,
    user_id   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (series_id, day, user_id)
);
CREATE INDEX apero_attendance_user ON apero_attendance (user_id);

-- A validated /apero creer waiting for the moderator's confirmation (survives a restart).
CREATE TABLE apero_drafts (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    author_id  INTEGER NOT NULL,
    data       TEXT NOT NULL,                    -- JSON of the series fields
    created_at INTEGER NOT NULL
);
