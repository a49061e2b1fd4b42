"""Translations: gettext-style catalogs (French first, English second) keyed by message ids.

Every package may hold `locales/fr.po` and `locales/en.po`; they are merged at first use.
Message ids are namespaced keys (`config.saved`), placeholders use `{name}`.

A message that depends on a number is a gettext plural entry (`msgid` and `msgid_plural` both
the key, `msgstr[0]`, `msgstr[1]`), translated with `tn(key, n, lang)`: the language's own
plural rule (French: 0 and 1 are singular; English: only 1) picks the form.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from gettext import c2py
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


Message = str | tuple[str, ...]  # a plain message, or the plural forms of one


def read_catalog(path: Path) -> dict[str, Message]:
    with path.open("rb") as fh:
        catalog = read_po(fh)
    found: dict[str, Message] = {}
    for m in catalog:
        if isinstance(m.id, tuple | list):
            found[str(m.id[0])] = tuple(str(form) for form in m.string)
        elif m.id:
            found[str(m.id)] = str(m.string)
    return found


@dataclass(frozen=True)
class _Tables:
    singular: dict[str, dict[str, str]]
    plural: dict[str, dict[str, tuple[str, ...]]]


# Each language's gettext plural rule (Babel's, from the CLDR): which form a number takes.
PLURAL_RULES = {"fr": "(n > 1)", "en": "(n != 1)"}
_PLURAL_FORM = {lang: c2py(rule) for lang, rule in PLURAL_RULES.items()}


@cache
def _tables() -> _Tables:
    singular: dict[str, dict[str, str]] = {}
    plural: dict[str, dict[str, tuple[str, ...]]] = {}
    for lang, paths in catalog_files().items():
        singular[lang], plural[lang] = {}, {}
        for path in paths:
            for key, message in read_catalog(path).items():
                if isinstance(message, tuple):
                    plural[lang][key] = message
                else:
                    singular[lang][key] = message
    return _Tables(singular, plural)


def catalogs() -> dict[str, dict[str, str]]:
    """The plain messages of every catalog, by language."""
    return _tables().singular


def message(key: str, lang: str = SOURCE_LANG) -> Message | None:
    """The raw catalog message (its plural forms for a plural key), or None."""
    tables = _tables()
    return tables.singular.get(lang, {}).get(key) or tables.plural.get(lang, {}).get(key)


def placeholders(text: Message) -> set[str]:
    forms = text if isinstance(text, tuple) else (text,)
    return {name for form in forms for _, name, _, _ in Formatter().parse(form) if name}


def has(key: str, lang: str = SOURCE_LANG) -> bool:
    return bool(catalogs().get(lang, {}).get(key))


def t(key: str, lang: str = SOURCE_LANG, /, **params: Any) -> str:
    """Translate `key` into `lang` (falling back to French, then to the key itself).

    A plural message takes its form from the parameter `n` (so `UserError("k", n=3)` works)."""
    if key in _tables().plural[SOURCE_LANG] and "n" in params:
        return tn(key, params.pop("n"), lang, **params)
    table = catalogs()
    text = table.get(lang, {}).get(key) or table[SOURCE_LANG].get(key)
    if not text:
        log.warning("missing message %s", key)
        return key
    return _fill(key, text, params)


def tn(key: str, n: int, lang: str = SOURCE_LANG, /, **params: Any) -> str:
    """Translate the plural message `key` for the number `n` (also given as `{n}`)."""
    table = _tables().plural
    if key in table.get(lang, {}):
        forms = table[lang][key]
    else:
        lang, forms = SOURCE_LANG, table[SOURCE_LANG].get(key, ())
    if not forms:
        log.warning("missing plural message %s", key)
        return key
    index = min(_PLURAL_FORM.get(lang, _PLURAL_FORM[SOURCE_LANG])(abs(n)), len(forms) - 1)
    return _fill(key, forms[index], {"n": n, **params})


def _fill(key: str, text: str, params: dict[str, Any]) -> str:
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
