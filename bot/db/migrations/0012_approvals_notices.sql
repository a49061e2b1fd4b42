-- The core's approval pattern (bot/approval): something a member proposed, waiting for the
-- moderators' decision; the feature keeps the thing itself, keyed by (kind, ref).
CREATE TABLE approvals (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    kind            TEXT NOT NULL,              -- the feature's handler, e.g. 'tableau.post'
    ref             TEXT NOT NULL,              -- the feature's id of what waits
    author_id       INTEGER,                    -- NULL once the author erased their data
    channel_id      INTEGER,                    -- where the author asked
    lang            TEXT NOT NULL,              -- the author's language, for the notice
    status          TEXT NOT NULL,              -- pending | approved | refused | withdrawn
    mod_channel_id  INTEGER,
    mod_message_id  INTEGER,
    decided_by      INTEGER,                    -- the moderator; NULL once they erased their data
    decided_at      INTEGER,
    reason          TEXT,                       -- a refusal's reason, told to the author
    created_at      INTEGER NOT NULL,
    UNIQUE (kind, ref)
);
CREATE INDEX approvals_author ON approvals (author_id);
CREATE INDEX approvals_decider ON approvals (decided_by);
CREATE INDEX approvals_guild ON approvals (guild_id, status, created_at);

-- One-time notes to a member (bot/notices), shown after their next command: what could not
-- reach them by DM (closed DMs), never posted anywhere public.
CREATE TABLE member_notices (
    id          INTEGER PRIMARY KEY,
    user_id     INTEGER NOT NULL,
    guild_id    INTEGER,
    key         TEXT NOT NULL,                  -- what it is about: one note per (member, key)
    text        TEXT NOT NULL,                  -- already in the member's language
    created_at  INTEGER NOT NULL,
    UNIQUE (user_id, key)
);
