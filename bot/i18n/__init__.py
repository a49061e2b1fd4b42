"""Translations: gettext-style catalogs (French first, English second) keyed by message ids.

Every package may hold `locales/fr.po` and `locales/en.po`; they are merged at first use.
Message ids are namespaced keys (`config.saved`), placeholders use `{name}`.
"""

from __future__ import annotations

import logging
from datetime import datetime
from functools import cache
from pathlib import Path
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_datetime as _babel_format_datetime
from babel.messages.pofile import read_po

log = logging.getLogger(__name__)

LANGS = ("fr", "en")
SOURCE_LANG = "fr"
_ROOT = Path(__file__).resolve().parents[2]
_SEARCH = (_ROOT / "bot", _ROOT / "cogs")


def catalog_files() -> dict[str, list[Path]]:
    """Every catalog file of the project, by language."""
    files: dict[str, list[Path]] = {lang: [] for lang in LANGS}
    for base in _SEARCH:
        for lang in LANGS:
            files[lang].extend(sorted(base.rglob(f"locales/{lang}.po")))
    return files


def read_catalog(path: Path) -> dict[str, str]:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    return {str(m.id): str(m.string) for m in catalog if m.id and isinstance(m.id, str)}


@cache
def catalogs() -> dict[str, dict[str, str]]:
    merged: dict[str, dict[str, str]] = {}
    for lang, paths in catalog_files().items():
        merged[lang] = {}
        for path in paths:
            merged[lang].update(read_catalog(path))
    return merged


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in Formatter().parse(text) if name}


def has(key: str, lang: str = SOURCE_LANG) -> bool:
    return bool(catalogs().get(lang, {}).get(key))


def t(key: str, lang: str = SOURCE_LANG, /, **params: Any) -> str:
    """Translate `key` into `lang` (falling back to French, then to the key itself)."""
    table = catalogs()
    text = table.get(lang, {}).get(key) or table[SOURCE_LANG].get(key)
    if not text:
        log.warning("missing message %s", key)
        return key
    if not params:
        return text
    try:
        return text.format(**params)
    except (KeyError, IndexError, ValueError):
        log.warning("bad placeholders for message %s", key)
        return text


def lang_for(discord_locale: str | None, fallback: str = SOURCE_LANG) -> str:
    """fr-* → French, en-* → English, anything else → the server's language."""
    value = (discord_locale or "").lower()
    if value.startswith("fr"):
        return "fr"
    if value.startswith("en"):
        return "en"
    return fallback if fallback in LANGS else SOURCE_LANG


def babel_locale(lang: str, zone: ZoneInfo | str | None = None) -> str:
    """fr_CA for French readers on a Québec (America/*) zone, fr_FR otherwise; en for English."""
    if lang == "en":
        return "en"
    name = zone.key if isinstance(zone, ZoneInfo) else (zone or "")
    return "fr_CA" if name.startswith("America/") else "fr_FR"


def format_datetime(
    instant: datetime, lang: str, zone: ZoneInfo, *, with_zone: bool = False
) -> str:
    """A date and time in words, in `zone`, e.g. « vendredi 12 décembre 2026 à 18:00 »."""
    local = instant.astimezone(zone)
    pattern = "EEEE d MMMM y 'à' HH:mm" if lang == "fr" else "EEEE, MMMM d, y 'at' h:mm a"
    text = _babel_format_datetime(local, pattern, tzinfo=zone, locale=babel_locale(lang, zone))
    return f"{text} ({zone.key})" if with_zone else text


def format_time(instant: datetime, lang: str, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    pattern = "EEEE HH:mm" if lang == "fr" else "EEEE h:mm a"
    return _babel_format_datetime(local, pattern, tzinfo=zone, locale=babel_locale(lang, zone))
