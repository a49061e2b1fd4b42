"""Numbers and codes that point at one person: checked with python-stdnum and phonenumbers.

Each detector yields ``(kind, start, end)``. Decisions (tested in tests/unit/test_secrecy_*.py):

- phone numbers are candidates of 8 to 15 digits that ``phonenumbers`` finds valid for France,
  Canada, Belgium or Switzerland (or for any country when written with + / 00); toll-free,
  shared-cost and premium numbers are a service's, never a person's line; short public numbers
  (3114, 119, 15, 811, 988 …) never reach eight digits;
- checksums decide for NIR (``stdnum.fr.nir``), IBAN, SIRET/SIREN, card numbers (Luhn) and the
  Canadian social insurance number (Luhn); a number that fails its checksum still counts when the
  member says what it is (« NAS », « numéro de sécu », « IBAN »);
- the Québec health-insurance number (NAM) has no public checksum: four letters, then a birth
  date whose month may carry +50 (women), then two digits;
- a birth date needs birth wording (« né le », « DDN ») or a full date whose year is a plausible
  birth year with no event word before it; a birth year alone needs birth wording
  (« né en 2009 », « née en 87 »);
- the Belgian national register number (``stdnum.be.nn``, and its BIS variant) and the Swiss
  AVS/AHV number (``stdnum.ch.ssn``, 756 and an EAN-13 check digit) are national identifiers: a
  valid checksum counts, and so does a malformed one when the member names it (« NN », « AVS »);
- the numbers of the help lines the bot itself ships (``data/ressources/lignes.toml``, calls and
  texts) are services, never a person's line;
- case and file numbers need their word (« dossier », « allocataire », « RG » …) and at least four
  digits, so « art. 38 » and « L.223-1 » stay clean.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Final

import phonenumbers
from stdnum import iban as std_iban
from stdnum import luhn
from stdnum.be import bis as std_be_bis
from stdnum.be import nn as std_be_nn
from stdnum.ch import ssn as std_ch_ssn
from stdnum.fr import nir as std_nir
from stdnum.fr import siren as std_siren
from stdnum.fr import siret as std_siret

Hit = tuple[str, int, int]

_NIR_DIGITS = 15  # 13 digits and a 2-digit key
_YEAR_DIGITS = 4
_SP = r"[ \u00a0\u202f]"
_SEP = r"[ \u00a0\u202f.\-\u2010\u2011\u2013]"


def _digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _said(pattern: re.Pattern[str], text: str, start: int, before: int = 40) -> bool:
    return pattern.search(text, max(0, start - before), start) is not None


# ------------------------------------------------------------------------------------ e-mail
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}(?![\w-])")


def emails(text: str) -> Iterator[Hit]:
    for m in _EMAIL.finditer(text):
        yield "email", m.start(), m.end()


# ------------------------------------------------------------------------------------ NIR
_NIR = re.compile(
    r"(?<![\w])[1-478][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[ABab])[ .]?\d{3}[ .]?\d{3}"
    r"(?:[ .]?\d{2})?(?![\w])"
)
_NIR_SAID = re.compile(
    r"(?i:s[ée]cu\b|s[ée]curit[ée]\s+sociale|\bnir\b|carte\s+vitale|\bss\b|insee|\bn°\s*ss)"
)


def nir_key(number13: str) -> int:
    """The NIR control key: 97 − (number mod 97), with Corsica's 2A/2B read as 19/18."""
    return int(std_nir.calc_check_digits(number13.upper()))


def nirs(text: str) -> Iterator[Hit]:
    for m in _NIR.finditer(text):
        compact = re.sub(r"[ .]", "", m[0])
        valid = len(compact) == _NIR_DIGITS and std_nir.is_valid(compact)
        if valid or _said(_NIR_SAID, text, m.start()):
            yield "nir", m.start(), m.end()


