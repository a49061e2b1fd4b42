-- Soutien entre pairs: private and anonymous support threads.
-- Anonymity: the author of an anonymous post is never stored next to the post. The only
-- author <-> pseudonym link is soutien_links, purged after the server's retention period.

CREATE TABLE soutien_config (
    guild_id          INTEGER PRIMARY KEY,
    channel_id        INTEGER,              -- the support channel (text or forum)
    supporter_role_id INTEGER,              -- the peer supporters ("pairs aidants")
    alert_channel_id  INTEGER,              -- where reports reach moderators
    region            TEXT,                 -- FR | QC | BE | CH; NULL: the server's region
    retention_days    INTEGER NOT NULL DEFAULT 30
);

CREATE TABLE soutien_threads (
    thread_id     INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    kind          TEXT NOT NULL,            -- 'private' | 'anonymous'
    opener_id     INTEGER,                  -- private threads only (the member is named there)
    opener_pseudo TEXT,                     -- anonymous threads only
    created_at    INTEGER NOT NULL,         -- unix seconds, UTC
    last_activity INTEGER NOT NULL,
    closed_at     INTEGER,                  -- closed by /soutien clore: archived and locked
    dormant       INTEGER NOT NULL DEFAULT 0 -- archived for inactivity; a new message wakes it
);
CREATE INDEX soutien_threads_opener ON soutien_threads (opener_id);

-- author <-> pseudonym, per thread; purged `retention_days` after its last use.
CREATE TABLE soutien_links (
    thread_id  INTEGER NOT NULL,
    pseudonym  TEXT NOT NULL,
    author_id  INTEGER NOT NULL,
    guild_id   INTEGER NOT NULL,
    notify     INTEGER NOT NULL DEFAULT 0,  -- DM "a new reply" (opt-in)
    notify_ref TEXT,                        -- opaque reminder ref (never the author id)
    last_used  INTEGER NOT NULL,
    PRIMARY KEY (thread_id, pseudonym)
);
CREATE INDEX soutien_links_author ON soutien_links (author_id);

-- Anonymous posts: the message and its pseudonym, never its author.
CREATE TABLE soutien_posts (
    message_id INTEGER PRIMARY KEY,
    thread_id  INTEGER NOT NULL,
    guild_id   INTEGER NOT NULL,
    pseudonym  TEXT NOT NULL,
    posted_at  INTEGER NOT NULL,
    removed    INTEGER NOT NULL DEFAULT 0
);

-- Blocked authors, by a keyed hash of their id (moderators never see who it is).
CREATE TABLE soutien_blocks (
    guild_id   INTEGER NOT NULL,
    author_key TEXT NOT NULL,
    pseudonym  TEXT NOT NULL,               -- what moderators blocked, for their records
    at         INTEGER NOT NULL,
    PRIMARY KEY (guild_id, author_key)
);

-- Recent anonymous posts per author (keyed hash), for the rate limit; kept one window only.
CREATE TABLE soutien_rate (
    author_key TEXT NOT NULL,
    at         INTEGER NOT NULL
);
CREATE INDEX soutien_rate_key ON soutien_rate (author_key, at);
