"""The help-line file, its loader and ``python -m bot ressources check``."""

from __future__ import annotations

import io
import tomllib
from datetime import date
from pathlib import Path

import pytest

from cogs.soutien import cli
from cogs.soutien.resources import (
    DEFAULT_PATH,
    REGIONS,
    UNVERIFIED_NOTE_PREFIX,
    Categorie,
    Ligne,
    LignesError,
    Moyen,
    audit,
    by_region,
    in_display_order,
    load_by_region,
    load_lignes,
    parse_lignes,
)

ROOT = Path(__file__).resolve().parents[2]
TODAY = date(2026, 12, 1)

GOOD = """\
# a comment
[[ligne]]
region = "FR"
nom = "3114"
numero = "3114"
categorie = "suicide"
public = "Tout public"
pour = "Prévention du suicide."
horaires = "24 h/24, 7 j/7"
source = "https://3114.fr/"
verifie = true
verifie_le = "2026-11-30"
verifie_note = "checked"

[[ligne]]
region = "QC"
nom = "1 866 APPELLE"
numero = "1 866 277-3553"
categorie = "suicide"
public = "Tout public"
pour = "Prévention du suicide au Québec."
horaires = "24 h/24, 7 j/7"
source = "https://example.gouv.qc.ca/page"
verifie = false
verifie_le = "2026-11-30"
verifie_note = "Non vérifié ici : not checked"
"""

EMERGENCIES = "".join(
    f"""
[[ligne]]
region = "{region}"
nom = "Urgence"
numero = "1{index}2"
categorie = "urgence"
urgence = true
public = "Tout public"
pour = "Danger immédiat."
horaires = "24 h/24"
source = "https://example.org/{region}"
verifie = true
verifie_le = "2026-11-30"
verifie_note = "checked"
"""
    for index, region in enumerate(REGIONS)
)


def with_second(**changes: str) -> str:
    """GOOD with fields of the second entry (header at line 15) replaced."""
    head, second = GOOD.split("\n\n[[ligne]]\n")
    for key, value in changes.items():
        lines = [x for x in second.splitlines() if not x.startswith(f"{key} =")]
        if value != "<drop>":
            lines.append(f"{key} = {value}")
        second = "\n".join(lines) + "\n"
    return head + "\n\n[[ligne]]\n" + second


