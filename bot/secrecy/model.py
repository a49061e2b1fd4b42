"""spaCy's French pipeline for the guard: loaded once per process, in a thread, never per message.

Only the entity recogniser is kept (``fr_core_news_sm``'s ``ner`` has its own token-to-vector
layer), and the vocabulary's string table is not read: the recogniser works on hashes, so its
entities are the same while the process stays ~30 MB smaller (``bench/guard_corpus.py`` prints the
resident memory with and without the model).

States: a model is ``idle`` until something starts it, ``loading`` in its thread, then ``ready``
or ``failed``. A model that cannot be loaded is reported once (a warning naming the model, never a
message's text) and the guard works with its rules alone.
"""

from __future__ import annotations

import contextlib
import ctypes
import importlib.util
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final

from bot import offload

log = logging.getLogger(__name__)

DEFAULT_MODEL: Final = "fr_core_news_sm"
# Components the guard does not use. The recogniser of the small French model does not listen to
# the shared tok2vec, so dropping it changes nothing; "vocab" skips the string table.
_LEAN_EXCLUDE: Final = (
    "tok2vec",
    "morphologizer",
    "parser",
    "senter",
    "attribute_ruler",
    "lemmatizer",
    "vocab",
)
_SAFE_EXCLUDE: Final = ("morphologizer", "parser", "senter", "attribute_ruler", "lemmatizer")


class ModelState(StrEnum):
    IDLE = "idle"
    LOADING = "loading"
    READY = "ready"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class Entity:
    """A named entity: its label (PER, LOC, ORG, MISC) and its span; never its text."""

    label: str
    start: int
    end: int


def _release_freed_memory() -> None:
    """Hand the loader's temporary buffers back to the system (glibc only; harmless elsewhere)."""
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class NameModel:
    """One spaCy pipeline, loaded in a background thread; ``entities`` runs it under a lock."""

    def __init__(self, name: str = DEFAULT_MODEL) -> None:
        self.name = name
        self.state = ModelState.IDLE
        self.error: str | None = None
        self._nlp: Any = None
        self._ready = threading.Event()
        self._start_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def available(self) -> bool:
        """Whether the model's package is installed (cheap: nothing is loaded)."""
        try:
            return importlib.util.find_spec(self.name) is not None
        except (ImportError, ValueError):
            return False

    def start(self) -> None:
        """Start loading in the background (once; later calls do nothing).

        Through `bot.offload.in_background`: a plain thread would take the interpreter lock
        5 ms at a time for the seconds of CPU the load takes (spaCy's French tokenizer alone
        compiles regular expressions for ~4 s on a busy 2-core machine), and every wake-up of the
        event loop (a database answer, a request) would wait for it: members clicking then were
        answered after Discord's 3 s (`bench/sondages.py`: up to 50 of the first 100 answers
        of a burst).
        """
        with self._start_lock:
            if self.state is not ModelState.IDLE:
                return
            if not self.available():
                self._fail("not installed")
                return
            self.state = ModelState.LOADING
        offload.in_background(self._load, f"secrecy-model-{self.name}")

    def load(self, timeout: float | None = None) -> bool:
        """Start loading if needed and wait for it; True when the model is ready."""
        self.start()
        return self.wait(timeout)

    def wait(self, timeout: float | None) -> bool:
        if self.state is ModelState.IDLE:
            return False
        self._ready.wait(timeout)
        return self.state is ModelState.READY

    def _fail(self, reason: str) -> None:
        self.state = ModelState.FAILED
        self.error = reason
        self._ready.set()
        log.warning(
            "secrecy guard: language model %s unavailable (%s); the guard uses its rules only",
            self.name,
            reason,
        )

    def _load(self) -> None:
        try:
            import spacy  # noqa: PLC0415 - heavy (~0.5 s, ~20 MB): in this thread, once

            try:
                nlp = spacy.load(self.name, exclude=list(_LEAN_EXCLUDE))
                nlp("Marie Curie")
            except Exception:  # a model whose recogniser needs the shared layers
                nlp = spacy.load(self.name, exclude=list(_SAFE_EXCLUDE))
            if "ner" not in nlp.pipe_names:
                raise ValueError("no entity recogniser")
        except Exception as error:  # any failure: rules only, said once
            self._fail(type(error).__name__)
            return
        self._nlp = nlp
        self.state = ModelState.READY
        _release_freed_memory()
        self._ready.set()
        log.info("secrecy guard: language model %s loaded", self.name)

    def entities(self, text: str) -> Sequence[Entity] | None:
        """The entities of ``text``, or None when the model is not ready."""
        if self.state is not ModelState.READY:
            return None
        with self._run_lock:
            doc = self._nlp(text)
        return [Entity(e.label_, e.start_char, e.end_char) for e in doc.ents]


_models: dict[str, NameModel] = {}
_active_name = DEFAULT_MODEL
_registry_lock = threading.Lock()


def model_for(name: str) -> NameModel:
    """The process-wide model of that name (one instance per name)."""
    with _registry_lock:
        if name not in _models:
            _models[name] = NameModel(name)
        return _models[name]


def configure(name: str | None) -> NameModel:
    """Choose the model the module-level ``scan`` uses; say at once if it is not installed."""
    global _active_name  # noqa: PLW0603 - one configured model per process
    _active_name = name or DEFAULT_MODEL
    model = model_for(_active_name)
    if model.state is ModelState.IDLE and not model.available():
        model.start()  # fails at once, with the one warning
    return model


def active() -> NameModel:
    return model_for(_active_name)
