"""Words and normalisation for ``bot.when``: French first (France and Québec), then English."""

from __future__ import annotations

import re

from bot.text import fold


def normalise(text: str) -> str:
    """Lowercase, strip accents, unify apostrophes and spaces, tidy 'p.m.' and 'déc.'."""
    t = fold(text)
    t = re.sub(r"[’‘`´]", "'", t)
    t = re.sub(r"\b([ap])\.\s?m\b\.?", r"\1m", t)  # p.m. → pm
    t = re.sub(r"(\d{4}-\d{1,2}-\d{1,2})t(?=\d)", r"\1 ", t)  # ISO 'T' separator
    t = re.sub(r"(?<=[a-z])\.", " ", t)  # abbreviations: 'déc.' → 'dec'
    t = re.sub(r"\bl'", "le ", t)
    t = re.sub(r"[,;!?()\"«»]", " ", t).replace("@", " @ ")
    return re.sub(r"\s+", " ", t).strip()


# Monday = 0, as datetime.weekday(). No 'mar' for mardi: it is March in English.
WEEKDAYS: dict[str, int] = {
    **dict.fromkeys(["lundi", "lun", "monday", "mon"], 0),
    **dict.fromkeys(["mardi", "tuesday", "tues", "tue"], 1),
    **dict.fromkeys(["mercredi", "mer", "wednesday", "wed"], 2),
    **dict.fromkeys(["jeudi", "jeu", "thursday", "thurs", "thur", "thu"], 3),
    **dict.fromkeys(["vendredi", "ven", "friday", "fri"], 4),
    **dict.fromkeys(["samedi", "sam", "saturday", "sat"], 5),
    **dict.fromkeys(["dimanche", "dim", "sunday", "sun"], 6),
}

MONTHS: dict[str, int] = {
    **dict.fromkeys(["janvier", "janv", "january", "jan"], 1),
    **dict.fromkeys(["fevrier", "fevr", "fev", "february", "feb"], 2),
    **dict.fromkeys(["mars", "march", "mar"], 3),
    **dict.fromkeys(["avril", "avr", "april", "apr"], 4),
    **dict.fromkeys(["mai", "may"], 5),
    **dict.fromkeys(["juin", "june", "jun"], 6),
    **dict.fromkeys(["juillet", "juil", "july", "jul"], 7),
    **dict.fromkeys(["aout", "august", "aug"], 8),
    **dict.fromkeys(["septembre", "september", "sept", "sep"], 9),
    **dict.fromkeys(["octobre", "october", "oct"], 10),
    **dict.fromkeys(["novembre", "november", "nov"], 11),
    **dict.fromkeys(["decembre", "december", "dec"], 12),
}

ENGLISH_MONTHS = [
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
]  # fmt: skip

NUMBER_WORDS: dict[str, int] = {
    **dict.fromkeys(["un", "une", "a", "an", "one"], 1),
    **dict.fromkeys(["deux", "two"], 2),
    **dict.fromkeys(["trois", "three"], 3),
    **dict.fromkeys(["quatre", "four"], 4),
    **dict.fromkeys(["cinq", "five"], 5),
    **dict.fromkeys(["six"], 6),
    **dict.fromkeys(["sept", "seven"], 7),
    **dict.fromkeys(["huit", "eight"], 8),
    **dict.fromkeys(["neuf", "nine"], 9),
    **dict.fromkeys(["dix", "ten"], 10),
    **dict.fromkeys(["quinze", "fifteen"], 15),
    **dict.fromkeys(["vingt", "twenty"], 20),
    **dict.fromkeys(["trente", "thirty"], 30),
}

# Words that carry no meaning once the date and hour are recognised.
FILLERS = frozenset(
    {"a", "@", "-", "le", "la", "de", "du", "vers", "pile", "ce", "cet", "cette"}
    | {"at", "on", "the", "in", "around", "sharp", "this"}
)

ORDINAL = r"(?:er|re|eme|e|st|nd|rd|th)"


def alternation(words: object) -> str:
    """A regex alternation, longest words first so 'mars' wins over 'mar'."""
    return "|".join(sorted(map(re.escape, words), key=len, reverse=True))  # type: ignore[call-overload]


EXAMPLES: dict[str, list[str]] = {
    "fr": [
        "vendredi 18h",
        "demain midi",
        "lundi prochain à 9h30",
        "le 12 décembre à 20h",
        "12/12 20h",
        "dans 3 jours à 18h",
    ],
    "en": [
        "friday 6pm",
        "tomorrow 7:30pm",
        "next monday at noon",
        "dec 12 8pm",
        "12/12 20:00",
        "in 3 days at 6pm",
    ],
}
