"""CPU-heavy work (building a big index, freeing one) without stalling the event loop.

`asyncio.to_thread` alone is not enough. Measured on a server with 10,000 glossary entries of
its own (`bench/sigles_glossaire_loop.py`, a busy 2-core machine):

* the work allocates a great many objects, so Python's cyclic garbage collector runs full
  collections that hold every thread, the event loop's included (225–635 ms). While heavy work
  runs, the collector's automatic runs are paused (collection only waits); once it is done,
  what is alive is moved out of the collector's sight (`gc.freeze`): later collections scan
  only what is allocated afterwards;
* a worker thread holds the interpreter lock for 5 ms at a time before the loop gets it back,
  and each wake-up of the loop waits for it again (p99 lag ×3). While a worker runs, the
  interpreter hands the lock over every `SHARED_SWITCH_INTERVAL` instead;
* freeing a big structure in one go holds the lock for tens of milliseconds (about 30 ms for the
  10,000-entry index). `release` takes it apart one item at a time on a worker thread.

What is frozen is still freed by reference counting when it is dropped; only reference cycles
that became garbage before a freeze are never collected. Heavy builds are rare (a moderator
changes a server's glossary) and young cycles are collected often, so that stays small.
"""

from __future__ import annotations

import asyncio
import gc
import sys
import threading
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

P = ParamSpec("P")
R = TypeVar("R")

# How long a worker may hold the interpreter lock while the event loop waits for it (seconds).
SHARED_SWITCH_INTERVAL = 0.0005
# Looked at through an attribute, a local name and getrefcount's own argument: nobody else.
_OWNED_REFS = 3
# What `release` takes apart: the structure, the objects it holds, and theirs.
_RELEASE_DEPTH = 2


@dataclass
class _State:
    builds: int = 0  # heavy builds under way: the collector resumes after the last one
    workers: int = 0  # offloaded work under way: the usual switch interval after the last one
    collecting: bool = True
    interval: float = 0.005


_STATE = _State()
# `_STATE` is changed from the event loop and from background threads (`in_background`).
_LOCK = threading.Lock()


def _workers_start() -> None:
    if _STATE.workers == 0:
        _STATE.interval = sys.getswitchinterval()
        sys.setswitchinterval(SHARED_SWITCH_INTERVAL)
    _STATE.workers += 1


def _workers_end() -> None:
    _STATE.workers -= 1
    if _STATE.workers == 0:
        sys.setswitchinterval(_STATE.interval)


def _pause_collector() -> None:
    if _STATE.builds == 0:
        _STATE.collecting = gc.isenabled()
        gc.disable()
    _STATE.builds += 1


def _resume_collector() -> None:
    _STATE.builds -= 1
    if _STATE.builds == 0:
        gc.freeze()
        if _STATE.collecting:
            gc.enable()


@asynccontextmanager
async def collector_paused() -> AsyncIterator[None]:
    """Around work that allocates a great many long-lived objects (see the module's doc)."""
    with _LOCK:
        _pause_collector()
    try:
        yield
    finally:
        with _LOCK:
            _resume_collector()


async def build(func: Callable[P, R], /, *args: P.args, **kwargs: P.kwargs) -> R:
    """`func(*args, **kwargs)` on a worker thread, the collector paused meanwhile.

    `func` must be pure and read only values nobody changes meanwhile (frozen dataclasses,
    tuples): it runs while the event loop goes on."""
    async with collector_paused():
        with _LOCK:
            _workers_start()
        try:
            return await asyncio.to_thread(func, *args, **kwargs)
        finally:
            with _LOCK:
                _workers_end()


def in_background(func: Callable[[], object], name: str) -> threading.Thread:
    """Start `func()` on a daemon thread of its own, as `build` runs its work (switch interval
    short, collector paused, what it made frozen after), for callers that cannot wait for it:
    e.g. a language model that loads for seconds while the bot answers members."""

    def run() -> None:
        with _LOCK:
            _workers_start()
            _pause_collector()
        try:
            func()
        finally:
            with _LOCK:
                _resume_collector()
                _workers_end()

    thread = threading.Thread(target=run, name=name, daemon=True)
    thread.start()
    return thread


def release(holder: list[Any]) -> asyncio.Future[None]:
    """Drop a big structure (the only item of `holder`) off the event loop, piece by piece.

    Its dicts, lists and sets are emptied one item at a time on a worker thread, where the
    interpreter switches threads as usual. Only what nobody else holds is taken apart; what is
    shared (e.g. entries a newer index also uses) is left whole. The caller must keep no other
    reference: pass `[structure]` and forget it.
    """
    with _LOCK:
        _workers_start()
    done = asyncio.get_running_loop().run_in_executor(None, _take_apart, holder)
    done.add_done_callback(lambda _: _release_done())
    return done


def _release_done() -> None:
    with _LOCK:
        _workers_end()


def _take_apart(holder: list[Any]) -> None:
    top = holder.pop()
    if sys.getrefcount(top) > _OWNED_REFS - 1:  # no attribute holds it: a local and the argument
        return  # someone still uses it: it goes when they are done
    _empty_parts(top, _RELEASE_DEPTH)


def _empty_parts(obj: object, depth: int) -> None:
    for name in _attribute_names(obj):
        value = getattr(obj, name, None)
        if value is None or sys.getrefcount(value) > _OWNED_REFS:
            continue
        if isinstance(value, dict):
            while value:
                value.popitem()
        elif isinstance(value, list | set):
            while value:
                value.pop()
        elif depth:
            _empty_parts(value, depth - 1)
        del value


def _attribute_names(obj: object) -> list[str]:
    names = list(getattr(obj, "__dict__", {}))
    for cls in type(obj).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else list(slots)
    return [n for n in names if not n.startswith("__")]
