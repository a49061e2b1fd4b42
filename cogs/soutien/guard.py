"""The professional-secrecy guard: spot details that could identify a person someone accompanies.

Before the bot posts anything on a member's behalf (anonymous messages), ``scan`` looks for phone
numbers, e-mail addresses, a French social-security number (NIR), a Québec health-insurance
number (NAM/RAMQ), dates of birth, postal addresses, bank details and names after a civility.

Pure: imports nothing from discord, logs nothing. A ``Finding`` holds a kind and a span, never
the matched text, so neither its ``repr`` nor a log line can carry what the member wrote.

Decisions worth knowing (see the labelled corpus in ``tests/unit/data/guard_corpus.toml``):

- short public numbers (3114, 119, 15, 988, 811, 211, 911…) are not phone numbers here, and
  neither are toll-free numbers (0 800…/08…, 1 800/833/844/855/866/877/888…): a help line or an
  organisation, never the line of a person;
- a date with no birth wording is flagged only when it is complete and its year makes a plausible
  birth year (12 to 100 years before ``ref_year``) and no event word precedes it ("audience du",
  "depuis le", "réunion du"…); meeting dates such as "le 12/12 à 14h" are not flagged;
- an initial after a civility ("Mme X.", "M. D.") is the usual anonymisation and is not flagged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Final

KINDS: Final[tuple[str, ...]] = (
    "phone",
    "email",
    "nir",
    "nam",
    "birth_date",
    "address",
    "bank",
    "civility_name",
)


@dataclass(frozen=True, slots=True)
class Finding:
    """One identifying detail: its kind (one of ``KINDS``) and its span ``text[start:end]``.

    It never stores the matched text: support messages must never reach logs or reprs.
    """

    kind: str
    start: int
    end: int

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown finding kind {self.kind!r}")


# --------------------------------------------------------------------------- shared pieces
_SEP = r"[ \u00a0\u202f.\-\u2010\u2011\u2013]"  # between digit groups: spaces, dots, dashes
_SP = r"[ \u00a0\u202f]"  # a space of any width, never a line break
_NOT_DIGIT_BEFORE = r"(?<![\d\w])"
_NOT_DIGIT_AFTER = r"(?![\d])"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


# --------------------------------------------------------------------------- e-mail
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")

# --------------------------------------------------------------------------- phone
_FR_PHONE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"(?P<intl>(?:\+|00)33"
    + _SEP
    + r"?(?:\(0\)"
    + _SEP
    + r"?)?|0)"
    + r"(?P<first>[1-9])(?:"
    + _SEP
    + r"?\d{2}){4}"
    + _NOT_DIGIT_AFTER
)
_NA_PHONE = re.compile(
    r"(?<![\d\w+])(?:\+?1" + _SEP + r"?)?"
    r"(?:\((?P<area1>[2-9]\d{2})\)|(?P<area2>[2-9]\d{2}))" + _SEP + r"?"
    r"[2-9]\d{2}" + _SEP + r"?\d{4}" + _NOT_DIGIT_AFTER
)
# Other international numbers written with a leading + (Belgium, Switzerland…).
_INTL_PHONE = re.compile(
    r"(?<![\w+])\+(?!33|1\b)(?:[2-9]\d{1,2})(?:" + _SEP + r"?\(?\d{1,4}\)?){2,5}" + _NOT_DIGIT_AFTER
)
# Swiss national format: 079 123 45 67.
_CH_PHONE = re.compile(
    _NOT_DIGIT_BEFORE
    + r"0[1-9]\d"
    + _SP
    + r"?\d{3}"
    + _SP
    + r"?\d{2}"
    + _SP
    + r"?\d{2}"
    + _NOT_DIGIT_AFTER
)
_NA_TOLL_FREE: Final = frozenset({"800", "833", "844", "855", "866", "877", "888"})


def _phones(text: str) -> Iterator[tuple[int, int]]:
    for m in _FR_PHONE.finditer(text):
        if m["first"] == "8":  # 08…: toll-free or shared-cost service numbers
            continue
        yield m.span()
    for m in _NA_PHONE.finditer(text):
        if (m["area1"] or m["area2"]) in _NA_TOLL_FREE:
            continue
        yield m.span()
    for m in _INTL_PHONE.finditer(text):
        if 8 <= len(_digits(m[0])) <= 15:
            yield m.span()
    for m in _CH_PHONE.finditer(text):
        if not m[0].startswith("08"):
            yield m.span()


# --------------------------------------------------------------------------- NIR (France)
_NIR = re.compile(
    r"(?<![\w])(?P<sex>[1-478])[ .]?(?P<yy>\d{2})[ .]?(?P<mm>\d{2})[ .]?"
    r"(?P<dep>\d{2}|2[ABab])[ .]?(?P<com>\d{3})[ .]?(?P<ord>\d{3})"
    r"(?:[ .]?(?P<key>\d{2}))?(?![\w])"
)
_NIR_CONTEXT = re.compile(
    r"(?i:s[ée]cu\b|s[ée]curit[ée]\s+sociale|\bnir\b|carte\s+vitale|\bss\b|insee)"
)


def nir_key(number13: str) -> int:
    """The NIR control key: 97 − (number mod 97), with Corsica's 2A/2B read as 19/18."""
    normalised = number13.upper().replace("2A", "19", 1).replace("2B", "18", 1)
    return 97 - int(normalised) % 97


