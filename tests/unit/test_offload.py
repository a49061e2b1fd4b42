"""bot.offload: heavy work on a worker thread with the collector paused, then frozen; big
structures taken apart off the loop, but never what someone else still holds."""

from __future__ import annotations

import asyncio
import gc
import threading
from typing import Any

import pytest

from bot import offload

# The collector's state is what these tests read: no loader of an earlier test's bot beside them.
pytestmark = pytest.mark.usefixtures("no_background_loader")


class Table(dict):
    """A dict that notes what is taken out of it."""

    taken: list[str] = []  # noqa: RUF012 - shared on purpose: the table itself goes

    def popitem(self) -> tuple[Any, Any]:
        item = super().popitem()
        Table.taken.append(item[0])
        return item


class Index:
    def __init__(self, table: dict[str, Any], shared: dict[str, Any]) -> None:
        self.table = table
        self.shared = shared


async def test_heavy_work_runs_on_a_worker_with_the_collector_paused_then_frozen() -> None:
    seen: dict[str, Any] = {}

    def work(n: int) -> list[list[int]]:
        seen["thread"] = threading.get_ident()
        seen["collecting"] = gc.isenabled()
        return [[i] for i in range(n)]

    frozen = gc.get_freeze_count()
    try:
        built = await offload.build(work, 1000)
        assert len(built) == 1000
        assert seen == {"thread": seen["thread"], "collecting": False}
        assert seen["thread"] != threading.get_ident()
        assert gc.isenabled()
        assert gc.get_freeze_count() >= frozen + len(built)  # the result is out of sight
    finally:
        gc.unfreeze()


async def test_pauses_nest_and_the_collector_resumes_after_the_last() -> None:
    try:
        async with offload.collector_paused():
            inner = asyncio.ensure_future(offload.build(sum, range(10)))
            assert await inner == 45
            assert not gc.isenabled()  # the outer pause still holds
        assert gc.isenabled()
    finally:
        gc.unfreeze()


async def test_a_structure_nobody_else_holds_is_taken_apart_but_not_what_it_shares() -> None:
    Table.taken = []
    shared = {"keep": 1}
    await offload.release([Index(Table(a=1, b=2), shared)])
    assert Table.taken == ["b", "a"]
    assert shared == {"keep": 1}


async def test_a_structure_still_in_use_is_left_whole() -> None:
    Table.taken = []
    index = Index(Table(a=1), {})
    await offload.release([index])
    assert Table.taken == [] and index.table == {"a": 1}
