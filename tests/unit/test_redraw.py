"""Coalesced redraws and thread adds, on a virtual timer: what was drawn, when, and that the
last draw shows the last state."""

from __future__ import annotations

import asyncio
import itertools
from types import SimpleNamespace

import discord
import pytest

from bot.pacing import Priority, VirtualTimer, current_priority, priority
from bot.redraw import Redraws, ThreadMembers


def http_error(status: int) -> discord.HTTPException:
    response = SimpleNamespace(status=status, reason="test")
    cls = {403: discord.Forbidden, 404: discord.NotFound}.get(status, discord.HTTPException)
    if status >= 500:
        cls = discord.DiscordServerError
    return cls(response, {"message": "test", "code": 0})  # type: ignore[arg-type]


class Message:
    """A message whose text follows `state`; `draws` records (when, what was shown)."""

    def __init__(self, timer: VirtualTimer, latency: float = 0.05) -> None:
        self.timer, self.latency = timer, latency
        self.state = 0
        self.shown: int | None = None
        self.draws: list[tuple[float, int]] = []
        self.failures: list[discord.HTTPException] = []
        self.priorities: list[Priority] = []

    async def draw(self) -> None:
        value = self.state  # read when the draw runs, like a feature reading its store
        self.priorities.append(current_priority())
        await self.timer.sleep(self.latency)
        if self.failures:
            raise self.failures.pop(0)
        self.shown = value
        self.draws.append((self.timer.now(), value))


async def test_a_burst_of_changes_gives_few_draws_and_ends_on_the_last_state() -> None:
    timer = VirtualTimer()
    redraws = Redraws(interval=1.0, timer=timer)
    message = Message(timer)

    async def clicks() -> None:
        for _ in range(100):  # 100 clicks over 2 s
            message.state += 1
            with priority(Priority.BACKGROUND):  # whoever asks, a redraw is a member's wait
                redraws.request("rdv:1", message.draw)
            await timer.sleep(0.02)
        await redraws.settled()

    await timer.run_until(clicks())
    assert message.shown == 100
    starts = [when - message.latency for when, _ in message.draws]
    assert all(b - a >= 1.0 - 1e-9 for a, b in itertools.pairwise(starts))
    assert len(message.draws) <= 2 / 1.0 + 2  # one at once, one a second, the last one
    assert message.draws[0][1] == 1  # the first click is shown at once
    assert message.priorities == [Priority.MEMBER] * len(message.draws)
    assert redraws.pending == 0


async def test_changes_during_a_draw_give_exactly_one_more_draw() -> None:
    timer = VirtualTimer()
    redraws = Redraws(interval=0.0, timer=timer)
    message = Message(timer, latency=0.5)

    async def scenario() -> None:
        message.state = 1
        redraws.request("k", message.draw)
        await timer.sleep(0.1)  # the first draw is in flight
        for value in (2, 3, 4):
            message.state = value
            redraws.request("k", message.draw)
        await redraws.settled("k")

    await timer.run_until(scenario())
    assert [v for _, v in message.draws] == [1, 4]


async def test_a_rate_limited_draw_is_tried_again_until_the_last_state_is_shown() -> None:
    timer = VirtualTimer()
    redraws = Redraws(interval=1.0, timer=timer, retry_delays=(1.0, 2.0))
    message = Message(timer)
    message.failures = [http_error(429), http_error(503), http_error(429)]

    async def scenario() -> None:
        message.state = 7
        redraws.request("k", message.draw)
        await redraws.settled()

    await timer.run_until(scenario())
    assert message.shown == 7 and len(message.draws) == 1
    assert redraws.draws == 4


@pytest.mark.parametrize("status", [403, 404])
async def test_a_message_that_is_gone_is_left_alone(status: int) -> None:
    timer = VirtualTimer()
    redraws = Redraws(interval=1.0, timer=timer)
    message = Message(timer)
    message.failures = [http_error(status)]
    message.state = 3
    redraws.request("k", message.draw)
    await timer.run_until(redraws.settled())
    assert message.shown is None and redraws.draws == 1 and redraws.pending == 0


async def test_a_message_failing_for_ever_is_given_up_in_the_end() -> None:
    timer = VirtualTimer()
    redraws = Redraws(interval=1.0, timer=timer, retry_delays=(1.0,), max_failures=5)
    message = Message(timer)
    message.failures = [http_error(502)] * 10
    redraws.request("k", message.draw)
    await timer.run_until(redraws.settled())
    assert redraws.given_up == 1 and redraws.draws == 5


async def test_keys_are_drawn_independently() -> None:
    timer = VirtualTimer()
    redraws = Redraws(interval=1.0, timer=timer)
    a, b = Message(timer), Message(timer)
    a.state, b.state = 1, 2
    redraws.request("a", a.draw)
    redraws.request("b", b.draw)
    await timer.run_until(redraws.settled())
    assert (a.shown, b.shown) == (1, 2)
    assert a.draws[0][0] == b.draws[0][0]  # neither waited for the other


async def test_thread_adds_are_sent_once_each_in_the_member_lane() -> None:
    sent: list[tuple[int, int, Priority]] = []
    gate = asyncio.Event()

    async def add(thread_id: int, user_id: int) -> None:
        await gate.wait()
        sent.append((thread_id, user_id, current_priority()))

    members = ThreadMembers(add)
    with priority(Priority.SCHEDULED):
        members.add(10, [1, 2])
    members.add(10, [2, 3, 1])
    with priority(Priority.BACKGROUND):
        members.add(11, [1])
    members.discard(10, 3)
    gate.set()
    await members.settled()
    assert sorted(sent) == [
        (10, 1, Priority.MEMBER),
        (10, 2, Priority.MEMBER),
        (11, 1, Priority.MEMBER),
    ]
    assert members.sent == 3


async def test_a_failed_thread_add_does_not_stop_the_others() -> None:
    sent: list[int] = []

    async def add(thread_id: int, user_id: int) -> None:
        if user_id == 2:
            raise http_error(403)
        sent.append(user_id)

    members = ThreadMembers(add)
    members.add(10, [1, 2, 3])
    await members.settled()
    assert sent == [1, 3]
