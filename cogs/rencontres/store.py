"""All the SQL of Rencontres (portable: SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from bot.personal_data import Field, Item, Label, Records
from bot.user_error import UserError
from bot.when.offsets import Offset, codes
from cogs.rencontres.service import (
    DEFAULT_OFFSETS,
    Answer,
    Attendance,
    Details,
    Format,
    Presence,
    Rencontre,
    RsvpOutcome,
    Status,
    Withdrawal,
)

T = TypeVar("T", RsvpOutcome, list[Answer])
_SETTABLE = frozenset({"status", "channel_id", "message_id", "thread_id", "scheduled_event_id"})


def _event(row: Any) -> Rencontre:
    return Rencontre(
        id=row["id"],
        guild_id=row["guild_id"],
        organiser_id=row["organiser_id"],
        title=row["title"],
        description=row["description"],
        starts_at=from_ts(row["starts_at"]),
        duration_min=row["duration_min"],
        zone=row["zone"],
        format=Format(row["format"]),
        place=row["place"],
        link=row["link"],
        capacity=row["capacity"],
        status=Status(row["status"]),
        lang=row["lang"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        thread_id=row["thread_id"],
        scheduled_event_id=row["scheduled_event_id"],
        manager_id=row["manager_id"],
        revision=row["revision"],
        updated_at=from_ts(row["updated_at"]),
    )


def _answers(rows: Sequence[Any]) -> Attendance:
    return Attendance([Answer(r["user_id"], Presence(r["status"]), r["seq"]) for r in rows])


def _offset(code: str) -> Offset:
    # Before the shared parser, offsets were stored as bare minutes ("1440,60"), still the
    # column's default: read both.
    return Offset(minutes=int(code)) if code.isdigit() else Offset.from_code(code)


@dataclass(frozen=True)
class Changed(Generic[T]):
    """An event, what was decided about its answers, and the answers once written."""

    event: Rencontre
    result: T
    attendance: Attendance


@dataclass(frozen=True)
class Listed:
    """A published event of a list page, with how many members come."""

    event: Rencontre
    going: int


@dataclass(frozen=True)
class AnswerRow:
    answer: Answer
    at: datetime


@dataclass(frozen=True)
class Erased:
    """What erasing a member removed, and the meet-ups that were entrusted to them."""

    count: int
    managed: list[Rencontre]


class RencontreStore:
    def __init__(self, db: Database) -> None:
        self.db = db

    # -- events ---------------------------------------------------------------------------------
    async def create_draft(
        self, guild_id: int, organiser_id: int, details: Details, lang: str, now: datetime
    ) -> Rencontre:
        async with self.db.transaction() as tx:
            new_id = await tx.fetchval(
                "INSERT INTO rencontres (guild_id, organiser_id, title, description, starts_at,"
                " ends_at, duration_min, zone, format, place, link, capacity, status, lang,"
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                " RETURNING id",
                (
                    guild_id,
                    organiser_id,
                    details.title,
                    details.description,
                    to_ts(details.starts_at),
                    to_ts(details.ends_at),
                    details.duration_min,
                    details.zone,
                    details.format,
                    details.place,
                    details.link,
                    details.capacity,
                    Status.DRAFT,
                    lang,
                    to_ts(now),
                    to_ts(now),
                ),
            )
            row = await tx.fetchone("SELECT * FROM rencontres WHERE id = ?", (new_id,))
        return _event(row)

    async def get(self, event_id: int) -> Rencontre | None:
        row = await self.db.fetchone("SELECT * FROM rencontres WHERE id = ?", (event_id,))
        return None if row is None else _event(row)

    async def get_in_guild(self, event_id: int, guild_id: int) -> Rencontre | None:
        row = await self.db.fetchone(
            "SELECT * FROM rencontres WHERE id = ? AND guild_id = ?", (event_id, guild_id)
        )
        return None if row is None else _event(row)

    async def delete_draft(self, event_id: int) -> None:
        """A draft never published leaves nothing behind (published events are archived)."""
        await self.db.execute(
            "DELETE FROM rencontres WHERE id = ? AND status = ?", (event_id, Status.DRAFT)
        )

    async def claim_draft(self, event_id: int, lang: str, now: datetime) -> bool:
        """Mark a draft published, atomically: False when it already was (a second click)."""
        cur = await self.db.execute(
            "UPDATE rencontres SET status = ?, lang = ?, updated_at = ?"
            " WHERE id = ? AND status = ?",
            (Status.PUBLISHED, lang, to_ts(now), event_id, Status.DRAFT),
        )
        return cur.rowcount == 1

    async def update_details(self, event_id: int, details: Details, now: datetime) -> None:
        await self.db.execute(
            "UPDATE rencontres SET title = ?, description = ?, starts_at = ?, ends_at = ?,"
            " duration_min = ?, zone = ?, format = ?, place = ?, link = ?, capacity = ?,"
            " updated_at = ?, revision = revision + 1 WHERE id = ?",
            (
                details.title,
                details.description,
                to_ts(details.starts_at),
                to_ts(details.ends_at),
                details.duration_min,
                details.zone,
                details.format,
                details.place,
                details.link,
                details.capacity,
                to_ts(now),
                event_id,
            ),
        )

    async def set_fields(self, event_id: int, now: datetime, **values: Any) -> None:
        assert values and set(values) <= _SETTABLE, values
        sets = ", ".join(f"{name} = ?" for name in values)
        if values.get("status") is Status.CANCELLED:  # calendars must hear of it
            sets += ", revision = revision + 1"
        await self.db.execute(
            f"UPDATE rencontres SET {sets}, updated_at = ? WHERE id = ?",
            (*values.values(), to_ts(now), event_id),
        )

    async def upcoming(
        self, guild_id: int, now: datetime, limit: int, offset: int = 0
    ) -> list[Rencontre]:
        """Published events not yet ended, soonest first."""
        rows = await self.db.fetchall(
            "SELECT * FROM rencontres WHERE guild_id = ? AND status = ? AND ends_at > ?"
            " ORDER BY starts_at, id LIMIT ? OFFSET ?",
            (guild_id, Status.PUBLISHED, to_ts(now), limit, offset),
        )
        return [_event(r) for r in rows]

    async def upcoming_page(
        self, guild_id: int, now: datetime, limit: int, offset: int
    ) -> tuple[list[Listed], int]:
        """A page of `upcoming` with each event's attendee count, and how many there are in
        all: one query for the whole screen (0 when the page is past the end)."""
        rows = await self.db.fetchall(
            "SELECT r.*, COUNT(*) OVER () AS total, (SELECT COUNT(*) FROM rencontre_rsvps a"
            " WHERE a.rencontre_id = r.id AND a.status = ?) AS going"
            " FROM rencontres r WHERE r.guild_id = ? AND r.status = ? AND r.ends_at > ?"
            " ORDER BY r.starts_at, r.id LIMIT ? OFFSET ?",
            (Presence.GOING, guild_id, Status.PUBLISHED, to_ts(now), limit, offset),
        )
        total = rows[0]["total"] if rows else 0
        return [Listed(_event(r), r["going"]) for r in rows], total

    # -- the agenda outside Discord (bot.agenda) -------------------------------------------------
    _AGENDA = (
        " AND ((r.status IN (?, ?) AND r.ends_at > ?) OR (r.status = ? AND r.updated_at > ?))"
        " ORDER BY r.starts_at, r.id"
    )

    async def agenda(self, guild_id: int, since: datetime) -> list[Rencontre]:
        """Published (or already archived) events ending after `since`, and events cancelled
        after `since`."""
        rows = await self.db.fetchall(
            "SELECT r.* FROM rencontres r WHERE r.guild_id = ?" + self._AGENDA,
            (guild_id, *self._agenda_params(since)),
        )
        return [_event(r) for r in rows]

    async def agenda_of_member(self, user_id: int, since: datetime) -> list[Rencontre]:
        """The same, limited to events the member said « Je viens » or « Peut-être » to."""
        rows = await self.db.fetchall(
            "SELECT r.* FROM rencontre_rsvps a JOIN rencontres r ON r.id = a.rencontre_id"
            " WHERE a.user_id = ? AND a.status IN (?, ?)" + self._AGENDA,
            (user_id, Presence.GOING, Presence.MAYBE, *self._agenda_params(since)),
        )
        return [_event(r) for r in rows]

    @staticmethod
    def _agenda_params(since: datetime) -> tuple[object, ...]:
        ts = to_ts(since)
        return (Status.PUBLISHED, Status.ARCHIVED, ts, Status.CANCELLED, ts)

    async def count_upcoming(self, guild_id: int, now: datetime) -> int:
        return int(
            await self.db.fetchval(
                "SELECT COUNT(*) FROM rencontres WHERE guild_id = ? AND status = ? AND ends_at > ?",
                (guild_id, Status.PUBLISHED, to_ts(now)),
            )
        )

    # -- the member entrusted with a meet-up ----------------------------------------------------
    async def set_manager(self, event_id: int, user_id: int, now: datetime) -> None:
        await self.db.execute(
            "UPDATE rencontres SET manager_id = ?, updated_at = ? WHERE id = ?",
            (user_id, to_ts(now), event_id),
        )

    async def clear_manager(self, event_id: int, manager_id: int, now: datetime) -> bool:
        """True for the one call that cleared it: whoever it is tells the moderators, once."""
        cur = await self.db.execute(
            "UPDATE rencontres SET manager_id = NULL, updated_at = ?"
            " WHERE id = ? AND manager_id = ?",
            (to_ts(now), event_id, manager_id),
        )
        return cur.rowcount == 1

    # -- answers --------------------------------------------------------------------------------
    async def attendance(self, event_id: int) -> Attendance:
        rows = await self.db.fetchall(
            "SELECT user_id, status, seq FROM rencontre_rsvps WHERE rencontre_id = ? ORDER BY seq",
            (event_id,),
        )
        return _answers(rows)

    async def answers_with_time(self, event_id: int) -> list[AnswerRow]:
        rows = await self.db.fetchall(
            "SELECT user_id, status, seq, at FROM rencontre_rsvps WHERE rencontre_id = ?"
            " ORDER BY seq",
            (event_id,),
        )
        answers = _answers(rows).answers
        return [AnswerRow(a, from_ts(r["at"])) for a, r in zip(answers, rows, strict=True)]

    async def change_answers(
        self,
        event_id: int,
        guild_id: int,
        decide: Callable[[Rencontre, Attendance], T],
        now: datetime,
    ) -> Changed[T]:
        """Read the event and its answers, write what `decide` returns, in one transaction (no
        two members can take the last seat); returns the answers as written, for the redraw.

        `decide` returns an `RsvpOutcome` or the promoted `Answer`s; it may raise (a refusal):
        nothing is written then."""
        async with self.db.transaction() as tx:
            # FOR UPDATE: on PostgreSQL, two clicks on one event wait for each other here (SQLite
            # serialises whole transactions already).
            row = await tx.fetchone(
                "SELECT * FROM rencontres WHERE id = ? AND guild_id = ? FOR UPDATE",
                (event_id, guild_id),
            )
            if row is None:
                raise UserError("rencontre.error.unknown")
            rows = await tx.fetchall(
                "SELECT user_id, status, seq FROM rencontre_rsvps WHERE rencontre_id = ?"
                " ORDER BY seq",
                (event_id,),
            )
            event, before = _event(row), _answers(rows)
            result = decide(event, before)
            changes = result.changes if isinstance(result, RsvpOutcome) else tuple(result)
            for change in changes:
                if isinstance(change, Withdrawal):
                    await tx.execute(
                        "DELETE FROM rencontre_rsvps WHERE rencontre_id = ? AND user_id = ?",
                        (event_id, change.user_id),
                    )
                else:
                    await tx.execute(
                        "INSERT INTO rencontre_rsvps (rencontre_id, user_id, status, seq, at)"
                        " VALUES (?, ?, ?, ?, ?) ON CONFLICT (rencontre_id, user_id) DO UPDATE"
                        " SET status = excluded.status, seq = excluded.seq, at = excluded.at",
                        (event_id, change.user_id, change.status, change.seq, to_ts(now)),
                    )
        return Changed(event, result, before.after(changes))

    # -- settings -------------------------------------------------------------------------------
    async def settings(self, guild_id: int) -> tuple[int | None, tuple[Offset, ...]]:
        row = await self.db.fetchone(
            "SELECT events_channel_id, reminder_offsets FROM rencontre_settings WHERE guild_id = ?",
            (guild_id,),
        )
        if row is None:
            return None, DEFAULT_OFFSETS
        offsets = tuple(_offset(code) for code in row["reminder_offsets"].split(",") if code)
        return row["events_channel_id"], offsets

    async def save_settings(
        self, guild_id: int, channel_id: int | None, offsets: Sequence[Offset]
    ) -> None:
        await self.db.execute(
            "INSERT INTO rencontre_settings (guild_id, events_channel_id, reminder_offsets)"
            " VALUES (?, ?, ?) ON CONFLICT (guild_id) DO UPDATE SET"
            " events_channel_id = excluded.events_channel_id,"
            " reminder_offsets = excluded.reminder_offsets",
            (guild_id, channel_id, codes(offsets)),
        )

    async def first_mirror_warning(self, guild_id: int, user_id: int, now: datetime) -> bool:
        """True the first time this organiser is told about the missing permission."""
        cur = await self.db.execute(
            "INSERT INTO rencontre_mirror_warnings (guild_id, user_id, at) VALUES (?, ?, ?)"
            " ON CONFLICT (guild_id, user_id) DO NOTHING",
            (guild_id, user_id, to_ts(now)),
        )
        return cur.rowcount == 1

    # -- personal data --------------------------------------------------------------------------
    async def export(self, user_id: int) -> list[Item]:
        answers = await self.db.fetchall(
            "SELECT r.id, r.title, a.status FROM rencontre_rsvps a"
            " JOIN rencontres r ON r.id = a.rencontre_id WHERE a.user_id = ?",
            (user_id,),
        )
        organised = await self.db.fetchall(
            "SELECT id, title, status FROM rencontres WHERE organiser_id = ?", (user_id,)
        )
        managed = await self.db.fetchall(
            "SELECT id, title, status FROM rencontres WHERE manager_id = ?", (user_id,)
        )
        return [
            Records.of(
                "rencontre.data.answers",
                (
                    (
                        Field("rencontre.data.number", r["id"]),
                        Field("rencontre.data.title", r["title"]),
                        Field(
                            "rencontre.data.answer", Label(f"rencontre.data.answer.{r['status']}")
                        ),
                    )
                    for r in answers
                ),
            ),
            Records.of(
                "rencontre.data.organised",
                (
                    (
                        Field("rencontre.data.number", r["id"]),
                        Field("rencontre.data.title", r["title"]),
                        Field("rencontre.data.state", Label(f"rencontre.data.state.{r['status']}")),
                    )
                    for r in organised
                ),
            ),
            Records.of(
                "rencontre.data.managed",
                (
                    (
                        Field("rencontre.data.number", r["id"]),
                        Field("rencontre.data.title", r["title"]),
                        Field("rencontre.data.state", Label(f"rencontre.data.state.{r['status']}")),
                    )
                    for r in managed
                ),
            ),
        ]

    async def erase(self, user_id: int) -> Erased:
        """Answers and drafts go; published events stay, without their organiser; those
        entrusted to the member go back to their organiser and the moderators."""
        async with self.db.transaction() as tx:
            rows = await tx.fetchall("SELECT * FROM rencontres WHERE manager_id = ?", (user_id,))
            m = await tx.execute(
                "UPDATE rencontres SET manager_id = NULL WHERE manager_id = ?", (user_id,)
            )
            a = await tx.execute("DELETE FROM rencontre_rsvps WHERE user_id = ?", (user_id,))
            d = await tx.execute(
                "DELETE FROM rencontres WHERE organiser_id = ? AND status = ?",
                (user_id, Status.DRAFT),
            )
            o = await tx.execute(
                "UPDATE rencontres SET organiser_id = 0 WHERE organiser_id = ?", (user_id,)
            )
            w = await tx.execute(
                "DELETE FROM rencontre_mirror_warnings WHERE user_id = ?", (user_id,)
            )
        count = a.rowcount + d.rowcount + o.rowcount + w.rowcount + m.rowcount
        return Erased(count, [_event(r) for r in rows])
