-- Sigles: the optional "sigle de la semaine", one weekly post per server (issue 7), and the
-- sigles already shown, so that none comes back before the whole pool has been shown.
CREATE TABLE sigles_semaine (
    guild_id   INTEGER PRIMARY KEY,
    channel_id INTEGER NOT NULL,
    weekday    INTEGER NOT NULL,                 -- 0 = lundi … 6 = dimanche
    at_time    TEXT NOT NULL,                    -- HH:MM, wall time in the server's zone
    paused     TEXT,                             -- NULL: on; 'failure:<code>': channel unusable
    updated_at INTEGER NOT NULL                  -- unix seconds, UTC
);

CREATE TABLE sigles_semaine_shown (
    guild_id   INTEGER NOT NULL,
    occurrence TEXT NOT NULL,                    -- the post's instant (UTC ISO): one per week
    round      INTEGER NOT NULL,                 -- which pass over the pool (0, 1, …)
    ident      TEXT NOT NULL,                    -- normalised sigle|region|expansion
    region     TEXT NOT NULL,
    PRIMARY KEY (guild_id, occurrence)
);
CREATE INDEX sigles_semaine_shown_round ON sigles_semaine_shown (guild_id, round);
