-- Le tableau (issue 16): offers and news in forum channels, alerts, feeds, the weekly digest.

-- One row per server: its forums, approval, the weekly digest, the last problem told.
CREATE TABLE tableau_config (
    guild_id            INTEGER PRIMARY KEY,
    offers_forum_id     INTEGER,
    news_forum_id       INTEGER,
    approval            INTEGER NOT NULL DEFAULT 0,      -- 1: member posts wait for a moderator
    digest_channel_id   INTEGER,
    digest_weekday      INTEGER NOT NULL DEFAULT 4,      -- 0 = Monday
    digest_minute       INTEGER NOT NULL DEFAULT 1020,   -- minutes after local midnight (17:00)
    problem             TEXT,                            -- the forum problem moderators were told
    updated_at          INTEGER NOT NULL
);

-- The forum tags the bot created or adopted (by meaning), per forum.
CREATE TABLE tableau_tags (
    forum_id    INTEGER NOT NULL,
    key         TEXT NOT NULL,                  -- 'side:europe', 'offre:stage', 'status:closed' …
    tag_id      INTEGER NOT NULL,
    PRIMARY KEY (forum_id, key)
);

-- Offers and news, from members or from feeds.
CREATE TABLE tableau_posts (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    kind            TEXT NOT NULL,              -- offre | nouvelle
    category        TEXT NOT NULL,              -- stage, emploi … | ouverture, fermeture … | flux
    status          TEXT NOT NULL,              -- draft | pending | queued | publishing | live |
                                                -- closed | filled | refused | removed
    author_id       INTEGER,                    -- NULL: a feed's, or its author erased their data
    feed_id         INTEGER,
    title           TEXT NOT NULL,
    structure       TEXT NOT NULL DEFAULT '',
    city            TEXT NOT NULL DEFAULT '',
    place_code      TEXT,                       -- bot.reference.places code ('FR-75'), or NULL
    country         TEXT,                       -- bot.regions.Region, or NULL (a feed without one)
    side            TEXT,                       -- europe | america, or NULL
    link            TEXT NOT NULL DEFAULT '',
    description     TEXT NOT NULL DEFAULT '',
    deadline        TEXT,                       -- ISO date (offers), the last day it is open
    closes_at       INTEGER,                    -- when the deadline's day ends where the offer is
    lang            TEXT NOT NULL,              -- the server's language when posted
    forum_id        INTEGER,
    thread_id       INTEGER,                    -- the forum post (its starter message has its id)
    created_at      INTEGER NOT NULL,
    claimed_at      INTEGER,                    -- when publishing began (restart recovery)
    published_at    INTEGER,
    closed_at       INTEGER,
    updated_at      INTEGER NOT NULL
);
-- /offre chercher: open offers of a server, newest first, by each filter it offers.
CREATE INDEX tableau_posts_open ON tableau_posts (guild_id, kind, status, published_at);
CREATE INDEX tableau_posts_category ON tableau_posts
    (guild_id, kind, status, category, published_at);
CREATE INDEX tableau_posts_place ON tableau_posts (guild_id, kind, status, place_code, published_at);
CREATE INDEX tableau_posts_country ON tableau_posts (guild_id, kind, status, country, published_at);
CREATE INDEX tableau_posts_side ON tableau_posts (guild_id, kind, status, side, published_at);
-- the weekly digest (news published in a week) and restarts (posts being published)
CREATE INDEX tableau_posts_published ON tableau_posts (guild_id, published_at);
CREATE INDEX tableau_posts_status ON tableau_posts (status, guild_id);
CREATE INDEX tableau_posts_author ON tableau_posts (author_id);
CREATE INDEX tableau_posts_thread ON tableau_posts (thread_id);

CREATE TABLE tableau_post_professions (
    post_id     INTEGER NOT NULL REFERENCES tableau_posts (id) ON DELETE CASCADE,
    code        TEXT NOT NULL,                  -- bot.reference.professions code
    PRIMARY KEY (post_id, code)
);
CREATE INDEX tableau_post_professions_code ON tableau_post_professions (code, post_id);