def _nirs(text: str) -> Iterator[tuple[int, int]]:
    for m in _NIR.finditer(text):
        body = m["sex"] + m["yy"] + m["mm"] + m["dep"] + m["com"] + m["ord"]
        context = _NIR_CONTEXT.search(text, max(0, m.start() - 40), m.start()) is not None
        valid = m["key"] is not None and nir_key(body) == int(m["key"])
        if valid or context:  # a wrong key or no key counts when the member says it is a NIR
            yield m.span()


# --------------------------------------------------------------------------- NAM (Québec)
_NAM = re.compile(
    r"(?<![\w])(?P<letters>[A-Za-z]{4})"
    + _SP
    + r"?(?P<yy>\d{2})(?P<mm>\d{2})"
    + _SP
    + r"?(?P<dd>\d{2})(?P<adm>\d{2})(?![\w])"
)


def _nams(text: str) -> Iterator[tuple[int, int]]:
    for m in _NAM.finditer(text):
        month, day = int(m["mm"]), int(m["dd"])
        if not (1 <= month <= 12 or 51 <= month <= 62) or not 1 <= day <= 31:
            continue
        if not m["letters"].isupper() and not m["letters"].islower():
            continue  # "Pour 2024 1234"-like mixed case is ordinary text
        yield m.span()


# --------------------------------------------------------------------------- bank
_IBAN = re.compile(
    r"(?<![\w])[A-Za-z]{2}\d{2}(?:"
    + _SP
    + r"?[A-Z0-9]{4}){2,7}(?:"
    + _SP
    + r"?[A-Z0-9]{1,3})?(?![\w])"
)
_IBAN_CONTEXT = re.compile(r"(?i:\biban\b|\brib\b|\bbic\b|virement)")
_RIB = re.compile(
    r"(?<![\d])(?P<bank>\d{5})"
    + _SP
    + r"?(?P<branch>\d{5})"
    + _SP
    + r"?(?P<account>[A-Z0-9]{11})"
    + _SP
    + r"?(?P<key>\d{2})(?![\d])"
)
_CARD = re.compile(
    r"(?<![\d])(?:\d{4}(?:[ \-]?\d{4}){2}[ \-]?\d{1,7}|\d{4}[ \-]?\d{6}[ \-]?\d{5})(?![\d])"
)
_CA_ACCOUNT = re.compile(r"(?<![\d])\d{5}[\- ]\d{3}[\- ]\d{7,12}(?![\d])")
_CA_KEYWORDED = re.compile(
    r"(?i:\btransit\s*(?:n[°o]\.?\s*)?[:#]?\s*\d{5}(?!\d)"
    r"|\b(?:n[°o]\.?\s*de\s+)?compte\s*(?:bancaire\s*)?(?:n[°o]\.?\s*)?[:#]?\s*\d{7,12}(?!\d)"
    r"|\baccount\s*(?:number|no\.?|#)?\s*[:#]?\s*\d{7,12}(?!\d))"
)


