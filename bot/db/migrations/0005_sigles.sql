-- Sigles: a server's own glossary entries (on top of the shipped, read-only one) and the
-- members' suggestions waiting for the moderators.
CREATE TABLE sigles_entries (
    id               INTEGER PRIMARY KEY,
    guild_id         INTEGER NOT NULL,
    ident            TEXT NOT NULL,              -- normalised sigle|region|expansion: one meaning
    sigle            TEXT NOT NULL,
    region           TEXT NOT NULL,              -- FR | QC | BE | CH
    developpe        TEXT NOT NULL,
    explication      TEXT NOT NULL,
    domaine          TEXT NOT NULL,
    source           TEXT NOT NULL,              -- https URL
    alias            TEXT NOT NULL DEFAULT '[]', -- JSON lists
    equivalents      TEXT NOT NULL DEFAULT '[]',
    equivalence_note TEXT NOT NULL DEFAULT '',
    historique       INTEGER NOT NULL DEFAULT 0,
    remplace_par     TEXT NOT NULL DEFAULT '[]',
    voir_aussi       TEXT NOT NULL DEFAULT '[]',
    contributor_id   INTEGER,                    -- the member credited (approved suggestion)
    created_by       INTEGER,                    -- the moderator; NULL once they erased their data
    created_at       INTEGER NOT NULL,           -- unix seconds, UTC
    updated_at       INTEGER NOT NULL,
    UNIQUE (guild_id, ident)
);
CREATE INDEX sigles_entries_contributor ON sigles_entries (contributor_id);

CREATE TABLE sigles_suggestions (
    id             INTEGER PRIMARY KEY,
    guild_id       INTEGER NOT NULL,
    author_id      INTEGER NOT NULL,
    channel_id     INTEGER,                      -- where it was proposed (DM-closed fallback)
    lang           TEXT NOT NULL DEFAULT 'fr',   -- the author's language, for the answer
    sigle          TEXT NOT NULL,
    region         TEXT NOT NULL,
    domaine        TEXT NOT NULL,
    developpe      TEXT NOT NULL,
    explication    TEXT NOT NULL,
    source         TEXT,                         -- added by a moderator, or NULL
    status         TEXT NOT NULL DEFAULT 'pending', -- pending | approved | rejected
    mod_channel_id INTEGER,
    mod_message_id INTEGER,
    decided_by     INTEGER,
    decided_at     INTEGER,
    entry_id       INTEGER REFERENCES sigles_entries (id) ON DELETE SET NULL,
    created_at     INTEGER NOT NULL
);
CREATE INDEX sigles_suggestions_author ON sigles_suggestions (author_id);
CREATE INDEX sigles_suggestions_guild ON sigles_suggestions (guild_id, status);
