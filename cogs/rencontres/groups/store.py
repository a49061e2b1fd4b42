"""All the SQL of small groups (portable: SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from bot.db import Database
from bot.personal_data import Field, Item, Label, Records
from cogs.rencontres.groups.service import Bounds


class Declared(StrEnum):
    """What a member may declare for the groups (a column each)."""

    MODE = "mode"
    CITY = "city"
    REGION = "region"


@dataclass(frozen=True)
class Questions:
    """What the organiser asks members when they sign up, and the bounds of the last split."""

    ask_mode: bool = False
    cities: tuple[str, ...] = ()
    ask_region: bool = False
    bounds: Bounds | None = None

    @property
    def any(self) -> bool:
        return self.ask_mode or bool(self.cities) or self.ask_region


@dataclass(frozen=True)
class Declaration:
    mode: str | None = None
    city: str | None = None
    region: str | None = None


def _questions(row: Any) -> Questions:
    bounds = None
    if row["size_min"] is not None and row["size_max"] is not None:
        bounds = Bounds(row["size_min"], row["size_max"])
    return Questions(
        ask_mode=bool(row["ask_mode"]),
        cities=tuple(c for c in row["cities"].split(";") if c),
        ask_region=bool(row["ask_region"]),
        bounds=bounds,
    )


class GroupStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- what the organiser asks, what members declare -------------------------------------------
    async def questions(self, event_id: int) -> Questions:
        row = await self.db.fetchone(
            "SELECT * FROM rencontre_group_settings WHERE rencontre_id = ?", (event_id,)
        )
        return Questions() if row is None else _questions(row)

    async def save_questions(self, event_id: int, questions: Questions) -> None:
        await self.db.execute(
            "INSERT INTO rencontre_group_settings (rencontre_id, ask_mode, cities, ask_region)"
            " VALUES (?, ?, ?, ?) ON CONFLICT (rencontre_id) DO UPDATE SET"
            " ask_mode = excluded.ask_mode, cities = excluded.cities,"
            " ask_region = excluded.ask_region",
            (
                event_id,
                int(questions.ask_mode),
                ";".join(questions.cities),
                int(questions.ask_region),
            ),
        )

    async def declare(self, event_id: int, user_id: int, what: Declared, value: str) -> None:
        column = Declared(what).value  # a column name from the enum, never typed text
        await self.db.execute(
            f"INSERT INTO rencontre_group_answers (rencontre_id, user_id, {column})"
            f" VALUES (?, ?, ?) ON CONFLICT (rencontre_id, user_id) DO UPDATE"
            f" SET {column} = excluded.{column}",
            (event_id, user_id, value),
        )

    async def declarations(self, event_id: int) -> dict[int, Declaration]:
        rows = await self.db.fetchall(
            "SELECT user_id, mode, city, region FROM rencontre_group_answers"
            " WHERE rencontre_id = ?",
            (event_id,),
        )
        return {r["user_id"]: Declaration(r["mode"], r["city"], r["region"]) for r in rows}

    async def declaration_of(self, event_id: int, user_id: int) -> Declaration:
        row = await self.db.fetchone(
            "SELECT mode, city, region FROM rencontre_group_answers"
            " WHERE rencontre_id = ? AND user_id = ?",
            (event_id, user_id),
        )
        return (
            Declaration() if row is None else Declaration(row["mode"], row["city"], row["region"])
        )

    # -- the groups -----------------------------------------------------------------------------
    async def assignment(self, event_id: int) -> dict[int, int]:
        rows = await self.db.fetchall(
            "SELECT user_id, number FROM rencontre_group_members WHERE rencontre_id = ?",
            (event_id,),
        )
        return {r["user_id"]: r["number"] for r in rows}

    async def threads(self, event_id: int) -> dict[int, int | None]:
        rows = await self.db.fetchall(
            "SELECT number, thread_id FROM rencontre_groups WHERE rencontre_id = ?", (event_id,)
        )
        return {r["number"]: r["thread_id"] for r in rows}

    async def save_split(
        self, event_id: int, assignment: Mapping[int, int], bounds: Bounds
    ) -> None:
        """The new groups, in one transaction: members moved, groups no longer used dropped."""
        async with self.db.transaction() as tx:
            # On PostgreSQL two splits of one meet-up wait for each other, as SQLite's write
            # lock makes them (each reads the groups it then changes).
            await tx.fetchone("SELECT id FROM rencontres WHERE id = ? FOR UPDATE", (event_id,))
            before = {
                r["user_id"]: r["number"]
                for r in await tx.fetchall(
                    "SELECT user_id, number FROM rencontre_group_members WHERE rencontre_id = ?",
                    (event_id,),
                )
            }
            for user_id in set(before) - set(assignment):
                await tx.execute(
                    "DELETE FROM rencontre_group_members WHERE rencontre_id = ? AND user_id = ?",
                    (event_id, user_id),
                )
            for user_id, number in assignment.items():
                if before.get(user_id) == number:
                    continue
                await tx.execute(
                    "INSERT INTO rencontre_group_members (rencontre_id, user_id, number)"
                    " VALUES (?, ?, ?) ON CONFLICT (rencontre_id, user_id) DO UPDATE"
                    " SET number = excluded.number",
                    (event_id, user_id, number),
                )
            used = sorted(set(assignment.values()))
            for number in used:
                await tx.execute(
                    "INSERT INTO rencontre_groups (rencontre_id, number) VALUES (?, ?)"
                    " ON CONFLICT (rencontre_id, number) DO NOTHING",
                    (event_id, number),
                )
            existing = await tx.fetchall(
                "SELECT number FROM rencontre_groups WHERE rencontre_id = ?", (event_id,)
            )
            for row in existing:
                if row["number"] not in used:
                    await tx.execute(
                        "DELETE FROM rencontre_groups WHERE rencontre_id = ? AND number = ?",
                        (event_id, row["number"]),
                    )
            await tx.execute(
                "INSERT INTO rencontre_group_settings (rencontre_id, size_min, size_max)"
                " VALUES (?, ?, ?) ON CONFLICT (rencontre_id) DO UPDATE SET"
                " size_min = excluded.size_min, size_max = excluded.size_max",
                (event_id, bounds.low, bounds.high),
            )

    async def set_thread(self, event_id: int, number: int, thread_id: int) -> None:
        await self.db.execute(
            "UPDATE rencontre_groups SET thread_id = ? WHERE rencontre_id = ? AND number = ?",
            (thread_id, event_id, number),
        )

    # -- personal data --------------------------------------------------------------------------
    async def export(self, user_id: int) -> list[Item]:
        declared = await self.db.fetchall(
            "SELECT a.rencontre_id, r.title, a.mode, a.city, a.region"
            " FROM rencontre_group_answers a JOIN rencontres r ON r.id = a.rencontre_id"
            " WHERE a.user_id = ? ORDER BY a.rencontre_id",
            (user_id,),
        )
        member_of = await self.db.fetchall(
            "SELECT m.rencontre_id, r.title, m.number FROM rencontre_group_members m"
            " JOIN rencontres r ON r.id = m.rencontre_id WHERE m.user_id = ?"
            " ORDER BY m.rencontre_id",
            (user_id,),
        )
        return [
            Records.of(
                "rencontre.groups.data.declared",
                (
                    (
                        Field("rencontre.data.number", r["rencontre_id"]),
                        Field("rencontre.data.title", r["title"]),
                        Field(
                            "rencontre.groups.data.mode",
                            Label(f"rencontre.format.{r['mode']}") if r["mode"] else "—",
                        ),
                        Field("rencontre.groups.data.city", r["city"] or "—"),
                        Field(
                            "rencontre.groups.data.region",
                            Label(f"rencontre.groups.region.{r['region']}") if r["region"] else "—",
                        ),
                    )
                    for r in declared
                ),
            ),
            Records.of(
                "rencontre.groups.data.member_of",
                (
                    (
                        Field("rencontre.data.number", r["rencontre_id"]),
                        Field("rencontre.data.title", r["title"]),
                        Field("rencontre.groups.data.group", r["number"]),
                    )
                    for r in member_of
                ),
            ),
        ]

    async def erase(self, user_id: int) -> int:
        async with self.db.transaction() as tx:
            a = await tx.execute(
                "DELETE FROM rencontre_group_answers WHERE user_id = ?", (user_id,)
            )
            m = await tx.execute(
                "DELETE FROM rencontre_group_members WHERE user_id = ?", (user_id,)
            )
        return a.rowcount + m.rowcount
