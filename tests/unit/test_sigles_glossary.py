"""The shipped glossary loads, is consistent, and malformed files fail with file:line."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from cogs.sigles.glossary import (
    DEFAULT_DIRECTORY,
    DOMAINES,
    MAX_SIGLE,
    REF_FIELDS,
    REGIONS,
    Entry,
    GlossaryError,
    load_glossary,
    normalise,
    parse_ref,
)


@pytest.fixture(scope="module")
def glossary():
    return load_glossary(DEFAULT_DIRECTORY)


GOOD = """verifie_le = 2026-01-15

[[sigle]]
sigle = "ASE"
region = "FR"
developpe = "Aide sociale à l'enfance"
explication = "Service du département."
domaine = "protection-enfance"
equivalents = [{ ref = "QC:DPJ", relation = "proche", difference = "Loi d'exception." }]
source = "https://www.service-public.fr"

[[sigle]]
sigle = "DPJ"
region = "QC"
developpe = "Directeur de la protection de la jeunesse"
explication = "Reçoit les signalements."
domaine = "protection-enfance"
equivalents = [{ ref = "FR:ASE", relation = "proche", difference = "Loi d'exception." }]
source = "https://www.quebec.ca"
"""


def write(tmp_path: Path, text: str, name: str = "test.toml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_shipped_files_load_with_at_least_400_fr_qc_entries(glossary):
    counts = glossary.counts_by_region()
    assert counts["FR"] + counts["QC"] >= 400
    assert counts["FR"] >= 200 and counts["QC"] >= 150
    assert len(glossary) == sum(counts.values())


def test_one_file_per_region_and_region_matches_file():
    names = {p.stem for p in DEFAULT_DIRECTORY.glob("*.toml")}
    assert {"france", "quebec"} <= names
    by_file = {"france": "FR", "quebec": "QC", "belgique": "BE", "suisse": "CH"}
    for path in DEFAULT_DIRECTORY.glob("*.toml"):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert {t["region"] for t in data["sigle"]} == {by_file[path.stem]}, path


def test_every_shipped_ref_resolves(glossary):
    existing = {(e.region, e.key) for e in glossary}
    checked = 0
    for entry in glossary:
        for name in REF_FIELDS:
            for ref in entry.refs(name):
                assert parse_ref(ref) in existing, f"{entry.ref} {name} {ref}"
                assert glossary.resolve(ref), ref
                checked += 1
    assert checked > 200  # the glossary really is cross-referenced


def test_shipped_entries_are_well_formed(glossary):
    for e in glossary:
        assert e.region in REGIONS and e.domaine in DOMAINES
        assert e.source.startswith("https://")
        assert 0 < len(e.sigle) <= MAX_SIGLE and 0 < len(e.developpe) <= 200
        assert 0 < len(e.explication) <= 400
        assert e.line > 0 and e.file.endswith(".toml")
        if e.remplace_par:
            assert e.historique, e.ref
    identities = [e.identity for e in glossary]
    assert len(identities) == len(set(identities))


def test_renamed_bodies_point_at_their_successors(glossary):
    def successors(sigle: str, region: str) -> set[str]:
        (entry,) = glossary.lookup(sigle, region)
        return set(entry.remplace_par)

    assert successors("CSSS", "QC") == {"QC:CISSS", "QC:CIUSSS"}
    assert successors("CSST", "QC") == {"QC:CNESST"}
    assert successors("RMI", "FR") == {"FR:RSA"}
    assert successors("Pôle emploi", "FR") == {"FR:France Travail"}
    assert successors("ANPE", "FR") == {"FR:Pôle emploi"}
    # renamed by the 2023 laws (plein emploi in France, Loi 15 in Québec)
    assert successors("PPAE", "FR") == {"FR:CE"}
    assert successors("LSSSS", "QC") == {"QC:LGSSSS"}
    # and the successor names its former names back
    (france_travail,) = glossary.lookup("France Travail", "FR")
    assert "FR:Pôle emploi" in france_travail.remplace


def test_several_meanings_are_separate_entries(glossary):
    ass = {e.developpe for e in glossary.lookup("ASS", "FR")}
    assert ass == {"Allocation de solidarité spécifique", "Assistant de service social"}
    css = {(e.region, e.developpe) for e in glossary.lookup("CSS")}
    assert ("FR", "Complémentaire santé solidaire") in css
    assert ("QC", "Centre de services scolaire") in css


def test_alias_and_normalised_lookup(glossary):
    assert [e.ref for e in glossary.lookup("c.l.s.c.")] == ["QC:CLSC"]
    assert normalise(" Pôle-Emploi ") == "poleemploi"
    assert glossary.lookup("pole emploi", "FR")[0].sigle == "Pôle emploi"


def test_line_numbers_point_at_the_header(tmp_path):
    write(tmp_path, GOOD)
    g = load_glossary(tmp_path)
    raw = (tmp_path / "test.toml").read_text(encoding="utf-8").splitlines()
    for entry in g:
        assert raw[entry.line - 1] == "[[sigle]]"
        assert raw[entry.line].startswith(f'sigle = "{entry.sigle}"')


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (('developpe = "Directeur de la protection de la jeunesse"\n', ""), "developpe"),
        (('explication = "Reçoit les signalements."', 'explication = "  "'), "explication"),
        (('region = "QC"', 'region = "XX"'), "région inconnue"),
        (
            (
                'signalements."\ndomaine = "protection-enfance"',
                'signalements."\ndomaine = "cuisine"',
            ),
            "domaine inconnu",
        ),
        (('source = "https://www.quebec.ca"', 'source = "http://www.quebec.ca"'), "https"),
        (('sigle = "DPJ"', f'sigle = "{"D" * 31}"'), "trop long"),
        (('explication = "Reçoit les signalements."', f'explication = "{"x" * 401}"'), "trop long"),
    ],
)
def test_malformed_second_entry_fails_with_file_and_line(tmp_path, change, message):
    old, new = change
    assert old in GOOD
    text = GOOD.replace(old, new)
    write(tmp_path, text)
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path)
    second_header = [n for n, line in enumerate(text.splitlines(), 1) if line == "[[sigle]]"][1]
    problems = [p for p in info.value.problems if message in p.message]
    assert problems, info.value
    assert all(p.where == "test.toml" and p.line == second_header for p in problems)
    assert f"test.toml:{second_header}:" in str(info.value)


def test_every_problem_is_listed_not_just_the_first(tmp_path):
    bad = GOOD.replace('region = "QC"', 'region = "ZZ"').replace(
        'source = "https://www.service-public.fr"', 'source = "ftp://x"'
    )
    write(tmp_path, bad)
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path)
    text = str(info.value)
    assert "test.toml:3:" in text  # bad source of ASE
    assert "test.toml:12:" in text  # bad region of DPJ

    only_dpj_bad = GOOD.replace('region = "QC"', 'region = "ZZ"')
    write(tmp_path, only_dpj_bad)
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path)
    assert "test.toml:3: FR:ASE : référence « QC:DPJ »" in str(info.value)  # ref now dangles


def test_unresolved_ref_and_duplicate(tmp_path):
    write(tmp_path, GOOD.replace('ref = "QC:DPJ"', 'ref = "QC:DPJJ"') + GOOD.rsplit("\n\n", 1)[-1])
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path)
    messages = [str(p) for p in info.value.problems]
    assert any("QC:DPJJ" in m and m.startswith("test.toml:3:") for m in messages)
    assert any("doublon" in m for m in messages)


def test_invalid_toml_reports_line(tmp_path):
    write(tmp_path, GOOD + '\n[[sigle]]\nsigle = "X\n')
    with pytest.raises(GlossaryError) as info:
        load_glossary(tmp_path)
    assert info.value.problems[0].line > 0


def test_with_extra_layers_server_entries(glossary):
    extra = Entry(
        sigle="ASE",
        region="FR",
        developpe="Aide sociale à l'enfance",
        explication="Chez nous : le service enfance du département.",
        domaine="protection-enfance",
        source="https://example.org",
        origin="guild",
        guild_id=42,
    )
    local = Entry(
        sigle="ZZTOP",
        region="QC",
        developpe="Sigle local",
        explication="Propre au serveur.",
        domaine="institutions",
        source="https://example.org",
        origin="guild",
        guild_id=42,
    )
    layered = glossary.with_extra([extra, local])
    assert len(layered) == len(glossary) + 1
    assert layered.lookup("ase")[0].origin == "guild"
    assert layered.lookup("zztop") and not glossary.lookup("zztop")
    with pytest.raises(GlossaryError):
        glossary.with_extra([Entry("X", "US", "x", "x", "institutions", "https://a.b")])