def run_check(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


# ---------------------------------------------------------------- the shipped file
def test_shipped_file_loads_and_every_region_has_lines() -> None:
    grouped = load_by_region()
    assert tuple(grouped) == REGIONS
    for region in REGIONS:
        assert grouped[region], region


def test_every_shipped_line_has_an_https_source_a_date_and_a_note() -> None:
    for ligne in load_lignes():
        assert ligne.source.startswith("https://"), ligne.nom
        assert ligne.verifie_le <= TODAY, ligne.nom
        assert ligne.public and ligne.verifie_note, ligne.nom
        if not ligne.verifie:
            assert ligne.verifie_note.startswith(UNVERIFIED_NOTE_PREFIX), ligne.nom


def test_the_core_lines_are_listed_and_verified() -> None:
    numbers = {(x.region, x.numero): x for x in load_lignes()}
    core = [
        ("FR", "15"), ("FR", "17"), ("FR", "18"), ("FR", "112"), ("FR", "114"),
        ("FR", "115"), ("FR", "119"), ("FR", "3114"), ("FR", "3919"), ("FR", "116 006"),
        ("QC", "911"), ("QC", "811"), ("QC", "988"), ("QC", "1 888 489-2287"),
        ("QC", "1 888 933-9007"), ("QC", "1 800 265-2626"), ("QC", "1 855 242-3310"),
        ("BE", "112"), ("BE", "101"), ("BE", "107"), ("BE", "0800 30 030"),
        ("CH", "112"), ("CH", "117"), ("CH", "118"), ("CH", "144"), ("CH", "143"), ("CH", "147"),
    ]  # fmt: skip
    for key in core:
        assert key in numbers, key
        assert numbers[key].verifie, key


def test_emergency_numbers_are_flagged_and_second_numbers_are_there() -> None:
    lignes = load_lignes()
    for region, lines in by_region(lignes).items():
        assert any(x.urgence and x.verifie for x in lines), region
    texts = {(x.numero, a.type, a.valeur) for x in lignes for a in x.autres}
    assert ("988", Moyen.TEXTO, "988") in texts
    assert ("114", Moyen.SMS, "114") in texts
    assert any(n == "3919" and k == Moyen.CHAT for n, k, _ in texts)


def test_no_source_is_a_page_about_something_else() -> None:
    """Issue 13: an association-registration page for 15/112/114, a road-accident page for 147."""
    for ligne in load_lignes():
        assert "choix-siege-social-association" not in ligne.source, ligne.nom
        assert "road-accident" not in ligne.source, ligne.nom


def test_shipped_file_passes_the_check() -> None:
    code, out, err = run_check("ressources", "check", "--date", TODAY.isoformat())
    assert code == 0, err
    assert out.startswith("OK : ") and "\nOK: " in out
    assert err == ""


def test_the_check_is_registered_as_a_passerelle_cli_entry_point() -> None:
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    group = data["project"]["entry-points"]["passerelle.cli"]
    assert group["ressources"] == "cogs.soutien.cli:main"
    # python -m bot calls each entry point as fn(rest, settings)
    out, err = io.StringIO(), io.StringIO()
    code = cli.main(["check", "--date", TODAY.isoformat()], object(), stdout=out, stderr=err)
    assert code == 0, err.getvalue()


# ---------------------------------------------------------------- the parser
def test_parse_keeps_file_order_header_lines_and_new_fields() -> None:
    lignes = parse_lignes(GOOD)
    assert [x.nom for x in lignes] == ["3114", "1 866 APPELLE"]
    assert [x.line for x in lignes] == [2, 15]
    first = lignes[0]
    assert isinstance(first, Ligne) and first.verifie is True
    assert first.categorie is Categorie.SUICIDE and first.urgence is False
    assert first.verifie_le == date(2026, 11, 30) and first.autres == ()


def test_second_contacts_are_read_with_their_own_verification() -> None:
    text = GOOD.replace(
        'verifie_note = "checked"\n',
        'verifie_note = "checked"\n\n[[ligne.autres]]\ntype = "texto"\nvaleur = "3114"\n\n'
        '[[ligne.autres]]\ntype = "chat"\nvaleur = "https://3114.fr/chat"\n'
        'horaires = "le soir"\nverifie = false\n',
        1,
    )
    first = parse_lignes(text)[0]
    assert [(a.type, a.valeur, a.horaires, a.verifie) for a in first.autres] == [
        (Moyen.TEXTO, "3114", "", True),  # the same number as the line: allowed
        (Moyen.CHAT, "https://3114.fr/chat", "le soir", False),
    ]


def test_a_toml_date_literal_is_accepted() -> None:
    assert parse_lignes(with_second(verifie_le="2026-11-29"))[1].verifie_le == date(2026, 11, 29)


def test_by_region_groups_in_region_order() -> None:
    grouped = by_region(parse_lignes(GOOD))
    assert [x.nom for x in grouped["QC"]] == ["1 866 APPELLE"]
    assert grouped["BE"] == ()


def test_display_order_puts_emergencies_first_then_categories() -> None:
    lignes = parse_lignes(GOOD + EMERGENCIES)
    ordered = in_display_order(x for x in lignes if x.region == "FR")
    assert [x.categorie for x in ordered] == [Categorie.URGENCE, Categorie.SUICIDE]


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source": "<drop>"}, "missing: source"),
        ({"verifie_le": "<drop>"}, "missing: verifie_le"),
        ({"public": "<drop>"}, "missing: public"),
        ({"source": '"http://example.org"'}, "source must be an https URL"),
        ({"source": '"3114.fr"'}, "source must be an https URL"),
        ({"region": '"US"'}, "unknown region 'US'"),
        ({"categorie": '"divers"'}, "unknown categorie 'divers'"),
        ({"verifie": '"oui"'}, "verifie must be true or false"),
        ({"urgence": '"oui"'}, "urgence must be true or false"),
        ({"urgence": "true"}, 'urgence = true goes with categorie = "urgence"'),
        ({"categorie": '"urgence"'}, 'urgence = true goes with categorie = "urgence"'),
        ({"verifie_le": '"30/11/2026"'}, 'verifie_le must be "YYYY-MM-DD"'),
        ({"verifie_le": '"2026-02-30"'}, 'verifie_le must be "YYYY-MM-DD"'),
        ({"nom": '""'}, "nom must be a non-empty string"),
        ({"numero": '"appelle-moi"'}, "numero must be digits"),
        ({"couleur": '"rouge"'}, "unknown: couleur"),
        ({"autres": '[{ type = "fax", valeur = "1" }]'}, "(autres #1): type inconnu"),
        ({"autres": '[{ type = "texto", valeur = "écrire" }]'}, "(autres #1): valeur"),
        ({"autres": '[{ type = "chat", valeur = "http://x.org" }]'}, "valeur must be an https"),
        ({"autres": '[{ type = "sms" }]'}, "(autres #1): manque : valeur"),
    ],
)
def test_malformed_entries_are_rejected_with_their_line(
    changes: dict[str, str], message: str
) -> None:
    with pytest.raises(LignesError) as caught:
        parse_lignes(with_second(**changes), origin="lignes.toml")
    assert str(caught.value).startswith("lignes.toml:15")
    assert message in str(caught.value)


