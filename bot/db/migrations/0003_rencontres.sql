-- Rencontres: networking meet-ups with RSVP, waiting list, reminders and calendars.
CREATE TABLE rencontres (
    id                  INTEGER PRIMARY KEY,
    guild_id            INTEGER NOT NULL,
    organiser_id        INTEGER NOT NULL,          -- 0 once the organiser erased their data
    title               TEXT NOT NULL,
    description         TEXT NOT NULL DEFAULT '',
    starts_at           INTEGER NOT NULL,          -- unix seconds, UTC
    duration_min        INTEGER NOT NULL,
    zone                TEXT NOT NULL,             -- IANA zone the organiser chose
    format              TEXT NOT NULL,             -- 'presentiel' | 'visio'
    place               TEXT,                      -- address (présentiel)
    link                TEXT,                      -- http(s) URL (visio)
    capacity            INTEGER,                   -- NULL: no cap
    status              TEXT NOT NULL DEFAULT 'draft', -- draft | published | cancelled | archived
    lang                TEXT NOT NULL DEFAULT 'fr',    -- language of the public message
    channel_id          INTEGER,                   -- where it is published
    message_id          INTEGER,
    thread_id           INTEGER,
    scheduled_event_id  INTEGER,                   -- the Discord guild scheduled event mirror
    created_at          INTEGER NOT NULL,
    updated_at          INTEGER NOT NULL
);
CREATE INDEX rencontres_guild_start ON rencontres (guild_id, status, starts_at);

-- One answer per member and event; 'waiting' rows are ordered by seq (the waiting list).
CREATE TABLE rencontre_rsvps (
    rencontre_id  INTEGER NOT NULL REFERENCES rencontres (id) ON DELETE CASCADE,
    user_id       INTEGER NOT NULL,
    status        TEXT NOT NULL,                   -- going | maybe | waiting
    seq           INTEGER NOT NULL,                -- order of arrival, per event
    at            INTEGER NOT NULL,
    PRIMARY KEY (rencontre_id, user_id)
);
CREATE INDEX rencontre_rsvps_user ON rencontre_rsvps (user_id);

-- Per-server options of the feature.
CREATE TABLE rencontre_settings (
    guild_id           INTEGER PRIMARY KEY,
    events_channel_id  INTEGER,                    -- NULL: the announce channel, else the current
    reminder_offsets   TEXT NOT NULL DEFAULT '1440,60'  -- minutes before the start
);

-- Organisers already told that the scheduled-event mirror needs Manage Events (once each).
CREATE TABLE rencontre_mirror_warnings (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    at        INTEGER NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);