# ------------------------------------------------------------------------------------ SIN / SIREN
_NINE = re.compile(r"(?<![\w\-./])\d{3}[ \u00a0\-]?\d{3}[ \u00a0\-]?\d{3}(?![\w]|[.\-/]\d)")
_SIN_SAID = re.compile(
    r"(?i:\bnas\b|\bsin\b|assurance[\s-]+sociale|social\s+insurance|\bn\.a\.s\b)"
)
_SIREN_SAID = re.compile(
    r"(?i:\bsiren\b|\bsiret\b|entreprise|auto-?entrepreneur|micro-?entreprise)"
)
_SIRET = re.compile(r"(?<![\w])\d{3}[ \u00a0]?\d{3}[ \u00a0]?\d{3}[ \u00a0]?\d{5}(?![\w])")


def sins_and_sirens(text: str) -> Iterator[Hit]:
    for m in _SIRET.finditer(text):
        if std_siret.is_valid(_digits(m[0])) or _said(_SIREN_SAID, text, m.start()):
            yield "siret", m.start(), m.end()
    for m in _NINE.finditer(text):
        number = _digits(m[0])
        if _said(_SIREN_SAID, text, m.start()):
            yield "siret", m.start(), m.end()
        elif _said(_SIN_SAID, text, m.start(), 50) or (
            luhn.is_valid(number) and not number.startswith(("0", "8"))
        ):
            yield "sin", m.start(), m.end()
        elif std_siren.is_valid(number) and number[0] == "0":
            continue


# ------------------------------------------------------------------------------------ BE / CH
_BE_NN = re.compile(
    r"(?<![\w.\-])\d{2}[ .]?\d{2}[ .]?\d{2}[ .\-]?\d{3}[ .\-]?\d{2}(?![\w]|[.\-]\d)"
)
_BE_NN_SAID = re.compile(
    r"(?i:\bnn\b|\bn\.n\.|registre\s+national|num[ée]ro\s+national|rijksregister|"
    r"\bniss\b|carte\s+d['’]identit[ée]|\beid\b|num[ée]ro\s+bis)"
)
_CH_AVS = re.compile(r"(?<![\w.\-])756[ .]?\d{4}[ .]?\d{4}[ .]?\d{2}(?![\w]|[.\-]\d)")
_CH_AVS_SAID = re.compile(r"(?i:\bavs\b|\bahv\b|\bnavs\b|\bassurance[\s-]+vieillesse)")


def national_ids(text: str) -> Iterator[Hit]:
    """Belgian national register (and BIS) numbers, Swiss AVS/AHV numbers."""
    for m in _CH_AVS.finditer(text):
        if std_ch_ssn.is_valid(_digits(m[0])) or _said(_CH_AVS_SAID, text, m.start()):
            yield "national_id", m.start(), m.end()
    for m in _BE_NN.finditer(text):
        number = _digits(m[0])
        valid = std_be_nn.is_valid(number) or std_be_bis.is_valid(number)
        if valid or _said(_BE_NN_SAID, text, m.start(), 50):
            yield "national_id", m.start(), m.end()


# ------------------------------------------------------------------------------------ NAM (Québec)
_NAM = re.compile(
    r"(?<![\w])(?P<letters>[A-Za-z]{4})"
    + _SP
    + r"?(?P<yy>\d{2})(?P<mm>\d{2})"
    + _SP
    + r"?(?P<dd>\d{2})(?P<adm>\d{2})(?![\w])"
)
_MONTH_MAX, _FEMALE_OFFSET, _DAY_MAX = 12, 50, 31


def nams(text: str) -> Iterator[Hit]:
    for m in _NAM.finditer(text):
        month, day = int(m["mm"]), int(m["dd"])
        if month > _FEMALE_OFFSET:
            month -= _FEMALE_OFFSET
        if not 1 <= month <= _MONTH_MAX or not 1 <= day <= _DAY_MAX:
            continue
        if not m["letters"].isupper() and not m["letters"].islower():
            continue  # "Pour 2024 1234"-like mixed case is ordinary text
        yield "nam", m.start(), m.end()


