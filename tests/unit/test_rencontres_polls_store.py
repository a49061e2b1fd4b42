"""Date polls' store on the run's back-end: answers racing a closing. On SQLite one write at a
time makes it trivial; on PostgreSQL (READ COMMITTED) an answer whose check saw the poll open
must not land after the closing read its final tally (the poll's row is share-locked)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.db import Database
from cogs.rencontres.polls.service import Availability, PollDetails
from cogs.rencontres.polls.store import PollStore

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
GUILD = 10
ORGANISER = 1
MEMBERS = 40
SLOTS = 3


async def test_the_final_tally_has_every_answer_written_before_the_closing(
    database: Path | str,
) -> None:
    db = await Database.open(database)
    try:
        store = PollStore(db)
        details = PollDetails(
            title="Réunion",
            format=None,
            place=None,
            link=None,
            zone="Europe/Paris",
            duration_min=60,
            closes_at=None,
            starts=tuple(NOW + timedelta(days=d) for d in range(1, SLOTS + 1)),
        )
        poll = await store.create_draft(GUILD, ORGANISER, details, "fr", NOW)
        assert await store.claim_draft(poll.id, "fr", NOW)
        answers = dict.fromkeys(range(1, SLOTS + 1), Availability.YES)

        async def answer(user_id: int) -> bool:
            await asyncio.sleep(0.001 * (user_id % 7))
            return await store.write_answers(poll.id, GUILD, user_id, answers, NOW)

        async def close() -> object:
            await asyncio.sleep(0.004)
            return await store.close(poll.id, ORGANISER, NOW)

        *written, closed = await asyncio.gather(*(answer(100 + i) for i in range(MEMBERS)), close())
        assert closed is not None
        accepted = sum(bool(w) for w in written)
        stored = await db.fetchval(
            "SELECT COUNT(DISTINCT user_id) FROM rencontre_poll_answers WHERE poll_id = ?",
            (poll.id,),
        )
        # every answer accepted is in the table and in the final tally, none after it
        assert stored == accepted
        assert closed.tally.voters == accepted  # type: ignore[attr-defined]
        assert await store.write_answers(poll.id, GUILD, 999, answers, NOW) is False
    finally:
        await db.close()