def test_every_problem_is_reported_at_once() -> None:
    text = with_second(source='"http://x"', region='"US"')
    with pytest.raises(LignesError) as caught:
        parse_lignes(text.replace('public = "Tout public"\n', "", 1))
    assert len(caught.value.problems) == 3
    assert caught.value.problems[0].startswith("lignes.toml:2: manque : public / missing: public")


def test_a_duplicate_number_in_a_region_is_rejected_even_as_a_second_number() -> None:
    with pytest.raises(LignesError, match=r"lignes.toml:15: .*already listed at line 2"):
        parse_lignes(with_second(region='"FR"', numero='"31 14"'))
    texto = with_second(region='"FR"', autres='[{ type = "texto", valeur = "3114" }]')
    with pytest.raises(LignesError, match=r"FR 3114 already listed at line 2"):
        parse_lignes(texto)
    parse_lignes(with_second(numero='"3114"'))  # another region may have the same number


def test_invalid_toml_and_empty_files_are_rejected() -> None:
    with pytest.raises(LignesError, match="not valid TOML"):
        parse_lignes('[[ligne]]\nregion = "FR\n')
    with pytest.raises(LignesError, match=r"no \[\[ligne\]\] entry"):
        parse_lignes("# nothing\n")
    with pytest.raises(LignesError, match="unexpected top-level"):
        parse_lignes('version = "1"\n' + GOOD)


# ---------------------------------------------------------------- the audit
def test_audit_passes_a_sound_file_and_warns_of_old_checks() -> None:
    lignes = parse_lignes(GOOD + EMERGENCIES)
    assert audit(lignes, TODAY).problems == []
    later = audit(lignes, date(2028, 1, 1))
    assert later.problems == [] and len(later.warnings) == len(lignes)


def test_audit_names_future_dates_bad_notes_and_missing_emergencies() -> None:
    text = with_second(verifie_le='"2027-01-01"', verifie_note='"pas vu"')
    problems = audit(parse_lignes(text + EMERGENCIES.split("\n\n[[ligne]]")[0]), TODAY).problems
    assert any(
        p.startswith("lignes.toml:15: verifie_le 2027-01-01 est dans le futur") for p in problems
    )
    assert any(p.startswith("lignes.toml:15: ligne non vérifiée") for p in problems)
    missing = sorted(p.split(":")[1].strip() for p in problems if "aucun numéro d'urgence" in p)
    assert missing == ["BE", "CH", "QC"]


# ---------------------------------------------------------------- the command
def test_check_fails_with_named_problems_on_a_broken_file(tmp_path: Path) -> None:
    broken = tmp_path / "lignes.toml"
    broken.write_text(with_second(source='"http://x"', numero='"appelle"'), encoding="utf-8")
    code, out, err = run_check("check", "--fichier", str(broken), "--date", "2026-12-01")
    assert code == 1 and out == ""
    assert "lignes.toml:15: source : une adresse https / source must be an https URL" in err
    assert "lignes.toml:15: numero :" in err
    assert err.rstrip().endswith("Problèmes : 2 / Problems: 2")


def test_check_fails_on_a_future_date_and_a_region_without_emergency(tmp_path: Path) -> None:
    path = tmp_path / "lignes.toml"
    path.write_text(GOOD + EMERGENCIES, encoding="utf-8")
    assert run_check("check", "--fichier", str(path), "--date", "2026-12-01")[0] == 0
    code, _, err = run_check("check", "--fichier", str(path), "--date", "2026-11-29")
    assert code == 1 and "dans le futur / verifie_le 2026-11-30 is in the future" in err
    path.write_text(GOOD, encoding="utf-8")
    code, _, err = run_check("check", "--fichier", str(path), "--date", "2026-12-01")
    assert code == 1 and "lignes.toml: FR: aucun numéro d'urgence vérifié" in err


def test_check_reports_a_missing_file_and_bad_arguments(tmp_path: Path) -> None:
    code, _, err = run_check("check", "--fichier", str(tmp_path / "absent.toml"))
    assert code == 1 and "Lecture impossible / Cannot read" in err
    assert run_check("check", "--date", "demain")[0] == 2
    assert run_check()[0] == 2


def test_default_path_is_the_shipped_file() -> None:
    assert DEFAULT_PATH == ROOT / "data" / "ressources" / "lignes.toml"
