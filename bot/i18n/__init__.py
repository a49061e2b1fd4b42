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
from datetime import date, datetime, time
from functools import cache
from gettext import c2py
from pathlib import Path
from string import Formatter
from typing import Any
from zoneinfo import ZoneInfo

from babel.dates import format_date as _babel_format_date
from babel.dates import format_datetime as _babel_format_datetime
from babel.dates import format_time as _babel_format_time
from babel.dates import get_timezone_location

from bot.i18n import po
from bot.i18n.po import Message

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


def read_catalog(path: Path) -> dict[str, Message]:
    """One catalog's messages by key (plural ones as their forms), as Babel reads them."""
    return po.read(path)


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


PARIS, MONTREAL = ZoneInfo("Europe/Paris"), ZoneInfo("America/Montreal")
# Zones whose readers already find their time on the Paris/Montréal line.
_PARIS_MONTREAL_ZONES = (PARIS.key, MONTREAL.key, "America/Toronto")


def format_short(instant: datetime, lang: str, zone: ZoneInfo, *, with_zone: bool = False) -> str:
    """A date and time in few words, in `zone`: « ven. 6 mars 18:00 », "Fri, Mar 6 6:00 PM"
    (where room is short: a select's options, a long list)."""
    local = instant.astimezone(zone)
    pattern = "EEE d MMM HH:mm" if lang == "fr" else "EEE, MMM d h:mm a"
    text = _babel_format_datetime(local, pattern, tzinfo=zone, locale=babel_locale(lang, zone))
    return f"{text} ({zone.key})" if with_zone else text


def format_paris_montreal(
    instant: datetime, lang: str, zone: ZoneInfo | str | None = None, *, short: bool = False
) -> str:
    """The instant in words at Paris and at Montréal, and in `zone` (named) when it is
    neither: what both sides of the community read beside a Discord timestamp. `short`: in
    few words (`format_short`), for long lists."""
    words = format_short if short else format_datetime
    text = t(
        "time.paris_montreal",
        lang,
        paris=words(instant, lang, PARIS),
        montreal=words(instant, lang, MONTREAL),
    )
    key = zone.key if isinstance(zone, ZoneInfo) else zone
    if key and key not in _PARIS_MONTREAL_ZONES:
        text += "\n" + words(instant, lang, ZoneInfo(key), with_zone=True)
    return text


def format_time(instant: datetime, lang: str, zone: ZoneInfo) -> str:
    local = instant.astimezone(zone)
    pattern = "EEEE HH:mm" if lang == "fr" else "EEEE h:mm a"
    return _babel_format_datetime(local, pattern, tzinfo=zone, locale=babel_locale(lang, zone))


MINUTES_PER_HOUR = 60
# How each language writes a time of day in a sentence: « 18 h », « 18 h 30 »; "6 PM", "6:30 PM".
_CLOCK_PATTERNS = {"fr": ("H 'h'", "H 'h' mm"), "en": ("h a", "h:mm a")}
_DAY_PATTERNS = {"fr": ("d MMMM y", "EEEE d MMMM y"), "en": ("MMMM d, y", "EEEE, MMMM d, y")}
# Zones whose city CLDR files under another one (America/Montreal is an alias of Toronto).
_CITIES = {"America/Montreal": {"fr": "Montréal", "en": "Montreal"}}


def format_clock(at: time, lang: str) -> str:
    """A time of day as written in a sentence: « 2 h 30 », « 18 h »; "2:30 AM", "6 PM"."""
    on_the_hour, with_minutes = _CLOCK_PATTERNS.get(lang, _CLOCK_PATTERNS[SOURCE_LANG])
    pattern = with_minutes if at.minute else on_the_hour
    return _babel_format_time(at, pattern, locale=babel_locale(lang))


def format_day(day: date, lang: str, *, weekday: bool = True) -> str:
    """A date in words: « dimanche 29 mars 2026 », "Sunday, March 29, 2026"."""
    plain, named = _DAY_PATTERNS.get(lang, _DAY_PATTERNS[SOURCE_LANG])
    return _babel_format_date(day, named if weekday else plain, locale=babel_locale(lang))


def format_duration(minutes: int, lang: str) -> str:
    """« 45 min », « 2 h », « 2 h 30 » (English likewise): how long something lasts."""
    hours, rest = divmod(minutes, MINUTES_PER_HOUR)
    if not hours:
        return t("duration.minutes", lang, minutes=rest)
    if not rest:
        return tn("duration.hours", hours, lang)
    return t("duration.hours_minutes", lang, hours=hours, minutes=rest)


def format_zone_place(zone: ZoneInfo | str, lang: str) -> str:
    """Where a zone's clocks are, for a sentence: « Paris », « Montréal », "Kolkata"."""
    key = zone.key if isinstance(zone, ZoneInfo) else zone
    if key in _CITIES:
        return _CITIES[key].get(lang, _CITIES[key][SOURCE_LANG])
    try:
        return str(get_timezone_location(key, babel_locale(lang), return_city=True))
    except LookupError:
        return key.rsplit("/", 1)[-1].replace("_", " ")
