"""What a start imports: the bot's modules and every feature, without the heavy libraries that
only some work needs later (bench/startup.py measures the time; this keeps them out)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Imported when they are needed, never by a start (see where each is imported):
NOT_AT_START = (
    "bot.secrecy.guard",  # the guard's rules: after ready, off the loop (bot.client.on_ready)
    "phonenumbers",  # the guard's rules
    "spacy",  # the guard's model: after ready, in its thread (bot.secrecy.model)
    "aiohttp.web",  # the web side: when it starts (WEB_PORT)
    "icalendar",  # calendars: the web side, /rencontre calendrier
    "feedparser",  # feeds: in the worker process that parses them (bot.net.feeds)
    "babel.messages",  # catalogs are read by bot.i18n.po
    "dotenv",  # only when there is a .env file to read (bot.settings)
)
SCRIPT = """
import importlib, sys
import bot.__main__
from bot.client import feature_packages
for name in feature_packages():
    importlib.import_module(f"cogs.{name}")
print(" ".join(m for m in sys.argv[1:] if m in sys.modules))
"""


def test_a_start_imports_no_heavy_library_it_does_not_need_yet() -> None:
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT, *NOT_AT_START],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.split() == []