# ------------------------------------------------------------------------------------ bank
_IBAN = re.compile(
    r"(?<![\w])[A-Za-z]{2}\d{2}(?:"
    + _SP
    + r"?[A-Z0-9]{4}){2,7}(?:"
    + _SP
    + r"?[A-Z0-9]{1,3})?(?![\w])"
)
_IBAN_SAID = re.compile(r"(?i:\biban\b|\brib\b|\bbic\b|virement)")
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
_MIN_IBAN, _MAX_IBAN, _CARD_MIN, _CARD_MAX = 15, 34, 13, 19


def iban_valid(value: str) -> bool:
    """ISO 13616 mod-97 check of an IBAN (spaces allowed)."""
    return std_iban.is_valid(value)


def luhn_valid(number: str) -> bool:
    """Luhn check of a card number (non-digits ignored)."""
    digits = _digits(number)
    return _CARD_MIN <= len(digits) <= _CARD_MAX and luhn.is_valid(digits)


def _rib_valid(bank: str, branch: str, account: str, key: str) -> bool:
    letters = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")
    acc = int(account.translate(letters))
    return 97 - (89 * int(bank) + 15 * int(branch) + 3 * acc) % 97 == int(key)


def banks(text: str) -> Iterator[Hit]:
    for m in _IBAN.finditer(text):
        candidate = m[0]
        # the last group may have swallowed a following word: shorten until the check passes
        for cut in range(len(candidate), _MIN_IBAN - 1, -1):
            if iban_valid(candidate[:cut]):
                yield "bank", m.start(), m.start() + len(candidate[:cut].rstrip())
                break
        else:
            said = _said(_IBAN_SAID, text, m.start(), 30)
            local = m[0][:2].upper() in {"FR", "BE", "CH", "MC", "LU"}
            if (said or local) and len(re.sub(r"\s", "", m[0])) >= _MIN_IBAN - 1:
                yield "bank", m.start(), m.end()


def other_banks(text: str) -> Iterator[Hit]:
    for m in _RIB.finditer(text):
        if _rib_valid(m["bank"], m["branch"], m["account"], m["key"]):
            yield "bank", m.start(), m.end()
    for m in _CARD.finditer(text):
        if luhn_valid(m[0]):
            yield "bank", m.start(), m.end()
    for pattern in (_CA_ACCOUNT, _CA_KEYWORDED):
        for m in pattern.finditer(text):
            yield "bank", m.start(), m.end()


# ------------------------------------------------------------------------------------ phones
_PHONE = re.compile(
    r"(?<![\w+])(?:\+|00)?\(?\d[\d \u00a0\u202f.\-\u2010\u2011\u2013()]{6,22}\d(?![\w])"
)
_EUROPE: Final = ("FR", "BE", "CH")
_NANP = 10  # digits of a Canadian number without its leading 1
_SERVICE_TYPES: Final = frozenset(
    {
        phonenumbers.PhoneNumberType.TOLL_FREE,
        phonenumbers.PhoneNumberType.SHARED_COST,
        phonenumbers.PhoneNumberType.PREMIUM_RATE,
        phonenumbers.PhoneNumberType.UAN,
    }
)
_MIN_PHONE, _MAX_PHONE = 8, 15


def _personal_number(candidate: str) -> bool:
    regions: tuple[str | None, ...]
    digits = _digits(candidate)
    if candidate.startswith(("+", "00")):
        candidate = "+" + candidate[2:] if candidate.startswith("00") else candidate
        regions = (None,)
    elif digits.startswith("0"):  # the trunk prefix of France, Belgium and Switzerland
        regions = _EUROPE
    elif len(digits) == _NANP or (len(digits) == _NANP + 1 and digits[0] == "1"):
        regions = ("CA",)
    else:
        return False
    for region in regions:
        try:
            number = phonenumbers.parse(candidate, region)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_valid_number(number):
            return phonenumbers.number_type(number) not in _SERVICE_TYPES
    return False


# « 0496/47.82.13 », « 02/512.34.56 »: the Belgian way, the zone or mobile prefix before a slash
_BE_SLASH = re.compile(r"(?<![\w/.])0\d{1,3}/ ?\d{2,3}(?:[ .]?\d{2,3}){1,3}(?![\w/]|[.]\d)")
HELP_LINES: Final = Path(__file__).resolve().parents[2] / "data" / "ressources" / "lignes.toml"
_SERVICE_FIELDS: Final = frozenset({"numero", "valeur"})


