"""The help-line file and its loader."""

from __future__ import annotations

import pytest

from cogs.soutien.resources import (
    REGIONS,
    Ligne,
    LignesError,
    by_region,
    load_by_region,
    load_lignes,
    parse_lignes,
)

GOOD = """\
# a comment
[[ligne]]
region = "FR"
nom = "3114"
numero = "3114"
pour = "Prévention du suicide."
horaires = "24 h/24, 7 j/7"
source = "https://3114.fr/"
verifie = true
verifie_note = "checked"

[[ligne]]
region = "QC"
nom = "1 866 APPELLE"
numero = "1 866 277-3553"
pour = "Prévention du suicide au Québec."
horaires = "24 h/24, 7 j/7"
source = "https://example.gouv.qc.ca/page"
verifie = false
verifie_note = "not checked here"
"""


def with_second(**changes: str) -> str:
    """GOOD with fields of the second entry (header at line 12) replaced."""
    head, second = GOOD.split("\n\n[[ligne]]\n")
    for key, value in changes.items():
        lines = [x for x in second.splitlines() if not x.startswith(f"{key} =")]
        if value != "<drop>":
            lines.append(f"{key} = {value}")
        second = "\n".join(lines) + "\n"
    return head + "\n\n[[ligne]]\n" + second


# ---------------------------------------------------------------- the shipped file
def test_shipped_file_loads_and_every_region_has_lines() -> None:
    grouped = load_by_region()
    assert tuple(grouped) == REGIONS
    for region in REGIONS:
        assert grouped[region], region


def test_every_shipped_line_has_an_https_source_and_a_note() -> None:
    for ligne in load_lignes():
        assert ligne.source.startswith("https://"), ligne.nom
        assert ligne.verifie_note.strip(), ligne.nom
        if not ligne.verifie:
            assert "non vérifié" in ligne.verifie_note.lower() or "non marqué" in (
                ligne.verifie_note.lower()
            ), ligne.nom


def test_the_core_crisis_lines_are_listed_and_verified() -> None:
    numbers = {(x.region, x.numero): x for x in load_lignes()}
    for key in [("FR", "3114"), ("FR", "119"), ("FR", "3919"), ("QC", "988"), ("QC", "811")]:
        assert key in numbers, key
        assert numbers[key].verifie, key


# ---------------------------------------------------------------- the parser
def test_parse_keeps_file_order_and_header_lines() -> None:
    lignes = parse_lignes(GOOD)
    assert [x.nom for x in lignes] == ["3114", "1 866 APPELLE"]
    assert [x.line for x in lignes] == [2, 12]
    assert isinstance(lignes[0], Ligne) and lignes[0].verifie is True


def test_by_region_groups_in_region_order() -> None:
    grouped = by_region(parse_lignes(GOOD))
    assert [x.nom for x in grouped["QC"]] == ["1 866 APPELLE"]
    assert grouped["BE"] == ()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "<drop>"}, "missing field(s) source"),
        ({"verifie_note": "<drop>"}, "missing field(s) verifie_note"),
        ({"source": '"http://example.org"'}, "source must be an https URL"),
        ({"source": '"3114.fr"'}, "source must be an https URL"),
        ({"region": '"US"'}, "unknown region 'US'"),
        ({"verifie": '"oui"'}, "verifie must be true or false"),
        ({"nom": '""'}, "nom must be a non-empty string"),
        ({"numero": '"appelle-moi"'}, "numero must be digits"),
        ({"couleur": '"rouge"'}, "unknown field(s) couleur"),
    ],
)
def test_malformed_entries_are_rejected_with_their_line(
    changes: dict[str, str], message: str
) -> None:
    with pytest.raises(LignesError) as caught:
        parse_lignes(with_second(**changes), origin="lignes.toml")
    assert str(caught.value).startswith("lignes.toml:12:")
    assert message in str(caught.value)


def test_a_duplicate_number_in_a_region_is_rejected() -> None:
    text = with_second(region='"FR"', numero='"31 14"')
    with pytest.raises(LignesError, match=r"lignes.toml:12: .*already listed at line 2"):
        parse_lignes(text)


def test_invalid_toml_and_empty_files_are_rejected() -> None:
    with pytest.raises(LignesError, match="not valid TOML"):
        parse_lignes('[[ligne]]\nregion = "FR\n')
    with pytest.raises(LignesError, match=r"no \[\[ligne\]\] entry"):
        parse_lignes("# nothing\n")
    with pytest.raises(LignesError, match="unexpected top-level"):
        parse_lignes('version = "1"\n' + GOOD)