-- The words an offer is found by (folded title, structure, city): `/offre chercher`'s words
-- are prefixes of them (word >= ? AND word < ?), read from the index as a set of ids.
CREATE TABLE tableau_post_words (
    post_id     INTEGER NOT NULL REFERENCES tableau_posts (id) ON DELETE CASCADE,
    word        TEXT NOT NULL,
    PRIMARY KEY (word, post_id)
);
CREATE INDEX tableau_post_words_post ON tableau_post_words (post_id);

-- Members' alerts (private: only ever sent to them by DM).
CREATE TABLE tableau_alerts (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    user_id         INTEGER NOT NULL,
    kind            TEXT NOT NULL,              -- offre | nouvelle
    categories      TEXT NOT NULL DEFAULT '',   -- comma-separated; empty: every one
    countries       TEXT NOT NULL DEFAULT '',
    places          TEXT NOT NULL DEFAULT '',
    professions     TEXT NOT NULL DEFAULT '',
    daily           INTEGER NOT NULL DEFAULT 0, -- 1: one digest a day, 0: at once
    lang            TEXT NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL,
    UNIQUE (guild_id, user_id, kind)
);
CREATE INDEX tableau_alerts_user ON tableau_alerts (user_id);

-- Posts waiting for a daily digest.
CREATE TABLE tableau_alert_queue (
    alert_id    INTEGER NOT NULL REFERENCES tableau_alerts (id) ON DELETE CASCADE,
    post_id     INTEGER NOT NULL REFERENCES tableau_posts (id) ON DELETE CASCADE,
    queued_at   INTEGER NOT NULL,
    PRIMARY KEY (alert_id, post_id)
);
CREATE INDEX tableau_alert_queue_post ON tableau_alert_queue (post_id);

-- Reports of a post, one per member.
CREATE TABLE tableau_reports (
    post_id     INTEGER NOT NULL REFERENCES tableau_posts (id) ON DELETE CASCADE,
    reporter_id INTEGER NOT NULL,
    reason      TEXT NOT NULL DEFAULT '',
    created_at  INTEGER NOT NULL,
    PRIMARY KEY (post_id, reporter_id)
);
CREATE INDEX tableau_reports_reporter ON tableau_reports (reporter_id);

-- RSS/Atom feeds moderators added.
CREATE TABLE tableau_feeds (
    id              INTEGER PRIMARY KEY,
    guild_id        INTEGER NOT NULL,
    url             TEXT NOT NULL,
    title           TEXT NOT NULL,
    place_code      TEXT,
    country         TEXT,
    added_by        INTEGER,                    -- NULL once that moderator erased their data
    etag            TEXT,
    last_modified   TEXT,
    failures        INTEGER NOT NULL DEFAULT 0, -- consecutive failed polls
    last_error      TEXT,
    reported        INTEGER NOT NULL DEFAULT 0, -- 1: moderators were told it keeps failing
    unstable_told   INTEGER NOT NULL DEFAULT 0, -- 1: moderators were told its ids keep changing
    next_poll_at    INTEGER NOT NULL,
    polled_at       INTEGER,
    created_at      INTEGER NOT NULL,
    UNIQUE (guild_id, url)
);
CREATE INDEX tableau_feeds_due ON tableau_feeds (next_poll_at);
CREATE INDEX tableau_feeds_added_by ON tableau_feeds (added_by);

-- Entries already seen, so nothing is posted twice (across restarts, and when ids change).
CREATE TABLE tableau_feed_entries (
    feed_id     INTEGER NOT NULL REFERENCES tableau_feeds (id) ON DELETE CASCADE,
    key         TEXT NOT NULL,                  -- the entry's id, else its link, else a hash
    fingerprint TEXT NOT NULL,                  -- a hash of its title and summary
    post_id     INTEGER,
    seen_at     INTEGER NOT NULL,
    PRIMARY KEY (feed_id, key)
);
CREATE INDEX tableau_feed_entries_fingerprint ON tableau_feed_entries (feed_id, fingerprint);
CREATE INDEX tableau_feed_entries_seen ON tableau_feed_entries (feed_id, seen_at);