def _national_digits(digits: str) -> str:
    """« 1 514 600-1002 » and « 514 600-1002 » alike: without a Canadian leading 1."""
    return digits[1:] if len(digits) == _NANP + 1 and digits[0] == "1" else digits


@cache
def service_numbers() -> frozenset[str]:
    """The digits of every number of the shipped help lines (calls and texts)."""
    found: set[str] = set()

    def walk(value: object, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                walk(v, k)
        elif isinstance(value, list):
            for v in value:
                walk(v, key)
        elif isinstance(value, str) and key in _SERVICE_FIELDS:
            digits = _digits(value)
            if len(digits) >= _MIN_PHONE:
                found.add(_national_digits(digits))

    try:
        walk(tomllib.loads(HELP_LINES.read_text(encoding="utf-8")))
    except (OSError, tomllib.TOMLDecodeError):
        return frozenset()
    return frozenset(found)


def phones(text: str) -> Iterator[Hit]:
    for m in _PHONE.finditer(text):
        value = m[0].rstrip(" ).-")
        if "/" in value:
            continue
        digits = _digits(value)
        if not _MIN_PHONE <= len(digits) <= _MAX_PHONE:
            continue
        if _national_digits(digits) in service_numbers():
            continue  # a help line the bot itself lists
        if _personal_number(value.lstrip("(") if value.count("(") > value.count(")") else value):
            yield "phone", m.start(), m.start() + len(value)
    for m in _BE_SLASH.finditer(text):
        digits = _digits(m[0])
        in_range = _MIN_PHONE <= len(digits) <= _MAX_PHONE
        if in_range and digits not in service_numbers() and _personal_number(digits):
            yield "phone", m.start(), m.end()


# ------------------------------------------------------------------------------------ birth dates
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
    r"|(?P<mm2>(?i:" + _MONTHS + r"))\s+(?P<my>(?:19|20)\d{2})"
    r")(?![\d/]|[.\-]\d)"
)
_BIRTH_SAID = re.compile(
    r"(?i:\bn[ée]e?s?\b(?:\s*\(e\))?|\bn[ée]\(e\)|\bddn\b|\bd\.d\.n\b\.?|\bdob\b|"
    r"date\s+de\s+naissance|\bnaissance\b|\bborn\b|\bbirth(?:day|date)?\b|\banniversaire\b)"
)
_EVENT_SAID = re.compile(
    r"(?i:audience|jugement|ordonnance|r[ée]union|rdv|rendez[- ]vous|depuis|loi|d[ée]cret|"
    r"arr[êe]t[ée]?|circulaire|signalement|placement|convention|contrat|rapport|courrier|"
    r"lettre|mail|entretien|visite|synth[èe]se|commission|jusqu|avant|apr[èe]s|[ée]ch[ée]ance|"
    r"\bdu\b|\bau\b|\bce\b|\bdès\b|\bdes\b|\bentre\b)"
)
_BIRTH_YEAR = re.compile(
    r"(?i:\b(?:n[ée]e?s?|n[ée]\(e\)|born)\b(?:\s*\(e\))?\s+(?:en|in|vers|au\s+d[ée]but\s+de)"
    r"\s+(?:(?:19|20)\d{2}|'?\d{2})\b"
    r"|\b(?:ann[ée]e\s+de\s+naissance|naissance)\s*:?\s*(?:en\s+)?(?:19|20)\d{2}\b"
    r"|\bclasse\s+(?:19|20)\d{2}\b(?=\s*(?:,|\(|$)))"
)
_ADULT_AGE, _OLDEST = 12, 100


_SELF = re.compile(r"(?i:\b(?:je\s+suis|moi\s*,?\s*je\s+suis|j['’]suis|suis)\s*$)")


