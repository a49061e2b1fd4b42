"""`bot.redraws`: what features rely on, whichever implementation stands behind it — a burst of
requests gives few draws, the last draw reads the last state, keys are apart, gone messages are
left alone, passing failures are tried again. Counted, never timed."""

from __future__ import annotations

import asyncio

import discord
import pytest

from bot.redraw import Redraws

INTERVAL = 0.02


class FakeResponse:
    def __init__(self, status: int) -> None:
        self.status = status
        self.reason = "test"


class Board:
    """A message whose drawn state is what `draw` read when it ran."""

    def __init__(self) -> None:
        self.state = 0
        self.shown: list[int] = []

    async def draw(self) -> None:
        state = self.state  # read when the draw runs, shown when Discord answered
        await asyncio.sleep(0.001)
        self.shown.append(state)


async def test_a_burst_gives_few_draws_and_ends_on_the_last_state() -> None:
    redraws = Redraws(interval=INTERVAL)
    board = Board()
    for n in range(1, 101):
        board.state = n
        redraws.request("poll", board.draw)
        if n % 25 == 0:
            await asyncio.sleep(0.002)  # a draw may finish inside the burst
    await redraws.settled()
    assert board.shown[-1] == 100
    assert len(board.shown) <= 3  # the first at once, then one folded draw (maybe two)
    assert redraws.pending == 0


async def test_keys_are_drawn_apart() -> None:
    redraws = Redraws(interval=INTERVAL)
    one, two = Board(), Board()
    one.state, two.state = 1, 2
    redraws.request(("poll", 1), one.draw)
    redraws.request(("poll", 2), two.draw)
    await redraws.settled()
    assert (one.shown, two.shown) == ([1], [2])


async def test_a_passing_failure_is_tried_again_and_a_gone_message_left_alone() -> None:
    redraws = Redraws(interval=INTERVAL, retry_delays=(0.01,))
    board = Board()
    failures = [discord.HTTPException(FakeResponse(503), "unavailable")]  # type: ignore[arg-type]

    async def flaky() -> None:
        if failures:
            raise failures.pop()
        await board.draw()

    board.state = 7
    redraws.request("flaky", flaky)
    await redraws.settled()
    assert board.shown == [7]

    gone_calls = 0

    async def gone() -> None:
        nonlocal gone_calls
        gone_calls += 1
        raise discord.NotFound(FakeResponse(404), "unknown message")  # type: ignore[arg-type]

    redraws.request("gone", gone)
    await redraws.settled()
    assert gone_calls == 1 and redraws.pending == 0


@pytest.mark.parametrize("requests", [1, 2, 10])
async def test_every_request_is_followed_by_a_draw_that_saw_it(requests: int) -> None:
    redraws = Redraws(interval=INTERVAL)
    board = Board()
    for n in range(requests):
        board.state = n
        redraws.request("k", board.draw)
        await asyncio.sleep(INTERVAL / 2)
    await redraws.settled()
    assert board.shown[-1] == requests - 1
