-- Core tables: key/value metadata, per-server settings, per-member preferences.
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE guild_settings (
    guild_id            INTEGER PRIMARY KEY,
    language            TEXT,              -- 'fr' | 'en'; NULL: the bot's default
    timezone            TEXT,              -- IANA zone; NULL: the bot's default
    region              TEXT,              -- 'FR' | 'QC' | 'BE' | 'CH'; NULL: from the zone
    moderator_role_id   INTEGER,
    announce_channel_id INTEGER,
    mod_channel_id      INTEGER            -- where failures and suggestions reach moderators
);

CREATE TABLE member_settings (
    user_id        INTEGER PRIMARY KEY,
    timezone       TEXT,                   -- used to read the dates they type
    dm_reminders   INTEGER NOT NULL DEFAULT 0,
    dm_closed      INTEGER NOT NULL DEFAULT 0   -- Discord said 50007: do not retry every time
);