def births(text: str, ref_year: int) -> Iterator[Hit]:
    for m in _BIRTH_YEAR.finditer(text):
        if _SELF.search(text[max(0, m.start() - 20) : m.start()]):
            continue  # « je suis née en 1985 »: the member speaks of herself
        yield "birth_date", m.start(), m.end()
    for m in _DATE.finditer(text):
        before = text[max(0, m.start() - 32) : m.start()]
        clause = re.split(r"[.;!?\n]\s", before)[-1]  # the birth wording sits just before
        if _BIRTH_SAID.search(clause):
            yield "birth_date", m.start(), m.end()
            continue
        year_text = m["y"] or m["iy"] or m["wy"]
        if year_text is None or len(year_text) != _YEAR_DIGITS:
            continue
        if not ref_year - _OLDEST <= int(year_text) <= ref_year - _ADULT_AGE:
            continue
        if _EVENT_SAID.search(text[max(0, m.start() - 20) : m.start()]):
            continue
        yield "birth_date", m.start(), m.end()


# ------------------------------------------------------------------------------------ case numbers
_CASE = re.compile(
    r"(?i:\b(?:n[°o]\.?|num[ée]ro|no\.?|#|r[ée]f[ée]rence|r[ée]f\.?)?\s*(?:de\s+|d['’]\s*)?"
    r"(?:dossier|allocataire|matricule|usager|b[ée]n[ée]ficiaire|client|patient|d[ée]tenu|"
    r"[ée]crou|rg|parquet|pv|proc[èe]s-verbal|plainte|identifiant|fiscal|france\s+travail|"
    r"p[ôo]le\s+emploi|caf|msa|cpam|ramq|saaq|chambre|cellule|carte\s+d['’]identit[ée]|"
    r"passeport|permis\s+de\s+conduire|titre\s+de\s+s[ée]jour|r[ée]c[ée]piss[ée])"
    r"(?:\s+(?:de\s+la|du|de|d['’])\s*[\wÀ-ÿ]+)?)"
    r"\s*(?:n[°o]\.?|num[ée]ro|no\.?|#|:)?\s*(?P<code>[A-Za-z]{0,4}[\s\-/.]?\d[\dA-Za-z\-/.]{3,20})"
)
_PLAIN_CODE = re.compile(r"(?i:\b(?:n[°o]|r[ée]f\.?)\s*:?\s*(?P<code>\d{2,4}[\-/]\d{3,8})\b)")
_MIN_CASE_DIGITS = 4


def case_numbers(text: str) -> Iterator[Hit]:
    for pattern in (_CASE, _PLAIN_CODE):
        for m in pattern.finditer(text):
            code = m["code"].rstrip(".-/")
            if len(_digits(code)) < _MIN_CASE_DIGITS:
                continue
            yield "case_number", m.start(), m.start("code") + len(code)


# ------------------------------------------------------------------------------------ plates
_PLATE_SIV = re.compile(r"(?<![\w-])[A-HJ-NP-TV-Z]{2}[\- ]\d{3}[\- ][A-HJ-NP-TV-Z]{2}(?![\w-])")
_PLATE_FNI = re.compile(
    r"(?<![\w-])\d{1,4}[ ]?[A-Z]{2,3}[ ]?(?:0[1-9]|[1-8]\d|9[0-5]|2[AB])(?![\w-])"
)
_PLATE_OTHER = re.compile(
    r"(?<![\w-])(?:[A-Z]{3}[ \-]?\d{3,4}|\d{3}[ \-]?[A-Z]{3}|[A-Z]\d{2}[ \-]?[A-Z]{3}|"
    r"\d-[A-Z]{3}-\d{3}|[A-Z]{2}[ ]?\d{3,6})(?![\w-])"
)
_PLATE_SAID = re.compile(
    r"(?i:plaque|immatricul|immat\b|v[ée]hicule|voiture|auto\b|char\b|camion|pick-?up|"
    r"moto|scooter|license\s+plate)"
)


def plates(text: str) -> Iterator[Hit]:
    for m in _PLATE_SIV.finditer(text):
        yield "plate", m.start(), m.end()
    for pattern in (_PLATE_FNI, _PLATE_OTHER):
        for m in pattern.finditer(text):
            if _said(_PLATE_SAID, text, m.start(), 60):
                yield "plate", m.start(), m.end()
