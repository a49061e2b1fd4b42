"""The rules that tie entries together: counterparts named both ways with one relation, past
names tied to their successors, unambiguous refs, dates of check (`sigles check`)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from cogs.sigles.cli import main
from cogs.sigles.consistency import check_glossary
from cogs.sigles.glossary import (
    DEFAULT_DIRECTORY,
    Entry,
    Equivalent,
    GlossaryError,
    Relation,
    check_refs,
    entry_from_mapping,
    load_glossary,
)

CHECKED = date(2026, 1, 15)
PROCHE = Relation.PROCHE
EQUIVALENT = Relation.EQUIVALENT


def entry(ref: str, *, developpe: str = "", **fields) -> Entry:
    region, _, sigle = ref.partition(":")
    return Entry(
        sigle=sigle,
        region=region,
        developpe=developpe or f"Développé de {sigle}",
        explication="Une explication.",
        domaine="institutions",
        source="https://example.org/page",
        verifie_le=fields.pop("verifie_le", CHECKED),
        **fields,
    )


def pair(a: str, b: str, relation: Relation = PROCHE, difference: str = "Une différence.") -> tuple:
    return (
        entry(a, equivalents=(Equivalent(b, relation, difference),)),
        entry(b, equivalents=(Equivalent(a, relation, difference),)),
    )


def messages(entries, **kwargs) -> list[str]:
    return [p.message for p in (*check_refs(entries), *check_glossary(entries, **kwargs))]


def test_a_symmetric_pair_passes() -> None:
    assert messages(pair("FR:ASE", "QC:DPJ")) == []
    assert messages(pair("FR:CH", "QC:CH", EQUIVALENT, "")) == []


def test_a_counterpart_named_one_way_only_is_reported_on_the_side_that_names_it() -> None:
    ase = entry("FR:ASE", equivalents=(Equivalent("QC:DPJ", PROCHE, "Loi d'exception."),))
    found = messages([ase, entry("QC:DPJ")])
    assert found == [
        "FR:ASE : nomme QC:DPJ comme équivalent, mais QC:DPJ ne le nomme pas en retour (symétrie)"
    ]


def test_both_sides_must_give_the_same_relation() -> None:
    ase, dpj = pair("FR:ASE", "QC:DPJ")
    dpj = entry("QC:DPJ", equivalents=(Equivalent("FR:ASE", EQUIVALENT),))
    found = messages([ase, dpj])
    assert any("relation « proche » avec QC:DPJ, mais « equivalent »" in m for m in found)
    assert any("relation « equivalent » avec FR:ASE, mais « proche »" in m for m in found)


def test_a_counterpart_that_does_not_exist_is_reported() -> None:
    ase = entry("FR:ASE", equivalents=(Equivalent("QC:DPJJ", PROCHE, "x"),))
    assert messages([ase]) == ["FR:ASE : référence « QC:DPJJ » (equivalents) introuvable"]


def test_a_shipped_counterpart_needs_its_relation_and_proche_its_difference() -> None:
    bare, dpj = entry("FR:ASE", equivalents=("QC:DPJ",)), entry("QC:DPJ", equivalents=("FR:ASE",))
    found = messages([bare, dpj])
    assert "FR:ASE : équivalent « QC:DPJ » sans relation (equivalent ou proche)" in found
    # the data file cannot even say « proche » without the line on the difference
    data = {
        "sigle": "ASE",
        "region": "FR",
        "developpe": "Aide sociale à l'enfance",
        "explication": "x",
        "domaine": "protection-enfance",
        "source": "https://a.org",
        "equivalents": [{"ref": "QC:DPJ", "relation": "proche"}],
    }
    built, problems = entry_from_mapping(data)
    assert built is None
    assert problems == ["équivalent « QC:DPJ » : « proche » demande une ligne « difference »"]
    data["equivalents"] = [{"ref": "QC:DPJ", "relation": "pareil", "difference": "x"}]
    assert "relation « pareil » inconnue" in entry_from_mapping(data)[1][0]


def test_a_counterpart_is_on_the_other_side() -> None:
    a, b = pair("FR:ASE", "FR:PMI")
    assert any("dans la même région" in m for m in messages([a, b]))


def test_a_counterpart_named_twice_is_reported() -> None:
    twice = (Equivalent("QC:DPJ", PROCHE, "x"), Equivalent("QC:D.P.J.", PROCHE, "x"))
    found = messages([entry("FR:ASE", equivalents=twice), pair("FR:ASE", "QC:DPJ")[1]])
    assert "FR:ASE : équivalent « QC:D.P.J. » nommé deux fois" in found


def test_a_ref_to_a_sigle_with_several_meanings_says_which() -> None:
    allowance = entry("FR:ASS", developpe="Allocation de solidarité spécifique")
    worker = entry(
        "FR:ASS",
        developpe="Assistant de service social",
        equivalents=(Equivalent("QC:TS", PROCHE, "Ordre professionnel."),),
    )
    vague = entry("QC:TS", equivalents=(Equivalent("FR:ASS", PROCHE, "Ordre professionnel."),))
    found = messages([allowance, worker, vague])
    assert any("référence « FR:ASS » (equivalents) ambiguë : 2 sens" in m for m in found)
    precise = entry(
        "QC:TS",
        equivalents=(
            Equivalent("FR:ASS (Assistant de service social)", PROCHE, "Ordre professionnel."),
        ),
    )
    assert messages([allowance, worker, precise]) == []


def test_a_past_name_says_what_replaced_it_and_is_named_back() -> None:
    old = entry("FR:ANPE", historique=True, remplace_par=("FR:France Travail",))
    new = entry("FR:France Travail", remplace=("FR:ANPE",))
    assert messages([old, new]) == []
    orphan = entry("FR:ANPE", historique=True)
    assert messages([orphan]) == [
        "FR:ANPE : ancien nom (historique = true) sans « remplace_par » (son successeur)"
    ]
    silent = entry("FR:France Travail")
    assert messages([old, silent]) == [
        "FR:ANPE : remplacé par FR:France Travail, mais FR:France Travail ne le mentionne pas "
        "dans « remplace »"
    ]


def test_only_past_names_are_listed_as_replaced() -> None:
    current = entry("FR:RSA")
    claims = entry("FR:RSO", remplace=("FR:RSA",))
    found = messages([current, claims])
    assert found == ["FR:RSO : « remplace » FR:RSA, qui n'est pas marqué historique"]
    not_past = entry("FR:RSA", remplace_par=("FR:RSO",))
    assert "FR:RSA : « remplace_par » sur une entrée qui n'est pas historique" in messages(
        [not_past, entry("FR:RSO", remplace=("FR:RSA",))]
    )


def test_every_entry_has_a_date_of_check_not_in_the_future() -> None:
    undated = entry("FR:RSA", verifie_le=None)
    assert messages([undated]) == [
        "FR:RSA : sans date de vérification (« verifie_le », dans l'entrée ou en tête du fichier)"
    ]
    later = entry("FR:RSA", verifie_le=date(2027, 1, 1))
    assert messages([later], today=date(2026, 12, 1)) == [
        "FR:RSA : date de vérification dans le futur (2027-01-01)"
    ]
    assert messages([later]) == []  # no "today" given: the date is not compared


def test_server_entries_are_not_held_to_the_shipped_rules() -> None:
    local = Entry(
        "ZZA",
        "QC",
        "Local",
        "Propre au serveur.",
        "institutions",
        "https://a.org",
        equivalents=("FR:ASE",),
        origin="guild",
    )
    assert check_glossary([local, entry("FR:ASE")]) == []


def test_the_file_date_applies_to_its_entries_and_an_entry_may_override_it(tmp_path: Path):
    (tmp_path / "x.toml").write_text(
        'verifie_le = 2026-01-15\n\n[[sigle]]\nsigle = "A"\nregion = "FR"\ndeveloppe = "A"\n'
        'explication = "x"\ndomaine = "institutions"\nsource = "https://a.org"\n\n'
        '[[sigle]]\nsigle = "B"\nregion = "FR"\ndeveloppe = "B"\nexplication = "x"\n'
        'domaine = "institutions"\nsource = "https://a.org"\nverifie_le = 2026-02-01\n',
        encoding="utf-8",
    )
    a, b = load_glossary(tmp_path)
    assert (a.verifie_le, b.verifie_le) == (date(2026, 1, 15), date(2026, 2, 1))
    (tmp_path / "x.toml").write_text(
        '[[sigle]]\nsigle = "A"\nregion = "FR"\ndeveloppe = "A"\nexplication = "x"\n'
        'domaine = "institutions"\nsource = "https://a.org"\n',
        encoding="utf-8",
    )
    with pytest.raises(GlossaryError, match="sans date de vérification"):
        load_glossary(tmp_path)


def test_the_shipped_glossary_passes_the_check() -> None:
    glossary = load_glossary(DEFAULT_DIRECTORY)
    assert check_glossary(glossary, today=max(e.verifie_le for e in glossary)) == []
    assert all(e.source.startswith("https://") for e in glossary)


def test_sigles_check_reports_the_counts(capsys) -> None:
    assert main(["sigles", "check"]) == 0
    out = capsys.readouterr().out
    assert "paires symétriques" in out and "anciens noms" in out


def test_sigles_check_fails_on_an_asymmetric_pair(tmp_path: Path, capsys) -> None:
    (tmp_path / "x.toml").write_text(
        'verifie_le = 2026-01-15\n\n[[sigle]]\nsigle = "ASE"\nregion = "FR"\n'
        'developpe = "Aide sociale à l\'enfance"\nexplication = "x"\n'
        'domaine = "protection-enfance"\nsource = "https://a.org"\n'
        'equivalents = [{ ref = "QC:DPJ", relation = "proche", difference = "x" }]\n\n'
        '[[sigle]]\nsigle = "DPJ"\nregion = "QC"\ndeveloppe = "DPJ"\nexplication = "x"\n'
        'domaine = "protection-enfance"\nsource = "https://a.org"\n',
        encoding="utf-8",
    )
    assert main(["check", "--dir", str(tmp_path)]) == 1
    assert "x.toml:3: FR:ASE : nomme QC:DPJ comme équivalent" in capsys.readouterr().err
