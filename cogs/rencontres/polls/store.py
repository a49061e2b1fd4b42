"""All the SQL of date polls (portable: SQLite and PostgreSQL)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from bot.db import Database
from bot.db.timestamps import from_ts, to_ts
from bot.personal_data import Field, Item, Label, Records
from cogs.rencontres.polls.service import (
    Availability,
    Poll,
    PollDetails,
    PollStatus,
    Slot,
    Tally,
    tally,
)
from cogs.rencontres.service import Format

_SETTABLE = frozenset({"channel_id", "message_id"})


def _poll(row: Any, slots: list[Any]) -> Poll:
    return Poll(
        id=row["id"],
        guild_id=row["guild_id"],
        organiser_id=row["organiser_id"],
        title=row["title"],
        format=Format(row["format"]) if row["format"] else None,
        place=row["place"],
        link=row["link"],
        zone=row["zone"],
        duration_min=row["duration_min"],
        closes_at=None if row["closes_at"] is None else from_ts(row["closes_at"]),
        slots=tuple(Slot(s["position"], from_ts(s["starts_at"])) for s in slots),
        status=PollStatus(row["status"]),
        lang=row["lang"],
        channel_id=row["channel_id"],
        message_id=row["message_id"],
        closed_by=row["closed_by"],
        chosen=row["chosen"],
        rencontre_id=row["rencontre_id"],
    )


@dataclass(frozen=True)
class Closed:
    """A poll just closed (by this call), with its tallies."""

    poll: Poll
    tally: Tally


class PollStore:
    def __init__(self, db: Database) -> None:
        self.db = db
        # A published poll's slots never change and it is never deleted: read once per poll,
        # not on every answer. Drafts are not kept: a draft abandoned or erased is deleted, and
        # SQLite may give its id to the next poll.
        self._slots: dict[int, list[Any]] = {}

    async def _slots_of(self, db: Any, poll_id: int, *, keep: bool) -> list[Any]:
        slots = self._slots.get(poll_id)
        if slots is None:
            slots = await db.fetchall(
                "SELECT position, starts_at FROM rencontre_poll_slots WHERE poll_id = ?"
                " ORDER BY position",
                (poll_id,),
            )
            if slots and keep:
                self._slots[poll_id] = slots
        return slots

    # -- polls ----------------------------------------------------------------------------------
    async def create_draft(
        self,
        guild_id: int,
        organiser_id: int,
        details: PollDetails,
        lang: str,
        now: datetime,
    ) -> Poll:
        async with self.db.transaction() as tx:
            poll_id = await tx.fetchval(
                "INSERT INTO rencontre_polls (guild_id, organiser_id, title, format, place, link,"
                " zone, duration_min, closes_at, status, lang, created_at, updated_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                (
                    guild_id,
                    organiser_id,
                    details.title,
                    details.format,
                    details.place,
                    details.link,
                    details.zone,
                    details.duration_min,
                    None if details.closes_at is None else to_ts(details.closes_at),
                    PollStatus.DRAFT,
                    lang,
                    to_ts(now),
                    to_ts(now),
                ),
            )
            for position, starts in enumerate(details.starts, 1):
                await tx.execute(
                    "INSERT INTO rencontre_poll_slots (poll_id, position, starts_at)"
                    " VALUES (?, ?, ?)",
                    (poll_id, position, to_ts(starts)),
                )
            row = await tx.fetchone("SELECT * FROM rencontre_polls WHERE id = ?", (poll_id,))
            slots = await tx.fetchall(
                "SELECT position, starts_at FROM rencontre_poll_slots WHERE poll_id = ?"
                " ORDER BY position",
                (poll_id,),
            )
        return _poll(row, slots)

    async def get(self, poll_id: int) -> Poll | None:
        row = await self.db.fetchone("SELECT * FROM rencontre_polls WHERE id = ?", (poll_id,))
        if row is None:
            return None
        published = row["status"] != PollStatus.DRAFT
        return _poll(row, await self._slots_of(self.db, poll_id, keep=published))

    async def get_in_guild(self, poll_id: int, guild_id: int) -> Poll | None:
        poll = await self.get(poll_id)
        return poll if poll is not None and poll.guild_id == guild_id else None

    async def by_rencontre(self, rencontre_id: int) -> Poll | None:
        poll_id = await self.db.fetchval(
            "SELECT id FROM rencontre_polls WHERE rencontre_id = ?", (rencontre_id,)
        )
        return None if poll_id is None else await self.get(int(poll_id))

    async def delete_draft(self, poll_id: int) -> None:
        self._slots.pop(poll_id, None)
        await self.db.execute(
            "DELETE FROM rencontre_polls WHERE id = ? AND status = ?", (poll_id, PollStatus.DRAFT)
        )

    async def claim_draft(self, poll_id: int, lang: str, now: datetime) -> bool:
        """Open a draft, atomically: False when it already was (a second click)."""
        cur = await self.db.execute(
            "UPDATE rencontre_polls SET status = ?, lang = ?, updated_at = ?"
            " WHERE id = ? AND status = ?",
            (PollStatus.OPEN, lang, to_ts(now), poll_id, PollStatus.DRAFT),
        )
        return cur.rowcount == 1

    async def unclaim(self, poll_id: int, now: datetime) -> None:
        """Publishing failed: the poll is a draft again."""
        await self.db.execute(
            "UPDATE rencontre_polls SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
            (PollStatus.DRAFT, to_ts(now), poll_id, PollStatus.OPEN),
        )

    async def set_fields(self, poll_id: int, now: datetime, **values: Any) -> None:
        assert values and set(values) <= _SETTABLE, values
        sets = ", ".join(f"{name} = ?" for name in values)
        await self.db.execute(
            f"UPDATE rencontre_polls SET {sets}, updated_at = ? WHERE id = ?",
            (*values.values(), to_ts(now), poll_id),
        )

    async def close(self, poll_id: int, closed_by: int, now: datetime) -> Closed | None:
        """Close an open poll and read its final tallies, atomically: None when it was not
        open any more (closed twice: only the first call closes)."""
        async with self.db.transaction() as tx:
            cur = await tx.execute(
                "UPDATE rencontre_polls SET status = ?, closed_by = ?, updated_at = ?"
                " WHERE id = ? AND status = ?",
                (PollStatus.CLOSED, closed_by, to_ts(now), poll_id, PollStatus.OPEN),
            )
            if cur.rowcount != 1:
                return None
            final = await self._tally(tx, poll_id)
        poll = await self.get(poll_id)
        assert poll is not None
        return Closed(poll, final)

    async def confirm(self, poll_id: int, position: int, rencontre_id: int, now: datetime) -> bool:
        """The slot confirmed and the draft it became; False when already confirmed. A poll
        whose draft was dropped (its `rencontre_id` set back to NULL) may be confirmed again."""
        cur = await self.db.execute(
            "UPDATE rencontre_polls SET status = ?, chosen = ?, rencontre_id = ?, updated_at = ?"
            " WHERE id = ? AND (status = ? OR (status = ? AND rencontre_id IS NULL))",
            (
                PollStatus.CONFIRMED,
                position,
                rencontre_id,
                to_ts(now),
                poll_id,
                PollStatus.CLOSED,
                PollStatus.CONFIRMED,
            ),
        )
        return cur.rowcount == 1

    # -- answers --------------------------------------------------------------------------------
    async def answers_of(self, poll_id: int, user_id: int) -> dict[int, Availability]:
        rows = await self.db.fetchall(
            "SELECT position, choice FROM rencontre_poll_answers WHERE poll_id = ? AND user_id = ?",
            (poll_id, user_id),
        )
        return {r["position"]: Availability(r["choice"]) for r in rows}

    async def write_answers(
        self,
        poll_id: int,
        guild_id: int,
        user_id: int,
        changes: Mapping[int, Availability],
        now: datetime,
    ) -> bool:
        """Write a member's answers if the poll is still open (checked in the statement, under
        the write lock, so a closing never lands between two slots; on PostgreSQL the poll's
        row is share-locked, so a closing waits for the answers or they see it closed, and its
        final tally has them all); False when it was not. One call for the whole page: the
        write lock is held briefly, however many answer."""
        rows = [
            (
                poll_id,
                user_id,
                position,
                choice,
                to_ts(now),
                poll_id,
                guild_id,
                PollStatus.OPEN,
                to_ts(now),
            )
            for position, choice in changes.items()
        ]
        if not rows:
            return True
        written = await self.db.executemany(
            "INSERT INTO rencontre_poll_answers (poll_id, user_id, position, choice, at)"
            " SELECT ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM rencontre_polls WHERE id = ?"
            " AND guild_id = ? AND status = ? AND (closes_at IS NULL OR closes_at > ?) FOR SHARE)"
            " ON CONFLICT (poll_id, user_id, position) DO UPDATE"
            " SET choice = excluded.choice, at = excluded.at",
            rows,
        )
        return written > 0

    async def tally(self, poll_id: int) -> Tally:
        return await self._tally(self.db, poll_id)

    async def _tally(self, db: Any, poll_id: int) -> Tally:
        """The counts per slot and answer, and how many answered: one statement (one
        snapshot), read from the tally index alone."""
        rows = await db.fetchall(
            "SELECT position, choice, COUNT(*) AS n, (SELECT COUNT(DISTINCT user_id)"
            " FROM rencontre_poll_answers WHERE poll_id = ?) AS voters"
            " FROM rencontre_poll_answers WHERE poll_id = ? GROUP BY position, choice",
            (poll_id, poll_id),
        )
        voters = rows[0]["voters"] if rows else 0
        return tally(((r["position"], Availability(r["choice"]), r["n"]) for r in rows), voters)

    async def available(self, poll_id: int, position: int) -> list[int]:
        """Who answered Oui or Si besoin to a slot, in order of answer."""
        rows = await self.db.fetchall(
            "SELECT user_id FROM rencontre_poll_answers WHERE poll_id = ? AND position = ?"
            " AND choice IN (?, ?) ORDER BY at, user_id",
            (poll_id, position, Availability.YES, Availability.MAYBE),
        )
        return [r["user_id"] for r in rows]

    # -- personal data --------------------------------------------------------------------------
    async def export(self, user_id: int) -> list[Item]:
        answered = await self.db.fetchall(
            "SELECT p.id, p.title, s.starts_at, a.choice FROM rencontre_poll_answers a"
            " JOIN rencontre_polls p ON p.id = a.poll_id"
            " JOIN rencontre_poll_slots s ON s.poll_id = a.poll_id AND s.position = a.position"
            " WHERE a.user_id = ? ORDER BY p.id, a.position",
            (user_id,),
        )
        organised = await self.db.fetchall(
            "SELECT id, title, status FROM rencontre_polls WHERE organiser_id = ?", (user_id,)
        )
        return [
            Records.of(
                "rencontre.poll.data.answers",
                (
                    (
                        Field("rencontre.poll.data.number", r["id"]),
                        Field("rencontre.poll.data.title", r["title"]),
                        Field("rencontre.poll.data.slot", from_ts(r["starts_at"]).isoformat()),
                        Field(
                            "rencontre.poll.data.answer",
                            Label(f"rencontre.poll.answer.{r['choice']}"),
                        ),
                    )
                    for r in answered
                ),
            ),
            Records.of(
                "rencontre.poll.data.organised",
                (
                    (
                        Field("rencontre.poll.data.number", r["id"]),
                        Field("rencontre.poll.data.title", r["title"]),
                        Field(
                            "rencontre.poll.data.state",
                            Label(f"rencontre.poll.data.state.{r['status']}"),
                        ),
                    )
                    for r in organised
                ),
            ),
        ]

    async def erase(self, user_id: int) -> tuple[int, list[int]]:
        """Answers and drafts go; published polls stay, without their organiser. Returns the
        count and the polls whose tallies changed (to redraw)."""
        async with self.db.transaction() as tx:
            touched = await tx.fetchall(
                "SELECT DISTINCT a.poll_id FROM rencontre_poll_answers a"
                " JOIN rencontre_polls p ON p.id = a.poll_id"
                " WHERE a.user_id = ? AND p.status = ?",
                (user_id, PollStatus.OPEN),
            )
            drafts = await tx.fetchall(
                "SELECT id FROM rencontre_polls WHERE organiser_id = ? AND status = ?",
                (user_id, PollStatus.DRAFT),
            )
            a = await tx.execute("DELETE FROM rencontre_poll_answers WHERE user_id = ?", (user_id,))
            d = await tx.execute(
                "DELETE FROM rencontre_polls WHERE organiser_id = ? AND status = ?",
                (user_id, PollStatus.DRAFT),
            )
            o = await tx.execute(
                "UPDATE rencontre_polls SET organiser_id = 0 WHERE organiser_id = ?", (user_id,)
            )
        for draft in drafts:  # their ids may be given again
            self._slots.pop(draft["id"], None)
        return a.rowcount + d.rowcount + o.rowcount, [r["poll_id"] for r in touched]
