-- Rencontres (issue 17): date polls, small groups, and a member entrusted with a meet-up.

-- A member a moderator entrusted with a meet-up (« confier »): they manage it like its
-- organiser, who stays on record. NULL: the organiser and the moderators only. Cleared when
-- they leave the server or erase their data.
ALTER TABLE rencontres ADD COLUMN manager_id INTEGER;
CREATE INDEX rencontres_manager ON rencontres (manager_id);
-- /mes-donnees reads and erases the meet-ups a member organised.
CREATE INDEX rencontres_organiser ON rencontres (organiser_id);

-- Date polls: « which of these slots suits you? », before the meet-up exists.
CREATE TABLE rencontre_polls (
    id            INTEGER PRIMARY KEY,
    guild_id      INTEGER NOT NULL,
    organiser_id  INTEGER NOT NULL,          -- 0 once the organiser erased their data
    title         TEXT NOT NULL,
    format        TEXT,                      -- presentiel | visio | NULL: said when confirming
    place         TEXT,
    link          TEXT,
    zone          TEXT NOT NULL,             -- IANA zone the slots were typed in
    duration_min  INTEGER NOT NULL,
    closes_at     INTEGER,                   -- unix seconds, UTC; NULL: closed by hand only
    status        TEXT NOT NULL,             -- open | closed | confirmed
    lang          TEXT NOT NULL,             -- language of the public message
    channel_id    INTEGER,
    message_id    INTEGER,
    closed_by     INTEGER,                   -- who closed it; 0: its closing date
    chosen        INTEGER,                   -- position of the slot confirmed
    -- the meet-up it became; NULL again if its draft is dropped (the slot can be confirmed anew)
    rencontre_id  INTEGER REFERENCES rencontres (id) ON DELETE SET NULL,
    created_at    INTEGER NOT NULL,
    updated_at    INTEGER NOT NULL
);
CREATE INDEX rencontre_polls_guild ON rencontre_polls (guild_id, status);
CREATE INDEX rencontre_polls_organiser ON rencontre_polls (organiser_id);
CREATE INDEX rencontre_polls_rencontre ON rencontre_polls (rencontre_id);

-- The slots of a poll, numbered in time order.
CREATE TABLE rencontre_poll_slots (
    poll_id    INTEGER NOT NULL REFERENCES rencontre_polls (id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,             -- 1, 2, … in time order
    starts_at  INTEGER NOT NULL,
    PRIMARY KEY (poll_id, position)
);

-- One answer per member and slot: yes | maybe (« si besoin ») | no.
CREATE TABLE rencontre_poll_answers (
    poll_id   INTEGER NOT NULL REFERENCES rencontre_polls (id) ON DELETE CASCADE,
    user_id   INTEGER NOT NULL,
    position  INTEGER NOT NULL,
    choice    TEXT NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (poll_id, user_id, position)
);
-- The tallies (counted per slot and answer) read the index alone.
CREATE INDEX rencontre_poll_answers_tally ON rencontre_poll_answers (poll_id, position, choice);
CREATE INDEX rencontre_poll_answers_user ON rencontre_poll_answers (user_id);

-- Small groups of a meet-up: what the organiser asks members when they sign up, and the
-- bounds of the last split.
CREATE TABLE rencontre_group_settings (
    rencontre_id  INTEGER PRIMARY KEY REFERENCES rencontres (id) ON DELETE CASCADE,
    ask_mode      INTEGER NOT NULL DEFAULT 0,  -- in person or by video (groups never mix them)
    cities        TEXT NOT NULL DEFAULT '',    -- the cities offered, « ; »-separated ('' : none)
    ask_region    INTEGER NOT NULL DEFAULT 0,  -- France, Québec… (groups mix both sides)
    size_min      INTEGER,
    size_max      INTEGER
);

-- What a member declared for the groups (each NULL: not said).
CREATE TABLE rencontre_group_answers (
    rencontre_id  INTEGER NOT NULL REFERENCES rencontres (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    mode          TEXT,
    city          TEXT,
    region        TEXT,
    PRIMARY KEY (rencontre_id, user_id)
);
CREATE INDEX rencontre_group_answers_user ON rencontre_group_answers (user_id);

-- The groups of a meet-up (numbered, each with its private thread) and who is in which.
CREATE TABLE rencontre_groups (
    rencontre_id  INTEGER NOT NULL REFERENCES rencontres (id) ON DELETE CASCADE,
    number        INTEGER NOT NULL,
    thread_id     INTEGER,
    PRIMARY KEY (rencontre_id, number)
);
CREATE TABLE rencontre_group_members (
    rencontre_id  INTEGER NOT NULL REFERENCES rencontres (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    number        INTEGER NOT NULL,
    PRIMARY KEY (rencontre_id, user_id)
);
CREATE INDEX rencontre_group_members_user ON rencontre_group_members (user_id);
