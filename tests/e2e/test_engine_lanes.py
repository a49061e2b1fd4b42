"""The engine under load: DMs on their own lane, items scheduled during a run, the ledger's
retention. A small test feature registers its kinds through the engine's public API."""

from __future__ import annotations

import logging
from datetime import timedelta

import pytest
from discord_server import Harness

from bot.db.timestamps import to_ts
from bot.pacing import LocalBucket, Pacer, VirtualTimer
from bot.reminders import DueItem, OneShotHandler, Outgoing, Schedule

MESSAGES = r"^/channels/\d+/messages$"


class Notices(OneShotHandler):
    """`payload`: {"channel": id} for a channel message, {"dms": [ids]} for DMs, and
    {"then": n} to schedule n more items, due at once, while rendering (as RSVPs do)."""

    def __init__(self, world: Harness) -> None:
        self.world = world

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        out = []
        if "channel" in item.payload:
            out.append(Outgoing(target=f"channel:{item.payload['channel']}", content=item.ref))
        out += [Outgoing(target=f"dm:{u}", content=item.ref) for u in item.payload.get("dms", [])]
        engine = self.world.bot.reminders
        for i in range(item.payload.get("then", 0)):
            now = self.world.clock.now()
            channel = item.payload["channel"]
            await engine.schedule(
                "test.notice",
                f"{item.ref}+{i}",
                item.guild_id,
                Schedule(occurrence="1", due_at=now, payload={"channel": channel}),
            )
        return out


@pytest.fixture(autouse=True)
def notices(world: Harness) -> None:
    world.bot.reminders.register("test.notice", Notices(world))


async def _schedule(world: Harness, ref: str, payload: dict, *, after: float = 0) -> None:
    due = world.clock.now() + timedelta(seconds=after)
    await world.bot.reminders.schedule(
        "test.notice", ref, world.guild.id, Schedule(occurrence="1", due_at=due, payload=payload)
    )


async def test_dms_wait_on_their_lane_without_holding_channel_reminders(world: Harness) -> None:
    engine = world.bot.reminders
    engine.workers = 1  # one worker: before, a reminder's DMs held it and the channels waited
    timer = VirtualTimer()
    engine.dm_pacer = Pacer(LocalBucket(rate=1, burst=1), timer)  # the lane moves when told
    members = [await world.guild.add_member(f"membre{i}") for i in range(6)]
    annonces = world.guild.channel("annonces")
    await _schedule(world, "dms", {"dms": [m.id for m in members]}, after=60)  # due first
    for i in range(10):
        await _schedule(world, f"salon-{i}", {"channel": annonces.id}, after=61)
    world.clock.advance(timedelta(minutes=1, seconds=1))

    handled = await engine.run_due()  # not through the driver: the DM lane is held still
    assert handled == 11
    assert sorted(m.content for m in annonces.messages) == sorted(f"salon-{i}" for i in range(10))
    assert sum(len(m.dms) for m in members) == 1  # one DM went; five wait on the lane

    await timer.run_until(engine.wait_idle())  # the lane moves on: one DM a (virtual) second
    await world.idle()
    assert [len(m.dms) for m in members] == [1] * 6
    assert timer.now() == 5.0
    ledger = await world.bot.db.fetchall(
        "SELECT target, status FROM reminder_ledger WHERE ref = 'dms' ORDER BY target"
    )
    assert [r["status"] for r in ledger] == ["sent"] * 6
    assert (
        await world.bot.db.fetchval(
            "SELECT COUNT(*) FROM reminder_items WHERE kind = 'test.notice'"
        )
        == 0
    )


async def test_items_scheduled_during_a_run_are_sent_by_it_without_a_warning_storm(
    world: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    annonces = world.guild.channel("annonces")
    for i in range(30):
        await _schedule(world, f"vague-{i}", {"channel": annonces.id, "then": 2})
    with caplog.at_level(logging.WARNING, logger="apscheduler"):
        await world.advance(seconds=1)
    contents = [m.content for m in annonces.messages]
    assert len(contents) == 90 and len(set(contents)) == 90  # each once
    assert not [r for r in caplog.records if "maximum number of running instances" in r.message]
    assert (
        await world.bot.db.fetchval(
            "SELECT COUNT(*) FROM reminder_items WHERE kind = 'test.notice'"
        )
        == 0
    )


async def test_the_wake_up_moves_only_for_an_earlier_item(world: Harness) -> None:
    annonces = world.guild.channel("annonces")

    def wake() -> object:
        job = world.bot.scheduler.get_job("reminders.wake")
        return job and job.next_run_time

    await _schedule(world, "later", {"channel": annonces.id}, after=3600)
    armed = wake()
    for minutes in (70, 80, 90):
        await _schedule(world, f"after-{minutes}", {"channel": annonces.id}, after=60 * minutes)
        assert wake() == armed  # later items: the wake-up stays as it is
    await _schedule(world, "sooner", {"channel": annonces.id}, after=600)
    assert wake() < armed
    await world.advance(hours=2)
    assert len(annonces.messages) == 5


async def test_the_ledger_keeps_deliveries_two_weeks_and_problems_a_month(world: Harness) -> None:
    db, now = world.bot.db, world.clock.now()

    async def row(ref: str, status: str, days: float, kind: str = "annonce") -> int:
        at = to_ts(now - timedelta(days=days))
        await db.execute(
            "INSERT INTO reminder_ledger (kind, ref, occurrence, target, guild_id, status, at)"
            " VALUES (?, ?, '1', 'channel:1', ?, ?, ?)",
            (kind, ref, world.guild.id, status, at),
        )
        return at

    await row("sent-recent", "sent", 13)
    await row("sent-old", "sent", 15)
    await row("fallback-old", "fallback", 15)
    recent_problem = await row("failed-recent", "failed", 29)
    old_problem = await row("failed-old", "failed", 31)
    await row("sending-old", "sending", 31)
    await row("pending-old", "sent", 40, kind="test.notice")  # its item is still there: kept
    await _schedule(
        world, "pending-old", {"channel": world.guild.channel("annonces").id}, after=7200
    )

    await world.advance(hours=1, minutes=1)  # a run more than an hour after the last pruning
    kept = [r["ref"] for r in await db.fetchall("SELECT ref FROM reminder_ledger ORDER BY ref")]
    assert kept == ["failed-recent", "pending-old", "sent-recent"]
    reply = await world.guild.slash(world.alice, "config rappels")
    assert f"<t:{recent_problem}:f>" in reply.text and f"<t:{old_problem}:f>" not in reply.text


class Probe(OneShotHandler):
    """Notes whether the engine says it is busy while it renders."""

    def __init__(self, world: Harness) -> None:
        self.world = world
        self.seen: list[bool] = []

    async def render(self, item: DueItem, *, late: bool) -> list[Outgoing]:
        self.seen.append(self.world.bot.reminders.busy_within(0))
        return []


async def test_the_engine_says_when_it_is_busy_or_due_soon(world: Harness) -> None:
    # What optional background work (the guard's model loading) waits for.
    engine = world.bot.reminders
    probe = Probe(world)
    engine.register("test.probe", probe)
    assert not engine.busy_within(60)
    due = world.clock.now() + timedelta(seconds=30)
    await engine.schedule(
        "test.probe", "p", world.guild.id, Schedule(occurrence="1", due_at=due, payload={})
    )
    assert engine.busy_within(31) and not engine.busy_within(29)
    world.clock.advance(timedelta(seconds=30))
    assert engine.busy_within(0)  # due now
    await engine.run_due()
    assert probe.seen == [True]  # a run under way
    assert not engine.busy_within(60)