def iban_valid(iban: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (spaces allowed)."""
    compact = re.sub(r"\s", "", iban).upper()
    if not 15 <= len(compact) <= 34 or not compact.isalnum():
        return False
    rearranged = compact[4:] + compact[:4]
    numeric = "".join(str(int(ch, 36)) for ch in rearranged)
    return int(numeric) % 97 == 1


def luhn_valid(number: str) -> bool:
    """Luhn check of a card number (non-digits ignored)."""
    digits = [int(ch) for ch in number if ch.isdigit()]
    if not 13 <= len(digits) <= 19:
        return False
    total = 0
    for i, digit in enumerate(reversed(digits)):
        doubled = digit * 2 if i % 2 == 1 else digit
        total += doubled - 9 if doubled > 9 else doubled
    return total % 10 == 0


def _rib_valid(bank: str, branch: str, account: str, key: str) -> bool:
    letters = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")
    acc = int(account.translate(letters))
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * acc) % 97 == int(key)


def _ibans(text: str) -> Iterator[tuple[int, int]]:
    for m in _IBAN.finditer(text):
        candidate = m[0]
        # the last group may have swallowed a following word: shorten until the check passes
        for cut in range(len(candidate), 14, -1):
            if iban_valid(candidate[:cut]):
                yield m.start(), m.start() + len(candidate[:cut].rstrip())
                break
        else:
            # a mistyped IBAN still identifies someone: keep it when the member says so, or when
            # it has the shape of an IBAN of the countries members live in
            said = _IBAN_CONTEXT.search(text, max(0, m.start() - 30), m.start()) is not None
            local = m[0][:2].upper() in {"FR", "BE", "CH", "MC", "LU"}
            if (said or local) and len(re.sub(r"\s", "", m[0])) >= 14:
                yield m.span()


def _other_bank(text: str) -> Iterator[tuple[int, int]]:
    for m in _RIB.finditer(text):
        if _rib_valid(m["bank"], m["branch"], m["account"], m["key"]):
            yield m.span()
    for m in _CARD.finditer(text):
        if luhn_valid(m[0]):
            yield m.span()
    for m in _CA_ACCOUNT.finditer(text):
        yield m.span()
    for m in _CA_KEYWORDED.finditer(text):
        yield m.span()


# --------------------------------------------------------------------------- dates of birth
_MONTHS = (
    r"janvier|janv\.?|f[ée]vrier|f[ée]vr?\.?|mars|avril|avr\.?|mai|juin|juillet|juil\.?|"
    r"ao[uû]t|septembre|sept\.?|octobre|oct\.?|novembre|nov\.?|d[ée]cembre|d[ée]c\.?|"
    r"january|february|march|april|may|june|july|august|september|october|november|december"
)
_DATE = re.compile(
    r"(?<![\d/.\-])(?:"
    r"(?P<d>0?[1-9]|[12]\d|3[01])\s?[/.\-]\s?(?P<m>0?[1-9]|1[0-2])"
    r"(?:\s?[/.\-]\s?(?P<y>\d{4}|\d{2}))?"
    r"|(?P<iy>(?:19|20)\d{2})-(?P<im>0[1-9]|1[0-2])-(?P<id>0[1-9]|[12]\d|3[01])"
    r"|(?P<wd>1er|0?[1-9]|[12]\d|3[01])\s+(?P<wm>(?i:" + _MONTHS + r"))(?:\s+(?P<wy>\d{4}))?"
    # month + year: flagged only next to birth words
    r"|(?P<mm2>(?i:" + _MONTHS + r"))\s+(?P<my>(?:19|20)\d{2})"  # month year
    r")(?![\d/]|[.\-]\d)"
)
_BIRTH_CONTEXT = re.compile(
    r"(?i:\bn[ée]e?s?\b(?:\s*\(e\))?|\bn[ée]\(e\)|\bddn\b|\bd\.d\.n\b\.?|\bdob\b|"
    r"date\s+de\s+naissance|\bnaissance\b|\bborn\b|\bbirth(?:day|date)?\b|\banniversaire\b)"
)
_EVENT_CONTEXT = re.compile(
    r"(?i:audience|jugement|ordonnance|r[ée]union|rdv|rendez[- ]vous|depuis|loi|d[ée]cret|"
    r"arr[êe]t[ée]?|circulaire|signalement|placement|convention|contrat|rapport|courrier|"
    r"lettre|mail|entretien|visite|synth[èe]se|commission|jusqu|avant|apr[èe]s|[ée]ch[ée]ance|"
    r"\bdu\b|\bau\b|\bce\b|\bdès\b|\bdes\b|\bentre\b)"
)


def _births(text: str, ref_year: int) -> Iterator[tuple[int, int]]:
    for m in _DATE.finditer(text):
        before = text[max(0, m.start() - 32) : m.start()]
        # the birth wording must sit in the same sentence, just before the date
        clause = re.split(r"[.;!?\n]\s", before)[-1]
        if _BIRTH_CONTEXT.search(clause):
            yield m.span()
            continue
        year_text = m["y"] or m["iy"] or m["wy"]
        if year_text is None or len(year_text) != 4:
            continue
        year = int(year_text)
        if not ref_year - 100 <= year <= ref_year - 12:
            continue
        if _EVENT_CONTEXT.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        yield m.span()


# --------------------------------------------------------------------------- addresses
_NAME_WORD = r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’\-]*"
_STRONG_STREET = (
    r"rue|ruelle|avenue|av\.|boulevard|boul\.|bd|blvd|chemin|ch\.|all[ée]e|impasse|imp\.|"
    r"faubourg|fbg|street|st\.|road|rd\."
)
_WEAK_STREET = (
    r"place|pl\.|route|rte|rang|quai|cours|square|mont[ée]e|c[ôo]te|voie|passage|cit[ée]|"
    r"promenade|r[ée]sidence|sentier|lotissement|hameau|terrasse|croissant|carr[ée]"
)
_ADDRESS = re.compile(
    r"(?<![\w,.])(?P<num>\d{1,5})(?:" + _SP + r"?(?i:bis|ter|[a-d])\b)?,?" + _SP + r"+"
    r"(?:(?P<strong>(?i:" + _STRONG_STREET + r"))" + _SP + r"+(?:(?i:de la|de l'|de|du|des|d'|"
    r"la|le|les|l')" + _SP + r"*)?[\wÀ-ÿ'’\-]{2,}"
    r"|(?P<weak>(?i:" + _WEAK_STREET + r"))" + _SP + r"+(?:(?i:de la|de l'|de|du|des|d'|la|le|"
    r"les|l')" + _SP + r"*)?(?:" + _NAME_WORD + r"|\d{1,4}\b))"
)
_FR_POSTCODE = re.compile(
    r"(?<![\d\w])(?:0[1-9]|[1-8]\d|9[0-8])\d{3}" + _SP + r"+(?P<city>" + _NAME_WORD + r")"
)
_CA_POSTCODE = re.compile(
    r"(?<![\w])(?:[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z][ \-]?\d[ABCEGHJ-NPRSTV-Z]\d"
    r"|(?i:[abceghj-nprstvxy]\d[abceghj-nprstv-z])" + _SP + r"(?i:\d[abceghj-nprstv-z]\d))"
    r"(?![\w])"
)
_NOT_CITIES: Final = frozenset(
    {
        "euros",
        "eur",
        "euro",
        "dollars",
        "personnes",
        "habitants",
        "jeunes",
        "familles",
        "cas",
        "dossiers",
        "ménages",
        "enfants",
        "places",
        "appels",
        "signalements",
        "heures",
    }
)


def _addresses(text: str) -> Iterator[tuple[int, int]]:
    for m in _ADDRESS.finditer(text):
        yield m.span()
    for m in _FR_POSTCODE.finditer(text):
        if m["city"].lower() not in _NOT_CITIES:
            yield m.span()
    for m in _CA_POSTCODE.finditer(text):
        yield m.span()


# --------------------------------------------------------------------------- civility + name
_CIVILITY = re.compile(
    r"(?<![\w.])(?:(?i:madame|monsieur|mademoiselle|mme|mlle|mrs|mr|ms)\.?|M\.?)"
    r"(?:" + _SP + r"+(?P<particle>(?:de la|de|du|des|d'|van|von|da|di|ben|el|al)" + _SP + r"*)?)"
    r"(?P<name>[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?|[A-ZÀ-ÖØ-Þ]{2,}(?:-[A-Z]+)?)"
    r"(?P<more>(?:" + _SP + r"+(?:[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+(?:-[A-ZÀ-ÖØ-Þ][a-zà-öø-ÿ'’]+)?"
    r"|[A-ZÀ-ÖØ-Þ]{2,})){0,2})"
    r"(?![\w])"
)
_NOT_NAME_WORDS: Final = (
    # articles, pronouns and words that start a sentence after a stray "M."
    "Le La Les L Un Une Des Mon Ma Mes Ton Ta Son Sa Ses Notre Votre Leur Ce Cet Cette Ces "
    "Il Elle Ils Elles Je Tu On Nous Vous Et Ou Mais Donc Car Ni Or Si Puis Ensuite Alors "
    "Enfin Bref Bon Bien Oui Non Merci Bonjour Bonsoir Salut Hello Voilà Voila Quand "
    "Comme Dans Pour Par Sur Sous Avec Sans Chez Depuis Après Apres Avant Pendant Aujourd "
    "Demain Hier Tout Tous Toute Toutes Rien Personne Quelqu Ça Ca Cela Ceci Là "
    # titles and functions, not names
    "Juge Juges Maire Directeur Directrice Président Présidente President Ministre Préfet "
    "Prefet Procureur Procureure Professeur Professeure Docteur Docteure Dr Maître Maitre "
    "Avocat Avocate Éducateur Educateur Éducatrice Educatrice Intervenant Intervenante "
    "Curateur Curatrice Tuteur Tutrice Chef Cheffe Responsable Madame Monsieur Mademoiselle "
    "Tout-le-monde Propre X Y Z "
    # acronyms of the field that can follow a civility in running text
    "AS ES ASE DPJ CAF CLSC CCAS CHRS CIUSSS CISSS MDPH PMI JE SPIP PJJ AEMO RSA IP CMP "
    "MECS ITEP IME ESAT DASEN"
)
_NOT_NAMES: Final = frozenset(word.lower() for word in _NOT_NAME_WORDS.split())


def _names(text: str) -> Iterator[tuple[int, int]]:
    for m in _CIVILITY.finditer(text):
        name = m["name"]
        if name.lower() in _NOT_NAMES:
            continue
        if m["particle"] is None and len(name) < 2:
            continue
        yield m.span()


# --------------------------------------------------------------------------- the scan
# (kind, detector, takes part in overlap resolution). Earlier detectors win overlaps among
# numeric kinds, so a NIR is not also read as a phone number or a card.
_Detector = Callable[[str, int], Iterator[tuple[int, int]]]
_PIPELINE: Final[tuple[tuple[str, _Detector, bool], ...]] = (
    ("email", lambda t, _y: ((m.start(), m.end()) for m in _EMAIL.finditer(t)), True),
    ("bank", lambda t, _y: _ibans(t), True),
    ("nir", lambda t, _y: _nirs(t), True),
    ("bank", lambda t, _y: _other_bank(t), True),
    ("nam", lambda t, _y: _nams(t), True),
    ("phone", lambda t, _y: _phones(t), True),
    ("birth_date", _births, True),
    ("address", lambda t, _y: _addresses(t), False),
    ("civility_name", lambda t, _y: _names(t), False),
)


def scan(text: str, *, ref_year: int | None = None) -> list[Finding]:
    """Every identifying detail found in ``text``, sorted by position.

    ``ref_year`` (default: this year) bounds the plausible birth years of bare dates.
    """
    year = date.today().year if ref_year is None else ref_year
    taken: list[tuple[int, int]] = []
    findings: set[Finding] = set()
    for kind, detect, exclusive in _PIPELINE:
        for start, end in detect(text, year):
            if exclusive:
                if any(start < e and s < end for s, e in taken):
                    continue
                taken.append((start, end))
            findings.add(Finding(kind, start, end))
    return sorted(findings, key=lambda f: (f.start, f.end, KINDS.index(f.kind)))


def kinds_found(text: str, *, ref_year: int | None = None) -> list[str]:
    """The distinct kinds found in ``text``, in the fixed order of ``KINDS``."""
    present = {f.kind for f in scan(text, ref_year=ref_year)}
    return [kind for kind in KINDS if kind in present]
