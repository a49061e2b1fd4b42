"""The professional-secrecy guard: per-kind checks and the labelled corpus."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.secrecy.guard import KINDS, Finding, kinds_found, scan
from bot.secrecy.model import active
from bot.secrecy.numbers import iban_valid, luhn_valid, nir_key

CORPUS = Path(__file__).parent / "data" / "guard_corpus.toml"
REF_YEAR = 2026  # fixed, so the corpus figures do not move with the calendar


@pytest.fixture(scope="module", autouse=True)
def language_model() -> None:
    """The guard with its model, as the bot runs it (loaded once per test process)."""
    assert active().load(timeout=300), active().error


def kinds(text: str) -> list[str]:
    return kinds_found(text, ref_year=REF_YEAR)


# ---------------------------------------------------------------- phone
@pytest.mark.parametrize(
    "text",
    [
        "joindre au 06 12 34 56 78 demain",
        "06.12.34.56.78",
        "06-12-34-56-78",
        "0612345678",
        "+33 6 12 34 56 78",
        "+33 (0)6 12 34 56 78",
        "0033 6 12 34 56 78",
        "01 42 68 53 00",
        "514-555-1234",
        "(514) 555-1234",
        "+1 514 555 1234",
        "1-514-555-1234",
        "514.555.0199",
        "+32 470 12 34 56",
        "079 123 45 67",
    ],
)
def test_phone_numbers_are_found(text: str) -> None:
    assert kinds(text) == ["phone"]


@pytest.mark.parametrize(
    "text",
    [
        "appelle le 3114",
        "le 119, le 15, le 17, le 18, le 112, le 114",
        "988, 811 option 2, 211, 911",
        "1 800 263-2266",
        "1-866-277-3553",
        "1 866 APPELLE",
        "0 800 235 236",
        "0800 23 13 13",
        "de 9h à 17h, puis 18h30",
        "1 200 € et 850 $",
        "poste 4521",
    ],
)
def test_short_public_and_toll_free_numbers_are_not_phones(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- e-mail
@pytest.mark.parametrize(
    "text", ["kevin.l.2009@hotmail.fr", "écris à Marie-Eve.Cote@CSSDM.gouv.qc.ca stp"]
)
def test_emails_are_found(text: str) -> None:
    assert kinds(text) == ["email"]


def test_an_at_sign_alone_is_not_an_email() -> None:
    assert kinds("on se voit @ 14h au CLSC, @ tout le monde") == []


# ---------------------------------------------------------------- NIR
def test_nir_key_is_97_minus_number_mod_97() -> None:
    assert nir_key("1850575123456") == 97 - 1850575123456 % 97


def test_nir_key_reads_corsica_2a_2b_as_19_18() -> None:
    assert nir_key("185052A004012") == 97 - 1850519004012 % 97
    assert nir_key("203072B012034") == 97 - 2030718012034 % 97


@pytest.mark.parametrize(
    "text",
    [
        "1 85 05 75 123 456 73",
        "185057512345673",
        "1 85 05 2A 004 012 70",
        "2 03 07 2B 012 034 52",
    ],
)
def test_nir_with_a_valid_key_is_found(text: str) -> None:
    assert kinds(text) == ["nir"]


def test_nir_with_a_wrong_key_needs_context() -> None:
    assert kinds("1 85 05 75 123 456 74") == []
    assert kinds("numéro de sécu 1 85 05 75 123 456 74") == ["nir"]
    assert kinds("NIR 1 85 05 75 123 456") == ["nir"]


# ---------------------------------------------------------------- NAM
@pytest.mark.parametrize("text", ["TREM 8503 1512", "GAGL 8856 2211", "bouc92101511"])
def test_nam_is_found(text: str) -> None:
    assert kinds(text) == ["nam"]


def test_nam_needs_a_plausible_month_and_day() -> None:
    assert kinds("ABCD 8513 4512") == []  # month 13
    assert kinds("Pour 2024 1234") == []


# ---------------------------------------------------------------- dates of birth
@pytest.mark.parametrize(
    "text",
    [
        "né le 12/03/1987",
        "née le 3 avril 2019",
        "DDN : 14/07/2011",
        "D.D.N. 29/02/1996",
        "date de naissance : 1992-11-03",
        "born 1979-08-17",
        "né(e) le 30.01.2015",
        "née le 8 mars",
        "née en mars 2001",
        "fiche : Kévin, 17/02/1998, sans domicile",
    ],
)
def test_birth_dates_are_found(text: str) -> None:
    assert kinds(text) == ["birth_date"]


@pytest.mark.parametrize(
    "text",
    [
        "le 12/12 à 14h",
        "le jugement du 15/03/2023",
        "depuis le 03/09/2010",
        "la loi du 5 mars 2007",
        "le colloque du 18/05/2026",
        "en 2024",
        "un jeune de 16 ans",
    ],
)
def test_meeting_and_event_dates_are_not_birth_dates(text: str) -> None:
    assert kinds(text) == []


def test_bare_date_window_follows_ref_year() -> None:
    assert kinds_found("fiche : 17/02/2010", ref_year=2026) == ["birth_date"]
    assert kinds_found("fiche : 17/02/2010", ref_year=2015) == []


# ---------------------------------------------------------------- addresses
@pytest.mark.parametrize(
    "text",
    [
        "12 rue des Lilas",
        "4 bis avenue Jean-Jaurès",
        "1450, boulevard Saint-Laurent",
        "27 chemin des Patriotes",
        "8 impasse du Moulin",
        "215 rang Saint-Joseph",
        "5 place Bellecour",
        "69003 Lyon",
        "H2X 1Y4",
        "g1r 4p5",
    ],
)
def test_addresses_are_found(text: str) -> None:
    assert kinds(text) == ["address"]


@pytest.mark.parametrize(
    "text",
    [
        "il reste 1 place au CHRS",
        "3 rues à pied",
        "2 avenues de travail",
        "un budget de 35000 euros",
        "au 3e étage, porte 12",
    ],
)
def test_ordinary_numbers_near_street_words_are_not_addresses(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- bank
def test_iban_mod_97() -> None:
    assert iban_valid("FR76 3000 6000 0112 3456 7890 189")
    assert not iban_valid("FR76 3000 6000 0112 3456 7890 188")


def test_luhn() -> None:
    assert luhn_valid("4970 1012 3456 7893")
    assert not luhn_valid("4970 1012 3456 7890")


@pytest.mark.parametrize(
    "text",
    [
        "FR76 3000 6000 0112 3456 7890 189",
        "FR7630006000011234567890189",
        "BE68 5390 0754 7034",
        "4970 1012 3456 7893",
        "transit 00123, institution 815, compte 1234567",
        "00123-815-4567890",
        "IBAN FR76 3000 6000 0112 3456 7890 188",  # typo, but said to be an IBAN
    ],
)
def test_bank_details_are_found(text: str) -> None:
    assert kinds(text) == ["bank"]


def test_a_card_number_failing_luhn_is_not_flagged() -> None:
    assert kinds("4970 1012 3456 7890") == []


# ---------------------------------------------------------------- civility + name
@pytest.mark.parametrize(
    "text",
    [
        "Mme Dupont",
        "Mme. Dupont",
        "M. Jean Tremblay",
        "Monsieur Ahmed Benali",
        "Madame Nguyen",
        "Mlle Rousseau",
        "Mr Lapointe",
        "Mrs Smith",
        "Ms Taylor",
        "M. DUPUIS",
        "Mme de Villiers",
        "Monsieur Émile Côté-Lavoie",
    ],
)
def test_names_after_a_civility_are_found(text: str) -> None:
    assert kinds(text) == ["civility_name"]


@pytest.mark.parametrize(
    "text",
    [
        "M. le juge",
        "Madame la juge",
        "Mme X. refuse",
        "M. D. est sorti",
        "la famille M. Ensuite on verra",
        "J'ai eu M. au téléphone.",
        "Bonjour Madame, je vous écris",
        "article L. 226-2-2 du CASF",
        "art. 38 LPJ",
    ],
)
def test_titles_initials_and_sentence_ends_are_not_names(text: str) -> None:
    assert kinds(text) == []


# ---------------------------------------------------------------- API
def test_findings_hold_spans_and_no_text() -> None:
    text = "Mme Dupont, 06 12 34 56 78"
    findings = scan(text, ref_year=REF_YEAR)
    assert [f.kind for f in findings] == ["civility_name", "phone"]
    assert text[findings[1].start : findings[1].end] == "06 12 34 56 78"
    for f in findings:
        assert "Dupont" not in repr(f) and "06" not in repr(f)
        assert not hasattr(f, "text")


def test_finding_rejects_unknown_kinds() -> None:
    with pytest.raises(ValueError):
        Finding("secret", 0, 1)


def test_kinds_found_is_distinct_and_in_enum_order() -> None:
    text = "M. Karim Haddad, 07 81 22 33 44, 06 12 34 56 78, 17 rue Victor-Hugo"
    assert kinds(text) == ["phone", "address", "civility_name"]
    assert {
        "phone",
        "email",
        "nir",
        "nam",
        "birth_date",
        "address",
        "bank",
        "civility_name",
    } <= set(KINDS)


def test_a_nir_is_not_also_a_phone_or_a_card() -> None:
    assert kinds("185057512345673") == ["nir"]


# ---------------------------------------------------------------- the corpus
def load_corpus() -> list[dict]:
    with CORPUS.open("rb") as f:
        return tomllib.load(f)["message"]


def test_corpus_is_large_and_labelled() -> None:
    messages = load_corpus()
    identifying = [m for m in messages if m["kinds"]]
    clean = [m for m in messages if not m["kinds"]]
    assert len(messages) >= 150 and len(identifying) >= 60 and len(clean) >= 90
    for m in messages:
        assert set(m["kinds"]) <= set(KINDS), m["kinds"]
    for kind in ("phone", "email", "nir", "nam", "birth_date", "address", "bank", "civility_name"):
        assert sum(kind in m["kinds"] for m in messages) >= 3, kind


def test_corpus_detection_and_false_alarm_rates(capsys: pytest.CaptureFixture[str]) -> None:
    messages = load_corpus()
    identifying = [m for m in messages if m["kinds"]]
    clean = [m for m in messages if not m["kinds"]]
    detected = sum(set(m["kinds"]) <= set(kinds(m["text"])) for m in identifying)
    alarms = sum(bool(scan(m["text"], ref_year=REF_YEAR)) for m in clean)
    detection = detected / len(identifying)
    false_alarms = alarms / len(clean)
    with capsys.disabled():
        print(
            f"\nguard corpus: {len(messages)} messages, detection {detection:.3f} "
            f"({detected}/{len(identifying)}), false alarms {false_alarms:.3f} "
            f"({alarms}/{len(clean)})"
        )
    assert detection >= 0.95
    assert false_alarms <= 0.05
