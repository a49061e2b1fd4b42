"""Fan-out: many reminders due at the same instant, the loopback Discord enforcing Discord's global
limit of 50 requests per second. The real bot process is used.

1. **Channel reminders alone**: 1,000 announcements in 100 channels. The time from the first to
   the last message against the floor Discord's limit sets (1,000 / 50 = 20 s): goal ≤ 1.1×.
2. **Channel reminders + DM reminders together**: the same 1,000, and a meet-up reminder to 500
   attendees who asked for DMs, all due at once. DMs go on their own lane (1 a second, 5 at
   once): the channel reminders must still be within 1.1× of their floor; then every DM arrives.
Both: 0 lost, 0 duplicated, 0 × 429.

Run: .venv/bin/python bench/reminders_fanout.py [--quick]
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from _loopback import GLOBAL_PER_SECOND, Bench, args, machine_note

from bot.db import Database
from bot.db.timestamps import to_ts
from bot.guild_settings import SettingsStore
from bot.reminders import Schedule
from bot.reminders.store import ReminderStore
from cogs.annonces.service import KIND, USEFUL_FOR, ref_for
from cogs.annonces.store import AnnouncementStore
from cogs.rencontres.service import Details, Format, Kind, Presence
from cogs.rencontres.store import RencontreStore

CHANNELS = 100
LEAD = timedelta(seconds=4)  # due just after start-up


async def seed(bench: Bench, db_path: Path, count: int, dms: int) -> datetime:
    """`count` announcements and, with `dms`, a meet-up reminder to `dms` attendees (DM opt-in),
    all due at the same instant; returns it."""
    s = bench.state
    channels = [s.add_channel(bench.guild, f"salon-{i}").id for i in range(CHANNELS)]
    bench.channels = channels  # type: ignore[attr-defined]
    db = await Database.open(db_path)
    try:
        now = datetime.now(UTC)
        due = now + LEAD
        announcements, reminders = AnnouncementStore(db), ReminderStore(db)
        for i in range(count):
            number = await announcements.add(
                bench.guild.id, channels[i % CHANNELS], 1, f"apéro {i}", due, "Europe/Paris", now
            )
            await reminders.upsert(
                KIND,
                ref_for(number),
                bench.guild.id,
                Schedule(occurrence=due.isoformat(), due_at=due, expires_at=due + USEFUL_FOR),
            )
        if dms:
            users = bench.add_members(dms, prefix="participant")
            bench.attendees = users  # type: ignore[attr-defined]
            await seed_meetup(db, bench, due, [u.id for u in users], now)
    finally:
        await db.close()
    return due


async def seed_meetup(
    db: Database, bench: Bench, due: datetime, attendees: list[int], now: datetime
) -> None:
    rencontres = RencontreStore(db)
    starts = due + timedelta(hours=1)
    details = Details(
        "Café réseau", starts, 120, "Europe/Paris", Format.PRESENTIEL, "Lyon", None, None
    )
    event = await rencontres.create_draft(bench.guild.id, bench.owner.id, details, "fr", now)
    await rencontres.claim_draft(event.id, "fr", now)
    message = bench.state.new_message(bench.channel, bench.state.bot_user, content="rencontre")
    await rencontres.set_fields(event.id, now, channel_id=bench.channel.id, message_id=message.id)
    async with db.transaction() as tx:
        await tx.executemany(
            "INSERT INTO rencontre_rsvps (rencontre_id, user_id, status, seq, at)"
            " VALUES (?, ?, ?, ?, ?)",
            [(event.id, u, Presence.GOING, i, to_ts(now)) for i, u in enumerate(attendees)],
        )
    members = SettingsStore(db, default_locale="fr", default_timezone="Europe/Paris")
    for user_id in attendees:
        await members.save_member(replace(await members.member(user_id), dm_reminders=True))
    await ReminderStore(db).upsert(
        Kind.REMINDER,
        f"{event.id}:60",
        bench.guild.id,
        Schedule(
            occurrence=starts.isoformat(),
            due_at=due,
            expires_at=starts,
            payload={"id": event.id, "offset": "60"},
        ),
    )


async def run(count: int, dms: int) -> dict[str, Any]:
    bench = Bench()
    await bench.start()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db_path = Path(tmp) / "bench.db"
            due = await seed(bench, db_path, count, dms)
            await bench.start_passerelle(db_path)
            channels: list[int] = bench.channels  # type: ignore[attr-defined]

            def posted() -> list[tuple[float, str]]:
                return [
                    (datetime.fromisoformat(m.timestamp).timestamp(), m.content)
                    for c in channels
                    for m in bench.state.channels[c].all_messages
                ]

            def dm_count() -> int:
                return sum(len(u.dms) for u in getattr(bench, "attendees", []))

            def count_posted() -> int:  # cheap: polled while this process plays Discord
                return sum(len(bench.state.channels[c].all_messages) for c in channels)

            await bench.until(lambda: count_posted() >= count, within=120 + count / 10, every=0.2)
            channel_done = time.time()
            await bench.until(lambda: dm_count() >= dms, within=60 + dms * 1.5, every=0.5)
            dms_done = time.time()
            await asyncio.sleep(1.0)  # a duplicate, if any, arrives meanwhile
            await bench.stop_bot()
            got = posted()
            counts = Counter(text for _, text in got)
            stamps = sorted(t for t, _ in got)
            attendees = getattr(bench, "attendees", [])
            return {
                "span": stamps[-1] - stamps[0] if stamps else float("nan"),
                "lost": count - len(counts),
                "duplicated": sum(n - 1 for n in counts.values()),
                "dm_lost": sum(1 for u in attendees if not u.dms),
                "dm_duplicated": sum(max(0, len(u.dms) - 1) for u in attendees),
                "dm_span": dms_done - due.timestamp() if dms else 0.0,
                "channel_after_due": channel_done - due.timestamp(),
                "too_many": bench.too_many(),
                "limited": bench.limited_routes(),
            }
    finally:
        await bench.stop()


def show(label: str, count: int, figures: dict[str, Any]) -> None:
    floor = count / GLOBAL_PER_SECOND
    print(
        f"{label}: first → last channel message {figures['span']:.2f} s; floor at "
        f"{GLOBAL_PER_SECOND}/s {floor:.1f} s; ×{figures['span'] / floor:.3f} of the floor "
        f"(goal ≤ 1.1×); lost {figures['lost']:.0f}, duplicated {figures['duplicated']:.0f}, "
        f"429: {figures['too_many']:.0f} ({figures['limited']})"
    )


async def main() -> None:
    options = args(__doc__)
    count, dms = (100, 10) if options.quick else (1000, 500)
    print(machine_note())
    alone = await run(count, 0)
    show(f"{count} channel reminders alone", count, alone)
    both = await run(count, dms)
    show(f"{count} channel reminders + {dms} DMs", count, both)
    print(
        f"  with the DMs: channel span ×{both['span'] / alone['span']:.3f} of the span alone; "
        f"all {dms} DMs delivered {both['dm_span']:.0f} s after the due time (lane: 1/s, 5 at "
        f"once); DMs lost {both['dm_lost']:.0f}, duplicated {both['dm_duplicated']:.0f}"
    )


if __name__ == "__main__":
    asyncio.run(main())
