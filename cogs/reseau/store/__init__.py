"""All the SQL of Réseau (portable: `?` placeholders, ON CONFLICT, RETURNING, no SQLite-only
functions), one store per part, composed in `ReseauStore`. The directory and mentor matching are
ranked in SQL so that a page reads five rows, not the whole server; `service.rank` and
`service.best_mentors` are the same rules in Python, and the tests compare the two."""

from __future__ import annotations

from bot.db import Database
from cogs.reseau.store.mentoring import MentoringStore
from cogs.reseau.store.personal import PersonalStore
from cogs.reseau.store.profiles import ProfileStore, directory_sql
from cogs.reseau.store.requests import RequestStore
from cogs.reseau.store.rows import Counts, Draft, Pairing, ReseauConfig

__all__ = [
    "Counts",
    "Draft",
    "MentoringStore",
    "Pairing",
    "PersonalStore",
    "ProfileStore",
    "RequestStore",
    "ReseauConfig",
    "ReseauStore",
    "directory_sql",
]


class ReseauStore:
    """The feature's stores, side by side (built once in `setup`)."""

    def __init__(self, db: Database) -> None:
        self.profiles = ProfileStore(db)
        self.requests = RequestStore(db)
        self.mentoring = MentoringStore(db)
        self.personal = PersonalStore(db)
