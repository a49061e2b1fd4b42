-- Réseau: professional profiles, the directory, contacts made with consent, mentoring.
-- Everything is per server (guild_id); nothing is shared between servers. Sets of choices are
-- INTEGER bit masks (bit positions in bot/reference/practice.py and cogs/reseau/service.py),
-- filtered with `(column & ?) <> 0`. Instants are unix seconds, UTC.

CREATE TABLE reseau_config (
    guild_id          INTEGER PRIMARY KEY,
    thread_channel_id INTEGER,              -- private threads for accepted requests; NULL: none
    directory_role_id INTEGER               -- NULL: the directory is open to every member
);

CREATE TABLE reseau_profiles (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    user_id        INTEGER NOT NULL,
    profession     TEXT NOT NULL,           -- a code of data/reference/professions.toml
    country        TEXT NOT NULL,           -- FR | QC | BE | CH (of `place`)
    place          TEXT NOT NULL,           -- a code of data/reference/lieux.toml (FR-75, QC-06…)
    city           TEXT NOT NULL DEFAULT '',
    target_place   TEXT,                    -- where they are moving to, if they are
    move_month     TEXT,                    -- 'AAAA-MM'
    structure      TEXT,
    fields         INTEGER NOT NULL DEFAULT 0,
    languages      INTEGER NOT NULL DEFAULT 1,
    years          INTEGER,
    open_to        INTEGER NOT NULL DEFAULT 0,
    presentation   TEXT NOT NULL DEFAULT '',
    visible        INTEGER NOT NULL DEFAULT 0, -- hidden until its owner shows it
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (guild_id, user_id)
);
-- The directory: a server's visible profiles are filtered and ranked from this covering index
-- alone (every column the WHERE and the ORDER BY read), then the five rows of the page are
-- read from the table; place filters (there, or moving there) also have their own indexes.
CREATE INDEX reseau_profiles_directory ON reseau_profiles
    (guild_id, visible, profession, country, place, target_place, fields, open_to, updated_at,
     user_id);
CREATE INDEX reseau_profiles_place ON reseau_profiles (guild_id, visible, place);
CREATE INDEX reseau_profiles_target ON reseau_profiles (guild_id, visible, target_place);
CREATE INDEX reseau_profiles_user ON reseau_profiles (user_id);

CREATE TABLE reseau_requests (
    id                   INTEGER PRIMARY KEY,
    guild_id             INTEGER NOT NULL,
    requester_id         INTEGER NOT NULL,
    recipient_id         INTEGER NOT NULL,
    kind                 TEXT NOT NULL,     -- 'contact' | 'mentorat'
    message              TEXT NOT NULL,
    status               TEXT NOT NULL,     -- pending | accepted | refused | blocked | expired
    created_at           INTEGER NOT NULL,
    expires_at           INTEGER NOT NULL,
    answered_at          INTEGER,
    concluded_at         INTEGER,           -- the requester was told « pas de suite »
    reported             INTEGER NOT NULL DEFAULT 0,
    arrival              TEXT,              -- mentoring: the newcomer's arrival month
    thread_id            INTEGER,           -- the private thread opened on acceptance
    requester_details    TEXT,              -- contact details each chose to give on acceptance
    recipient_details    TEXT
);
CREATE INDEX reseau_requests_requester ON reseau_requests (requester_id, guild_id, concluded_at);
CREATE INDEX reseau_requests_recipient ON reseau_requests (recipient_id, guild_id, status);
CREATE INDEX reseau_requests_pair ON reseau_requests (guild_id, requester_id, recipient_id, kind);
CREATE INDEX reseau_requests_concluded ON reseau_requests (concluded_at);

-- blocker_id will never see blocked_id's requests again; blocked_id is never told.
CREATE TABLE reseau_blocks (
    guild_id   INTEGER NOT NULL,
    blocker_id INTEGER NOT NULL,
    blocked_id INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (guild_id, blocker_id, blocked_id)
);
CREATE INDEX reseau_blocks_blocker ON reseau_blocks (blocker_id);

CREATE TABLE reseau_mentors (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    place      TEXT NOT NULL,
    country    TEXT NOT NULL,
    profession TEXT NOT NULL,
    capacity   INTEGER NOT NULL,
    fields     INTEGER NOT NULL DEFAULT 0,
    languages  INTEGER NOT NULL DEFAULT 1,
    active     INTEGER NOT NULL DEFAULT 1,
    created_at INTEGER NOT NULL,
    UNIQUE (guild_id, user_id)
);
CREATE INDEX reseau_mentors_match ON reseau_mentors (guild_id, active, country);

CREATE TABLE reseau_pairings (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    mentor_id  INTEGER NOT NULL,
    mentee_id  INTEGER NOT NULL,
    request_id INTEGER,
    status     TEXT NOT NULL,               -- 'active' | 'ended'
    arrival    TEXT,
    started_at INTEGER NOT NULL,
    ended_at   INTEGER
);
CREATE INDEX reseau_pairings_mentor ON reseau_pairings (guild_id, mentor_id, status);
CREATE INDEX reseau_pairings_mentee ON reseau_pairings (guild_id, mentee_id, status);

-- A text the secrecy guard flagged, waiting for its author's « envoyer quand même » (1 hour).
CREATE TABLE reseau_drafts (
    id         INTEGER PRIMARY KEY,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    kind       TEXT NOT NULL,               -- 'profile' | 'request'
    payload    TEXT NOT NULL,               -- JSON, read by the feature (never by SQL)
    created_at INTEGER NOT NULL
);
CREATE INDEX reseau_drafts_user ON reseau_drafts (user_id);
CREATE INDEX reseau_drafts_created ON reseau_drafts (created_at);
